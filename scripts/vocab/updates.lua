-- Words that mark a figure as a revision of an earlier one, for the updates rule: "the
-- toll rose to 120" is the next figure in a series, not a contradiction of "100 dead".
-- Lower case, matched as whole words in the claim's sentence.
return {
  cues = {
    "rose to", "has risen to", "had risen to", "risen to", "climbed to", "has climbed",
    "increased to", "jumped to", "grew to", "has grown to", "reached", "has reached",
    "now stands at", "stood at", "now at", "revised", "revised up", "revised down",
    "raised the toll", "raising the toll", "raised the death toll", "brings the total",
    "bringing the total", "bringing the toll", "bringing the death toll", "updated",
    "as of", "so far", "to date", "surpassed", "topped", "new toll", "latest toll",
    "fell to", "dropped to", "lowered", "corrected",
  },
  -- Measures that only grow while an event goes on: a later date with a larger figure is
  -- an update even without a cue word.
  cumulative = { "killed", "wounded", "casualties", "captured", "missing", "displaced" },
}
