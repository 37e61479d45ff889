-- Words that attribute a statement or figure to someone (lower case, whole words).
-- `verbs` follow the claimant ("Ukraine estimates", "the ministry said");
-- `before_source` precede it ("according to the ministry"); `citing` names the
-- original source, which then wins over the speaker ("a lawmaker, citing the NIS, said").
return {
  verbs = { "said", "says", "say", "stated", "states", "estimated", "estimates",
            "estimate", "confirmed", "confirms", "claimed", "claims", "told", "reported",
            "reports", "noted", "noting", "announced", "revealed", "put the number",
            "had data", "has data", "believes", "assessed", "assesses", "warned" },
  before_source = { "according to" },
  citing = { "citing", "quoting" },
}
