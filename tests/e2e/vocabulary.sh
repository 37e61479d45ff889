# An analyst adds a measure and a party in a Lua file of their own, with no rebuild, and
# gets claims for them from sentences crosscheck has never seen. Also checked: the
# claimant carried into a sentence that continues a report, and the time of a figure.
source "$(dirname "$0")/lib.sh"

mkdir in
cat > in/storm.txt <<'TXT'
Storm batters the northern coast

March 3, 2031

The Harbour Authority said on March 2 that about 4,500 residents were sheltering in schools after the storm.

The Lowland Relief Office reported late on Sunday that shelters were full. There are nearly 900 people sheltered in the hill towns.
TXT
cat > vocab.lua <<'LUA'
return {
  measures = { sheltered = { "sheltered", "sheltering", "in shelters" } },
  parties = { harbour_authority = { "Harbour Authority" },
              lowland_relief = { "Lowland Relief Office" } },
}
LUA

# Without the file: no such measure.
expect_status 0 "$CROSSCHECK" run in --db without.db -q
[ "$(sql without.db "SELECT count(*) FROM claims WHERE measure='sheltered'")" -eq 0 ] || fail "sheltered exists without the vocabulary"

# With it (./crosscheck.lua is picked up from the current folder).
cat > crosscheck.lua <<LUA
return { scripts = "$CC_SOURCE/scripts", vocabularies = { "vocab.lua" } }
LUA
expect_status 0 "$CROSSCHECK" run in --db with.db -q
[ "$(sql with.db "SELECT count(*) FROM claims WHERE measure='sheltered'")" -eq 2 ] || {
  "$CROSSCHECK" export with.db --what claims; fail "expected 2 sheltered claims"; }
row=$(sql with.db "SELECT claimant || '|' || low || '|' || qualifier || '|' || unit || '|' || coalesce(time,'') FROM claims WHERE low = 4500")
[ "$row" = "harbour_authority|4500.0|approx|people|2031-03-02" ] || fail "first claim: got '$row'"
row=$(sql with.db "SELECT claimant || '|' || high || '|' || qualifier FROM claims WHERE high = 900")
[ "$row" = "lowland_relief|900.0|nearly" ] || fail "carried-over claimant: got '$row'"
pass "vocabulary added in Lua"
