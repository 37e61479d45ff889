-- derived-copies: an article that rewrites another is not an independent source.
--
-- A text filed again under another name (the same wire story under two ids) is stored
-- once: the second name is a copy (documents.copy_of) with no text or claims of its own.
-- Each copy is a `derived` finding of its own: docs[1] the copy, docs[2] the document
-- that holds the text, the claims that text gives; the pair is never compared as a
-- rewrite too.
--
-- Other candidates are pairs of documents whose `fingerprint` signatures (MinHash of 3-word
-- shingles) are alike; a pair is a rewrite when the texts are near copies, or when they
-- are alike and give the same figures in the same order, or share several quotations.
-- docs[1] of the finding is the rewrite, docs[2] the original: the later publication,
-- else the one that credits the other outlet, else the one without byline or outlet,
-- else the shorter. Other rules count a document and its rewrites as one source
-- (lib/sources.lua).
local F = require("lib.figures")

-- Thresholds; similarity is the share of MinHash positions two texts have in common,
-- an estimate of the Jaccard index of their 3-word shingles (unrelated news: < 0.05).
local NEAR_COPY = 0.5        -- alike enough on text alone
local ALIKE = 0.06           -- alike enough when the structure agrees too
local MIN_FIGURES = 3        -- figures in the same order ...
local MIN_FIGURE_SHARE = 0.6 -- ... making up this share of the shorter list
local MIN_QUOTES = 2         -- or quotations shared word for word

