-- sums: parts that add up to a reported whole agree with it. vocab/sums.lua lists the
-- wholes and their parts (casualties = killed + wounded). For each subject and claimant
-- that gives a figure for every part and for the whole, in compatible units (equal, or
-- missing on one side), the parts are added with interval arithmetic (F.range: an
-- approximate figure is +-10%, "nearly 1,000" is 900-1,000, an open end stays open) and
-- compared with the whole's range:
--
--   * the sum overlaps the whole: an `agreement` under the whole's measure ("about 100
--     killed and nearly 1,000 wounded add up to south_korea's about 1,100 casualties").
--     Each part and the whole are taken at the claimant's position: the figure most of
--     its independent reports give (a rewrite and its original count once, repeats in
--     one article once; ties: the earliest claim).
--   * the parts exceed the whole: a `conflict` only when one article gives every part
--     and the whole for the claimant within NEAR sentences of one another (one report,
--     one passage, so one period and one scope), none of those sentences marks an
--     update ("rose to", lib/series.lua), no two of the claims carry different dates,
--     and even the smallest reading of the parts exceeds the largest reading of the
--     whole by more than MARGIN (round figures: "100 killed, 1,000 wounded, 1,050
--     casualties" is no contradiction worth a finding). Across articles, or far apart in
--     one, the parts and the whole may count different periods or engagements (a later
--     toll for the dead against an earlier casualty figure, a war's dead against one
--     battle's casualties), so a gap between them is not reported: a false alarm costs
--     more than the finding is worth.
--   * the parts fall short of the whole: nothing (a whole often counts more than the
--     listed parts: the missing, the captured).
--
-- Claimants. Parts and whole are matched within one claimant: two claimants' figures
-- may count different things. "unattributed" (an outlet's own voice) is included, but
-- matched within one article only: the own voices of different outlets are different
-- speakers, not one claimant. Set ACROSS_CLAIMANTS to match parts and whole over all
-- claimants of a subject as well (agreements only). Claims whose subject is unknown are
-- skipped: "killed" and "wounded" without a subject may count different parties.
local F = require("lib.figures")
local Sources = require("lib.sources")
local Series = require("lib.series")
local V = require("vocab.sums")

local SLACK = 0.1               -- approximate figures: +-10%
local MARGIN = 0.1              -- a conflict needs parts above the whole by more than this share
local NEAR = 3                  -- ... and parts and whole at most this many sentences apart
local ACROSS_CLAIMANTS = false  -- also match parts and whole across claimants

local INF = math.huge

-- The wholes in a stable order, and every measure they involve.
local wholes, involved = {}, {}
for whole, parts in pairs(V) do
  if type(parts) == "table" and #parts > 0 then
    wholes[#wholes + 1] = whole
    involved[whole] = true
    for _, p in ipairs(parts) do involved[p] = true end
  end
end
table.sort(wholes)
local measures = {}
for m in pairs(involved) do measures[#measures + 1] = m end
table.sort(measures)

local function range(c)
  local lo, hi = F.range(c, SLACK)
  return lo or 0, hi or INF
end

local position = Sources.position

local function join(list)
  if #list <= 2 then return table.concat(list, " and ") end
  return table.concat(list, ", ", 1, #list - 1) .. " and " .. list[#list]
end

local function finite(x)
  if x == INF or x == -INF then return nil end
  return x
end

-- The claims of a list by their measure, in list order.
local function by_measure(list)
  local out = {}
  for i = 1, #list do
    local c = list[i]
    local l = out[c.measure]
    if l then l[#l + 1] = c else out[c.measure] = { c } end
  end
  return out
end

-- The document of a claim (to group by).
local function doc_of(c) return c.doc_id end

-- The claims of a list by their document, in list order.
local function by_doc(list)
  local out = {}
  for i = 1, #list do
    local c = list[i]
    local l = out[c.doc_id]
    if l then l[#l + 1] = c else out[c.doc_id] = { c } end
  end
  return out
end

-- The claims of `list` (claims of one measure) whose unit fits u (equal, or missing on
-- either side): the list itself when u is nil.
local function fitting(list, u)
  if u == nil then return list end
  local out = {}
  for i = 1, #list do
    local c = list[i]
    local cu = c.unit
    if cu == nil or cu == u then out[#out + 1] = c end
  end
  return out
end

-- The units to compare a voice's claims in: each unit they name, or nil when none does.
local function units_of(list)
  local seen, out = {}, {}
  for _, c in ipairs(list) do
    if c.unit and not seen[c.unit] then
      seen[c.unit] = true
      out[#out + 1] = c.unit
    end
  end
  table.sort(out)
  if #out == 0 then out[1] = false end
  return out
end

-- Whether a set of claims of one article speaks of one moment in one passage: at most
-- NEAR sentences apart (unknown sentences: no), no update cue in their sentences, no two
-- different dates.
local function one_moment(claims)
  local first, last
  for _, c in ipairs(claims) do
    local i = c.sentence_idx
    if not i then return false end
    if not first or i < first then first = i end
    if not last or i > last then last = i end
  end
  if last - first > NEAR then return false end
  local t
  for _, c in ipairs(claims) do
    if c.time then
      if t and t ~= c.time then return false end
      t = c.time
    end
  end
  for _, c in ipairs(claims) do
    if Series.cue(c) then return false end
  end
  return true
end

-- Parts exceeding the whole within one article of the voice: returns the article's
-- claims (parts and whole) and the sums, or nil. wl and pls are the voice's claims of
-- the whole and of each part (in unit); articles are tried in the voice's order.
local function excess_in_one_article(voice, wl, pls)
  local whole_of = by_doc(wl)
  local parts_of = {}
  for i, pl in ipairs(pls) do parts_of[i] = by_doc(pl) end
  local tried = {}
  for i = 1, #voice do
    local d = voice[i].doc_id
    local wd = whole_of[d]
    if wd and not tried[d] then
      tried[d] = true
      local sum_lo, all, ok = 0, {}, true
      for k = 1, #pls do
        local pl = parts_of[k][d]
        if not pl then ok = false break end
        local lo = INF
        for _, c in ipairs(pl) do
          local l = range(c)
          if l < lo then lo = l end
          all[#all + 1] = c
        end
        sum_lo = sum_lo + lo
      end
      if ok then
        local whole_hi = -INF
        for _, c in ipairs(wd) do
          local _, h = range(c)
          if h > whole_hi then whole_hi = h end
          all[#all + 1] = c
        end
        if whole_hi < INF and sum_lo > whole_hi * (1 + MARGIN) and one_moment(all) then
          return all, wd, sum_lo, whole_hi
        end
      end
    end
  end
  return nil
end

local function check_voice(ctx, src, subject, who, voice)
  local of = by_measure(voice)
  local voice_units
  for _, whole in ipairs(wholes) do
    local parts = V[whole]
    -- a whole or a part the voice gives no figure for, in any unit: nothing to compare
    local given = of[whole] ~= nil
    for _, p in ipairs(parts) do given = given and of[p] ~= nil end
    local units = {}
    if given then
      voice_units = voice_units or units_of(voice)
      units = voice_units
    end
    for _, u in ipairs(units) do
      u = u or nil
      local wl = fitting(of[whole], u)
      local complete = #wl > 0
      local pls = {}
      for i, p in ipairs(parts) do
        pls[i] = fitting(of[p], u)
        if #pls[i] == 0 then complete = false end
      end
      if complete then
        local what_sub = subject and (" (" .. subject .. ")") or ""
        local all, wclaims, sum_lo, whole_hi
        if not ACROSS_CLAIMANTS then
          all, wclaims, sum_lo, whole_hi = excess_in_one_article(voice, wl, pls)
        end
        if all then
          local ids, texts = {}, {}
          for _, c in ipairs(all) do ids[#ids + 1] = c.id end
          for _, p in ipairs(parts) do
            local t = {}
            for _, c in ipairs(all) do
              if c.measure == p then t[#t + 1] = F.text(c) end
            end
            texts[#texts + 1] = table.concat(t, " / ") .. " " .. p
          end
          local wt = {}
          for _, c in ipairs(wclaims) do wt[#wt + 1] = F.text(c) end
          local whose = who == "unattributed" and (Sources.label(all[1]) .. "'s own") or (who .. "'s")
          ctx:emit{
            kind = "conflict", measure = whole, subject = subject, unit = u,
            claims = ids, claimants = { who },
            summary = string.format("%s add up to more than %s %s %s%s in the same article (%s)",
              join(texts), whose, table.concat(wt, " / "), whole, what_sub, Sources.label(all[1])),
            details = { parts = parts, sum_low = sum_lo, whole_high = whole_hi },
          }
        else
          local ids, texts, figures = {}, {}, {}
          local sum_lo, sum_hi = 0, 0
          for i, p in ipairs(parts) do
            local pos, backing = position(src, pls[i])
            local lo, hi = range(pos)
            sum_lo, sum_hi = sum_lo + lo, sum_hi + hi
            texts[#texts + 1] = F.text(pos) .. " " .. p
            figures[p] = F.text(pos)
            for _, c in ipairs(backing) do ids[#ids + 1] = c.id end
          end
          local wpos, wbacking = position(src, wl)
          local wlo, whi = range(wpos)
          for _, c in ipairs(wbacking) do ids[#ids + 1] = c.id end
          if sum_lo <= whi and wlo <= sum_hi then
            local whose
            if who == "unattributed" then whose = Sources.label(wpos) .. "'s own"
            elseif who then whose = who .. "'s"
            else whose = "the" end
            figures[whole] = F.text(wpos)
            ctx:emit{
              kind = "agreement", measure = whole, subject = subject, unit = u,
              claims = ids, claimants = (who and { who } or nil),
              summary = string.format("%s add up to %s %s %s%s", join(texts), whose,
                                      F.text(wpos), whole, what_sub),
              details = { parts = parts, figures = figures, sum_low = finite(sum_lo),
                          sum_high = finite(sum_hi), whole_low = finite(wlo),
                          whole_high = finite(whi) },
            }
          end
        end
      end
    end
  end
end

cc.rule{
  name = "sums",
  description = "parts that add up to a reported whole (killed + wounded = casualties)",
  reads = { "claims", "findings", "sentences" },
  after = { "derived-copies" },
  check = function(ctx)
    if #wholes == 0 then return end
    local src = Sources.load(ctx)
    local by = ACROSS_CLAIMANTS and { "event", "subject" } or { "event", "subject", "claimant" }
    for key, group in ctx:groups{ by = by, where = { measure = measures } } do
      if key.subject and key.event ~= nil then
        local fresh = {}
        for i = 1, #group do
          local c = group[i]
          if not c.repeat_of and (c.low or c.high) then fresh[#fresh + 1] = c end
        end
        if ACROSS_CLAIMANTS then
          check_voice(ctx, src, key.subject, nil, fresh)
        elseif key.claimant == "unattributed" then
          -- an outlet's own voice: one article at a time
          local order, of_doc = F.group(fresh, doc_of)
          for _, d in ipairs(order) do
            check_voice(ctx, src, key.subject, "unattributed", of_doc[d])
          end
        else
          check_voice(ctx, src, key.subject, key.claimant, fresh)
        end
      end
    end
  end,
}
