-- Tests of rules/single_source.lua: figures that only one independent source reports.

local function fig(t, doc, low, high, q, who, extra)
  local c = { doc = doc, measure = "casualties", subject = "x", unit = "soldiers",
              low = low, high = high, qualifier = q, claimant = who or "ukraine" }
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

test("a figure only one outlet reports is single-source", function(t)
  local d = docs(t, 3)
  fig(t, d[1], 3000, nil, "more_than", "ukraine")
  fig(t, d[2], nil, 3000, "nearly", "ukraine")
  local lone = fig(t, d[3], 1100, 1100, "approx", "south_korea")
  local found = t:run{ "single-source" }
  t:eq(#found, 1, "one finding: 'more than' and 'nearly 3,000' are one figure of two sources")
  local f = t:find(found, { kind = "single_source", measure = "casualties", subject = "x",
                            unit = "soldiers", claimants = { "south_korea" }, docs = { d[3] } })
  t:ok(f, "the lone figure is reported")
  t:eq(f.claims, { lone })
  t:eq(f.details.figure, "about 1,100")
  t:eq(f.details.other_figures, 1)
  t:eq(f.summary, "only Outlet 3 reports south_korea's figure of about 1,100 " ..
                  "casualties soldiers (x)")
end)

test("a group that one source reports gives nothing", function(t)
  local d = docs(t, 1)
  fig(t, d[1], 100, 100, "exact", "ukraine")
  fig(t, d[1], 900, 900, "exact", "south_korea")
  t:eq(t:run{ "single-source" }, {}, "nothing to stand alone against")
end)

test("figures within the slack of approximation corroborate each other", function(t)
  local d = docs(t, 2)
  fig(t, d[1], 1000, 1000, "approx", "ukraine")
  fig(t, d[2], 1050, 1050, "exact", "ukraine")
  t:eq(t:run{ "single-source" }, {}, "about 1,000 and 1,050 are one figure")
end)

test("an open-ended figure does not swallow every larger one", function(t)
  local d = docs(t, 3)
  fig(t, d[1], 100, nil, "more_than", "ukraine")
  fig(t, d[2], 100, nil, "at_least", "ukraine")
  local big = fig(t, d[3], 5000, 5000, "exact", "united_states")
  local found = t:run{ "single-source" }
  t:eq(#found, 1, "one finding")
  t:ok(t:find(found, { kind = "single_source", claims = { big } }), "5,000 stands alone")
end)

test("a rewrite does not corroborate its original", function(t)
  local d = docs(t, 3)
  local ids = {}
  for i = 1, 2 do
    ids[i] = fig(t, d[i], 100, 100, "exact", "ukraine")
    t:claim{ doc = d[i], measure = "wounded", subject = "x", unit = "soldiers", low = 400,
             high = 400, qualifier = "exact", claimant = "ukraine" }
  end
  fig(t, d[3], 500, 500, "exact", "south_korea")
  t:fingerprint{ doc = d[1] }
  t:fingerprint{ doc = d[2], like = d[1], share = 0.8 }
  t:fingerprint{ doc = d[3] }
  local found = t:run{ "derived-copies", "single-source" }
  t:ok(t:find(found, { kind = "derived", docs = { d[2], d[1] } }), "d2 rewrites d1")
  local f = t:find(found, { kind = "single_source", claimants = { "ukraine" } })
  t:ok(f, "the original and its rewrite are one source")
  t:eq(f.claims, ids)
  t:eq(f.docs, { d[1], d[2] })
  t:ok(f.summary:find("only Outlet 1 (and its rewrite) reports", 1, true), f.summary)
  t:ok(t:find(found, { kind = "single_source", claimants = { "south_korea" } }),
       "and 500 stands alone too")
end)

test("a figure repeated in one article is still one source", function(t)
  local d = docs(t, 3)
  local first = fig(t, d[1], 100, 100, "exact", "ukraine")
  local again = fig(t, d[1], 100, 100, "exact", "unattributed", { repeat_of = first })
  fig(t, d[2], 500, 500, "exact", "south_korea")
  fig(t, d[3], 500, 500, "approx", "south_korea")
  local found = t:run{ "single-source" }
  t:eq(#found, 1, "only the 100 stands alone")
  local f = found[1]
  t:eq(f.claims, { first, again }, "the repeat is listed with its claim")
  t:eq(f.claimants, { "ukraine" }, "the repeat's voice is not a second claimant")
end)

test("an outlet's own figure is named as its own", function(t)
  local d = docs(t, 3)
  fig(t, d[1], 20, 20, "exact", "unattributed")
  fig(t, d[2], 300, 300, "approx", "ukraine")
  fig(t, d[3], 300, 300, "approx", "ukraine")
  local f = t:find(t:run{ "single-source" }, { kind = "single_source" })
  t:ok(f, "a finding")
  t:eq(f.summary, "only Outlet 1 reports its own figure of 20 casualties soldiers (x)")
end)
