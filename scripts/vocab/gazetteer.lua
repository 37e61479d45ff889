-- Gazetteer: the parties the entities plugin resolves names to, as one table
-- { id = { name, ... } }. The countries of vocab/countries.lua come first; then
-- vocab/parties.lua adds its agencies and people, extending a country's list when it
-- uses the same id (ukraine gets "Zelensky", united_states "White House") and adding
-- new ids as they are. A name already listed for an id is not repeated.
--
-- crosscheck.lua hands this table to the plugin as plugins.entities.parties. To add a
-- party for one project, extend vocab/parties.lua or build on this module in your own
-- configuration:
--   local g = require("vocab.gazetteer")
--   g.red_cross = { "Red Cross", "ICRC" }
local countries = require("vocab.countries")
local parties = require("vocab.parties")

local merged, seen = {}, {}

-- Copies, never the required tables themselves: require() caches them for other users.
local function add(id, names)
  local list, have = merged[id], seen[id]
  if not list then
    list, have = {}, {}
    merged[id], seen[id] = list, have
  end
  for _, name in ipairs(names) do
    if not have[name] then
      have[name] = true
      list[#list + 1] = name
    end
  end
end

for id, names in pairs(countries) do
  add(id, names)
end
for id, names in pairs(parties) do
  add(id, names)
end

return merged
