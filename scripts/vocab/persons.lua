-- Nouns that count people but have no unit of their own in vocab/units.lua: a figure
-- that counts one of them ("44 miners", "12 protesters") is a head count, and the noun
-- itself, in the plural, is its unit. Plural forms, lower case; the singular is
-- understood ("one miner"). Groups that fight or are fought count too ("1,800 rebels",
-- "hundreds of gunmen", "40 of the attackers").
return {
  -- people at work, travelling, or in a place
  "miners", "workers", "labourers", "laborers", "employees", "staff", "crew", "crewmen",
  "crew members", "seamen", "fishermen", "farmers", "peasants", "herders", "tribesmen",
  "passengers", "travellers", "travelers", "commuters", "pilgrims", "tourists",
  "visitors", "guests", "shoppers", "worshippers", "worshipers", "mourners",
  "spectators", "fans", "pedestrians", "motorists", "drivers", "pilots",
  "students", "pupils", "teachers", "patients", "doctors", "nurses", "medics",
  "journalists", "reporters", "aid workers", "volunteers", "rescuers", "firefighters",
  "firemen", "policemen", "policewomen", "police officers", "police", "guards",
  "security guards", "bodyguards", "officials", "diplomats", "politicians",
  "lawmakers", "members", "supporters", "activists", "voters", "delegates",
  "executives", "managers", "directors", "bankers", "businessmen", "businesswomen",
  "traders", "engineers", "technicians", "contractors", "consultants", "advisers",
  "advisors", "clerics", "priests", "monks", "nuns", "missionaries", "churchgoers",
  "bystanders", "onlookers", "hikers", "climbers", "swimmers", "truckers", "astronauts",
  "athletes", "players", "footballers",
  "commanders", "captains", "colonels", "lieutenants", "sergeants", "corporals",
  "majors", "admirals", "brigadiers", "defectors", "spies", "servicewomen",
  "households", "spokesmen",
  -- people by age, sex, family
  "men", "women", "boys", "girls", "adults", "teenagers", "youths", "elderly",
  "pensioners", "family members", "relatives", "families", "mothers",
  "fathers", "brothers", "sisters", "sons", "daughters", "widows", "orphans",
  -- people in a situation
  "protesters", "protestors", "demonstrators", "rioters", "strikers", "marchers",
  "migrants", "immigrants", "emigrants", "asylum seekers", "refugees", "evacuees",
  "settlers", "nationals", "foreigners", "expatriates", "expats", "colonists",
  "inmates", "detainees", "convicts", "suspects", "defendants", "victims", "survivors",
  "casualties", "bodies", "lives", "dead", "wounded", "injured", "missing", "homeless",
  "displaced",
  -- groups that fight or are fought
  "rebels", "guerrillas", "guerillas", "insurgents", "militants", "gunmen", "attackers",
  "assailants", "raiders", "terrorists", "separatists", "extremists", "jihadists",
  "fundamentalists", "bandits", "pirates", "smugglers", "poachers", "robbers",
  "kidnappers", "hijackers", "snipers", "mercenaries", "partisans", "invaders",
  "enemy", "enemies", "enemy soldiers", "enemy troops", "militia", "militias",
  -- faiths and peoples written as common nouns
  "muslims", "christians", "hindus", "sikhs", "jews", "buddhists", "catholics",
  "protestants", "shi'ites", "shiites", "sunnis", "kurds", "tamils", "blacks", "whites",
  "tutsis", "hutus", "rohingya",
  "uighurs", "uyghurs", "pashtuns", "druze", "alawites", "copts", "yazidis",
}
