-- Parties: canonical ids with the names that refer to them (countries, demonyms,
-- capitals, agencies, office holders). Names are matched case-sensitively as whole
-- words; the longest name wins where two overlap ("South Korean" before "Korean").
-- An analyst adds a party or an alias here, e.g.  red_cross = { "Red Cross", "ICRC" },
return {
  ukraine = { "Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev", "Zelensky",
              "Zelenskyy", "Zelenskiy", "Main Intelligence Directorate", "HUR", "GUR" },
  russia = { "Russia", "Russian", "Russians", "Moscow", "Kremlin", "Putin" },
  north_korea = { "North Korea", "North Korean", "North Koreans", "DPRK", "Pyongyang",
                  "Kim Jong Un" },
  south_korea = { "South Korea", "South Korean", "South Koreans", "Seoul",
                  "National Intelligence Service", "NIS", "Yonhap" },
  united_states = { "United States", "U.S.", "US", "USA", "American", "Americans",
                    "Washington", "White House", "Pentagon", "National Security Council",
                    "John Kirby", "Kirby" },
}
