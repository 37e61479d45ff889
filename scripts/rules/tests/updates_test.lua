-- Tests of rules/updates.lua (and lib/series.lua): a figure revised over time is one
-- `update` finding with its series, not a conflict.

local function fig(t, doc, v, sentence, o)
  o = o or {}
  return t:claim{ doc = doc, measure = o.measure or "killed", subject = "north_korea",
                  unit = "soldiers", low = v, high = v, qualifier = o.qualifier or "exact",
                  claimant = o.claimant or "south_korea", time = o.time, sentence = sentence }
end

test("a toll that 'rose to' a higher figure later is an update, in date order", function(t)
  local a = t:doc{ name = "a.txt", outlet = "A", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", outlet = "B", date = "2024-12-27" }
  -- the later report first, so the order comes from the dates and not the ids
  local c2 = fig(t, b, 120, "The toll rose to 120, Seoul said.")
  local c1 = fig(t, a, 100, "About 100 soldiers were killed, Seoul said.")
  local found = t:run{ "updates" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { kind = "update", measure = "killed", claimants = { "south_korea" },
                            claims = { c1, c2 }, docs = { a, b } })
  t:ok(f, "an update of South Korea's figure")
  t:eq(#f.details.series, 2, "two steps")
  t:eq(f.details.series[1].claim, c1, "100 first")
  t:eq(f.details.series[2].figure, "120")
  t:eq(f.details.series[2].when, "2024-12-27")
  t:eq(f.summary, "south_korea's killed figure (north_korea) moved: " ..
                  "100 (2024-12-20) -> 120 (2024-12-27, 'rose to')")
end)

test("a rise is an update and not a conflict for figures-by-claimant", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  fig(t, a, 100, "100 soldiers were killed.")
  fig(t, b, 120, "The death toll has climbed to 120.")
  local found = t:run{ "figures-by-claimant", "updates" }
  t:ok(t:find(found, { kind = "update" }), "an update")
  t:eq(t:find(found, { kind = "conflict" }), nil, "no conflict")
end)

test("undated figures with a cue word are ordered by the cue", function(t)
  local a = t:doc{ name = "a.txt" }
  local b = t:doc{ name = "b.txt" }
  local c2 = fig(t, a, 150, "The number of dead has risen to 150, officials said.")
  local c1 = fig(t, b, 90, "Officials said 90 soldiers had been killed.")
  local f = t:find(t:run{ "updates" }, { kind = "update" })
  t:ok(f, "an update")
  t:eq(f.details.series[1].claim, c1, "the figure without the cue comes first")
  t:eq(f.details.series[2].claim, c2)
end)

test("a cumulative measure at a later date and larger is an update without a cue", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  fig(t, a, 100, "South Korea said 100 soldiers were killed.", { time = "2024-12-19" })
  fig(t, b, 300, "South Korea said 300 soldiers were killed.", { time = "2024-W52" })
  local f = t:find(t:run{ "updates" }, { kind = "update" })
  t:ok(f, "an update")
  t:eq(f.details.series[2].when, "2024-W52")
end)

test("a cumulative figure that is smaller at a later date is no update", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  fig(t, a, 300, "South Korea said 300 soldiers were killed.")
  fig(t, b, 100, "South Korea said 100 soldiers were killed.")
  local found = t:run{ "updates", "figures-by-claimant" }
  t:eq(t:find(found, { kind = "update" }), nil, "no update")
  t:ok(t:find(found, { kind = "conflict" }), "the conflict rule still reports it")
end)

test("'nearly 3,000' after 'more than 3,000' is smaller, not an update", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  t:claim{ doc = a, measure = "casualties", subject = "x", low = 3000, qualifier = "more_than",
           claimant = "ukraine", sentence = "More than 3,000 were killed or wounded." }
  t:claim{ doc = b, measure = "casualties", subject = "x", high = 3000, qualifier = "nearly",
           claimant = "ukraine", sentence = "Nearly 3,000 were killed or wounded." }
  t:eq(t:find(t:run{ "updates" }, { kind = "update" }), nil, "no update")
end)

test("a measure that neither grows nor stands at a moment needs a cue", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-11-01" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  fig(t, a, 10, "10 convoys were seen.", { measure = "sighted", claimant = "ukraine" })
  fig(t, b, 12, "12 convoys were seen.", { measure = "sighted", claimant = "ukraine" })
  t:eq(t:run{ "updates" }, {}, "no update without a cue")
end)

test("a later count of troops in place is a new count, whoever gives it", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-11-01" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  fig(t, a, 10000, "10,000 troops are deployed.", { measure = "deployed", claimant = "ukraine" })
  fig(t, b, 12000, "12,000 troops are deployed.", { measure = "deployed", claimant = "ukraine" })
  fig(t, b, 8000, "8,000 troops are deployed.", { measure = "deployed", claimant = "south_korea" })
  local found = t:run{ "updates", "claimants-disagree" }
  t:ok(t:find(found, { kind = "update", measure = "deployed" }), "ukraine's count moved")
  t:eq(t:find(found, { kind = "conflict" }), nil, "a count of another day is no conflict")
end)

test("a cue that says the wrong direction is no update", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  fig(t, a, 100, "100 soldiers were killed.")
  fig(t, b, 80, "The toll rose to 80, Seoul said.")
  t:eq(t:run{ "updates" }, {}, "'rose to' a lower figure is a conflict, not a series")
end)

test("'fell to' a lower figure is a revision", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  fig(t, a, 100, "100 soldiers were killed.", { measure = "deployed" })
  fig(t, b, 80, "The number fell to 80, Seoul said.", { measure = "deployed" })
  t:ok(t:find(t:run{ "updates" }, { kind = "update", measure = "deployed" }), "an update")
end)

test("a cue far from the figure is about another number", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  fig(t, a, 100, "100 convoys were seen.", { measure = "sighted" })
  fig(t, b, 150, "Fuel prices rose to 3 dollars a litre in the region, while the " ..
                 "convoys seen there were put at 150.", { measure = "sighted" })
  t:eq(t:run{ "updates" }, {}, "no update")
end)

test("'so far' orders dated figures but does not make undated ones a series", function(t)
  local a = t:doc{ name = "a.txt" }
  local b = t:doc{ name = "b.txt" }
  fig(t, a, 100, "100 soldiers have been killed.", { claimant = "unattributed" })
  fig(t, b, 200, "200 soldiers have been killed so far.", { claimant = "unattributed" })
  t:eq(t:run{ "updates" }, {}, "undated: no update")
end)

test("each claimant has its own series; other claimants' figures are not mixed in", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-28" }
  fig(t, a, 100, "South Korea said 100 were killed.")
  fig(t, b, 1000, "More than 1,000 were killed, Lindqvist said.", { claimant = "united_states" })
  local found = t:run{ "updates", "claimants-disagree" }
  t:eq(t:find(found, { kind = "update" }), nil, "no update across claimants")
  t:ok(t:find(found, { kind = "conflict", claimants = { "south_korea", "united_states" } }),
       "the claimants still disagree")
end)

test("a figure that fits no series is left out of it", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  local c = t:doc{ name = "c.txt", date = "2024-12-28" }
  local c1 = fig(t, a, 100, "100 soldiers were killed.")
  local c2 = fig(t, b, 120, "The toll rose to 120.")
  local c3 = fig(t, c, 40, "40 soldiers were killed.")
  local f = t:find(t:run{ "updates" }, { kind = "update" })
  t:ok(f, "an update")
  t:eq(#f.details.series, 2)
  t:eq(f.details.left_out, { c3 })
  t:ok(t:find({ f }, { claims = { c1, c2 } }), "the series has 100 and 120")
end)

test("figures that overlap are no update", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  fig(t, a, 100, "About 100 soldiers were killed.", { qualifier = "approx" })
  fig(t, b, 100, "The toll rose to 100.")
  t:eq(t:run{ "updates" }, {}, "no update")
end)

test("a repeated figure in one article counts once, an undated report joins its step",
     function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  local u = t:doc{ name = "u.txt" }
  local c1 = fig(t, a, 100, "100 soldiers were killed.")
  t:claim{ doc = a, measure = "killed", subject = "north_korea", unit = "soldiers", low = 100,
           high = 100, qualifier = "exact", claimant = "south_korea", repeat_of = c1,
           sentence = "The 100 dead were buried." }
  fig(t, b, 120, "The toll has risen to 120.")
  local c4 = fig(t, u, 100, "About 100 were killed, Seoul said.", { qualifier = "approx" })
  local f = t:find(t:run{ "updates" }, { kind = "update" })
  t:ok(f, "an update")
  t:eq(#f.details.series, 2, "two steps")
  t:eq(f.details.series[1].also, { c4 }, "the undated report joins the first step")
  t:eq(f.details.left_out, {})
end)
