-- assemble.lua: turns the mentions of one document into claims.
--
-- The engine calls M.assemble(doc) once per document (docs/assembly.md describes `doc`)
-- and stores the list of claims it returns. Each claim is a table:
--   { measure=, subject=, unit=, low=, high=, qualifier=, claimant=, claimant_text=,
--     mention= (index of the quantity mention), sentence= (index), time=, repeat_of= }
-- A claim needs a measure; figures whose measure cannot be told are left out.
--
-- How a figure is read, as a cascade of small grammars over the words of its sentence
-- (docs/assembly.md has the whole account):
--   1. the noun group after the figure: modifiers, a party's adjective, the counted noun
--      ("2,000 Eritrean troops", "900 Lebanese", "300 of its men", "3,000 casualties");
--   2. the verb group after it: "were killed", "had been reported missing", "died";
--   3. else the words before it: a verb whose object it is ("killing 40 people") or a
--      toll whose value it is ("the death toll rose to 63");
--   4. the attribution frame, from the attribution plugin: who gives the figure.
-- What counts as a measure, a unit, a party or a function word is vocabulary, in
-- scripts/vocab/*.lua; this file is the logic that ties them to a figure.

local W = require("lib.words")

-- The default vocabularies, with the files named by `vocabularies` in the
-- configuration merged over them (cc.vocabularies: a list of tables such as
-- { parties = { red_cross = { "Red Cross" } }, measures = { displaced = {...} } }).
-- Names given for an existing id are added to it; new ids are added. A measure is
-- either a plain list of cues or a table of lists (after, nouns, before, units,
-- default_for: vocab/measures.lua).
local function extras(name)
  local out = {}
  for _, extra in ipairs(cc and cc.vocabularies or {}) do
    if extra[name] then out[#out + 1] = extra[name] end
  end
  return out
end

local function merged(name, default)
  local out = {}
  local function add(id, list)
    out[id] = out[id] or {}
    for _, v in ipairs(list) do table.insert(out[id], v) end
  end
  for id, list in pairs(default) do add(id, list) end
  for _, extra in ipairs(extras(name)) do
    for id, list in pairs(extra) do add(id, list) end
  end
  return out
end

-- Measures: every entry becomes { after = {}, nouns = {}, before = {}, units =, default_for = }.
local measures = {}
do
  local function add(id, def, own)
    local m = measures[id] or { after = {}, nouns = {}, before = {}, own = {} }
    measures[id] = m
    if def[1] ~= nil then   -- a plain list: every position
      for _, p in ipairs(def) do
        table.insert(m.after, p); table.insert(m.before, p)
        if own then m.own[p] = true end
      end
    end
    for _, k in ipairs({ "after", "nouns", "before" }) do
      for _, p in ipairs(def[k] or {}) do
        table.insert(m[k], p)
        if own then m.own[p] = true end
      end
    end
    -- the word lists, as sets; a file merged over the defaults adds to them
    for _, k in ipairs({ "units", "default_for", "default_nouns", "context", "noun_cues",
                         "party_cues", "weak_nouns", "weak_cues" }) do
      for _, w in ipairs(def[k] or {}) do
        m[k] = m[k] or {}
        m[k][w] = true
      end
    end
  end
  for id, def in pairs(require("vocab.measures")) do add(id, def) end
  for _, extra in ipairs(extras("measures")) do
    for id, def in pairs(extra) do add(id, def, true) end
  end
end

local units = merged("units", require("vocab.units"))
local persons = require("vocab.persons")
for _, extra in ipairs(extras("persons")) do
  for _, p in ipairs(extra) do persons[#persons + 1] = p end
end
local parties = merged("parties", require("vocab.gazetteer"))
local attribution = merged("attribution", require("vocab.attribution"))
local G = require("vocab.grammar")

local M = {}

-- Compiled once: tries over the cue phrases and nouns, sets of function words.
local AFTER, NOUNS, BEFORE = W.trie(), W.trie(), W.trie(true)
local TOLL_CUE = {}       -- before-cues that are nouns (a toll, a number): may stand far
local TOLL_WORD = {}      -- before-cues with a toll word in them ("death toll", "number of")
local NOUN_CUE = {}       -- before-cues that are nouns of any kind ("losses", "loss of")
local toll_words = W.set({ "toll", "tolls", "number", "count", "figure", "figures", "total",
                           "tally" })
-- Measure ids in a fixed order: a phrase two measures share resolves the same way in
-- every run (pairs() order differs from one Lua state to the next).
-- The measures of the analyst's own vocabularies come first, so that a cue they share
-- with a default measure ("evacuated") is theirs.
local MEASURE_IDS = {}
do
  local seen, own = {}, {}
  for _, extra in ipairs(extras("measures")) do
    for id in pairs(extra) do own[#own + 1] = id end
  end
  table.sort(own)
  local rest = {}
  for id in pairs(measures) do rest[#rest + 1] = id end
  table.sort(rest)
  for _, list in ipairs({ own, rest }) do
    for _, id in ipairs(list) do
      if not seen[id] then seen[id] = true; MEASURE_IDS[#MEASURE_IDS + 1] = id end
    end
  end
end

-- The analyst's own cues are added first: a phrase resolves to the first measure that
-- lists it.
for _, own in ipairs({ true, false }) do
  for _, id in ipairs(MEASURE_IDS) do
    local m = measures[id]
    local nounset = W.set(m.nouns)
    local afterset = W.set(m.after)
    local function mine(p) return (m.own[p] == true) == own end
    for _, p in ipairs(m.after) do if mine(p) then AFTER:add(p, id) end end
    for _, p in ipairs(m.nouns) do if mine(p) then NOUNS:add(p, id) end end
    for _, p in ipairs(m.before) do
      if mine(p) then
        BEFORE:add(p, id)
        local noun = nounset[p]
        local ws = W.words(p)
        for _, w in ipairs(ws) do if toll_words[w] then noun = true end end
        for _, w in ipairs(ws) do if toll_words[w] then TOLL_WORD[p] = true end end
        -- a toll is a noun; a participle ("killed") only with a toll word in it
        if noun and (TOLL_WORD[p] or not afterset[p]) then TOLL_CUE[p] = true end
        -- a noun, not a participle that also follows a figure ("injured 185")
        if (nounset[p] or ws[#ws] == "of" or noun) and not afterset[p] then NOUN_CUE[p] = true end
      end
    end
  end
end

local UNIT = W.trie()     -- counted nouns -> unit id
local REAL_UNIT = {}      -- the ids of vocab/units.lua (not a person noun of its own)
local unit_ids = {}
for id in pairs(units) do unit_ids[#unit_ids + 1] = id end
table.sort(unit_ids)
for _, id in ipairs(unit_ids) do
  local nouns = units[id]
  REAL_UNIT[id] = true
  for _, n in ipairs(nouns) do UNIT:add(n, id) end
end
for _, n in ipairs(persons) do
  UNIT:add(n, n)
  local s = W.singular(n)
  if s ~= n then UNIT:add(s, n) end
end

local VG = W.set(G.verb_group)
local NEG = W.set(G.negation)
local LINK = W.set(G.link)
local PREP = W.set(G.prepositions)
local MOD = W.set(G.modifiers)
local UNDERGO = W.set(G.undergo)
local MILITARY = W.set(G.military)
local FORCES = W.trie()
for _, f in ipairs(G.forces or {}) do FORCES:add(f, true) end
local MIL_MOD = W.set(G.military_modifiers)
local ADVERB = W.set(G.adverbs)
local JOIN = W.trie(true)
for _, j in ipairs(G.joiners) do JOIN:add(j, true) end
local REVISION = W.trie(true)
for _, j in ipairs(G.revisions or {}) do REVISION:add(j, true) end
local CONT = W.trie()
for _, c in ipairs(G.continuations) do CONT:add(c, true) end

-- The old vocabulary logic, used for a claimant when the attribution plugin did not
-- run: "citing X", "according to X", "X said".
local ATTR = { verb = W.trie(), before = W.trie(), citing = W.trie() }
for _, p in ipairs(attribution.verbs or {}) do ATTR.verb:add(p, true) end
for _, p in ipairs(attribution.before_source or {}) do ATTR.before:add(p, true) end
for _, p in ipairs(attribution.citing or {}) do ATTR.citing:add(p, true) end

-- ------------------------------------------------------------------------------------
-- A sentence as tokens, with figures and parties folded into single tokens.

-- Tokens of sentence `s` with the figure mentions `figs` and entity mentions `ents`
-- folded in: a figure token has .fig (its record), an entity token .party and .adj.
local function sentence_tokens(s, figs, ents)
  local raw = W.tokenize(s.text)
  local spans = {}
  for _, f in ipairs(figs) do spans[#spans + 1] = { s = f.s, e = f.e, fig = f } end
  for _, m in ipairs(ents or {}) do
    local a = m.start - s.start + 1
    spans[#spans + 1] = { s = a, e = m["end"] - s.start, party = m.value,
                          adj = m.attrs and m.attrs.adjective,
                          poss = m.attrs and m.attrs.possessive }
  end
  table.sort(spans, function(a, b) return a.s < b.s end)
  local out, si = {}, 1
  local i = 1
  while i <= #raw do
    local t = raw[i]
    while spans[si] and spans[si].e < t.s do si = si + 1 end
    local sp = spans[si]
    if sp and sp.s <= t.e and sp.e >= t.s then
      -- fold every token the span touches
      local j = i
      while raw[j + 1] and raw[j + 1].s <= sp.e do j = j + 1 end
      local text = s.text:sub(math.min(sp.s, t.s), math.max(sp.e, raw[j].e))
      local tok = { s = math.min(sp.s, t.s), e = math.max(sp.e, raw[j].e), w = text,
                    l = text:lower(), fig = sp.fig, party = sp.party, adj = sp.adj,
                    poss = sp.poss }
      if sp.fig then sp.fig.tok = #out + 1 end
      out[#out + 1] = tok
      i = j + 1
      si = si + 1
    else
      out[#out + 1] = t
      i = i + 1
    end
  end
  return out
end

local function is_word(t) return t and not t.punct and not t.fig end
local compound, joins, coordinated_np
local MILITARY_UNIT, side_of
-- words that end a noun group without being part of it
local STOP = W.set({ "and", "or", "but", "while", "as", "than", "who", "which", "that",
                     "whom", "whose", "when", "where", "after", "before", "because", "if",
                     "including", "according", "since", "until", "so", "nor", "yet" })
local PART = W.set({ "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                     "ten", "many", "some", "most", "several", "few", "each", "both", "all",
                     "half", "dozens", "hundreds", "scores", "majority", "rest" })
local NONE = W.set({ "any", "none", "neither", "no", "nobody" })
local PRONOUN_ID = W.set({ "he", "she", "it", "they", "we", "i", "you", "mr", "mrs", "ms",
                           "dr", "sir", "one", "this", "that", "who" })
local MODAL = W.set({ "could", "would", "might", "may", "can", "will", "shall", "should",
                      "must", "cannot" })
local DET = W.set({ "the", "a", "an", "this", "that", "these", "those", "another", "some",
                    "all", "its", "their", "his", "her", "our", "further", "only" })
local QUOTE = W.set({ '"', "'", "\u{201C}", "\u{201D}", "\u{2019}", "\u{2018}" })

-- A token whose words are all capitals (a headline): cue words are matched on lower case
-- anyway; this tells a name ("Boeing 747") from a headline word ("KILLS 18").
local function shouting(toks)
  local letters, upper = 0, 0
  for _, t in ipairs(toks) do
    if not t.punct then
      for c in t.w:gmatch("%a") do
        letters = letters + 1
        if c:match("%u") then upper = upper + 1 end
      end
    end
  end
  return letters >= 8 and upper * 10 >= letters * 9
end

-- ------------------------------------------------------------------------------------
-- The grammar of one figure.

-- The noun group after the figure at token k: returns a table
--   { head = token index after the group, unit =, subject =, noun_measure =,
--     own = true when the figure has a noun of its own, other = true when that noun
--     counts something other than people, partitive = index of a base figure }
local function noun_group(T, k)
  local g = { head = k + 1 }
  local j = k + 1
  -- "-strong": "a 4,000-strong force"
  if T[j] and T[j].l == "-" and T[j + 1] and T[j + 1].l == "strong" then
    g.strong = true
    j = j + 2
    while T[j] and is_word(T[j]) and not UNIT:match(T, j) and MOD[T[j].l] do j = j + 1 end
    if T[j] and T[j].party then g.subject = T[j].party; j = j + 1 end
    local fe = FORCES:match(T, j) or UNIT:match(T, j)
    if not fe then
      g.other, g.head = true, j      -- "a 26-strong research unit"
      return g
    end
    g.unit, g.own, g.noun = "soldiers", true, "forces"
    g.head = fe + 1
    return g
  end
  -- partitive: "300 of its men", "12 of the 300 passengers", "15 of them"
  if T[j] and T[j].l == "of" then
    local p = j + 1
    while T[p] and (T[p].l == "the" or T[p].l == "its" or T[p].l == "their" or
                    T[p].l == "these" or T[p].l == "those" or T[p].l == "his" or
                    T[p].l == "her" or T[p].l == "our") do
      p = p + 1
    end
    if T[p] and (T[p].l == "them" or T[p].l == "whom" or T[p].l == "those") then
      g.head = p + 1
      return g
    end
    if T[p] and T[p].fig then g.partitive = p; p = p + 1 end
    if T[p] and (UNIT:match(T, p) or NOUNS:match(T, p) or T[p].party or
                 (MOD[T[p].l] and T[p + 1] and UNIT:match(T, p + 1))) then
      j = p
    elseif not g.partitive and T[p] and is_word(T[p]) and not STOP[T[p].l] and
           not VG[T[p].l] then
      g.other = true          -- "three billion of its accounts"
      return g
    elseif g.partitive then
      -- "12 of the 300 passengers and crew": the group after the base figure must
      -- count people somewhere in it ("six of their 10 seats" counts seats)
      local n, people = 0, false
      while T[p] and is_word(T[p]) and not VG[T[p].l] and n < 4 and not AFTER:match(T, p) and
            (not STOP[T[p].l] or ((T[p].l == "and" or T[p].l == "or") and n > 0 and
                                  is_word(T[p + 1]) and not VG[T[p + 1].l])) do
        if UNIT:match(T, p) or T[p].party then people = true end
        p = p + 1
        n = n + 1
      end
      if not people then
        g.other = true
        return g
      end
      g.own, g.head = true, p
      return g
    else
      return g
    end
  end
  -- a closing quotation mark: '"several hundred" casualties'
  while T[j] and T[j].punct and QUOTE[T[j].l] do j = j + 1 end
  local mods = 0
  while T[j] and mods <= 4 do
    local t = T[j]
    if t.fig or t.punct then break end
    -- a measure noun: "3,000 casualties", "31 deaths", "1,200 lives"; but one before
    -- another noun describes it ("one wounded soldier")
    local ne, nm = NOUNS:match(T, j)
    local ue, uid = UNIT:match(T, j)
    local nx = ne and T[ne + 1]
    local adjective = ne and nx and (nx.party or (is_word(nx) and (UNIT:match(T, ne + 1) or
                                                                   MOD[nx.l])) or
                                     compound(T, ne + 1))
    if adjective then
      g.adj_measure = g.adj_measure or nm[1]   -- "45 injured people", if nothing else
      mods = mods + 1
      j = ne + 1
    elseif ne and (not ue or ne >= ue) then
      g.noun_measure, g.own = nm[1], true
      local def = measures[nm[1]]
      if def and def.weak_nouns and ne == j and def.weak_nouns[t.l] then
        -- "1,200 lives" only after "the loss of", "claimed", ...
        local weak = true
        for i = k - 1, math.max(1, k - 4), -1 do
          if def.weak_cues and def.weak_cues[T[i].l] then weak = false break end
        end
        -- or after it, across the verb group: "64 bodies were recovered"
        local i = ne + 1
        while weak and T[i] and i <= ne + 4 and (VG[T[i].l] or (def.weak_cues and
                                                                  def.weak_cues[T[i].l])) do
          if def.weak_cues and def.weak_cues[T[i].l] then weak = false end
          i = i + 1
        end
        if weak then g.noun_measure = nil end
      end
      g.unit = ue == ne and REAL_UNIT[uid[1]] and uid[1] or g.mod_unit
      g.head = ne + 1
      return g
    elseif ue and (compound(T, ue + 1) or
                   (is_word(T[ue + 1]) and not STOP[T[ue + 1].l] and not VG[T[ue + 1].l] and
                    (UNIT:match(T, ue + 1) or (T[ue + 1].w:find("^%u") and
                                               UNIT:match(T, ue + 2))))) then
      -- the last noun is the head: "National Guard troops", "police officers' union"
      -- a noun before another noun describes it: "enemy tanks", "civilian deaths"
      g.mod_unit = g.mod_unit or uid[1]
      mods = mods + 1
      j = ue + 1
    elseif ue then
      g.unit, g.own = uid[1], true
      g.noun = T[ue].l
      -- "1,000 sales personnel": a word before the noun that no military unit takes
      for i = k + 1, j - 1 do
        local w = T[i]
        if is_word(w) and not w.party and not MIL_MOD[w.l] and not MOD[w.l] then
          g.civil = true
        end
        if w.l == "civilian" then g.unit = "civilians" end
      end
      g.head = ue + 1
      -- "passengers and crew", "women and children"
      local a = T[ue + 1]
      if a and (a.l == "and" or a.l == "or") then
        local e2 = UNIT:match(T, ue + 2)
        if e2 then g.head = e2 + 1 end
      end
      return g
    elseif t.party then
      local nx = T[j + 1]
      if nx and is_word(nx) and (UNIT:match(T, j + 1) or NOUNS:match(T, j + 1) or
                                 (MOD[nx.l] and not VG[nx.l]) or compound(T, j + 1)) then
        g.subject = t.party         -- "Eritrean troops", "Sudanese civilian casualties"
        mods = mods + 1
        j = j + 1
      else
        -- a demonym is the noun: "900 Lebanese", "212 Somalis"
        g.subject, g.unit, g.own = t.party, "people", true
        g.head = j + 1
        return g
      end
    elseif AFTER:match(T, j) and compound(T, AFTER:match(T, j) + 1) then
      -- a participle before a noun describes it: "5,000 affected vehicles"
      mods = mods + 1
      j = AFTER:match(T, j) + 1
    elseif not STOP[t.l] and
           ((MOD[t.l] or MIL_MOD[t.l]) and not AFTER:match(T, j) or
            (t.w:find("^%u") or UNIT:match(T, j + 1) or
             (is_word(T[j + 1]) and not STOP[T[j + 1].l] and UNIT:match(T, j + 2))) and
            not VG[t.l] and not PREP[t.l] and not AFTER:match(T, j) and not LINK[t.l]) then
      mods = mods + 1
      j = j + 1
    else
      break
    end
  end
  -- no noun of ours: either a bare figure ("70 were injured") or another noun
  local t = T[j]
  if (t and is_word(t) and not VG[t.l] and not PREP[t.l] and not NEG[t.l] and
                  not LINK[t.l] and not AFTER:match(T, j) and t.l ~= "and" and t.l ~= "or" and
                  t.l ~= "but" and t.l ~= "while" and t.l ~= "as" and t.l ~= "than" and
                  t.l ~= "including" and t.l ~= "people" and not NOUNS:match(T, j) and
                  not STOP[t.l] and not ADVERB[t.l]) then
    g.other = true
  end
  g.head = j
  return g
end

-- Whether the word at i goes on a noun group (so the noun before it is a modifier):
-- a lower-case word that is no function word, cue or conjunction ("tanks" after "enemy").
compound = function(T, i)
  local t = T[i]
  if not is_word(t) or t.party or t.w:find("^%u") then return false end
  if VG[t.l] or PREP[t.l] or NEG[t.l] or LINK[t.l] or STOP[t.l] then return false end
  if AFTER:match(T, i) or JOIN:match(T, i) then return false end
  if ADVERB[t.l] or (#t.l > 4 and t.l:find("ly$")) then return false end
  -- a participle after a noun is its verb, not a second noun ("troops supported by tanks")
  if #t.l > 4 and ((t.l:find("ed$") and not t.l:find("eed$")) or t.l:find("ing$")) then
    return false
  end
  return true
end

-- The end of a noun group at i that a verb group follows ("a security guard were
-- killed"): the index of that verb group's first word, or nil.
coordinated_np = function(T, i)
  local p, n = i, 0
  while T[p] and n < 6 do
    local t = T[p]
    if VG[t.l] and n > 0 then return p end
    if t.punct or STOP[t.l] or AFTER:match(T, p) or PREP[t.l] or VG[t.l] then return nil end
    p = p + 1
    n = n + 1
  end
  return nil
end

-- The cue after the noun group (or the bare figure): returns measure, cue end, negated.
local function after_cue(T, k, g)
  local j = g.head
  local budget = g.own and 7 or 4
  local negated = false
  local crossed_pp = false
  while T[j] and budget > 0 do
    local t = T[j]
    if t.fig then return nil end
    local e, ids = AFTER:match(T, j)
    if e then
      -- "could be killed", "can be saved": what may happen, not what did
      if T[j - 1] and T[j - 1].l == "be" and T[j - 2] and MODAL[T[j - 2].l] then return nil end
      -- "10 live or dead insects": a cue before a noun of something else describes it
      if not g.own and compound(T, e + 1) and not UNIT:match(T, e + 1) then return nil end
      -- "a gunman who had killed two students": a verb with an object after it makes the
      -- figure its agent, not its victim
      local o = T[e + 1]
      if o and (o.fig or o.party or (is_word(o) and (UNIT:match(T, e + 1) or DET[o.l]))) and
         BEFORE:match(T, e) then
        return nil
      end
      return ids, e, negated, crossed_pp
    end
    if NEG[t.l] then
      negated = true
    elseif t.punct and t.l == "," and T[j + 1] and is_word(T[j + 1]) and
           (T[j + 1].l == "including" or T[j + 1].l == "among" or T[j + 1].l == "who" or
            T[j + 1].l == "which" or (#T[j + 1].l > 4 and T[j + 1].l:find("ing$"))) then
      -- "six people, including three soldiers, were wounded", "two of the crew,
      -- operating out of the capital, were killed": over the aside, to the last comma
      -- before a verb group
      local p, stop = j + 1, nil
      while T[p] and p < j + 24 do
        if T[p].l == "," and T[p + 1] and (VG[T[p + 1].l] or AFTER:match(T, p + 1)) then
          stop = p
          break
        end
        p = p + 1
      end
      if not stop then return nil end
      j = stop
    elseif t.punct then
      if t.l ~= "-" then return nil end
    elseif (VG[t.l] and not (t.l == "to" and T[j + 1] and not VG[T[j + 1].l] and
                             not AFTER:match(T, j + 1))) or t.l == "-" then
      -- carry on
    elseif (PREP[t.l] or t.l == "including" or t.l == "to") and g.own and not crossed_pp then
      -- "five people in a car were killed": a short phrase, then the verb group
      local p = j + 1
      local n = 0
      local incl = t.l == "including" or t.l == "among"   -- "were among 11 people killed"
      while T[p] and n < 12 and (is_word(T[p]) or incl and T[p].fig) and not VG[T[p].l] and
            (not AFTER:match(T, p) or compound(T, AFTER:match(T, p) + 1)) do
        p = p + 1
        n = n + 1
      end
      -- the phrase runs to the end of the clause: no verb of its own after it
      if not T[p] or n >= 12 or (T[p].fig and not incl) or
         (T[p].punct and T[p].l ~= "-" and T[p].l ~= ",") then
        return nil
      end
      crossed_pp = true
      j = p - 1
    elseif (t.l == "and" or t.l == "or") and g.own and T[j + 1] and not AFTER:match(T, j + 1) and
           not VG[T[j + 1].l] and coordinated_np(T, j + 1) then
      -- "a museum worker and a security guard were killed", "14 soldiers and 9
      -- civilians were killed": over the second noun group to the shared verb
      j = coordinated_np(T, j + 1) - 1
    elseif T[j + 1] and (T[j + 1].l == "and" or T[j + 1].l == "or") and AFTER:match(T, j + 2) then
      -- "were beaten and shot to death": the cue is the second of two verbs
      local e2, ids2 = AFTER:match(T, j + 2)
      if not g.own and compound(T, e2 + 1) and not UNIT:match(T, e2 + 1) then return nil end
      return ids2, e2, negated, crossed_pp
    else
      -- another verb: the figure has a predicate of its own ("44 remain trapped"),
      -- unless what happened to them next follows ("were trapped for a day before being
      -- rescued", "until they were brought out")
      for p = j + 1, math.min(#T - 1, j + 12) do
        if T[p].fig or (T[p].punct and T[p].l ~= "-") then break end
        if T[p].l == "before" or T[p].l == "until" or T[p].l == "till" then
          local q = p + 1
          while T[q] and q <= p + 3 and (VG[T[q].l] or T[q].l == "they" or
                                          T[q].l == "being") do
            q = q + 1
          end
          local e2, ids2 = AFTER:match(T, q)
          if e2 then return ids2, e2, negated, crossed_pp end
          break
        end
      end
      return nil, nil, nil, nil, not STOP[t.l] and not JOIN:match(T, j)
    end
    j = j + 1
    budget = budget - 1
  end
  return nil
end

-- The cue before the figure at k: a verb whose object it is, right before it ("killing
-- 40"), or a toll whose value it is, further back ("the toll in the village rose to 63").
-- Returns measure ids, the cue's first token, whether it is a toll.
local function before_cue(T, k)
  -- right before: at most two linking words between
  local j = k - 1
  local gap = 0
  while T[j] and gap <= 2 do
    local e, ids, ph = BEFORE:match(T, j)
    if e then
            -- a verb in the infinitive or after a modal is no report of a count ("the
      -- ability to kill millions", "could kill 100")
      local v = T[e - 1]
      if v and (v.l == "to" or MODAL[v.l]) and not (ph and NOUN_CUE[ph]) then return nil end
      local noun = ph and NOUN_CUE[ph] or false
      -- a noun cue right against a figure with no noun of its own is no count of people
      -- ("losses 426 mln", "a loss of 77,000"); a toll linked to it is ("casualties at
      -- 3,000", "a death toll of 63")
      if noun and gap == 0 and not (ph and TOLL_WORD[ph]) then noun = "bare" end
      return ids, e, ph and TOLL_CUE[ph] or false, noun, ph
    end
    if not (T[j].l == "a" or T[j].l == "an" or T[j].l == "some" or T[j].l == "another" or
            T[j].l == "the" or T[j].l == "all" or T[j].l == "further" or
            T[j].l == "total" or T[j].l == "of" or T[j].l == "at" or T[j].l == "to" or
            LINK[T[j].l] and gap == 0 and T[j].l ~= "and" and T[j].l ~= "by") then
      break
    end
    j = j - 1
    gap = gap + 1
  end
  -- further back, a toll only: the word before the figure links it ("at", "to", "of",
  -- "was"), and nothing between is another figure or ends a clause
  if not (T[k - 1] and LINK[T[k - 1].l]) then return nil end
  j = k - 1
  local steps = 0
  while T[j] and steps < 16 do
    local t = T[j]
    -- a figure of something else may stand in a phrase between ("in the two villages")
    if (t.fig and not t.fig.other) or (t.punct and t.l ~= "-" and t.l ~= "'" and t.l ~= "’") then
      return nil
    end
    if t.l == "and" or t.l == "but" or t.l == "while" or t.l == "when" or t.l == "after" then
      return nil
    end
    local e, ids, ph = BEFORE:match(T, j)
    if e and TOLL_CUE[ph] then return ids, e, true, true, ph end
    j = j - 1
    steps = steps + 1
  end
  return nil
end

-- A counted noun named before the figure: "put the number of Sudanese soldiers in the
-- region at 9,000" counts soldiers. Returns the unit, the party before it and the noun.
local COUNT_OF = W.trie(true)
for _, p in ipairs({ "number of", "total of", "strength of", "count of", "tally of" }) do
  COUNT_OF:add(p, true)
end
local function counted_before(T, k)
  if not (T[k - 1] and LINK[T[k - 1].l]) then return nil end
  for j = k - 2, math.max(1, k - 14), -1 do
    local t = T[j]
    if t.fig or (t.punct and t.l ~= "-") or t.l == "and" then return nil end
    local e, uid = UNIT:match(T, j)
    if e and e < k then
      -- back over modifiers and a party to "number of"
      local i, subject = j - 1, nil
      while T[i] and (T[i].party or MOD[T[i].l]) and not COUNT_OF:match(T, i) do
        if T[i].party then subject = T[i].party end
        i = i - 1
      end
      if COUNT_OF:match(T, i) then return uid[1], subject, T[e].l end
    end
  end
  return nil
end

-- The party whose people a toll counts: "Eritrean casualties", "Eritrea's death toll".
local function party_before(T, i)
  local j = i - 1
  if T[j] and (T[j].l == "'s" or T[j].l == "’s") then j = j - 1 end
  if T[j] and T[j].party then return T[j].party end
  return nil
end

-- The party of the noun group before an undergoing verb right before the figure:
-- "Eritrean troops suffered 2,500 casualties", "Eritrea lost 2,500 men".
local function undergoer(T, k)
  local j = k - 1
  if not (T[j] and UNDERGO[T[j].l]) then return nil end
  j = j - 1
  local n = 0
  while T[j] and n < 4 and is_word(T[j]) or (T[j] and T[j].party) do
    if T[j].party then return T[j].party end
    if T[j].l == "its" or T[j].l == "their" then return nil end
    j = j - 1
    n = n + 1
  end
  return nil
end

-- ------------------------------------------------------------------------------------
-- Claimants.

-- A stable id from a source's words, for a source that names no party: "the interior
-- ministry" -> interior_ministry. The attribution plugin gives one (attrs.source_id);
-- this is for plugins that do not.
local DROP = W.set({ "a", "an", "the", "some", "senior", "top", "local", "unnamed",
                     "one", "two", "three", "several", "many", "other", "its", "their",
                     "his", "her", "this", "that", "these", "those" })
local function source_id(text)
  if not text or text:find("^%W*%d") then return nil end
  text = text:gsub(",.*$", ""):gsub("%s+[Ww][hH][oO]%s.*$", ""):gsub("%s+that%s.*$", "")
             :gsub("%s+which%s.*$", "")
  local ws = {}
  for w in text:lower():gmatch("[%w']+") do
    if not DROP[w] then ws[#ws + 1] = w:gsub("'", "") end
  end
  if #ws == 0 then return nil end
  while #ws > 3 do table.remove(ws, 1) end
  return table.concat(ws, "_")
end

-- The attribution (a mention of the attribution plugin) that governs byte offset
-- `pos`: among those whose scope holds it, the one whose words end nearest before it,
-- else the nearest after it ("..., Zelensky said").
local function attribution_at(list, pos)
  local best, best_d
  for _, a in ipairs(list or {}) do
    local sc = a.attrs or {}
    local lo, hi = sc.scope_start or a.start, sc.scope_end or a["end"]
    if pos >= lo and pos < hi and not sc.negated then
      local d = a["end"] <= pos and (pos - a["end"]) or (a.start - pos) + 100000
      if not best_d or d < best_d then best, best_d = a, d end
    end
  end
  return best
end

-- Party names as case-sensitive token sequences, for a source whose party the entities
-- plugin did not know (a party of the analyst's own vocabulary file).
local PARTY = W.trie()
do
  -- only the names of the analyst's own vocabulary files: the gazetteer's are the
  -- entities plugin's, which already decided ("Gold Reef of South Africa Ltd" is a
  -- company, not South Africa)
  local own = {}
  for _, extra in ipairs(extras("parties")) do
    for id, names in pairs(extra) do
      own[id] = own[id] or {}
      for _, n in ipairs(names) do table.insert(own[id], n) end
    end
  end
  local ids = {}
  for id in pairs(own) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do
    for _, name in ipairs(own[id]) do
      local ws = {}
      for _, t in ipairs(W.tokenize(name)) do ws[#ws + 1] = t.w end
      if #ws > 0 then PARTY:add_words(ws, id) end
    end
  end
end
local INSTITUTION = W.trie()
for _, p in ipairs(attribution.institutions or {}) do INSTITUTION:add(p, true) end
local SOURCE_DET = W.set({ "the", "a", "an", "its", "state", "official", "senior", "local",
                           "top", "state-run", "country's", "nation's", "national" })
-- Whether a source's words are only a state body ("the army", "the military high
-- command", "police").
local function institution(text)
  if not text then return false end
  local T = W.tokenize((text:gsub(",.*$", "")))
  local i = 1
  while T[i] and SOURCE_DET[T[i].l] do i = i + 1 end
  local e = INSTITUTION:match(T, i)
  return e ~= nil and e == #T
end

-- The party an article is about: the one named most often, when it is named at least
-- twice and more often than any other.
local function main_party(doc)
  local n = {}
  for _, m in ipairs(doc.mentions) do
    if m.kind == "entity" and m.value then n[m.value] = (n[m.value] or 0) + 1 end
  end
  local best, bn, second = nil, 0, 0
  local ids = {}
  for id in pairs(n) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do
    if n[id] > bn then best, second, bn = id, bn, n[id]
    elseif n[id] > second then second = n[id] end
  end
  if best and bn >= 2 and bn > second then return best end
  return nil
end

local function party_in(text)
  if not text then return nil end
  local T = W.tokenize(text)
  local key = function(t) return t.w end
  for i = 1, #T do
    local e, ids = PARTY:match(T, i, key)
    if e then return ids[1] end
  end
  return nil
end

-- Claimant from the vocabulary alone (no attribution plugin): "citing X" wins, then
-- "according to X", then a party right before an attribution verb.
local function claimant_by_words(T, subject_tok)
  for i = 1, #T do
    if ATTR.citing:match(T, i) then
      for p = i + 1, math.min(#T, i + 8) do
        if T[p].party and not subject_tok[p] then return T[p].party, T[p].w end
      end
    end
  end
  for i = 1, #T do
    local e = ATTR.before:match(T, i)
    if e then
      for p = e + 1, math.min(#T, e + 8) do
        if T[p].party and not subject_tok[p] then return T[p].party, T[p].w end
      end
    end
  end
  for i = 1, #T do
    if ATTR.verb:match(T, i) then
      for p = i - 1, math.max(1, i - 6), -1 do
        if T[p].party and not subject_tok[p] then return T[p].party, T[p].w .. " " .. T[i].w end
      end
    end
  end
  return nil
end

-- ------------------------------------------------------------------------------------

-- Whether a joiner ends at token j and only small words stand between it and the figure
-- at k: "killed 14 and wounded 9" joins 9 to 14's noun, "killed 1,500 soldiers and
-- destroyed 45 tanks" does not give 45 the measure of 1,500.
local BETWEEN = W.set({ "the", "a", "an", "another", "some", "about", "nearly", "almost",
                        "at", "least", "more", "than", "up", "to", "over", "around", ",",
                        "roughly", "approximately", "further", "them", "whom", "which" })
joins = function(T, j, k)
  if not JOIN:match(T, j) then return false end
  for i = j + 1, k - 1 do
    if not BETWEEN[T[i].l] then return false end
  end
  return true
end

-- A joiner within the four words before the figure at k, after the figure at pk.
local function loosely_joined(T, pk, k)
  for j = k - 1, math.max(pk + 1, k - 4), -1 do
    if JOIN:match(T, j) then return true end
  end
  return false
end

local function quantity_ok(m)
  if m.kind ~= "quantity" then return false end
  local role = m.attrs and m.attrs.role or "count"
  return role == "count"
end

-- Whether a measure may count a unit (vocab/measures.lua, `units`).
local function unit_fits(measure, unit)
  local def = measures[measure]
  return not (def and def.units) or def.units[unit or ""] == true
end

-- Soldiers belong to a side even where the sentence does not say it next to the figure:
-- troops deployed are those of the party before them ("Turkey has massed 20,000
-- troops"); soldiers killed, those of the country they fell in ("killed 12 soldiers in
-- northern Mali"). A party inside the source's words is not a side.
MILITARY_UNIT = W.set({ "soldiers", "officers", "generals" })
side_of = function(T, k, measure, att, s)
  local lo, hi = -1, -1
  if att and att.attrs and att.attrs.source_start then
    lo = att.attrs.source_start - s.start + 1
    hi = att.attrs.source_end - s.start
  end
  local function usable(t) return t.party and not (t.s >= lo and t.e <= hi) end
  -- "government troops fled, leaving 140 men killed": the dead are the fleeing side's
  if T[k - 1] and (T[k - 1].l == "leaving" or T[k - 1].l == "left") and T[k - 2] and
     T[k - 2].l == "," then
    for j = k - 3, math.max(1, k - 40), -1 do
      if T[j].fig or T[j].l == ";" then break end
      if usable(T[j]) then return T[j].party end
    end
  end
  if measure ~= "deployed" then
    for j = k + 1, math.min(#T, k + 10) do
      local t = T[j]
      if t.fig or (t.punct and t.l ~= "-") then break end
      if t.l == "in" or t.l == "inside" then
        for i = j + 1, math.min(#T, j + 4) do
          if usable(T[i]) and not T[i].adj then return T[i].party end
          if not is_word(T[i]) then break end
        end
      end
    end
  end
  for j = k - 1, math.max(1, k - 40), -1 do
    local t = T[j]
    if t.fig then break end
    if usable(t) then
      -- the agent of a verb of the measure is the other side ("Northern troops killed")
      if measure == "deployed" then return t.party end
      return nil
    end
  end
  return nil
end

-- The set of the lower-case words of a text (read once a document, for the military
-- words and the measures' context words).
local function word_set(text)
  local set = {}
  for w in text:lower():gmatch("%a[%a%-]*") do set[w] = true end
  return set
end

-- Whether any word of `list` (a set) is in `words` (a set).
local function any_in(list, words)
  for w in pairs(list) do
    if words[w] then return true end
  end
  return false
end

-- Reads the figures of one sentence: returns a list of records
-- { m = mention, measure =, subject =, unit =, negated = }.
local function read_sentence(s, figs, ents, mil, in_context)
  local F = {}
  for _, m in ipairs(figs) do
    F[#F + 1] = { m = m, s = m.start - s.start + 1, e = m["end"] - s.start }
  end
  local T = sentence_tokens(s, F, ents)
  local caps = shouting(T)
  local subject_tok = {}
  local partitive_base = {}

  for i, f in ipairs(F) do
    local k = f.tok
    if k then
      local g = noun_group(T, k)
      if g.partitive then partitive_base[g.partitive] = true end
      f.unit, f.subject, f.own, f.noun_measure = g.unit, g.subject, g.own, g.noun_measure
      f.noun = g.noun
      f.civil = g.civil
      if g.subject then
        for p = k + 1, g.head - 1 do if T[p].party then subject_tok[p] = true end end
      end
      if f.unit == "men" then
        -- "140 men killed" in a battle are soldiers; "one man" is a man
        f.unit = mil and g.noun == "men" and "soldiers" or "people"
        f.men = true      -- a guess: no default measure from it
      end
      if g.other then
        f.other = true
      else
        -- the verb after the noun group wins over the noun's own measure ("15
        -- prisoners were killed"), unless a phrase stands between them
        local ids, _, negated, far, own_verb = after_cue(T, k, g)
        f.own_verb = own_verb
        if ids and not (far and g.noun_measure) and unit_fits(ids[1], f.unit) then
          f.measure, f.negated = ids[1], negated
        elseif g.noun_measure then
          f.measure = g.noun_measure
        end
        if g.strong and not f.measure then f.measure = "deployed" end
        if not f.measure then
          local bids, bstart, toll, noun_cue, phrase = before_cue(T, k)
          local pdef = bids and measures[bids[1]]
          if pdef and pdef.party_cues and pdef.party_cues[phrase] and
             not party_before(T, bstart) and not (g.own and not toll) then
            bids = nil
          end
          -- "Texas lost seven": a cue that counts people only with their noun
          if pdef and pdef.noun_cues and pdef.noun_cues[phrase] and not g.own then
            bids = nil
          end
          -- a noun right before a figure with no noun of its own is no count of people
          -- ("a loss of 77,000", "losses 426 mln"); a toll is ("a death toll of 63")
          if bids and noun_cue == "bare" and not g.own then bids = nil end
          if bids and unit_fits(bids[1], f.unit) then
            f.measure = bids[1]
            if toll then
              f.subject = f.subject or party_before(T, bstart)
            end
            -- "Northern troops killed 212 Somalis": the killers are not the subject
          end
        end
        -- "treated 45 injured people": the adjective, when no cue says more
        if not f.measure and g.adj_measure then f.measure = g.adj_measure end
        f.subject = f.subject or undergoer(T, k)
        if not f.own and not f.measure then
          local u, subj, noun = counted_before(T, k)
          if u then
            f.unit, f.own, f.noun = u, true, noun
            f.subject = f.subject or subj
          end
        end
      end
    end
  end

  -- A figure joined to one before it that has a measure shares that one (below), and
  -- takes no default ("six people, including three soldiers, were wounded").
  for i = 2, #F do
    local f, p = F[i], F[i - 1]
    if f.tok and p.tok and p.measure and not p.other then
      for j = f.tok - 1, math.max(p.tok + 1, f.tok - 4), -1 do
        if joins(T, j, f.tok) then f.joined_to = true break end
      end
    end
  end

  -- A figure of a unit that one measure is the default for ("12,000 troops")
  for _, f in ipairs(F) do
    if not f.measure and f.own and not f.other and not f.own_verb and not f.men and
       (f.m.low or 0) >= 10 then
      for _, id in ipairs(MEASURE_IDS) do
        local def = measures[id]
        if def.default_for and def.default_for[f.unit or ""] and
           (not def.default_nouns or def.default_nouns[f.noun or ""]) and not f.civil and
           not f.joined_to then
          f.measure = id
        end
      end
    end
  end

  -- Figures joined by "including"/"and" share a measure, and sub-figures the noun and
  -- subject of the figure before ("killed 40 people, including 12 children";
  -- "26 soldiers were killed and 40 wounded").
  for i = 2, #F do
    local f, p = F[i], F[i - 1]
    if f.tok and p.tok and not f.other then
      local joined, revision = false, false
      for j = f.tok - 1, math.max(p.tok + 1, f.tok - 4), -1 do
        if joins(T, j, f.tok) then joined = true break end
      end
      -- "31, up from 24": right before the figure, after the figure before it
      local re = REVISION:match(T, f.tok - 1)
      if re and re > p.tok and p.measure and not f.own and not f.measure then
        joined, revision = true, true
      end
      if joined and (not f.own_verb or revision) then
        if not f.measure and p.measure then f.measure = p.measure end
        f.unit = f.unit or p.unit
        f.subject = f.subject or p.subject
      elseif not f.own and ((T[f.tok + 1] and (T[f.tok + 1].l == "others" or
                                               T[f.tok + 1].l == "more")) or
                            loosely_joined(T, p.tok, f.tok)) then
        -- "killing 14 soldiers and wounding 9 others", "killed 14 rebels and wounded 9":
        -- a bare figure after another's parallel verb counts the same people
        f.unit = f.unit or p.unit
        f.subject = f.subject or p.subject
      end
    end
  end
  for i = #F - 1, 1, -1 do
    local f, nx = F[i], F[i + 1]
    if f.tok and nx.tok and not f.measure and nx.measure and not f.other and f.own then
      for j = nx.tok - 1, math.max(f.tok + 1, nx.tok - 4), -1 do
        if JOIN:match(T, j) and T[j].l == "including" then
          f.measure = nx.measure
          break
        end
      end
    end
  end

  local out = {}
  for _, f in ipairs(F) do
    local k = f.tok
    local m = f.measure
    if m and measures[m] and measures[m].units and not measures[m].units[f.unit or ""] then
      m = nil
    end
    if m and measures[m] and measures[m].context and not in_context(m) then m = nil end
    if k and partitive_base[k] then m = nil end
    -- "any of the 17 men", "one of its eight crew members": the figure is the whole a
    -- part is taken from, not what the verb counts
    if k and T[k - 1] and (T[k - 1].l == "the" or T[k - 1].l == "its" or T[k - 1].l == "their" or
                           T[k - 1].l == "his" or T[k - 1].l == "her") and
       T[k - 2] and T[k - 2].l == "of" and T[k - 3] and
       (NONE[T[k - 3].l] or PART[T[k - 3].l] or T[k - 3].fig) then
      m = nil
    end
    -- "a" and "an" are figures only before a counted noun: "a wounded, dirty man" is
    -- nobody's count
    local word = f.m.text and f.m.text:lower()
    if (word == "a" or word == "an") and (not f.unit or (f.noun_measure and not REAL_UNIT[f.unit])) then
      m = nil
    end
    if f.other then m = nil end
    if m and not f.own then
      -- a bare figure must be a whole number, not a name ("Boeing 747") nor an age set
      -- off by commas after a name ("Karami, 66, died")
      local v = f.m.low or f.m.high or 0
      if v ~= math.floor(v) then m = nil end
      local prev = T[k - 1]
      if prev and not caps and not prev.punct and prev.w:find("^%u") and
         not BEFORE:match(T, k - 1) and not prev.party and not DET[prev.l] then
        m = nil
      end
      if prev and prev.l == "," and T[k + 1] and T[k + 1].l == "," and T[k - 2] and
         T[k - 2].w:find("^%u") then
        m = nil
      end
    end
    if m and not f.negated then
      out[#out + 1] = { m = f.m, measure = m, subject = f.subject, unit = f.unit,
                        own = f.own, tok = k }
    end
  end
  return out, T, subject_tok
end

-- A headline drops its articles: "POLICEMAN KILLED IN BLAST" counts one policeman.
-- A singular counted noun with no figure before it and a cue after it is a figure of one.
local function headline_singulars(T)
  local out = {}
  local k = 1
  while T[k] do
    local e, uid = UNIT:match(T, k)
    local prev = T[k - 1]
    if e and not T[k].fig and W.singular(T[e].l) == T[e].l and not T[e].l:find("s$") and
       T[e].l ~= "people" and T[e].l ~= "personnel" and T[e].l ~= "police" and
       not (prev and (prev.fig or DET[prev.l] or is_word(prev) and not prev.party and
                      not prev.w:find("^%u"))) then
      local ids = after_cue(T, e, { own = true, head = e + 1 })
      if ids then
        out[#out + 1] = { measure = ids[1], low = 1, high = 1, qualifier = "exact",
                          unit = uid[1], tok_s = k, tok_e = e }
      end
      k = e + 1
    else
      k = k + 1
    end
  end
  return out
end

-- "one of its 20 crew members was killed": the quantities plugin takes no "one of" for
-- a figure (mostly it is none: "one of the reasons"), so the one a partitive's verb
-- counts is read here. ("killing one", "KILLS ONE" are the plugin's figures.) Returns
-- claims-to-be with the span of the word.
local function lone_ones(s, T)
  local out = {}
  for k, t in ipairs(T) do
    local nx = T[k + 1]
    if t.l == "one" and not t.fig and nx then
      if nx.l == "of" and T[k + 2] and (T[k + 2].l == "its" or T[k + 2].l == "the" or
                                        T[k + 2].l == "their") then
        -- "one of its 20 crew members was killed": one, of the group after "of"
        local g = noun_group(T, k)
        if g.own and not g.other then
          local ids = after_cue(T, k, g)
          if ids and unit_fits(ids[1], g.unit) then
            out[#out + 1] = { measure = ids[1], low = 1, high = 1, qualifier = "exact",
                              unit = g.unit, subject = g.subject,
                              start = s.start + t.s - 1, ["end"] = s.start + t.e }
          end
        end
      end
    end
  end
  return out
end

function M.assemble(doc)
  local claims = {}
  local by_sentence, ents_by_sentence, dates_by_sentence, atts_by_sentence = {}, {}, {}, {}
  local function push(tab, i, m)
    local l = tab[i]
    if not l then l = {}; tab[i] = l end
    l[#l + 1] = m
  end
  for _, m in ipairs(doc.mentions) do
    local si = m.sentence
    if si then
      if m.kind == "quantity" then
        if quantity_ok(m) then push(by_sentence, si, m) end
      elseif m.kind == "entity" then
        push(ents_by_sentence, si, m)
      elseif m.kind == "date" then
        if m.value then push(dates_by_sentence, si, m) end
      elseif m.kind == "attribution" then
        push(atts_by_sentence, si, m)
      end
    end
  end

  local mil   -- the document is about fighting: "men" are soldiers
  local doc_words   -- word_set(doc.text), made when first needed
  -- whether the document has one of a measure's context words (vocab/measures.lua)
  local ctx = {}
  local function in_context(m)
    if ctx[m] == nil then
      doc_words = doc_words or word_set(doc.text)
      ctx[m] = any_in(measures[m].context, doc_words)
    end
    return ctx[m]
  end
  local home  -- the party the article is about (main_party), once asked
  -- The last named source of the body, for "he said" and "the ministry added".
  local last_claimant, last_claimant_text, last_paragraph
  -- What a source's words say (a party of the analyst's vocabulary, a state body),
  -- read once per source text of the document: a sentence of many figures asks per figure.
  local source_facts = {}
  local function facts(text)
    local f = source_facts[text or false]
    if not f then
      f = { party = party_in(text) or false, institution = institution(text) }
      source_facts[text or false] = f
    end
    return f
  end
  local function claimant_of(att)
    if att.value then return att.value, att.text end
    local sc = att.attrs or {}
    local f = facts(sc.source_text)
    if f.party then return f.party, att.text end
    if f.institution then
      if home == nil then home = main_party(doc) or false end
      if home then return home, sc.source_text or att.text end
    end
    if sc.pronoun and last_claimant then return last_claimant, last_claimant_text end
    local id = sc.source_id or source_id(sc.source_text)
    if id and PRONOUN_ID[id] then
      -- "he said" with no one named before: someone spoke, nobody we can name
      if last_claimant then return last_claimant, last_claimant_text end
      return nil
    end
    if id then return id, sc.source_text or att.text end
    return nil
  end

  for si = 1, #doc.sentences do
    local s = doc.sentences[si]
    if s.zone == "body" or s.zone == "title" then
      local figs = by_sentence[si]
      local has_one = s.text:find("%f[%a][Oo][Nn][Ee]%s+[Oo][Ff]%f[%A]")   -- lone_ones
      local atts = atts_by_sentence[si]
      -- A sentence that continues the report of the one before ("There are about
      -- 12,000 soldiers") keeps its source.
      local carried = false
      local named_here
      if figs or has_one or s.zone == "title" then
        local read, T, subject_tok = {}, nil, nil
        local words_claimant
        if figs then
          if mil == nil then
            doc_words = doc_words or word_set(doc.text)
            mil = any_in(MILITARY, doc_words)
          end
          read, T, subject_tok = read_sentence(s, figs, ents_by_sentence[si], mil, in_context)
        else
          T = sentence_tokens(s, {}, ents_by_sentence[si])
          subject_tok = {}
        end
        if has_one then
          for _, c in ipairs(lone_ones(s, T)) do read[#read + 1] = c end
        end
        if s.zone == "title" then
          for _, c in ipairs(headline_singulars(T)) do
            c.start, c["end"] = s.start + T[c.tok_s].s - 1, s.start + T[c.tok_e].e
            read[#read + 1] = c
          end
        end
        if last_claimant and (last_paragraph == s.paragraph or s.zone == "body") and
           CONT:match(T, 1) then
          carried = true
        end
        for _, r in ipairs(read) do
          local pos = r.m and r.m.start or r.start
          local claimant, ctext
          local att = attribution_at(atts, pos)
          -- "ADVISER SAID DEAD", "two were reported killed": the cue reports the
          -- figure's fate, it names no source
          if att and att["end"] > s.start then
            local after = W.tokenize(s.text:sub(att["end"] - s.start + 1,
                                                att["end"] - s.start + 40))
            if after[1] and AFTER:match(after, 1) then att = nil end
          end
          if att then
            claimant, ctext = claimant_of(att)
          elseif not atts then
            -- once a sentence: it reads the whole sentence
            if words_claimant == nil then
              words_claimant = { claimant_by_words(T, subject_tok) }
            end
            claimant, ctext = words_claimant[1], words_claimant[2]
          end
          if not claimant and carried then
            claimant, ctext = last_claimant, last_claimant_text
          end
          if claimant and claimant ~= last_claimant or claimant and att then
            named_here = named_here or { claimant, ctext }
          end
          if not r.subject and r.tok and MILITARY_UNIT[r.unit or ""] then
            r.subject = side_of(T, r.tok, r.measure, att, s)
          end
          -- the time the figure refers to: the date named nearest to it in the sentence
          local time, best
          for _, d in ipairs(dates_by_sentence[si] or {}) do
            local dist = math.abs(d.start - pos)
            if not best or dist < best then time, best = d.value, dist end
          end
          local m = r.m
          claims[#claims + 1] = {
            measure = r.measure,
            subject = r.subject,
            unit = r.unit,
            low = m and m.low or r.low,
            high = m and m.high or r.high,
            qualifier = m and m.qualifier or r.qualifier,
            claimant = claimant or "unattributed",
            claimant_text = ctext,
            mention = m and m.index or nil,
            start = r.start,
            ["end"] = r["end"],
            sentence = si,
            time = time,
            own = r.own,
          }
        end
      end
      -- the source this sentence names, for the sentences after it
      if s.zone == "body" then
        local named
        for _, a in ipairs(atts or {}) do
          local c, ct = claimant_of(a)
          if c and not (a.attrs and a.attrs.pronoun) then named = { c, ct } end
        end
        named = named or named_here
        if named then
          last_claimant, last_claimant_text = named[1], named[2]
          last_paragraph = s.paragraph
        end
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
  local unit_of = {}   -- subject (or "") -> its dominant unit (false: none), asked once
  for _, c in ipairs(claims) do
    if not c.unit then
      local key = c.subject or ""
      if unit_of[key] == nil then
        unit_of[key] = dominant("unit", function(o) return o.subject == c.subject and o.own end)
                       or false
      end
      c.unit = unit_of[key] or nil
    end
  end
  for _, c in ipairs(claims) do c.own = nil end
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
