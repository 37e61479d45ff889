-- Which counted nouns count the same people, for the rules that compare figures
-- (lib/units.lua). Within one event and measure, figures whose nouns fall in one class
-- below are compared with each other; figures of different classes (soldiers and
-- civilians, officers and soldiers) count different people and are not. A noun in no
-- class is a class of its own.
return {
  -- Nouns that say only "persons": a figure with one of these (or with no noun: "56
  -- were rescued") joins the class of the other figures when the event's figures of
  -- the measure name one class only, and stands alone when they name several.
  generic = { "people", "persons", "victims", "bodies", "lives", "passengers",
              "casualties", "dead", "injured", "wounded" },
  -- Nouns that name one population; the key is the class's name in findings.
  classes = {
    workers = { "workers", "miners", "employees", "labourers", "laborers", "staff",
                "colliers", "crew", "crewmen" },
    police = { "policemen", "police", "policeman", "police officers", "constables" },
  },
}
