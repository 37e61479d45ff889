-- estimates: a best, low and high figure for each measure, subject and unit, in the
-- manner of conflict-event datasets (UCDP, ACLED): low is the most conservative credible
-- figure, high the highest credible one, best the policy's pick (by default the median
-- of the independent sources' figures). What is credible and how best is chosen is the
-- policy of lib/estimates.lua, which an analyst edits without touching this file.
--
-- One `estimate` finding per event, measure, subject and population (lib/units.lua)
-- that has two credible figures or more (a lone figure is its own best, low and high:
-- the event table takes it as it is) from at least E.MIN_SOURCES independent sources (a rewrite
-- and its original count once; a claim that restates an earlier one of its article is
-- ignored): the cells of the event table (`crosscheck export --what events`). Groups
-- whose subject is unknown are skipped only while E.SKIP_UNKNOWN_SUBJECT is set: within
-- one event and population their figures count the incident's victims.
--
-- details: best, low, high (the figures as text), best_value, low_value, high_value (their
-- numbers: the point of best, the stated low end of low and high end of high),
-- best_claims, low_claims, high_claims (ids of the claims giving each figure), sources
-- (independent sources behind the credible figures), claims (credible claims),
-- set_aside (claims not credible, repeats not counted).
local U = require("lib.units")
local F = require("lib.figures")
local Sources = require("lib.sources")
local E = require("lib.estimates")
local Series = require("lib.series")

-- For a cumulative measure whose credible figures follow one another as revisions
-- (lib/series.lua: "the toll rose to 34", a larger count on a later day), the last
-- figure of the series and the claims that give it, while E.BEST_LATEST_REVISION is set;
-- else nil.
local function revised(ctx, key, list)
  if not E.BEST_LATEST_REVISION or not Series.is_cumulative(key.measure) then return nil end
  local claims = {}
  for i = 1, #list do claims[i] = list[i].claim end
  local first, apart = claims[1], false
  for i = 2, #claims do
    if not F.overlap(first, claims[i]) then apart = true break end
  end
  if not apart then return nil end
  ctx:sentences(claims)
  local chain = Series.chain(claims)
  if #chain < 2 then return nil end
  local step = chain[#chain].claims
  local out = {}
  for _, c in ipairs(step) do
    if F.same(c, step[1]) then out[#out + 1] = c end
  end
  return step[1], out
end

local function ids_of(list)
  local out = {}
  for i = 1, #list do out[i] = list[i].id end
  return out
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group, src)
  if key.subject or not E.SKIP_UNKNOWN_SUBJECT then
    -- corroboration of each claim: independent sources in its run of overlapping figures
    local fresh, nf = {}, 0
    for i = 1, #group do
      local c = group[i]
      if not c.repeat_of then
        nf = nf + 1
        fresh[nf] = c
      end
    end
    local corroboration = {}
    for _, run in ipairs(E.clusters(fresh)) do
      local claims = run.claims
      local n = src:count_claims(claims)
      for i = 1, #claims do corroboration[claims[i].id] = n end
    end
    -- the credible claims with their independent source; n: how many sources
    local list, set_aside, n, counted = {}, 0, 0, {}
    local info = {}   -- one table for every claim: E.credible only reads it
  info.attributed = false
  for i = 1, nf do
    local who = fresh[i].claimant
    if who and who ~= "unattributed" then info.attributed = true break end
  end
    for i = 1, nf do
      local c = fresh[i]
      info.corroboration = corroboration[c.id] or 0
      if E.credible(c, info) then
        local source = src:root(c.doc_id)
        list[#list + 1] = { claim = c, source = source }
        if not counted[source] then
          counted[source] = true
          n = n + 1
        end
      else
        set_aside = set_aside + 1
      end
    end
    if #list > 1 and n >= E.MIN_SOURCES then
      local prepared = E.prepare(list)   -- read once for the three
      local best, best_claims = E.best(list, prepared)
      -- a toll revised over the event: its latest revision is the best figure
      local latest, latest_claims = revised(ctx, key, list)
      if latest then best, best_claims = latest, latest_claims end
      local low, low_claims = E.low(list, prepared)
      local high, high_claims = E.high(list, prepared)
      if best and low and high then
        local ids, seen = {}, {}
        for _, l in ipairs({ best_claims, low_claims, high_claims }) do
          for _, c in ipairs(l) do
            if not seen[c.id] then
              seen[c.id] = true
              ids[#ids + 1] = c.id
            end
          end
        end
        local what = key.measure .. (key.unit and (" " .. key.unit) or "") ..
                     (key.subject and (" (" .. key.subject .. ")") or "")
        local aside = set_aside > 0 and
                      string.format("; %d uncorroborated set aside", set_aside) or ""
        ctx:emit{
          event = key.event,
          kind = "estimate", measure = key.measure, subject = key.subject, unit = key.unit,
          claims = ids,
          summary = string.format("%s: best %s, low %s, high %s (%d claim%s, %d independent source%s%s)",
            what, F.text(best), F.text(low), F.text(high), #list, #list == 1 and "" or "s",
            n, n == 1 and "" or "s", aside),
          details = {
            best = F.text(best), low = F.text(low), high = F.text(high),
            best_value = F.point(best), low_value = E.lo_of(low), high_value = E.hi_of(high),
            best_claims = ids_of(best_claims), low_claims = ids_of(low_claims),
            high_claims = ids_of(high_claims), sources = n, claims = #list,
            set_aside = set_aside,
          },
        }
      end
    end
  end
end

cc.rule{
  name = "estimates",
  description = "best, low and high estimate of each figure from its credible reports",
  reads = { "claims", "findings", "sentences" },
  after = { "derived-copies" },
  group_by = { "event", "measure", "subject" },
  setup = function(ctx) return Sources.load(ctx) end,
  -- a figure about no stored event, or alone in its group, is passed over
  each = U.each_population(check_set),
}
