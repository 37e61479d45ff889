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
  -- The bodies of a state that news names without their country ("the army said",
  -- "police said"): such a source is the party the article is about, when one party
  -- is named more often than any other in it; its words stay in claimant_text.
  institutions = { "army", "military", "armed forces", "government", "high command",
                   "military high command", "military command", "defence ministry",
                   "defense ministry", "interior ministry", "foreign ministry",
                   "home ministry", "war ministry", "information ministry", "police",
                   "national police", "navy", "air force", "authorities", "officials",
                   "military officials", "government officials", "military authorities",
                   "security forces", "president", "prime minister", "cabinet",
                   "state radio", "state television", "state media", "news agency",
                   "official news agency", "state news agency", "war communique",
                   "military communique", "communique", "bureau for information",
                   "military spokesman", "army spokesman", "government spokesman",
                   "police spokesman", "spokesman", "presidential palace",
                   "parliament", "ministry" },
}
