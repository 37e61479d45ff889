/*
 * attribution: who each statement or figure in an article's title and body is attributed
 * to ("Hungary estimates", "a senior US official said", "according to the Foreign
 * Intelligence Directorate", "A Finnish lawmaker, citing intelligence reports,
 * stated").
 *
 * Input. The "entity" mentions of an earlier plugin: start/end = a party's name as
 * written, value = the party id, attrs {"adjective": true|false, "possessive": ...}.
 * This plugin only finds the attributing words and the source phrase; which party a
 * phrase names comes from the entity mentions inside it.
 *
 * Output. One mention of kind "attribution" per attribution in a title/body sentence:
 * start/end = the attributing words, from the source phrase to the cue ("Hungary
 * estimates", "Jane Roe, spokesperson for the ministry, commented",
 * "according to US and Hungarian officials", for an inverted cue "said the ministry");
 * value = the claimant party id or NULL; attrs
 *   {"cue": "said", "kind": "verb|nominal|estimates_suggest|put_the_number|passive|
 *            according_to|citing|address",
 *    "source_text": "...", "source_start": N, "source_end": N,
 *    "speaker": "party"|null, "sentence": N|null, "scope_start": N, "scope_end": N,
 *    "pronoun": true|false
 *    [, "source_id": "interior_ministry"]   the source names no party (below)
 *    [, "parties": ["a", "b"]]        several parties named side by side in the source
 *    [, "speaker_text": "...", "speaker_start": N, "speaker_end": N, "verb": "stated"]
 *                                     citing/quoting: the speaker who cites
 *    [, "negated": true] [, "inverted": true] [, "inherited": true]
 *    [, "refers_back": true] [, "audience": true]}
 *
 *  - source_id: present when value is null and the source is not a personal pronoun: a
 *    stable id for a claimant outside the gazetteer, made from the head of the source
 *    phrase. The head ends at the first comma, bracket or dash ("Jan Smithers, a nurse"
 *    -> jan_smithers), preposition, relative pronoun or conjunction ("the governor of X
 *    province" -> governor, "a nurse who ..." -> nurse), participle or time word after
 *    the first word ("the statement issued by ..." -> statement, "Smith earlier this
 *    month", "Smith last week" -> smith); an initial or an abbreviated title before a
 *    name is left out with its dot ("Dr. Jane Roe" -> jane_roe, "R. Smith" -> smith,
 *    "Mr. de Leon" -> de_leon).
 *    Determiners, quantifiers, numbers,
 *    adverbs, vague adjectives (senior, top, unnamed, local, ...), hyphenated modifiers
 *    ("U.S.-led", "state-run") and company suffixes (Ltd, Inc, Corp, ...) are dropped;
 *    a document speaks for its author ("a statement from the Red Cross" -> red_cross,
 *    "a police statement" -> police, "a high command communique" -> high_command); a possessive 's goes; a name of two or more
 *    capitalised words after a lower-case title is kept alone ("Acme spokesman Jan
 *    Novak" -> jan_novak), as is one after a capitalised title of name_titles ("House
 *    Speaker John Doe", "Senator Jane Q. Roe" -> jane_roe); at most the last four words
 *    are kept, ASCII lower-cased,
 *    joined by '_', other punctuation inside a word becoming '_' ("the interior ministry"
 *    -> interior_ministry, "Senior officials" -> officials, "The Red Crescent" ->
 *    red_crescent, "the high command" -> high_command). source_text stays the words as
 *    written. A pronoun source that is a description ("the agency") has one too, for an
 *    assembler that finds nothing to carry over.
 *  - refers_back: a definite description with no party of its own ("the high command",
 *    "the ministry") took the party of the latest earlier source in the document whose
 *    head (its source_id words) ends with the same words ("Mali's military high command",
 *    "Peru's health ministry"); value and speaker are that party and pronoun is false.
 *  - A party inside a company's name ending in Ltd, Inc, Corp, ... ("Gold Mines of Ghana
 *    Ltd") is not the claimant; "<Acme Corp>" (a wire's company tag) is read
 *    without its angle brackets, and a ticker tag after a name ("Acme Mining Inc. <ACM>")
 *    stays out of the source; a dot right after a short capitalised word inside the
 *    sentence ("Inc.", "Mr.", "Sen.", "J.", not "R-Calif.") is an abbreviation and does
 *    not end a source phrase. Read backwards, a title before a name starts the source
 *    ("critics like Mr. Smith said" -> "Mr. Smith", "Washington Gov. Jay Inslee said"
 *    -> "Gov. Jay Inslee": the words before the title modify it and name no claimant);
 *    before an initial only the rest of the name comes ("Jacob J. Lew").
 *  - audience: "a government inquiry was told" (kind passive, no "by"; not "truth be
 *    told", and only with words before the be-form): the subject is
 *    the audience and the speaker goes unnamed. The attribution has no source
 *    (source_text null, no source_id, value null), so that the sentence's figures are
 *    nobody's claim rather than the audience's; span = the audience and the cue.
 *  - An apposition that names parties none of which counts ("John Carter, one of the
 *    leading British experts on Kenya, said") leaves the name before it as the whole
 *    source_text, so no party of the apposition is read as the claimant later.
 *  - "X quoted Y as saying" is a citing attribution: the source is Y, the speaker X (as
 *    for "citing"); "X was quoted as saying" is a verb cue of X.
 *  - A source after "which", "whom" or "who" ("the fire, which Mayor Ortiz said was
 *    started on purpose") governs the relative clause only: scope_start is the relative
 *    pronoun. When what follows the relative pronoun is no speaker ("a nurse who worked
 *    at the crash site said"), the noun before it is the source's head and the clause
 *    names no claimant.
 *  - Not sources: a phrase starting with a preposition (a reduced relative: "on advances
 *    Tehran reported" -> the name before the cue, "Tehran"); a participle after a noun that
 *    never speaks ("the highest number of casualties reported since", "losses", "deaths",
 *    "toll", "figures"...); a cue after a determiner and an adverb ("a previously
 *    reported 85"); an event or thing whose head (the word before the first preposition
 *    or relative pronoun) is one of event_heads ("the tremor which claimed 300 lives",
 *    "the fire claimed 12 lives": no attribution).
 *  - Text in capitals (a headline): cues match without regard to case ("CHAD SAYS"), as
 *    all words do; a capitalised noun marker ("News" in "China Legal News reported") only
 *    makes a cue a noun at the start of a sentence or in a sentence in capitals.
 *
 *  - kind "citing": "X, citing Y, said" / "X said ..., citing Y" / "Citing Y, X said".
 *    The claimant (value, source_*) is Y; speaker and speaker_* are X. When Y names no
 *    party ("citing intelligence reports"), value falls back to the speaker's party.
 *  - pronoun is true when the source names no party and is a pronoun or a definite
 *    description ("he", "the agency", "the president", "officials"): the assembler
 *    carries the previous claimant over. A source with no party that is not anaphoric
 *    ("some experts", a blog) has pronoun false. A definite description is anaphoric
 *    when its head is one noun ("the agency", "the president") or one after an
 *    institution ("the company spokesman"); "the interior ministry" or "the high
 *    command" name a source of their own (pronoun false, a source_id) unless
 *    refers_back finds their party. A description of a medium ("the newspaper", "the
 *    magazine", "the agency", see media_heads) right after a source that is a person (a
 *    head in person_heads, or a name of two capitalised words without a determiner; "he"
 *    and "she" do not count) names a source of its own: pronoun false, source_id
 *    "newspaper" ("..., the magazine reported." after "analyst John Doe said").
 *  - inherited: a participle after a comma ("..., noting that ...") takes the source of
 *    the attribution before it in the same clause, or else the name at the start of the
 *    clause; its span is the participle alone. Without a comma a participle is no cue.
 *  - inverted: "..., said the ministry." / "'...,' said Smith": the cue right after a
 *    comma, quotation mark or dash and a name or determiner phrase after it.
 *  - negated: "has not confirmed", "didn't say".
 *  - scope: the part of the sentence the attribution governs. The sentence is split at
 *    ", while", ", whereas", ", but" and ";" only when more than one of its clauses holds
 *    an attribution; each attribution then governs its clause and the clauses without
 *    attributions after it (the first one also those before it). Then: a source right
 *    after ", and" or ", but" whose scope starts before it, where the words before the
 *    comma hold a finite verb (a be-form, an auxiliary, a cue, a past tense in -ed or
 *    one of past_irregular), starts its scope at the conjunction ("900 soldiers have
 *    died since 1990, and Jones announced ..." does not govern the 900); a cue that also
 *    takes a noun object (noun_object_cues) followed by one ("announced a programme",
 *    "reported its ...") ends its scope at the first "which" or "who" after it (the comma
 *    before it included), unless "that" or another cue comes first ("Peru announced a
 *    relief programme after the flood which killed 120" does not govern the 120).
 *  - A comma right before the cue after adverbs or a day ("on Monday") is skipped with
 *    them only in a pair (", however, said"); when an aside that a comma opens ends in
 *    them ("Smith, speaking from the palace on Monday, said"), the cue stays after its
 *    comma and the aside is read as an apposition or a parenthetical.
 *
 * Design. A hand-written scanner, like quotes: each sentence is cut into tokens (words
 * with inner apostrophes, hyphens, dots and digit commas; single punctuation marks),
 * tokens are mapped to the entity mention that covers them, and cue phrases are matched
 * on whole words, longest first. Source phrases are read from the cue outward: backwards
 * for "X said" (adverbs and auxiliaries skipped, at most 12 words, stopping at clause
 * punctuation, conjunctions, relative pronouns and auxiliaries, crossing a comma only
 * inside a list of party names or around an apposition/parenthetical right before the
 * cue), forwards for "according to X", "citing X", "said X" and "reported by X". The
 * claimant is the first party in the head of the phrase: entities after "to", "on",
 * "about", "against", ... or an -ing participle ("the panel investigating the Iran
 * affair") or inside a hyphenated modifier ("the U.S.-led coalition") never count,
 * entities after "of", "for", "in", ... only when the head has none, and an adjective before a counted noun ("Chinese soldiers") or a currency
 * ("Swiss francs") is not a source. A phrase read backwards stops at a number.
 *
 * Noun readings. A verb cue right after a determiner, preposition or object pronoun
 * ("on reports", "the estimates", "to say", "let me say"), an ordinal after a determiner
 * ("the first confirmed case") or a be-form ("has been reported", unless "by X" follows:
 * kind passive) attributes nothing. Cues that are as often nouns ("states", "claims",
 * "reports", "estimates", "notes") need a party, a pronoun or an institution noun
 * ("the ministry") as source, or "that" after them. A noun-like cue right before another
 * cue is part of that cue's source ("military estimates however, put the number").
 *
 * Vocabulary. Cue lists come from the plugin options "verbs.N", "according_to.N" and
 * "citing.N" (each replaces its built-in list). A verb phrase starting with "put" is a
 * put_the_number cue, as is "put" with "at" and a figure within seven words ("put Iraqi
 * losses at 3,000"), one of two or more words ending in suggest/show/indicate an
 * estimates_suggest cue ("Red Cross figures show", "estimates indicate"); the built-in
 * according_to list also holds "figures from", "data from", "statistics from", "figures
 * released by", and "according to figures from X" is one cue whose source is X;
 * "estimates" right after an adjective party ("Hungarian estimates") is kind nominal.
 * "was quoted as saying", "X quoted Y as saying" and "in his/her/their address" (kind
 * address, only when nothing else attributes the clause) are built in.
 *
 * Threads. The state (the three phrase lists) is read-only after init(); extract() owns
 * its scratch (tokens, cues, attributions, entity list, JSON buffer) and frees it.
 */
#include <crosscheck/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wordset.h"

/* ------------------------------------------------------------------------------------ */
/* Word lists                                                                            */

static const char *const default_verbs[] = {
    "said", "says", "say", "stated", "states", "told", "tells", "added",
    "estimated", "estimates", "estimate", "confirmed", "confirms", "claimed", "claims",
    "reported", "reports", "noted", "notes", "noting", "announced", "announces",
    "revealed", "reveals", "believes", "assessed", "assesses", "warned", "warns",
    "commented", "wrote", "writes", "asserted", "explained", "insisted", "adding",
    "saying", "stating", "claiming", "warning", "complained", "complains", "alleged",
    "alleges", "acknowledged", "acknowledges", "disclosed", "declared",
    "put the number", "put the figure",
    "put the toll", "put the death toll", "had data", "has data", "have data",
    "estimates suggest", "estimate suggest", "estimates show", "estimates indicate",
    "figures show", "figures showed", "figures indicate", "figures indicated",
    "figures suggest", "data show", "data showed", "statistics show", "statistics showed",
    NULL
};
static const char *const default_according[] = {
    "according to", "figures from", "data from", "statistics from", "figures released by",
    "figures issued by", NULL
};
static const char *const default_citing[] = { "citing", "quoting", NULL };

/* Between the source and the cue: skipped. */
static const char *const adverbs[] = {
    "also", "however", "recently", "reportedly", "previously", "earlier", "later", "now",
    "already", "then", "still", "first", "again", "further", "separately", "too",
    "publicly", "officially", "initially", "repeatedly", "yesterday", "today", "tonight",
    "himself", "herself", "itself", "themselves", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "once", "since", "even", "just", NULL
};
static const char *const not_ly_adverbs[] = {
    "family", "ally", "assembly", "supply", "rally", "italy", "july", "anomaly",
    "monopoly", "only", "daily", "weekly", "monthly", "elderly", NULL
};
static const char *const auxiliaries[] = {
    "has", "have", "had", "did", "does", "do", "will", "would", "could", "can", "may",
    "might", "should", "must", "shall", NULL
};
static const char *const be_forms[] = {
    "is", "are", "was", "were", "be", "been", "being", NULL
};
static const char *const weekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};
static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", NULL
};

