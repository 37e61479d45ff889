-- claimants-disagree: different claimants give figures for the same measure, subject
-- and unit that cannot all be true.
local F = require("lib.figures")

cc.rule{
  name = "claimants-disagree",
  description = "different claimants' figures for the same thing do not overlap",
  check = function(ctx)
    local order, groups = F.group(ctx:claims{}, function(c)
      if c.claimant == "unattributed" then return nil end
      return table.concat({ c.measure, c.subject or "-", c.unit or "-" }, "|")
    end)
    for _, k in ipairs(order) do
      local g = groups[k]
      local by = {}
      local claimants = {}
      for _, c in ipairs(g) do
        if not by[c.claimant] then
          by[c.claimant] = {}
          claimants[#claimants + 1] = c.claimant
        end
        table.insert(by[c.claimant], c)
      end
      if #claimants >= 2 then
        -- a pair of claimants none of whose figures overlap the other's
        local pairs_found, ids, parts, seen = {}, {}, {}, {}
        for i = 1, #claimants do
          for j = i + 1, #claimants do
            -- each claimant's figures as one hull: linear in the claims, so that a
            -- large archive stays within the instruction budget
            local any = F.overlap(F.hull(by[claimants[i]]), F.hull(by[claimants[j]]))
            if not any then
              pairs_found[#pairs_found + 1] = { claimants[i], claimants[j] }
              for _, who in ipairs({ claimants[i], claimants[j] }) do
                if not seen[who] then
                  seen[who] = true
                  parts[#parts + 1] = who .. " " .. F.text(by[who][1])
                  for _, c in ipairs(by[who]) do ids[#ids + 1] = c.id end
                end
              end
            end
          end
        end
        if #pairs_found > 0 then
          local c0 = g[1]
          local names = {}
          for who in pairs(seen) do names[#names + 1] = who end
          table.sort(names)
          ctx:emit{ kind = "conflict", measure = c0.measure, subject = c0.subject,
                    unit = c0.unit, claims = ids, claimants = names,
                    summary = string.format("claimants disagree on %s %s (%s): %s",
                      c0.measure, c0.unit or "", c0.subject or "?", table.concat(parts, " vs ")) }
        end
      end
    end
  end,
}
