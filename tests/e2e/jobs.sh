# -j N: the same input run with 1, 2 and 4 worker threads must give the same database
# (documents, claims, mentions and errors, ids included), the same counts and the same
# exit status.
source "$(dirname "$0")/lib.sh"

# The input: the example articles, the seeds when present, bad files, copies of articles
# with a line appended (new documents with mostly the same text), an exact copy under
# another name (a copy of a text stored within the run) and a file with invalid UTF-8.
mkdir in
cp -r "$CC_SOURCE/examples/articles" in/articles
[ -d "$CC_SHARED/seeds" ] && cp -r "$CC_SHARED/seeds" in/seeds
: > in/empty.txt
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00' > in/binary.bin
head -c 4096 /dev/urandom >> in/binary.bin
printf 'Storm report\n\nThe agency said 40 homes were damaged \xff\xfe in the storm.\n' > in/latin.txt
n=0
for f in in/articles/*.txt; do
  n=$((n + 1))
  { cat "$f"; echo; echo "Officials said $((n * 7)) more people were affected on Tuesday."; } > "in/copy_$n.txt"
done
cp "$(ls in/articles/*.txt | head -n 1)" in/zz_exact_copy.txt

for j in 1 2 4; do
  expect_status 3 "$CROSSCHECK" run in --db "j$j.db" -q -j "$j"
  cp err "err$j"
done

# compare DB_A DB_B [TABLES]: prints the first difference and exits 1.
compare() {
  python3 - "$@" <<'PY'
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
tables = sys.argv[3].split(",") if len(sys.argv) > 3 else ["documents", "claims", "mentions", "errors", "runs"]
queries = {
    "documents": "SELECT id, name, hash FROM documents ORDER BY id",
    "claims": "SELECT * FROM claims ORDER BY id",
    "mentions": "SELECT * FROM mentions ORDER BY id",
    "errors": "SELECT source, member, line, stage, message FROM errors ORDER BY id",
    "runs": "SELECT status, docs_read, docs_added, docs_duplicate, docs_failed, mentions, "
            "claims, findings, errors FROM runs ORDER BY id",
}
for t in tables:
    ra, rb = a.execute(queries[t]).fetchall(), b.execute(queries[t]).fetchall()
    if ra != rb:
        print(f"{t}: {len(ra)} rows in {sys.argv[1]}, {len(rb)} in {sys.argv[2]}")
        for x, y in zip(ra, rb):
            if x != y:
                print(f"  first difference:\n    {x}\n    {y}")
                break
        sys.exit(1)
    print(f"{t}: {len(ra)} rows the same")
PY
}

[ "$(sql j1.db "SELECT count(*) FROM claims")" -gt 0 ] || fail "no claims from the examples"
[ "$(sql j1.db "SELECT count(*) FROM errors")" -ge 2 ] || fail "the bad files left no errors"
[ "$(sql j1.db "SELECT docs_duplicate FROM runs")" -ge 1 ] || fail "the exact copy was not a duplicate"
[ "$(sql j1.db "SELECT count(*) FROM documents WHERE copy_of IS NOT NULL AND name LIKE '%zz_exact_copy.txt'")" -eq 1 ] ||
  fail "the exact copy was not stored as a copy"
for j in 2 4; do
  compare j1.db "j$j.db" || fail "-j 1 and -j $j differ"
  cmp -s err1 "err$j" || { diff err1 "err$j" | head; fail "-j 1 and -j $j printed different errors"; }
  pass "-j $j stores what -j 1 stores"
done

# Running again finds every article already stored, whatever -j.
for j in 1 4; do
  expect_status 3 "$CROSSCHECK" run in --db "j$j.db" -q -j "$j"
done
compare j1.db j4.db || fail "a second run differs between -j 1 and -j 4"
[ "$(sql j4.db "SELECT docs_added FROM runs WHERE id=2")" -eq 0 ] || fail "a second run added documents"
pass "second run"

# A bigger corpus, when the shared folder has it.
R="$CC_SHARED/corpora/reuters21578/reuters21578.jsonl.gz"
if [ -f "$R" ]; then
  set +o pipefail
  zcat "$R" | head -n 1500 > r.jsonl
  set -o pipefail
  for j in 1 2; do
    set +e
    "$CROSSCHECK" run r.jsonl --db "r$j.db" -q -j "$j" 2>/dev/null
    echo $? > "rc$j"
    set -e
  done
  cmp -s rc1 rc2 || fail "Reuters: exit status $(cat rc1) with -j 1, $(cat rc2) with -j 2"
  compare r1.db r2.db documents,claims,errors,runs || fail "Reuters: -j 1 and -j 2 differ"
  pass "Reuters, 1500 records"
else
  echo "no Reuters corpus: that part skipped"
fi
pass "jobs"
