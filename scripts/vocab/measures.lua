-- What a figure counts. Each measure lists cue phrases, lower case, matched as whole
-- words in the sentence around the figure; the longest cue wins where cues overlap, so
-- "killed or wounded" (casualties) beats "killed" (killed).
--
-- To add a measure, add a line: displaced = { "displaced", "fled their homes" },
return {
  casualties = { "killed or wounded", "killed and wounded", "killed or injured",
                 "killed and injured", "dead or wounded", "dead and wounded",
                 "dead or injured", "dead and injured", "casualties", "losses" },
  killed     = { "killed", "died", "dead", "deaths", "death toll", "fatalities",
                 "succumbed", "lost their lives", "perished", "deceased", "killing" },
  wounded    = { "wounded", "injured", "hurt" },
  captured   = { "captured", "taken prisoner", "taken captive", "prisoners of war",
                 "prisoner of war", "detained" },
  missing    = { "missing", "unaccounted for" },
  deployed   = { "deployed", "stationed", "assembled", "sent", "arrived", "are currently in",
                 "are in", "currently in", "present in", "there are", "there were",
                 "number of", "massed", "amassed", "dispatched" },
}
