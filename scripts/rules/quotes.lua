-- quotes: the same quotation attributed to different speakers, or its wording changed
-- between outlets, within one event (the same words in stories of two incidents are two
-- quotations).
--
-- Quotations (ctx:quotes) of at least MIN_WORDS words are normalised: lower case,
-- punctuation and spacing collapsed, curly quotes ignored, an ellipsis kept only as a
-- mark that words were left out. Fragments (scare quotes, titles, quotations with no
-- speech verb next to them) are skipped unless they have MIN_FRAGMENT_WORDS words, and
-- then only their wording counts, not their speaker.
--   quote_misattributed  the same words in different documents, said by speakers that
--                        cannot be one person: their names have no word in common
--                        ("Novotny" and "Lindqvist"), or they belong to different parties
--                        of vocab/gazetteer.lua ("Helsinki's spy agency" and
--                        "Budapest's army command").
--                        A speaker without a name ("the president") is unknown, not a
--                        conflict.
--   quote_altered        near-identical words that are not the same: a token Jaccard
--                        of at least MIN_JACCARD, or one version inside the other with
--                        words added or missing. Words cut from the start or end (an
--                        excerpt) or where the shorter version shows an ellipsis are not
--                        a change, nor a word spelt otherwise (a slip of one letter:
--                        "acces", "access"; "7" and "seven").
-- Candidate pairs come from blocking, not from comparing all pairs: each version is put
-- in the buckets of a few of its word shingles (the SAMPLE 3-word shingles with the
-- smallest hashes, a MinHash sample, and SAMPLE2 2-word ones for short quotations), and
-- buckets of more than MAX_BUCKET versions (stock phrases) are skipped. The work is
-- linear in the number of quotations.
local Gazetteer = require("vocab.gazetteer")
local Countries = require("vocab.countries")

local MIN_WORDS = 5
local MIN_FRAGMENT_WORDS = 8   -- a "fragment" this long is a quotation without a speech
                               -- verb next to it, not a scare quote: its wording counts
local MIN_JACCARD = 0.6
local SAMPLE, SAMPLE2, SHORT = 8, 4, 12
local MAX_BUCKET = 50
local MAX_DIFF_WORDS = 300     -- longer versions are compared by Jaccard only
local SUMMARY_CHARS = 80
local LISTED = 50              -- documents listed per finding

-- Words of a speaker that are not a name: titles, roles, institutions, articles.
local NOT_NAMES = {}
for w in ([[the a an his her their its our this that who which said says told
  president presidents prime minister ministers secretary general chief head director
  commander spokesman spokeswoman spokesperson ambassador senator representative
  lawmaker lawmakers mr mrs ms dr sir lt col gen adm sgt capt captain colonel lieutenant
  admiral major foreign defense defence interior deputy vice national security adviser
  advisor official officials senior top former state ministry agency service council
  office department directorate intelligence army forces force command police government
  house committee commission court parliament assembly party military staff news times
  post press media spy analyst analysts expert experts source sources residents witness
  witnesses leader leaders mayor governor king queen prince pope chancellor
  democrats republicans democrat republican conservatives liberals socialists tories
  aides supporters critics opponents allies members colleagues
  according in of for to and at on by with from
  ]]):gmatch("%a+") do NOT_NAMES[w] = true end

-- Gazetteer names by their first word, for finding parties in a speaker's words.
local by_first, country_names = {}, {}
for id, names in pairs(Gazetteer) do
  for _, name in ipairs(names) do
    local first = name:match("^[^%s]+")
    by_first[first] = by_first[first] or {}
    table.insert(by_first[first], { name = name, id = id, words = select(2, name:gsub("%S+", "")) })
  end
end
for _, names in pairs(Countries) do
  for _, name in ipairs(names) do country_names[name] = true end
end
for _, list in pairs(by_first) do
  table.sort(list, function(x, y)
    if x.words ~= y.words then return x.words > y.words end
    return x.name < y.name
  end)
end