/* A word right before a cue that makes the cue a noun or an infinitive ("on reports",
 * "the estimates", "to say"). */
static const char *const noun_markers[] = {
    "the", "a", "an", "this", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "to", "on", "of", "in", "for", "with", "about", "from", "at", "by", "under",
    "into", "over", "such", "new", "latest", "recent", "previous", "any", "no", "some",
    "many", "several", "unconfirmed", "initial", "news", "me", "him", "them", NULL
};
static const char *const ordinal_markers[] = { "first", "only", "initial", "latest", NULL };
static const char *const determiners[] = {
    "the", "a", "an", "this", "these", "those", "its", "his", "her", "their", "our", NULL
};

/* A cue that may also be a noun; right before another cue it is part of that cue's
 * source ("military estimates however, put the number"). */
static const char *const nominal_cues[] = { "estimates", "estimate", "reports", "claims", NULL };
/* Cues that are as often nouns ("sovereign states", "the notes"): without a party or a
 * pronoun in the source, or "that" after them, they attribute nothing. */
static const char *const ambiguous_cues[] = {
    "states", "claims", "reports", "estimates", "estimate", "notes", NULL
};

/* Words that end a source phrase read backwards. */
static const char *const stop_back[] = {
    "that", "which", "who", "whom", "whose", "while", "whereas", "when", "where",
    "because", "but", "although", "though", "if", "since", "after", "before", "than", "as",
    "so", "once", "until", "unless", "whether", "is", "are", "was", "were", "be", "been",
    "being", "has", "have", "had", "will", "would", "can", "could", "should", "may",
    "might", "must", "did", "does", "do", "not", "also", "there", "then", "here",
    "however", "neither", "nor", "what", "how", "why", NULL
};
/* Words that end a source phrase read forwards (after the first word). */
static const char *const stop_fwd[] = {
    "that", "which", "who", "whom", "whose", "while", "whereas", "when", "where",
    "because", "but", "although", "though", "if", "since", "after", "before", "than", "as",
    "so", "once", "until", "unless", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "can", "could", "should", "may", "might", "must",
    "did", "does", "do", "not", "on", "at", "during", "yesterday", "today", "tonight",
    "earlier", "recently", "last", "this", "there", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "however", "said", "says", "show", "shows",
    "showed", NULL
};
static const char *const trailing_junk[] = {
    "and", "or", "of", "the", "a", "an", "in", "for", "with", "from", "to", "by", NULL
};
/* A chunk ", X," before a cue that starts with one of these is a parenthetical, not an
 * apposition: it stays out of source_text. */
static const char *const parenthetical_starts[] = {
    "which", "who", "whom", "whose", "when", "where", "on", "in", "at", "during", "after",
    "before", "earlier", "later", "meanwhile", "however", "also", "though", "too",
    "speaking", "while", "as", "for", "in", "yesterday", "today", NULL
};
/* Prepositions inside a source: a party after a soft one counts only when the head
 * names none ("officials in Kyiv", "spokesperson for the National Defence Council");
 * a party after a hard one never does ("the ambassador to Ukraine"). */
static const char *const soft_preps[] = { "of", "for", "in", "at", "from", "within", "inside", NULL };
static const char *const hard_preps[] = {
    "to", "on", "about", "against", "over", "into", "toward", "towards", "with", "than",
    "near", "despite", "regarding", "versus", "vs", "by", NULL
};
/* Nouns counted in reports: an adjective party before one is the subject of a figure,
 * never a source ("Chinese soldiers"). */
static const char *const counted_nouns[] = {
    "soldier", "soldiers", "troop", "troops", "fighter", "fighters", "servicemen",
    "serviceman", "personnel", "casualties", "losses", "prisoner", "prisoners", "pows",
    "deaths", "dead", "civilians", "people", "men", "children", "refugees",
    /* currencies: "Swiss francs" is money, not the Swiss speaking */
    "franc", "francs", "dollar", "dollars", "yen", "mark", "marks", "pound", "pounds",
    "lira", "lire", "peso", "pesos", "rupee", "rupees", "riyal", "riyals", "dinar",
    "dinars", "crown", "crowns", "krona", "kronor", "rand", "yuan", "won", NULL
};
static const char *const pronouns[] = {
    "he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "their", "its", NULL
};
static const char *const definite[] = { "the", "this", "that", "these", "those", NULL };
static const char *const anaphoric_nouns[] = {
    "officials", "authorities", "spokesman", "spokeswoman", "spokesperson", "sources", NULL
};
static const char *const subject_pronouns[] = {
    "he", "she", "they", "we", "i", "it", "you", NULL
};
/* Heads of a source that speaks for an institution ("the ministry estimates"). */
static const char *const institution_heads[] = {
    "agency", "ministry", "military", "army", "government", "service", "office", "official",
    "officials", "intelligence", "president", "spokesman", "spokeswoman", "spokesperson",
    "department", "directorate", "council", "command", "police", "authorities", "sources",
    "minister", "staff", "forces", "embassy", "kremlin", NULL
};
/* Words left out of a source_id: determiners, quantifiers and vague adjectives ("the",
 * "some", "senior", "unnamed"). */
static const char *const sid_drop[] = {
    "the", "a", "an", "this", "these", "those", "that", "its", "his", "her", "their",
    "our", "my", "your", "some", "many", "several", "all", "both", "few", "various",
    "other", "another", "each", "most", "any", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "dozen", "dozens", "senior", "top", "high-ranking",
    "highly-placed", "high-level", "unnamed", "unidentified", "anonymous", "certain",
    "informed", "well-informed", "reliable", "knowledgeable", "local", "same",
    "unofficial", "responsible", NULL
};
/* Where the head of a source ends: prepositions, relative pronouns, conjunctions
 * ("the governor of X province", "a nurse who ...", "police and ..."). */
static const char *const sid_stop[] = {
    "of", "for", "in", "at", "from", "within", "inside", "to", "on", "about", "against",
    "over", "into", "toward", "towards", "with", "than", "near", "despite", "regarding",
    "versus", "vs", "by", "who", "whom", "whose", "which", "that", "and", "or", "but",
    "representing", "speaking", "quoted", "contacted", "monitored", "received", "citing",
    "quoting", "according", "last", "next", NULL
};
/* Heads that are never speakers: a source ending in one is a noun phrase a participle
 * describes ("the highest number of casualties reported since"), not an attribution. */
static const char *const mute_heads[] = {
    "casualties", "losses", "deaths", "dead", "toll", "tolls", "figure", "figures",
    "number", "numbers", "injuries", "damage", "bodies", "victims", "total", NULL
};
/* Heads of a definite description that names a medium ("the newspaper reported"): it
 * points back to an earlier medium, never to a person. */
static const char *const media_heads[] = {
    "newspaper", "newspapers", "paper", "daily", "magazine", "weekly", "journal", "radio",
    "television", "tv", "agency", "station", "broadcaster", "network", "newsletter",
    "monthly", NULL
};
/* Heads of a source that is a person ("the analyst", "Jane Doe"); "he" and "she" only
 * carry an earlier source over, so they are not counted. */
static const char *const person_heads[] = {
    "analyst", "analysts", "spokesman", "spokeswoman", "spokesperson", "minister",
    "president", "economist", "economists", "director", "chairman", "chairwoman",
    "executive", "secretary", "governor", "senator", "leader", "commander", "general",
    "chief", "manager", "expert", "experts", "official", "officials", "ambassador",
    "trader", "traders", "dealer", "dealers", "banker", "bankers", "premier", "mayor",
    NULL
};

/* Titles written before a person's name, left out of a source_id ("Senator Jane Roe"
 * -> jane_roe). */
static const char *const name_titles[] = {
    "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
    "speaker", "justice", "judge", "president", "secretary", "minister", "chancellor",
    "chairman", "chairwoman", "general", "gen", "capt", "captain", "lt", "col", "colonel",
    "agent", "bishop", "mayor", "attorney", "commander", "spokesman", "spokeswoman",
    "director", "chief", "officer", "ambassador", NULL
};

/* Events and things that claim lives but never speak ("the tremor which claimed 300
 * lives", "the fire claimed 12 lives"): a source whose head is one is no source. */
static const char *const event_heads[] = {
    "tremor", "tremors", "quake", "quakes", "earthquake", "earthquakes", "fire", "fires",
    "blaze", "blast", "blasts", "explosion", "explosions", "storm", "storms", "hurricane",
    "typhoon", "cyclone", "tornado", "flood", "floods", "flooding", "attack", "attacks",
    "crash", "crashes", "disaster", "war", "violence", "fighting", "bombing", "bombings",
    "accident", "collision", "epidemic", "outbreak", "avalanche", "landslide", "eruption",
    "clashes", "riot", "riots", "disease", "famine", "drought", "shelling", "raid", "raids",
    "offensive", "massacre", "tragedy", "sinking", "derailment", "pandemic", "virus",
    "coronavirus", "covid", "covid-19", "illness", "heatwave", "mudslide", "mudslides",
    "tsunami", "strike", "strikes", "airstrike", "airstrikes", "shooting", "shootings",
    "stampede", "conflict", "unrest", "insurgency", "cholera", "ebola", "plague", NULL
};
static const char *const personal_pronouns[] = {
    "he", "she", "they", "it", "we", "i", "you", "him", "them", "us", "one", NULL
};

/* Documents that speak for whoever issued them ("a statement from the ministry"). */
static const char *const document_nouns[] = {
    "statement", "statements", "communique", "communiques", "report", "bulletin",
    "release", "announcement", "broadcast", "dispatch", NULL
};

/* Company suffixes: a party inside a company's name ("Gold Mines of Ghana Ltd")
 * is not the claimant; they are left out of a source_id. */
static const char *const company_suffixes[] = {
    "ltd", "inc", "corp", "co", "plc", "llc", "ag", "nv", "bv", "gmbh", "limited",
    "corporation", "incorporated", "bhd", "pty", NULL
};

/* Before the head of a definite description that still points back ("the company
 * spokesman", "the ministry's statement"). */
static const char *const anaphor_modifiers[] = {
    "company", "firm", "bureau", "agency", "ministry", "military", "army", "government",
    "police", "embassy", "department", "office", "council", "command", NULL
};

static const char *const inverted_extra[] = {
    "said", "says", "wrote", "writes", "adds", "notes", "warns", NULL
};
static const char *const address_owners[] = { "his", "her", "their", "its", NULL };
/* After "put ... at": a figure follows ("at least", "at about 200", "at three"). */
static const char *const put_at_next[] = {
    "least", "about", "around", "some", "more", "over", "nearly", "almost", "roughly",
    "approximately", "up", "between", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "a", "several", "dozens", "hundreds", "thousands", NULL
};

/* ------------------------------------------------------------------------------------ */
/* Text helpers                                                                          */

static int lc(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int eq_ci(const char *s, size_t len, const char *lit)
{
    /* no strlen: most literals differ from s in their first letters */
    for (size_t i = 0; i < len; i++)
        if (!lit[i] || lc((unsigned char)s[i]) != lc((unsigned char)lit[i]))
            return 0;
    return lit[len] == '\0';
}

static int in_list(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (eq_ci(s, len, *list))
            return 1;
    return 0;
}

static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

static uint32_t utf8_cp(const char *s, size_t i, size_t end, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t l = utf8_len(u[i]);
    if (i + l > end)
        l = 1;
    for (size_t k = 1; k < l; k++)
        if ((u[i + k] & 0xC0) != 0x80)
            l = 1;
    *n = l;
    switch (l) {
    case 2: return ((uint32_t)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F);
    case 3: return ((uint32_t)(u[i] & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                   (u[i + 2] & 0x3F);
    case 4: return ((uint32_t)(u[i] & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
                   ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F);
    default: return u[i];
    }
}

static int cp_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
           cp == '\v' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static int cp_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp_space(cp))
        return 0;
    /* Latin-1 punctuation and symbols, general punctuation, CJK/fullwidth punctuation */
    if ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7)
        return 0;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F))
        return 0;
    return 1;
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

/* ------------------------------------------------------------------------------------ */
/* State: the cue phrases                                                                */

#define MAXW 8
#define MAXP 4
#define SID_MAX 48        /* bytes of a source_id with its NUL */
#define SID_WORDS 4       /* words of the head kept in a source_id */
#define HIST 16           /* earlier sources a definite description may refer to */

enum { K_VERB, K_SUGGEST, K_PUT };
enum { L_VERB, L_ACC, L_CIT, L_QUOTED, L_ADDR };

typedef struct phrase {
    char *buf;                /* lower-case copy, words NUL-separated */
    const char *w[MAXW];
    size_t wl[MAXW];
    size_t n;
    int kind;
} phrase_t;

/* A list of phrases with an index by first word: the phrases whose first word hashes to
 * bucket b are head[b], next[head[b]], ... (indexes + 1; 0 ends), in list order. */
typedef struct plist {
    phrase_t *p;             /* owned, with each phrase's buf */
    size_t n;
    uint32_t *head, *next;   /* owned */
    size_t nb;               /* buckets: a power of two */
} plist_t;

typedef struct astate {
    const cc_host_t *host;
    plist_t verbs, acc, cit;
} astate_t;

