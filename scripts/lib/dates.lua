-- dates.lua: the `time` of a claim (the value the dates plugin writes) as days one can
-- compare.
--
-- Values: a day "2024-12-27", a month "2024-12", a year "2024", an ISO week "2024-W52",
-- a range "a/b" of any of these; "XXXX" stands for a year the text did not give
-- ("XXXX-12-27"). A value stands for a span of days, counted from 1970-01-01; a value
-- with an unknown year stands for one such span in every year.
--
--   local D = require("lib.dates")
--   local t = D.parse("XXXX-12-27")           -- nil when the text is not such a value
--   D.compatible(D.parse("2024-W52"), t)      -- true: December 27, 2024 is in week 52
--   D.span(D.parse("2024-12"))                -- first and last day numbers of December
--   D.text(t)                                 -- "December 27"
--
-- Pure arithmetic (the proleptic Gregorian calendar), so results do not depend on the
-- machine's time zone.
local D = {}

local MONTHS = { "January", "February", "March", "April", "May", "June", "July",
                 "August", "September", "October", "November", "December" }

local function leap(y)
  return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
end

function D.days_in_month(y, m)
  if m == 2 then return leap(y) and 29 or 28 end
  if m == 4 or m == 6 or m == 9 or m == 11 then return 30 end
  return 31
end

