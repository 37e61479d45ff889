# The seed articles end to end, scored against the hand-made gold.
source "$(dirname "$0")/lib.sh"
[ -d "$CC_SHARED/seeds" ] || skip "no shared/seeds beside the checkout"

expect_status 0 "$CROSSCHECK" run "$CC_SHARED/seeds" --db s.db -q
for w in claims findings mentions documents; do
  "$CROSSCHECK" export s.db --what $w --format jsonl > $w.jsonl
done
[ "$(wc -l < documents.jsonl)" -eq 5 ] || fail "expected 5 documents"
[ -s claims.jsonl ] || fail "no claims from the seeds"

# A figure an article states twice (a lede restating the body) is linked, not lost.
n=$(sql s.db "SELECT count(*) FROM claims r JOIN claims f ON f.id = r.repeat_of
              WHERE r.doc_id = f.doc_id AND r.low IS f.low AND r.high IS f.high")
[ "$n" -ge 1 ] || fail "no restated figure linked to its first statement"

# The run row says what the run used.
sql s.db "SELECT plugins FROM runs WHERE id=1" | grep -q '"quantities"' || fail "runs.plugins lacks quantities"
sql s.db "SELECT rules FROM runs WHERE id=1" | grep -q '"figures-by-claimant"' || fail "runs.rules lacks the rules run"
sql s.db "SELECT config FROM runs WHERE id=1" | grep -q '"plugin_path"' || fail "runs.config lacks the configuration"

# Running the same input again adds nothing.
before=$(sql s.db "SELECT count(*) FROM claims")
expect_status 0 "$CROSSCHECK" run "$CC_SHARED/seeds" --db s.db -q
[ "$(sql s.db 'SELECT count(*) FROM documents')" -eq 5 ] || fail "second run added documents"
[ "$(sql s.db 'SELECT count(*) FROM claims')" -eq "$before" ] || fail "second run added claims"

python3 "$CC_SHARED/eval/score.py" --claims claims.jsonl \
  --gold-claims "$CC_SHARED/eval/seeds.claims.gold.jsonl" \
  --findings findings.jsonl --gold-findings "$CC_SHARED/eval/seeds.findings.gold.json" \
  --mentions mentions.jsonl --gold-dates "$CC_SHARED/eval/seeds.dates.gold.jsonl" > score.txt || true
cat score.txt
line=$(tail -n 1 score.txt)
case "$line" in *"forbidden claims 0"*) ;; *) fail "a forbidden claim (reader comment or furniture) was extracted: $line";; esac
grep -q "^FORBIDDEN" score.txt && fail "forbidden claims listed"

# No claim may come from the comments zone, and no figure from page furniture.
n=$(sql s.db "SELECT count(*) FROM claims c JOIN documents d ON d.id=c.doc_id
              JOIN sentences s ON s.doc_id=c.doc_id AND s.idx=c.sentence WHERE s.zone_kind='comments'")
[ "$n" -eq 0 ] || fail "$n claims from reader comments"
n=$(sql s.db "SELECT count(*) FROM documents WHERE text LIKE '%Min Read%'")
[ "$n" -eq 0 ] || fail "'Min Read' furniture kept in the text"

# The extraction thresholds: claims precision and recall at least 0.95, date recall at
# least 0.85, scored by the shared scorer exactly as an outside tool would.
python3 "$CC_SHARED/eval/score.py" --quiet --claims claims.jsonl \
  --gold-claims "$CC_SHARED/eval/seeds.claims.gold.jsonl" \
  --mentions mentions.jsonl --gold-dates "$CC_SHARED/eval/seeds.dates.gold.jsonl" \
  --min-precision 0.95 --min-recall 0.95 --min-date-recall 0.85 || fail "below the extraction thresholds"

# Reconciliation: all eight expected findings, no false alarm, no forbidden claim, with
# the claims thresholds still met, in one call of the scorer.
python3 "$CC_SHARED/eval/score.py" --quiet --claims claims.jsonl \
  --gold-claims "$CC_SHARED/eval/seeds.claims.gold.jsonl" \
  --findings findings.jsonl --gold-findings "$CC_SHARED/eval/seeds.findings.gold.json" \
  --min-findings 8 --min-precision 0.95 --min-recall 0.95 || fail "below the findings threshold"
case "$line" in *"false alarms 0"*) ;; *) fail "a false alarm: $line";; esac

# The rewrite is told apart: article 000 rewrites 001, docs[0] the rewrite.
grep '"kind":"derived"' findings.jsonl | grep -q '"docs":\["[^"]*000_[^"]*","[^"]*001_' \
  || fail "000 not found to rewrite 001"
pass "seeds"
