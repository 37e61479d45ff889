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
-- the claim's independent-source id), and optionally E.prepare(list) (the list read once
-- for all three), and returns the chosen claim and the list of claims that give the
-- same figure (F.same). credible(claim, info) gets info = { corroboration = independent
-- sources in the claim's run of overlapping figures }.
--
-- E.span and E.clusters (how figures are compared and grouped into runs that overlap)
-- are shared with the single-source rule: changing them changes both.
local F = require("lib.figures")

local E = {}

E.SLACK = 0.1                 -- approximate figures: +-10% when comparing figures
E.MIN_CORROBORATION = 2       -- independent sources an unattributed figure needs
                              -- when someone is named for another figure of the group
E.MIN_SOURCES = 1             -- independent sources behind a group's credible figures
                              -- before it gets an estimate (1: every group)
E.SKIP_UNKNOWN_SUBJECT = false -- true: groups whose subject is unknown get no estimate
                              -- (within one event and population such figures count
                              -- the incident's victims, so by default they get one)

local INF = math.huge
local math_type, sort = math.type, table.sort

-- The stated numbers of a figure: its low end (or its bound when open below) and its
-- high end (or its bound when open above).
function E.lo_of(c) return c.low or c.high end
function E.hi_of(c) return c.high or c.low end

-- E.span as two numbers (low, high), without building the table; nil, nil for a figure
-- without numbers.
local function span_of(c, slack)
  local lo, hi = c.low, c.high
  if not lo and not hi then return nil, nil end
  if lo and hi and c.qualifier == "approx" then
    lo, hi = lo * (1 - slack), hi * (1 + slack)
  elseif not hi then
    hi = lo * (1 + slack)
  elseif not lo then
    lo = hi * (1 - slack)
  end
  if lo > hi then lo, hi = hi, lo end   -- negative figures
  return lo, hi
end

-- A figure as a closed span for comparing and clustering: approximate figures widened
-- by the slack, an open end closed at the stated bound plus the slack ("more than
-- 3,000" is 3,000-3,300, "nearly 3,000" 2,700-3,000). Open ends are not taken as
-- infinite here: in news "more than 3,000" speaks of about 3,000, and an infinite end
-- would join every larger figure into one run. nil for a figure without numbers.
function E.span(c, slack)
  local lo, hi = span_of(c, slack or E.SLACK)
  if not lo then return nil end
  return { low = lo, high = hi, qualifier = "between" }
end

-- Clusters the figures of a list (claims of one measure, subject and unit) into runs
-- that overlap: spans sorted by lower end (ties: by id), each joining the run before it
-- when it overlaps the run's hull (F.overlap). Returns a list of clusters in ascending
-- order, each { claims = {...}, span = {low, high} }; claims without numbers are left
-- out. n log n in the size of the list.
--
-- Spans are closed intervals, so a span whose lower end is not below the hull's overlaps
-- it exactly when that end is not above the hull's upper end; and spans with the same
-- lower end all land in one run. So the claims are bucketed by the lower end of their
-- span (in list order, which for a group is id order) and only the distinct lower ends
-- are sorted, as plain numbers.
function E.clusters(list)
  local slack = E.SLACK
  local buckets, top, lows = {}, {}, {}   -- by lower end: claims, highest upper end
  local in_id_order, last_id = true, nil
  for i = 1, #list do
    local c = list[i]
    local lo, hi = span_of(c, slack)
    if lo then
      local b = buckets[lo]
      if b then
        b[#b + 1] = c
        if hi > top[lo] then top[lo] = hi end
      else
        buckets[lo], top[lo] = { c }, hi
        lows[#lows + 1] = lo
      end
      local id = c.id
      if last_id and id < last_id then in_id_order = false end
      last_id = id
    end
  end
  sort(lows)
  local out, cur = {}, nil
  for j = 1, #lows do
    local lo = lows[j]
    local b, hi = buckets[lo], top[lo]
    if not in_id_order and #b > 1 then
      sort(b, function(x, y) return x.id < y.id end)
    end
    if cur and lo <= cur.span.high then   -- F.overlap of the hull and the span
      local claims = cur.claims
      local n = #claims
      for i = 1, #b do claims[n + i] = b[i] end
      if hi > cur.span.high then cur.span.high = hi end
    else
      cur = { claims = b, span = { low = lo, high = hi, qualifier = "between" } }
      out[#out + 1] = cur
    end
  end
  return out
end

-- Whether a claim counts towards the estimate. info = { corroboration = the number of
-- independent sources whose figures are in the claim's cluster (E.clusters), attributed
-- = whether some claim of the group names who gave it }. The caller may reuse one info
-- table from claim to claim: read it, do not keep it. An outlet's own figure counts
-- when corroborated, or when nobody is named for any figure of the group (the outlets'
-- reporting is then all there is, as for most incidents an event table codes).
function E.credible(c, info)
  if c.repeat_of then return false end
  if not c.low and not c.high then return false end
  if c.claimant and c.claimant ~= "unattributed" then return true end
  if info and info.attributed == false then return true end
  return (info and info.corroboration or 0) >= E.MIN_CORROBORATION
end

-- What best, low and high read of a list, read once: the entries' claims, sources,
-- bounds and points in arrays indexed like the list. E.best, E.low and E.high take it
-- as an optional second argument (each prepares its own without it), so that calling
-- all three on one list reads it once. The list must not change in between.
function E.prepare(list)
  local n = #list
  local claim, source, low, high, q, point = {}, {}, {}, {}, {}, {}
  for i = 1, n do
    local e = list[i]
    local c = e.claim
    claim[i], source[i] = c, e.source
    low[i], high[i], q[i] = c.low, c.high, c.qualifier
    point[i] = F.point(c)
  end
  return { n = n, claim = claim, source = source, low = low, high = high, q = q,
           point = point }
end

-- A bound as a table key that tells bounds apart as their text (tostring) does: whole
-- numbers by value, other numbers by their text, nil as "nil". No string is built for
-- the whole numbers figures almost always are.
local function spelled(x)
  if math_type(x) == "integer" then return x end
  return tostring(x)
end

-- The support of each entry of a prepared list: the number of independent sources that
-- give its figure (the same bounds, told apart as their text tells them, and the same
-- qualifier). Counted once per prepared list, when first needed.
local function support(p)
  if p.support then return p.support end
  local plow, phigh, pq, psource = p.low, p.high, p.q, p.source
  local ids, fig, n, seen, count = {}, {}, {}, {}, 0   -- figure ids: by qualifier, low, high
  for i = 1, p.n do
    local q = pq[i] or "nil"
    local by_low = ids[q]
    if not by_low then by_low = {} ids[q] = by_low end
    local lk = spelled(plow[i])
    local by_high = by_low[lk]
    if not by_high then by_high = {} by_low[lk] = by_high end
    local hk = spelled(phigh[i])
    local k = by_high[hk]
    if not k then
      count = count + 1
      k = count
      by_high[hk] = k
      n[k], seen[k] = 0, {}
    end
    fig[i] = k
    local s = psource[i]
    if s == nil then s = "nil" end
    if not seen[k][s] then
      seen[k][s] = true
      n[k] = n[k] + 1
    end
  end
  local sup = {}
  for i = 1, p.n do sup[i] = n[fig[i]] end
  p.support = sup
  return sup
end

-- The claims of a prepared list that give the same figure as claim c (F.same).
local function behind(p, c)
  local out = {}
  local low, high, q = c.low, c.high, c.qualifier
  local plow, phigh, pq = p.low, p.high, p.q
  for i = 1, p.n do
    if plow[i] == low and phigh[i] == high and pq[i] == q then out[#out + 1] = p.claim[i] end
  end
  return out
end

-- The claim of a prepared list that comes first: the smallest key(claim) (negated with
-- `descending`); then the smallest of the two numbers bounds(claim) gives, the first
-- that tells two claims apart deciding; then the figure more sources give; then the
-- earliest. bounds is read only for the claims with the first key, support only counted
-- when bounds leaves a tie.
local function first(p, key, descending, bounds)
  local claim = p.claim
  local cands, nc, best_k = {}, 0, nil
  for i = 1, p.n do
    local k = key(claim[i])
    if descending then k = -k end
    if nc == 0 or k < best_k then
      best_k, nc = k, 1
      cands[1] = i
    elseif k == best_k then
      nc = nc + 1
      cands[nc] = i
    end
  end
  if nc == 0 then return nil end
  local best, b2, b3, tied = cands[1], bounds(claim[cands[1]])
  for t = 2, nc do
    local i = cands[t]
    local k2, k3 = bounds(claim[i])
    if k2 < b2 or (k2 == b2 and k3 < b3) then
      best, b2, b3, tied = i, k2, k3, nil
    elseif k2 == b2 and k3 == b3 then
      tied = tied or { best }
      tied[#tied + 1] = i
    end
  end
  if tied then
    local sup = support(p)
    for t = 2, #tied do
      local i = tied[t]
      if sup[i] > sup[best] or (sup[i] == sup[best] and claim[i].id < claim[best].id) then
        best = i
      end
    end
  end
  return claim[best]
end

-- The lower bound by F.bounds ("nearly 100", open below, before "100"); then an
-- included bound before an excluded one ("100" before "more than 100").
local function low_bounds(c)
  local lo, lo_in = F.bounds(c)
  return lo, lo_in and 0 or 1
end

-- The same for the upper bound, as negated numbers: the highest ("more than 1,000",
-- open above, before "1,000"); then an included bound before an excluded one ("1,000"
-- before "nearly 1,000").
local function high_bounds(c)
  local _, _, hi, hi_in = F.bounds(c)
  return -hi, hi_in and -1 or 0
end

-- Lowest stated number; then the figure that says least ("nearly 100" before "100"
-- before "more than 100"); then the figure more sources give; then the earliest.
function E.low(list, prepared)
  local p = prepared or E.prepare(list)
  local c = first(p, E.lo_of, false, low_bounds)
  if not c then return nil, {} end
  return c, behind(p, c)
end

-- Highest stated number; then the figure that says most ("more than 1,000" before
-- "1,000" before "nearly 1,000"); then the figure more sources give; then the earliest.
function E.high(list, prepared)
  local p = prepared or E.prepare(list)
  local c = first(p, E.hi_of, true, high_bounds)
  if not c then return nil, {} end
  return c, behind(p, c)
end

-- E.votes of a prepared list, as indices.
local function votes_of(p)
  local seen, votes = {}, {}
  local point, source = p.point, p.source
  for i = 1, p.n do
    local pt = point[i]
    if pt then
      local s = source[i]
      if s == nil then s = "nil" end
      local by_point = seen[s]
      if not by_point then by_point = {} seen[s] = by_point end
      if not by_point[pt] then
        by_point[pt] = true
        votes[#votes + 1] = i
      end
    end
  end
  return votes
end

-- The votes of a list: one per independent source and figure (by F.point), the
-- earliest claim standing for it.
function E.votes(list)
  local out = {}
  for j, i in ipairs(votes_of(E.prepare(list))) do out[j] = list[i] end
  return out
end

-- The median vote by point (the lower middle one); votes with the same point in order
-- of the figure more sources give, then the earliest. Only the distinct points are
-- sorted, and only the votes at the middle point compared.
function E.best(list, prepared)
  local p = prepared or E.prepare(list)
  local votes = votes_of(p)
  if #votes == 0 then return nil, {} end
  local point, claim = p.point, p.claim
  local at, distinct = {}, {}
  for _, i in ipairs(votes) do
    local pt = point[i]
    local b = at[pt]
    if b then b[#b + 1] = i else
      at[pt] = { i }
      distinct[#distinct + 1] = pt
    end
  end
  sort(distinct)
  local k = (#votes + 1) // 2
  for _, pt in ipairs(distinct) do
    local b = at[pt]
    if k <= #b then
      if #b > 1 then
        local sup = support(p)
        sort(b, function(x, y)
          if sup[x] ~= sup[y] then return sup[x] > sup[y] end
          return claim[x].id < claim[y].id
        end)
      end
      local m = claim[b[k]]
      return m, behind(p, m)
    end
    k = k - #b
  end
end

return E
