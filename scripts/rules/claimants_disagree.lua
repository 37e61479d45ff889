-- claimants-disagree: different claimants give figures for the same measure, subject and
-- unit. Each claimant's position is the figure most of its independent reports give;
-- where two positions cannot both be true it is a conflict naming each claimant's
-- figure, and where every position overlaps the claimants corroborate one another.
local F = require("lib.figures")
local Sources = require("lib.sources")
local Series = require("lib.series")

-- The figure a claimant is reported as giving most often (by independent sources; ties:
-- the earliest claim), and the claims that give it.
local function position(src, claims)
  local order, by = F.group(claims, function(c) return F.text(c) end)
  local best, best_n
  for _, k in ipairs(order) do
    local n = src:count_claims(by[k])
    if not best or n > best_n then best, best_n = k, n end
  end
  return by[best][1], by[best]
end

cc.rule{
  name = "claimants-disagree",
  description = "different claimants' figures for the same thing: conflict or corroboration",
  reads = { "claims", "findings" },
  after = { "derived-copies" },
  group_by = { "measure", "subject", "unit" },
  setup = function(ctx) return Sources.load(ctx) end,
  each = function(ctx, key, group, src)
    local order, by = F.group(group, function(c)
      if c.claimant == "unattributed" then return nil end
      return c.claimant
    end)
    if #order >= 2 then
      local pos, backing = {}, {}
      for _, who in ipairs(order) do pos[who], backing[who] = position(src, by[who]) end
      local apart, seen = {}, {}
      for i = 1, #order do
        for j = i + 1, #order do
          local a, b = pos[order[i]], pos[order[j]]
          if not F.overlap(a, b) and not Series.explains(a, b) then
            apart[#apart + 1] = { order[i], order[j] }
            seen[order[i]], seen[order[j]] = true, true
          end
        end
      end
      local what = string.format("%s %s (%s)", key.measure, key.unit or "", key.subject or "?")
      local ids, parts, names, figures = {}, {}, {}, {}
      for _, who in ipairs(order) do
        if #apart == 0 or seen[who] then
          names[#names + 1] = who
          parts[#parts + 1] = who .. " " .. F.text(pos[who])
          figures[who] = F.text(pos[who])
          for _, c in ipairs(backing[who]) do ids[#ids + 1] = c.id end
        end
      end
      if #apart > 0 then
        ctx:emit{ kind = "conflict", measure = key.measure, subject = key.subject,
                  unit = key.unit, claims = ids, claimants = names,
                  summary = string.format("claimants disagree on %s: %s", what,
                                          table.concat(parts, " vs ")),
                  details = { figures = figures, pairs = apart } }
      else
        local docs = Sources.docs_of(group)
        local n = src:count(docs)
        if n >= 2 then
          ids = {}
          for _, c in ipairs(group) do ids[#ids + 1] = c.id end
          ctx:emit{ kind = "agreement", measure = key.measure, subject = key.subject,
                    unit = key.unit, claims = ids, claimants = names, docs = docs,
                    summary = string.format("%d claimants agree on %s across %d independent outlets: %s",
                                            #names, what, n, table.concat(parts, ", ")),
                    details = { figures = figures, independent = n } }
        end
      end
    end
  end,
}
