-- What a figure counts. Each measure lists its cue phrases (lower case, whole words) by
-- where they stand from the figure, because that is what tells them apart in news:
--
--   after   after the figure and its noun, across "were", "have been", "reported",
--           "feared" and the like: "40 people were killed", "17 died", "40 dead",
--           "about 300 missing", "2,000 are still unaccounted for"
--   nouns   the figure's own noun says what it counts: "3,000 casualties", "31 deaths",
--           "the loss of 1,200 lives", "150 prisoners of war"
--   before  before the figure: a verb whose object it is ("killing 40 people",
--           "captured 35", "arrested 12 students") or a toll whose value it is ("a death
--           toll of 63", "the toll rose to 63", "put the number of dead at 31",
--           "casualties were put at 3,000")
--
-- A measure given as a plain list of phrases ({ "evacuated", "forced to leave" }, as an
-- analyst's vocabulary file may do) uses them in every position. Where phrases overlap
-- the longest wins, so "killed or wounded" (casualties) beats "killed" (killed).
--
-- `weak_nouns` and `weak_cues` (optional): nouns of `nouns` that give the measure only
-- when one of the weak cues stands shortly before the figure.
-- `party_cues` (optional): cues of `before` that are a toll only with a party right
-- before them ("Eritrean losses were put at 2,500", not "job losses totalled 9,000").
-- `default_nouns` (optional): the nouns that `default_for` applies to.
-- `noun_cues` (optional): cues of `before` that count people only when the figure has a
-- counted noun of its own.
-- `context` (optional): the measure holds only in a document that has one of these
-- words ("affected" by a flood, not by a lockout).
-- `units` (optional) limits a measure to figures counting one of those units (see
-- vocab/units.lua): troops are deployed, a ferry's 17 patients "sent to hospital" are not.
-- `default_for` (optional) makes it the measure of a figure of those units that no cue
-- explains ("1,800 Belgian troops supported the offensive").
--
-- To add a measure, add an entry, e.g.
--   evacuated = { after = { "evacuated" }, before = { "evacuated", "evacuating" } },
return {
  casualties = {
    after = { "killed or wounded", "killed and wounded", "killed or injured",
              "killed and injured", "dead or wounded", "dead and wounded", "dead or injured",
              "dead and injured", "killed, wounded or captured", "killed, wounded or taken prisoner",
              "killed or captured", "dead, wounded or missing", "killed, wounded or missing",
              "put out of action" },
    nouns = { "casualties", "dead and wounded", "killed and wounded",
              "dead and injured", "killed or wounded" },
    before = { "killed or wounded", "killed and wounded", "killed or injured",
               "killed and injured", "killing or wounding", "killing and wounding",
               "casualties", "casualty toll", "casualty figure", "losses", "the loss of",
               "loss of", "number of casualties", "number of dead and wounded", "lost",
               "losing", "lose", "loses" },
    -- money is lost far more often than lives: "losses" as a toll needs a party before
    -- it ("Eritrean losses at 2,500"), "loss of" a figure with a noun of people
    party_cues = { "losses", "loss of", "the loss of" },
    -- and "lost" counts people only with its noun ("lost 1,500 soldiers", not "lost
    -- seven" rigs, seats or points)
    noun_cues = { "lost", "losing", "lose", "loses" },
  },
  killed = {
    after = { "killed", "dead", "died", "dies", "die", "drowned", "perished", "slain",
              "lost their lives", "lost their life", "shot dead", "burned to death",
              "burnt to death", "crushed to death", "stabbed to death", "beaten to death",
              "hacked to death", "shot to death", "frozen to death", "starved to death",
              "trampled to death", "bludgeoned to death", "burned alive", "executed", "massacred", "murdered", "killed outright",
              "confirmed dead", "feared dead", "presumed dead", "reported dead",
              "believed dead", "were dead", "have died", "fatally injured",
              "fatally wounded", "succumbed" },
    nouns = { "dead", "deaths", "fatalities", "bodies", "lives", "corpses", "killed",
              "death" },
    -- nouns that count the dead only after one of `weak_cues` ("the loss of 1,500
    -- lives", "recovered 40 bodies"), not alone ("two leadership bodies")
    weak_nouns = { "bodies", "lives", "corpses", "life", "body" },
    weak_cues = { "loss", "losses", "lost", "losing", "claimed", "claiming", "took",
                  "taking", "cost", "costing", "recovered", "found", "pulled", "retrieved",
                  "identified", "buried", "counted", "collected", "washed", "brought" },
    before = { "killed", "killing", "kills", "kill", "death toll", "toll", "tolls",
               "dead", "deaths", "fatalities", "number of dead", "number of deaths",
               "number of people killed", "number of those killed", "number killed",
               "claimed the lives of", "claiming the lives of", "took the lives of",
               "shot dead", "massacred", "executed", "murdered", "death count",
               "body count", "killed at least", "fatality" },
  },
  wounded = {
    after = { "wounded", "injured", "hurt", "seriously wounded", "seriously injured", "slightly injured",
              "slightly wounded", "treated for injuries", "suffered injuries",
              "suffered slight injuries", "suffered minor injuries",
              "suffered serious injuries", "sustained injuries", "were treated in hospital",
              "taken to hospital" },
    nouns = { "wounded", "injured", "injuries", "wounds" },
    before = { "wounded", "wounding", "wounds", "injured", "injuring", "injures", "injure",
               "number of injured", "number of wounded", "number of people injured",
               "number of people wounded", "injury toll" },
  },
  missing = {
    after = { "missing", "unaccounted for", "still missing", "reported missing",
              "listed as missing", "remain missing", "remained missing", "disappeared",
              "missing and feared dead" },
    nouns = { "missing" },
    before = { "number of missing", "number of people missing" },
  },
  dead_or_missing = {
    after = { "dead or missing", "missing or dead", "missing or feared dead",
              "dead or presumed dead", "missing, presumed dead", "killed or missing",
              "missing or killed", "died or were missing", "died or are missing",
              "died or went missing", "dead or unaccounted for", "killed or are missing",
              "killed or were missing" },
    nouns = { "dead or missing", "dead and missing", "dead or presumed dead" },
    before = { "dead or missing", "dead and missing", "dead or presumed dead",
               "killed or missing" },
  },
  captured = {
    after = { "captured", "taken prisoner", "taken captive", "taken hostage",
              "held hostage", "held captive", "kidnapped", "abducted", "seized",
              "taken prisoners" },
    nouns = { "prisoners of war", "prisoner of war", "pows", "prisoners", "captives",
              "hostages" },
    before = { "captured", "capturing", "captures", "capture", "took prisoner",
               "taking prisoner", "kidnapped", "kidnapping", "abducted", "abducting",
               "seized", "taken prisoner" },
  },
  arrested = {
    after = { "arrested", "detained", "taken into custody", "rounded up", "jailed",
              "held for questioning", "in custody" },
    nouns = { "arrests", "detainees", "detentions" },
    before = { "arrested", "arresting", "arrests", "arrest", "detained", "detaining",
               "detains", "rounded up", "jailed", "number of arrests",
               "number of people arrested", "number of detainees" },
  },
  displaced = {
    after = { "displaced", "homeless", "left homeless", "evacuated", "fled",
              "fled their homes", "forced from their homes", "forced to flee",
              "made homeless", "uprooted", "rendered homeless", "left without shelter",
              "lost their homes", "forced out of their homes", "driven from their homes" },
    nouns = { "refugees", "evacuees", "displaced", "homeless", "displaced people",
              "internally displaced" },
    before = { "displaced", "displacing", "evacuated", "evacuating", "number of displaced",
               "number of refugees", "number of homeless", "forced out" },
  },
  deployed = {
    after = { "deployed", "stationed", "massed", "amassed", "dispatched", "sent",
              "posted", "based", "serving", "arrived", "took part", "were in",
              "are in", "remain in", "on the border" },
    before = { "deployed", "deploying", "deploy", "deploys", "sent", "sending", "send",
               "withdraw", "withdrawing", "withdrew", "withdrawn", "pull out", "pulling out",
               "pulled out", "withdrawal of", "keep", "keeps", "keeping", "maintains",
               "hosts", "hosting", "hosted", "host", "houses",
               "dispatched", "dispatching", "massed", "massing", "stationed", "stationing",
               "a force of", "force of", "forces of", "contingent of", "garrison of",
               "army of", "reinforcements of", "number of troops",
               "number of soldiers" },
    units = { "soldiers", "officers", "generals" },
    default_for = { "soldiers" },
    -- the nouns of those units that say troops rather than a kind of fighter or
    -- aircraft ("72 Tornado fighters")
    default_nouns = { "troops", "soldiers", "servicemen", "marines", "paratroopers",
                      "forces", "personnel", "peacekeepers", "infantrymen", "reservists",
                      "conscripts", "guardsmen", "commandos", "sailors", "airmen",
                      "officers", "generals" },
  },
  rescued = {
    after = { "rescued", "saved", "pulled out alive", "pulled alive", "plucked to safety",
              "brought to safety", "brought out alive", "brought safely out", "brought safely", "led to safety", "carried to safety",
              "pulled to safety", "brought to the surface",
              "airlifted to safety", "winched to safety", "picked up", "found alive",
              "evacuated safely" },
    nouns = { "survivors rescued" },
    before = { "rescued", "rescuing", "rescues", "pulled out", "plucked", "pulled",
               "pulling", "airlifted", "evacuated to safety" },
  },
  affected = {
    after = { "affected", "stricken" },
    before = { "affected", "affecting", "affects" },
    -- people are affected by a disaster; a lockout or a budget affects employees
    context = { "flood", "floods", "flooding", "earthquake", "quake", "tremor", "storm",
                "storms", "cyclone", "hurricane", "typhoon", "tornado", "drought",
                "famine", "tsunami", "disaster", "epidemic", "outbreak", "fire", "fires",
                "wildfire", "wildfires", "landslide", "landslides", "eruption", "volcano",
                "blizzard", "heatwave", "heat wave", "monsoon", "cholera", "pandemic",
                "war", "conflict", "fighting", "crisis", "explosion", "spill", "leak" },
  },
}
