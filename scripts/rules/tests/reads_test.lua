-- The default pack under the `reads` each rule declares: every rule runs, over an archive
-- that takes each one through the ctx calls it makes (a rewrite and its original, with
-- figures, quotations and fingerprints; a toll that rises; a date given twice), so a
-- rule that called a method its reads do not declare would fail here (docs/rules.md).

local function fig(t, doc, measure, v, sentence, o)
  o = o or {}
  return t:claim{ doc = doc, measure = measure, subject = "north_korea", unit = "soldiers",
                  low = v, high = v, qualifier = "exact", claimant = o.claimant or "south_korea",
                  time = o.time, sentence = sentence }
end

test("every rule of the pack runs under its declared reads", function(t)
  local a = t:doc{ name = "a.txt", outlet = "Outlet A", date = "2024-12-20" }
  local b = t:doc{ name = "b.txt", date = "2024-12-21" }
  local c = t:doc{ name = "c.txt", outlet = "Outlet C", date = "2024-12-27" }
  for _, d in ipairs({ a, b }) do   -- b rewrites a: the same figures in the same order
    fig(t, d, "killed", 100, "About 100 soldiers were killed, Seoul said.",
        { time = "2024-12-19" })
    fig(t, d, "wounded", 1000, "Nearly 1,000 were wounded.", { time = "2024-12-19" })
    fig(t, d, "casualties", 1100, "That makes 1,100 casualties.", { time = "2024-12-19" })
    t:quote{ doc = d, text = "They lose men every day and do not seem to mind at all.",
             speaker = "Kim Min-jun" }
  end
  t:fingerprint{ doc = a }
  t:fingerprint{ doc = b, like = a, share = 0.9 }
  t:fingerprint{ doc = c }
  fig(t, c, "killed", 300, "The toll rose to 300, Seoul said.", { time = "2024-12-26" })
  fig(t, c, "killed", 40, "Kyiv said 40 were killed.", { claimant = "ukraine" })
  t:quote{ doc = c, text = "They lose men every day and do not seem to mind at all.",
           speaker = "Olena Shevchenko" }
  local found = t:run{}   -- fails if any rule fails
  for _, kind in ipairs({ "derived", "update", "quote_misattributed", "agreement" }) do
    t:ok(t:find(found, { kind = kind }), "a finding of kind " .. kind)
  end
end)
