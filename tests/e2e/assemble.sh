# Claim assembly on sentences written for it (tests/assemble/cases.jsonl): each case is
# one article (a JSONL record: its text, and its title where the case gives one); the claims crosscheck makes of it must be exactly the wanted ones, field by
# field where the case names a field. A case with "want": [] must give no claim.
source "$(dirname "$0")/lib.sh"

cases="$CC_SOURCE/tests/assemble/cases.jsonl"
python3 - "$cases" > in.jsonl <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    case = json.loads(line)
    rec = {"id": "case-%d" % (i + 1), "text": case["text"]}
    if "title" in case:
        rec["title"] = case["title"]
    print(json.dumps(rec))
PY
expect_status 0 "$CROSSCHECK" run in.jsonl --db a.db -q
"$CROSSCHECK" export a.db --what claims --format jsonl > claims.jsonl
python3 - "$cases" claims.jsonl <<'PY' || fail "claims differ from the cases"
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1])]
got = {}
for l in open(sys.argv[2]):
    c = json.loads(l)
    got.setdefault(c["doc"].rsplit(":", 1)[-1], []).append(c)
bad = 0
for i, case in enumerate(cases):
    claims = got.get("case-%d" % (i + 1), [])
    want = case["want"]
    ok = len(claims) == len(want)
    if ok:
        for w, c in zip(want, sorted(claims, key=lambda c: c["start"])):
            for k, v in w.items():
                if c.get(k) != v:
                    ok = False
    if not ok:
        bad += 1
        print("case %d: %s" % (i + 1, case["text"]))
        print("  want: %s" % json.dumps(want))
        print("  got:  %s" % json.dumps([{k: c[k] for k in ("measure", "low", "high", "qualifier", "subject", "unit", "claimant")} for c in claims]))
print("%d passed, %d failed" % (len(cases) - bad, bad))
sys.exit(1 if bad else 0)
PY
# One sentence of 2,000 figures (a machine-made list) stays within the Lua instruction
# budget: nothing the assembler does for a figure may go over the whole sentence again.
python3 -c '
import json
t = "In the fighting, " + ", ".join("%d soldiers were killed in village %d" % (i + 2, i) for i in range(2000)) + "."
print(json.dumps({"id": "long", "text": t}))' > long.jsonl
expect_status 0 "$CROSSCHECK" run long.jsonl --db long.db -q
[ "$(sql long.db "SELECT count(*) FROM claims")" -eq 2000 ] || fail "a long sentence lost its claims"
[ "$(sql long.db "SELECT count(*) FROM errors")" -eq 0 ] || fail "a long sentence ran over a limit"

# A vocabulary that does not load fails every worker's assembler at once: the run must
# end (two workers stopping the Lua watchdog together once joined it twice and hung),
# name the file, and keep the documents.
cp -r "$CC_SOURCE/scripts" broken
echo 'return { verb_group = { "was" ' > broken/vocab/grammar.lua
printf 'return { scripts = "%s/broken" }\n' "$WORK" > broken.lua
set +e
timeout -s KILL 60 "$CROSSCHECK" run in.jsonl --config broken.lua --db b.db -q -j 2 2> b.err
status=$?
set -e
[ "$status" -ne 137 ] || fail "a run whose assembler does not load hung"
grep -q "grammar.lua" b.err || { cat b.err; fail "the broken vocabulary file is not named"; }
[ "$(sql b.db "SELECT count(*) FROM documents")" -eq "$(wc -l < in.jsonl)" ] || fail "documents lost"

pass "claim assembly on $(wc -l < "$cases") written sentences"