static int phrase_parse(phrase_t *p, const char *text)
{
    memset(p, 0, sizeof *p);
    size_t len = strlen(text);
    p->buf = malloc(len + 1);
    if (!p->buf)
        return -1;
    for (size_t i = 0; i <= len; i++)
        p->buf[i] = (char)lc((unsigned char)text[i]);
    size_t i = 0;
    while (i < len) {
        while (i < len && (p->buf[i] == ' ' || p->buf[i] == '\t'))
            p->buf[i++] = '\0';
        if (i >= len)
            break;
        if (p->n == MAXW) {
            p->n = 0;     /* too long: ignored */
            break;
        }
        p->w[p->n] = p->buf + i;
        size_t st = i;
        while (i < len && p->buf[i] != ' ' && p->buf[i] != '\t')
            i++;
        p->wl[p->n++] = i - st;
    }
    p->kind = K_VERB;
    if (p->n >= 2 && eq_ci(p->w[0], p->wl[0], "put"))
        p->kind = K_PUT;
    else if (p->n >= 2) {
        static const char *const sugg[] = {
            "suggest", "suggests", "show", "shows", "showed", "indicate", "indicates",
            "indicated", NULL
        };
        if (in_list(p->w[p->n - 1], p->wl[p->n - 1], sugg))
            p->kind = K_SUGGEST;
    }
    return 0;
}

static void plist_free(plist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->p[i].buf);
    free(l->p);
    free(l->head);
    free(l->next);
    *l = (plist_t){ 0 };
}

/* Builds l's index by first word. -1 when out of memory. */
static int plist_index(plist_t *l)
{
    size_t nb = 16;
    while (nb < 2 * l->n)
        nb *= 2;
    l->head = calloc(nb, sizeof *l->head);
    l->next = calloc(l->n ? l->n : 1, sizeof *l->next);
    if (!l->head || !l->next)
        return -1;
    l->nb = nb;
    for (size_t k = l->n; k-- > 0;) {   /* last first, so that each chain is in order */
        uint32_t b = cc_ws_hash(l->p[k].w[0], l->p[k].wl[0]) & (uint32_t)(nb - 1);
        l->next[k] = l->head[b];
        l->head[b] = (uint32_t)k + 1;
    }
    return 0;
}

/* Loads option list `name.1`, `name.2`, ... or, when absent, the built-in list. */
static int plist_load(plist_t *l, const cc_host_t *host, const cc_plugin_config_t *cfg,
                      const char *name, const char *const *defaults)
{
    char key[64];
    const char *s;
    size_t n = 0;
    if (cfg && host->config_string) {
        for (;;) {
            snprintf(key, sizeof key, "%s.%zu", name, n + 1);
            if (!host->config_string(cfg, key, &s))
                break;
            n++;
        }
    }
    int from_options = n > 0;
    if (!from_options)
        for (const char *const *d = defaults; *d; d++)
            n++;
    l->p = calloc(n ? n : 1, sizeof *l->p);
    if (!l->p)
        return -1;
    l->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (from_options) {
            snprintf(key, sizeof key, "%s.%zu", name, i + 1);
            if (!host->config_string(cfg, key, &s) || !s)
                continue;
        } else {
            s = defaults[i];
        }
        phrase_t *p = &l->p[l->n];
        if (phrase_parse(p, s) != 0)
            return -1;
        if (p->n == 0) {
            if (host->log)
                host->log(host, CC_LOG_WARN, "option %s.%zu: empty or too long phrase ignored",
                          name, i + 1);
            free(p->buf);
            continue;
        }
        l->n++;
    }
    return plist_index(l);
}

/* ------------------------------------------------------------------------------------ */
/* Per-call scratch                                                                      */

enum { T_WORD, T_COMMA, T_SEMI, T_COLON, T_QUOTE, T_DASH, T_OPEN, T_CLOSE, T_PERIOD, T_OTHER };

typedef struct tok {
    uint32_t s, e;
    int type;
    int ent;          /* index into call.ents, or -1 */
    int cue;          /* index of the cue whose words these are, or -1 */
    int mask;         /* index of the according/citing cue whose phrase this is, or -1 */
    int clause;
} tok_t;

typedef struct ent {
    uint32_t s, e;
    const char *value;
    int adj, poss;
} ent_t;

typedef struct cue {
    size_t t0, t1;    /* the cue's tokens */
    int list, kind;
    size_t np1;       /* according/citing: the phrase after the cue is [t1, np1) */
    int dead, absorbed, consumed;
} cue_t;

typedef struct attr {
    size_t span_s, span_e;
    size_t cue_s, cue_e;          /* bytes of the cue words (attrs.cue) */
    size_t anchor;                /* token that places it in a clause */
    const char *kind;
    size_t src_s, src_e;
    size_t src_tok;               /* the source's first token */
    int has_src;
    size_t spk_s, spk_e;
    int has_spk;
    size_t verb_s, verb_e;
    int has_verb;
    const char *value, *speaker;
    const char *parties[MAXP];
    int n_parties;
    int pronoun, negated, inverted, inherited;
    int audience;                 /* "X was told": a source nobody names (see do_verb) */
    int person, media;            /* the source is a person / "the newspaper" (see flush) */
    int clause;
    size_t scope_s, scope_e;
    char sid[SID_MAX];            /* source_id, "" when there is none (see make_sid) */
    char spk_sid[SID_MAX];        /* citing: the speaker's source_id */
    int definite;                 /* the source starts with the/this/these/those */
    int refers_back;              /* the party came from an earlier source (see flush) */
    size_t rel_from;              /* "..., which X said ...": the scope starts here (0: no) */
} attr_t;

typedef struct jbuf {
    char *p;
    size_t n, cap;
    int fail;
} jbuf_t;

typedef struct call {
    const astate_t *st;
    const cc_doc_view_t *doc;
    cc_emitter_t *out;
    const char *t;
    ent_t *ents;
    size_t n_ents;
    tok_t *toks;
    size_t n_toks, cap_toks;
    cue_t *cues;
    size_t n_cues, cap_cues;
    attr_t *at;
    size_t n_at, cap_at;
    jbuf_t jb;
    int oom;
    /* the sentence being read */
    size_t ss, se;
    long sent_index;
    int caps;                     /* the sentence has no lower-case letter */
    size_t n_bounds;
    size_t bound_tok[64];         /* clause boundaries: the comma/semicolon token */
    /* the document's latest sources that named a party: their head words (as a
     * source_id) and party, a ring of HIST entries, for definite descriptions */
    struct { char key[SID_MAX]; const char *value; } hist[HIST];
    size_t n_hist;
    int prev_person;              /* the document's latest source was a person */
} call_t;

static void *grow(void *p, size_t *cap, size_t need, size_t size, int *oom)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(p, nc * size);
    if (!q) {
        *oom = 1;
        return NULL;
    }
    *cap = nc;
    return q;
}

/* ------------------------------------------------------------------------------------ */
/* Tokens                                                                                */

static const char *tp(const call_t *c, size_t i)
{
    return c->t + c->toks[i].s;
}

static size_t tl(const call_t *c, size_t i)
{
    return c->toks[i].e - c->toks[i].s;
}

static int is_word(const call_t *c, size_t i)
{
    return i < c->n_toks && c->toks[i].type == T_WORD;
}

static int tw(const call_t *c, size_t i, const char *lit)
{
    return is_word(c, i) && eq_ci(tp(c, i), tl(c, i), lit);
}

static int tin(const call_t *c, size_t i, const char *const *list)
{
    return is_word(c, i) && in_list(tp(c, i), tl(c, i), list);
}

