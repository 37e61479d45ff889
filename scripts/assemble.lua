-- assemble.lua: turns the mentions of one document into claims.
--
-- The engine calls M.assemble(doc) once per document (docs/assembly.md describes `doc`)
-- and stores the list of claims it returns. Each claim is a table:
--   { measure=, subject=, unit=, low=, high=, qualifier=, claimant=, claimant_text=,
--     mention= (index of the quantity mention), sentence= (index) }
-- A claim needs a measure; figures whose measure cannot be told are left out.
--
-- What counts as a measure, a unit, a party or an attribution is vocabulary, in
-- scripts/vocab/*.lua; this file is the logic that ties them to a figure.

-- The default vocabularies, with the files named by `vocabularies` in the
-- configuration merged over them (cc.vocabularies: a list of tables such as
-- { parties = { red_cross = { "Red Cross" } }, measures = { displaced = {...} } }).
-- Names given for an existing id are added to it; new ids are added.
local function merged(name, default)
  local out = {}
  for id, list in pairs(default) do
    out[id] = {}
    for _, v in ipairs(list) do table.insert(out[id], v) end
  end
  for _, extra in ipairs(cc and cc.vocabularies or {}) do
    for id, list in pairs(extra[name] or {}) do
      out[id] = out[id] or {}
      for _, v in ipairs(list) do table.insert(out[id], v) end
    end
  end
  return out
end

local measures = merged("measures", require("vocab.measures"))
local units = merged("units", require("vocab.units"))
local parties = merged("parties", require("vocab.gazetteer"))
local attribution = merged("attribution", require("vocab.attribution"))

local M = {}

-- Words that join a figure to the figure before it, so that the later one shares the
-- earlier one's measure ("12,000 troops, including 500 officers and three generals").
local JOINERS = { "including", "among them", "of whom", "of which", "and", "as well as" }

local function is_word_char(c)
  return c ~= "" and c:match("[%w]") ~= nil
end

-- Every whole-word occurrence of `phrase` in `text` (plain search), as {s, e} pairs.
local function find_all(text, phrase)
  local out, init = {}, 1
  while true do
    local s, e = text:find(phrase, init, true)
    if not s then break end
    local before = s > 1 and text:sub(s - 1, s - 1) or ""
    local after = text:sub(e + 1, e + 1)
    -- a phrase that ends in punctuation ("U.S.") has its own boundary
    local last = phrase:sub(-1)
    if not is_word_char(before) and (not is_word_char(after) or not is_word_char(last)) then
      out[#out + 1] = { s, e }
    end
    init = s + 1
  end
  return out
end

-- Finds the cues of a vocabulary ({id = {phrases}}) in text: a list of
-- {s=, e=, id=, phrase=} without overlaps, longer phrases first.
local function find_cues(text, vocab)
  local cands = {}
  for id, phrases in pairs(vocab) do
    for _, p in ipairs(phrases) do
      for _, r in ipairs(find_all(text, p)) do
        cands[#cands + 1] = { s = r[1], e = r[2], id = id, phrase = p }
      end
    end
  end
  table.sort(cands, function(a, b)
    local la, lb = a.e - a.s, b.e - b.s
    if la ~= lb then return la > lb end
    if a.s ~= b.s then return a.s < b.s end
    return a.id < b.id
  end)
  local taken, out = {}, {}
  for _, c in ipairs(cands) do
    local free = true
    for i = c.s, c.e do
      if taken[i] then free = false break end
    end
    if free then
      for i = c.s, c.e do taken[i] = true end
      out[#out + 1] = c
    end
  end
  table.sort(out, function(a, b) return a.s < b.s end)
  return out
end

local function flat(list)
  local t = {}
  for _, p in ipairs(list) do t[#t + 1] = p end
  return t
end

local ATTR_VERBS = { verb = flat(attribution.verbs) }
local ATTR_BEFORE = { before = flat(attribution.before_source) }
local ATTR_CITING = { citing = flat(attribution.citing) }

-- The first unit word within the first few words after position `from` (sentence-local,
-- lower-case text). Returns the unit cue or nil.
local function unit_after(unit_cues, from, limit)
  for _, u in ipairs(unit_cues) do
    if u.s >= from and u.s <= limit then return u end
  end
  return nil
end

local function word_count(s)
  local n = 0
  for _ in s:gmatch("%S+") do n = n + 1 end
  return n
end

local function in_range(c, a, b)
  return c.s >= a and c.e <= b
end

-- Attribution for a figure at [fs, fe] (sentence-local): who gives it, and the words.
local function claimant_for(text, lower, party_cues, fs, fe, subject_party_pos)
  local function usable(p) return not subject_party_pos[p.s] end
  -- "citing X" names the original source: it wins over the speaker.
  for _, c in ipairs(find_cues(lower, ATTR_CITING)) do
    for _, p in ipairs(party_cues) do
      if usable(p) and p.s > c.e and p.s - c.e < 60 then
        return p.id, text:sub(c.s, p.e)
      end
    end
  end
  -- "according to X"
  local best, best_text, best_dist
  for _, c in ipairs(find_cues(lower, ATTR_BEFORE)) do
    for _, p in ipairs(party_cues) do
      if usable(p) and p.s > c.e and p.s - c.e < 80 then
        local d = math.abs(c.s - fs)
        if not best_dist or d < best_dist then
          best, best_text, best_dist = p.id, text:sub(c.s, p.e), d
        end
        break
      end
    end
  end
  -- "X said", "X estimates": the nearest party before the verb, the verb nearest the
  -- figure (before it preferred, as in "X said that 100 ...").
  for _, c in ipairs(find_cues(lower, ATTR_VERBS)) do
    local cand
    for _, p in ipairs(party_cues) do
      if usable(p) and p.e < c.s and c.s - p.e < 90 then cand = p end
    end
    if cand then
      local d = c.s <= fs and (fs - c.s) or (c.s - fe) + 40
      if not best_dist or d < best_dist then
        best, best_text, best_dist = cand.id, text:sub(cand.s, c.e), d
      end
    end
  end
  return best, best_text
end

-- Every word that names a unit or is part of a measure cue, for telling whether the
-- noun right after a figure is one of ours.
local function vocabulary_words(...)
  local words = {}
  for _, vocab in ipairs({ ... }) do
    for _, phrases in pairs(vocab) do
      for _, p in ipairs(phrases) do
        for w in p:lower():gmatch("%a+") do words[w] = true end
      end
    end
  end
  return words
end

-- A figure with no unit of ours whose own noun is something else ("the two countries",
-- "three documents") counts that something else, not the measure nearby.
local measure_words = vocabulary_words(measures, units)

local function counts_something_else(f, known)
  if f.unit then return false end
  local ut = f.m.attrs and f.m.attrs.unit_text or ""
  local first = ut:match("^(%a+)")
  if not first then return false end
  return not known[first]
end

-- The attribution (a mention of the attribution plugin) that governs byte offset
-- `pos`: among those whose scope holds it, the one whose words end nearest before it,
-- else the nearest after it ("..., Zelensky said").
local function attribution_at(list, pos)
  local best, best_d
  for _, a in ipairs(list or {}) do
    local sc = a.attrs or {}
    local lo, hi = sc.scope_start or a.start, sc.scope_end or a["end"]
    if pos >= lo and pos < hi then
      local d = a["end"] <= pos and (pos - a["end"]) or (a.start - pos) + 100000
      if not best_d or d < best_d then best, best_d = a, d end
    end
  end
  return best
end

-- Openers of a sentence that goes on with the report of the sentence before it.
local CONTINUATIONS = { "There are ", "There were ", "There is ", "Of those", "Of them",
                        "Among them", "They ", "These ", "Including " }

local function quantity_ok(m)
  if m.kind ~= "quantity" then return false end
  local role = m.attrs and m.attrs.role or "count"
  return role == "count"
end

function M.assemble(doc)
  local claims = {}
  local by_sentence = {}
  for _, m in ipairs(doc.mentions) do
    if quantity_ok(m) and m.sentence then
      local s = doc.sentences[m.sentence]
      if s and (s.zone == "body" or s.zone == "title") then
        local list = by_sentence[m.sentence]
        if not list then
          list = {}
          by_sentence[m.sentence] = list
        end
        list[#list + 1] = m
      end
    end
  end

  -- Dates by sentence, for the time a figure refers to.
  local dates_by_sentence = {}
  for _, m in ipairs(doc.mentions) do
    if m.kind == "date" and m.sentence and m.value then
      local list = dates_by_sentence[m.sentence] or {}
      dates_by_sentence[m.sentence] = list
      list[#list + 1] = m
    end
  end

  -- Attributions found by the attribution plugin, by sentence. Where the plugin ran,
  -- they decide the claimant; the vocabulary logic below is the fallback.
  local atts_by_sentence = {}
  for _, m in ipairs(doc.mentions) do
    if m.kind == "attribution" and m.sentence then
      local list = atts_by_sentence[m.sentence] or {}
      atts_by_sentence[m.sentence] = list
      list[#list + 1] = m
    end
  end

  local prev_claimant, prev_claimant_text, prev_paragraph
  for si = 1, #doc.sentences do
    local figs = by_sentence[si]
    local s0 = doc.sentences[si]
    -- A sentence that continues the report of the one before ("Ukrainian intelligence
    -- reported ... There are approximately 12,000 soldiers") keeps its claimant.
    local carried
    if prev_claimant and prev_paragraph == s0.paragraph then
      for _, opener in ipairs(CONTINUATIONS) do
        if s0.text:sub(1, #opener) == opener then carried = true break end
      end
    end
    if not figs and s0.zone == "body" then
      local c, ct = claimant_for(s0.text, s0.text:lower(), find_cues(s0.text, parties),
                                 1, 1, {})
      if c then
        prev_claimant, prev_claimant_text, prev_paragraph = c, ct, s0.paragraph
      elseif not carried then
        prev_claimant = nil
      end
    end
    if figs then
      local sentence_claimant, sentence_claimant_text
      local s = doc.sentences[si]
      local text = s.text
      local lower = text:lower()
      local measure_cues = find_cues(lower, measures)
      local unit_cues = find_cues(lower, units)
      local party_cues = find_cues(text, parties)

      -- Sentence-local spans of each figure.
      local F = {}
      for i, m in ipairs(figs) do
        F[i] = { m = m, s = m.start - s.start + 1, e = m["end"] - s.start }
      end

      -- Unit and subject of each figure: the first unit word within four words after
      -- it; a party named between the figure and that unit ("North Korean soldiers") is
      -- the subject, and is not a candidate claimant.
      local subject_party_pos = {}
      for i, f in ipairs(F) do
        local next_s = F[i + 1] and F[i + 1].s or #text + 1
        local limit = f.e + 1
        local words = 0
        for pos = f.e + 1, math.min(#text, next_s - 1) do
          if text:sub(pos, pos):match("%s") and not text:sub(pos - 1, pos - 1):match("%s") then
            words = words + 1
            if words > 4 then break end
          end
          limit = pos
        end
        local u = unit_after(unit_cues, f.e + 1, limit)
        if u then
          f.unit, f.unit_end, f.own_unit = u.id, u.e, true
          for _, p in ipairs(party_cues) do
            if p.s > f.e and p.e < u.s then
              f.subject = p.id
              subject_party_pos[p.s] = true
            end
          end
          -- "units of the X army", "soldiers from X"
          if not f.subject then
            local tail = text:sub(u.e + 1, math.min(#text, u.e + 30))
            for _, p in ipairs(party_cues) do
              if p.s > u.e and p.s <= u.e + #tail and
                 text:sub(u.e + 1, p.s - 1):match("^%s+[%a%s]-$") and
                 word_count(text:sub(u.e + 1, p.s - 1)) <= 3 then
                f.subject = p.id
                subject_party_pos[p.s] = true
                break
              end
            end
          end
        end
        -- A party directly before a counted noun elsewhere ("North Korean troop
        -- casualties") is a subject use too.
        for _, p in ipairs(party_cues) do
          for _, uc in ipairs(unit_cues) do
            if uc.s > p.e and uc.s - p.e <= 2 then subject_party_pos[p.s] = true end
          end
        end
      end

      -- Measure: the nearest cue after the figure's noun and before the next figure;
      -- else the nearest cue before the figure and after the previous one. Cues inside
      -- the noun phrase ("one wounded soldier") describe the noun, not the count.
      for i, f in ipairs(F) do
        local from = (f.unit_end or f.e) + 1
        local to = F[i + 1] and F[i + 1].s - 1 or #text
        for _, c in ipairs(measure_cues) do
          if in_range(c, from, to) then
            f.measure, f.measure_text = c.id, c.phrase
            -- "70 were injured", "nearly 1,000 have been injured", "1,100 casualties"
            -- ("bring to five the number of stores" counts stores, not people)
            f.cue_adjacent = word_count(text:sub(f.e + 1, c.s - 1)) <= 2 and
                             c.phrase ~= "number of"
            break
          end
        end
      end
      -- Figures joined by "including"/"and" share a measure: a head figure takes the
      -- measure found after its last sub-figure, and sub-figures take their head's.
      for i = #F - 1, 1, -1 do
        local f, g = F[i], F[i + 1]
        if not f.measure and g.measure then
          local gap = lower:sub((f.unit_end or f.e) + 1, g.s - 1)
          for _, j in ipairs(JOINERS) do
            if #find_all(gap, j) > 0 and word_count(gap) <= 4 then
              f.measure, f.joined = g.measure, true
              break
            end
          end
        end
      end
      for i = 1, #F do
        local f = F[i]
        if not f.measure then
          local lo = F[i - 1] and (F[i - 1].unit_end or F[i - 1].e) + 1 or 1
          local best
          for _, c in ipairs(measure_cues) do
            if c.s >= lo and c.e < f.s then best = c end
          end
          if best then f.measure = best.id end
        end
        if i > 1 and not f.measure and F[i - 1].measure then
          local gap = lower:sub((F[i - 1].unit_end or F[i - 1].e) + 1, f.s - 1)
          for _, j in ipairs(JOINERS) do
            if #find_all(gap, j) > 0 and word_count(gap) <= 4 then
              f.measure = F[i - 1].measure
              break
            end
          end
        end
        -- Distributive and sub-figures inherit the noun and subject of the figure before.
        if i > 1 then
          f.unit = f.unit or F[i - 1].unit
          f.subject = f.subject or F[i - 1].subject
        end
        -- A unit before the figure ("the number of North Korean soldiers in Russia at
        -- 11,000 to 12,000"); a party right before that noun is the subject.
        if not f.unit then
          local before
          for _, u in ipairs(unit_cues) do
            if u.e < f.s then before = u end
          end
          if before then
            f.unit = before.id
            -- "the number of North Korean soldiers in Russia at 11,000": the measure
            -- governs that noun, so the figure is its count
            for _, c in ipairs(measure_cues) do
              if c.e < before.s and word_count(text:sub(c.e + 1, before.s - 1)) <= 3 then
                f.unit_cue = true
              end
            end
            for _, p in ipairs(party_cues) do
              if p.e < before.s and before.s - p.e <= 2 then
                f.subject = f.subject or p.id
                subject_party_pos[p.s] = true
              end
            end
          end
        end
      end

      for _, f in ipairs(F) do
        if f.measure and counts_something_else(f, measure_words) then
          f.measure = nil
        end
        -- A figure with no noun of its own must stand right before its measure ("70
        -- were injured"); otherwise a cue elsewhere in the sentence ("the number of
        -- stores was 295", "losses of 8.6 mln") would claim it. Fractions are counts of
        -- people only with a noun ("1.2 million refugees").
        if f.measure and not f.own_unit then
          local v = f.m.low or f.m.high or 0
          if not (f.cue_adjacent or f.unit_cue) or v ~= math.floor(v) then f.measure = nil end
          -- a number that names something: "Boeing 747", "Chapter 11", or an age set off
          -- by commas after a name ("Karami, 66, died")
          local before = text:sub(1, f.s - 1)
          if before:match("%u%w*%s$") or
             (before:match("%u%w*,%s*$") and text:sub(f.e + 1, f.e + 1) == ",") then
            f.measure = nil
          end
        end
        if f.measure then
          local claimant, ctext
          local att = attribution_at(atts_by_sentence[si], f.m.start)
          if att and att.value then
            claimant, ctext = att.value, att.text
          elseif att and att.attrs and att.attrs.pronoun and prev_claimant then
            claimant, ctext = prev_claimant, prev_claimant_text
          else
            claimant, ctext = claimant_for(text, lower, party_cues, f.s, f.e, subject_party_pos)
          end
          if not claimant and carried then
            claimant, ctext = prev_claimant, prev_claimant_text
          end
          -- the time the figure refers to: the date named nearest to it in the sentence
          local time, best
          for _, d in ipairs(dates_by_sentence[si] or {}) do
            local dist = math.abs((d.start - s.start + 1) - f.s)
            if not best or dist < best then time, best = d.value, dist end
          end
          if not f.subject then
            -- the nearest party before the figure that is not the claimant
            for _, p in ipairs(party_cues) do
              if p.e < f.s and p.id ~= claimant then f.subject = p.id end
            end
          end
          local m = f.m
          claims[#claims + 1] = {
            measure = f.measure,
            subject = f.subject,
            unit = f.unit,
            low = m.low,
            high = m.high,
            qualifier = m.qualifier,
            claimant = claimant or "unattributed",
            claimant_text = ctext,
            mention = m.index,
            sentence = si,
            time = time,
          }
          if claimant then
            sentence_claimant = claimant
            sentence_claimant_text = ctext
          end
        end
      end
      if sentence_claimant then
        prev_claimant, prev_claimant_text = sentence_claimant, sentence_claimant_text
        prev_paragraph = s.paragraph
      elseif not carried then
        prev_claimant = nil
      end
    end
  end
  -- Context: a figure whose sentence names no subject ("about 100 have died") is about
  -- the party the article counts, when one party is the subject of most of the figures
  -- that name one; a figure with no noun of its own counts what most figures about that
  -- subject count. Neither is guessed when the article is split.
  local function dominant(field, pick)
    local n, count, order = 0, {}, {}
    for _, c in ipairs(claims) do
      local v = pick(c) and c[field]
      if v then
        n = n + 1
        if not count[v] then order[#order + 1] = v end
        count[v] = (count[v] or 0) + 1
      end
    end
    for _, v in ipairs(order) do
      if count[v] * 2 > n and count[v] >= 2 then return v end
    end
  end
  local main_subject = dominant("subject", function() return true end)
  for _, c in ipairs(claims) do
    if not c.subject and main_subject and c.claimant ~= main_subject then
      c.subject = main_subject
    end
  end
  for _, c in ipairs(claims) do
    if not c.unit then
      c.unit = dominant("unit", function(o) return o.subject == c.subject end)
    end
  end
  -- A figure stated again in the same article (a lede restating the body) is linked to
  -- its first statement instead of being counted as a second claim.
  local first = {}
  for i, c in ipairs(claims) do
    local key = table.concat({ c.measure, c.subject or "", c.unit or "",
                               tostring(c.low), tostring(c.high), c.qualifier or "" }, "|")
    if first[key] then c.repeat_of = first[key] else first[key] = i end
  end
  return claims
end

return M
