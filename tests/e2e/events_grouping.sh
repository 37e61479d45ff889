# Grouping documents into events, against labelled events of ../shared/corpora: BASIL
# (100 events, three outlets each) and NewsWCL50 (10 events, five outlets each). Every
# pair of documents of one labelled event should share an event and no other pair should:
# pairwise precision and recall at least 0.90 on each (tools/group-score.py). The records
# are handed over without their labels (id, title, date, outlet, text only).
source "$(dirname "$0")/lib.sh"
basil="$CC_SHARED/corpora/basil/basil.jsonl"
wcl="$CC_SHARED/corpora/newswcl50/newswcl50.jsonl"
[ -f "$basil" ] && [ -f "$wcl" ] || skip "no shared/corpora/basil or newswcl50"

strip() {
  python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    print(json.dumps({k: d.get(k) for k in ("id", "title", "date", "outlet", "text")}))
' "$1"
}

for set in basil wcl; do
  src=$basil; [ $set = wcl ] && src=$wcl
  strip "$src" > $set.jsonl
  "$CROSSCHECK" run $set.jsonl --db $set.db -q --no-reconcile || fail "$set: run failed"
  events=$(sql $set.db "SELECT count(*) FROM events")
  ungrouped=$(sql $set.db "SELECT count(*) FROM documents WHERE event_id IS NULL")
  [ "$ungrouped" = 0 ] || fail "$set: $ungrouped documents without an event"
  python3 "$CC_SOURCE/tools/group-score.py" $set.db "$src" \
    --min-precision 0.90 --min-recall 0.90 > $set.score || { cat $set.score; fail "$set: below 0.90"; }
  echo "$set: $events events; $(tail -1 $set.score)"
done

# Incremental: a second run adds the held-back half of BASIL to the events of the first
# half; the grouping of the whole is as good as grouping it at once.
python3 -c '
import sys
lines = open("basil.jsonl").read().splitlines()
open("a.jsonl", "w").write("\n".join(lines[0::2]) + "\n")
open("b.jsonl", "w").write("\n".join(lines[1::2]) + "\n")
'
"$CROSSCHECK" run a.jsonl --db inc.db -q --no-reconcile || fail "first half"
first=$(sql inc.db "SELECT group_concat(id) FROM events")
"$CROSSCHECK" run b.jsonl --db inc.db -q --no-reconcile || fail "second half"
kept=$(sql inc.db "SELECT group_concat(id) FROM events WHERE id <= (SELECT max(id) FROM events WHERE run_id = 1)")
[ "$first" = "$kept" ] || fail "the first run's events changed: $first -> $kept"
grown=$(sql inc.db "SELECT count(DISTINCT d.event_id) FROM documents d JOIN events e ON e.id = d.event_id WHERE d.run_id = 2 AND e.run_id = 1")
[ "$grown" -gt 50 ] || fail "only $grown events of the first run took documents of the second"
python3 "$CC_SOURCE/tools/group-score.py" inc.db "$basil" --min-precision 0.90 \
  --min-recall 0.90 > inc.score || { cat inc.score; fail "incremental grouping below 0.90"; }
echo "basil in two runs: $grown events grown; $(tail -1 inc.score)"
pass "events: basil and newswcl50 grouped with pairwise precision and recall >= 0.90"
