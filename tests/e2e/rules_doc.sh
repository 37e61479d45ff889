# docs/rules.md followed literally: the example rule and its test are cut out of the
# document into a fresh folder, and the commands the document gives are run as written
# (with this build's crosscheck), from a folder that has the source tree's examples.
source "$(dirname "$0")/lib.sh"
DOC="$CC_SOURCE/docs/rules.md"

# Every Lua block whose first line is "-- my-rules/<path>.lua" is a file to save.
python3 - "$DOC" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
n = 0
for block in re.findall(r"```lua\n(.*?)```", text, re.S):
    m = re.match(r"-- (my-rules/[\w/]+\.lua)\n", block)
    if m:
        os.makedirs(os.path.dirname(m.group(1)), exist_ok=True)
        open(m.group(1), "w", encoding="utf-8").write(block)
        n += 1
if n < 2:
    sys.exit("docs/rules.md: expected the example rule and its test, found %d files" % n)
PY
[ -f my-rules/spread.lua ] || fail "the example rule is not in the document"
[ -f my-rules/tests/spread_test.lua ] || fail "the example test is not in the document"

# The commands of the first sh block that uses my-rules, in order.
python3 - "$DOC" > commands.txt <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"```sh\n(.*?)```", text, re.S):
    if "my-rules" in block:
        print(block, end="")
        break
PY
[ -s commands.txt ] || fail "no commands for my-rules in the document"
ln -s "$CC_SOURCE/examples" examples
while read -r cmd args; do
  [ "$cmd" = crosscheck ] || fail "unexpected command in the document: $cmd"
  # shellcheck disable=SC2086
  expect_status 0 "$CROSSCHECK" $args
  cp out "out.$(echo "$args" | cut -d' ' -f1)"
done < commands.txt

grep -q "2 tests in 1 files, 0 failed" out.rules || { cat out.rules; fail "the example tests did not pass"; }
grep -q '"rule":"wide-spread"' out.export || fail "the example rule found nothing in the examples"
grep -q '"kind":"spread"' out.export || fail "no finding of the example's kind"

# The test in the document can fail: break the rule and the test says so at its line.
sed -i 's/ratio >= 3/ratio >= 300/' my-rules/spread.lua
expect_status 1 "$CROSSCHECK" rules test my-rules
grep -q "spread_test.lua:[0-9]*:" out || fail "a failing test does not name its line"
pass "rules.md followed literally"
