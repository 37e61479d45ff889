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
-- are alike and give the same figures in the same order, or share several quotations
-- and a good part of their text (outlets that quote one speaker share quotations, not
-- sentences); texts alike in words that give other numbers or dates are one template
-- filled in twice (the hog market of two cities, a bond issue of two companies, weekly
-- shipments), and texts more than a week apart are two stories: not rewrites. Of a
-- pair, the rewrite is the later publication, else the one that
-- credits the other outlet, else the one without byline or outlet, else the shorter.
-- Rewrites linked to one another form a family, reported in one finding: docs lists the
-- rewrites and the original last (the document most pairs name as the original), so
-- that for a single pair docs[1] rewrites docs[2]; details.rewrites gives each pair.
-- Other rules count a document and its rewrites as one source (lib/sources.lua).
local F = require("lib.figures")

-- Thresholds; similarity is the share of MinHash positions two texts have in common,
-- an estimate of the Jaccard index of their 3-word shingles (unrelated news: < 0.05).
local NEAR_COPY = 0.5        -- alike enough on text alone
local ALIKE = 0.06           -- alike enough when the structure agrees too
local MIN_FIGURES = 3        -- figures in the same order ...
local MIN_FIGURE_SHARE = 0.6 -- ... making up this share of the shorter list
local MIN_QUOTES = 2         -- or quotations shared word for word, in texts alike enough
local QUOTES_ALIKE = 0.25    -- (outlets quoting the same speaker share quotations, not text)
local MAX_DAYS_APART = 7     -- a rewrite comes out within a week of its original

-- What the rule reads of a document (its figures, numbers, quotations) is kept in a
-- cache of two generations of at most CACHE_MAX documents each: when the newer is full
-- it becomes the older and the older is dropped, and a document found in the older moves
-- to the newer. Pairs come in order of their first document and the second of a pair
-- mostly near the last ones, so what is read again was mostly read lately, and memory
-- stays bounded however large the archive. A cache is a table {} made by the caller.
local CACHE_MAX = 4096

local function cache_put(cache, doc_id, v)
  local cur = cache.cur
  if not cur or cache.n >= CACHE_MAX then
    cache.old, cur, cache.n = cur, {}, 0
    cache.cur = cur
  end
  cur[doc_id] = v
  cache.n = cache.n + 1
  return v
end

local function cache_get(cache, doc_id)
  local v = cache.cur and cache.cur[doc_id]
  if v == nil and cache.old then
    v = cache.old[doc_id]
    if v ~= nil then cache_put(cache, doc_id, v) end
  end
  return v
end

