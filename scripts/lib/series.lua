-- series.lua: figures that follow one another in time (updates), not contradictions.
--
-- Figure b follows figure a (b is the later or revised figure) when
--   - b's sentence has an up, down or revised cue of vocab/updates.lua ("the toll rose
--     to 120") that agrees with the direction of the change, and b does not stand at a
--     date before a; or
--   - b stands at a date after a (its `time`, else its publication date) and either its
--     sentence has an as-of cue ("so far") or the measure is cumulative, and b is not
--     smaller where the measure is cumulative.
--   - b's measure counts what stands at a moment (a `stock` of vocab/updates.lua: the
--     missing, the displaced, troops in place) and b stands at a later date: either
--     direction, and whoever the claimants (on a later day, a count is a new count).
-- A figure stands at a later date than another when its date (as above) begins after
-- the other's ends, or begins no earlier and was reported later: published on a later
-- day, or on the same day and stored after it (archives and feeds are read in the order
-- they were filed).
-- Figures of two different named claimants about a party's losses (South Korea's and the
-- United States' counts of North Korean dead) are each claimant's own count: b follows a
-- only with an up, down or revised cue and a date after a's. Figures about nobody's side
-- (the dead of a ferry disaster, the miners brought out) are readings of one toll by
-- whoever gave them: a later one continues the series whoever its claimant. The
-- unattributed voice of an outlet may continue any claimant's series.
--
-- The conflict rules ask S.explains(a, b) before calling two figures a conflict; the
-- updates rule builds the series with S.chain.
local V = require("vocab.updates")
local F = require("lib.figures")
local D = require("lib.dates")

local S = {}

local cumulative, stock = {}, {}
for _, m in ipairs(V.cumulative) do cumulative[m] = true end
for _, m in ipairs(V.stock or {}) do stock[m] = true end
local WINDOW = V.window or 40

local ONES = { "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
               "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
               "seventeen", "eighteen", "nineteen" }
local TENS = { [2] = "twenty", [3] = "thirty", [4] = "forty", [5] = "fifty", [6] = "sixty",
               [7] = "seventy", [8] = "eighty", [9] = "ninety" }

