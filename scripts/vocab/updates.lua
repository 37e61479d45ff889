-- Words that mark a figure as a revision of an earlier one, for lib/series.lua and the
-- updates rule: "the toll rose to 120" is the next figure in a series, not a
-- contradiction of "100 dead". Lower case, matched as whole words in the claim's
-- sentence. Each list says what the cue tells about the figure it marks:
--
--   up       the figure is higher than the one before ("rose to 120"); it must come
--            shortly before the number (within `window` characters) when the number is
--            written in digits, so a cue about another figure of the sentence does not
--            count
--   down     the same for a lower figure ("fell to 80")
--   up_after, down_after  the same, but the cue follows the number ("33, up from 27")
--   revised  the figure replaces an earlier one, either way ("revised", "updated"); it
--            may stand anywhere in the sentence
--   as_of    the figure stands at a date ("as of Friday", "so far"); a cue only when the
--            claim is dated after the other figure (and, for a cumulative measure, not
--            smaller): two undated figures "so far" are still a conflict
--
-- An analyst adds a cue to the list it belongs to; `cues` (all of up, down and revised)
-- is kept for rules that only ask whether a sentence has one.
local M = {
  up = {
    "rose to", "has risen to", "had risen to", "risen to", "rising to", "climbed to",
    "has climbed to", "climbing to", "increased to", "has increased to", "jumped to",
    "grew to", "has grown to", "swelled to", "mounted to", "reached", "has reached",
    "surpassed", "topped", "passed", "exceeded", "raised the toll to",
    "raising the toll to", "raised the death toll to", "raising the death toll to",
    "brings the total to", "bringing the total to", "brought the total to",
    "brings the toll to", "bringing the toll to", "brought the toll to",
    "brings the death toll to", "bringing the death toll to", "revised up",
    "revised upward", "revised upwards",
  },
  down = {
    "fell to", "has fallen to", "dropped to", "has dropped to", "declined to",
    "decreased to", "lowered to", "revised down", "revised downward",
    "revised downwards", "cut to",
  },
  -- cues that follow the figure they mark: "33 deaths, up from 27 a day earlier"
  up_after = { "up from" },
  down_after = { "down from" },
  revised = {
    "revised", "updated", "corrected", "now stands at", "now stood at", "stood at",
    "now at", "new toll", "latest toll", "new death toll", "latest death toll",
    "latest figure", "latest figures", "new figure", "new figures", "updated figure",
    "updated toll", "updated figures", "new estimate", "latest estimate",
  },
  as_of = {
    "as of", "so far", "to date", "thus far", "by now", "as it stands",
  },
  -- Characters allowed between an up/down cue and the number it marks.
  window = 40,
  -- Measures that only grow while an event goes on: a later date with a larger figure is
  -- an update even without a cue word.
  cumulative = { "killed", "wounded", "casualties", "captured", "rescued", "arrested",
                 "dead_or_missing" },
  -- Measures that count what stands at a moment (the missing, the displaced, the troops
  -- in place): a later figure replaces an earlier one whichever way it moves.
  stock = { "missing", "displaced", "deployed", "affected" },
}

M.cues = {}
for _, list in ipairs{ M.up, M.down, M.up_after, M.down_after, M.revised } do
  for _, c in ipairs(list) do M.cues[#M.cues + 1] = c end
end

return M
