-- updates: a figure that rises or is revised over time is a series, not a conflict.
--
-- For each event, measure, subject and population (lib/units.lua), the figures of one
-- claimant (the outlets' own unattributed voice counts as one; where the subject is
-- nobody's side, every claimant's figures are readings of one toll) that do not all
-- overlap are put in the order of the dates they stand at (lib/series.lua); where each
-- figure follows the one before (an update cue such as "rose to" in its sentence, a
-- cumulative measure at a later date and not smaller, a stock at a later date), the
-- chain is one `update` finding listing the series step by step.
-- Figures that fit no chain are left out (details.left_out) for the conflict rules,
-- which ask the same library before reporting two figures as a conflict. Sentences are
-- read only for groups whose figures differ.
local U = require("lib.units")
local F = require("lib.figures")
local Sources = require("lib.sources")
local Series = require("lib.series")

-- Whether every figure of a list overlaps every other: for intervals, the figure with
-- the highest lower bound must overlap the one with the lowest upper bound.
local function all_overlap(list)
  local top, bottom, tlo, tlo_in, bhi, bhi_in
  for i = 1, #list do
    local c = list[i]
    local lo, lo_in, hi, hi_in = F.bounds(c)
    if not top then
      top, bottom, tlo, tlo_in, bhi, bhi_in = c, c, lo, lo_in, hi, hi_in
    else
      if lo > tlo or (lo == tlo and tlo_in and not lo_in) then
        top, tlo, tlo_in = c, lo, lo_in
      end
      if hi < bhi or (hi == bhi and bhi_in and not hi_in) then
        bottom, bhi, bhi_in = c, hi, hi_in
      end
    end
  end
  return not top or F.overlap(top, bottom)
end

local function quoted(s)
  if #s > 40 then s = s:sub(1, 37) .. "..." end
  return "'" .. s .. "'"
end

-- Whether v is a round number ("1,200", "30") and w not, within a tenth of each other.
local function rounds(v, w)
  if not v or not w or v == w or w == 0 then return false end
  local step = v >= 1000 and 100 or v >= 100 and 10 or nil
  if not step or v % step ~= 0 or w % step == 0 then return false end
  return math.abs(v - w) <= 0.1 * w
end

-- A headline or lead often rounds the figure the body gives exactly ("killed 1,200" over
-- "killed 1,269"): such a figure is the body's, not an earlier step of a series. Returns
-- the list without the round figures that an exact one later in the same document, of
-- the same claimant or the outlet's own voice, rounds off; and those figures. Each
-- document's figures are sorted once, so a long list costs n log n, not n squared.
local function without_roundings(list)
  local by_doc = {}
  for _, c in ipairs(list) do
    local l = by_doc[c.doc_id]
    if not l then
      l = {}
      by_doc[c.doc_id] = l
    end
    l[#l + 1] = c
  end
  local rounding = {}
  for _, l in pairs(by_doc) do
    if #l > 1 then
      local sorted = {}
      for i, c in ipairs(l) do sorted[i] = { p = F.point(c) or 0, c = c } end
      table.sort(sorted, function(x, y) return x.p < y.p end)
      for _, e in ipairs(sorted) do
        local v, c = e.p, e.c
        if v >= 100 then
          -- the exact figures within a tenth of v: a binary search, then a short walk
          local lo, hi = 1, #sorted
          while lo < hi do
            local mid = (lo + hi) // 2
            if sorted[mid].p < v / 1.1 then lo = mid + 1 else hi = mid end
          end
          for k = lo, #sorted do
            local d = sorted[k]
            if d.p > v / 0.9 then break end
            local o = d.c
            if o ~= c and rounds(v, d.p) and
               (o.claimant == c.claimant or c.claimant == "unattributed" or
                o.claimant == "unattributed") and (c.start or 0) < (o.start or 0) then
              rounding[c] = true
              break
            end
          end
        end
      end
    end
  end
  local keep, out = {}, {}
  for _, c in ipairs(list) do
    if rounding[c] then out[#out + 1] = c else keep[#keep + 1] = c end
  end
  return keep, out
end

-- One set of claims counting the same people (lib/units.lua) of one event, measure
-- and subject; key.unit is the set's population.
local function check_set(ctx, key, group)
  local ids = {}
  for _, c in ipairs(group) do ids[c.id] = c end
  -- A party's losses: each claimant's own series. Nobody's side (the dead of a
  -- disaster): one toll, whoever gives each reading (lib/series.lua).
  local shared = key.subject == nil
  local order, by = F.group(group, function(c)
    local who = c.claimant or "unattributed"
    -- a restatement in the same article of a claim of the same claimant adds nothing
    local orig = c.repeat_of and ids[c.repeat_of]
    if orig and (shared or (orig.claimant or "unattributed") == who) then return nil end
    return shared and "*" or who
  end)
  for _, who in ipairs(order) do
    local list = by[who]
    local roundings = {}
    if #list >= 2 and not all_overlap(list) then
      list, roundings = without_roundings(list)
    end
    if #list >= 2 and not all_overlap(list) then
      ctx:sentences(list)   -- the cues are in the sentences: one query for the group
      local chain, left = Series.chain(list)
      if #chain >= 2 then
        local series, claims, parts, members = {}, {}, {}, {}
        for _, step in ipairs(chain) do
          local first = step.claims[1]
          local when, cue
          for _, c in ipairs(step.claims) do
            when = when or Series.when(c)
            cue = cue or Series.cue(c)
            claims[#claims + 1] = c.id
            members[#members + 1] = c
          end
          local also = {}
          for i = 2, #step.claims do also[#also + 1] = step.claims[i].id end
          series[#series + 1] = { when = when, figure = F.text(first), claim = first.id,
                                  doc = first.doc_id, cue = cue, also = also }
          local notes = {}
          if who == "*" and first.claimant and first.claimant ~= "unattributed" then
            notes[#notes + 1] = first.claimant
          end
          if when then notes[#notes + 1] = when end
          if cue then notes[#notes + 1] = quoted(cue) end
          parts[#parts + 1] = F.text(first) ..
            (#notes > 0 and (" (" .. table.concat(notes, ", ") .. ")") or "")
        end
        local left_out = {}
        for _, c in ipairs(left) do left_out[#left_out + 1] = c.id end
        for _, c in ipairs(roundings) do left_out[#left_out + 1] = c.id end
        local whose = who == "*" and "the" or who == "unattributed" and "the outlets' own"
                      or (who .. "'s")
        local claimants = { who }
        if who == "*" then
          local seen = {}
          claimants = {}
          for _, c in ipairs(members) do
            local k = c.claimant or "unattributed"
            if not seen[k] then
              seen[k] = true
              claimants[#claimants + 1] = k
            end
          end
        end
        ctx:emit{
          event = key.event,
          kind = "update", measure = key.measure, subject = key.subject,
          unit = key.unit, claims = claims, claimants = claimants,
          docs = Sources.docs_of(members),
          summary = string.format("%s %s figure (%s) moved: %s", whose, key.measure,
                                  key.subject or "?", table.concat(parts, " -> ")),
          details = { series = series, left_out = left_out },
        }
      end
    end
  end
end

cc.rule{
  name = "updates",
  description = "a figure revised over time: the series of its values, not a conflict",
  reads = { "claims", "sentences" },
  group_by = { "event", "measure", "subject" },
  -- a figure about no stored event, or alone in its group, is passed over
  each = U.each_population(check_set),
}