-- Day number of a date (1970-01-01 is 0).
function D.days(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- The date of a day number: year, month, day.
function D.civil(n)
  n = n + 719468
  local era = n // 146097
  local doe = n - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- "YYYY-MM-DD" of a day number.
function D.iso(n)
  local y, m, d = D.civil(n)
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- Monday of ISO week w of ISO year y.
local function week_monday(y, w)
  local jan4 = D.days(y, 1, 4)
  local weekday = (jan4 + 3) % 7          -- Monday 0 ... Sunday 6 (day 0 was a Thursday)
  return jan4 - weekday + 7 * (w - 1)
end

-- One value without "/": {y = year or nil (unknown), m =, d =, w =, kind =}.
local function parse_part(s)
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then
    m, d = s:match("^XXXX%-(%d%d)%-(%d%d)")
    if m then y = false end
  end
  if y ~= nil then
    m, d = tonumber(m), tonumber(d)
    if m < 1 or m > 12 or d < 1 or d > 31 then return nil end
    return { y = y and tonumber(y) or nil, m = m, d = d, kind = "day" }
  end
  local wy, w = s:match("^(%d%d%d%d)%-W(%d%d)")
  if not wy then
    w = s:match("^XXXX%-W(%d%d)")
    if w then wy = false end
  end
  if wy ~= nil then
    w = tonumber(w)
    if w < 1 or w > 53 then return nil end
    return { y = wy and tonumber(wy) or nil, w = w, kind = "week" }
  end
  y, m = s:match("^(%d%d%d%d)%-(%d%d)$")
  if not y then
    m = s:match("^XXXX%-(%d%d)$")
    if m then y = false end
  end
  if y ~= nil then
    m = tonumber(m)
    if m < 1 or m > 12 then return nil end
    return { y = y and tonumber(y) or nil, m = m, kind = "month" }
  end
  y = s:match("^(%d%d%d%d)$")
  if y then return { y = tonumber(y), kind = "year" } end
  return nil
end

-- Rules parse the same few thousand date texts over and over: parsed values, spans and
-- resolved values are kept, up to CACHE_MAX of each (then that cache starts afresh).
-- So a value D.parse or D.resolve returns may be shared: read it, do not change it.
local CACHE_MAX = 20000
local parsed, n_parsed = {}, 0
local resolved, n_resolved = {}, 0

-- A parsed value: {from = part, to = part, text = the value}, or nil when s is not one
-- (or says nothing: "XXXX").
function D.parse(s)
  if type(s) ~= "string" then return nil end
  local got = parsed[s]
  if got ~= nil then return got or nil end
  local a, b = s:match("^([^/]+)/([^/]+)$")
  local from, to
  if a then
    from, to = parse_part(a), parse_part(b)
  else
    from = parse_part(s)
    to = from
  end
  local t = from and to and { from = from, to = to, text = s } or nil
  if n_parsed >= CACHE_MAX then parsed, n_parsed = {}, 0 end
  parsed[s] = t or false
  n_parsed = n_parsed + 1
  return t
end

-- Whether a value gives its year.
function D.has_year(t)
  return t.from.y ~= nil and t.to.y ~= nil
end

-- First and last day of a part in year y (its own year when known); nil when the day
-- does not exist that year (February 29).
local function part_span(p, y)
  y = p.y or y
  if p.kind == "day" then
    if p.d > D.days_in_month(y, p.m) then return nil end
    local n = D.days(y, p.m, p.d)
    return n, n
  elseif p.kind == "month" then
    return D.days(y, p.m, 1), D.days(y, p.m, D.days_in_month(y, p.m))
  elseif p.kind == "week" then
    if p.w == 53 then   -- only years whose week 1 ... 53 exist
      local next1 = week_monday(y + 1, 1)
      if week_monday(y, 53) >= next1 then return nil end
    end
    local mon = week_monday(y, p.w)
    return mon, mon + 6
  else
    return D.days(y, 1, 1), D.days(y, 12, 31)
  end
end

-- First and last day numbers of a value, an unknown year taken as `year` (default 2000,
-- a leap year); nil when the value names no day that year. A range whose end has no
-- year and falls before its start runs into the next year ("XXXX-12-30/XXXX-01-02").
local function span(t, year)
  local lo = part_span(t.from, year)
  local _, hi = part_span(t.to, year)
  if not lo or not hi then return nil end
  if hi < lo and not t.to.y then
    _, hi = part_span(t.to, year + 1)
    if not hi then return nil end
  end
  if hi < lo then return nil end
  return lo, hi
end

-- (The span of a value that gives its year does not depend on `year`: it is kept in
-- the value, as _lo and _hi, false for none.)
function D.span(t, year)
  local lo = t._lo
  if lo == nil then
    if not (t.from.y and t.to.y) then return span(t, year or 2000) end
    local hi
    lo, hi = span(t, 2000)
    t._lo, t._hi = lo or false, hi or false
    return lo, hi
  end
  if not lo then return nil end
  return lo, t._hi
end

-- The years a value with a known year covers.
local function years_of(t, into)
  local lo, hi = D.span(t)
  if lo then
    local y1 = D.civil(lo)
    local y2 = D.civil(hi)
    for y = y1, y2 do into[y] = true end
  end
end

-- Whether a (in year ya) and b (in year yb) can name the same day, widened as
-- D.compatible says.
local function overlaps_in(a, b, open_a, open_b, ya, yb)
  local alo, ahi = D.span(a, ya)
  local blo, bhi = D.span(b, yb)
  if not alo or not blo then return false end
  if open_a == "after" then ahi = math.huge elseif open_a == "before" then alo = -math.huge end
  if open_b == "after" then bhi = math.huge elseif open_b == "before" then blo = -math.huge end
  return alo <= bhi and blo <= ahi
end

-- Whether two values can name the same day. `open_a` / `open_b` (optional) widen a value
-- that only bounds its figure: "after" (since that date: the value or any later day),
-- "before" (by that date: the value or any earlier day). A year one side does not give
-- matches any year.
function D.compatible(a, b, open_a, open_b)
  local ka, kb = D.has_year(a), D.has_year(b)
  if ka and kb then return overlaps_in(a, b, open_a, open_b) end
  -- Years to try for the side that does not give one: those of the other side and the
  -- one before and after (a range may cross into another year).
  local candidates = {}
  if ka then years_of(a, candidates)
  elseif kb then years_of(b, candidates)
  else candidates[2000] = true end
  local list = {}
  for y in pairs(candidates) do
    list[#list + 1] = y - 1
    list[#list + 1] = y
    list[#list + 1] = y + 1
  end
  for _, y in ipairs(list) do
    if ka then
      if overlaps_in(a, b, open_a, open_b, nil, y) then return true end
    elseif kb then
      if overlaps_in(a, b, open_a, open_b, y, nil) then return true end
    elseif overlaps_in(a, b, open_a, open_b, 2000, y) then
      return true
    end
  end
  return false
end

-- Whether every two values of a list ({t = value, open = as D.compatible}, ...) are
-- compatible, when that can be told without comparing pairs: true when each value gives
-- its year and no widened span starts after another ends (spans on a line that overlap
-- two by two all share a day); nil when it cannot be told so (a value without a year or
-- a span), or when some two are not: then ask D.compatible pair by pair.
function D.all_compatible(list)
  local latest_lo, earliest_hi = -math.huge, math.huge
  for i = 1, #list do
    local v = list[i]
    local t = v.t
    if not D.has_year(t) then return nil end
    local lo, hi = D.span(t)
    if not lo then return nil end
    if v.open == "after" then hi = math.huge elseif v.open == "before" then lo = -math.huge end
    if lo > latest_lo then latest_lo = lo end
    if hi < earliest_hi then earliest_hi = hi end
  end
  if latest_lo <= earliest_hi then return true end
  return nil
end

-- How many days a value spans (in 2000 when its year is unknown); math.huge when none.
function D.width(t)
  local lo, hi = D.span(t)
  if not lo then return math.huge end
  return hi - lo + 1
end

local function part_text(p, with_year)
  local yr = (with_year and p.y) and (", " .. p.y) or ""
  if p.kind == "day" then return MONTHS[p.m] .. " " .. p.d .. yr end
  if p.kind == "month" then return MONTHS[p.m] .. (p.y and with_year and (" " .. p.y) or "") end
  if p.kind == "week" then return "week " .. p.w .. (p.y and (" of " .. p.y) or "") end
  return tostring(p.y)
end

-- A value as a person writes it: "December 27", "December 27, 2024", "December 2024",
-- "week 52 of 2024", "December 14-15", "December 30, 2024 to January 2, 2025".
function D.text(t)
  local a, b = t.from, t.to
  if a == b then return part_text(a, true) end
  if a.kind == "day" and b.kind == "day" and a.m == b.m and a.y == b.y then
    return MONTHS[a.m] .. " " .. a.d .. "-" .. b.d .. (a.y and (", " .. a.y) or "")
  end
  return part_text(a, true) .. " to " .. part_text(b, true)
end

-- The value with an unknown year filled in from a publication date ("2024-12-28"): the
-- publication's year, or the year before when that would put the date more than a week
-- after publication (news reports the past: "December 30" in an article of January 2).
-- Returns the value itself when it has a year or no publication year is known.
local resolve

function D.resolve(t, pub)
  if D.has_year(t) then return t end
  if type(pub) ~= "string" then return t end
  if type(t.text) ~= "string" then return resolve(t, pub) end
  local key = t.text .. "|" .. pub:sub(1, 10)
  local got = resolved[key]
  if not got then
    got = resolve(t, pub)
    if n_resolved >= CACHE_MAX then resolved, n_resolved = {}, 0 end
    resolved[key] = got
    n_resolved = n_resolved + 1
  end
  return got
end

resolve = function(t, pub)
  local py = tonumber(pub:match("^(%d%d%d%d)"))
  if not py then return t end
  local pt = D.parse(pub:sub(1, 10))
  local plo = pt and D.span(pt)
  local year = py
  local lo = D.span(t, year)
  if plo and lo and lo > plo + 7 then year = py - 1 end
  local lo2, hi2 = D.span(t, year)
  if not lo2 then return t end
  local function fill(p, n)
    if p.y then return p end
    local q = {}
    for k, v in pairs(p) do q[k] = v end
    q.y = p.kind == "week" and year or D.civil(n)
    return q
  end
  local from = fill(t.from, lo2)
  local to = t.to == t.from and from or fill(t.to, hi2)
  local text
  if from == to then
    text = t.text:gsub("^XXXX", tostring(from.y))
  else
    local a, b = t.text:match("^([^/]+)/(.+)$")
    text = a:gsub("^XXXX", tostring(from.y)) .. "/" .. b:gsub("^XXXX", tostring(to.y))
  end
  return { from = from, to = to, text = text }
end

return D
