-- Configuration for the demo: the shipped scripts, plus what the fictional event needs.
-- `make run` uses it as
--   crosscheck run examples/articles --config examples/crosscheck.lua
-- Copy this file next to your own articles to start a project of your own. require()
-- in a configuration outside scripts/ loads the shipped modules (vocab.gazetteer, ...).

-- The story's parties, for the entities plugin: the countries of the shipped gazetteer
-- plus the fictional ones.
local parties = require("vocab.gazetteer")
parties.veldmark = { "Veldmark", "Veldmark's", "Interior Ministry", "Interior Minister",
                     "Hallvard", "Civil Defence Agency", "Defence Ministry", "Tallow" }
parties.ostria = { "Ostria", "Ostrian", "Ostrians", "Ministry of Emergencies", "Brask" }
parties.red_crescent_veldmark = { "Red Crescent of Veldmark", "Red Crescent", "Fenn" }

return {
  scripts = "../scripts",
  -- measures and parties for claim assembly, merged over scripts/vocab
  vocabularies = { "vocabulary.lua" },
  plugins = {
    entities = { parties = parties },
  },
}
