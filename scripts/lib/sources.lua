-- sources.lua: which documents are independent sources.
--
-- An article that rewrites another (a `derived` finding of the derived-copies rule) is
-- not a second source: the two count once. Rules that say how many outlets agree load
-- this once per run and count with it; such a rule lists "derived-copies" in its
-- `after` so the derived findings are fresh when it reads them.
--
--   local S = require("lib.sources").load(ctx)
--   S:count(docs)        -- independent sources among a list of document ids
--   S:root(doc_id)       -- one document id standing for its family of copies
local M = {}
M.__index = M

function M.load(ctx)
  local self = setmetatable({ parent = {} }, M)
  for _, f in ipairs(ctx:findings{ kind = "derived" }) do
    local docs = f.docs
    for i = 2, #docs do self:union(docs[1], docs[i]) end
  end
  return self
end

-- A source table with no copies known (for tests or rules that do not care).
function M.none()
  return setmetatable({ parent = {} }, M)
end

function M:root(d)
  local p = self.parent
  local r = d
  while p[r] and p[r] ~= r do r = p[r] end
  while p[d] and p[d] ~= r do   -- path compression
    local nxt = p[d]
    p[d] = r
    d = nxt
  end
  return r
end

function M:union(a, b)
  local ra, rb = self:root(a), self:root(b)
  if ra ~= rb then
    -- the smaller id stands for the family, so results do not depend on order
    if ra < rb then self.parent[rb] = ra else self.parent[ra] = rb end
  end
end

-- The number of independent sources among a list of document ids (duplicates allowed).
function M:count(docs)
  local seen, n = {}, 0
  for _, d in ipairs(docs) do
    local r = self:root(d)
    if not seen[r] then
      seen[r] = true
      n = n + 1
    end
  end
  return n
end

-- The same for a list of claims (their doc_id).
function M:count_claims(claims)
  local docs = {}
  for i, c in ipairs(claims) do docs[i] = c.doc_id end
  return self:count(docs)
end

-- The distinct document ids of a list of claims, in first-seen order.
function M.docs_of(claims)
  local seen, out = {}, {}
  for _, c in ipairs(claims) do
    if not seen[c.doc_id] then
      seen[c.doc_id] = true
      out[#out + 1] = c.doc_id
    end
  end
  return out
end

-- How a summary names where a claim was reported: the outlet, else the file name.
function M.label(c)
  return c.outlet or (c.doc and c.doc:match("([^/:]+)$")) or c.doc or "?"
end

return M
