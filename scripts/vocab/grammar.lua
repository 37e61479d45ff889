-- The small words the assembler's grammar steps over between a figure, its noun, its
-- verb and its source (scripts/assemble.lua). Lower case, whole words. These are English
-- function words rather than an analyst's vocabulary, but they are data all the same:
-- a word added here changes what the assembler may cross.
return {
  -- between a figure's noun and the cue after it: "40 people were reported killed",
  -- "2,000 are still missing", "six people who had been feared dead"
  verb_group = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will",
    "would", "could", "may", "might", "must", "should", "can", "also", "reportedly",
    "now", "still", "already", "all", "only", "just", "feared", "believed", "reported",
    "confirmed", "presumed", "thought", "known", "said", "understood", "estimated",
    "listed", "officially", "later", "eventually", "subsequently", "either", "both",
    "who", "that", "which", "remain", "remained", "remains", "left", "seriously",
    "critically", "badly", "slightly", "fatally", "mortally", "lightly", "severely",
    "gravely", "so", "far", "yet", "to", "apparently", "initially", "allegedly",
    "probably", "likely", "certainly", "seem", "seemed", "seems", "certain", "expected",
    "themselves", "then", "each", "reported", "found", "instantly", "immediately",
    "got", "get", "went", "gone", "go", "today", "yesterday", "tonight", "overnight",
    "earlier", "currently", "presently", "altogether", "total",
  },
  -- adverbs that may follow a counted noun without being a second noun ("10,000
  -- residents ahead of the storm"); words ending in -ly are taken for adverbs too
  adverbs = { "ahead", "away", "abroad", "apart", "together", "alike", "home", "back",
              "nationwide", "worldwide", "instead", "here", "there", "ago", "too", "alone",
              "overnight", "tonight", "today", "yesterday", "tomorrow", "overseas",
              "aboard", "inside", "outside", "downstream", "upstream", "underground",
              "offshore", "onshore", "ashore", "nearby", "elsewhere", "annually", "each",
              "apiece", "altogether", "later", "earlier", "since", "still", "already" },
  -- negations inside that group: "no one was killed", "40 were not hurt"
  negation = { "not", "never", "no", "n't", "none", "nobody" },
  -- between a toll and its figure: "the death toll rose to 63", "casualties were put
  -- at 3,000", "a toll of 40", "the number of dead at 31"
  link = {
    "at", "to", "of", "was", "is", "were", "are", "stood", "stands", "rose", "risen",
    "rises", "climbed", "climbs", "reached", "reaches", "hit", "hits", "jumped", "jumps",
    "increased", "went", "gone", "up", "numbered", "numbers", "totalled", "totaled",
    "totals", "put", "puts", "now", "had", "has", "have", "been", "officially",
    "reported", "estimated", "an", "a", "some", "the", "its", "their", "his", "her",
    "climbing", "rising", "mounted", "grew", "swelled", "soared", "reaching", "being",
    "be", "would", "could", "may", "might", "will", "exceeded", "exceeds", "topped",
    "tops", "surpassed", "passed", "stood", "remained", "remains", "over", "by",
    "least", "more", "than", "nearly", "almost", "around", "about", "approximately",
    "already", "so", "far", "stands", "given", "high", "many", "total", "of",
    "another", "further", "additional", "revised", "raised", "lowered", "fell",
    "dropped", "down", "brought", "bringing", "took", "taking", "take", "takes",
  },
  -- a preposition that opens a phrase the grammar may step over after a figure's noun
  -- ("five people in a car were killed") or between a toll and its figure ("the toll
  -- in the village rose to 63")
  prepositions = {
    "in", "on", "at", "from", "inside", "aboard", "near", "around", "across", "along",
    "during", "after", "outside", "within", "among", "throughout", "under",
    "over", "of", "for", "by", "with", "against", "into", "towards", "toward", "through",
    "off", "beyond", "behind", "near", "per",
  },
  -- words that stand between a figure and its noun without being the noun: "40 more
  -- people", "12 other soldiers", "2,000 unarmed civilians"
  modifiers = {
    "more", "other", "others", "additional", "further", "new", "innocent", "unarmed",
    "armed", "young", "old", "elderly", "foreign", "local", "government", "army",
    "police", "rebel", "enemy", "regular", "civilian", "military", "security",
    "militia", "paramilitary", "opposition", "tribal", "ethnic", "active", "retired",
    "senior", "junior", "off-duty", "uniformed", "plainclothes", "suspected", "alleged",
    "fellow", "british", "of", "the", "its", "their", "his", "her", "these", "those",
    "whom", "them", "which", "innocent", "defenceless", "defenseless", "trapped",
    "stranded", "unidentified", "unnamed", "known", "confirmed", "former", "top",
    "leading", "prominent", "wealthy", "poor", "homeless", "injured", "wounded",
  },
  -- verbs of undergoing: the party before them is the one whose people the figure
  -- counts ("Eritrean troops suffered 2,500 casualties", "Eritrea lost 2,500 men")
  undergo = {
    "suffered", "suffer", "suffers", "suffering", "sustained", "sustain", "sustains",
    "lost", "lose", "loses", "losing", "incurred", "took", "had", "has", "have",
    "counted", "reported", "admitted", "seen", "saw", "sees", "see",
  },
  -- words that make a sentence one about fighting, for "men" as soldiers
  military = {
    "troops", "army", "armed", "military", "battle", "battlefield", "fighting", "fought",
    "offensive", "front", "war", "brigade", "division", "regiment", "battalion",
    "forces", "soldiers", "guerrillas", "rebels", "attack", "ambush", "clash", "clashes",
    "shelling", "counter-attack", "counterattack", "assault", "raid", "combat",
  },
  -- the nouns after "-strong" that make it a force ("a 4,000-strong force"; not "a
  -- 26-strong research unit")
  forces = { "force", "forces", "army", "contingent", "brigade", "garrison", "battalion",
             "division", "regiment", "militia", "column", "detachment", "unit", "units",
             "corps", "squadron", "company", "platoon", "task force", "expeditionary force",
             "guard", "troops", "fleet", "flotilla" },
  -- modifiers that keep a noun group military for the default measure ("500 combat
  -- troops"); any other word before the noun ("1,000 sales personnel") does not
  military_modifiers = { "combat", "ground", "elite", "fresh", "frontline", "front-line",
                         "reserve", "naval", "air", "army", "marine", "infantry",
                         "armoured", "armored", "special", "regular", "more", "additional",
                         "other", "extra", "foreign", "government", "rebel", "enemy",
                         "allied", "coalition", "federal", "national", "active-duty",
                         "uniformed", "armed", "paramilitary", "militia" },
  -- words that join a figure to the figure before it, so that the later one shares
  -- the earlier one's measure ("9,000 troops, including 400 officers")
  joiners = { "including", "among them", "of whom", "of which", "and", "as well as",
              "among whom", "plus" },
  -- words before an earlier or a cumulative figure of the same count ("31, up from 24 on
  -- Monday", "rose to 120 from 85", "1,245 new deaths, bringing the total to 56,000"):
  -- it shares the measure, noun and subject of the figure before it whatever follows it
  revisions = { "up from", "down from", "from", "revised from", "compared with",
                "compared to", "against", "after", "previously", "earlier",
                "bringing the total to", "bringing the toll to", "taking the total to",
                "taking the toll to", "raising the total to", "raising the toll to",
                "pushing the total to", "bringing the number to", "for a total of" },
  -- a sentence that opens with one of these goes on with the report of the sentence
  -- before it, and keeps its source
  continuations = { "there are", "there were", "there is", "of those", "of them",
                    "among them", "including", "another", "a further", "in addition" },
}
