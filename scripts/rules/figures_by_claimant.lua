-- figures-by-claimant: one claimant's figure as different outlets report it.
-- Where every report can be true at once it is an agreement; where two cannot, an outlet
-- has reported the claimant's figure differently (a reporting discrepancy). Figures that
-- follow one another in time ("rose to") are a series (the updates rule), not a conflict.
local U = require("lib.units")
local F = require("lib.figures")
local Sources = require("lib.sources")
local Series = require("lib.series")

-- The claimant a claim is grouped under: nil for an outlet's own voice.
local function named(c)
  if c.claimant == "unattributed" then return nil end
  return c.claimant
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group, src)
  local order, by = F.group(group, named)
  local what
  for _, who in ipairs(order) do
    local g = by[who]
    local docs = Sources.docs_of(g)
    if #docs >= 2 then
      local ids = {}
      for i = 1, #g do ids[i] = g[i].id end
      what = what or string.format("%s %s (%s)", key.measure, key.unit or "",
                                   key.subject or "?")
      local x, y = F.clash(g)
      if x and Series.explains(x, y) then x = nil end
      if x then
        ctx:emit{ kind = "conflict", measure = key.measure, subject = key.subject,
                  unit = key.unit, claims = ids, claimants = { who },
                  docs = { x.doc_id, y.doc_id },
                  summary = string.format("%s's %s figure is reported as %s by %s but %s by %s",
                    who, what, F.text(x), Sources.label(x), F.text(y), Sources.label(y)),
                  details = { figures = { F.text(x), F.text(y) } } }
      else
        local n = src:count(docs)
        ctx:emit{ kind = "agreement", measure = key.measure, subject = key.subject,
                  unit = key.unit, claims = ids, claimants = { who }, docs = docs,
                  summary = string.format("%d outlets (%d independent) agree on %s's %s figure (%s)",
                    #docs, n, who, what, F.text(g[1])),
                  details = { outlets = #docs, independent = n } }
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
  each = function(ctx, key, group, src)
    if key.event == nil then return end   -- a figure about no stored event
    for _, set in ipairs(U.partition(group)) do
      check_set(ctx, { event = key.event, measure = key.measure, subject = key.subject,
                       unit = set.unit }, set.claims, src)
    end
  end,
}