local function figures_of(ctx, cache, doc_id)
  if cache[doc_id] then return cache[doc_id] end
  local list = {}
  for _, c in ipairs(ctx:claims{ doc_id = doc_id }) do
    if not c.repeat_of then list[#list + 1] = c end
  end
  table.sort(list, function(x, y) return x.start < y.start end)
  cache[doc_id] = list
  return list
end

local function figure_key(c)
  return table.concat({ c.measure, c.subject or "", c.unit or "", F.text(c) }, "|")
end

-- Longest common subsequence of two figure lists; returns its length and the claims of
-- both sides that make it.
local function common_sequence(a, b)
  local n, m = #a, #b
  local ka, kb = {}, {}
  for i = 1, n do ka[i] = figure_key(a[i]) end
  for j = 1, m do kb[j] = figure_key(b[j]) end
  local L = {}
  for i = 0, n do
    L[i] = {}
    for j = 0, m do
      if i == 0 or j == 0 then L[i][j] = 0
      elseif ka[i] == kb[j] then L[i][j] = L[i - 1][j - 1] + 1
      else L[i][j] = math.max(L[i - 1][j], L[i][j - 1]) end
    end
  end
  local ids = {}
  local i, j = n, m
  while i > 0 and j > 0 do
    if ka[i] == kb[j] then
      table.insert(ids, 1, a[i].id)
      table.insert(ids, b[j].id)
      i, j = i - 1, j - 1
    elseif L[i - 1][j] >= L[i][j - 1] then i = i - 1
    else j = j - 1 end
  end
  return L[n][m], ids
end

local function normalise(s)
  return (s:lower():gsub("[^%w]+", " "):gsub("^ +", ""):gsub(" +$", ""))
end

local function quotes_of(ctx, cache, doc_id)
  if cache[doc_id] then return cache[doc_id] end
  local set = {}
  for _, q in ipairs(ctx:quotes{ doc_id = doc_id }) do
    local t = normalise(q.text or "")
    local _, words = t:gsub("%S+", "")
    if words >= 4 then set[t] = true end
  end
  cache[doc_id] = set
  return set
end

local function shared_quotes(qa, qb)
  local n = 0
  for t in pairs(qa) do if qb[t] then n = n + 1 end end
  return n
end

-- Whether `text` names `outlet` as a word ("CNN reported", "according to Reuters").
local function credits(text, outlet)
  if not outlet or #outlet < 2 or not text then return false end
  local from = 1
  while true do
    local a, b = text:find(outlet, from, true)
    if not a then return false end
    local before, after = text:sub(a - 1, a - 1), text:sub(b + 1, b + 1)
    if not before:match("%w") and not after:match("%w") then return true end
    from = a + 1
  end
end

local function label(d)
  local base = d.name:match("([^/]+)$") or d.name
  return d.outlet and (d.outlet .. " (" .. base .. ")") or base
end

-- Which of two documents rewrites the other: returns rewrite, original, reason.
local function direction(ctx, a, b, pair)
  local da, db = ctx:document(a), ctx:document(b)
  if da.date and db.date and da.date ~= db.date then
    if da.date > db.date then return da, db, "published later" end
    return db, da, "published later"
  end
  local ca, cb = credits(da.text, db.outlet), credits(db.text, da.outlet)
  if ca ~= cb then
    if ca then return da, db, "credits the other outlet" end
    return db, da, "credits the other outlet"
  end
  local ma, mb = (da.outlet or da.author) ~= nil, (db.outlet or db.author) ~= nil
  if ma ~= mb then
    if mb then return da, db, "has no byline or outlet" end
    return db, da, "has no byline or outlet"
  end
  if (pair.shingles_a or 0) ~= (pair.shingles_b or 0) then
    if pair.shingles_a < pair.shingles_b then return da, db, "is shorter" end
    return db, da, "is shorter"
  end
  return db, da, "undetermined (later in the archive)"
end

-- The copies among the documents (each with its `copy_of`), in id order.
local function copies_of(ctx)
  local out = {}
  for _, d in ipairs(ctx:documents{}) do
    if d.copy_of then out[#out + 1] = d end
  end
  return out
end

-- One finding for a text filed again under another name.
local function emit_copy(ctx, copy, original)
  local ids = {}
  for _, c in ipairs(ctx:claims{ doc_id = original.id }) do ids[#ids + 1] = c.id end
  local base = original.name:match("([^/]+)$") or original.name
  ctx:emit{
    kind = "derived",
    docs = { copy.id, original.id },
    claims = ids,
    summary = string.format("%s is %s filed again under another name (identical text)",
                            label(copy),
                            original.outlet ~= copy.outlet and label(original) or base),
    details = { identical = true, similarity = 1 },
  }
end

-- A pair of alike documents: a finding when one rewrites the other.
local function check_pair(ctx, p, figs, quotes)
  local fa, fb = figures_of(ctx, figs, p.a), figures_of(ctx, figs, p.b)
  local n, ids = common_sequence(fa, fb)
  local shorter = math.min(#fa, #fb)
  local q = shared_quotes(quotes_of(ctx, quotes, p.a), quotes_of(ctx, quotes, p.b))
  local structural = n >= MIN_FIGURES and n >= MIN_FIGURE_SHARE * shorter
  if p.similarity >= NEAR_COPY or structural or q >= MIN_QUOTES then
    local rewrite, original, why = direction(ctx, p.a, p.b, p)
    ctx:emit{
      kind = "derived",
      docs = { rewrite.id, original.id },
      claims = ids,
      summary = string.format(
        "%s rewrites %s: text similarity %.2f, %d of %d figures in the same order, " ..
        "%d quotations shared (the rewrite %s)",
        label(rewrite), label(original), p.similarity, n, shorter, q, why),
      details = { similarity = p.similarity, figures_in_order = n,
                  shared_quotes = q, direction = why },
    }
  end
end

cc.rule{
  name = "derived-copies",
  description = "an article that rewrites another is not an independent source",
  reads = { "fingerprints", "claims", "quotes", "documents" },
  check = function(ctx)
    local figs, quotes = {}, {}
    local copies, is_copy = copies_of(ctx), {}
    for _, d in ipairs(copies) do is_copy[d.id] = true end
    for _, p in ipairs(ctx:similar_documents{ min = ALIKE }) do
      -- a copy has no text of its own: its finding below says all there is
      if not is_copy[p.a] and not is_copy[p.b] then check_pair(ctx, p, figs, quotes) end
    end
    for _, copy in ipairs(copies) do
      local original = ctx:documents{ id = copy.copy_of }[1]
      if original then emit_copy(ctx, copy, original) end
    end
  end,
}
