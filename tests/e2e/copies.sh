# Copies: a text filed again under another name (a wire story under two ids) is kept as a
# name of the first filing (documents.copy_of, no text or claims of its own), reported by
# the derived-copies rule, and running the same input again adds nothing.
source "$(dirname "$0")/lib.sh"

CONFIG="$CC_SOURCE/examples/crosscheck.lua"
python3 - <<'PY'
import json
story = ("A landslide buried part of the hill village of Marrow Creek early on Sunday. "
         "The district police chief said 12 people were killed and at least 30 were hurt, "
         "and rescue teams were still searching the mud for survivors.")
other = ("Heavy rain closed the coastal road for a second day. The transport office said "
         "about 200 drivers were stranded overnight near the harbour.")
recs = [
    {"id": "w1", "title": "Landslide hits Marrow Creek", "outlet": "Tidewire",
     "published": "2025-02-09", "text": story},
    {"id": "w2", "title": "Landslide hits Marrow Creek", "outlet": "Tidewire",
     "published": "2025-02-09", "text": story},
    {"id": "w3", "title": "Coastal road closed", "outlet": "Tidewire",
     "published": "2025-02-10", "text": other},
]
with open("feed.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
# a later feed that files the landslide story a third time
with open("later.jsonl", "w") as f:
    f.write(json.dumps(dict(recs[0], id="x7", outlet="Harbour Desk")) + "\n")
PY

run() { expect_status 0 "$CROSSCHECK" run "$@" --config "$CONFIG"; }
id_of() { sql "$1" "SELECT id FROM documents WHERE name = '$2'"; }

run feed.jsonl --db c.db
grep -q "3 documents read: 2 stored, 0 already stored, 0 duplicates, 1 copies, 0 failed" err ||
  { cat err; fail "the summary does not count the copy"; }
[ "$(sql c.db "SELECT count(*) FROM documents")" -eq 3 ] || fail "not three documents"
w1=$(id_of c.db feed.jsonl:w1); w2=$(id_of c.db feed.jsonl:w2); w3=$(id_of c.db feed.jsonl:w3)
[ "$(sql c.db "SELECT copy_of FROM documents WHERE id = $w2")" = "$w1" ] || fail "w2 is not a copy of w1"
[ -z "$(sql c.db "SELECT copy_of FROM documents WHERE id IN ($w1, $w3) AND copy_of IS NOT NULL")" ] ||
  fail "w1 or w3 is a copy"
[ "$(sql c.db "SELECT text || '|' || zones || '|' || title || '|' || outlet || '|' || date
               FROM documents WHERE id = $w2")" = "|[]|Landslide hits Marrow Creek|Tidewire|2025-02-09" ] ||
  fail "the copy's row: $(sql c.db "SELECT text || '|' || zones || '|' || title FROM documents WHERE id = $w2")"
[ "$(sql c.db "SELECT hash FROM documents WHERE id = $w2")" != "$(sql c.db "SELECT hash FROM documents WHERE id = $w1")" ] ||
  fail "the copy has the text's hash"
for t in sentences mentions claims; do
  [ "$(sql c.db "SELECT count(*) FROM $t WHERE doc_id = $w2")" -eq 0 ] || fail "the copy has $t"
  [ "$(sql c.db "SELECT count(*) FROM $t WHERE doc_id = $w1")" -gt 0 ] || fail "the original has no $t"
done
pass "a text under a second id is a copy without text or claims"

# The finding: docs = the copy, then the original; the original's claims.
"$CROSSCHECK" export c.db --what findings --format jsonl > findings.jsonl
python3 - "$w1" <<'PY' || fail "no derived finding for the copy"
import json, sys
fs = [json.loads(l) for l in open("findings.jsonl")]
derived = [f for f in fs if f["kind"] == "derived"]
assert len(derived) == 1, derived
f = derived[0]
assert f["rule"] == "derived-copies", f
assert f["docs"] == ["feed.jsonl:w2", "feed.jsonl:w1"], f["docs"]
assert f["details"] == {"identical": True, "similarity": 1}, f["details"]
assert f["claims"], "no claims"
assert f["summary"] == ("Tidewire (feed.jsonl:w2) is feed.jsonl:w1 filed again under another "
                        "name (identical text)"), f["summary"]
PY
[ "$(sql c.db "SELECT count(*) FROM finding_claims fc JOIN findings f ON f.id = fc.finding_id
               JOIN claims c ON c.id = fc.claim_id WHERE f.kind = 'derived' AND c.doc_id <> $w1")" -eq 0 ] ||
  fail "the finding lists claims of another document"
[ "$(sql c.db "SELECT count(*) FROM finding_claims fc JOIN findings f ON f.id = fc.finding_id
               WHERE f.kind = 'derived'")" -eq "$(sql c.db "SELECT count(*) FROM claims WHERE doc_id = $w1")" ] ||
  fail "the finding does not list every claim of the text"
pass "derived finding"

# Export and report show the copy for what it is.
"$CROSSCHECK" export c.db --what documents --format jsonl > docs.jsonl
python3 - "$w1" <<'PY' || fail "the documents export"
import json, sys
docs = {d["name"]: d for d in map(json.loads, open("docs.jsonl"))}
c = docs["feed.jsonl:w2"]
assert c["copy_of"] == int(sys.argv[1]) and c["text"] == "" and c["claims"] == 0, c
assert docs["feed.jsonl:w1"]["copy_of"] is None and docs["feed.jsonl:w1"]["text"], docs
PY
expect_status 0 "$CROSSCHECK" report c.db
grep -q "| copy of #$w1 |" out || { cat out; fail "the report does not mark the copy"; }
expect_status 0 "$CROSSCHECK" report c.db --format json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" || fail "report JSON"
pass "export and report"

# Running the same input again, from here or from another folder, adds nothing.
snapshot() { python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ("documents", "sentences", "mentions", "claims"):
    print(t, db.execute("SELECT count(*) FROM " + t).fetchone()[0])
print(db.execute("SELECT group_concat(summary, \"|\") FROM findings ORDER BY id").fetchone()[0])
' "$1"; }
before=$(snapshot c.db)
run feed.jsonl --db c.db
grep -q "3 documents read: 0 stored, 3 already stored, 0 duplicates, 0 copies" err ||
  { cat err; fail "a rerun stored something"; }
mkdir sub
(cd sub && expect_status 0 "$CROSSCHECK" run ../feed.jsonl "$WORK/feed.jsonl" --db ../c.db --config "$CONFIG")
grep -q "6 documents read: 0 stored, 6 already stored, 0 duplicates, 0 copies" err ||
  { cat err; fail "the same input by other paths stored something"; }
[ "$(snapshot c.db)" = "$before" ] || fail "a rerun changed the database"
pass "rerun adds nothing"

# A later run that files the text a third time: a copy of the same original.
run later.jsonl --db c.db
grep -q "1 documents read: 0 stored, 0 already stored, 0 duplicates, 1 copies" err ||
  { cat err; fail "the later filing is not a copy"; }
x7=$(id_of c.db later.jsonl:x7)
[ "$(sql c.db "SELECT copy_of || '|' || outlet || '|' || text FROM documents WHERE id = $x7")" = "$w1|Harbour Desk|" ] ||
  fail "the later copy's row"
[ "$(sql c.db "SELECT count(*) FROM findings WHERE kind = 'derived'")" -eq 2 ] || fail "not two copy findings"
"$CROSSCHECK" export c.db --what findings --format jsonl > findings.jsonl
grep -q '"docs":\["later.jsonl:x7","feed.jsonl:w1"\]' findings.jsonl || fail "no finding for the later copy"
grep -q 'Harbour Desk (later.jsonl:x7) is Tidewire (feed.jsonl:w1) filed again' findings.jsonl ||
  fail "the later copy's summary"
pass "a copy of a text stored by an earlier run"

# Every -j stores the same rows.
run feed.jsonl later.jsonl --db j1.db -j 1
run feed.jsonl later.jsonl --db j2.db -j 2
dump() { python3 -c 'import sqlite3,sys; [print(r) for r in sqlite3.connect(sys.argv[1]).execute("SELECT id, name, hash, copy_of FROM documents ORDER BY id")]' "$1"; }
[ "$(dump j1.db)" = "$(dump j2.db)" ] || fail "-j 1 and -j 2 store different documents"
[ "$(sql j1.db "SELECT count(*) FROM documents WHERE copy_of IS NOT NULL")" -eq 2 ] || fail "not two copies in one run"
pass "copies"
