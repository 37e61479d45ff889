-- claimants-disagree: different claimants give figures for the same measure, subject and
-- unit. Each claimant's position is the figure most of its independent reports give;
-- where two positions cannot both be true it is a conflict naming each claimant's
-- figure, and where every position overlaps the claimants corroborate one another.
local U = require("lib.units")
local F = require("lib.figures")
local Sources = require("lib.sources")
local Series = require("lib.series")

local overlap_bounds = F.overlap_bounds

local position = Sources.position
local explains_items = Series.explains_items

-- The claimant a claim is grouped under: nil for an outlet's own voice.
local function named(c)
  if c.claimant == "unattributed" then return nil end
  return c.claimant
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group, src)
  local order, by = F.group(group, named)
  if #order >= 2 then
    local pos, backing = {}, {}
    for _, who in ipairs(order) do pos[who], backing[who] = position(src, by[who]) end
    -- every pair of positions (F.overlap, with each position's F.bounds read once)
    local k = #order
    local p, lo, lo_in, hi, hi_in, open = {}, {}, {}, {}, {}, {}
    for i, who in ipairs(order) do
      local c = pos[who]
      p[i] = c
      lo[i], lo_in[i], hi[i], hi_in[i], open[i] = F.bounds(c)
    end
    local apart, seen, items, moved = {}, {}, nil, false
    for i = 1, k do
      local ilo, ilo_in, ihi, ihi_in, iopen = lo[i], lo_in[i], hi[i], hi_in[i], open[i]
      for j = i + 1, k do
        if not overlap_bounds(ilo, ilo_in, ihi, ihi_in, iopen,
                              lo[j], lo_in[j], hi[j], hi_in[j], open[j]) then
          if not items then   -- Series reads the cues in their sentences: one query
            ctx:sentences(p)
            items = {}
            for x = 1, k do items[x] = Series.item(p[x]) end
          end
          if not explains_items(items[i], items[j]) then
            apart[#apart + 1] = { order[i], order[j] }
            seen[order[i]], seen[order[j]] = true, true
          else
            moved = true   -- a series: the updates rule reports it
          end
        end
      end
    end
    -- the claimants a finding names, with their figures (and the claims behind them)
    local function describe()
      local ids, parts, names, figures = {}, {}, {}, {}
      for _, who in ipairs(order) do
        if #apart == 0 or seen[who] then
          local text = F.text(pos[who])
          names[#names + 1] = who
          parts[#parts + 1] = who .. " " .. text
          figures[who] = text
          local b = backing[who]
          for i = 1, #b do ids[#ids + 1] = b[i].id end
        end
      end
      local what = string.format("%s %s (%s)", key.measure, key.unit or "",
                                 key.subject or "?")
      return what, ids, parts, names, figures
    end
    if #apart > 0 then
      local what, ids, parts, names, figures = describe()
      ctx:emit{ event = key.event, kind = "conflict", measure = key.measure, subject = key.subject,
                unit = key.unit, claims = ids, claimants = names,
                summary = string.format("claimants disagree on %s: %s", what,
                                        table.concat(parts, " vs ")),
                details = { figures = figures, pairs = apart } }
    elseif not moved then   -- figures that moved over time do not agree
      local docs = Sources.docs_of(group)
      local n = src:count(docs)
      if n >= 2 then   -- only now is there a finding to describe
        local what, _, parts, names, figures = describe()
        local ids = {}
        for i = 1, #group do ids[i] = group[i].id end
        ctx:emit{ event = key.event, kind = "agreement", measure = key.measure, subject = key.subject,
                  unit = key.unit, claims = ids, claimants = names, docs = docs,
                  summary = string.format("%d claimants agree on %s across %d independent outlets: %s",
                                          #names, what, n, table.concat(parts, ", ")),
                  details = { figures = figures, independent = n } }
      end
    end
  end
end

cc.rule{
  name = "claimants-disagree",
  description = "different claimants' figures for the same thing: conflict or corroboration",
  reads = { "claims", "findings", "sentences" },
  after = { "derived-copies" },
  group_by = { "event", "measure", "subject" },
  setup = function(ctx) return Sources.load(ctx) end,
  -- a figure about no stored event, or alone in its group, is passed over
  each = U.each_population(check_set),
}
