-- The counted noun after a figure, normalised. Each unit lists the nouns (lower case)
-- that name it, singular and plural both. A figure whose noun is in no list of this
-- file nor of vocab/persons.lua counts something other than people ("eight cities",
-- "50 tanks") and never becomes a claim.
--
-- "men" counts soldiers in a sentence about fighting (vocab/grammar.lua, military).
return {
  soldiers  = { "soldiers", "soldier", "troops", "troop", "fighters", "fighter",
                "servicemen", "serviceman", "servicemembers", "personnel", "forces",
                "combatants", "marines", "marine", "paratroopers", "paratrooper",
                "infantrymen", "infantryman", "commandos", "commando", "guardsmen",
                "guardsman", "revolutionary guards", "conscripts", "conscript",
                "reservists", "reservist", "recruits", "militiamen", "militiaman",
                "sailors", "airmen", "legionnaires", "peacekeepers", "peacekeeper",
                "regulars", "riflemen", "gunners", "tank crews", "sappers",
                "special forces", "armed forces", "ground forces", "army troops" },
  officers  = { "officers", "officer" },
  generals  = { "generals", "general" },
  civilians = { "civilians", "civilian", "noncombatants", "non-combatants" },
  people    = { "people", "persons", "person", "residents", "resident", "individuals",
                "inhabitants", "villagers", "villager", "citizens", "souls", "humans" },
  children  = { "children", "child", "kids", "babies", "baby", "infants", "infant",
                "minors", "toddlers", "schoolchildren", "youngsters" },
  prisoners = { "prisoners", "prisoner", "captives", "captive", "hostages", "hostage",
                "pows", "prisoners of war", "prisoner of war" },
}
