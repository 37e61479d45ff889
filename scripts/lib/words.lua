-- lib/words.lua: the word-level tools of claim assembly (scripts/assemble.lua): a
-- sentence cut into tokens, phrase lists compiled into tries matched on those tokens
-- (forwards from a token, or backwards to it), and English singulars for the noun lists.
--
-- Tokens are tables { s = first byte, e = last byte (1-based, in the sentence's text),
-- w = the word as written, l = lower case }. A word is letters and digits with inner
-- apostrophes (’ too), hyphens between letters, and dots or commas between digits
-- ("3,000", "U.S.", "Shi'ite", "cross-channel"); every other mark is a token of its own.
-- A hyphen after a number is a token ("4,000-strong" is "4,000", "-", "strong").
local M = {}

local function alnum(b)
  return b and ((b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122))
end
local function digit(b) return b and b >= 48 and b <= 57 end
local function alpha(b)
  return b and ((b >= 65 and b <= 90) or (b >= 97 and b <= 122) or b >= 192)
end

-- The byte length of the UTF-8 sequence starting with b.
local function seqlen(b)
  if b < 0x80 then return 1 elseif b >= 0xF0 then return 4 elseif b >= 0xE0 then return 3 end
  return 2
end

function M.tokenize(text)
  local toks, i, n = {}, 1, #text
  while i <= n do
    local b = text:byte(i)
    if b == 32 or b == 9 or b == 10 or b == 13 then
      i = i + 1
    elseif alnum(b) or b >= 0xC0 and b < 0xE0 then
      local j = i
      while j <= n do
        local c = text:byte(j)
        if alnum(c) then
          j = j + 1
        elseif c >= 0xC0 and c < 0xE0 then
          j = j + 2                         -- a letter with an accent
        elseif c == 39 and alpha(text:byte(j - 1)) and alpha(text:byte(j + 1)) then
          j = j + 1                         -- Shi'ite, don't
        elseif c == 0xE2 and text:byte(j + 1) == 0x80 and text:byte(j + 2) == 0x99 and
               alpha(text:byte(j - 1)) and alpha(text:byte(j + 3)) then
          j = j + 3                         -- Eritrea’s
        elseif c == 45 and alpha(text:byte(j - 1)) and alpha(text:byte(j + 1)) then
          j = j + 1                         -- cross-channel
        elseif (c == 44 or c == 46) and digit(text:byte(j - 1)) and digit(text:byte(j + 1)) then
          j = j + 1                         -- 3,000 and 1.5
        elseif c == 46 and alpha(text:byte(j - 1)) and alpha(text:byte(j + 1)) and
               text:byte(j + 2) == 46 then
          j = j + 1                         -- U.S.
        else
          break
        end
      end
      if j - i == 1 and text:byte(j) == 46 and alpha(b) and b <= 90 then
        j = j + 1                           -- the last dot of "U.S." or an initial
      elseif text:byte(j) == 46 and text:sub(i, j - 1):find("^%a%.%a") then
        j = j + 1
      end
      local w = text:sub(i, j - 1)
      toks[#toks + 1] = { s = i, e = j - 1, w = w, l = w:lower() }
      i = j
    else
      local len = seqlen(b)
      local w = text:sub(i, i + len - 1)
      toks[#toks + 1] = { s = i, e = i + len - 1, w = w, l = w, punct = true }
      i = i + len
    end
  end
  return toks
end

-- The words of a phrase, lower case, as the tokenizer cuts them.
function M.words(phrase)
  local out = {}
  for _, t in ipairs(M.tokenize(phrase:lower())) do out[#out + 1] = t.l end
  return out
end

-- A trie of phrases: trie:add(phrase, value) and matching on tokens. Values are kept in
-- a list per phrase (one phrase may name two things).
local Trie = {}
Trie.__index = Trie

function M.trie(reverse)
  return setmetatable({ root = {}, reverse = reverse }, Trie)
end

function Trie:add(phrase, value)
  self:add_words(M.words(phrase), value, phrase)
end

-- The same with the words given (for a case-sensitive trie: key = t.w in match).
-- `phrase` (optional) is kept as the phrase the words came from, the first one given.
function Trie:add_words(ws, value, phrase)
  if #ws == 0 then return end
  local node = self.root
  local from, to, step = 1, #ws, 1
  if self.reverse then from, to, step = #ws, 1, -1 end
  for k = from, to, step do
    local nx = node[ws[k]]
    if not nx then nx = {}; node[ws[k]] = nx end
    node = nx
  end
  node["\0"] = node["\0"] or {}
  local list = node["\0"]
  for _, v in ipairs(list) do if v == value then return end end
  list[#list + 1] = value
  node["\0p"] = node["\0p"] or phrase
end

-- The longest phrase starting at token i (or, for a reverse trie, ending at token i):
-- returns the index of its other end, the list of values and the phrase as added, or
-- nil. `key(t)` gives a token's word (default: lower case).
function Trie:match(toks, i, key)
  local node, best, bestv, bestp = self.root, nil, nil, nil
  local step = self.reverse and -1 or 1
  local k = i
  while toks[k] do
    local w = key and key(toks[k]) or toks[k].l
    node = w and node[w]
    if not node then break end
    if node["\0"] then best, bestv, bestp = k, node["\0"], node["\0p"] end
    k = k + step
  end
  return best, bestv, bestp
end

-- English singular of a plural noun (lower case): enough for the noun lists.
function M.singular(w)
  if w:find("men$") then return (w:gsub("men$", "man")) end
  if w:find("[^aeiou]ies$") then return (w:gsub("ies$", "y")) end
  if w:find("ves$") and not w:find("[aeo]ves$") then return (w:gsub("ves$", "fe")) end
  if w:find("sses$") or w:find("shes$") or w:find("ches$") or w:find("xes$") then
    return (w:gsub("es$", ""))
  end
  if w:find("[^s]s$") then return (w:gsub("s$", "")) end
  return w
end

-- A set from a list.
function M.set(list)
  local s = {}
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end

return M
