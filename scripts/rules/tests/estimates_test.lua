-- Tests of rules/estimates.lua and its policy, lib/estimates.lua: best, low and high.

local function fig(t, doc, low, high, q, who, extra)
  local c = { doc = doc, measure = "killed", subject = "x", unit = "soldiers",
              low = low, high = high, qualifier = q, claimant = who or "south_korea" }
  for k, v in pairs(extra or {}) do c[k] = v end
  return t:claim(c)
end

local function docs(t, n)
  local out = {}
  for i = 1, n do
    out[i] = t:doc{ name = "d" .. i .. ".txt", outlet = "Outlet " .. i }
  end
  return out
end

test("low, best and high of three independent sources", function(t)
  local d = docs(t, 3)
  local lo = fig(t, d[1], 100, 100, "approx", "south_korea")
  local mid = fig(t, d[2], 200, 200, "exact", "ukraine")
  local hi = fig(t, d[3], 1000, 1000, "exact", "united_states")
  local found = t:run{ "estimates" }
  t:eq(#found, 1, "one estimate")
  local f = t:find(found, { kind = "estimate", measure = "killed", subject = "x",
                            unit = "soldiers" })
  t:ok(f, "an estimate for the group")
  t:eq(f.details.best, "200")
  t:eq(f.details.low, "about 100")
  t:eq(f.details.high, "1,000")
  t:eq(f.details.best_claims, { mid })
  t:eq(f.details.low_claims, { lo })
  t:eq(f.details.high_claims, { hi })
  t:eq(f.details.sources, 3)
  t:eq(f.summary, "killed soldiers (x): best 200, low about 100, high 1,000 " ..
                  "(3 claims, 3 independent sources)")
end)

test("with an even number of votes the lower middle one is best", function(t)
  local d = docs(t, 4)
  fig(t, d[1], 400, 400, "exact", "a")
  local second = fig(t, d[2], 200, 200, "exact", "b")
  fig(t, d[3], 100, 100, "exact", "c")
  fig(t, d[4], 300, 300, "exact", "d")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:eq(f.details.best, "200")
  t:eq(f.details.best_claims, { second })
end)

test("open-ended figures contribute their stated bound", function(t)
  local d = docs(t, 3)
  fig(t, d[1], nil, 50, "nearly", "south_korea")
  fig(t, d[2], 400, 400, "exact", "ukraine")
  local hi = fig(t, d[3], 3000, nil, "more_than", "united_states")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate")
  t:eq(f.details.low, "nearly 50")
  t:eq(f.details.low_value, 50)
  t:eq(f.details.high, "more than 3,000")
  t:eq(f.details.high_value, 3000)
  t:eq(f.details.best, "400", "the median by stated bounds, not by open ends")
  t:eq(f.details.high_claims, { hi })
end)

test("a tie on the stated number: the high says most, the low says least", function(t)
  local d = docs(t, 3)
  local nearly = fig(t, d[1], nil, 1000, "nearly", "south_korea")
  local exact = fig(t, d[2], 1000, 1000, "exact", "south_korea")
  fig(t, d[3], 1000, 1000, "approx", "south_korea")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:eq(f.details.low_claims, { nearly }, "'nearly 1,000' is the conservative reading")
  t:eq(f.details.high_claims, { exact }, "'1,000' says more than 'nearly 1,000'")
end)

test("an event reported by one source gets an estimate from it", function(t)
  local d = docs(t, 1)
  fig(t, d[1], 100, 100, "exact", "south_korea")
  fig(t, d[1], 300, 300, "exact", "ukraine")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate, as an event table codes single-source incidents")
  t:eq(f.details.sources, 1)
  t:eq(f.details.low, "100")
  t:eq(f.details.high, "300")
end)

test("an outlet's own figures stand when nobody is named for any figure", function(t)
  local d = docs(t, 2)
  fig(t, d[1], 30, 30, "exact", "unattributed")
  fig(t, d[2], 34, 34, "exact", "unattributed")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate")
  t:eq(f.details.claims, 2)
  t:eq(f.details.set_aside, 0)
end)

test("each event gets its own estimate", function(t)
  local d = docs(t, 2)
  t:claim{ doc = d[1], measure = "killed", subject = "x", unit = "soldiers", low = 10,
           high = 10, qualifier = "exact", claimant = "a", event = 1 }
  t:claim{ doc = d[2], measure = "killed", subject = "x", unit = "soldiers", low = 400,
           high = 400, qualifier = "exact", claimant = "a", event = 2 }
  local found = t:run{ "estimates" }
  t:eq(#found, 2, "two estimates")
  t:eq(found[1].details.high, "10")
  t:eq(found[2].details.high, "400")
end)

test("a claim restating an earlier one of its article is ignored", function(t)
  local d = docs(t, 2)
  local first = fig(t, d[1], 100, 100, "exact", "south_korea")
  fig(t, d[1], 5000, 5000, "exact", "south_korea", { repeat_of = first })
  fig(t, d[2], 120, 120, "exact", "ukraine")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate")
  t:eq(f.details.high, "120", "the repeat does not set the high")
  t:eq(f.details.claims, 2, "two claims count")
  t:eq(f.details.set_aside, 0, "the repeat is not counted as set aside either")
end)

test("a rewrite and its original are one source and one vote", function(t)
  local d = docs(t, 4)
  -- d[2] rewrites d[1]: counted apart, 100 would have two votes of four and be the
  -- lower median; counted once, the median is 300
  for i = 1, 2 do
    fig(t, d[i], 100, 100, "exact", "south_korea")
    t:claim{ doc = d[i], measure = "wounded", subject = "x", unit = "soldiers", low = 900,
             high = 900, qualifier = "exact", claimant = "south_korea" }
  end
  fig(t, d[3], 300, 300, "exact", "ukraine")
  fig(t, d[4], 500, 500, "exact", "united_states")
  t:fingerprint{ doc = d[1] }
  t:fingerprint{ doc = d[2], like = d[1], share = 0.8 }
  t:fingerprint{ doc = d[3] }
  t:fingerprint{ doc = d[4] }
  local found = t:run{ "derived-copies", "estimates" }
  t:ok(t:find(found, { kind = "derived" }), "the rewrite is found")
  local f = t:find(found, { kind = "estimate", measure = "killed" })
  t:eq(f.details.best, "300")
  t:eq(f.details.sources, 3)
  t:eq(f.details.low_claims and #f.details.low_claims, 2, "both copies give the low")
end)

test("an outlet's own figure needs a second independent source", function(t)
  local d = docs(t, 4)
  fig(t, d[1], 100, 100, "exact", "south_korea")
  fig(t, d[2], 110, 110, "approx", "ukraine")
  fig(t, d[3], 5000, 5000, "exact", "unattributed")
  local backed = fig(t, d[4], 90, 90, "approx", "unattributed")
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate")
  t:eq(f.details.set_aside, 1, "the lone unattributed figure is set aside")
  t:eq(f.details.claims, 3, "the corroborated unattributed figure counts")
  t:eq(f.details.high, "about 110", "not the lone 5,000")
  t:eq(f.details.low_claims, { backed }, "the corroborated 'about 90' is the low")
  t:ok(f.summary:find("1 uncorroborated set aside", 1, true), f.summary)
end)

test("figures of nobody's side get an estimate within their event", function(t)
  local d = docs(t, 2)
  t:claim{ doc = d[1], measure = "killed", unit = "people", low = 10, high = 10,
           qualifier = "exact", claimant = "a" }
  t:claim{ doc = d[2], measure = "killed", unit = "people", low = 40, high = 40,
           qualifier = "exact", claimant = "b" }
  local f = t:find(t:run{ "estimates" }, { kind = "estimate" })
  t:ok(f, "an estimate")
  t:eq(f.details.low, "10")
  t:eq(f.details.high, "40")
end)

test("figures about no stored event get no estimate", function(t)
  local d = docs(t, 2)
  fig(t, d[1], 100, 100, "exact", "south_korea", { event = false })
  fig(t, d[2], 120, 120, "exact", "ukraine", { event = false })
  t:eq(t:run{ "estimates" }, {}, "no event, no estimate")
end)