local function figures_of(ctx, cache, doc_id)
  local got = cache_get(cache, doc_id)
  if got then return got end
  local list = {}
  for _, c in ipairs(ctx:claims{ doc_id = doc_id }) do
    if not c.repeat_of then list[#list + 1] = c end
  end
  table.sort(list, function(x, y) return x.start < y.start end)
  return cache_put(cache, doc_id, list)
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

-- The numbers and dates a document's text gives (its quantity and date mentions), as a
-- set of values.
local function numbers_of(ctx, cache, doc_id)
  local got = cache_get(cache, doc_id)
  if got then return got end
  local set, n = {}, 0
  local function add(v)
    if v ~= nil and not set[v] then
      set[v] = true
      n = n + 1
    end
  end
  for _, m in ipairs(ctx:mentions{ kind = "quantity", doc_id = doc_id }) do
    add(m.low or m.high)
  end
  for _, m in ipairs(ctx:mentions{ kind = "date", doc_id = doc_id }) do add(m.value) end
  return cache_put(cache, doc_id, { set = set, n = n })
end

-- Whether two texts alike in words give other numbers or dates: the same template
-- filled in for another company, place or week (a bond issue, a market report, weekly
-- shipments), not a rewrite, which keeps its original's numbers. True when one of the
-- texts gives a number or date and fewer than two thirds of the smaller list are shared.
local function other_numbers(a, b)
  local small, big = a, b
  if b.n < a.n then small, big = b, a end
  if big.n == 0 then return false end
  if small.n == 0 then return big.n >= 2 end
  local shared = 0
  for v in pairs(small.set) do if big.set[v] then shared = shared + 1 end end
  return shared * 3 < small.n * 2
end

-- Days between two ISO dates, or nil.
local function days_apart(a, b)
  local function day(d)
    local y, m, dd = (d or ""):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
    if not y then return nil end
    return os.time{ year = tonumber(y), month = tonumber(m), day = tonumber(dd), hour = 12 } // 86400
  end
  local x, y = day(a), day(b)
  return x and y and math.abs(x - y) or nil
end

local function normalise(s)
  return (s:lower():gsub("[^%w]+", " "):gsub("^ +", ""):gsub(" +$", ""))
end

local function quotes_of(ctx, cache, doc_id)
  local got = cache_get(cache, doc_id)
  if got then return got end
  local set = {}
  for _, q in ipairs(ctx:quotes{ doc_id = doc_id }) do
    local t = normalise(q.text or "")
    local _, words = t:gsub("%S+", "")
    if words >= 4 then set[t] = true end
  end
  return cache_put(cache, doc_id, set)
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

-- Which of two documents rewrites the other: returns rewrite, original, reason. da and
-- db are the documents as ctx:documents lists them (no text); the texts are read only
-- when the dates do not decide.
local function direction(ctx, da, db, pair)
  if da.date and db.date and da.date ~= db.date then
    if da.date > db.date then return da, db, "published later" end
    return db, da, "published later"
  end
  local ta, tb = ctx:document(da.id).text, ctx:document(db.id).text
  local ca, cb = credits(ta, db.outlet), credits(tb, da.outlet)
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

-- A pair of alike documents: when one rewrites the other, the pair as {rewrite,
-- original, why, similarity, n (figures in order), shorter, q (quotations), ids}.
local function judge_pair(ctx, p, figs, quotes, nums, docs)
  if other_numbers(numbers_of(ctx, nums, p.a), numbers_of(ctx, nums, p.b)) then
    return nil
  end
  local da, db = docs[p.a], docs[p.b]
  if not da or not db then return nil end
  local apart = days_apart(da.date, db.date)
  if apart and apart > MAX_DAYS_APART then return nil end
  local fa, fb = figures_of(ctx, figs, p.a), figures_of(ctx, figs, p.b)
  local n, ids = common_sequence(fa, fb)
  local shorter = math.min(#fa, #fb)
  local q = shared_quotes(quotes_of(ctx, quotes, p.a), quotes_of(ctx, quotes, p.b))
  local structural = n >= MIN_FIGURES and n >= MIN_FIGURE_SHARE * shorter
  local quoted = q >= MIN_QUOTES and p.similarity >= QUOTES_ALIKE
  if p.similarity >= NEAR_COPY or structural or quoted then
    local rewrite, original, why = direction(ctx, da, db, p)
    return { rewrite = rewrite, original = original, why = why, similarity = p.similarity,
             n = n, shorter = shorter, q = q, ids = ids }
  end
  return nil
end

local function find(parent, x)
  while parent[x] and parent[x] ~= x do
    parent[x] = parent[parent[x]] or parent[x]
    x = parent[x]
  end
  return x
end

-- The rewrite pairs as clusters: documents linked by rewrites are one family, reported in
-- one finding. Its original is the document the most pairs name as the original (ties:
-- the earliest published, then the lowest id); docs lists the rewrites in id order and
-- the original last, so that docs[1] rewrites the last for a pair as for a family.
local function emit_clusters(ctx, pairs_found)
  local parent, docs_of = {}, {}
  for _, r in ipairs(pairs_found) do
    local a, b = r.rewrite.id, r.original.id
    parent[a] = parent[a] or a
    parent[b] = parent[b] or b
    local ra, rb = find(parent, a), find(parent, b)
    if ra ~= rb then parent[math.max(ra, rb)] = math.min(ra, rb) end
    docs_of[a], docs_of[b] = r.rewrite, r.original
  end
  local families, order = {}, {}
  for _, r in ipairs(pairs_found) do
    local root = find(parent, r.original.id)
    local f = families[root]
    if not f then
      f = { pairs = {}, votes = {}, members = {} }
      families[root] = f
      order[#order + 1] = root
    end
    f.pairs[#f.pairs + 1] = r
    f.votes[r.original.id] = (f.votes[r.original.id] or 0) + 1
  end
  for id, d in pairs(docs_of) do
    local f = families[find(parent, id)]
    f.members[#f.members + 1] = d
  end
  table.sort(order)
  for _, root in ipairs(order) do
    local f = families[root]
    local members = f.members
    local original
    for _, d in ipairs(members) do
      local v, best = f.votes[d.id] or 0, original and (f.votes[original.id] or 0)
      if not original or v > best or (v == best and ((d.date or "~") < (original.date or "~")
          or ((d.date or "~") == (original.date or "~") and d.id < original.id))) then
        original = d
      end
    end
    table.sort(members, function(x, y) return x.id < y.id end)
    local docs, claims, seen, parts, rewrites = {}, {}, {}, {}, {}
    for _, d in ipairs(members) do
      if d.id ~= original.id then docs[#docs + 1] = d.id end
    end
    docs[#docs + 1] = original.id
    table.sort(f.pairs, function(x, y)
      if x.rewrite.id ~= y.rewrite.id then return x.rewrite.id < y.rewrite.id end
      return x.original.id < y.original.id
    end)
    for _, r in ipairs(f.pairs) do
      for _, id in ipairs(r.ids) do
        if not seen[id] then
          seen[id] = true
          claims[#claims + 1] = id
        end
      end
      parts[#parts + 1] = string.format(
        "%s rewrites %s (they share %d%% of their three-word phrases, %d of %d figures " ..
        "in the same order, %d quotations; the rewrite %s)",
        label(r.rewrite), label(r.original), math.floor(r.similarity * 100 + 0.5), r.n,
        r.shorter, r.q, r.why)
      rewrites[#rewrites + 1] = { rewrite = r.rewrite.id, original = r.original.id,
                                  similarity = r.similarity, figures_in_order = r.n,
                                  shared_quotes = r.q, direction = r.why }
    end
    local summary
    if #f.pairs == 1 then
      summary = parts[1]
    else
      summary = string.format("%s and %d rewrites of it: %s", label(original), #docs - 1,
                              table.concat(parts, "; "))
    end
    local first = f.pairs[1]
    ctx:emit{
      kind = "derived",
      docs = docs,
      claims = claims,
      summary = summary,
      details = { original = original.id, rewrites = rewrites,
                  similarity = first.similarity, figures_in_order = first.n,
                  shared_quotes = first.q, direction = first.why },
    }
  end
end

cc.rule{
  name = "derived-copies",
  description = "an article that rewrites another is not an independent source",
  reads = { "fingerprints", "claims", "quotes", "documents", "mentions" },
  check = function(ctx)
    local figs, quotes, nums = {}, {}, {}
    -- every document as listed (no text), by id; the copies (each with its `copy_of`),
    -- in id order
    local docs, copies = {}, {}
    for _, d in ipairs(ctx:documents{}) do
      docs[d.id] = d
      if d.copy_of then copies[#copies + 1] = d end
    end
    local found = {}
    for p in ctx:similar_pairs{ min = ALIKE } do
      -- a copy has no text of its own: its finding below says all there is
      local da, db = docs[p.a], docs[p.b]
      if da and db and not da.copy_of and not db.copy_of then
        found[#found + 1] = judge_pair(ctx, p, figs, quotes, nums, docs)
      end
    end
    emit_clusters(ctx, found)
    for _, copy in ipairs(copies) do
      local original = docs[copy.copy_of]
      if original then emit_copy(ctx, copy, original) end
    end
  end,
}
