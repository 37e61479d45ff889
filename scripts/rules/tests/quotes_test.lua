-- Tests of rules/quotes.lua: a quotation attributed to different speakers, or worded
-- differently between outlets.

local LOSSES = "They have a lot of losses, and the Russians do not care about them at all."

local function docs(t, n)
  local out = {}
  for i = 1, n do
    out[i] = t:doc{ name = "d" .. i .. ".txt", outlet = "Outlet " .. string.char(64 + i) }
  end
  return out
end

test("the same words given to Zelensky and to Kirby are misattributed", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Zelensky" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "John Kirby" }
  local found = t:run{ "quotes" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { kind = "quote_misattributed", docs = { d[1], d[2] } })
  t:ok(f, "misattributed")
  t:ok(f.summary:find("Zelensky (Outlet A)", 1, true), f.summary)
  t:ok(f.summary:find("John Kirby (Outlet B)", 1, true), f.summary)
  t:eq(#f.details.pairs, 1)
end)

test("a speaker without a name is unknown, not a conflict", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Zelensky" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "the president" }
  t:quote{ doc = d[3], text = LOSSES }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("spellings and full names of one person are the same speaker", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Ukrainian President Volodymyr Zelensky" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Zelenskyy" }
  t:quote{ doc = d[3], text = LOSSES, speaker = "Volodymyr Zelenskiy" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("speakers of different parties cannot be one person", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Seoul's spy agency" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Zelensky" }
  t:ok(t:find(t:run{ "quotes" }, { kind = "quote_misattributed" }), "misattributed")
end)

test("two names that share no word are two people", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Andriy Yermak" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "General Oleksandr Syrskyi" }
  t:ok(t:find(t:run{ "quotes" }, { kind = "quote_misattributed" }), "misattributed")
end)

test("two speakers in one document are not compared", function(t)
  local d = docs(t, 1)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Zelensky" }
  t:quote{ doc = d[1], text = LOSSES, speaker = "Kirby" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("case, punctuation and curly quotes do not make a different wording", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "We don't know how many of them are still alive.",
           speaker = "Zelensky" }
  t:quote{ doc = d[2], text = "\u{201C}we don\u{2019}t know how many of them are  STILL alive\u{201D}",
           speaker = "Zelensky" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a changed word in the same quotation is an altered quote", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Zelensky" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Zelensky" }
  t:quote{ doc = d[3], speaker = "Zelensky",
           text = "They have a lot of losses, and the Russians do not care about them at all, believe me." }
  t:quote{ doc = d[3], speaker = "Zelensky",
           text = "They suffer a lot of losses, and the Russians do not care about them at all." }
  local found = t:run{ "quotes" }
  t:eq(#found, 1, "one finding: the added words at the end are an excerpt")
  local f = t:find(found, { kind = "quote_altered", docs = { d[1], d[2], d[3] } })
  t:ok(f, "altered")
  t:eq(f.details.differences, { { a = "have", b = "suffer" } })
  t:ok(f.summary:find("They have a lot of losses", 1, true), f.summary)
  t:ok(f.summary:find("They suffer a lot of losses", 1, true), f.summary)
  t:ok(f.summary:find("Zelensky", 1, true), "names the speaker")
end)

test("words left out in the middle without an ellipsis are an alteration", function(t)
  local d = docs(t, 3)
  local full = "We will hold the line in Kursk for as long as it takes, whatever the cost to us."
  t:quote{ doc = d[1], text = full, speaker = "Syrskyi" }
  t:quote{ doc = d[2], text = "We will hold the line in Kursk… whatever the cost to us.",
           speaker = "Syrskyi" }
  t:eq(t:run{ "quotes" }, {}, "an ellipsis marks the cut: no finding")
  t:quote{ doc = d[3], text = "We will hold the line in Kursk whatever the cost to us.",
           speaker = "Syrskyi" }
  local f = t:find(t:run{ "quotes" }, { kind = "quote_altered", docs = { d[1], d[3] } })
  t:ok(f, "an unmarked cut is an alteration")
  t:eq(f.details.differences[1].a, "for as long as it takes")
  t:eq(f.details.differences[1].b, "")
end)

test("an excerpt of a longer quotation is not an alteration", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], speaker = "Kirby",
           text = "Both high commands treated the new conscripts as spare parts." }
  t:quote{ doc = d[2], speaker = "Kirby",
           text = "Both high commands treated the new conscripts as spare parts " ..
                  "and sent them across the river without maps." }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a different quotation that shares a few words is not an alteration", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "We will not give up our land to anyone.", speaker = "Zelensky" }
  t:quote{ doc = d[2], text = "We will not give up the fight until the war is over.",
           speaker = "Zelensky" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("fragments and short quotations are skipped", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "minimal protection", speaker = "Zelensky", fragment = true }
  t:quote{ doc = d[2], text = "minimal protection", speaker = "Kirby", fragment = true }
  t:quote{ doc = d[1], text = "They are cannon fodder", speaker = "Zelensky" }
  t:quote{ doc = d[2], text = "They are cannon fodder", speaker = "Kirby" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a long fragment counts for its wording, not its speaker", function(t)
  local d = docs(t, 3)
  local q = "We are still searching house by house, and I fear the number of dead will rise"
  t:quote{ doc = d[1], text = q, speaker = "Hallvard" }
  t:quote{ doc = d[2], text = q, speaker = "Kirby", fragment = true }
  t:eq(t:run{ "quotes" }, {}, "a fragment's speaker is no misattribution")
  t:quote{ doc = d[3], fragment = true,
           text = "We are still searching house by house and I am afraid the death toll will rise." }
  local f = t:find(t:run{ "quotes" }, { kind = "quote_altered" })
  t:ok(f, "altered")
  t:eq(#f.details.differences, 2, "two changes")
end)

test("summaries quote long versions briefly", function(t)
  local d = docs(t, 2)
  local long = "Every day brings new reports from the front, and every day we learn that " ..
               "the enemy has lost more soldiers than the day before, which shows how " ..
               "little the lives of these men are worth to the people who sent them here."
  t:quote{ doc = d[1], text = long, speaker = "Zelensky" }
  t:quote{ doc = d[2], text = long:gsub("worth", "valued"), speaker = "Zelensky" }
  local f = t:find(t:run{ "quotes" }, { kind = "quote_altered" })
  t:ok(f, "altered")
  t:ok(#f.summary < 320, "short summary: " .. #f.summary)
  t:ok(f.summary:find("worth", 1, true) and f.summary:find("valued", 1, true),
       "the changed words are shown: " .. f.summary)
end)