static int is_cap(const call_t *c, size_t i)
{
    if (!is_word(c, i))
        return 0;
    unsigned char ch = (unsigned char)c->t[c->toks[i].s];
    return (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

/* Whether the sentence is written in capitals (a headline): is_cap tells nothing there. */
static int all_caps(const call_t *c)
{
    return c->caps;
}

static int is_digit_word(const call_t *c, size_t i)
{
    if (!is_word(c, i))
        return 0;
    unsigned char ch = (unsigned char)c->t[c->toks[i].s];
    return ch >= '0' && ch <= '9';
}

/* A word of digits only, with separators ("25", "3,000", "7.5"): never in a source read
 * backwards ("launching a 25 mln franc issue, the bank said" stops there). */
static int pure_number(const call_t *c, size_t i)
{
    if (!is_digit_word(c, i))
        return 0;
    const char *w = tp(c, i);
    for (size_t k = 0; k < tl(c, i); k++)
        if (!((w[k] >= '0' && w[k] <= '9') || w[k] == ',' || w[k] == '.'))
            return 0;
    return 1;
}

static int is_adverb(const call_t *c, size_t i)
{
    if (!is_word(c, i) || c->toks[i].ent >= 0)
        return 0;
    if (tin(c, i, adverbs))
        return 1;
    const char *w = tp(c, i);
    size_t n = tl(c, i);
    return n >= 5 && w[0] >= 'a' && w[0] <= 'z' && w[n - 2] == 'l' && w[n - 1] == 'y' &&
           !in_list(w, n, not_ly_adverbs);
}

static int ends_nt(const call_t *c, size_t i)
{
    if (!is_word(c, i))
        return 0;
    const char *w = tp(c, i);
    size_t n = tl(c, i);
    if (n >= 3 && lc((unsigned char)w[n - 1]) == 't' && lc((unsigned char)w[n - 2]) == '\'' &&
        lc((unsigned char)w[n - 3]) == 'n')
        return 1;
    /* n’t */
    return n >= 5 && lc((unsigned char)w[n - 1]) == 't' && (unsigned char)w[n - 2] == 0x99 &&
           (unsigned char)w[n - 3] == 0x80 && (unsigned char)w[n - 4] == 0xE2 &&
           lc((unsigned char)w[n - 5]) == 'n';
}

/* End of the word starting at i. */
static size_t word_end(const char *t, size_t i, size_t end)
{
    size_t seg_start = i;      /* start of the current dot-separated segment */
    int has_dot = 0;
    uint32_t prev = 0;
    while (i < end) {
        size_t n;
        uint32_t cp = utf8_cp(t, i, end, &n);
        if (cp_letter(cp)) {
            prev = cp;
            i += n;
            continue;
        }
        size_t n2 = 0;
        uint32_t next = i + n < end ? utf8_cp(t, i + n, end, &n2) : 0;
        int next_letter = i + n < end && cp_letter(next);
        if (is_apostrophe(cp)) {
            if (next_letter) {
                prev = cp;
                i += n;
                continue;
            }
            if ((prev == 's' || prev == 'S') && !next_letter) {
                i += n;        /* plural possessive: soldiers' */
                break;
            }
            break;
        }
        if (cp == '-' && next_letter) {
            prev = cp;
            i += n;
            continue;
        }
        if (cp == '.') {
            if (next_letter) {
                has_dot = 1;
                prev = cp;
                i += n;
                seg_start = i;
                continue;
            }
            /* U.S. : the final dot after a one-letter segment */
            if (has_dot && i - seg_start == 1 && t[seg_start] >= 'A' && t[seg_start] <= 'Z')
                i += n;
            break;
        }
        if (cp == ',' && prev >= '0' && prev <= '9' && i + 3 < end &&
            t[i + 1] >= '0' && t[i + 1] <= '9' && t[i + 2] >= '0' && t[i + 2] <= '9' &&
            t[i + 3] >= '0' && t[i + 3] <= '9' &&
            (i + 4 >= end || !(t[i + 4] >= '0' && t[i + 4] <= '9'))) {
            i += 1;       /* 3,000 */
            continue;
        }
        break;
    }
    return i;
}

static int tokenize(call_t *c, size_t ss, size_t se)
{
    const char *t = c->t;
    c->n_toks = 0;
    size_t i = ss;
    while (i < se) {
        size_t n;
        uint32_t cp = utf8_cp(t, i, se, &n);
        if (cp_space(cp)) {
            i += n;
            continue;
        }
        tok_t tk = { (uint32_t)i, (uint32_t)(i + n), T_OTHER, -1, -1, -1, 0 };
        if (cp_letter(cp)) {
            tk.type = T_WORD;
            tk.e = (uint32_t)word_end(t, i, se);
        } else {
            switch (cp) {
            case ',': tk.type = T_COMMA; break;
            case ';': tk.type = T_SEMI; break;
            case ':': tk.type = T_COLON; break;
            case '"': case '\'': case 0x201C: case 0x201D: case 0x201E: case 0x2018:
            case 0x2019: case 0xAB: case 0xBB: case 0x2039: case 0x203A:
                tk.type = T_QUOTE; break;
            case '-': case 0x2013: case 0x2014: case 0x2015: case 0x2212:
                tk.type = T_DASH; break;
            case '(': case '[': case '<': tk.type = T_OPEN; break;     /* <Acme Corp> */
            case ')': case ']': case '>': tk.type = T_CLOSE; break;
            case '.': tk.type = T_PERIOD; break;
            default: tk.type = T_OTHER; break;
            }
        }
        c->toks = grow(c->toks, &c->cap_toks, c->n_toks + 1, sizeof *c->toks, &c->oom);
        if (!c->toks)
            return -1;
        c->toks[c->n_toks++] = tk;
        i = tk.e;
    }
    /* map tokens to the entities that overlap them (entities sorted by start) */
    size_t e0 = 0, hi = c->n_ents;
    while (e0 < hi) {
        size_t mid = (e0 + hi) / 2;
        if (c->ents[mid].s < ss)
            e0 = mid + 1;
        else
            hi = mid;
    }
    while (e0 > 0 && c->ents[e0 - 1].e > ss)
        e0--;
    for (size_t k = 0; k < c->n_toks; k++) {
        tok_t *tk = &c->toks[k];
        while (e0 < c->n_ents && c->ents[e0].e <= tk->s)
            e0++;          /* entities are short and seldom nest: stays linear */
        for (size_t j = e0; j < c->n_ents && c->ents[j].s < tk->e; j++)
            if (c->ents[j].e > tk->s && c->ents[j].s < tk->e && tk->type == T_WORD) {
                tk->ent = (int)j;
                break;
            }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Cues                                                                                  */

static size_t match_phrase(const call_t *c, size_t i, const phrase_t *p)
{
    if (i + p->n > c->n_toks)
        return 0;
    for (size_t k = 0; k < p->n; k++) {
        const tok_t *tk = &c->toks[i + k];
        if (tk->type != T_WORD || tk->ent >= 0 || tk->e - tk->s != p->wl[k] ||
            !eq_ci(tp(c, i + k), tl(c, i + k), p->w[k]))
            return 0;
    }
    return p->n;
}

/* The longest phrase of l starting at token i (the first of equal length in list order),
 * if longer than *best_n; h: cc_ws_hash of token i. Only the phrases whose first word
 * hashes as token i's are tried. */
static void best_in(const call_t *c, size_t i, uint32_t h, const plist_t *l, int list,
                    size_t *best_n, int *best_list, const phrase_t **best_p)
{
    if (!l->nb)
        return;
    for (uint32_t e = l->head[h & (uint32_t)(l->nb - 1)]; e; e = l->next[e - 1]) {
        size_t k = e - 1;
        size_t n = match_phrase(c, i, &l->p[k]);
        if (n > *best_n) {
            *best_n = n;
            *best_list = list;
            *best_p = &l->p[k];
        }
    }
}

static int add_cue(call_t *c, size_t t0, size_t t1, int list, int kind)
{
    c->cues = grow(c->cues, &c->cap_cues, c->n_cues + 1, sizeof *c->cues, &c->oom);
    if (!c->cues)
        return -1;
    cue_t *q = &c->cues[c->n_cues];
    memset(q, 0, sizeof *q);
    q->t0 = t0;
    q->t1 = t1;
    q->list = list;
    q->kind = kind;
    for (size_t k = t0; k < t1; k++)
        c->toks[k].cue = (int)c->n_cues;
    c->n_cues++;
    return 0;
}

static int find_cues(call_t *c)
{
    const astate_t *st = c->st;
    c->n_cues = 0;
    size_t i = 0;
    while (i < c->n_toks) {
        if (!is_word(c, i) || c->toks[i].ent >= 0) {
            i++;
            continue;
        }
        size_t bn = 0;
        int bl = -1;
        const phrase_t *bp = NULL;
        /* built in: quoted as saying; in his [..] address */
        size_t quoted_obj = 0;
        if (tw(c, i, "quoted") && tw(c, i + 1, "as") && tw(c, i + 2, "saying")) {
            bn = 3;
            bl = L_QUOTED;
        } else if (tw(c, i, "quoted") && i > 0 && !tin(c, i - 1, be_forms)) {
            /* "IRNA quoted the commander as saying": the one quoted is the source */
            for (size_t k = i + 1; k < i + 16 && k + 1 < c->n_toks; k++) {
                if (tw(c, k, "as") && tw(c, k + 1, "saying")) {
                    if (k > i + 1)
                        quoted_obj = k;
                    break;
                }
                if (!is_word(c, k) && c->toks[k].type != T_COMMA &&
                    c->toks[k].type != T_OPEN && c->toks[k].type != T_CLOSE)
                    break;
            }
        }
        if (tw(c, i, "in") && tin(c, i + 1, address_owners)) {
            for (size_t k = i + 2; k < i + 5 && is_word(c, k); k++)
                if (tw(c, k, "address")) {
                    bn = k + 1 - i;
                    bl = L_ADDR;
                    break;
                }
        }
        uint32_t h = cc_ws_hash(tp(c, i), tl(c, i));
        best_in(c, i, h, &st->acc, L_ACC, &bn, &bl, &bp);
        best_in(c, i, h, &st->cit, L_CIT, &bn, &bl, &bp);
        best_in(c, i, h, &st->verbs, L_VERB, &bn, &bl, &bp);
        int put_at = 0;
        if (bn == 0 && tw(c, i, "put")) {
            /* "put Iraqi losses at 3,000", "put the casualty total at about 200" */
            for (size_t k = i + 2; k < i + 8 && k + 1 < c->n_toks && is_word(c, k); k++)
                if (tw(c, k, "at")) {
                    put_at = is_digit_word(c, k + 1) || tin(c, k + 1, put_at_next);
                    break;
                }
        }
        if (put_at) {
            bn = 1;
            bl = L_VERB;
            bp = NULL;
        }
        if (quoted_obj) {
            bn = 1;
            bl = L_QUOTED;
            bp = NULL;
        }
        if (bn == 0) {
            i++;
            continue;
        }
        if (add_cue(c, i, i + bn, bl, put_at ? K_PUT : bp ? bp->kind : K_VERB) != 0)
            return -1;
        c->cues[c->n_cues - 1].np1 = quoted_obj;
        i += bn;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Phrases                                                                               */

static int cue_blocks(const call_t *c, size_t k)
{
    const tok_t *tk = &c->toks[k];
    if (tk->mask >= 0)
        return 1;
    if (tk->cue < 0)
        return 0;
    const cue_t *q = &c->cues[tk->cue];
    return !q->dead && !q->absorbed;
}

static int list_comma(const call_t *c, size_t k, size_t from)
{
    /* a comma inside a list of parties: "British, Hungarian and Finnish officials".
     * The name before it must start the list (at `from`, where a forward phrase starts,
     * or after punctuation, a determiner or "and"): "in northern Iraq, Tehran's agency"
     * is a place and the next phrase, not a list. */
    if (k == 0 || k + 1 >= c->n_toks)
        return 0;
    if (!is_word(c, k - 1) || c->toks[k - 1].ent < 0)
        return 0;
    size_t j = k - 1;
    while (j > 0 && c->toks[j - 1].ent == c->toks[k - 1].ent)
        j--;
    if (!(j <= from || j == 0 || !is_word(c, j - 1) || c->toks[j - 1].ent >= 0 ||
          tin(c, j - 1, determiners) || tw(c, j - 1, "and") || tw(c, j - 1, "or")))
        return 0;
    if (is_word(c, k + 1) && c->toks[k + 1].ent >= 0)
        return 1;
    return (tw(c, k + 1, "and") || tw(c, k + 1, "or")) && is_word(c, k + 2) &&
           c->toks[k + 2].ent >= 0;
}

/* A dash joining the words on either side with no space ("U.S.-led"). */
static int attached_dash(const call_t *c, size_t k)
{
    return k > 0 && k + 1 < c->n_toks && c->toks[k].type == T_DASH &&
           c->toks[k - 1].e == c->toks[k].s && c->toks[k].e == c->toks[k + 1].s &&
           is_word(c, k - 1) && is_word(c, k + 1);
}

/* A dot right after a word inside the sentence: an abbreviation ("Inc.", "Corp."). */
static int abbrev_dot(const call_t *c, size_t k)
{
    return k > 0 && k + 1 < c->n_toks && c->toks[k].type == T_PERIOD && is_word(c, k - 1) &&
           c->toks[k - 1].e == c->toks[k].s;
}

/* An abbreviation dot a source phrase may cross: after a short capitalised word with no
 * hyphen, a title, an initial or a company suffix ("Mr.", "Sen.", "J.", "Inc."), not a
 * state tag ("R-Calif.", "D-Mo."). */
static int name_dot(const call_t *c, size_t k)
{
    if (!abbrev_dot(c, k) || !is_cap(c, k - 1) || tl(c, k - 1) > 4)
        return 0;
    return memchr(tp(c, k - 1), '-', tl(c, k - 1)) == NULL;
}

/* The source phrase ending before token `end`, read backwards: returns its first token
 * (== end when there is none). */
static size_t walk_back(const call_t *c, size_t end)
{
    size_t a = end;
    int words = 0, dotted = 0;
    while (a > 0) {
        size_t k = a - 1;
        const tok_t *tk = &c->toks[k];
        if (tk->type == T_WORD) {
            if (cue_blocks(c, k))
                break;
            /* before "Mr." only the rest of the name: "critics like Mr. Smith" */
            if (dotted && tk->ent < 0 && !is_cap(c, k))
                break;
            if (tk->ent < 0) {
                if (tin(c, k, stop_back) || ends_nt(c, k) || pure_number(c, k))
                    break;
                /* a subject pronoun is the whole source, or another clause's subject */
                if (tin(c, k, subject_pronouns)) {
                    if (a == end)
                        a = k;
                    break;
                }
                /* "and" joins names ("French and German state media", "U.K.,
                 * Hungarian, and Finnish officials"), not clauses */
                if ((tw(c, k, "and") || tw(c, k, "or")) &&
                    !(k > 0 && is_word(c, k - 1) && (c->toks[k - 1].ent >= 0 || is_cap(c, k - 1))) &&
                    !(k > 1 && c->toks[k - 1].type == T_COMMA && is_word(c, k - 2) &&
                      c->toks[k - 2].ent >= 0 && a < end && c->toks[a].ent >= 0))
                    break;
            }
            if (++words > 12)
                break;
            a = k;
            continue;
        }
        if (name_dot(c, k)) {
            /* a title before a name ("Gov. Jay Inslee", "Mr. Hale") starts the source:
             * the words before it modify the title ("Washington Gov."); an initial
             * ("Jacob J. Lew") is inside the name */
            if (tl(c, k - 1) >= 2 && is_cap(c, k + 1)) {
                a = k - 1;
                break;
            }
            dotted = 1;
            a = k;
            continue;
        }
        if (tk->type == T_OPEN || tk->type == T_CLOSE || attached_dash(c, k)) {
            a = k;
            continue;
        }
        if (tk->type == T_COMMA && list_comma(c, k, 0) && a < end) {
            a = k;
            continue;
        }
        break;
    }
    while (a < end && (c->toks[a].type != T_WORD || tw(c, a, "and") || tw(c, a, "or")))
        a++;
    return a;
}

/* Whether a name comes within three words from k ("in Budapest", "in the Swiss
 * weekly Die Woche"), for keeping "in" inside a source phrase. */
static int name_follows(const call_t *c, size_t k)
{
    for (size_t j = k; j < k + 3 && is_word(c, j); j++) {
        if (c->toks[j].ent >= 0 || is_cap(c, j))
            return 1;
        if (!tin(c, j, determiners) && j > k)
            return 0;
    }
    return 0;
}

/* The source phrase starting at token b, read forwards: returns its end (== b when
 * there is none). *clean is set when it ended at a boundary rather than the word limit. */
static size_t walk_fwd(const call_t *c, size_t b, int *clean)
{
    size_t e = b;
    int words = 0;
    *clean = 1;
    while (e < c->n_toks) {
        const tok_t *tk = &c->toks[e];
        if (tk->type == T_WORD) {
            if (tk->ent < 0) {
                if (e > b && tin(c, e, stop_fwd))
                    break;
                if (e == b && tin(c, e, stop_fwd) && !tin(c, e, definite))
                    break;
                if (tw(c, e, "in") && !name_follows(c, e + 1))
                    break;
                if ((tw(c, e, "and") || tw(c, e, "or")) &&
                    !(is_word(c, e + 1) && (c->toks[e + 1].ent >= 0 || is_cap(c, e + 1))))
                    break;
                if (is_digit_word(c, e) && !(e > b && tin(c, e - 1, months)))
                    break;
                if (tk->cue >= 0 && e > b) {
                    const cue_t *q = &c->cues[tk->cue];
                    /* "citing intelligence reports": a noun-like cue is a head */
                    if (!q->dead && (q->list == L_VERB || q->list == L_QUOTED) &&
                        !(q->t1 - q->t0 == 1 && tin(c, e, nominal_cues)))
                        break;
                }
            }
            if (++words > 12) {
                *clean = 0;
                break;
            }
            e++;
            continue;
        }
        if (tk->type == T_OPEN || tk->type == T_CLOSE) {
            e++;
            continue;
        }
        if (tk->type == T_COMMA && list_comma(c, e, b)) {
            e++;
            continue;
        }
        break;
    }
    while (e > b && (c->toks[e - 1].type != T_WORD || tin(c, e - 1, trailing_junk)))
        e--;
    return e;
}

/* Whether the entity of the word at k is followed by a counted noun. */
static int counted_after(const call_t *c, size_t k)
{
    int ent = c->toks[k].ent;
    size_t j = k;
    while (j < c->n_toks && c->toks[j].ent == ent)
        j++;
    return tin(c, j, counted_nouns);
}

static int participle_word(const call_t *c, size_t k);

/* The claimant among the entities of tokens [a, e): see the header. seg_at is the
 * comma that starts an apposition (or SIZE_MAX). */
static const char *choose(const call_t *c, size_t a, size_t e, size_t seg_at,
                          const char **parties, int *n_parties)
{
    int best_tier = 99, prep = 0, seg = 0, last_ent = -1;
    const char *best = NULL;
    *n_parties = 0;
    for (size_t k = a; k < e; k++) {
        if (k == seg_at) {
            seg = 1;
            prep = 0;
            continue;
        }
        const tok_t *tk = &c->toks[k];
        if (tk->type != T_WORD)
            continue;
        if (tk->ent < 0) {
            /* a participle works like a hard preposition: "the committee investigating
             * the Iran affair" */
            if (tin(c, k, hard_preps) || (participle_word(c, k) && k > a &&
                                          eq_ci(tp(c, k) + tl(c, k) - 3, 3, "ing")))
                prep = 2;
            else if (tin(c, k, soft_preps) && prep < 1)
                prep = 1;
            continue;
        }
        if (tk->ent == last_ent)
            continue;
        last_ent = tk->ent;
        if (prep == 2)
            continue;
        const ent_t *en = &c->ents[tk->ent];
        if (!en->value || !*en->value)
            continue;
        if (en->adj && counted_after(c, k))
            continue;
        /* "the Soviet-backed Afghan government", "the U.S.-led coalition": a name in a
         * hyphenated modifier is not the speaker */
        if ((en->e < tk->e && c->t[en->e] == '-') ||
            (k + 1 < e && attached_dash(c, k + 1)))
            continue;
        int tier = prep * 2 + seg;
        if (tier < best_tier) {
            best_tier = tier;
            best = en->value;
            parties[0] = en->value;
            *n_parties = 1;
        } else if (tier == best_tier) {
            int dup = 0;
            for (int p = 0; p < *n_parties; p++)
                if (strcmp(parties[p], en->value) == 0)
                    dup = 1;
            if (!dup && *n_parties < MAXP)
                parties[(*n_parties)++] = en->value;
        }
    }
    return best;
}

/* A lower-case participle ("tracking", "issued"): it ends the head of a source. */
static int participle_word(const call_t *c, size_t k)
{
    if (!is_word(c, k) || is_cap(c, k))
        return 0;
    const char *w = tp(c, k);
    size_t n = tl(c, k);
    return (n > 4 && eq_ci(w + n - 3, 3, "ing")) || (n > 3 && eq_ci(w + n - 2, 2, "ed"));
}

/* Whether word k, without a possessive 's, is in list. */
static int tin_poss(const call_t *c, size_t k, const char *const *list)
{
    if (!is_word(c, k))
        return 0;
    size_t n = tl(c, k);
    const char *w = tp(c, k);
    if (n > 2 && w[n - 2] == '\'' && lc((unsigned char)w[n - 1]) == 's')
        n -= 2;
    return in_list(w, n, list);
}

static int anaphoric(const call_t *c, size_t a, size_t e)
{
    if (a >= e)
        return 0;
    if (e - a == 1 && (tin(c, a, pronouns) || tin(c, a, anaphoric_nouns)))
        return 1;
    if (!tin(c, a, definite))
        return 0;
    /* "the agency", "the president"; not a name ("The Korea Times") */
    for (size_t k = a + 1; k < e; k++)
        if (is_cap(c, k) && c->toks[k].ent < 0)
            return 0;
    /* the head: one noun ("the agency tracking ..."), or one after an institution
     * ("the company spokesman"); "the interior ministry" or "the high command" name a
     * source of their own */
    size_t n = 0;
    for (size_t k = a + 1; k < e && is_word(c, k); k++) {
        if (k > a + 1 && (tin(c, k, sid_stop) || participle_word(c, k)))
            break;
        n++;
    }
    return n == 1 || (n == 2 && tin_poss(c, a + 1, anaphor_modifiers));
}

/* The subject at the start of clause cl: a run of names and determiners ("Smith",
 * "The Hungarian military"), for a participle with no attribution before it. Returns
 * its end (== *a when there is none). */
static size_t clause_subject(const call_t *c, int cl, size_t before, size_t *a)
{
    size_t k = 0;
    while (k < before && c->toks[k].clause != cl)
        k++;
    while (k < before && c->toks[k].type != T_WORD)
        k++;
    *a = k;
    if (k >= before || tin(c, k, stop_back) || tin(c, k, adverbs) || tin(c, k, soft_preps) ||
        tin(c, k, hard_preps) || c->toks[k].cue >= 0)
        return k;
    size_t e = k;
    int named = 0;
    while (e < before && is_word(c, e) && c->toks[e].cue < 0 &&
           (c->toks[e].ent >= 0 || is_cap(c, e) || tin(c, e, determiners))) {
        named |= c->toks[e].ent >= 0 || is_cap(c, e);
        e++;
    }
    /* "The Hungarian military": a common noun after a determiner or an adjective */
    for (int n = 0; n < 2 && e > k && e < before && is_word(c, e) && c->toks[e].cue < 0 &&
                    c->toks[e].ent < 0 && !tin(c, e, stop_back) &&
                    (tin(c, e - 1, determiners) ||
                     (c->toks[e - 1].ent >= 0 && c->ents[c->toks[e - 1].ent].adj));
         n++)
        e++;
    while (e > k && tin(c, e - 1, determiners))
        e--;
    return named ? e : k;
}

/* Appends word token k to the source_id in out[0..*n) (SID_MAX bytes): ASCII letters
 * lower-cased, digits and non-ASCII bytes kept, anything else ('-', '.', an apostrophe)
 * an underscore; a final possessive 's dropped. Returns 0 when the word does not fit
 * (out is then unchanged). */
static int sid_append(const call_t *c, size_t k, char *out, size_t *n)
{
    const char *w = tp(c, k);
    size_t wl = tl(c, k);
    if (wl >= 2 && (w[wl - 1] == 's' || w[wl - 1] == 'S') && w[wl - 2] == '\'')
        wl -= 2;
    else if (wl >= 4 && (w[wl - 1] == 's' || w[wl - 1] == 'S') &&
             (unsigned char)w[wl - 2] == 0x99 && (unsigned char)w[wl - 3] == 0x80 &&
             (unsigned char)w[wl - 4] == 0xE2)
        wl -= 4;
    else if (wl >= 2 && w[wl - 1] == '\'')
        wl -= 1;
    size_t o = *n;
    if (o > 0) {
        if (o + 1 >= SID_MAX)
            return 0;
        out[o++] = '_';
    }
    for (size_t i = 0; i < wl; i++) {
        unsigned char ch = (unsigned char)w[i];
        char x = ch >= 0x80 ? (char)ch
               : (ch >= 'A' && ch <= 'Z') ? (char)lc(ch)
               : ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) ? (char)ch : '_';
        if (x == '_' && o > 0 && out[o - 1] == '_')
            continue;
        if (o + 1 >= SID_MAX)
            return 0;
        out[o++] = x;
    }
    while (o > *n && out[o - 1] == '_')
        o--;
    if (o == *n || (*n > 0 && o == *n + 1))
        return 1;     /* nothing of the word was kept */
    *n = o;
    out[o] = '\0';
    return 1;
}

/* A word like "Soviet-backed", "state-run", "Iranian-held": hyphenated, ending in a
 * participle. */
static int hyphen_modifier(const call_t *c, size_t k)
{
    if (!is_word(c, k))
        return 0;
    const char *w = tp(c, k);
    size_t n = tl(c, k);
    const char *h = memchr(w, '-', n);
    if (!h)
        return 0;
    return (n > 2 && eq_ci(w + n - 2, 2, "ed")) || (n > 4 && eq_ci(w + n - 4, 4, "-run")) ||
           (n > 5 && eq_ci(w + n - 5, 5, "-held")) || (n > 4 && eq_ci(w + n - 4, 4, "-led"));
}

/* The source_id of a source with no party (tokens [a, e)): see the header. "" when the
 * source is a personal pronoun or holds no word worth keeping. */
static void make_sid(const call_t *c, size_t a, size_t e, char *out)
{
    out[0] = '\0';
    if (e - a == 1 && tin(c, a, personal_pronouns))
        return;
    size_t keep[24], nk = 0, stop = e;
    for (size_t k = a; k < e; k++) {
        stop = k;
        /* a hyphenated modifier ("U.S.-led", "Soviet-backed", "state-run") */
        if (k + 2 < e && attached_dash(c, k + 1) && !is_cap(c, k + 2)) {
            k += 2;
            continue;
        }
        if (hyphen_modifier(c, k))
            continue;
        /* an initial or an abbreviated title before a name ("R. Smith", "Dr. Jane
         * Roe") is left out, as is its dot */
        if (k + 2 < e && abbrev_dot(c, k + 1) && is_word(c, k + 2)) {
            k++;
            continue;
        }
        if (abbrev_dot(c, k))
            continue;
        if (c->toks[k].type != T_WORD)
            break;          /* a comma, bracket or dash ends the head */
        if (k > a && (tin(c, k, sid_stop) || (nk > 0 && participle_word(c, k))))
            break;
        if (nk > 0 && tin(c, k, adverbs))
            break;      /* "Smith earlier this month" */
        if (tin(c, k, sid_drop) || is_digit_word(c, k) || is_adverb(c, k) ||
            (k > a && is_cap(c, k) && tin(c, k, company_suffixes)))
            continue;
        if (nk < sizeof keep / sizeof keep[0])
            keep[nk++] = k;
        stop = e;
    }
    /* a document speaks for its author: "a statement from the Red Cross" -> red_cross,
     * "a police statement" -> police */
    if (nk == 1 && tin(c, keep[0], document_nouns) && stop < e) {
        size_t b = stop;
        if (participle_word(c, b) && tw(c, b + 1, "by"))
            b++;
        if (tw(c, b, "from") || tw(c, b, "by") || tw(c, b, "of")) {
            char inner[SID_MAX];
            if (b + 1 < e && !tin(c, b + 1, document_nouns)) {
                make_sid(c, b + 1, e, inner);
                if (inner[0]) {
                    memcpy(out, inner, sizeof inner);
                    return;
                }
            }
        }
    }
    if (nk >= 2 && tin(c, keep[nk - 1], document_nouns))
        nk--;
    if (nk == 0)
        return;
    /* a title before a name: the name ("Acme spokesman Jan Novak", "Senator Jane
     * Roe", "House Speaker John Doe") */
    size_t run = 0;
    while (run < nk && is_cap(c, keep[nk - 1 - run]) &&
           (run == 0 || keep[nk - run] == keep[nk - 1 - run] + 1))
        run++;
    size_t first = 0;
    if (run >= 2 && run < nk && !is_cap(c, keep[nk - 1 - run]))
        first = nk - run;
    if (!all_caps(c)) {
        size_t named = 0;
        while (named < nk && is_cap(c, keep[nk - 1 - named]) &&
               !tin(c, keep[nk - 1 - named], name_titles))
            named++;
        if (named >= 2 && named < nk && tin(c, keep[nk - 1 - named], name_titles))
            first = nk - named;
    }
    if (nk - first > SID_WORDS)
        first = nk - SID_WORDS;
    size_t n = 0;
    for (size_t i = first; i < nk; i++)
        if (!sid_append(c, keep[i], out, &n))
            break;
    out[n] = '\0';
}

/* Fills the source of an attribution from tokens [a, e); the claimant is read from
 * [a, ce) (ce < e: a relative clause that is not the source's head). */
static void set_source_to(call_t *c, attr_t *r, size_t a, size_t e, size_t seg_at, size_t ce)
{
    /* the tags around a company's name ("<Acme Corp>") stay out of the source, and so
     * does a ticker tag after the name ("Acme Corp <ACM>") */
    if (e > a + 2 && c->toks[e - 1].type == T_CLOSE && c->t[c->toks[e - 1].s] == '>') {
        size_t o = e - 1;
        while (o > a && o + 4 > e && c->toks[o].type != T_OPEN)
            o--;
        if (o > a && c->toks[o].type == T_OPEN && c->t[c->toks[o].s] == '<')
            e = o;
    }
    while (e > a && c->toks[e - 1].type == T_CLOSE && c->t[c->toks[e - 1].s] == '>')
        e--;
    while (a < e && c->toks[a].type == T_OPEN && c->t[c->toks[a].s] == '<')
        a++;
    if (ce > e)
        ce = e;
    r->has_src = a < e;
    r->sid[0] = '\0';
    if (!r->has_src)
        return;
    r->src_s = c->toks[a].s;
    r->src_e = c->toks[e - 1].e;
    r->src_tok = a;
    /* a company's name ending in Ltd/Inc/...: its words name no party, the claimant is
     * read around it */
    size_t ca = a;
    for (size_t k = a + 1; k < ce; k++) {
        if (!is_cap(c, k) || !tin(c, k, company_suffixes))
            continue;
        size_t n0 = k;
        while (n0 > a && (is_cap(c, n0 - 1) || tw(c, n0 - 1, "of") || tw(c, n0 - 1, "and") ||
                          (c->toks[n0 - 1].type == T_OTHER && c->t[c->toks[n0 - 1].s] == '&')))
            n0--;
        if (n0 == a)
            ca = k + 1;
        else
            ce = n0;
        break;
    }
    r->value = ca < ce ? choose(c, ca, ce, seg_at, r->parties, &r->n_parties) : NULL;
    if (!r->value)
        r->n_parties = 0;
    r->pronoun = !r->value && anaphoric(c, a, e);
    r->definite = tin(c, a, definite);
    /* the head: up to the first preposition, relative pronoun or comma */
    size_t he = e;
    for (size_t k = a + 1; k < e; k++)
        if (tin(c, k, sid_stop) || !is_word(c, k)) {
            he = k;
            break;
        }
    r->media = r->pronoun && r->definite && tin(c, he - 1, media_heads);
    r->person = tin_poss(c, he - 1, person_heads) ||
                (he - a >= 2 && !r->definite && !all_caps(c) && is_cap(c, he - 1) &&
                 is_cap(c, he - 2) && c->toks[he - 1].ent < 0 && c->toks[he - 2].ent < 0 &&
                 !tin(c, he - 1, company_suffixes));
    make_sid(c, a, e, r->sid);    /* also with a party: the key for refers_back */
}

static void set_source(call_t *c, attr_t *r, size_t a, size_t e, size_t seg_at)
{
    set_source_to(c, r, a, e, seg_at, e);
}

static attr_t *new_attr(call_t *c, size_t anchor, const char *kind)
{
    c->at = grow(c->at, &c->cap_at, c->n_at + 1, sizeof *c->at, &c->oom);
    if (!c->at)
        return NULL;
    attr_t *r = &c->at[c->n_at++];
    memset(r, 0, sizeof *r);
    r->anchor = anchor;
    r->kind = kind;
    r->clause = c->toks[anchor].clause;
    return r;
}

/* ------------------------------------------------------------------------------------ */
/* Reading one sentence                                                                  */

static void mark_clauses(call_t *c)
{
    c->n_bounds = 0;
    int clause = 0;
    for (size_t k = 0; k < c->n_toks; k++) {
        int b = (c->toks[k].type == T_SEMI && k + 1 < c->n_toks) ||
                (c->toks[k].type == T_COMMA &&
                 (tw(c, k + 1, "while") || tw(c, k + 1, "whereas") || tw(c, k + 1, "but")));
        if (b && c->n_bounds < sizeof c->bound_tok / sizeof c->bound_tok[0]) {
            c->bound_tok[c->n_bounds++] = k;
            clause++;
        }
        c->toks[k].clause = clause;
    }
}

static size_t clause_start(const call_t *c, int cl)
{
    if (cl == 0)
        return c->ss;
    size_t k = c->bound_tok[cl - 1];
    if (c->toks[k].type == T_COMMA) {
        if (k + 2 < c->n_toks)
            return c->toks[k + 2].s;
        return c->toks[k + 1].e;
    }
    return c->toks[k + 1].s;
}

/* Cues that also take a noun object ("announced a relief programme"), and the words
 * that start such an object rather than a reported clause. */
static const char *const noun_object_cues[] = {
    "announced", "announces", "declared", "revealed", "reveals", "disclosed", "reported",
    "reports", "confirmed", "confirms", NULL
};
static const char *const object_starts[] = { "a", "an", "its", "their", "his", "her", NULL };

/* Irregular past tenses that make a clause complete ("the toll rose"). */
static const char *const past_irregular[] = {
    "rose", "fell", "went", "took", "left", "made", "came", "fled", "hit", "sank", "began",
    "grew", "lost", "won", "saw", "got", "gave", "kept", "held", "ran", "stood", NULL
};

/* Whether tokens [from, to) hold a finite verb: a be-form, an auxiliary, a cue or a
 * past tense ("More than 900 soldiers have died since 1990"). */
static int has_finite(const call_t *c, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        if (!is_word(c, k) || c->toks[k].ent >= 0 || is_cap(c, k))
            continue;
        if (tin(c, k, be_forms) || tin(c, k, auxiliaries) || tin(c, k, past_irregular) ||
            c->toks[k].cue >= 0)
            return 1;
        const char *w = tp(c, k);
        size_t n = tl(c, k);
        if (n > 3 && eq_ci(w + n - 2, 2, "ed") && !(k > 0 && tin(c, k - 1, determiners)))
            return 1;
    }
    return 0;
}

static size_t clause_end(const call_t *c, int cl)
{
    if ((size_t)cl >= c->n_bounds)
        return c->se;
    return c->toks[c->bound_tok[cl]].s;
}

/* The attribution that a participle or a trailing "citing" belongs to. */
static attr_t *host_before(call_t *c, size_t from, size_t tok, int clause)
{
    attr_t *h = NULL;
    for (size_t i = from; i < c->n_at; i++) {
        attr_t *r = &c->at[i];
        if (r->clause == clause && r->anchor < tok && strcmp(r->kind, "according_to") != 0 &&
            strcmp(r->kind, "address") != 0 && !r->audience)
            h = r;
    }
    return h;
}

static void merge_citing(call_t *c, attr_t *h, const cue_t *q)
{
    h->has_spk = h->has_src;
    h->spk_s = h->src_s;
    h->spk_e = h->src_e;
    h->speaker = h->value;
    memcpy(h->spk_sid, h->sid, sizeof h->sid);
    h->has_verb = 1;
    h->verb_s = h->cue_s;
    h->verb_e = h->cue_e;
    h->cue_s = c->toks[q->t0].s;
    h->cue_e = c->toks[q->t1 - 1].e;
    h->kind = "citing";
    const char *spk = h->value;
    int spk_pronoun = h->pronoun;
    set_source(c, h, q->t1, q->np1, SIZE_MAX);
    if (!h->value) {
        h->value = spk;
        if (spk) {
            h->pronoun = 0;
        } else if (!h->pronoun) {
            /* "he, citing intelligence reports, said": the speaker is carried over;
             * a named source ("citing the Red Cross") is a claimant of its own */
            int named = 0;
            for (size_t k = q->t1; k < q->np1; k++)
                named |= is_cap(c, k) && !(k == 0 && c->toks[k].s == c->ss);
            if (!named)
                h->pronoun = spk_pronoun;
        }
    }
}

/* "..., said the ministry.": the end of the source after an inverted cue (== q->t1 when
 * there is none). The cue must follow a comma, quotation mark or dash directly (p is
 * where the words before the cue end). strict: the phrase must also end at punctuation
 * or the end of the sentence within 6 words, which is what lets ", said Alden." win
 * over an apposition reading. */
static size_t inverted_source(const call_t *c, const cue_t *q, size_t p, int strict)
{
    size_t t0 = q->t0, b = q->t1;
    const char *w = tp(c, t0);
    size_t wl = tl(c, t0);
    int ok = q->list == L_VERB && q->t1 - q->t0 == 1 &&
             !(wl > 4 && eq_ci(w + wl - 3, 3, "ing")) &&
             (tin(c, t0, inverted_extra) || (wl > 3 && eq_ci(w + wl - 2, 2, "ed")));
    if (!ok || !is_word(c, b) || p != t0 || t0 == 0 ||
        !(c->toks[t0 - 1].type == T_COMMA || c->toks[t0 - 1].type == T_QUOTE ||
          c->toks[t0 - 1].type == T_DASH))
        return b;
    if (!(c->toks[b].ent >= 0 || is_cap(c, b) || tin(c, b, determiners) ||
          tin(c, b, pronouns)) || tw(c, b, "I"))
        return b;
    int clean;
    size_t fe = walk_fwd(c, b, &clean);
    if (fe == b || !clean)
        return b;
    if (strict) {
        size_t words = 0;
        for (size_t k = b; k < fe; k++)
            words += c->toks[k].type == T_WORD;
        if (words > 6 || (fe < c->n_toks && c->toks[fe].type == T_WORD))
            return b;
    }
    return fe;
}

/* Whether the words [a, e) before an apposition can be its subject: a name, a pronoun,
 * or a short phrase with a determiner ("Jane Roe", "the official"). */
static int subject_like(const call_t *c, size_t a, size_t e)
{
    if (a >= e)
        return 0;
    size_t last = e - 1;
    while (last > a && c->toks[last].type != T_WORD)
        last--;
    if (c->toks[last].ent >= 0 || is_cap(c, last))
        return 1;
    if (e - a == 1 && tin(c, a, pronouns))
        return 1;
    return tin(c, a, determiners) && e - a <= 4;
}

/* "X said", "X, citing Y, said", "said X", "was reported by X", "..., noting". */
static int do_verb(call_t *c, size_t qi, size_t first_attr)
{
    cue_t *q = &c->cues[qi];
    size_t t0 = q->t0;
    const char *kind = q->kind == K_PUT ? "put_the_number"
                     : q->kind == K_SUGGEST ? "estimates_suggest" : "verb";
    if (q->list == L_VERB && q->t1 - q->t0 == 1 && t0 > 0 && tin(c, t0, nominal_cues) &&
        is_word(c, t0 - 1) && c->toks[t0 - 1].ent >= 0 && c->ents[c->toks[t0 - 1].ent].adj)
        kind = "nominal";

    /* between the source and the cue */
    int passive = 0, negated = 0, last_adv = 0, last_day = 0, bare_be = 0;
    size_t p = t0, commas = 0, after_comma = 0;
    while (p > 0) {
        size_t k = p - 1;
        if (is_word(c, k) && c->toks[k].ent < 0 && !cue_blocks(c, k)) {
            if (tw(c, k, "not") || tw(c, k, "never") || ends_nt(c, k)) {
                negated = 1;
                p--;
                last_adv = 0;
                continue;
            }
            if (is_adverb(c, k)) {
                last_day = tin(c, k, weekdays) || tw(c, k, "yesterday") || tw(c, k, "today");
                last_adv = 1;
                p--;
                continue;
            }
            if (tw(c, k, "on") && last_day) {
                last_day = 0;
                p--;
                continue;
            }
            if (tin(c, k, auxiliaries)) {
                last_adv = 0;
                p--;
                continue;
            }
            if (tin(c, k, be_forms)) {
                passive = 1;
                bare_be = tw(c, k, "be") && !(k > 0 && tin(c, k - 1, auxiliaries));
                last_adv = 0;
                p--;
                continue;
            }
        }
        if (c->toks[k].type == T_COMMA && (last_adv || (k > 0 && is_adverb(c, k - 1)))) {
            if (commas++ == 0)
                after_comma = p;
            p--;
            continue;
        }
        break;
    }
    /* ", however, said" skips a pair of commas; one comma skipped, right before the
     * cue, after an aside that a comma opens means the adverbs end the aside ("Smith,
     * speaking from the palace on Monday, said"): the cue stays right after its comma,
     * read as an apposition or a parenthetical below ("Smith, pointedly said" keeps
     * skipping) */
    if (commas % 2 == 1 && after_comma == t0) {
        size_t j = p;
        while (j > 0 && is_word(c, j - 1) && c->toks[j - 1].cue < 0)
            j--;
        if (j > 0 && c->toks[j - 1].type == T_COMMA) {
            p = after_comma;
            negated = 0;
        }
    }

    size_t verb_s = c->toks[t0].s, verb_e = c->toks[q->t1 - 1].e;

    if (passive && q->list == L_VERB) {
        /* "was first reported by local media": the source after "by". Without "by",
         * "a government inquiry was told": the subject is the audience, the speaker goes
         * unnamed, an attribution with no source so that the audience's party claims
         * nothing */
        int by = tw(c, q->t1, "by"), clean;
        size_t aa = p, e = 0;
        if (by) {
            e = walk_fwd(c, q->t1 + 1, &clean);
            if (e == q->t1 + 1)
                return 0;
        } else {
            if (!(tw(c, t0, "told") && q->t1 - q->t0 == 1) || bare_be)
                return 0;     /* "truth be told" */
            aa = walk_back(c, p);
            if (aa == p)
                return 0;
        }
        attr_t *r = new_attr(c, t0, "passive");
        if (!r)
            return -1;
        r->cue_s = verb_s;
        r->cue_e = verb_e;
        r->negated = negated;
        if (by) {
            set_source(c, r, q->t1 + 1, e, SIZE_MAX);
            r->speaker = r->value;
            r->span_s = verb_s;
            r->span_e = c->toks[e - 1].e;
        } else {
            r->audience = 1;
            r->span_s = aa < p ? c->toks[aa].s : verb_s;
            r->span_e = verb_e;
        }
        return 0;
    }

    /* participle after a comma: the source of the clause's attribution */
    const char *w = tp(c, t0);
    size_t wl = tl(c, t0);
    int participle = q->list == L_VERB && q->t1 - q->t0 == 1 && wl > 4 &&
                     eq_ci(w + wl - 3, 3, "ing");
    if (participle && !(p > 0 && c->toks[p - 1].type == T_COMMA))
        return 0;     /* "a warning", "while noting": not a cue without a comma */
    if (participle) {
        attr_t *h = host_before(c, first_attr, t0, c->toks[t0].clause);
        if (h) {
            attr_t copy = *h;
            attr_t *r = new_attr(c, t0, "verb");
            if (!r)
                return -1;
            *r = copy;
            r->anchor = t0;
            r->kind = "verb";
            r->inherited = 1;
            r->negated = negated;
            r->inverted = 0;
            r->has_spk = 0;
            r->has_verb = 0;
            r->speaker = r->value;
            if (strcmp(copy.kind, "citing") == 0) {
                /* the speaker of the host is the one who notes */
                r->value = copy.speaker;
                r->has_src = copy.has_spk;
                r->src_s = copy.spk_s;
                r->src_e = copy.spk_e;
                r->speaker = copy.speaker;
                r->n_parties = 0;
                memcpy(r->sid, copy.spk_sid, sizeof r->sid);
            }
            r->cue_s = verb_s;
            r->cue_e = verb_e;
            r->span_s = verb_s;
            r->span_e = verb_e;
            return 0;
        }
        /* no host: the subject at the start of the clause */
        size_t a;
        size_t e = clause_subject(c, c->toks[t0].clause, p - 1, &a);
        if (e == a)
            return 0;
        attr_t *r = new_attr(c, t0, kind);
        if (!r)
            return -1;
        r->cue_s = verb_s;
        r->cue_e = verb_e;
        r->negated = negated;
        r->inherited = 1;
        set_source(c, r, a, e, SIZE_MAX);
        r->speaker = r->value;
        r->span_s = verb_s;
        r->span_e = verb_e;
        return 0;
    }

    size_t a = p, e = p, seg_at = SIZE_MAX, ce = SIZE_MAX, rel_from = 0;
    int cit = -1;
    if (p > 0 && c->toks[p - 1].type == T_COMMA && inverted_source(c, q, p, 1) > q->t1) {
        /* ", said Alden.": inverted, below */
    } else if (p > 0 && c->toks[p - 1].type == T_COMMA) {
        /* ", X," right before the cue: an apposition or a parenthetical */
        size_t k = p - 1, c1 = SIZE_MAX;
        for (size_t j = k; j-- > 0;) {
            int ty = c->toks[j].type;
            if (ty == T_COMMA) {
                c1 = j;
                break;
            }
            if (ty != T_WORD && ty != T_OPEN && ty != T_CLOSE && !name_dot(c, j))
                break;
        }
        if (c1 != SIZE_MAX && c1 + 1 < k && c1 > 0) {
            size_t f = c1 + 1;
            int is_appo = 1;
            if (c->toks[f].cue >= 0 && c->cues[c->toks[f].cue].list == L_CIT &&
                c->cues[c->toks[f].cue].t0 == f) {
                cit = c->toks[f].cue;
                is_appo = 0;
            } else if (c->toks[f].cue >= 0 && c->cues[c->toks[f].cue].list == L_ACC) {
                is_appo = 0;
            } else if (tin(c, f, parenthetical_starts) || !is_word(c, f)) {
                is_appo = 0;
            }
            size_t sa = walk_back(c, c1);
            /* "of Peoria, Ill., said": the end of a longer phrase, no subject */
            if (sa < c1 && (!subject_like(c, sa, c1) || tin(c, sa, soft_preps) ||
                            tin(c, sa, hard_preps)))
                return 0;
            if (sa < c1) {
                a = sa;
                if (is_appo) {
                    e = k;
                    seg_at = c1;
                } else {
                    e = c1;
                }
            } else if (is_appo) {
                a = f;
                e = k;
            }
        }
    } else {
        a = walk_back(c, p);
        e = p;
        /* a source cannot start with a preposition: "on advances Tehran reported" is a
         * reduced relative clause, whose speaker is the name right before the cue */
        size_t n0 = e;
        while (n0 > a + 1 && is_word(c, n0 - 1) && (c->toks[n0 - 1].ent >= 0 || is_cap(c, n0 - 1)))
            n0--;
        if (a < e && (tin(c, a, soft_preps) || tin(c, a, hard_preps))) {
            if (n0 == e)
                return 0;
            a = n0;
        } else if (n0 < e && n0 > a + 1 && is_word(c, n0 - 1) && !is_cap(c, n0 - 1) &&
                   tp(c, n0 - 1)[tl(c, n0 - 1) - 1] == 's' && !tin(c, n0 - 1, determiners)) {
            /* "no comment on the advances Tehran reported": a plural noun right before
             * the name, after a hard preposition */
            for (size_t k = a; k + 1 < n0; k++)
                if (tin(c, k, hard_preps)) {
                    a = n0;
                    break;
                }
        }
        /* "a nurse who worked at the crash site said": the noun before the relative
         * pronoun is the source; the clause stays in source_text but names no claimant */
        int rel_subject = a > 0 && a < e && (tw(c, a - 1, "which") || tw(c, a - 1, "whom") ||
                                             tw(c, a - 1, "who")) &&
                          (subject_like(c, a, e) ||
                           (e - a <= 2 && tin(c, e - 1, institution_heads)));
        if (rel_subject) {
            /* "the fire, which Mayor Ortiz said was started on purpose": the speaker
             * governs the relative clause only */
            rel_from = c->toks[a - 1].s;
        } else if (a > 0 && (tw(c, a - 1, "who") || tw(c, a - 1, "which"))) {
            size_t rel = a - 1, a2 = walk_back(c, rel);
            if (a2 < rel && subject_like(c, a2, rel)) {
                if (a == e)
                    e = rel;
                a = a2;
                ce = rel;
            }
        }
    }

    attr_t *r;
    if (a >= e) {
        /* inverted: "..., said the ministry." */
        size_t b = q->t1;
        size_t fe = inverted_source(c, q, p, 0);
        if (fe == b)
            return 0;
        r = new_attr(c, t0, kind);
        if (!r)
            return -1;
        r->inverted = 1;
        set_source(c, r, b, fe, SIZE_MAX);
        r->span_s = verb_s;
        r->span_e = c->toks[fe - 1].e;
    } else {
        /* "the highest number of casualties reported since January": a participle
         * after a noun that never speaks */
        if (q->t1 - q->t0 == 1 && wl > 3 && eq_ci(w + wl - 2, 2, "ed") && tin(c, e - 1, mute_heads))
            return 0;
        /* "the tremor which claimed 300 lives": an event is no speaker. Its head is the
         * word before the first preposition or relative pronoun ("the ministry of war"
         * is a ministry) */
        size_t he = ce < e ? ce : e;
        for (size_t k = a + 1; k < he; k++)
            if (tin(c, k, sid_stop) || c->toks[k].type == T_COMMA) {
                he = k;
                break;
            }
        if (he > a && c->toks[he - 1].ent < 0 && tin(c, he - 1, event_heads))
            return 0;
        r = new_attr(c, t0, kind);
        if (!r)
            return -1;
        set_source_to(c, r, a, e, seg_at, ce < e ? ce : e);
        /* "John Carter, one of the leading British experts on Kenya, said": when the
         * apposition names parties but gives no claimant, the name before it is the
         * whole source, so that no party of the apposition is read as one later */
        int appo_party = 0;
        for (size_t k = seg_at + 1; seg_at != SIZE_MAX && k < e; k++)
            appo_party |= c->toks[k].ent >= 0;
        if (!r->value && appo_party && seg_at > a && is_cap(c, seg_at - 1) && !all_caps(c))
            set_source(c, r, a, seg_at, SIZE_MAX);
        r->span_s = c->toks[a].s;
        r->span_e = verb_e;
        if (q->t1 - q->t0 == 1 && tin(c, t0, ambiguous_cues) && !r->value &&
            !(e - a == 1 && tin(c, a, pronouns)) && !tin(c, e - 1, institution_heads) &&
            !tw(c, q->t1, "that")) {
            c->n_at--;
            return 0;
        }
    }
    r->cue_s = verb_s;
    r->cue_e = verb_e;
    r->negated = negated;
    r->speaker = r->value;
    r->rel_from = rel_from;
    if (cit >= 0) {
        c->cues[cit].consumed = 1;
        merge_citing(c, r, &c->cues[cit]);
    } else if (q->list == L_QUOTED && q->np1 > q->t1) {
        merge_citing(c, r, q);     /* "X quoted Y as saying": Y is cited */
    }
    return 0;
}

static int do_sentence(call_t *c, size_t ss, size_t se, long sent_index)
{
    c->ss = ss;
    c->se = se;
    c->sent_index = sent_index;
    c->caps = 1;
    for (size_t i = ss; i < se && c->caps; i++)
        if (c->t[i] >= 'a' && c->t[i] <= 'z')
            c->caps = 0;
    if (tokenize(c, ss, se) != 0 || find_cues(c) != 0)
        return -1;
    if (c->n_cues == 0)
        return 0;
    mark_clauses(c);

    /* according/citing: the phrase after the cue, masked against other cues */
    for (size_t i = 0; i < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->list != L_ACC && q->list != L_CIT)
            continue;
        /* "according to figures from the UN", "citing data from": one cue, whose
         * source is the phrase after the inner one */
        if (i + 1 < c->n_cues && c->cues[i + 1].list == L_ACC && c->cues[i + 1].t0 == q->t1) {
            c->cues[i + 1].dead = 1;
            q->t1 = c->cues[i + 1].t1;
        }
        int clean;
        q->np1 = walk_fwd(c, q->t1, &clean);
        if (q->np1 == q->t1) {
            q->dead = 1;
            continue;
        }
        for (size_t k = q->t1; k < q->np1; k++)
            c->toks[k].mask = (int)i;
    }
    /* verbs: masked, used as nouns, or part of the next cue's source */
    for (size_t i = 0; i < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->list == L_ACC || q->list == L_CIT)
            continue;
        if (c->toks[q->t0].mask >= 0) {
            q->dead = 1;
            continue;
        }
        if (q->list != L_VERB)
            continue;
        size_t t0 = q->t0;
        /* a capitalised marker inside the sentence is part of a name ("China Legal
         * News reported") */
        if (t0 > 0 && tin(c, t0 - 1, noun_markers) && c->toks[t0 - 1].cue < 0 &&
            !(t0 > 1 && is_cap(c, t0 - 1) && !all_caps(c))) {
            q->dead = 1;
            continue;
        }
        /* "a previously reported 85", "the officially announced toll" */
        if (t0 > 1 && is_adverb(c, t0 - 1) && tin(c, t0 - 2, determiners)) {
            q->dead = 1;
            continue;
        }
        /* "the first confirmed case", "a greater say" */
        if (t0 > 1 && (tin(c, t0 - 1, ordinal_markers) || tw(c, t0, "say")) &&
            tin(c, t0 - 2, determiners) && c->toks[t0 - 1].ent < 0) {
            q->dead = 1;
            continue;
        }
    }
    for (size_t i = 0; i + 1 < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->dead || q->list != L_VERB || q->t1 - q->t0 != 1 || !tin(c, q->t0, nominal_cues))
            continue;
        size_t j = i + 1;
        while (j < c->n_cues && c->cues[j].dead)
            j++;
        if (j >= c->n_cues || c->cues[j].list != L_VERB)
            continue;
        int only_adv = 1;
        for (size_t k = q->t1; k < c->cues[j].t0; k++)
            if (!(c->toks[k].type == T_COMMA || is_adverb(c, k)))
                only_adv = 0;
        if (only_adv)
            q->absorbed = 1;
    }

    size_t first_attr = c->n_at;
    for (size_t i = 0; i < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->dead || q->absorbed)
            continue;
        if (q->list == L_VERB || q->list == L_QUOTED) {
            if (do_verb(c, i, first_attr) != 0)
                return -1;
        } else if (q->list == L_ACC) {
            attr_t *r = new_attr(c, q->t0, "according_to");
            if (!r)
                return -1;
            r->cue_s = c->toks[q->t0].s;
            r->cue_e = c->toks[q->t1 - 1].e;
            set_source(c, r, q->t1, q->np1, SIZE_MAX);
            r->speaker = r->value;
            r->span_s = r->cue_s;
            r->span_e = c->toks[q->np1 - 1].e;
        }
    }
    /* citing not inside a parenthetical: joins the clause's attribution, else stands */
    for (size_t i = 0; i < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->list != L_CIT || q->dead || q->consumed)
            continue;
        int cl = c->toks[q->t0].clause;
        attr_t *h = host_before(c, first_attr, q->t0, cl);
        if (h && (strcmp(h->kind, "citing") == 0 || h->inherited)) {
            /* the host of a participle, or already citing: the first non-inherited one */
            h = NULL;
            for (size_t k = first_attr; k < c->n_at; k++) {
                attr_t *r = &c->at[k];
                if (r->clause == cl && r->anchor < q->t0 && !r->inherited && !r->audience &&
                    strcmp(r->kind, "citing") != 0 && strcmp(r->kind, "according_to") != 0 &&
                    strcmp(r->kind, "address") != 0)
                    h = r;
            }
        }
        if (!h) {
            for (size_t k = first_attr; k < c->n_at; k++) {
                attr_t *r = &c->at[k];
                if (r->clause == cl && r->anchor > q->t0 && !r->inherited && !r->audience &&
                    strcmp(r->kind, "citing") != 0 && strcmp(r->kind, "according_to") != 0 &&
                    strcmp(r->kind, "address") != 0) {
                    h = r;
                    break;
                }
            }
        }
        if (h) {
            merge_citing(c, h, q);
            continue;
        }
        attr_t *r = new_attr(c, q->t0, "citing");
        if (!r)
            return -1;
        r->cue_s = c->toks[q->t0].s;
        r->cue_e = c->toks[q->t1 - 1].e;
        set_source(c, r, q->t1, q->np1, SIZE_MAX);
        r->span_s = r->cue_s;
        r->span_e = c->toks[q->np1 - 1].e;
    }
    /* "in his address": only when nothing else attributes the clause */
    for (size_t i = 0; i < c->n_cues; i++) {
        cue_t *q = &c->cues[i];
        if (q->list != L_ADDR || q->dead)
            continue;
        int cl = c->toks[q->t0].clause, other = 0;
        for (size_t k = first_attr; k < c->n_at; k++)
            if (c->at[k].clause == cl)
                other = 1;
        if (other)
            continue;
        attr_t *r = new_attr(c, q->t0, "address");
        if (!r)
            return -1;
        r->cue_s = c->toks[q->t0].s;
        r->cue_e = c->toks[q->t1 - 1].e;
        r->span_s = r->cue_s;
        r->span_e = r->cue_e;
        /* "In his address, the minister listed ...": the name after the comma */
        size_t b = q->t1;
        if (b < c->n_toks && c->toks[b].type == T_COMMA)
            b++;
        if (is_word(c, b) && c->toks[b].ent >= 0) {
            size_t fe = b;
            while (fe < c->n_toks && c->toks[fe].ent == c->toks[b].ent)
                fe++;
            set_source(c, r, b, fe, SIZE_MAX);
        }
        if (!r->value) {
            set_source(c, r, q->t0 + 1, q->t0 + 2, SIZE_MAX);   /* his / her */
            r->pronoun = 1;
        }
        r->speaker = r->value;
    }

    /* scopes */
    size_t n = c->n_at - first_attr;
    if (n == 0)
        return 0;
    int n_cl = (int)c->n_bounds + 1, attributed = 0;
    int has[65];
    memset(has, 0, sizeof has);
    for (size_t k = first_attr; k < c->n_at; k++)
        has[c->at[k].clause] = 1;
    for (int k = 0; k < n_cl; k++)
        attributed += has[k];
    for (size_t k = first_attr; k < c->n_at; k++) {
        attr_t *r = &c->at[k];
        if (attributed <= 1) {
            r->scope_s = ss;
            r->scope_e = se;
            continue;
        }
        int first = 1, next = n_cl;
        for (int j = 0; j < r->clause; j++)
            if (has[j])
                first = 0;
        for (int j = r->clause + 1; j < n_cl; j++)
            if (has[j]) {
                next = j;
                break;
            }
        r->scope_s = first ? ss : clause_start(c, r->clause);
        r->scope_e = next < n_cl ? clause_end(c, next - 1) : se;
    }
    for (size_t k = first_attr; k < c->n_at; k++)
        if (c->at[k].rel_from > c->at[k].scope_s && c->at[k].rel_from < c->at[k].scope_e)
            c->at[k].scope_s = c->at[k].rel_from;
    /* "Peru announced a relief programme after the flood which killed 120 people": a
     * cue with a noun object governs the object, not a relative clause after it */
    for (size_t k = first_attr; k < c->n_at; k++) {
        attr_t *r = &c->at[k];
        size_t t = r->anchor;
        if (strcmp(r->kind, "verb") != 0 || r->inverted || r->inherited ||
            !tin(c, t, noun_object_cues) || !tin(c, t + 1, object_starts))
            continue;
        for (size_t j = t + 2; j < c->n_toks && c->toks[j].s < r->scope_e; j++) {
            if (tw(c, j, "that") || c->toks[j].cue >= 0)
                break;
            if (tw(c, j, "which") || tw(c, j, "who")) {
                size_t cut = c->toks[j].s;
                if (j > 0 && c->toks[j - 1].type == T_COMMA)
                    cut = c->toks[j - 1].s;
                if (cut > r->scope_s)
                    r->scope_e = cut;
                break;
            }
        }
    }
    /* "More than 900 soldiers have died since 1990, and Jones announced ...": a source
     * right after ", and" or ", but" starts a clause of its own; when the words before
     * the comma hold a verb, that complete clause is not the source's */
    for (size_t k = first_attr; k < c->n_at; k++) {
        attr_t *r = &c->at[k];
        size_t a = r->src_tok;
        if (!r->has_src || r->inverted || r->inherited || a < 3 ||
            strcmp(r->kind, "according_to") == 0 || strcmp(r->kind, "citing") == 0 ||
            !(tw(c, a - 1, "and") || tw(c, a - 1, "but")) ||
            c->toks[a - 2].type != T_COMMA || c->toks[a - 1].s <= r->scope_s)
            continue;
        size_t from = 0;
        while (from < a - 2 && c->toks[from].s < r->scope_s)
            from++;
        if (has_finite(c, from, a - 2))
            r->scope_s = c->toks[a - 1].s;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Output                                                                                */

static void jb_raw(jbuf_t *b, const char *s, size_t n)
{
    if (b->fail)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *p = realloc(b->p, nc);
        if (!p) {
            b->fail = 1;
            return;
        }
        b->p = p;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void jb_lit(jbuf_t *b, const char *s)
{
    jb_raw(b, s, strlen(s));
}

static void jb_num(jbuf_t *b, size_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%zu", v);
    jb_raw(b, tmp, (size_t)n);
}

/* A JSON string; lower-cases ASCII when lower is set; NULL is null. */
static void jb_str(jbuf_t *b, const char *s, size_t n, int lower)
{
    if (!s) {
        jb_lit(b, "null");
        return;
    }
    jb_raw(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\' || ch < 0x20 || (lower && ch >= 'A' && ch <= 'Z')) {
            jb_raw(b, s + run, i - run);
            run = i + 1;
            if (lower && ch >= 'A' && ch <= 'Z') {
                char l = (char)lc(ch);
                jb_raw(b, &l, 1);
            } else if (ch == '"') {
                jb_lit(b, "\\\"");
            } else if (ch == '\\') {
                jb_lit(b, "\\\\");
            } else if (ch == '\n') {
                jb_lit(b, "\\n");
            } else if (ch == '\t') {
                jb_lit(b, "\\t");
            } else {
                char tmp[8];
                snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)ch);
                jb_lit(b, tmp);
            }
        }
    }
    jb_raw(b, s + run, n - run);
    jb_raw(b, "\"", 1);
}

