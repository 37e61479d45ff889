-- Wholes and the parts they are the sum of, for the sums rule: a claimant's figures for
-- every part that add up to its figure for the whole agree with it ("about 100 killed
-- and nearly 1,000 wounded" and "about 1,100 casualties"). Measure names are those of
-- vocab/measures.lua.
--
-- To add one, add a line, e.g.  losses = { "killed", "wounded", "captured", "missing" },
-- A whole is only compared when the claimant gives a figure for every one of its parts.
return {
  casualties = { "killed", "wounded" },
}
