# The dev set of ../shared/eval: 58 real Reuters stories of 1987 with hand-made gold,
# scored by the shared scorer through tools/eval.sh (the same figures as `make eval`).
# Issue 16's thresholds: claims precision and recall at least 0.85, no forbidden claim.
# Issue 17's: at least 22 of the 25 expected findings, no false alarm.
source "$(dirname "$0")/lib.sh"
[ -d "$CC_SHARED/eval/dev" ] || skip "no shared/eval/dev beside the checkout"
[ -f "$CC_SHARED/corpora/reuters21578/reuters21578.jsonl.gz" ] || skip "no Reuters corpus"

bash "$CC_SOURCE/tools/eval.sh" "$CROSSCHECK" "$CC_SHARED" "$WORK/eval" > lines.txt
cat lines.txt
python3 "$CC_SHARED/eval/score.py" --quiet --claims eval/dev.claims.jsonl \
  --gold-claims "$CC_SHARED/eval/dev/reuters.claims.gold.jsonl" \
  --min-precision 0.85 --min-recall 0.85 || fail "dev claims below 0.85"
python3 "$CC_SHARED/eval/score.py" --quiet --claims eval/dev.claims.jsonl \
  --gold-claims "$CC_SHARED/eval/dev/reuters.claims.gold.jsonl" \
  --findings eval/dev.findings.jsonl \
  --gold-findings "$CC_SHARED/eval/dev/reuters.findings.gold.json" \
  --min-findings 22 || fail "fewer than 22 of the dev set's expected findings"
line=$(grep '^dev:' lines.txt)
case "$line" in *"forbidden claims 0"*) ;; *) fail "a forbidden claim on the dev set: $line";; esac
case "$line" in *"false alarms 0,"*) ;; *) fail "a false alarm on the dev set: $line";; esac
pass "dev set: $line"
