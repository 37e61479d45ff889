-- Tests of rules/sums.lua: parts that add up to a reported whole (vocab/sums.lua:
-- casualties = killed + wounded).

local function fig(t, doc, measure, low, high, q, who, extra)
  local c = { doc = doc, measure = measure, subject = "x", unit = "soldiers",
              low = low, high = high, qualifier = q, claimant = who or "south_korea" }
  for k, v in pairs(extra or {}) do
    if v == false then c[k] = nil else c[k] = v end   -- false: leave the field out
  end
  return t:claim(c)
end

local function docs(t, n)
  local out = {}
  for i = 1, n do
    out[i] = t:doc{ name = "d" .. i .. ".txt", outlet = "Outlet " .. i }
  end
  return out
end

test("killed and wounded that add up to the casualties agree", function(t)
  local d = docs(t, 2)
  local k = fig(t, d[1], "killed", 100, 100, "approx")
  local w = fig(t, d[1], "wounded", nil, 1000, "nearly")
  local c = fig(t, d[2], "casualties", 1100, 1100, "approx")
  local found = t:run{ "sums" }
  t:eq(#found, 1, "one finding")
  local f = t:find(found, { rule = "sums", kind = "agreement", measure = "casualties",
                            subject = "x", claimants = { "south_korea" } })
  t:ok(f, "an agreement under the whole's measure")
  t:eq(f.claims, { k, w, c })
  t:eq(f.summary, "about 100 killed and nearly 1,000 wounded add up to south_korea's " ..
                  "about 1,100 casualties (x)")
  t:eq(f.details.figures, { killed = "about 100", wounded = "nearly 1,000",
                            casualties = "about 1,100" })
end)

test("without a figure for every part there is nothing to add", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 100, 100, "exact")
  fig(t, d[1], "casualties", 100, 100, "exact")
  t:eq(t:run{ "sums" }, {})
end)

test("parts of different claimants are not added up", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 100, 100, "exact", "south_korea")
  fig(t, d[1], "wounded", 1000, 1000, "exact", "united_states")
  fig(t, d[1], "casualties", 1100, 1100, "exact", "ukraine")
  t:eq(t:run{ "sums" }, {})
end)

test("open ends stay open", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 100, nil, "more_than")
  fig(t, d[1], "wounded", 500, 500, "exact")
  fig(t, d[1], "casualties", 2000, 2000, "approx")
  local f = t:find(t:run{ "sums" }, { kind = "agreement" })
  t:ok(f, "more than 600 can be about 2,000")
  t:eq(f.details.sum_low, 600)
  t:eq(f.details.sum_high, nil, "no upper end")
end)

test("parts that exceed the whole in one passage are a conflict", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 2000, 2000, "exact", "ukraine",
      { sentence = "Ukraine said 2,000 soldiers were killed." })
  fig(t, d[1], "wounded", 3000, 3000, "exact", "ukraine",
      { sentence = "Another 3,000 were wounded, it said." })
  fig(t, d[1], "casualties", 1000, 1000, "approx", "ukraine",
      { sentence = "That makes about 1,000 casualties in all, Ukraine said." })
  local found = t:run{ "sums" }
  local f = t:find(found, { kind = "conflict", measure = "casualties", claimants = { "ukraine" },
                            docs = { d[1] } })
  t:ok(f, "a conflict")
  t:eq(t:find(found, { kind = "agreement" }), nil, "and no agreement")
  t:ok(f.summary:find("2,000 killed and 3,000 wounded add up to more than ukraine's " ..
                      "about 1,000 casualties (x) in the same article", 1, true), f.summary)
end)

test("parts and whole far apart in one article are no conflict", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 2000, 2000, "exact", "ukraine", { sentence = "2,000 were killed." })
  fig(t, d[1], "wounded", 3000, 3000, "exact", "ukraine", { sentence = "3,000 were wounded." })
  for i = 1, 4 do
    t:claim{ doc = d[1], measure = "deployed", subject = "y", low = i, high = i,
             qualifier = "exact", sentence = "Filler sentence number " .. i .. "." }
  end
  fig(t, d[1], "casualties", 1000, 1000, "approx", "ukraine",
      { sentence = "In the battle for the town there were about 1,000 casualties." })
  t:eq(t:find(t:run{ "sums" }, { kind = "conflict" }), nil, "perhaps a different scope")
end)