-- The ways a number is written: "1,000", "1000"; "two", "forty-six" below 100.
local function spell_forms(v)
  if v ~= math.floor(v) or math.abs(v) >= 1e15 then return {} end
  local plain = string.format("%d", v)
  local grouped = plain:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  local out = { grouped }
  if grouped ~= plain then out[#out + 1] = plain end
  if v >= 1 and v < 20 then
    out[#out + 1] = ONES[v]
  elseif v >= 20 and v < 100 then
    local t, o = v // 10, v % 10
    if o == 0 then out[#out + 1] = TENS[t]
    else
      out[#out + 1] = TENS[t] .. "-" .. ONES[o]
      out[#out + 1] = TENS[t] .. " " .. ONES[o]
    end
  end
  return out
end

-- The same numbers come up again and again: their forms are kept (up to FORMS_MAX).
local FORMS_MAX = 10000
local forms_of, n_forms = {}, 0
local function forms(v)
  local f = forms_of[v]
  if not f then
    f = spell_forms(v)
    if v == v then   -- NaN is no table key
      if n_forms >= FORMS_MAX then forms_of, n_forms = {}, 0 end
      forms_of[v] = f
      n_forms = n_forms + 1
    end
  end
  return f
end

-- Where the claim's number is written in s: a list of {start, end}; empty when it is not
-- found (written some other way: "a thousand", "1.1 million").
local function number_positions(s, c)
  local out = {}
  for _, v in ipairs{ c.low, c.high } do
    for _, form in ipairs(forms(v)) do
      local from = 1
      while true do
        local a, b = s:find(form, from, true)
        if not a then break end
        local before, after = s:sub(a - 1, a - 1), s:sub(b + 1, b + 1)
        local next2 = s:sub(b + 2, b + 2)
        if not before:match("[%w,.%-]") and not after:match("[%w]") and
           not ((after == "," or after == "." or after == "-") and next2:match("%w")) then
          out[#out + 1] = { a, b }
        end
        from = b + 1
      end
    end
  end
  return out
end

-- The cue lists in the order S.cue tries them, with the kind each gives and how a cue
-- must stand to the claim's number: before it (within WINDOW characters), after it
-- ("33 deaths, up from 27"), or anywhere in the sentence.
local TRIES = {
  { list = V.up, kind = "up", near = "before" },
  { list = V.up_after, kind = "up", near = "after" },
  { list = V.down, kind = "down", near = "before" },
  { list = V.down_after, kind = "down", near = "after" },
  { list = V.revised, kind = "revised" },
  { list = V.as_of, kind = "as_of" },
}
-- Every cue of every list in one matcher (cc.phrases: whole words, any case), the lists
-- one after another; each try covers places lo..hi of it. CUES[i] is the cue at place i.
local CUES = {}
for _, t in ipairs(TRIES) do
  t.lo = #CUES + 1
  for _, cue in ipairs(t.list or {}) do
    if type(cue) == "string" and cue ~= "" then CUES[#CUES + 1] = cue end
  end
  t.hi = #CUES
end
local MATCHER = cc.phrases(CUES)

-- Whether a cue at a..e stands as `near` says to one of the number's places in nums.
local function stands_near(a, e, nums, near)
  if #nums == 0 then return true end   -- the number is written some other way
  for _, p in ipairs(nums) do
    if near == "after" then
      if a > p[2] and a - p[2] - 1 <= WINDOW then return true end
    elseif p[1] > e and p[1] - e - 1 <= WINDOW then
      return true
    end
  end
  return false
end

-- The update cue of a claim's sentence and its kind ("up", "down", "revised", "as_of"),
-- or nil: of the first list that has one, the first cue in list order, at its first
-- place that stands right. Reads the sentence (one query) the first time; the answer is
-- kept on the claim.
function S.cue(c)
  local got = c._series_cue
  if got == nil then
    got = false
    local sentence = c.sentence or ""
    local hits = MATCHER:find(sentence)   -- {place, start, ...} by place, then start
    if hits then                          -- most sentences have no cue at all
      local nums
      for _, t in ipairs(TRIES) do
        for k = 1, #hits, 2 do
          local i = hits[k]
          if i >= t.lo and i <= t.hi then
            local ok = not t.near
            if not ok then
              nums = nums or number_positions(sentence:lower(), c)
              local a = hits[k + 1]
              ok = stands_near(a, a + #CUES[i] - 1, nums, t.near)
            end
            if ok then got = { CUES[i], t.kind } break end
          end
        end
        if got then break end
      end
    end
    c._series_cue = got
  end
  if got then return got[1], got[2] end
  return nil
end

-- The date a figure stands at as a parsed value of lib/dates (the claim's `time`, an
-- unknown year taken from the publication date; else the publication date), or nil.
local function stands_at(c)
  local got = c._series_at
  if got == nil then
    got = false
    local t = c.time and D.parse(c.time)
    if t then t = D.resolve(t, c.date) end
    if not t and c.date then t = D.parse(c.date:sub(1, 10)) end
    if t then got = t end
    c._series_at = got
  end
  return got or nil
end

-- The date a figure stands at as text ("2024-12-27", "2024-W52", a range "a/b"; an
-- unknown year filled in from the publication date where one is known), or nil.
function S.when(c)
  local t = stands_at(c)
  return t and t.text or nil
end

-- First and last day numbers (lib/dates) of the date a figure stands at, or nil.
function S.span(c)
  local lo = c._series_lo
  if lo == nil then
    local t = stands_at(c)
    local hi
    if t and D.has_year(t) then lo, hi = D.span(t) end   -- not "XXXX-10" of an undated article
    lo = lo or false
    c._series_lo = lo
    c._series_hi = hi or false
  end
  if not lo then return nil end
  return lo, c._series_hi
end

function S.is_cumulative(measure)
  return cumulative[measure] == true
end

-- Whether figure x lies entirely below figure y ("nearly 3,000" below "more than 3,000").
local function below(x, y)
  if F.overlap(x, y) then return false end
  local _, _, xhi = F.bounds(x)
  local ylo = F.bounds(y)
  return xhi <= ylo
end

-- S.span of a claim for S.follows, which is asked for many pairs: lo, hi, or false
-- when the figure stands at no known date.
local function span_of(c)
  local lo = c._series_lo
  if lo == nil then
    S.span(c)
    lo = c._series_lo
  end
  return lo, c._series_hi
end

-- Whether b was reported after a: a later publication date, or the same one and stored
-- later.
local function reported_after(a, b)
  local ad, bd = a.date, b.date
  if ad and bd then
    ad, bd = ad:sub(1, 10), bd:sub(1, 10)
    if ad ~= bd then return bd > ad end
  end
  return b.doc_id > a.doc_id
end

-- S.follows on what it reads of the two claims: their spans (lo false when undated),
-- their claimants, and b's cue kind, or `true` to read b's cue only when it matters.
local function follows_at(a, b, alo, ahi, blo, bhi, ka, kb, kind)
  local dated = alo and blo
  if dated and bhi < alo then return false end    -- b stands entirely before a
  -- b stands entirely after a, or from the same time on and was reported later
  local later = dated and (blo > ahi or (blo >= alo and a.doc_id ~= b.doc_id and
                                         reported_after(a, b)))
  -- nil or "unattributed": the outlet's own voice; figures about nobody's side are one
  -- toll whoever gives them
  local one_source = ka == kb or ka == nil or kb == nil or ka == "unattributed" or
                     kb == "unattributed" or (a.subject == nil and b.subject == nil)
  -- a stock counted on a later day by anyone: a new count, not a contradiction
  if stock[b.measure] and later and (one_source or blo > ahi) then return true end
  -- A figure that stands before a, or comes from another source and not after a,
  -- follows it with no cue or any: decided before b's sentence is read.
  if not one_source and not later then return false end
  if kind == true then
    local _, k = S.cue(b)
    kind = k
  end
  if kind == "up" or kind == "down" or kind == "revised" then
    if kind == "up" and below(b, a) then return false end
    if kind == "down" and below(a, b) then return false end
    return true
  end
  if not later or not one_source then return false end
  if kind == "as_of" then
    return not cumulative[b.measure] or not below(b, a)
  end
  return cumulative[b.measure] == true and not below(b, a)
end

-- Whether b follows a in a series (b the later or revised figure).
function S.follows(a, b)
  local alo, ahi = span_of(a)
  local blo, bhi = span_of(b)
  return follows_at(a, b, alo, ahi, blo, bhi, a.claimant, b.claimant, true)
end

-- Whether two figures of one thing that do not overlap are a series rather than a
-- conflict.
function S.explains(a, b)
  return S.follows(a, b) or S.follows(b, a)
end

-- What S.explains reads of a claim, read once, for loops that ask about many pairs:
-- S.explains_items(S.item(a), S.item(b)) == S.explains(a, b).
function S.item(c)
  local lo, hi = span_of(c)
  return { c = c, lo = lo, hi = hi, who = c.claimant }
end

function S.explains_items(x, y)
  local a, b = x.c, y.c
  return follows_at(a, b, x.lo, x.hi, y.lo, y.hi, x.who, y.who, true) or
         follows_at(b, a, y.lo, y.hi, x.lo, x.hi, y.who, x.who, true)
end

-- The claims of a list in series order: by the date they stand at, claims without one
-- last, then by id. Reads no sentence.
function S.order(list)
  local out, key = {}, {}
  for i, c in ipairs(list) do
    out[i] = c
    key[c] = S.span(c) or math.huge
  end
  table.sort(out, function(x, y)
    if key[x] ~= key[y] then return key[x] < key[y] end
    return x.id < y.id
  end)
  return out
end

local MAX_STEPS = 40        -- longer lists: only neighbouring steps are linked
local MAX_TRIES = 6         -- claims of a step tried when linking two steps

-- Whether some figure of step sb follows some figure of step sa (S.follows), the steps
-- given as their items (sorted_items).
local function step_follows(sa, sb)
  for i = 1, math.min(#sa, MAX_TRIES) do
    local x = sa[i]
    for j = 1, math.min(#sb, MAX_TRIES) do
      local y = sb[j]
      if follows_at(x.c, y.c, x.lo, x.hi, y.lo, y.hi, x.who, y.who, y.kind) then
        return true
      end
    end
  end
  return false
end

-- The claims of a list as {c = claim, at = first day or math.huge, cue = 0 or 1},
-- ordered by day (undated last), claims without a cue first, then by id. Day numbers and
-- ids are small integers, so each item's order fits in one integer key and the sort
-- compares integers in C rather than calling a Lua function per comparison; other
-- values (none from lib/dates) take the general sort.
local KEY_ID_BITS = 38
local KEY_DAY_OFFSET = 1 << 22          -- day numbers of years 0 to 9999 lie within it
local KEY_UNDATED = 1 << 23
local function sorted_items(list)
  local items, keys, by_key, simple = {}, {}, {}, true
  for i, c in ipairs(list) do
    local at = S.span(c)
    local _, kind = S.cue(c)
    local cue = kind and 1 or 0
    -- and what follows_at reads, for S.chain's pairs
    local it = { c = c, at = at or math.huge, cue = cue, lo = at or false,
                 hi = c._series_hi, who = c.claimant, kind = kind }
    items[i] = it
    if simple then
      local id, day = c.id, KEY_UNDATED
      if at then
        day = math.type(at) == "integer" and at + KEY_DAY_OFFSET or -1
      end
      if math.type(id) ~= "integer" or id < 0 or id >= 1 << KEY_ID_BITS or
         day < 0 or day > KEY_UNDATED then
        simple = false
      else
        local key = ((day * 2 + cue) << KEY_ID_BITS) | id
        if by_key[key] then simple = false end   -- the same claim twice
        by_key[key] = it
        keys[i] = key
      end
    end
  end
  if simple then
    table.sort(keys)
    for i = 1, #keys do items[i] = by_key[keys[i]] end
  else
    table.sort(items, function(x, y)
      if x.at ~= y.at then return x.at < y.at end
      if x.cue ~= y.cue then return x.cue < y.cue end
      return x.c.id < y.c.id
    end)
  end
  return items
end

-- The series in a list of figures of one thing: returns the steps of the longest chain
-- in which each step follows the one before, in order, and the claims left out (figures
-- that fit no series: the conflict rules judge them). A step is {claims = {...}} of
-- consecutive figures that overlap its first; figures with no date and no cue that
-- overlap a step of the chain join it. Reads the sentences of the list.
function S.chain(list)
  local items = sorted_items(list)
  local steps, step_items = {}, {}
  for _, it in ipairs(items) do
    local n = #steps
    local st = steps[n]
    if st and F.overlap(st.claims[1], it.c) then
      st.claims[#st.claims + 1] = it.c
      local si = step_items[n]
      si[#si + 1] = it
    else
      steps[n + 1] = { claims = { it.c } }
      step_items[n + 1] = { it }
    end
  end
  local k = #steps
  local best, prev = {}, {}
  -- best[j]: the longest chain ending at step j; prev[j]: the step before it, the
  -- earliest of the steps with the longest chains that j follows. The steps are tried
  -- by the length of their chains, longest first (by_len[n]: the steps whose chains
  -- are n long, in order), so the search stops at the first step j follows.
  local by_len, top = {}, 0
  for j = 1, k do
    local sj = step_items[j]
    best[j] = 1
    if k > MAX_STEPS then
      if j > 1 and step_follows(step_items[j - 1], sj) then
        best[j], prev[j] = best[j - 1] + 1, j - 1
      end
    else
      for n = top, 1, -1 do
        local list = by_len[n]
        for x = 1, #list do
          local i = list[x]
          if step_follows(step_items[i], sj) then
            best[j], prev[j] = n + 1, i
            break
          end
        end
        if prev[j] then break end
      end
      local n = best[j]
      local list = by_len[n]
      if not list then
        list = {}
        by_len[n] = list
      end
      list[#list + 1] = j
      if n > top then top = n end
    end
  end
  local last = 1
  for j = 2, k do if best[j] >= best[last] then last = j end end
  local chain, used = {}, {}
  local j = k > 0 and last or nil
  while j do
    table.insert(chain, 1, steps[j])
    used[j] = true
    j = prev[j]
  end
  local left = {}
  for i = 1, k do
    if not used[i] then
      for _, c in ipairs(steps[i].claims) do
        local home
        if not S.span(c) and not S.cue(c) then
          for _, st in ipairs(chain) do
            if F.overlap(st.claims[1], c) then home = st break end
          end
        end
        if home then home.claims[#home.claims + 1] = c else left[#left + 1] = c end
      end
    end
  end
  return chain, left
end

return S
