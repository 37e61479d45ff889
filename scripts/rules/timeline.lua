-- timeline: the dates outlets give for the same event agree or conflict.
--
-- The same event is claims of one measure and subject (units equal or one missing) whose
-- figures overlap and lie within a factor of two of each other (so "at least 30" killed
-- in one battle is not "more than 3,000" killed in the war), from different documents,
-- each with a `time`. Dates are compared on what both give (lib/dates.lua): a year one
-- of them does not give matches any year, a month any of its days, an ISO week its seven
-- days, a range any day in it. A date the sentence gives as a bound ("since October",
-- "by December 20", "as of Friday") is read as open on that side, and so is the day a
-- statement was made ("the ministry said on Thursday": the figure stood by then, the
-- event may be older). When every two dates
-- from different documents can name the same day and at least two independent documents
-- give one, the event's dates agree (`date_agreement`); when two cannot, they conflict
-- (`date_conflict`). The kinds are not `agreement`/`conflict`: a date is not a figure.
local F = require("lib.figures")
local D = require("lib.dates")
local Sources = require("lib.sources")
local Attribution = require("vocab.attribution")

local MAX_RATIO = 2        -- figures of one event lie within this factor
local MAX_VALUES = 60      -- distinct dates of one event compared pairwise
local MAX_LISTED = 50      -- dates listed in details
local MAX_OPEN = 64        -- events a claim may still join (open-ended figures stay open)

-- Words before a date that make it a bound of the figure rather than its day.
local OPEN = {
  since = "after", from = "after", after = "after",
  by = "before", ["until"] = "before", till = "before", through = "before",
  before = "before", ["as of"] = "before",
}

-- Whether two figures can be of one event: they overlap (F.overlap) and lie within
-- MAX_RATIO of each other (F.ratio). Asked of items whose F.bounds, openness and
-- F.point events() has read once, as it asks it many times over.
local overlap_bounds, point_ratio = F.overlap_bounds, F.point_ratio
local function same_event(x, y)
  if not overlap_bounds(x.lo, x.lo_in, x.hi, x.hi_in, x.fopen,
                        y.lo, y.lo_in, y.hi, y.hi_in, y.fopen) then
    return false
  end
  local r = point_ratio(x.pt, y.pt)
  return r == nil or r <= MAX_RATIO
end

