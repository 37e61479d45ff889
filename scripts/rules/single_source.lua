-- single-source: a figure that only one independent source reports while others report
-- the same measure, subject and unit.
--
-- Within each (measure, subject, unit) group the figures are clustered into runs that
-- overlap (E.clusters of lib/estimates.lua: spans sorted by lower end and chained; an
-- approximate figure is widened by 10%, an open end closed at its stated bound, so that
-- "more than 3,000" joins "nearly 3,000" and not every larger figure). A run whose
-- claims all come from one independent source (a rewrite and its original count once;
-- repeats within an article are ignored) is a `single_source` finding naming the
-- claimant(s) and the document(s). A group reported by only one independent source
-- gives nothing: nobody else speaks of it, so there is nothing to stand alone against.
-- Groups whose subject is unknown are included (the summary then omits it).
--
-- details: figure (the figure as text), other_figures (the number of other runs of
-- figures in the group), sources (independent sources in the group).
local U = require("lib.units")
local F = require("lib.figures")
local Sources = require("lib.sources")
local E = require("lib.estimates")

-- The figure of a run as text: the one figure its claims give, else their hull.
local function figure_of(claims)
  for i = 2, #claims do
    if not F.same(claims[i], claims[1]) then return F.text(F.hull(claims)) end
  end
  return F.text(claims[1])
end

local function possessive(names)
  local parts = {}
  for i, n in ipairs(names) do parts[i] = n .. "'s" end
  if #parts <= 2 then return table.concat(parts, " and ") end
  return table.concat(parts, ", ", 1, #parts - 1) .. " and " .. parts[#parts]
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group, src)
  local fresh, repeats = {}, {}
  for i = 1, #group do
    local c = group[i]
    local of = c.repeat_of
    if of then
      local r = repeats[of]
      if r then r[#r + 1] = c.id else repeats[of] = { c.id } end
    else
      fresh[#fresh + 1] = c
    end
  end
  local total = src:count_claims(fresh)
  if total >= 2 then
    local runs = E.clusters(fresh)
    for _, run in ipairs(runs) do
      if src:one_source(run.claims) then
        local ids, names, seen = {}, {}, {}
        local unattributed = false
        for _, c in ipairs(run.claims) do
          ids[#ids + 1] = c.id
          local r = repeats[c.id]
          if r then
            for _, id in ipairs(r) do ids[#ids + 1] = id end
          end
          if c.claimant == "unattributed" then
            unattributed = true
          elseif not seen[c.claimant] then
            seen[c.claimant] = true
            names[#names + 1] = c.claimant
          end
        end
        -- where: the original of a family of copies first
        local docs = Sources.docs_of(run.claims)
        table.sort(docs)
        local first
        for _, c in ipairs(run.claims) do
          if c.doc_id == src:root(c.doc_id) then first = c break end
        end
        first = first or run.claims[1]
        local where = Sources.label(first)
        if #docs > 1 then where = where .. " (and its rewrite)" end
        local whose
        if #names == 0 then whose = "its own figure"
        else
          whose = possessive(names) .. " figure"
          if unattributed then whose = whose .. " (also in its own voice)" end
        end
        local figure = figure_of(run.claims)
        local about = key.measure .. (key.unit and (" " .. key.unit) or "")
        local sub = key.subject and (" (" .. key.subject .. ")") or ""
        local claimants = {}
        for i, n in ipairs(names) do claimants[i] = n end
        if unattributed then claimants[#claimants + 1] = "unattributed" end
        ctx:emit{
          event = key.event,
          kind = "single_source", measure = key.measure, subject = key.subject,
          unit = key.unit, claims = ids, docs = docs, claimants = claimants,
          summary = string.format("only %s reports %s of %s %s%s", where, whose, figure,
                                  about, sub),
          details = { figure = figure, other_figures = #runs - 1, sources = total },
        }
      end
    end
  end
end

cc.rule{
  name = "single-source",
  description = "a figure reported by only one independent source",
  reads = { "claims", "findings" },
  after = { "derived-copies" },
  group_by = { "event", "measure", "subject" },
  setup = function(ctx) return Sources.load(ctx) end,
  -- a figure about no stored event, or alone in its group, is passed over
  each = U.each_population(check_set),
}
