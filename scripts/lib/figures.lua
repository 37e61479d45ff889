-- figures.lua: comparing figures under the design brief's value model.
--
-- A figure is a claim's {low, high, qualifier}; nil ends are open. The qualifier tells
-- whether an end is itself included: "more than 3,000" excludes 3,000, "nearly 3,000"
-- excludes it from above, so the two do not overlap, while "at least 30" and "up to 30"
-- meet at 30.
local F = {}

local EXCLUSIVE_LOW = { more_than = true }
local EXCLUSIVE_HIGH = { nearly = true, less_than = true }
local INF = math.huge

-- Bounds as {lo, lo_incl, hi, hi_incl} with math.huge for open ends, and whether the
-- figure is open (a missing low or high): what F.overlap_bounds takes of a figure.
function F.bounds(c)
  local low, high = c.low, c.high
  local q = c.qualifier
  return low or -INF, not EXCLUSIVE_LOW[q], high or INF, not EXCLUSIVE_HIGH[q],
         low == nil or high == nil
end

-- Whether [.. hi] lies entirely below [lo ..] (for F.overlap).
local function below(hi, hi_in, lo, lo_in, both_open)
  if hi < lo then return true end
  if hi == lo then return both_open and not (hi_in and lo_in) end
  return false
end

-- Whether two figures can both be true.
function F.overlap(a, b)
  local alow, ahigh, aq = a.low, a.high, a.qualifier
  local blow, bhigh, bq = b.low, b.high, b.qualifier
  -- F.bounds of both, read once
  local alo, alo_in, ahi, ahi_in = alow or -INF, not EXCLUSIVE_LOW[aq], ahigh or INF,
                                   not EXCLUSIVE_HIGH[aq]
  local blo, blo_in, bhi, bhi_in = blow or -INF, not EXCLUSIVE_LOW[bq], bhigh or INF,
                                   not EXCLUSIVE_HIGH[bq]
  -- Two one-sided figures meeting at a point ("more than 3,000", "nearly 3,000") are
  -- on opposite sides of it. A one-sided figure meeting a closed one ("nearly 1,000"
  -- and "1,000") is the same round number told two ways, not a contradiction.
  local both_open = (alow == nil or ahigh == nil) and (blow == nil or bhigh == nil)
  return not below(ahi, ahi_in, blo, blo_in, both_open) and
         not below(bhi, bhi_in, alo, alo_in, both_open)
end

-- F.overlap of two figures given as their F.bounds and whether each is open (a missing
-- low or high): for loops that compare the same figures many times over.
function F.overlap_bounds(alo, alo_in, ahi, ahi_in, a_open, blo, blo_in, bhi, bhi_in, b_open)
  local both_open = a_open and b_open
  return not below(ahi, ahi_in, blo, blo_in, both_open) and
         not below(bhi, bhi_in, alo, alo_in, both_open)
end

