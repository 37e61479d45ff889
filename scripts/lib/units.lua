-- units.lua: splitting a group of claims into the sets that count the same people.
--
-- The claims of one event, measure and subject may count soldiers, officers, civilians,
-- or just "people" and bare numbers. Figures are comparable when they count the same
-- population: the same noun, or nouns of one class of vocab/populations.lua ("30 coal
-- miners" and "34 workers"). A figure with a generic noun or none ("56 were brought
-- out") counts whatever the other figures of the group count when they all count one
-- population; when they count several, it is compared only with the other generic ones.
--
--   local U = require("lib.units")
--   for _, set in ipairs(U.partition(group)) do   -- set.unit: the population's name
--     ... set.claims ...                           --   (nil: people in general)
--   end
local V = require("vocab.populations")

local U = {}

local generic, class_of = {}, {}
for _, n in ipairs(V.generic or {}) do generic[n] = true end
for name, nouns in pairs(V.classes or {}) do
  for _, n in ipairs(nouns) do class_of[n] = name end
end

-- The population a unit counts: a class name, the unit itself, or nil (generic).
function U.class(unit)
  if unit == nil or generic[unit] then return nil end
  return class_of[unit] or unit
end

-- The sets of a group of claims, in the order their first claim comes: {unit, claims}.
-- With one population, one set holding every claim (unit: that population, or the
-- generic claims' own unit when they all share it); with several, one set per
-- population plus one of the generic claims (unit nil) when there are any.
function U.partition(group)
  -- most groups count one population: find out before building any list
  local first, several = nil, false
  for i = 1, #group do
    local k = U.class(group[i].unit)
    if k ~= nil then
      if first == nil then first = k elseif k ~= first then several = true break end
    end
  end
  if not several then
    -- one population (the generic figures count it too) or only generic figures: the
    -- group as it is, in its id order
    local unit = first
    if unit == nil then
      unit = group[1] and group[1].unit
      for i = 2, #group do
        if group[i].unit ~= unit then unit = nil break end
      end
    end
    return { { unit = unit, claims = group } }
  end
  local order, by, gen = {}, {}, {}
  for i = 1, #group do
    local c = group[i]
    local k = U.class(c.unit)
    if k == nil then
      gen[#gen + 1] = c
    else
      local s = by[k]
      if not s then
        s = { unit = k, claims = {} }
        by[k] = s
        order[#order + 1] = s
      end
      s.claims[#s.claims + 1] = c
    end
  end
  if #gen > 0 then order[#order + 1] = { unit = nil, claims = gen } end
  return order
end

-- The `each` of a group rule grouped by { "event", "measure", "subject" } that judges
-- each population of a group on its own: check(ctx, key, claims, state) is called for
-- every set of U.partition, key.unit being the set's population. Claims of no event, and
-- groups of one claim (nothing to compare), are passed over.
--
-- Rules that share a grouping are handed the same group, one rule after another, so the
-- sets of the last group are kept and handed to the next rule as they are: check must
-- treat its key and claims as read-only.
local last_group, last_key, last_sets
function U.each_population(check)
  return function(ctx, key, group, state)
    if key.event == nil or #group < 2 then return end
    local sets = last_sets
    if group ~= last_group or key ~= last_key then
      sets = {}
      for i, set in ipairs(U.partition(group)) do
        sets[i] = { key = { event = key.event, measure = key.measure, subject = key.subject,
                            unit = set.unit }, claims = set.claims }
      end
      last_group, last_key, last_sets = group, key, sets
    end
    for i = 1, #sets do
      local set = sets[i]
      check(ctx, set.key, set.claims, state)
    end
  end
end

return U
