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
  if #order == 0 then
    local unit = gen[1] and gen[1].unit
    for i = 2, #gen do
      if gen[i].unit ~= unit then unit = nil break end
    end
    return { { unit = unit, claims = gen } }
  end
  if #order == 1 then
    if #gen == 0 then return order end
    -- the generic figures count that population: keep the group's id order
    return { { unit = order[1].unit, claims = group } }
  end
  if #gen > 0 then order[#order + 1] = { unit = nil, claims = gen } end
  return order
end

-- The `each` of a group rule grouped by { "event", "measure", "subject" } that judges
-- each population of a group on its own: check(ctx, key, claims, state) is called for
-- every set of U.partition, key.unit being the set's population. Claims of no event, and
-- groups of one claim (nothing to compare), are passed over.
function U.each_population(check)
  return function(ctx, key, group, state)
    if key.event == nil or #group < 2 then return end
    for _, set in ipairs(U.partition(group)) do
      check(ctx, { event = key.event, measure = key.measure, subject = key.subject,
                   unit = set.unit }, set.claims, state)
    end
  end
end

return U
