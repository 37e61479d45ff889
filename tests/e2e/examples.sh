# The bundled demo: what `make run` shows a new user.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$CROSSCHECK" run "$CC_SOURCE/examples/articles" --config "$CC_SOURCE/examples/crosscheck.lua" --db e.db
grep -q "documents read" err || fail "no run summary"
expect_status 0 "$CROSSCHECK" report e.db
grep -qi "claims" out || fail "report has no claims section"
"$CROSSCHECK" export e.db --what claims --format jsonl > claims.jsonl
"$CROSSCHECK" export e.db --what claims --format csv > claims.csv
[ "$(wc -l < claims.jsonl)" -ge 5 ] || fail "fewer than 5 claims from the examples"
[ "$(wc -l < claims.csv)" -eq "$(( $(wc -l < claims.jsonl) + 1 ))" ] || \
  python3 -c 'import csv,sys; rows=list(csv.reader(open("claims.csv"))); sys.exit(0 if len(rows)-1 == sum(1 for _ in open("claims.jsonl")) else 1)' || \
  fail "CSV and JSONL disagree on the number of claims"
python3 - <<'PY'
import json, sys
rows = [json.loads(l) for l in open("claims.jsonl")]
need = {"id", "doc", "measure", "subject", "unit", "low", "high", "qualifier", "claimant",
        "claimant_text", "sentence", "start", "end"}
for r in rows:
    missing = need - r.keys()
    if missing:
        sys.exit(f"claim {r.get('id')} lacks {sorted(missing)}")
# Reader comments are not the outlet's claims.
bad = [r for r in rows if r["sentence"] and "I bet" in r["sentence"]]
if bad:
    sys.exit(f"claim from a reader comment: {bad[0]['sentence']}")
print(f"{len(rows)} claims, fields complete")
PY
n=$(sql e.db "SELECT count(*) FROM documents WHERE text LIKE '%Share This Article%' OR text LIKE '%Min Read%'")
[ "$n" -eq 0 ] || fail "furniture left in $n documents"
n=$(sql e.db "SELECT count(*) FROM documents WHERE zones LIKE '%comments%'")
[ "$n" -ge 1 ] || fail "no comments zone found in the examples"
# The demo's own vocabulary file (named in examples/crosscheck.lua) adds a measure and
# parties without touching scripts/: their claims must be there.
[ "$(sql e.db "SELECT count(*) FROM claims WHERE measure='evacuated'")" -ge 1 ] || fail "no claims for the added measure 'evacuated'"
[ "$(sql e.db "SELECT count(*) FROM claims WHERE claimant='veldmark'")" -ge 1 ] || fail "no claims from the added party 'veldmark'"
[ "$(sql e.db "SELECT count(*) FROM findings")" -ge 1 ] || fail "the demo produced no findings"
pass "examples"
