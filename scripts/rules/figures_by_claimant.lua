-- figures-by-claimant: one claimant's figure as different reports give it.
-- Each run of a claimant's figures that can all be true at once, given by two or more
-- reports, is an agreement on that figure (the summary says how many of the reports are
-- independent: a rewrite and its original count once); where two of a named claimant's
-- figures cannot both be true, an outlet has reported the claimant's figure differently
-- (a reporting discrepancy). Figures that follow one another in time ("rose to") are a
-- series (the updates rule), not a conflict. The outlets' own voice (unattributed) is a
-- claimant like any other for agreements; its differing figures within an event are
-- parts, sums or updates, which other rules read, so it gets no conflict here.
local U = require("lib.units")
local F = require("lib.figures")
local E = require("lib.estimates")
local Sources = require("lib.sources")
local Series = require("lib.series")

-- Whether every figure of a list overlaps every other (intervals: the highest lower
-- bound against the lowest upper one).
local function all_overlap(list)
  local top, bottom
  for i = 1, #list do
    local c = list[i]
    local lo, _, hi = F.bounds(c)
    if not top or lo > (F.bounds(top)) then top = c end
    if not bottom or hi < select(3, F.bounds(bottom)) then bottom = c end
  end
  return not top or F.overlap(top, bottom)
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group, src)
  local order, by = F.group(group, function(c) return c.claimant or "unattributed" end)
  local by_id = {}
  for i = 1, #group do by_id[group[i].id] = group[i] end
  local what
  for _, who in ipairs(order) do
    local g = by[who]
    local docs = Sources.docs_of(g)
    if #docs >= 2 then
      what = what or string.format("%s %s (%s)", key.measure, key.unit or "",
                                   key.subject or "?")
      local whose = who == "unattributed" and "the outlets' own" or (who .. "'s")
      local x, y
      if who ~= "unattributed" then
        x, y = F.clash(g)
        if x and Series.explains(x, y) then x = nil end
      end
      if x then
        local ids = {}
        for i = 1, #g do ids[i] = g[i].id end
        ctx:emit{ event = key.event, kind = "conflict", measure = key.measure, subject = key.subject,
                  unit = key.unit, claims = ids, claimants = { who },
                  docs = { x.doc_id, y.doc_id },
                  summary = string.format("%s %s figure is reported as %s by %s but %s by %s",
                    whose, what, F.text(x), Sources.label(x), F.text(y), Sources.label(y)),
                  details = { figures = { F.text(x), F.text(y) } } }
      end
      -- agreements: each run of figures that all hold at once, from two sources or more
      -- a restatement of the same claimant's figure in the same article counts once
      local fresh = {}
      for i = 1, #g do
        local c = g[i]
        local orig = c.repeat_of and by_id[c.repeat_of]
        if not orig or (orig.claimant or "unattributed") ~= who then fresh[#fresh + 1] = c end
      end
      for _, run in ipairs(E.clusters(fresh)) do
        local claims = run.claims
        local rdocs = Sources.docs_of(claims)
        if #rdocs >= 2 and all_overlap(claims) then
          -- a rewrite agrees with its original too; the summary says how many are
          -- independent
          local n = src:count(rdocs)
          local ids = {}
          for i = 1, #claims do ids[i] = claims[i].id end
          ctx:emit{ event = key.event, kind = "agreement", measure = key.measure, subject = key.subject,
                    unit = key.unit, claims = ids, claimants = { who }, docs = rdocs,
                    summary = string.format("%d reports (%d independent) agree on %s %s figure (%s)",
                      #rdocs, n, whose, what, F.text(claims[1])),
                    details = { outlets = #rdocs, independent = n } }
        end
      end
    end
  end
end

cc.rule{
  name = "figures-by-claimant",
  description = "the same claimant's figure across outlets: agreement or discrepancy",
  reads = { "claims", "findings" },
  after = { "derived-copies" },
  group_by = { "event", "measure", "subject" },
  setup = function(ctx) return Sources.load(ctx) end,
  -- a figure about no stored event, or alone in its group, is passed over
  each = U.each_population(check_set),
}