static void jb_cstr(jbuf_t *b, const char *s)
{
    jb_str(b, s, s ? strlen(s) : 0, 0);
}

static int emit_attr(call_t *c, const attr_t *r)
{
    jbuf_t *b = &c->jb;
    const char *t = c->t;
    b->n = 0;
    b->fail = 0;
    jb_lit(b, "{\"cue\":");
    jb_str(b, t + r->cue_s, r->cue_e - r->cue_s, 1);
    jb_lit(b, ",\"kind\":");
    jb_cstr(b, r->kind);
    jb_lit(b, ",\"source_text\":");
    if (r->has_src) {
        jb_str(b, t + r->src_s, r->src_e - r->src_s, 0);
        jb_lit(b, ",\"source_start\":");
        jb_num(b, r->src_s);
        jb_lit(b, ",\"source_end\":");
        jb_num(b, r->src_e);
    } else {
        jb_lit(b, "null,\"source_start\":null,\"source_end\":null");
    }
    jb_lit(b, ",\"speaker\":");
    jb_cstr(b, r->speaker);
    jb_lit(b, ",\"sentence\":");
    if (c->sent_index >= 0)
        jb_num(b, (size_t)c->sent_index);
    else
        jb_lit(b, "null");
    jb_lit(b, ",\"scope_start\":");
    jb_num(b, r->scope_s);
    jb_lit(b, ",\"scope_end\":");
    jb_num(b, r->scope_e);
    jb_lit(b, r->pronoun ? ",\"pronoun\":true" : ",\"pronoun\":false");
    if (!r->value && r->sid[0]) {
        jb_lit(b, ",\"source_id\":");
        jb_cstr(b, r->sid);
    }
    if (r->n_parties > 1) {
        jb_lit(b, ",\"parties\":[");
        for (int i = 0; i < r->n_parties; i++) {
            if (i)
                jb_lit(b, ",");
            jb_cstr(b, r->parties[i]);
        }
        jb_lit(b, "]");
    }
    if (r->has_spk) {
        jb_lit(b, ",\"speaker_text\":");
        jb_str(b, t + r->spk_s, r->spk_e - r->spk_s, 0);
        jb_lit(b, ",\"speaker_start\":");
        jb_num(b, r->spk_s);
        jb_lit(b, ",\"speaker_end\":");
        jb_num(b, r->spk_e);
    }
    if (r->has_verb) {
        jb_lit(b, ",\"verb\":");
        jb_str(b, t + r->verb_s, r->verb_e - r->verb_s, 1);
    }
    if (r->negated)
        jb_lit(b, ",\"negated\":true");
    if (r->inverted)
        jb_lit(b, ",\"inverted\":true");
    if (r->inherited)
        jb_lit(b, ",\"inherited\":true");
    if (r->refers_back)
        jb_lit(b, ",\"refers_back\":true");
    if (r->audience)
        jb_lit(b, ",\"audience\":true");
    jb_lit(b, "}");
    if (b->fail)
        return -1;
    cc_mention_t m;
    memset(&m, 0, sizeof m);
    m.kind = "attribution";
    m.start = (uint32_t)r->span_s;
    m.end = (uint32_t)r->span_e;
    m.value = r->value;
    m.attrs = b->p;
    c->st->host->emit(c->out, &m);
    return 0;
}

