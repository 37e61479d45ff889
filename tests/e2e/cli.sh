# The command line: versions, help, usage errors and their exit status.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$CROSSCHECK" --version
grep -q "plugin ABI 1\." out || fail "--version does not name the plugin ABI"
grep -q "database schema" out || fail "--version does not name the schema version"
expect_status 0 "$CROSSCHECK" --help
cp out main_help
for cmd in run export report plugins reconcile; do
  grep -q "$cmd" main_help || fail "--help does not list $cmd"
  expect_status 0 "$CROSSCHECK" "$cmd" --help
  grep -q "usage: crosscheck $cmd" out || fail "$cmd --help has no usage line"
done
expect_status 0 "$CROSSCHECK" --help
expect_status 2 "$CROSSCHECK"
expect_status 2 "$CROSSCHECK" frobnicate
grep -q "unknown command 'frobnicate'" err || fail "unknown command not named"
expect_status 2 "$CROSSCHECK" run
grep -q "no INPUT" err || fail "run without input not explained"
expect_status 2 "$CROSSCHECK" run -j 0 x
expect_status 2 "$CROSSCHECK" run --bogus x
expect_status 2 "$CROSSCHECK" export
expect_status 2 "$CROSSCHECK" export nothing.db
grep -q "nothing.db" err || fail "missing database not named"
expect_status 2 "$CROSSCHECK" export x.db --what nonsense
expect_status 2 "$CROSSCHECK" report x.db --format pdf
expect_status 0 "$CROSSCHECK" plugins
grep -q "quantities" out || fail "plugins does not list the quantities plugin"
grep -q "produces: quantity" out || fail "plugins does not show what quantities produces"
pass "command line"
