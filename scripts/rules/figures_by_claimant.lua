-- figures-by-claimant: one claimant's figure as different outlets report it.
-- Where every report can be true at once it is an agreement; where two cannot, an outlet
-- has reported the claimant's figure differently (a reporting discrepancy).
local F = require("lib.figures")

cc.rule{
  name = "figures-by-claimant",
  description = "the same claimant's figure across outlets: agreement or discrepancy",
  check = function(ctx)
    local claims = ctx:claims{}
    local order, groups = F.group(claims, function(c)
      if c.claimant == "unattributed" then return nil end
      return table.concat({ c.measure, c.subject or "-", c.unit or "-", c.claimant }, "|")
    end)
    for _, k in ipairs(order) do
      local g = groups[k]
      local docs = {}
      for _, c in ipairs(g) do docs[c.doc_id] = true end
      local ndocs = 0
      for _ in pairs(docs) do ndocs = ndocs + 1 end
      if ndocs >= 2 then
        local x, y = F.clash(g)
        local clash = x and { x, y }
        local ids = {}
        for _, c in ipairs(g) do ids[#ids + 1] = c.id end
        local c0 = g[1]
        local what = string.format("%s %s (%s)", c0.measure, c0.unit or "", c0.subject or "?")
        if clash then
          ctx:emit{ kind = "conflict", measure = c0.measure, subject = c0.subject,
                    unit = c0.unit, claims = ids, claimants = { c0.claimant },
                    docs = { clash[1].doc_id, clash[2].doc_id },
                    summary = string.format("%s's %s figure is reported as %s by %s but %s by %s",
                      c0.claimant, what, F.text(clash[1]), clash[1].outlet or clash[1].doc,
                      F.text(clash[2]), clash[2].outlet or clash[2].doc) }
        else
          ctx:emit{ kind = "agreement", measure = c0.measure, subject = c0.subject,
                    unit = c0.unit, claims = ids, claimants = { c0.claimant },
                    summary = string.format("%d outlets agree on %s's %s figure (%s)",
                      ndocs, c0.claimant, what, F.text(c0)) }
        end
      end
    end
  end,
}
