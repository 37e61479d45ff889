-- Vocabulary of the demo's fictional event, merged over scripts/vocab. This is how an
-- analyst teaches crosscheck the parties of a story and a measure the default pack lacks,
-- without touching the shipped files.
return {
  parties = {
    veldmark = { "Veldmark", "Veldmark's", "Interior Ministry", "Interior Minister",
                 "Hallvard", "Civil Defence Agency", "civil defence agency", "Marrow",
                 "Defence Ministry", "Tallow" },
    ostria = { "Ostria", "Ostrian", "Ostrians", "Ministry of Emergencies", "Brask", "Kessig" },
    red_crescent_veldmark = { "Red Crescent of Veldmark", "Red Crescent", "Fenn" },
  },
  measures = {
    evacuated = { "evacuated", "forced to leave", "evacuation" },
    displaced = { "displaced", "forced from their homes", "homeless" },
  },
}
