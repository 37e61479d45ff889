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

test("an original and its rewrites are one family, one finding", function(t)
  local orig = t:doc{ name = "wire.txt", outlet = "Wire", date = "2024-05-01" }
  local r1 = t:doc{ name = "paper1.txt", outlet = "Paper One", date = "2024-05-02" }
  local r2 = t:doc{ name = "paper2.txt", outlet = "Paper Two", date = "2024-05-03" }
  t:fingerprint{ doc = orig }
  t:fingerprint{ doc = r1, like = orig, share = 0.8 }
  t:fingerprint{ doc = r2, like = orig, share = 0.7 }
  local found = t:run{ "derived-copies" }
  local derived = {}
  for _, f in ipairs(found) do
    if f.kind == "derived" then derived[#derived + 1] = f end
  end
  t:eq(#derived, 1, "one finding for the family, not one per pair")
  t:eq(derived[1].docs, { r1, r2, orig }, "the rewrites, then the original")
  t:eq(derived[1].details.original, orig)
  t:ok(derived[1].summary:find("Wire (wire.txt) and 2 rewrites of it", 1, true),
       derived[1].summary)
  t:ok(derived[1].summary:find("share 80% of their three-word phrases", 1, true),
       derived[1].summary)
end)

test("two outlets quoting one speaker do not rewrite each other", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Paper A", date = "2024-05-01" }
  local b = t:doc{ name = "b.txt", outlet = "Paper B", date = "2024-05-01" }
  for _, d in ipairs{ a, b } do
    t:quote{ doc = d, text = "We will rebuild every house that the river took from us",
             speaker = "the mayor" }
    t:quote{ doc = d, text = "Nobody in this valley has seen water rise this fast",
             speaker = "the mayor" }
  end
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.12 }
  t:eq(t:find(t:run{ "derived-copies" }, { kind = "derived" }), nil,
       "shared quotations in texts otherwise apart are shared sources, not a rewrite")
end)

test("one template filled in with other numbers is not a rewrite", function(t)
  local a = t:doc{ name = "north.txt", outlet = "Wire", date = "2024-05-01" }
  local b = t:doc{ name = "south.txt", outlet = "Wire", date = "2024-05-01" }
  for _, v in ipairs{ 200, 51.5 } do t:mention{ doc = a, kind = "quantity", low = v, high = v } end
  for _, v in ipairs{ 2800, 50 } do t:mention{ doc = b, kind = "quantity", low = v, high = v } end
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.7 }
  t:eq(t:find(t:run{ "derived-copies" }, { kind = "derived" }), nil, "other numbers, no rewrite")
end)

test("a rewrite keeps the numbers of its original", function(t)
  local a = t:doc{ name = "first.txt", outlet = "Wire", date = "2024-05-01" }
  local b = t:doc{ name = "second.txt", outlet = "Wire", date = "2024-05-02" }
  for _, d in ipairs{ a, b } do
    for _, v in ipairs{ 200, 51.5, 7 } do t:mention{ doc = d, kind = "quantity", low = v, high = v } end
  end
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.7 }
  local f = t:find(t:run{ "derived-copies" }, { kind = "derived" })
  t:ok(f, "a rewrite")
  t:eq(f.docs, { b, a }, "the later one rewrites the first")
end)

test("the same words a month apart are two stories, not a rewrite", function(t)
  local a = t:doc{ name = "may.txt", outlet = "Wire", date = "2024-05-01" }
  local b = t:doc{ name = "june.txt", outlet = "Wire", date = "2024-06-03" }
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.6 }
  t:eq(t:find(t:run{ "derived-copies" }, { kind = "derived" }), nil, "a month apart")
end)

test("a weekly report filled in for another week is not a rewrite", function(t)
  local a = t:doc{ name = "w1.txt", outlet = "Wire", date = "2024-05-01" }
  local b = t:doc{ name = "w2.txt", outlet = "Wire", date = "2024-05-06" }
  t:mention{ doc = a, kind = "date", value = "2024-04-26" }
  t:mention{ doc = b, kind = "date", value = "2024-05-03" }
  t:mention{ doc = b, kind = "quantity", low = 106200, high = 106200 }
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.6 }
  t:eq(t:find(t:run{ "derived-copies" }, { kind = "derived" }), nil, "another week")
end)
