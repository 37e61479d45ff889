-- Configuration for the demo: the shipped scripts, plus the vocabulary of the fictional
-- event in vocabulary.lua. `make run` uses it as
--   crosscheck run examples/articles --config examples/crosscheck.lua
-- Copy this file next to your own articles to start a project of your own.
return {
  scripts = "../scripts",
  vocabularies = { "vocabulary.lua" },
}
