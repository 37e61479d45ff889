-- events.lua: how documents are grouped into events (docs/events.md).
--
-- An event is one incident (the ferry that capsized, the offensive, the earthquake)
-- reported by one or more documents over hours or days. After extraction, crosscheck
-- puts every new document into an event: documents are compared by the words they
-- share (weighted so that rare words and names count most), their near-copies found by
-- the fingerprint plugin's MinHash, and their publication dates; then documents and
-- events are merged while the average similarity between their documents stays at or
-- above `join`. Events already stored keep their documents and only grow.
--
-- Then each figure gets its event: its document's, unless the figure is dated well
-- before that event began (a past disaster a story recalls, an earlier raid), in which
-- case it goes to the stored event of that date whose documents share its sentence's
-- words, or to none.
--
-- Every value can be changed here (or in a copy named by `events = "..."` in the
-- configuration) without rebuilding anything.
return {
  -- Two documents whose publication dates lie further apart than this never share an
  -- event (documents without a date are compared with all).
  window_days = 5,

  -- A pair's similarity shrinks by this share for each day between their dates.
  decay_per_day = 0.1,

  -- Average similarity (0..1) between the documents of two groups needed to merge them.
  join = 0.2,

  -- Words kept per document: the highest weighted, after the stop words below.
  words = 60,

  -- Weights of a word by where it stands and how it is written.
  weights = {
    title = 2.0,        -- in the headline (an all-capitals headline is read in lower case)
    lead = 1.0,         -- in the first `lead_bytes` of the text
    rest = 0.5,         -- further on
    name = 1.5,         -- multiplies a word capitalised inside a sentence (a name)
    copy = 1.0,         -- multiplies the MinHash similarity of near-copies
  },
  lead_bytes = 2000,

  -- Rare words weigh more (inverse document frequency). The database is treated as if it
  -- held this many more documents that lack every word, so a word shared by most of a
  -- small archive still counts; on a large archive it makes little difference.
  prior_docs = 1000,

  -- A word in more than this share of the documents (and more than 200 of them) does not
  -- propose candidates, which keeps grouping linear in the archive.
  common_share = 0.02,

  -- A figure dated more than this many days before its event's first document is about
  -- another incident.
  earlier_days = 2,
  -- How much of the words of such a figure's sentence another event must share (cosine,
  -- 0..1) for the figure to be placed in it.
  claim_join = 0.08,

  -- Words that say nothing about which incident a story reports.
  stop_words = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
    "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
    "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my",
    "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "yours", "yourself", "yourselves",
    -- reporting verbs and time words every story has
    "said", "says", "say", "told", "according", "reported", "added", "mr", "mrs", "ms",
    "new", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "year", "years", "day", "days", "week", "weeks", "month", "months", "time", "times",
    "people", "may", "might", "must", "shall", "last", "first", "since", "still",
    "even", "many", "much", "well", "back", "yesterday", "today", "tomorrow", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "reuter", "reuters", "pct", "mln", "dlrs", "billion",
    "million", "percent", "per", "cent", "just", "like", "get", "got", "make", "made",
    "according", "including", "around", "another", "among", "later", "earlier",
  },
}