test("parts above the whole across articles are no conflict", function(t)
  local d = docs(t, 2)
  fig(t, d[1], "killed", 2000, 2000, "exact", "ukraine")
  fig(t, d[1], "wounded", 3000, 3000, "exact", "ukraine")
  fig(t, d[2], "casualties", 1000, 1000, "approx", "ukraine")
  t:eq(t:run{ "sums" }, {}, "different reports may count different periods")
end)

test("parts above the whole by less than the margin are no conflict", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "killed", 100, 100, "exact", nil, { sentence = "100 were killed." })
  fig(t, d[1], "wounded", 1000, 1000, "exact", nil, { sentence = "1,000 were wounded." })
  fig(t, d[1], "casualties", 1050, 1050, "exact", nil, { sentence = "1,050 casualties." })
  t:eq(t:find(t:run{ "sums" }, { kind = "conflict" }), nil, "round figures")
end)

test("an update in the same article is no conflict", function(t)
  local d = docs(t, 1)
  fig(t, d[1], "casualties", 1000, 1000, "exact", "ukraine",
      { sentence = "Casualties stood at 1,000 last week." })
  fig(t, d[1], "killed", 2000, 2000, "exact", "ukraine",
      { sentence = "The death toll has risen to 2,000, Ukraine said." })
  fig(t, d[1], "wounded", 3000, 3000, "exact", "ukraine",
      { sentence = "Another 3,000 were wounded." })
  t:eq(t:find(t:run{ "sums" }, { kind = "conflict" }), nil, "a series, not a contradiction")
end)

test("units must match or be missing on one side", function(t)
  local d = docs(t, 2)
  fig(t, d[1], "killed", 100, 100, "exact", "south_korea", { unit = "civilians" })
  fig(t, d[1], "wounded", 1000, 1000, "exact", "south_korea")
  fig(t, d[1], "casualties", 1100, 1100, "exact", "south_korea")
  t:eq(t:run{ "sums" }, {}, "killed civilians are no part of soldiers' casualties")
  fig(t, d[2], "killed", 100, 100, "exact", "united_states", { unit = false })
  fig(t, d[2], "wounded", 1000, 1000, "exact", "united_states")
  fig(t, d[2], "casualties", 1100, 1100, "exact", "united_states")
  t:ok(t:find(t:run{ "sums" }, { kind = "agreement", unit = "soldiers",
                                 claimants = { "united_states" } }),
       "a part without a unit fits")
end)

test("an outlet's own figures are added within one article only", function(t)
  local d = docs(t, 3)
  fig(t, d[1], "killed", 100, 100, "exact", "unattributed")
  fig(t, d[1], "wounded", 1000, 1000, "exact", "unattributed")
  fig(t, d[2], "casualties", 1100, 1100, "exact", "unattributed")
  t:eq(t:run{ "sums" }, {}, "two outlets' own voices are not one claimant")
  fig(t, d[3], "killed", 50, 50, "exact", "unattributed")
  fig(t, d[3], "wounded", 250, 250, "approx", "unattributed")
  fig(t, d[3], "casualties", 300, 300, "exact", "unattributed")
  local f = t:find(t:run{ "sums" }, { kind = "agreement", docs = { d[3] } })
  t:ok(f, "one outlet's own figures in one article")
  t:eq(f.summary, "50 killed and about 250 wounded add up to Outlet 3's own 300 casualties (x)")
end)

test("each part is the figure most independent sources give", function(t)
  local d = docs(t, 4)
  -- d[2] rewrites d[1]: 100 killed is one source, 300 killed two
  for i = 1, 2 do
    fig(t, d[i], "killed", 100, 100, "exact")
    fig(t, d[i], "wounded", 1000, 1000, "exact")
    fig(t, d[i], "missing", 7, 7, "exact")
  end
  local k3 = fig(t, d[3], "killed", 300, 300, "exact")
  local k4 = fig(t, d[4], "killed", 300, 300, "exact")
  fig(t, d[4], "casualties", 1300, 1300, "approx")
  t:fingerprint{ doc = d[1] }
  t:fingerprint{ doc = d[2], like = d[1], share = 0.8 }
  t:fingerprint{ doc = d[3] }
  t:fingerprint{ doc = d[4] }
  local found = t:run{ "derived-copies", "sums" }
  t:ok(t:find(found, { kind = "derived" }), "the rewrite is found")
  local f = t:find(found, { rule = "sums", kind = "agreement", claims = { k3, k4 } })
  t:ok(f, "300 killed and 1,000 wounded make about 1,300 casualties")
  t:eq(f and f.details.figures.killed, "300")
end)
