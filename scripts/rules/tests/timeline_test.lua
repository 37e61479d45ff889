-- Tests of rules/timeline.lua (and lib/dates.lua): the dates outlets give for the same
-- event agree or conflict.

local function captured(t, doc, time, o)
  o = o or {}
  return t:claim{ doc = doc, measure = o.measure or "captured", subject = "north_korea",
                  unit = "soldiers", low = o.low or 1,
                  high = (o.high == false) and nil or (o.high or 1),   -- false: open
                  qualifier = o.qualifier or "exact", claimant = o.claimant or "south_korea",
                  time = time,
                  sentence = o.sentence or "One North Korean soldier was captured, Seoul said." }
end

local function two_docs(t)
  return t:doc{ name = "a.txt", outlet = "A" }, t:doc{ name = "b.txt", outlet = "B" }
end

test("the same day from two outlets is a date agreement", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2024-12-27")
  local c2 = captured(t, b, "XXXX-12-27")
  local found = t:run{ "timeline" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { kind = "date_agreement", measure = "captured",
                            subject = "north_korea", claims = { c1, c2 }, docs = { a, b } })
  t:ok(f, "a date agreement")
  t:eq(f.summary, "outlets agree that south_korea's 1 captured soldier (north_korea) " ..
                  "dates to December 27, 2024 (2 outlets)")
  t:eq(#f.details.dates, 2, "both dates listed")
  t:eq(t:find(found, { kind = "agreement" }), nil, "not a figure agreement")
end)

test("two different days are a date conflict, not a figure conflict", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2024-12-26")
  local c2 = captured(t, b, "2024-12-27")
  local found = t:run{ "timeline" }
  local f = t:find(found, { kind = "date_conflict", claims = { c1, c2 }, docs = { a, b } })
  t:ok(f, "a date conflict")
  t:ok(f.summary:find("December 26, 2024 (A) vs December 27, 2024 (B)", 1, true), f.summary)
  t:eq(#f.details.pairs, 1, "one pair of dates")
  t:eq(t:find(found, { kind = "conflict" }), nil, "never the kind 'conflict'")
  t:eq(t:find(found, { kind = "date_agreement" }), nil)
end)

test("a day in an ISO week agrees with the week, a day outside it does not", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "2024-W52")
  captured(t, b, "2024-12-29")   -- Sunday of week 52
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_agreement" }), "Dec 29 is in 2024-W52")
  captured(t, c, "2024-12-22")   -- Sunday of week 51
  local found = t:run{ "timeline" }
  t:ok(t:find(found, { kind = "date_conflict", docs = { a, c } }), "Dec 22 is not in W52")
end)

test("an unknown year matches any year, the day must still agree", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "XXXX-12-27")
  captured(t, b, "2023-12-27")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_agreement" }), "agreement")
  captured(t, c, "XXXX-12-28")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_conflict" }), "December 28 is another day")
end)

test("a month matches its days, a range any day in it", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "2024-12")
  captured(t, b, "XXXX-12-14/XXXX-12-15")
  captured(t, c, "2024-12-15")
  local f = t:find(t:run{ "timeline" }, { kind = "date_agreement" })
  t:ok(f, "agreement")
  t:ok(f.summary:find("dates to December 15, 2024 (3 outlets)", 1, true), f.summary)
end)

test("a day of the month before is a conflict with the month", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2024-12")
  captured(t, b, "2024-11-30")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_conflict" }), "conflict")
end)

test("figures that do not overlap are different events", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2024-12-26")
  captured(t, b, "2024-12-27", { low = 3, high = 9, qualifier = "several",
                                 claimant = "ukraine" })
  t:eq(t:run{ "timeline" }, {}, "no finding")
end)

test("an open figure far from the other is another event", function(t)
  local a, b = two_docs(t)
  captured(t, a, "XXXX-12-14/XXXX-12-15", { measure = "casualties", low = 30, high = false,
                                           qualifier = "at_least" })
  captured(t, b, "XXXX-10", { measure = "casualties", low = 3000, high = false,
                              qualifier = "more_than" })
  t:eq(t:run{ "timeline" }, {}, "at least 30 in one battle is not more than 3,000 overall")
end)

test("one document alone, or claims without a time, are not compared", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2024-12-26")
  captured(t, a, "2024-12-27")
  captured(t, b, nil)
  t:eq(t:run{ "timeline" }, {}, "no finding")
end)

test("the day a statement was made bounds the event, it is not the event's day", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2024-12-26",
    { sentence = "One North Korean soldier was captured on December 26 near Kursk." })
  captured(t, b, "2024-12-27",
    { sentence = "South Korea's spy agency said on December 27 that one soldier had been captured." })
  local found = t:run{ "timeline" }
  t:eq(t:find(found, { kind = "date_conflict" }), nil, "no conflict")
  local f = t:find(found, { kind = "date_agreement" })
  t:ok(f, "agreement")
  t:ok(f.summary:find("dates to December 26, 2024", 1, true), f.summary)
  t:eq(f.details.dates[2].open, "before", "the statement date is a bound")
end)

test("'since October' is a bound: a later day does not conflict with it", function(t)
  local a, b = two_docs(t)
  local o = { measure = "killed", low = 1000, high = 1000, qualifier = "approx" }
  o.sentence = "About 1,000 North Korean soldiers have been killed since October."
  captured(t, a, "XXXX-10", o)
  o.sentence = "About 1,000 North Korean soldiers were killed in fighting on December 20."
  captured(t, b, "2024-12-20", o)
  local found = t:run{ "timeline" }
  t:eq(t:find(found, { kind = "date_conflict" }), nil, "no conflict")
  t:ok(t:find(found, { kind = "date_agreement" }), "agreement")
end)

test("a rewrite and its original are one source for an agreement", function(t)
  local a, b = two_docs(t)
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.9 }
  captured(t, a, "2024-12-27")
  captured(t, b, "2024-12-27")
  local found = t:run{ "derived-copies", "timeline" }
  t:ok(t:find(found, { kind = "derived" }), "b rewrites a")
  t:eq(t:find(found, { kind = "date_agreement" }), nil, "one independent source only")
end)

test("dates that meet two by two all share a day: no pair needs comparing", function(t)
  local D = require("lib.dates")
  local function v(s, open) return { t = D.parse(s), open = open } end
  t:eq(D.all_compatible{ v("2024-12"), v("2024-12-10"), v("2024-12-20", "before"),
                         v("2024-11-30", "after") }, true, "a month, a day in it, two bounds")
  t:eq(D.all_compatible{}, true, "no dates")
  t:eq(D.all_compatible{ v("2024-12-10"), v("2024-12-11") }, nil, "two days")
  t:eq(D.all_compatible{ v("2024-12-05", "after"), v("2024-12-01", "before") }, nil,
       "since the 5th, by the 1st")
  t:eq(D.all_compatible{ v("XXXX-12-10"), v("2024-12-10") }, nil,
       "a date without its year: compared pair by pair")
  -- the pairwise answer agrees where the quick one is given
  t:ok(D.compatible(D.parse("2024-12"), D.parse("2024-12-20"), nil, "before"))
end)
