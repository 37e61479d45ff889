-- figures.lua: comparing figures under the design brief's value model.
--
-- A figure is a claim's {low, high, qualifier}; nil ends are open. The qualifier tells
-- whether an end is itself included: "more than 3,000" excludes 3,000, "nearly 3,000"
-- excludes it from above, so the two do not overlap, while "at least 30" and "up to 30"
-- meet at 30.
local F = {}

local EXCLUSIVE_LOW = { more_than = true }
local EXCLUSIVE_HIGH = { nearly = true, less_than = true }

-- Bounds as {lo, lo_incl, hi, hi_incl} with math.huge for open ends.
function F.bounds(c)
  local lo = c.low or -math.huge
  local hi = c.high or math.huge
  return lo, not EXCLUSIVE_LOW[c.qualifier], hi, not EXCLUSIVE_HIGH[c.qualifier]
end

-- Whether two figures can both be true.
function F.overlap(a, b)
  local alo, alo_in, ahi, ahi_in = F.bounds(a)
  local blo, blo_in, bhi, bhi_in = F.bounds(b)
  -- Two one-sided figures meeting at a point ("more than 3,000", "nearly 3,000") are
  -- on opposite sides of it. A one-sided figure meeting a closed one ("nearly 1,000"
  -- and "1,000") is the same round number told two ways, not a contradiction.
  local both_open = (a.low == nil or a.high == nil) and (b.low == nil or b.high == nil)
  local function below(hi, hi_in, lo, lo_in)   -- is [.. hi] entirely below [lo ..]?
    if hi < lo then return true end
    if hi == lo then return both_open and not (hi_in and lo_in) end
    return false
  end
  return not below(ahi, ahi_in, blo, blo_in) and not below(bhi, bhi_in, alo, alo_in)
end

local function num(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then
    local s = string.format("%d", x)
    local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
    return (out:gsub("^,", ""))
  end
  return string.format("%g", x)
end

-- Two figures of a list, from different documents, that cannot both be true, or nil.
-- Intervals on a line overlap pairwise exactly when the highest lower bound is not above
-- the lowest upper bound, so only the extremes need comparing: linear, not quadratic,
-- in the size of the group.
function F.clash(list)
  local function lo_of(c) local lo = F.bounds(c) return lo end
  local function hi_of(c) local _, _, hi = F.bounds(c) return hi end
  local function extreme(pick_hi, skip_doc)
    local best
    for _, c in ipairs(list) do
      if c.doc_id ~= skip_doc then
        if not best then best = c
        elseif pick_hi then if lo_of(c) > lo_of(best) then best = c end
        elseif hi_of(c) < hi_of(best) then best = c end
      end
    end
    return best
  end
  local a = extreme(true)
  local b = a and extreme(false, a.doc_id)
  if a and b and not F.overlap(a, b) then return a, b end
  b = extreme(false)
  a = b and extreme(true, b.doc_id)
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
  local x, y = F.point(a), F.point(b)
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

-- Groups a list by key(item); returns keys in first-seen order and the groups.
function F.group(list, key)
  local order, groups = {}, {}
  for _, x in ipairs(list) do
    local k = key(x)
    if k then
      if not groups[k] then
        groups[k] = {}
        order[#order + 1] = k
      end
      table.insert(groups[k], x)
    end
  end
  return order, groups
end

return F
