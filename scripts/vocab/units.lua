-- The counted noun after a figure, normalised. Each unit lists the words (lower case)
-- that name it; singular and plural both.
return {
  soldiers  = { "soldiers", "soldier", "troops", "troop", "fighters", "fighter",
                "servicemen", "serviceman", "personnel", "forces", "combatants" },
  officers  = { "officers", "officer" },
  generals  = { "generals", "general" },
  civilians = { "civilians", "civilian", "noncombatants" },
  people    = { "people", "persons", "person", "residents", "individuals" },
  children  = { "children", "child" },
  prisoners = { "prisoners", "prisoner", "captives", "hostages", "hostage" },
}
