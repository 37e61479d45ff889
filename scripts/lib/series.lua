-- series.lua: figures that follow one another in time (updates), not contradictions.
--
-- A figure is a revision when its sentence carries a cue of vocab/updates.lua ("the
-- toll rose to 120"), or when it counts a cumulative measure at a later date and is not
-- smaller. The conflict rules ask S.explains(a, b) before calling two figures a
-- conflict; the updates rule reports the series.
local V = require("vocab.updates")
local F = require("lib.figures")

local S = {}

local cumulative = {}
for _, m in ipairs(V.cumulative) do cumulative[m] = true end

local function word_at(s, i)
  return i >= 1 and i <= #s and s:sub(i, i):match("[%w]") ~= nil
end

-- The update cue in a claim's sentence, or nil. Reads the sentence (one query).
function S.cue(c)
  local s = (c.sentence or ""):lower()
  for _, cue in ipairs(V.cues) do
    local from = 1
    while true do
      local a, b = s:find(cue, from, true)
      if not a then break end
      if not word_at(s, a - 1) and not word_at(s, b + 1) then return cue end
      from = a + 1
    end
  end
  return nil
end

-- The date a figure stands at, as a sortable "YYYY-MM-DD" prefix, or nil: the claim's
-- own time (an unknown year taken from the publication date), else the publication date.
function S.when(c)
  local t = c.time
  if t then
    t = t:match("^[^/]+")   -- a range counts from its start
    if t:sub(1, 4) == "XXXX" then
      local year = c.date and c.date:sub(1, 4)
      t = year and (year .. t:sub(5)) or nil
    end
    if t and t:match("^%d%d%d%d%-%d%d") then return t end
  end
  return c.date
end

function S.is_cumulative(measure)
  return cumulative[measure] == true
end

-- Whether b follows a in a series (b the later or revised figure).
local function follows(a, b)
  local wa, wb = S.when(a), S.when(b)
  if S.cue(b) then
    return not (wa and wb and wb < wa)
  end
  if wa and wb and wb > wa and cumulative[b.measure] then
    local pa, pb = F.point(a), F.point(b)
    return pa and pb and pb >= pa
  end
  return false
end

-- Whether two figures of one thing that do not overlap are a series rather than a
-- conflict.
function S.explains(a, b)
  return follows(a, b) or follows(b, a)
end

-- The claims of a list in series order: by date, claims without one last, then by id.
function S.order(list)
  local out = {}
  for i, c in ipairs(list) do out[i] = c end
  table.sort(out, function(x, y)
    local wx, wy = S.when(x) or "~", S.when(y) or "~"
    if wx ~= wy then return wx < wy end
    return x.id < y.id
  end)
  return out
end

return S