local function spell(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then
    local s = string.format("%d", x)
    local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
    return (out:gsub("^,", ""))
  end
  return string.format("%g", x)
end

-- A number as text ("3,000", "2.5"). Rules write the same numbers over and over, so the
-- texts are kept, up to NUM_CACHE of them (then the cache starts afresh).
local NUM_CACHE = 10000
local num_text, num_cached = {}, 0
local function num(x)
  if x ~= x then return spell(x) end   -- NaN: no table key
  local s = num_text[x]
  if not s then
    s = spell(x)
    if num_cached >= NUM_CACHE then num_text, num_cached = {}, 0 end
    num_text[x] = s
    num_cached = num_cached + 1
  end
  return s
end

-- The figure of list (outside document skip_doc) with the highest lower bound (pick_hi)
-- or the lowest upper bound; the first of equals. For F.clash.
local function extreme(list, pick_hi, skip_doc)
  local best, best_v
  for i = 1, #list do
    local c = list[i]
    if c.doc_id ~= skip_doc then
      local v
      if pick_hi then v = c.low or -INF else v = c.high or INF end   -- F.bounds
      if not best or (pick_hi and v > best_v) or (not pick_hi and v < best_v) then
        best, best_v = c, v
      end
    end
  end
  return best
end

-- Two figures of a list, from different documents, that cannot both be true, or nil.
-- Intervals on a line overlap pairwise exactly when the highest lower bound is not above
-- the lowest upper bound, so only the extremes need comparing: linear, not quadratic,
-- in the size of the group.
function F.clash(list)
  local a = extreme(list, true)
  local b = a and extreme(list, false, a.doc_id)
  if a and b and not F.overlap(a, b) then return a, b end
  b = extreme(list, false)
  a = b and extreme(list, true, b.doc_id)
  if a and b and not F.overlap(a, b) then return a, b end
  return nil
end

-- The hull of a list of figures as one figure: lowest lower bound, highest upper one.
function F.hull(list)
  local lo, hi, lo_q, hi_q = math.huge, -math.huge, nil, nil
  for _, c in ipairs(list) do
    local l, _, h = F.bounds(c)
    if l < lo then lo, lo_q = l, c.qualifier end
    if h > hi then hi, hi_q = h, c.qualifier end
  end
  local q = (lo_q == "more_than" and "more_than") or (hi_q == "nearly" and "nearly") or
            (hi_q == "less_than" and "less_than") or "between"
  return { low = lo ~= -math.huge and lo or nil, high = hi ~= math.huge and hi or nil,
           qualifier = q }
end

-- The figure as a person would write it: "more than 3,000", "11,000-12,000".
function F.text(c)
  local q = c.qualifier
  if q == "more_than" then return "more than " .. num(c.low) end
  if q == "at_least" then return "at least " .. num(c.low) end
  if q == "nearly" then return "nearly " .. num(c.high) end
  if q == "less_than" then return "fewer than " .. num(c.high) end
  if q == "up_to" then return "up to " .. num(c.high) end
  if c.low and c.high and c.low ~= c.high then
    local s = num(c.low) .. "-" .. num(c.high)
    return q == "several" and ("several (" .. s .. ")") or s
  end
  local v = c.low or c.high
  if not v then return "?" end
  return (q == "approx" and "about " or "") .. num(v)
end

-- Whether every value figure b allows is allowed by figure a ("11,000-12,000" contains
-- "about 12,000"; "more than 3,000" does not contain "nearly 3,000").
function F.contains(a, b)
  local alo, alo_in, ahi, ahi_in = F.bounds(a)
  local blo, blo_in, bhi, bhi_in = F.bounds(b)
  local lo_ok = alo < blo or (alo == blo and (alo_in or not blo_in))
  local hi_ok = ahi > bhi or (ahi == bhi and (ahi_in or not bhi_in))
  return lo_ok and hi_ok
end

-- The gap between two figures: 0 when they overlap, else how far apart their nearest
-- ends are.
function F.distance(a, b)
  if F.overlap(a, b) then return 0 end
  local alo, _, ahi = F.bounds(a)
  local blo, _, bhi = F.bounds(b)
  if ahi <= blo then return blo - ahi end
  return alo - bhi
end

-- One number standing for a figure: the value of an exact or approximate figure, the
-- middle of a range, the stated bound of a one-sided figure.
function F.point(c)
  if c.low and c.high then return (c.low + c.high) / 2 end
  return c.low or c.high
end

-- How many times larger the larger figure is than the smaller (>= 1), by their points;
-- nil when either has none or one is zero.
function F.ratio(a, b)
  return F.point_ratio(F.point(a), F.point(b))
end

-- F.ratio of two points (numbers or nil), for loops that read each figure's point once.
function F.point_ratio(x, y)
  if not x or not y or x <= 0 or y <= 0 then return nil end
  return x > y and x / y or y / x
end

-- A figure as a closed range for arithmetic: approximate figures widened by `slack`
-- (default 10%), one-sided ones closed with their stated bound on the open side
-- widened the same way ("nearly 1,000" is 900-1,000), open ends left at infinity.
function F.range(c, slack)
  slack = slack or 0.1
  local q = c.qualifier
  local lo, hi = c.low, c.high
  if q == "approx" then return lo * (1 - slack), hi * (1 + slack) end
  if q == "nearly" then return hi * (1 - slack), hi end
  if q == "more_than" or q == "at_least" then return lo, math.huge end
  if q == "less_than" or q == "up_to" then return 0, hi end
  return lo or 0, hi or math.huge
end

-- Whether two figures say the same thing in the same words: same bounds and qualifier.
function F.same(a, b)
  return a.low == b.low and a.high == b.high and a.qualifier == b.qualifier
end

-- Groups a list by key(item); returns keys in first-seen order and the groups. The
-- groups are read-only: when every item has one key, its group is the list itself.
function F.group(list, key)
  local n = #list
  if n > 0 then   -- most lists have one key: no list is built for it
    local k1 = key(list[1])
    if k1 ~= nil then
      local i = 2
      while i <= n and key(list[i]) == k1 do i = i + 1 end
      if i > n then return { k1 }, { [k1] = list } end
    end
  end
  local order, groups = {}, {}
  for i = 1, #list do
    local x = list[i]
    local k = key(x)
    if k then
      local g = groups[k]
      if g then
        g[#g + 1] = x
      else
        groups[k] = { x }
        order[#order + 1] = k
      end
    end
  end
  return order, groups
end

return F
