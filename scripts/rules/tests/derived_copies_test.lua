-- Tests of rules/derived_copies.lua: texts filed again under another name.

local function fig(t, doc, low, who)
  return t:claim{ doc = doc, measure = "killed", subject = "x", unit = "people", low = low,
                  high = low, qualifier = "exact", claimant = who or "police" }
end

test("a text filed again under another name is a derived copy", function(t)
  local first = t:doc{ name = "wire/feed.jsonl:a", outlet = "Reuters", date = "2024-05-02" }
  local c1 = fig(t, first, 14)
  local c2 = fig(t, first, 60, "governor")
  local again = t:doc{ name = "wire/feed.jsonl:b", outlet = "Reuters", date = "2024-05-02",
                       copy_of = first }
  local found = t:run{ "derived-copies" }
  t:eq(#found, 1, "one finding")
  local f = found[1]
  t:eq(f.kind, "derived")
  t:eq(f.docs, { again, first }, "the copy first, then the document with the text")
  t:eq(f.claims, { c1, c2 }, "the claims of the text")
  t:eq(f.details, { identical = true, similarity = 1 })
  t:eq(f.summary, "Reuters (feed.jsonl:b) is feed.jsonl:a filed again under another name " ..
                  "(identical text)")
end)

test("a copy under another outlet names both outlets", function(t)
  local first = t:doc{ name = "a.txt", outlet = "Reuters" }
  local again = t:doc{ name = "b.txt", outlet = "Daily Post", copy_of = first }
  local f = t:find(t:run{ "derived-copies" }, { kind = "derived", docs = { again, first } })
  t:ok(f, "the copy is found")
  t:eq(f.claims, {}, "a text without figures gives a finding without claims")
  t:eq(f.summary, "Daily Post (b.txt) is Reuters (a.txt) filed again under another name " ..
                  "(identical text)")
end)

test("every copy of a text is a finding of its own", function(t)
  local first = t:doc{ name = "feed.jsonl:1", outlet = "AP" }
  fig(t, first, 3)
  local second = t:doc{ name = "feed.jsonl:2", outlet = "AP", copy_of = first }
  local third = t:doc{ name = "feed.jsonl:3", outlet = "AP", copy_of = first }
  local other = t:doc{ name = "feed.jsonl:4", outlet = "AP" }
  fig(t, other, 5)
  local found = t:run{ "derived-copies" }
  t:eq(#found, 2, "two copies, two findings; the unrelated story none")
  t:eq(found[1].docs, { second, first })
  t:eq(found[2].docs, { third, first })
end)

test("a copy and its original are not compared as a rewrite", function(t)
  -- a copy has no text and no fingerprint of its own; even given one, the pair is
  -- reported once, as a copy
  local first = t:doc{ name = "a.txt", outlet = "Reuters", date = "2024-05-01" }
  local again = t:doc{ name = "b.txt", outlet = "Reuters", date = "2024-05-02", copy_of = first }
  local rewrite = t:doc{ name = "c.txt", outlet = "Daily Post", date = "2024-05-03" }
  t:fingerprint{ doc = first }
  t:fingerprint{ doc = again, like = first, share = 1 }
  t:fingerprint{ doc = rewrite, like = first, share = 0.9 }
  local found = t:run{ "derived-copies" }
  t:eq(#found, 2, "the copy, and the rewrite of the original")
  local copy = t:find(found, { docs = { again, first } })
  t:ok(copy and copy.details.identical, "the copy")
  local r = t:find(found, { docs = { rewrite, first } })
  t:ok(r and not r.details.identical, "the rewrite")
  t:eq(t:find(found, { docs = { rewrite, again } }), nil, "the copy is not a rewrite's original")
end)