-- A speaker's parties (gazetteer ids) and name words (capitalised words that are neither
-- part of a gazetteer name nor a title or role); cached per speaker text.
local speaker_cache = {}
local function speaker_info(s)
  local got = speaker_cache[s]
  if got then return got end
  local toks = {}
  local plain = s:gsub("\u{2019}s%f[%A]", ""):gsub("'s%f[%A]", "")
  for w in plain:gmatch("[%w%.%-\128-\255]+") do toks[#toks + 1] = w end
  local parties, names, i = {}, {}, 1
  while i <= #toks do
    local hit
    for _, cand in ipairs(by_first[toks[i]] or {}) do
      if cand.words == 1 then
        hit = cand
      else
        local span = table.concat(toks, " ", i, math.min(#toks, i + cand.words - 1))
        if span == cand.name then hit = cand end
      end
      if hit then break end
    end
    if hit then
      parties[hit.id] = true
      i = i + hit.words
    else
      local w = toks[i]:gsub("%.$", "")
      if w:match("^%u") and not w:match("%d") and not NOT_NAMES[w:lower()] and
         not country_names[w] then
        names[#names + 1] = w:lower()
      end
      i = i + 1
    end
  end
  got = { parties = parties, names = names, text = s }
  speaker_cache[s] = got
  return got
end

-- Whether two name words can be the same name: equal, one the other's prefix (five
-- letters at least: "Novotny", "Novotnyy"), or one letter apart ("Novotniy").
local function same_word(a, b)
  if a == b then return true end
  if #a < 5 or #b < 5 then return false end
  if a:sub(1, #b) == b or b:sub(1, #a) == a then return true end
  if math.abs(#a - #b) > 1 then return false end
  local i = 1
  while i <= #a and a:byte(i) == b:byte(i) do i = i + 1 end
  local ra, rb = a:sub(i + 1), b:sub(i + 1)
  return ra == rb or a:sub(i) == rb or ra == b:sub(i)
end

-- "same", "different" or "unknown": whether two speakers can be one person.
local function speakers(a, b)
  if not a or not b then return "unknown" end
  if a == b then return "same" end
  local x, y = speaker_info(a), speaker_info(b)
  for _, n in ipairs(x.names) do
    for _, m in ipairs(y.names) do
      if same_word(n, m) then return "same" end
    end
  end
  local px, py, shared = next(x.parties) ~= nil, next(y.parties) ~= nil, false
  for p in pairs(x.parties) do if y.parties[p] then shared = true end end
  if px and py and not shared then return "different" end
  if #x.names > 0 and #y.names > 0 then return "different" end
  return "unknown"
end

local PUNCT = {}   -- ASCII punctuation to a space, the apostrophe kept
for i = 33, 126 do
  local c = string.char(i)
  if c:match("%p") and c ~= "'" then PUNCT[c] = " " end
end
local WIDE = { "\u{201C}", "\u{201D}", "\u{201E}", "\u{00AB}", "\u{00BB}", "\u{2014}",
               "\u{2013}", "\u{2015}", "\u{00A0}", "\u{2039}", "\u{203A}" }
-- Contractions, told out: "they're" and "they are" are the same words.
local CONTRACTIONS = { { "n't%f[%A]", " not" }, { "'re%f[%A]", " are" }, { "'ve%f[%A]", " have" },
                       { "'ll%f[%A]", " will" }, { "'m%f[%A]", " am" } }

-- A quotation normalised: lower case, ASCII punctuation but the apostrophe a space,
-- curly quotes and dashes spaces, leading and trailing apostrophes dropped, words joined
-- by one space; an ellipsis ("\u{2026}", "...") becomes the token "\1", the mark that
-- words were left out there. Returns it and its number of words (marks not counted).
local function key_of(text)
  local s = text
  if s:find("[\128-\255]") then
    s = s:gsub("\u{2026}", " \1 "):gsub("\u{2019}", "'"):gsub("\u{2018}", "'")
    for _, ch in ipairs(WIDE) do
      if s:find(ch, 1, true) then s = s:gsub(ch, " ") end
    end
  end
  if s:find("...", 1, true) then s = s:gsub("%.%.%.+", " \1 ") end
  -- "E.U." and "EU", "U.S." and "US" are one word
  s = s:gsub("%f[%w](%a)%.(%a)%.", "%1%2")
  s = s:lower()
  if s:find("'", 1, true) then
    s = s:gsub("can't", "cannot"):gsub("won't", "will not")
    for _, c in ipairs(CONTRACTIONS) do s = s:gsub(c[1], c[2]) end
  end
  s = s:gsub("%f[%a]can not%f[%A]", "cannot")
  s = s:gsub("%p", PUNCT)
  if s:find("'", 1, true) then
    s = (" " .. s .. " "):gsub("%s'+", " "):gsub("'+%s", " ")
  end
  local key = s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  local _, n = key:gsub("[^%s\1]+", "")
  return key, n
end

-- The words of a normalised quotation and where its ellipses stand (gaps[i]: before
-- word i; #words + 1 at the end).
local function split(key)
  local words, gaps = {}, {}
  for w in key:gmatch("%S+") do
    if w == "\1" then gaps[#words + 1] = true else words[#words + 1] = w end
  end
  return words, gaps
end

-- The words alone, without the ellipsis marks: what must be equal for two quotations
-- to be the same.
local function plain_of(key)
  if not key:find("\1", 1, true) then return key end
  return (key:gsub("\1", ""):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

local word_hash = {}
local function hash_of(w)
  local h = word_hash[w]
  if not h then
    h = 2166136261
    for i = 1, #w do h = ((h ~ w:byte(i)) * 16777619) & 0xffffffff end
    word_hash[w] = h
  end
  return h
end

-- The k smallest distinct values of a list (which it sorts), appended to out.
local function smallest(list, k, out)
  table.sort(list)
  local last
  for _, h in ipairs(list) do
    if h ~= last then
      out[#out + 1] = h
      last = h
      k = k - 1
      if k == 0 then break end
    end
  end
end

-- The shingle hashes a version is bucketed by: the SAMPLE smallest of its 3-word
-- shingles, and for a short version (SHORT words or fewer, where one changed word
-- touches most 3-word shingles) the SAMPLE2 smallest of its 2-word shingles.
local function sample(words)
  local n = #words
  local hs = {}
  for i = 1, n do hs[i] = hash_of(words[i]) end
  local h3 = {}
  for i = 1, n - 2 do
    h3[i] = ((hs[i] * 1000003 + hs[i + 1]) * 1000003 + hs[i + 2]) & 0x3fffffffffffffff
  end
  local out = {}
  smallest(h3, SAMPLE, out)
  if n <= SHORT then
    local h2 = {}
    for i = 1, n - 1 do
      h2[i] = ((hs[i] * 1000003 + hs[i + 1]) ~ 0x5bd1e995) & 0x3fffffffffffffff
    end
    smallest(h2, SAMPLE2, out)
  end
  return out
end

local function bag_of(words)
  local bag = {}
  for _, w in ipairs(words) do bag[w] = (bag[w] or 0) + 1 end
  return bag
end

-- Token Jaccard (words counted with repeats: shared tokens over all tokens) and whether
-- every token of the shorter version is in the longer.
local function similarity(wa, wb)
  local ba, bb = bag_of(wa), bag_of(wb)
  local both = 0
  for w, n in pairs(ba) do
    local m = bb[w]
    if m then both = both + math.min(n, m) end
  end
  return both / (#wa + #wb - both), both == math.min(#wa, #wb)
end

-- The changes between two versions: runs of words only one side has, except words cut
-- at either end (an excerpt) and words left out where the other side shows an ellipsis.
-- Returns a list of {a = "...", b = "...", at = word index in a}.
-- Numbers as words, for "Group of 7" against "Group of Seven".
local NUMBER_WORDS = { one = "1", two = "2", three = "3", four = "4", five = "5", six = "6",
  seven = "7", eight = "8", nine = "9", ten = "10", eleven = "11", twelve = "12" }

-- Whether two spellings are one word: a typing slip ("acces", "access"; "agian") of one
-- letter added, dropped or changed, or two neighbours swapped, in a word of four letters
-- or more.
local function one_edit(x, y)
  if #x < #y then x, y = y, x end
  if #x - #y > 1 or #y < 4 then return false end
  local i = 1
  while i <= #y and x:sub(i, i) == y:sub(i, i) do i = i + 1 end
  if #x == #y then
    -- one letter changed, or two neighbours swapped ("agian")
    return x:sub(i + 1) == y:sub(i + 1) or
           (x:sub(i, i) == y:sub(i + 1, i + 1) and x:sub(i + 1, i + 1) == y:sub(i, i) and
            x:sub(i + 2) == y:sub(i + 2))
  end
  return x:sub(i + 1) == y:sub(i)
end

-- Whether the words one version has in place of the other's are the same words spelt
-- otherwise: each pair one slip apart or a number told two ways. Such a difference is
-- no change of wording.
local function same_words(ra, rb)
  if #ra ~= #rb or #ra == 0 then return false end
  for k = 1, #ra do
    local x, y = ra[k], rb[k]
    if not (one_edit(x, y) or (NUMBER_WORDS[x] or x) == (NUMBER_WORDS[y] or y)) then
      return false
    end
  end
  return true
end

local function differences(wa, ga, wb, gb)
  local n, m = #wa, #wb
  -- the common start and end need no table (most changes touch a few words)
  local p = 0
  while p < n and p < m and wa[p + 1] == wb[p + 1] do p = p + 1 end
  local q = 0
  while q < n - p and q < m - p and wa[n - q] == wb[m - q] do q = q + 1 end
  local ne, me = n - q, m - q
  -- L[i][j]: longest common subsequence of wa[i..ne] and wb[j..me]
  local L = { [ne + 1] = setmetatable({}, { __index = function() return 0 end }) }
  for i = ne, p + 1, -1 do
    local row, below = { [me + 1] = 0 }, L[i + 1]
    L[i] = row
    for j = me, p + 1, -1 do
      if wa[i] == wb[j] then row[j] = below[j + 1] + 1
      else
        local x, y = below[j], row[j + 1]
        row[j] = x > y and x or y
      end
    end
  end
  local out, i, j = {}, p + 1, p + 1
  local matched_before = p > 0
  while i <= ne or j <= me do
    if i <= ne and j <= me and wa[i] == wb[j] then
      i, j = i + 1, j + 1
      matched_before = true
    else
      local ra, rb, ai, bj = {}, {}, i, j
      while (i <= ne or j <= me) and not (i <= ne and j <= me and wa[i] == wb[j]) do
        if j > me or (i <= ne and L[i + 1][j] >= L[i][j + 1]) then
          ra[#ra + 1] = wa[i]
          i = i + 1
        else
          rb[#rb + 1] = wb[j]
          j = j + 1
        end
      end
      local at_end = i > ne and j > me and q == 0
      local one_sided = #ra == 0 or #rb == 0
      -- words cut at the start or the end: an excerpt, not a change
      local excerpt = one_sided and (not matched_before or at_end)
      -- words only one side has, where the other side shows an ellipsis
      local marked = (#ra == 0 and ga[ai]) or (#rb == 0 and gb[bj])
      if not excerpt and not marked and not same_words(ra, rb) then
        out[#out + 1] = { a = table.concat(ra, " "), b = table.concat(rb, " "), at = ai,
                          bt = bj }
      end
    end
  end
  return out
end

-- A short form of a quotation for a summary: from a few words before word `at`,
-- about SUMMARY_CHARS characters.
local function excerpt(text, at)
  local starts = {}
  for p in text:gmatch("()[^%s%p]+") do starts[#starts + 1] = p end
  local from = starts[math.max(1, (at or 1) - 4)] or 1
  if from <= 20 then from = 1 end
  local s = text:sub(from)
  local out = s
  if #s > SUMMARY_CHARS then
    local cut = s:sub(1, SUMMARY_CHARS):match("^(.*)%s") or s:sub(1, SUMMARY_CHARS)
    out = cut .. "..."
  end
  if from > 1 then out = "..." .. out end
  return out
end

cc.rule{
  name = "quotes",
  description = "a quotation attributed to different speakers, or worded differently",
  reads = { "quotes", "documents" },
  check = function(ctx)
    -- versions: distinct normalised texts, each with the quotations that give it
    -- (ellipses included); versions with the same words but for their ellipses form a
    -- family under its first version (head.more)
    -- quotations are compared within one event: the same words in stories of two
    -- incidents years apart are two quotations
    local event_of = {}
    for _, d in ipairs(ctx:documents{}) do event_of[d.id] = d.event or 0 end
    local versions, by_key, heads = {}, {}, {}
    local all = ctx:quotes{}   -- one query: ctx:quotes{doc_id=} per document would scan each time
    for i, q in ipairs(all) do
      all[i] = nil
      if q.text then
        local key, n = key_of(q.text)
        if n >= (q.fragment and MIN_FRAGMENT_WORDS or MIN_WORDS) then
          local ev = event_of[q.doc_id] or 0
          local vkey = ev .. "|" .. key
          local v = by_key[vkey]
          if not v then
            v = { key = key, text = q.text, quotes = {}, event = ev }
            by_key[vkey] = v
            versions[#versions + 1] = v
            local plain = ev .. "|" .. plain_of(key)
            local head = heads[plain]
            if head then
              head.more = head.more or {}
              head.more[#head.more + 1] = v
            else
              heads[plain] = v
              v.head = true
            end
          end
          -- a fragment's speaker is a guess: it only counts for the wording
          v.quotes[#v.quotes + 1] = { doc = q.doc_id,
                                      speaker = not q.fragment and q.speaker or nil }
        end
      end
    end
    all, by_key, heads = nil, nil, nil

    local labels = {}
    local function label(doc)
      if not labels[doc] then
        local d = ctx:documents{ id = doc }[1]
        labels[doc] = d and (d.outlet or d.name:match("([^/:]+)$") or d.name) or tostring(doc)
      end
      return labels[doc]
    end

    -- the same words, speakers who cannot be one person
    for _, v in ipairs(versions) do
      local quotes = v.quotes
      if v.more then
        quotes = {}
        for _, q in ipairs(v.quotes) do quotes[#quotes + 1] = q end
        for _, x in ipairs(v.more) do
          for _, q in ipairs(x.quotes) do quotes[#quotes + 1] = q end
        end
      end
      if v.head and #quotes >= 2 then
        local who, order = {}, {}
        for _, q in ipairs(quotes) do
          if q.speaker then
            local w = who[q.speaker]
            if not w then
              w = { speaker = q.speaker, docs = {}, seen = {} }
              who[q.speaker] = w
              if #order < 20 then order[#order + 1] = w end
            end
            if not w.seen[q.doc] then
              w.seen[q.doc] = true
              if #w.docs < LISTED then w.docs[#w.docs + 1] = q.doc end
            end
          end
        end
        local pairs_out, involved = {}, {}
        for i = 1, #order do
          for j = i + 1, #order do
            local x, y = order[i], order[j]
            local apart = false
            for _, d in ipairs(x.docs) do
              for _, e in ipairs(y.docs) do if d ~= e then apart = true end end
            end
            if apart and speakers(x.speaker, y.speaker) == "different" then
              pairs_out[#pairs_out + 1] = { a = x.speaker, b = y.speaker }
              involved[x], involved[y] = true, true
            end
          end
        end
        if #pairs_out > 0 then
          local docs, listed, parts = {}, {}, {}
          for _, w in ipairs(order) do
            if involved[w] then
              listed[#listed + 1] = { speaker = w.speaker, docs = w.docs }
              local names = {}
              for _, d in ipairs(w.docs) do
                if #docs < LISTED then docs[#docs + 1] = d end
                if #names < 3 then names[#names + 1] = label(d) end
              end
              parts[#parts + 1] = string.format("%s (%s)", w.speaker, table.concat(names, ", "))
            end
          end
          ctx:emit{
            kind = "quote_misattributed", docs = docs,
            summary = string.format("\"%s\" is attributed to %s", excerpt(v.text),
                                    table.concat(parts, " and to ")),
            details = { text = v.text, speakers = listed, pairs = pairs_out },
          }
        end
      end
    end

    -- near-identical words: candidate pairs from shingle buckets
    local buckets = {}
    for vid, v in ipairs(versions) do
      for _, h in ipairs(sample(split(v.key))) do
        local b = buckets[h]
        if b == nil then
          buckets[h] = vid
        elseif type(b) == "number" then
          if b ~= vid then buckets[h] = { b, vid } end
        elseif b then
          if b[#b] ~= vid then
            if #b >= MAX_BUCKET then buckets[h] = false else b[#b + 1] = vid end
          end
        end
      end
    end
    local seen, cands = {}, {}
    for _, b in pairs(buckets) do
      if type(b) == "table" then
        for i = 1, #b do
          for j = i + 1, #b do
            local x, y = math.min(b[i], b[j]), math.max(b[i], b[j])
            local k = x * 4294967296 + y
            if not seen[k] then
              seen[k] = true
              cands[#cands + 1] = k
            end
          end
        end
      end
    end
    buckets, seen = nil, nil
    table.sort(cands)

    local function docs_of(v)
      local out, seen_d = {}, {}
      for _, q in ipairs(v.quotes) do
        if not seen_d[q.doc] then
          seen_d[q.doc] = true
          out[#out + 1] = q.doc
        end
      end
      return out
    end
    local function first_speaker(v)
      for _, q in ipairs(v.quotes) do if q.speaker then return q.speaker end end
      return nil
    end

    for _, k in ipairs(cands) do
      local va, vb = versions[k // 4294967296], versions[k % 4294967296]
      local da, db = docs_of(va), docs_of(vb)
      if va.event == vb.event and (#da > 1 or #db > 1 or da[1] ~= db[1]) then
        local wa, ga = split(va.key)
        local wb, gb = split(vb.key)
        local jac, inside = similarity(wa, wb)
        if jac >= MIN_JACCARD or inside then
          local diffs
          if #wa <= MAX_DIFF_WORDS and #wb <= MAX_DIFF_WORDS then
            diffs = differences(wa, ga, wb, gb)
          else
            diffs = { { a = "", b = "", at = 1, bt = 1 } }
          end
          if #diffs > 0 then
            local sa, sb = first_speaker(va), first_speaker(vb)
            local rel = speakers(sa, sb)
            local docs = {}
            for _, d in ipairs(da) do if #docs < LISTED then docs[#docs + 1] = d end end
            for _, d in ipairs(db) do if #docs < LISTED then docs[#docs + 1] = d end end
            local listed = {}
            for i = 1, math.min(#diffs, 10) do
              listed[i] = { a = diffs[i].a, b = diffs[i].b }
            end
            local whose = (sa and rel ~= "different") and ("a quotation of " .. sa) or "a quotation"
            ctx:emit{
              kind = "quote_altered", docs = docs,
              summary = string.format("%s is worded differently: \"%s\" (%s) vs \"%s\" (%s)%s",
                whose, excerpt(va.text, diffs[1].at), label(da[1]),
                excerpt(vb.text, diffs[1].bt), label(db[1]),
                rel == "different" and string.format(" (attributed to %s and %s)", sa, sb) or ""),
              details = {
                a = { text = va.text, speaker = sa, docs = da },
                b = { text = vb.text, speaker = sb, docs = db },
                differences = listed, jaccard = math.floor(jac * 1000 + 0.5) / 1000,
                speakers_differ = rel == "different" or nil,
              },
            }
          end
        end
      end
    end
  end,
}