/* A definite description with no party of its own ("the high command", "the ministry")
 * takes the party of the latest earlier source in the document whose head ends with the
 * same words ("Mali's military high command", "Peru's health ministry"). */
static void refer_back(call_t *c, attr_t *r)
{
    size_t kl = strlen(r->sid);
    size_t n = c->n_hist < HIST ? c->n_hist : HIST;
    for (size_t k = 0; k < n; k++) {
        size_t h = (c->n_hist - 1 - k) % HIST;
        const char *key = c->hist[h].key;
        size_t hl = strlen(key);
        if (hl < kl || memcmp(key + hl - kl, r->sid, kl) != 0 ||
            (hl > kl && key[hl - kl - 1] != '_'))
            continue;
        r->value = c->hist[h].value;
        r->speaker = r->value;
        r->pronoun = 0;
        r->refers_back = 1;
        return;
    }
}

static int flush(call_t *c)
{
    /* in order of their spans (insertion sort: a sentence holds a handful) */
    for (size_t i = 1; i < c->n_at; i++) {
        attr_t x = c->at[i];
        size_t j = i;
        while (j > 0 && c->at[j - 1].span_s > x.span_s) {
            c->at[j] = c->at[j - 1];
            j--;
        }
        c->at[j] = x;
    }
    for (size_t i = 0; i < c->n_at; i++) {
        attr_t *r = &c->at[i];
        if (!r->value && r->definite && r->sid[0])
            refer_back(c, r);
        /* "..., the magazine reported." after an analyst: a source of its own */
        if (r->pronoun && r->media && c->prev_person)
            r->pronoun = 0;
        if (r->has_src)
            c->prev_person = r->person;
        if (r->value && r->sid[0] && !r->refers_back) {
            size_t h = c->n_hist++ % HIST;
            memcpy(c->hist[h].key, r->sid, sizeof r->sid);
            c->hist[h].value = r->value;
        }
        if (emit_attr(c, r) != 0)
            return -1;
    }
    c->n_at = 0;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Entities                                                                              */

/* Whether the JSON object text has "key": true. */
static int json_true(const char *json, const char *key)
{
    if (!json)
        return 0;
    size_t kl = strlen(key);
    for (const char *p = strstr(json, key); p; p = strstr(p + 1, key)) {
        if (p == json || p[-1] != '"' || p[kl] != '"')
            continue;
        const char *q = p + kl + 1;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (*q != ':')
            continue;
        q++;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        return strncmp(q, "true", 4) == 0;
    }
    return 0;
}

static int ent_cmp(const void *a, const void *b)
{
    const ent_t *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e > y->e ? -1 : 1;
    return 0;
}

static int load_entities(call_t *c)
{
    const cc_doc_view_t *doc = c->doc;
    size_t n = 0;
    if (!doc->mentions)
        return 0;
    for (size_t i = 0; i < doc->n_mentions; i++)
        if (doc->mentions[i].kind && strcmp(doc->mentions[i].kind, "entity") == 0)
            n++;
    if (n == 0)
        return 0;
    c->ents = calloc(n, sizeof *c->ents);
    if (!c->ents)
        return -1;
    for (size_t i = 0; i < doc->n_mentions; i++) {
        const cc_mention_t *m = &doc->mentions[i];
        if (!m->kind || strcmp(m->kind, "entity") != 0 || m->start >= m->end ||
            m->end > doc->text_len)
            continue;
        ent_t *e = &c->ents[c->n_ents++];
        e->s = m->start;
        e->e = m->end;
        e->value = m->value;
        e->adj = json_true(m->attrs, "adjective");
        e->poss = json_true(m->attrs, "possessive");
    }
    qsort(c->ents, c->n_ents, sizeof *c->ents, ent_cmp);
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Plugin entry points                                                                   */

static void a_fini(void *state);

static int a_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    *state = NULL;
    if (!host || !host->emit)
        return CC_PLUGIN_ERROR;
    astate_t *st = calloc(1, sizeof *st);
    if (!st)
        return CC_PLUGIN_ERROR;
    st->host = host;
    if (plist_load(&st->verbs, host, cfg, "verbs", default_verbs) != 0 ||
        plist_load(&st->acc, host, cfg, "according_to", default_according) != 0 ||
        plist_load(&st->cit, host, cfg, "citing", default_citing) != 0) {
        a_fini(st);
        return CC_PLUGIN_ERROR;
    }
    *state = st;
    return CC_PLUGIN_OK;
}

static int zone_wanted(const cc_doc_view_t *doc, size_t z)
{
    return z < doc->n_zones &&
           (doc->zones[z].kind == CC_ZONE_TITLE || doc->zones[z].kind == CC_ZONE_BODY);
}

static int a_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    astate_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0)
        return CC_PLUGIN_OK;
    call_t c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.doc = doc;
    c.out = out;
    c.t = doc->text;
    int rc = CC_PLUGIN_OK;
    if (load_entities(&c) != 0) {
        rc = CC_PLUGIN_ERROR;
        goto done;
    }
    if (doc->n_sentences > 0 && doc->sentences) {
        for (size_t i = 0; i < doc->n_sentences; i++) {
            const cc_sentence_t *s = &doc->sentences[i];
            size_t ss = s->start, se = s->end;
            if (!zone_wanted(doc, s->zone))
                continue;
            if (se > doc->text_len)
                se = doc->text_len;
            if (ss >= se)
                continue;
            if (do_sentence(&c, ss, se, (long)i) != 0 || flush(&c) != 0) {
                rc = CC_PLUGIN_ERROR;
                goto done;
            }
        }
    } else {
        /* no sentences: one line at a time */
        for (size_t z = 0; z < doc->n_zones; z++) {
            if (!zone_wanted(doc, z))
                continue;
            size_t zs = doc->zones[z].start, ze = doc->zones[z].end;
            if (ze > doc->text_len)
                ze = doc->text_len;
            while (zs < ze) {
                const char *nl = memchr(c.t + zs, '\n', ze - zs);
                size_t le = nl ? (size_t)(nl - c.t) : ze;
                if (zs < le && (do_sentence(&c, zs, le, -1) != 0 || flush(&c) != 0)) {
                    rc = CC_PLUGIN_ERROR;
                    goto done;
                }
                zs = le + 1;
            }
        }
    }
done:
    if (c.oom && st->host->log)
        st->host->log(st->host, CC_LOG_ERROR, "%s: out of memory",
                      doc->name ? doc->name : "?");
    free(c.ents);
    free(c.toks);
    free(c.cues);
    free(c.at);
    free(c.jb.p);
    return rc;
}

static void a_fini(void *state)
{
    astate_t *st = state;
    if (!st)
        return;
    plist_free(&st->verbs);
    plist_free(&st->acc);
    plist_free(&st->cit);
    free(st);
}

static const char *const a_needs[] = { "entity", NULL };
static const char *const a_produces[] = { "attribution", NULL };

static const cc_plugin_t a_descriptor = {
    CC_PLUGIN_HEADER,
    "attribution",
    "1.0",
    "who each statement or figure is attributed to: source phrase, cue, claimant party",
    a_needs,
    a_produces,
    a_init,
    a_extract,
    a_fini
};

CC_PLUGIN_EXPORT const cc_plugin_t *cc_plugin_descriptor(void)
{
    return &a_descriptor;
}
