-- Tests of rules/figures_by_claimant.lua: one claimant's figure across outlets.

local function killed(t, doc, low, high, q, who)
  return t:claim{ doc = doc, measure = "killed", subject = "x", unit = "soldiers",
                  low = low, high = high, qualifier = q, claimant = who or "south_korea" }
end

test("outlets that report the same figure agree", function(t)
  local a = t:doc{ name = "a.txt", outlet = "A" }
  local b = t:doc{ name = "b.txt", outlet = "B" }
  killed(t, a, 100, 100, "approx")
  killed(t, b, 100, 100, "exact")
  local found = t:run{ "figures-by-claimant" }
  t:eq(#found, 1, "one finding")
  t:ok(t:find(found, { kind = "agreement", measure = "killed", claimants = { "south_korea" },
                       docs = { a, b } }), "agreement across both outlets")
end)

test("'more than 3,000' and 'nearly 3,000' of one claimant are a discrepancy", function(t)
  local a = t:doc{ name = "a.txt", outlet = "A" }
  local b = t:doc{ name = "b.txt", outlet = "B" }
  killed(t, a, 3000, nil, "more_than", "ukraine")
  killed(t, b, nil, 3000, "nearly", "ukraine")
  local f = t:find(t:run{ "figures-by-claimant" }, { kind = "conflict" })
  t:ok(f, "a conflict")
  t:eq(f.claimants, { "ukraine" })
  t:ok(f.summary:find("more than 3,000", 1, true), "summary names the first figure")
  t:ok(f.summary:find("nearly 3,000", 1, true), "summary names the second figure")
end)

test("one outlet alone is not compared, the unattributed voice is not a claimant", function(t)
  local a = t:doc{ name = "a.txt" }
  local b = t:doc{ name = "b.txt" }
  killed(t, a, 100, 100, "exact")
  killed(t, a, 500, 500, "exact", "unattributed")
  killed(t, b, 900, 900, "exact", "unattributed")
  t:eq(t:run{ "figures-by-claimant" }, {}, "no finding")
end)

test("a rise over time is left to the updates rule", function(t)
  local a = t:doc{ name = "a.txt", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-27" }
  t:claim{ doc = a, measure = "killed", subject = "x", low = 100, high = 100,
           qualifier = "exact", claimant = "south_korea", sentence = "100 were killed." }
  t:claim{ doc = b, measure = "killed", subject = "x", low = 120, high = 120,
           qualifier = "exact", claimant = "south_korea",
           sentence = "The toll rose to 120, South Korea said." }
  t:eq(t:find(t:run{ "figures-by-claimant" }, { kind = "conflict" }), nil, "no conflict")
end)

test("a rewrite and its original count as one independent source", function(t)
  local a = t:doc{ name = "a.txt", outlet = "A" }
  local b = t:doc{ name = "b.txt" }
  local c = t:doc{ name = "c.txt", outlet = "C" }
  for _, d in ipairs{ a, b } do
    killed(t, d, 100, 100, "approx")
    t:claim{ doc = d, measure = "wounded", subject = "x", unit = "soldiers", low = 1000,
             high = 1000, qualifier = "approx", claimant = "south_korea" }
    t:claim{ doc = d, measure = "captured", subject = "x", unit = "soldiers", low = 1,
             high = 1, qualifier = "exact", claimant = "south_korea" }
  end
  killed(t, c, 100, 100, "exact")
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.3 }
  t:fingerprint{ doc = c }
  local found = t:run{ "derived-copies", "figures-by-claimant" }
  t:ok(t:find(found, { kind = "derived", docs = { a, b } }), "b rewrites a")
  local f = t:find(found, { kind = "agreement", measure = "killed" })
  t:eq(f.details, { outlets = 3, independent = 2 })
end)

test("a finding names the event of the claims it compares", function(t)
  local a = t:doc{ name = "a.txt", outlet = "A" }
  local b = t:doc{ name = "b.txt", outlet = "B" }
  for _, d in ipairs{ a, b } do
    t:claim{ doc = d, measure = "killed", subject = "x", unit = "people", low = 12, high = 12,
             qualifier = "exact", claimant = "police", event = 7 }
  end
  local f = t:find(t:run{ "figures-by-claimant" }, { kind = "agreement" })
  t:ok(f, "an agreement")
  t:eq(f.event, 7, "its event")
end)
