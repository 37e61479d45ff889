# Events: which documents share one, which event each figure belongs to, the grouping
# policy and its failures, the event table, and a regroup. The articles are written for
# this test: two reports of one colliery explosion, and a later report of another mine
# accident that recalls the explosion and a fire of 1995.
source "$(dirname "$0")/lib.sh"
mkdir in
cat > in/mines.jsonl <<'JSONL'
{"id": "a1", "title": "Explosion at Northfield colliery kills 30", "date": "2024-03-10", "outlet": "Wire", "text": "Thirty miners were killed in an explosion deep inside the Northfield colliery on Sunday, the mine's owners said.\n\nRescue teams reached the shaft after the methane blast, the owners said."}
{"id": "a2", "title": "Northfield colliery death toll rises to 34", "date": "2024-03-11", "outlet": "Courier", "text": "The toll of the methane explosion at the Northfield colliery rose to 34 miners on Monday, rescue teams said.\n\nThe owners of the colliery said the shaft would stay closed."}
{"id": "b1", "title": "Roof collapse at Kestrel gold mine kills six", "date": "2024-03-15", "outlet": "Wire", "text": "Six workers died when a roof collapsed at the Kestrel gold mine on Thursday, the company said.\n\nLast Sunday, 34 miners died in the methane explosion at the Northfield colliery.\n\nIn 1995 a fire in another mine killed 120 people."}
JSONL
expect_status 0 "$CROSSCHECK" run in --db e.db -q
ev() { sql e.db "SELECT event_id FROM documents WHERE name LIKE '%:$1'"; }
a1=$(ev a1); a2=$(ev a2); b1=$(ev b1)
[ -n "$a1" ] && [ "$a1" = "$a2" ] || fail "the two explosion reports should share an event ($a1, $a2)"
[ -n "$b1" ] && [ "$b1" != "$a1" ] || fail "the gold mine accident is another incident ($b1, $a1)"
claim_ev() { sql e.db "SELECT coalesce(c.event_id, 'none') FROM claims c JOIN documents d ON d.id = c.doc_id WHERE d.name LIKE '%:b1' AND c.low = $1 AND c.sentence > 0"; }
[ "$(claim_ev 6)" = "$b1" ] || fail "six killed belongs to its own story's event, not $(claim_ev 6)"
[ "$(claim_ev 34)" = "$a1" ] || fail "the 34 recalled belong to the explosion's event, not $(claim_ev 34)"
[ "$(claim_ev 120)" = "none" ] || fail "the fire of 1995 is no stored event, not $(claim_ev 120)"

# the rules compare within an event: 30 -> 34 is an update, never a conflict with the six
expect_status 0 "$CROSSCHECK" export e.db --what findings --format jsonl
python3 - "$WORK/out" "$a1" <<'PY' || fail "findings: $(cat "$WORK/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
a1 = int(sys.argv[2])
ups = [f for f in rows if f["kind"] == "update" and f["event"] == a1]
assert ups and "30" in ups[0]["summary"] and "34" in ups[0]["summary"], ups
for f in rows:
    if f["kind"] in ("conflict", "agreement", "update"):
        assert f["event"] is not None, f
        assert not ("6" in f["summary"].split() and "30" in f["summary"]), f
PY

# the event table
expect_status 0 "$CROSSCHECK" export e.db --what events --format jsonl
python3 - "$WORK/out" "$a1" "$b1" <<'PY' || fail "event table: $(cat "$WORK/out")"
import json, sys
rows = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
a, b = rows[int(sys.argv[2])], rows[int(sys.argv[3])]
assert a["docs"] == 2 and a["first_date"] == "2024-03-10" and a["last_date"] == "2024-03-11", a
assert a["outlets"] == ["Courier", "Wire"], a
assert a["killed_low"] == 30 and a["killed_high"] == 34, a
assert b["docs"] == 1 and b["killed_best"] == 6, b
assert any(f["measure"] == "killed" and f["claims"] for f in a["figures"]), a
PY
expect_status 0 "$CROSSCHECK" export e.db --what events --format csv
head -1 "$WORK/out" | tr -d '\r' | grep -q '^id,title,first_date,last_date,docs,documents,outlets,places,parties,killed_best,killed_low,killed_high,figures$' || fail "csv header: $(head -1 "$WORK/out")"

# a later run adds to the stored events; regrouping starts over with the same result
cat > in2.jsonl <<'JSONL'
{"id": "a3", "title": "Northfield colliery to reopen after explosion", "date": "2024-03-12", "outlet": "Wire", "text": "The Northfield colliery, where a methane explosion killed 34 miners on Sunday, will reopen next month, its owners said.\n\nRescue teams finished their work in the shaft."}
JSONL
expect_status 0 "$CROSSCHECK" run in2.jsonl --db e.db -q
[ "$(ev a3)" = "$a1" ] || fail "the later report joins the stored event ($(ev a3) != $a1)"
n=$(sql e.db "SELECT count(*) FROM events")
expect_status 0 "$CROSSCHECK" reconcile e.db --regroup -q
[ "$(sql e.db "SELECT count(*) FROM events")" = "$n" ] || fail "regroup: $n events before, $(sql e.db "SELECT count(*) FROM events") after"
[ "$(ev a1)" = "$(ev a3)" ] && [ "$(ev b1)" != "$(ev a1)" ] || fail "regroup changed the grouping"

# a broken policy: a clear message naming the file, recorded, the documents kept
mkdir -p cfg/scripts
printf 'return { window_days = "five" }\n' > cfg/scripts/events.lua
printf 'return { scripts = "scripts" }\n' > cfg/crosscheck.lua
cp -r "$CC_SOURCE/scripts/." cfg/scripts/ 2>/dev/null || true
printf 'return { window_days = "five" }\n' > cfg/scripts/events.lua
cat > in3.jsonl <<'JSONL'
{"id": "c1", "title": "Flood in the valley", "date": "2024-04-01", "outlet": "Wire", "text": "Floods killed nine people in the valley on Monday, officials said."}
JSONL
expect_status 0 "$CROSSCHECK" run in3.jsonl --db e.db --config cfg/crosscheck.lua -q
grep -q "events.lua: 'window_days' must be a number" "$WORK/err" || fail "no clear message: $(cat "$WORK/err")"
[ "$(sql e.db "SELECT count(*) FROM errors WHERE stage = 'events'")" -ge 1 ] || fail "the failure is not recorded"
[ -z "$(ev c1)" ] || fail "a document was grouped under a broken policy"
[ "$(sql e.db "SELECT count(*) FROM claims c JOIN documents d ON d.id = c.doc_id WHERE d.name LIKE '%:c1'")" -ge 1 ] || fail "the document's claims were lost"
pass "events: grouping, figures placed in their incident's event, event table, regroup, policy errors"
