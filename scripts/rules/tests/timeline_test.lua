-- Tests of rules/timeline.lua (and lib/dates.lua): the dates outlets give for the same
-- event agree or conflict.

local function captured(t, doc, time, o)
  o = o or {}
  return t:claim{ doc = doc, measure = o.measure or "captured", subject = "poland",
                  unit = "soldiers", low = o.low or 1,
                  high = (o.high == false) and nil or (o.high or 1),   -- false: open
                  qualifier = o.qualifier or "exact", claimant = o.claimant or "finland",
                  time = time,
                  sentence = o.sentence or "One Polish soldier was captured, Helsinki said." }
end

local function two_docs(t)
  return t:doc{ name = "a.txt", outlet = "A" }, t:doc{ name = "b.txt", outlet = "B" }
end

test("the same day from two outlets is a date agreement", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2023-03-17")
  local c2 = captured(t, b, "XXXX-03-17")
  local found = t:run{ "timeline" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { kind = "date_agreement", measure = "captured",
                            subject = "poland", claims = { c1, c2 }, docs = { a, b } })
  t:ok(f, "a date agreement")
  t:eq(f.summary, "outlets agree that finland's 1 captured soldier (poland) " ..
                  "dates to March 17, 2023 (2 outlets)")
  t:eq(#f.details.dates, 2, "both dates listed")
  t:eq(t:find(found, { kind = "agreement" }), nil, "not a figure agreement")
end)

test("two different days are a date conflict, not a figure conflict", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2023-03-16")
  local c2 = captured(t, b, "2023-03-17")
  local found = t:run{ "timeline" }
  local f = t:find(found, { kind = "date_conflict", claims = { c1, c2 }, docs = { a, b } })
  t:ok(f, "a date conflict")
  t:ok(f.summary:find("March 16, 2023 (A) vs March 17, 2023 (B)", 1, true), f.summary)
  t:eq(#f.details.pairs, 1, "one pair of dates")
  t:eq(t:find(found, { kind = "conflict" }), nil, "never the kind 'conflict'")
  t:eq(t:find(found, { kind = "date_agreement" }), nil)
end)

test("a day in an ISO week agrees with the week, a day outside it does not", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "2023-W11")
  captured(t, b, "2023-03-19")   -- Sunday of week 11
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_agreement" }), "Mar 19 is in 2023-W11")
  captured(t, c, "2023-03-12")   -- Sunday of week 10
  local found = t:run{ "timeline" }
  t:ok(t:find(found, { kind = "date_conflict", docs = { a, c } }), "Mar 12 is not in W11")
end)

test("an unknown year matches any year, the day must still agree", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "XXXX-03-17")
  captured(t, b, "2022-03-17")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_agreement" }), "agreement")
  captured(t, c, "XXXX-03-18")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_conflict" }), "March 18 is another day")
end)

test("a month matches its days, a range any day in it", function(t)
  local a, b = two_docs(t)
  local c = t:doc{ name = "c.txt", outlet = "C" }
  captured(t, a, "2023-03")
  captured(t, b, "XXXX-03-04/XXXX-03-05")
  captured(t, c, "2023-03-05")
  local f = t:find(t:run{ "timeline" }, { kind = "date_agreement" })
  t:ok(f, "agreement")
  t:ok(f.summary:find("dates to March 5, 2023 (3 outlets)", 1, true), f.summary)
end)

test("a day of the month before is a conflict with the month", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2023-03")
  captured(t, b, "2023-02-28")
  t:ok(t:find(t:run{ "timeline" }, { kind = "date_conflict" }), "conflict")
end)

test("figures that do not overlap are different events", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2023-03-16")
  captured(t, b, "2023-03-17", { low = 3, high = 9, qualifier = "several",
                                 claimant = "hungary" })
  t:eq(t:run{ "timeline" }, {}, "no finding")
end)

test("an open figure far from the other is another event", function(t)
  local a, b = two_docs(t)
  captured(t, a, "XXXX-03-04/XXXX-03-05", { measure = "casualties", low = 30, high = false,
                                           qualifier = "at_least" })
  captured(t, b, "XXXX-01", { measure = "casualties", low = 3000, high = false,
                              qualifier = "more_than" })
  t:eq(t:run{ "timeline" }, {}, "at least 30 in one battle is not more than 3,000 overall")
end)

test("one document alone, or claims without a time, are not compared", function(t)
  local a, b = two_docs(t)
  captured(t, a, "2023-03-16")
  captured(t, a, "2023-03-17")
  captured(t, b, nil)
  t:eq(t:run{ "timeline" }, {}, "no finding")
end)

test("the day a statement was made bounds the event, it is not the event's day", function(t)
  local a, b = two_docs(t)
  local c1 = captured(t, a, "2023-03-16",
    { sentence = "One Polish soldier was captured on March 16 near Lublin." })
  captured(t, b, "2023-03-17",
    { sentence = "Finland's spy agency said on March 17 that one soldier had been captured." })
  local found = t:run{ "timeline" }
  t:eq(t:find(found, { kind = "date_conflict" }), nil, "no conflict")
  local f = t:find(found, { kind = "date_agreement" })
  t:ok(f, "agreement")
  t:ok(f.summary:find("dates to March 16, 2023", 1, true), f.summary)
  t:eq(f.details.dates[2].open, "before", "the statement date is a bound")
end)

test("'since January' is a bound: a later day does not conflict with it", function(t)
  local a, b = two_docs(t)
  local o = { measure = "killed", low = 1000, high = 1000, qualifier = "approx" }
  o.sentence = "About 1,000 Polish soldiers have been killed since January."
  captured(t, a, "XXXX-01", o)
  o.sentence = "About 1,000 Polish soldiers were killed in fighting on March 10."
  captured(t, b, "2023-03-10", o)
  local found = t:run{ "timeline" }
  t:eq(t:find(found, { kind = "date_conflict" }), nil, "no conflict")
  t:ok(t:find(found, { kind = "date_agreement" }), "agreement")
end)

test("a rewrite and its original are one source for an agreement", function(t)
  local a, b = two_docs(t)
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.9 }
  captured(t, a, "2023-03-17")
  captured(t, b, "2023-03-17")
  local found = t:run{ "derived-copies", "timeline" }
  t:ok(t:find(found, { kind = "derived" }), "b rewrites a")
  t:eq(t:find(found, { kind = "date_agreement" }), nil, "one independent source only")
end)

test("dates that meet two by two all share a day: no pair needs comparing", function(t)
  local D = require("lib.dates")
  local function v(s, open) return { t = D.parse(s), open = open } end
  t:eq(D.all_compatible{ v("2023-03"), v("2023-03-08"), v("2023-03-10", "before"),
                         v("2023-02-28", "after") }, true, "a month, a day in it, two bounds")
  t:eq(D.all_compatible{}, true, "no dates")
  t:eq(D.all_compatible{ v("2023-03-08"), v("2023-03-09") }, nil, "two days")
  t:eq(D.all_compatible{ v("2023-03-03", "after"), v("2023-03-01", "before") }, nil,
       "since the 5th, by the 1st")
  t:eq(D.all_compatible{ v("XXXX-03-08"), v("2023-03-08") }, nil,
       "a date without its year: compared pair by pair")
  -- the pairwise answer agrees where the quick one is given
  t:ok(D.compatible(D.parse("2023-03"), D.parse("2023-03-10"), nil, "before"))
end)
