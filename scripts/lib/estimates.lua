-- estimates.lua: the policy behind the estimates rule (best, low and high of a figure),
-- in the manner of conflict-event datasets: a low (the most conservative credible
-- figure), a high (the highest credible one) and a best estimate. Change the functions
-- below to change the policy; the rule (rules/estimates.lua) only calls them.
--
-- Credible. A claim is credible when
--   * it is not a restatement (repeat_of) of an earlier claim of its document: a figure
--     said twice in one article counts once;
--   * it has a number (at least one bound);
--   * someone is said to have given it (claimant other than "unattributed"), or, given
--     in an outlet's own voice, it is corroborated: at least MIN_CORROBORATION
--     independent sources report a figure that overlaps it (E.clusters below).
-- Independent sources are documents with their rewrites folded in (lib/sources.lua): an
-- article and its rewrite are one source.
--
-- Each figure is compared by its stated numbers: "more than 3,000" and "nearly 3,000"
-- both contribute 3,000 (an open end is not infinite for an estimate); a range
-- contributes its low end to the low and its high end to the high.
--
-- low(list): the credible figure with the smallest stated lower number (ties: the one
--   that says least, "nearly 100" before "100"). high(list): the largest stated upper
--   number (ties: "more than 1,000" before "1,000").
-- best(list): the median of the votes by F.point, the lower middle one when the count is
--   even (the conservative choice, and always a figure someone reported). A vote is one
--   figure of one independent source: an original and its rewrite giving the same
--   number cast one vote; one source that reports two claimants' different figures
--   casts one vote for each.
--
-- Each of low/high/best takes the list of credible entries { claim =, source = } (source:
-- the claim's independent-source id) and returns the chosen claim and the list of
-- claims that give the same figure (F.same). credible(claim, info) gets info =
-- { corroboration = independent sources in the claim's run of overlapping figures }.
--
-- E.span and E.clusters (how figures are compared and grouped into runs that overlap)
-- are shared with the single-source rule: changing them changes both.
local F = require("lib.figures")

local E = {}

E.SLACK = 0.1                 -- approximate figures: +-10% when comparing figures
E.MIN_CORROBORATION = 2       -- independent sources an unattributed figure needs
E.MIN_SOURCES = 2             -- independent sources behind a group's credible figures
                              -- before it gets an estimate (1: every group)
E.SKIP_UNKNOWN_SUBJECT = true -- groups whose subject is unknown get no estimate: their
                              -- figures may count different parties' losses

-- The stated numbers of a figure: its low end (or its bound when open below) and its
-- high end (or its bound when open above).
function E.lo_of(c) return c.low or c.high end
function E.hi_of(c) return c.high or c.low end

-- A figure as a closed span for comparing and clustering: approximate figures widened
-- by the slack, an open end closed at the stated bound plus the slack ("more than
-- 3,000" is 3,000-3,300, "nearly 3,000" 2,700-3,000). Open ends are not taken as
-- infinite here: in news "more than 3,000" speaks of about 3,000, and an infinite end
-- would join every larger figure into one run. nil for a figure without numbers.
function E.span(c, slack)
  slack = slack or E.SLACK
  local lo, hi = c.low, c.high
  if not lo and not hi then return nil end
  if c.qualifier == "approx" and lo and hi then
    lo, hi = lo * (1 - slack), hi * (1 + slack)
  elseif not hi then
    hi = lo * (1 + slack)
  elseif not lo then
    lo = hi * (1 - slack)
  end
  if lo > hi then lo, hi = hi, lo end   -- negative figures
  return { low = lo, high = hi, qualifier = "between" }
end

-- Clusters the figures of a list (claims of one measure, subject and unit) into runs
-- that overlap: spans sorted by lower end, each joining the run before it when it
-- overlaps the run's hull (F.overlap). Returns a list of clusters in ascending order,
-- each { claims = {...}, span = {low, high} }; claims without numbers are left out.
-- n log n in the size of the list.
function E.clusters(list)
  local items = {}
  for _, c in ipairs(list) do
    local s = E.span(c)
    if s then items[#items + 1] = { c = c, s = s } end
  end
  table.sort(items, function(a, b)
    if a.s.low ~= b.s.low then return a.s.low < b.s.low end
    return a.c.id < b.c.id
  end)
  local out, cur = {}, nil
  for _, it in ipairs(items) do
    if cur and F.overlap(cur.span, it.s) then
      cur.claims[#cur.claims + 1] = it.c
      if it.s.high > cur.span.high then cur.span.high = it.s.high end
    else
      cur = { claims = { it.c }, span = { low = it.s.low, high = it.s.high, qualifier = "between" } }
      out[#out + 1] = cur
    end
  end
  return out
end

-- Whether a claim counts towards the estimate. info = { corroboration = the number of
-- independent sources whose figures are in the claim's cluster (E.clusters) }.
function E.credible(c, info)
  if c.repeat_of then return false end
  if not c.low and not c.high then return false end
  if c.claimant and c.claimant ~= "unattributed" then return true end
  return (info and info.corroboration or 0) >= E.MIN_CORROBORATION
end

-- A key for figures that are the same (F.same): same bounds and qualifier.
local function figure_key(c)
  return string.format("%s|%s|%s", tostring(c.low), tostring(c.high), tostring(c.qualifier))
end

-- The claims of list that give the same figure as claim c.
local function behind(list, c)
  local out = {}
  for _, e in ipairs(list) do
    if F.same(e.claim, c) then out[#out + 1] = e.claim end
  end
  return out
end

-- The number of independent sources giving each figure of a list, by figure_key.
local function support(list)
  local seen, n = {}, {}
  for _, e in ipairs(list) do
    local k = figure_key(e.claim)
    local sk = k .. "#" .. tostring(e.source)
    if not seen[sk] then
      seen[sk] = true
      n[k] = (n[k] or 0) + 1
    end
  end
  return n
end

-- A comparison by f(claim): negative when a comes first.
local function by(f, descending)
  return function(a, b)
    local x, y = f(a), f(b)
    if x == y then return 0 end
    if descending then return x > y and -1 or 1 end
    return x < y and -1 or 1
  end
end

-- The claim of list that comes first by the comparisons `order` (the first that tells
-- two claims apart decides).
local function first(list, order)
  local best
  for _, e in ipairs(list) do
    local c = e.claim
    if not best then best = c
    else
      for _, cmp in ipairs(order) do
        local d = cmp(c, best)
        if d < 0 then best = c end
        if d ~= 0 then break end
      end
    end
  end
  return best
end

-- F.bounds one value at a time: open ends infinite; whether an end is included.
local function lo_bound(c) local lo = F.bounds(c) return lo end
local function lo_excl(c) local _, incl = F.bounds(c) return incl and 0 or 1 end
local function hi_bound(c) local _, _, hi = F.bounds(c) return hi end
local function hi_incl(c) local _, _, _, incl = F.bounds(c) return incl and 1 or 0 end

local function by_support(list)
  local n = support(list)
  return by(function(c) return n[figure_key(c)] end, true)
end
local by_id = by(function(c) return c.id end)

-- Lowest stated number; then the figure that says least ("nearly 100" before "100"
-- before "more than 100"); then the figure more sources give; then the earliest.
function E.low(list)
  local c = first(list, { by(E.lo_of), by(lo_bound), by(lo_excl), by_support(list), by_id })
  if not c then return nil, {} end
  return c, behind(list, c)
end

-- Highest stated number; then the figure that says most ("more than 1,000" before
-- "1,000" before "nearly 1,000"); then the figure more sources give; then the earliest.
function E.high(list)
  local c = first(list, { by(E.hi_of, true), by(hi_bound, true), by(hi_incl, true),
                          by_support(list), by_id })
  if not c then return nil, {} end
  return c, behind(list, c)
end

-- The votes of a list: one per independent source and figure (by F.point), the
-- earliest claim standing for it.
function E.votes(list)
  local seen, votes = {}, {}
  for _, e in ipairs(list) do
    local p = F.point(e.claim)
    if p then
      local k = tostring(e.source) .. "|" .. string.format("%.17g", p)
      if not seen[k] then
        seen[k] = true
        votes[#votes + 1] = e
      end
    end
  end
  return votes
end

function E.best(list)
  local votes = E.votes(list)
  if #votes == 0 then return nil, {} end
  local n = support(list)
  table.sort(votes, function(a, b)
    local pa, pb = F.point(a.claim), F.point(b.claim)
    if pa ~= pb then return pa < pb end
    local na, nb = n[figure_key(a.claim)], n[figure_key(b.claim)]
    if na ~= nb then return na > nb end
    return a.claim.id < b.claim.id
  end)
  local m = votes[(#votes + 1) // 2].claim
  return m, behind(list, m)
end

return E
