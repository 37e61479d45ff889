-- Parties: canonical ids with the names that refer to them (countries, demonyms,
-- capitals, agencies, office holders). Names are matched case-sensitively as whole
-- words (in a headline written in capitals, without regard to case, except all-capital
-- acronyms); the longest name wins where two overlap ("South Korean" before "Korean").
-- An analyst adds a party or an alias here, e.g.  red_cross = { "Red Cross", "ICRC" },
--
-- State news agencies and state broadcasters speak for their government, so they
-- resolve to their state ("IRNA said" is Iran's claim). Only agencies that are run by
-- the state are listed: AP, AFP, Reuters, Kyodo, ANP, dpa and the like are claimants of
-- their own (the attribution plugin gives them a source_id). "Radio Pakistan", "Tehran
-- television" or "Iraq's state radio" need no entry: the country's name or capital in
-- them already resolves. Tass goes to russia, the id that also holds Moscow (and, for
-- archive copy, the Soviet Union).
--
-- Left out on purpose, because the abbreviation names something else as often:
--   "PNA" (also the Palestinian National Authority: the Philippine News Agency keeps its
--   full name), "MENA" (the Middle East and North Africa region: the Middle East News
--   Agency keeps its full name), "ENA", "BNA", "WAM", "QNA" (too short to be safe),
--   "Petra" and "Wafa" (first names: Jordan's and Palestine's agencies keep "Jordan News
--   Agency" and "WAFA"), "CCTV" (closed-circuit cameras).
return {
  ukraine = { "Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev", "Zelensky",
              "Zelenskyy", "Zelenskiy", "Main Intelligence Directorate", "HUR", "GUR",
              "Ukrinform" },
  russia = { "Russia", "Russian", "Russians", "Moscow", "Kremlin", "Putin",
             "Tass", "TASS", "ITAR-TASS", "ITAR-Tass", "RIA Novosti", "Novosti", "Pravda",
             "Izvestia",
             -- the Soviet Union, in archive copy: Russia is its continuator state
             "Soviet Union", "USSR", "U.S.S.R.", "Soviet", "Soviets" },
  north_korea = { "North Korea", "North Korean", "North Koreans", "DPRK", "Pyongyang",
                  "Kim Jong Un", "Korean Central News Agency", "KCNA", "Rodong Sinmun" },
  south_korea = { "South Korea", "South Korean", "South Koreans", "Seoul",
                  "National Intelligence Service", "NIS", "Yonhap" },
  united_states = { "United States", "U.S.", "US", "USA", "American", "Americans",
                    "Washington", "White House", "Pentagon", "National Security Council",
                    "John Kirby", "Kirby" },

  -- State news agencies, newspapers and broadcasters
  afghanistan = { "Bakhtar" },
  china = { "Xinhua", "New China News Agency", "People's Daily", "China Central Television" },
  cuba = { "Prensa Latina", "Granma" },
  egypt = { "Middle East News Agency" },
  india = { "All India Radio", "Doordarshan" },
  indonesia = { "Antara" },
  iran = { "IRNA", "Islamic Republic News Agency", "Pars News Agency" },
  iraq = { "INA", "Iraqi News Agency" },
  jordan = { "Jordan News Agency" },
  kuwait = { "KUNA", "Kuwait News Agency" },
  libya = { "JANA", "Jamahiriya News Agency" },
  malaysia = { "Bernama" },
  pakistan = { "Associated Press of Pakistan", "APP" },
  palestine = { "WAFA" },
  philippines = { "Philippine News Agency" },
  saudi_arabia = { "Saudi Press Agency", "SPA" },
  sudan = { "SUNA", "Sudan News Agency" },
  syria = { "SANA", "Syrian Arab News Agency" },
  turkey = { "Anadolu", "Anadolu Agency" },
  vietnam = { "Vietnam News Agency", "VNA" },
  united_arab_emirates = { "Emirates News Agency" },
  qatar = { "Qatar News Agency" },
  oman = { "Oman News Agency" },
  bahrain = { "Bahrain News Agency" },
  ethiopia = { "Ethiopian News Agency" },
  poland = { "Polish Press Agency" },
}
