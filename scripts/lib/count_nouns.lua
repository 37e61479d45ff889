-- lib/count_nouns.lua: the nouns that make a figure a head count, for the quantities
-- plugin's `count_nouns` option ("one miner", "a dozen civilians", "several rebels"): every
-- counted noun of vocab/units.lua and vocab/persons.lua, in the singular (the plugin
-- recognises the plural from it). One list, so that a noun added to the vocabulary is
-- also a noun the plugin counts.
local W = require("lib.words")
-- Nouns that name a source far more often than they count anyone: "a senior official
-- said" is no figure of one.
local SOURCES = { official = true, lawmaker = true, politician = true, diplomat = true,
                  delegate = true, spokesman = true, spokeswoman = true, member = true }
local out, seen = {}, {}
local function add(n)
  n = W.singular(n)
  if not seen[n] and not n:find(" ") and not SOURCES[n] then
    seen[n] = true
    out[#out + 1] = n
  end
end
local units = require("vocab.units")
local ids = {}
for id in pairs(units) do ids[#ids + 1] = id end
table.sort(ids)
for _, id in ipairs(ids) do
  for _, n in ipairs(units[id]) do add(n) end
end
for _, n in ipairs(require("vocab.persons")) do add(n) end
return out
