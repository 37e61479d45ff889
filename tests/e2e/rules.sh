# Rules fail alone: a rule calling os.execute and a rule that loops forever each fail
# with file:line, the good rule's findings are stored, and reconcile exits 3.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$CROSSCHECK" run "$CC_SOURCE/examples/articles" --db r.db -q
mkdir rules
cat > rules/a_escape.lua <<'LUA'
cc.rule{ name = "escape", check = function(ctx)
  os.execute("touch pwned")
end }
LUA
cat > rules/b_forever.lua <<'LUA'
cc.rule{ name = "forever", check = function(ctx)
  while true do end
end }
LUA
cat > rules/c_count.lua <<'LUA'
cc.rule{ name = "count-claims", description = "one finding per measure",
  check = function(ctx)
    local seen = {}
    for _, c in ipairs(ctx:claims{}) do
      seen[c.measure] = seen[c.measure] or {}
      table.insert(seen[c.measure], c.id)
    end
    for m, ids in pairs(seen) do
      ctx:emit{ kind = "tally", measure = m, claims = ids,
                summary = #ids .. " claims of " .. m }
    end
  end }
LUA
cat > rules/d_syntax.lua <<'LUA'
cc.rule{ name = "broken",
LUA
expect_status 3 "$CROSSCHECK" reconcile r.db --rules rules
cat err
[ ! -e pwned ] || fail "os.execute ran"
grep -q "a_escape.lua:2:" err || fail "escape rule error lacks file:line"
grep -q "b_forever.lua:2:.*instruction limit" err || fail "endless rule not stopped with file:line"
grep -q "d_syntax.lua" err || fail "syntax error not reported"
# the summary names each rule that failed (the file, for one that did not load)
summary=$(grep "rules run" err)
for r in escape forever d_syntax.lua; do
  echo "$summary" | grep -q "failed (.*$r" || fail "the summary does not name $r: $summary"
done
n=$(sql r.db "SELECT count(*) FROM findings WHERE rule='count-claims'")
[ "$n" -ge 1 ] || fail "the good rule's findings were not stored"
n=$(sql r.db "SELECT count(*) FROM errors WHERE stage='rule'")
[ "$n" -ge 3 ] || fail "rule failures not recorded ($n)"
# Re-running replaces the rule's findings instead of adding to them.
before=$(sql r.db "SELECT count(*) FROM findings WHERE rule='count-claims'")
expect_status 3 "$CROSSCHECK" reconcile r.db --rules rules
[ "$(sql r.db "SELECT count(*) FROM findings WHERE rule='count-claims'")" -eq "$before" ] || fail "findings doubled"
# `run` says so too, apart from the errors it records, and exits 3
printf 'return { scripts = "%s/scripts", rules = "%s/rules" }\n' "$CC_SOURCE" "$WORK" > failing.lua
rm -f rules/b_forever.lua
expect_status 3 "$CROSSCHECK" run "$CC_SOURCE/examples/articles" --config failing.lua --db f.db
grep -q "^crosscheck: 2 rules failed: .*escape" err || { cat err; fail "run does not report its failed rules"; }
grep -q "^crosscheck: 2 rules failed: .*d_syntax.lua" err || { cat err; fail "run does not name the file that did not load"; }
pass "rules fail alone"

# The default rules stay within their instruction budget on a few thousand claims: the
# same articles many times over make every group large.
mkdir many
for i in $(seq 1 120); do
  for f in "$CC_SOURCE"/examples/articles/*.txt; do
    { cat "$f"; printf '\nReference %d.\n' "$i"; } > "many/$(basename "$f" .txt)_$i.txt"
  done
done
expect_status 0 "$CROSSCHECK" run many --config "$CC_SOURCE/examples/crosscheck.lua" --db m.db -q
[ "$(sql m.db "SELECT count(*) FROM errors")" -eq 0 ] || fail "rules failed on a large group"
[ "$(sql m.db "SELECT count(*) FROM claims")" -ge 2000 ] || fail "expected thousands of claims"
[ "$(sql m.db "SELECT count(*) FROM findings")" -ge 1 ] || fail "no findings over the large input"
pass "default rules on large groups"