-- Groups the dated claims of one measure and subject into events: every claim of an event
-- overlaps every other (for intervals it is enough to overlap the member with the highest
-- lower bound and the one with the lowest upper bound). Claims are taken in order of
-- their lower bound; an event no later claim can join is closed.
local function events(timed)
  for _, it in ipairs(timed) do   -- what same_event reads of each claim, read once
    local c = it.c
    it.lo, it.lo_in, it.hi, it.hi_in, it.fopen = F.bounds(c)
    it.pt = F.point(c)
  end
  table.sort(timed, function(x, y)
    if x.lo ~= y.lo then return x.lo < y.lo end
    if x.hi ~= y.hi then return x.hi < y.hi end
    return x.c.id < y.c.id
  end)
  -- open events, oldest first; an event keeps the lower bound of its top member (tlo)
  -- and the upper bound of its bottom one (bhi)
  local open, nopen, all = {}, 0, {}
  for _, it in ipairs(timed) do
    local c, lo, hi = it.c, it.lo, it.hi
    local m = 0
    for i = 1, nopen do   -- keep, in order, the events this claim or a later one can join
      local ev = open[i]
      if ev.bhi >= lo then
        m = m + 1
        open[m] = ev
      end
    end
    for i = m + 1, nopen do open[i] = nil end
    nopen = m
    if nopen > MAX_OPEN then   -- the oldest is closed
      table.remove(open, 1)
      nopen = nopen - 1
    end
    local home
    for i = 1, nopen do
      local ev = open[i]
      if (ev.unit == nil or c.unit == nil or ev.unit == c.unit) and
         same_event(it, ev.top) and same_event(it, ev.bottom) then
        home = ev
        break
      end
    end
    if home then
      home.items[#home.items + 1] = it
      home.unit = home.unit or c.unit
      if lo > home.tlo then home.top, home.tlo = it, lo end
      if hi < home.bhi then home.bottom, home.bhi = it, hi end
    else
      local ev = { items = { it }, top = it, bottom = it, unit = c.unit, tlo = lo, bhi = hi }
      nopen = nopen + 1
      open[nopen] = ev
      all[#all + 1] = ev
    end
  end
  return all
end

local STATEMENT = { "statement", "address", "briefing", "announcement", "interview",
                    "press conference", "news conference", "remarks" }
for _, v in ipairs(Attribution.verbs) do STATEMENT[#STATEMENT + 1] = v end

local function words(s, n, from_end)
  local list = {}
  for w in s:gmatch("[%a']+") do list[#list + 1] = w end
  local out = {}
  if from_end then
    for i = math.max(1, #list - n + 1), #list do out[#out + 1] = list[i] end
  else
    for i = 1, math.min(n, #list) do out[#out + 1] = list[i] end
  end
  return " " .. table.concat(out, " ") .. " ", #list
end

local function has_statement(s)
  for _, v in ipairs(STATEMENT) do
    if s:find(" " .. v .. " ", 1, true) then return true end
  end
  return false
end

-- How the claim's sentence gives its date: "after" (a bound: "since October"), "before"
-- ("by Friday", "as of Friday", or the day a statement was made: "the ministry said on
-- Thursday", "On December 27, the agency confirmed": the figure stands by then), or nil
-- (the day of the event: "captured on December 27"). s is the sentence, a..b the place
-- the date is written in it.
local function read_at(s, a, b)
  local before = s:sub(1, a - 1):lower()
  local tail = before:sub(-12)
  local two = tail:match("(%a+%s+%a+)%s*$")
  local one = tail:match("(%a+)%s*$")
  local bound = (two and OPEN[(two:gsub("%s+", " "))]) or (one and OPEN[one])
  if bound then return bound end
  local last, nbefore = words(before, 4, true)
  if has_statement(last) then return "before" end
  -- a date that opens the sentence ("On Friday, Novotny said ...")
  if nbefore <= 3 and has_statement((words(s:sub(b + 1):lower(), 8))) then
    return "before"
  end
  return nil
end

local MONTHS = { "January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December" }
local WEEKDAYS = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                   "Sunday" }
local RELATIVE = { "today", "yesterday", "tonight", "last night", "this morning",
                   "a day later", "a day earlier", "the day before", "the next day",
                   "this week", "last week", "earlier this week", "this month",
                   "last month", "earlier this month" }

-- Where the claim's time is written in its sentence: spans {a, b} of the month and day
-- ("December 27", "27 Dec."), the weekday of a known day ("Friday"), the month, the week,
-- the year, else a relative word ("a day later").
local function date_spans(c, t)
  local s = c.sentence or ""
  local out = {}
  local function add(a, b) if a then out[#out + 1] = { a, b } end end
  local function all(pat, plain)
    local from = 1
    while true do
      local a, b = s:find(pat, from, plain)
      if not a then break end
      add(a, b)
      from = b + 1
    end
  end
  all(c.time, true)   -- written as the value itself ("2024-12-27")
  local p = t.from
  if #out == 0 and p.m then
    local name = MONTHS[p.m]
    for _, m in ipairs{ name, name:sub(1, 3), name:sub(1, 4) } do
      if p.d then
        all(m .. "%.?%s+" .. p.d .. "%f[%D]")
        all("%f[%d]" .. p.d .. "%s+" .. m .. "%f[%A]")
      end
    end
    if #out == 0 then all(name .. "%f[%A]") end
  end
  if p.d and p.y then
    local n = D.days(p.y, p.m, p.d)
    all("%f[%a]" .. WEEKDAYS[(n + 3) % 7 + 1] .. "%f[%A]")
  end
  if p.kind == "week" then all("%f[%a][Ww]eek%f[%A]") end
  if p.y and #out == 0 then all("%f[%d]" .. p.y .. "%f[%D]") end
  if #out == 0 then
    local low = s:lower()
    for _, r in ipairs(RELATIVE) do
      local from = 1
      while true do
        local a, b = low:find(r, from, true)
        if not a then break end
        if not low:sub(a - 1, a - 1):match("%a") and not low:sub(b + 1, b + 1):match("%a") then
          add(a, b)
        end
        from = b + 1
      end
    end
  end
  return out, s
end

-- How the claim's sentence gives its date (see read_at); the words around each place
-- the date is written. Reads the sentence.
local function openness(c, t)
  local spans, s = date_spans(c, D.resolve(t, c.date))
  for _, sp in ipairs(spans) do
    local r = read_at(s, sp[1], sp[2])
    if r then return r end
  end
  return nil
end

local function when_text(t, open)
  local s = D.text(t)
  if open == "after" then return "since " .. s end
  if open == "before" then return "by " .. s end
  return s
end

-- "south_korea's 1 captured soldier (north_korea)", "about 3,000 soldier casualties".
local function event_text(measure, subject, unit, claims)
  local who
  for _, c in ipairs(claims) do
    local k = c.claimant or "unattributed"
    if k == "unattributed" or (who and who ~= k) then who = false break end
    who = k
  end
  local first = claims[1]
  local one = first.low == 1 and first.high == 1
  local u = unit or ""
  local singular = u:gsub("s$", "")
  local phrase
  if measure:match("ed$") or measure == "missing" then
    phrase = string.format("%s %s %s", F.text(first), measure, one and singular or u)
  else
    phrase = string.format("%s %s %s", F.text(first), singular, measure)
  end
  phrase = phrase:gsub("%s+", " "):gsub(" $", "")
  return string.format("%s%s (%s)", who and (who .. "'s ") or "", phrase, subject or "?")
end

cc.rule{
  name = "timeline",
  description = "the dates outlets give for the same event: agreement or conflict",
  reads = { "claims", "sentences", "findings" },
  after = { "derived-copies" },
  group_by = { "event", "measure", "subject" },
  setup = function(ctx) return Sources.load(ctx) end,
  each = function(ctx, key, group, src)
    -- a figure about no stored event; a lone figure has nothing to be compared with
    if key.event == nil or #group < 2 then return end
    local timed, docs = {}, {}
    for _, c in ipairs(group) do
      local t = c.time and D.parse(c.time)
      if t then
        timed[#timed + 1] = { c = c, t = t }
        docs[c.doc_id] = true
      end
    end
    local ndocs = 0
    for _ in pairs(docs) do ndocs = ndocs + 1 end
    if ndocs >= 2 then
      for _, ev in ipairs(events(timed)) do
        table.sort(ev.items, function(x, y) return x.c.id < y.c.id end)
        local claims = {}
        for _, it in ipairs(ev.items) do claims[#claims + 1] = it.c end
        local evdocs = Sources.docs_of(claims)
        if #evdocs >= 2 then
          ctx:sentences(claims)   -- openness() reads them: one query for the event
          -- distinct dates (value and bound) with their claims and documents
          local values, by = {}, {}
          for _, it in ipairs(ev.items) do
            it.open = openness(it.c, it.t)
            local k = it.c.time .. "|" .. (it.open or "")
            local v = by[k]
            if not v then
              v = { t = it.t, open = it.open, items = {}, docs = {} }
              by[k] = v
              if #values < MAX_VALUES then values[#values + 1] = v end
            end
            v.items[#v.items + 1] = it
            v.docs[it.c.doc_id] = true
          end
          local function apart(v, w)   -- some document of v is not the only one of w
            for d in pairs(v.docs) do
              for e in pairs(w.docs) do
                if d ~= e then return true end
              end
            end
            return false
          end
          local point = false   -- some date is the event's day, not only a bound
          for _, v in ipairs(values) do point = point or v.open == nil end
          local pairs_out, first
          -- most events' dates all share a day: then no pair needs comparing
          local n_cmp = D.all_compatible(values) and 0 or #values
          for i = 1, n_cmp do
            for j = i + 1, n_cmp do
              local v, w = values[i], values[j]
              if apart(v, w) and not D.compatible(v.t, w.t, v.open, w.open) then
                pairs_out = pairs_out or {}
                local a, b = v.items[1].c, w.items[1].c
                if a.doc_id == b.doc_id then   -- name claims of two documents
                  for _, it in ipairs(w.items) do
                    if it.c.doc_id ~= a.doc_id then b = it.c break end
                  end
                end
                if a.doc_id == b.doc_id then
                  for _, it in ipairs(v.items) do
                    if it.c.doc_id ~= b.doc_id then a = it.c break end
                  end
                end
                first = first or { v = v, w = w, a = a, b = b }
                if #pairs_out < 10 then
                  pairs_out[#pairs_out + 1] = { a = when_text(v.t, v.open),
                                                b = when_text(w.t, w.open),
                                                claims = { a.id, b.id } }
                end
              end
            end
          end
          local ids, listed = {}, {}
          for _, it in ipairs(ev.items) do
            ids[#ids + 1] = it.c.id
            if #listed < MAX_LISTED then
              listed[#listed + 1] = { doc = it.c.doc_id, when = it.c.time, claim = it.c.id,
                                      open = it.open }
            end
          end
          local what = event_text(key.measure, key.subject, ev.unit, claims)
          local n = src:count(evdocs)
          if first then
            local order = { first.a.doc_id, first.b.doc_id }
            for _, d in ipairs(evdocs) do
              if d ~= order[1] and d ~= order[2] then order[#order + 1] = d end
            end
            ctx:emit{
              event = key.event,
              kind = "date_conflict", measure = key.measure, subject = key.subject,
              unit = ev.unit, claims = ids, docs = order,
              summary = string.format("outlets disagree on the date of %s: %s (%s) vs %s (%s)",
                what, when_text(first.v.t, first.v.open), Sources.label(first.a),
                when_text(first.w.t, first.w.open), Sources.label(first.b)),
              details = { dates = listed, pairs = pairs_out, outlets = #evdocs,
                          independent = n },
            }
          elseif n >= 2 and point then
            -- the narrowest date stands for all: a day before a week, a year given
            local best
            for _, v in ipairs(values) do
              local bw = best and (best.open and math.huge or D.width(best.t))
              local vw = v.open and math.huge or D.width(v.t)
              if not best or vw < bw or
                 (vw == bw and D.has_year(v.t) and not D.has_year(best.t)) then
                best = v
              end
            end
            ctx:emit{
              event = key.event,
              kind = "date_agreement", measure = key.measure, subject = key.subject,
              unit = ev.unit, claims = ids, docs = evdocs,
              summary = best.open == nil
                and string.format("outlets agree that %s dates to %s (%d outlets)",
                                  what, D.text(best.t), n)
                or string.format("outlets agree on the date of %s: %s (%d outlets)",
                                 what, when_text(best.t, best.open), n),
              details = { dates = listed, outlets = #evdocs, independent = n },
            }
          end
        end
      end
    end
  end,
}
