-- sources.lua: which documents are independent sources.
--
-- An article that rewrites another (a `derived` finding of the derived-copies rule) is
-- not a second source: the two count once. Rules that say how many outlets agree load
-- this once per run and count with it; such a rule lists "derived-copies" in its
-- `after` so the derived findings are fresh when it reads them.
--
--   local S = require("lib.sources").load(ctx)
--   S:count(docs)        -- independent sources among a list of document ids
--   S:count_claims(list) -- the same for the documents of a list of claims
--   S:one_source(list)   -- whether a list of claims comes from one source
--   S:root(doc_id)       -- one document id standing for its family of copies
local F = require("lib.figures")

local M = {}
M.__index = M

function M.load(ctx)
  local self = setmetatable({ parent = {} }, M)
  for _, f in ipairs(ctx:findings{ kind = "derived", fields = { "docs" } }) do
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
  local r = p[d]
  if r == nil or r == d then return d end   -- not a copy of anything: most documents
  r = d
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

-- Counting marks each family seen with the number of the count (self.mark[root] =
-- self.stamp), so that no table is built per count.
local function next_stamp(self)
  local stamp = (self.stamp or 0) + 1
  self.stamp = stamp
  local mark = self.mark
  if not mark then
    mark = {}
    self.mark = mark
  end
  return mark, stamp
end

-- The number of independent sources among a list of document ids (duplicates allowed).
function M:count(docs)
  local mark, stamp = next_stamp(self)
  local parent, n = self.parent, 0
  for i = 1, #docs do
    local d = docs[i]
    local r = d
    if parent[d] ~= nil then r = self:root(d) end   -- a copy: find its family
    if mark[r] ~= stamp then
      mark[r] = stamp
      n = n + 1
    end
  end
  return n
end

-- The same for a list of claims (their doc_id).
function M:count_claims(claims)
  local mark, stamp = next_stamp(self)
  local parent, n = self.parent, 0
  for i = 1, #claims do
    local r = claims[i].doc_id
    if parent[r] ~= nil then r = self:root(r) end
    if mark[r] ~= stamp then
      mark[r] = stamp
      n = n + 1
    end
  end
  return n
end

-- Whether a list of claims comes from exactly one independent source (M:count_claims
-- is 1), without counting past the second.
function M:one_source(claims)
  local parent, first = self.parent, nil
  for i = 1, #claims do
    local r = claims[i].doc_id
    if parent[r] ~= nil then r = self:root(r) end
    if first == nil then first = r
    elseif r ~= first then return false end
  end
  return first ~= nil
end

-- The distinct document ids of a list of claims, in first-seen order. (Documents seen
-- are marked with the number of the call, as in M:count.)
local doc_mark, doc_stamp = {}, 0
function M.docs_of(claims)
  doc_stamp = doc_stamp + 1
  local mark, stamp, out = doc_mark, doc_stamp, {}
  for i = 1, #claims do
    local d = claims[i].doc_id
    if mark[d] ~= stamp then
      mark[d] = stamp
      out[#out + 1] = d
    end
  end
  return out
end

-- How a summary names where a claim was reported: the outlet, else the file name.
function M.label(c)
  return c.outlet or (c.doc and c.doc:match("([^/:]+)$")) or c.doc or "?"
end

-- The figure most of a list of claims' independent reports give (ties: the earliest),
-- and the claims that give it: a claimant's position (claimants-disagree), a part's
-- figure (sums). Figures are told apart by F.text; claims that all give the same figure
-- (F.same) give one text and need no counting. src is what M.load returned.
function M.position(src, claims)
  local first, i = claims[1], 2
  while claims[i] and F.same(claims[i], first) do i = i + 1 end
  if not claims[i] then return first, claims end
  local order, by = F.group(claims, F.text)
  local best = order[1]
  if #order > 1 then
    local best_n = src:count_claims(by[best])
    for j = 2, #order do
      local n = src:count_claims(by[order[j]])
      if n > best_n then best, best_n = order[j], n end
    end
  end
  return by[best][1], by[best]
end

return M
