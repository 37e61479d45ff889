-- Tests of rules/quotes.lua: a quotation attributed to different speakers, or worded
-- differently between outlets.

local LOSSES = "They lose men every day, and their generals do not seem to mind at all."

local function docs(t, n)
  local out = {}
  for i = 1, n do
    out[i] = t:doc{ name = "d" .. i .. ".txt", outlet = "Outlet " .. string.char(64 + i) }
  end
  return out
end

test("the same words given to Kowalczyk and to Lindqvist are misattributed", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Maria Lindqvist" }
  local found = t:run{ "quotes" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { kind = "quote_misattributed", docs = { d[1], d[2] } })
  t:ok(f, "misattributed")
  t:ok(f.summary:find("Kowalczyk (Outlet A)", 1, true), f.summary)
  t:ok(f.summary:find("Maria Lindqvist (Outlet B)", 1, true), f.summary)
  t:eq(#f.details.pairs, 1)
end)

test("a speaker without a name is unknown, not a conflict", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "the president" }
  t:quote{ doc = d[3], text = LOSSES }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("spellings and full names of one person are the same speaker", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Czech Prime Minister Pavel Novotny" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Novotnyy" }
  t:quote{ doc = d[3], text = LOSSES, speaker = "Pavel Novotniy" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("speakers of different parties cannot be one person", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Helsinki's spy agency" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Budapest's army command" }
  t:ok(t:find(t:run{ "quotes" }, { kind = "quote_misattributed" }), "misattributed")
end)

test("two names that share no word are two people", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Jan Kowalski" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "General Piotr Nowak" }
  t:ok(t:find(t:run{ "quotes" }, { kind = "quote_misattributed" }), "misattributed")
end)

test("two speakers in one document are not compared", function(t)
  local d = docs(t, 1)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Kowalczyk" }
  t:quote{ doc = d[1], text = LOSSES, speaker = "Lindqvist" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("case, punctuation and curly quotes do not make a different wording", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "We don't know how many of them are still alive.",
           speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = "\u{201C}we don\u{2019}t know how many of them are  STILL alive\u{201D}",
           speaker = "Kowalczyk" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a changed word in the same quotation is an altered quote", function(t)
  local d = docs(t, 3)
  t:quote{ doc = d[1], text = LOSSES, speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = LOSSES, speaker = "Kowalczyk" }
  t:quote{ doc = d[3], speaker = "Kowalczyk",
           text = "They lose men every day, and their generals do not seem to mind at all, believe me." }
  t:quote{ doc = d[3], speaker = "Kowalczyk",
           text = "They bury men every day, and their generals do not seem to mind at all." }
  local found = t:run{ "quotes" }
  t:eq(#found, 1, "one finding: the added words at the end are an excerpt")
  local f = t:find(found, { kind = "quote_altered", docs = { d[1], d[2], d[3] } })
  t:ok(f, "altered")
  t:eq(f.details.differences, { { a = "lose", b = "bury" } })
  t:ok(f.summary:find("They lose men every day", 1, true), f.summary)
  t:ok(f.summary:find("They bury men every day", 1, true), f.summary)
  t:ok(f.summary:find("Kowalczyk", 1, true), "names the speaker")
end)

test("words left out in the middle without an ellipsis are an alteration", function(t)
  local d = docs(t, 3)
  local full = "We will hold the line at the river for as long as it takes, whatever the cost to us."
  t:quote{ doc = d[1], text = full, speaker = "Nowak" }
  t:quote{ doc = d[2], text = "We will hold the line at the river… whatever the cost to us.",
           speaker = "Nowak" }
  t:eq(t:run{ "quotes" }, {}, "an ellipsis marks the cut: no finding")
  t:quote{ doc = d[3], text = "We will hold the line at the river whatever the cost to us.",
           speaker = "Nowak" }
  local f = t:find(t:run{ "quotes" }, { kind = "quote_altered", docs = { d[1], d[3] } })
  t:ok(f, "an unmarked cut is an alteration")
  t:eq(f.details.differences[1].a, "for as long as it takes")
  t:eq(f.details.differences[1].b, "")
end)

test("an excerpt of a longer quotation is not an alteration", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], speaker = "Lindqvist",
           text = "Both high commands treated the new conscripts as spare parts." }
  t:quote{ doc = d[2], speaker = "Lindqvist",
           text = "Both high commands treated the new conscripts as spare parts " ..
                  "and sent them across the river without maps." }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a different quotation that shares a few words is not an alteration", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "We will not hand over a single village to anyone.", speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = "We will not hand over the keys until the talks are over.",
           speaker = "Kowalczyk" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("fragments and short quotations are skipped", function(t)
  local d = docs(t, 2)
  t:quote{ doc = d[1], text = "paper shields", speaker = "Kowalczyk", fragment = true }
  t:quote{ doc = d[2], text = "paper shields", speaker = "Lindqvist", fragment = true }
  t:quote{ doc = d[1], text = "They are spare parts", speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = "They are spare parts", speaker = "Lindqvist" }
  t:eq(t:run{ "quotes" }, {}, "no finding")
end)

test("a long fragment counts for its wording, not its speaker", function(t)
  local d = docs(t, 3)
  local q = "We are still searching house by house, and I fear the number of dead will rise"
  t:quote{ doc = d[1], text = q, speaker = "Hallvard" }
  t:quote{ doc = d[2], text = q, speaker = "Lindqvist", fragment = true }
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
  t:quote{ doc = d[1], text = long, speaker = "Kowalczyk" }
  t:quote{ doc = d[2], text = long:gsub("worth", "valued"), speaker = "Kowalczyk" }
  local f = t:find(t:run{ "quotes" }, { kind = "quote_altered" })
  t:ok(f, "altered")
  t:ok(#f.summary < 320, "short summary: " .. #f.summary)
  t:ok(f.summary:find("worth", 1, true) and f.summary:find("valued", 1, true),
       "the changed words are shown: " .. f.summary)
end)

test("a slip of one letter or a number told as a word is no change of wording", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:quote{ doc = a, text = "the seven ministers will meet again before the harvest comes in",
           speaker = "Ilse Brandt" }
  t:quote{ doc = b, text = "the 7 ministers will meet agian before the harvest comes in",
           speaker = "Ilse Brandt" }
  t:eq(t:find(t:run{ "quotes" }, { kind = "quote_altered" }), nil, "the same quotation")
end)

test("a word changed for another is still a change of wording", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:quote{ doc = a, text = "the seven ministers will meet again before the harvest comes in",
           speaker = "Ilse Brandt" }
  t:quote{ doc = b, text = "the seven ministers will never meet before the harvest comes in",
           speaker = "Ilse Brandt" }
  t:ok(t:find(t:run{ "quotes" }, { kind = "quote_altered" }), "altered")
end)

test("a party's members and one of them are not two speakers", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:quote{ doc = a, text = "we know how to run this county and we will keep doing it",
           speaker = "Republicans" }
  t:quote{ doc = b, text = "we know how to run this county and we will keep doing it",
           speaker = "Ida Marsh" }
  t:eq(t:find(t:run{ "quotes" }, { kind = "quote_misattributed" }), nil, "not misattributed")
end)

test("the same words in stories of two events are two quotations", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:claim{ doc = a, measure = "killed", low = 1, high = 1, event = 1 }
  t:claim{ doc = b, measure = "killed", low = 1, high = 1, event = 2 }
  t:quote{ doc = a, text = "we have to make sure that the new dam will hold this time",
           speaker = "Ilse Brandt" }
  t:quote{ doc = b, text = "we have to make sure that the old dam will hold this time",
           speaker = "Tom Okafor" }
  local found = t:run{ "quotes" }
  t:eq(t:find(found, { kind = "quote_altered" }), nil, "not one quotation altered")
  t:eq(t:find(found, { kind = "quote_misattributed" }), nil, "not one quotation misattributed")
end)

test("E.U. and EU are one word", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:quote{ doc = a, text = "the E.U. should be exempted from these measures for good",
           speaker = "the Commission" }
  t:quote{ doc = b, text = "the EU should be exempted from these measures for good",
           speaker = "the Commission" }
  t:eq(t:find(t:run{ "quotes" }, { kind = "quote_altered" }), nil, "the same quotation")
end)

test("a contraction or another dash is no change of wording", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B" }
  t:quote{ doc = a, text = "They're the last farmers in this valley \u{2015} we can't lose them now",
           speaker = "Ilse Brandt" }
  t:quote{ doc = b, text = "They are the last farmers in this valley \u{2014} we cannot lose them now",
           speaker = "Ilse Brandt" }
  t:eq(t:find(t:run{ "quotes" }, { kind = "quote_altered" }), nil, "the same quotation")
end)
