# Bad input, one case per row: each gets a message naming it and an errors row, the good
# articles are stored, and the run exits 3.
source "$(dirname "$0")/lib.sh"

mkdir in
cat > in/good.txt <<'TXT'
Flooding in the valley

Officials said about 200 people were evacuated on Monday.
TXT
: > in/empty.txt
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00' > in/binary.bin
head -c 4096 /dev/urandom >> in/binary.bin
printf 'Storm report\n\nThe agency said 40 homes were damaged \xff\xfe in the storm.\n' > in/latin.txt
cat > in/feed.jsonl <<'TXT'
{"id": "a1", "title": "Quake", "date": "26-FEB-1987 15:01:01.79", "text": "A quake hit the coast. Rescuers said 12 people were hurt."}
{"id": "a2", "title": "Broken", "text": "this line is cut off
{"id": "a3", "title": "No body"}
TXT

expect_status 3 "$CROSSCHECK" run in missing_dir/nothing.txt --db b.db
cat err

# row: what must appear in the messages (file, member or line) and the errors table
check() {
  local label=$1 pattern=$2 where=$3
  grep -q -- "$pattern" err || fail "$label: no message matching '$pattern'"
  n=$(sql b.db "SELECT count(*) FROM errors WHERE $where")
  [ "$n" -ge 1 ] || fail "$label: no errors row ($where)"
  pass "$label"
}
check "missing path" "missing_dir/nothing.txt" "source LIKE '%missing_dir/nothing.txt' AND stage='read'"
check "empty file" "in/empty.txt" "source LIKE '%in/empty.txt'"
check "binary file" "in/binary.bin.*binary" "source LIKE '%in/binary.bin' AND message LIKE '%binary%'"
check "invalid UTF-8" "in/latin.txt.*invalid" "source LIKE '%in/latin.txt' AND message LIKE '%invalid%' AND offset >= 0"
check "malformed JSONL line" "in/feed.jsonl.*line 2" "source LIKE '%in/feed.jsonl' AND line = 2"
check "JSONL record without text" "in/feed.jsonl.*line 3" "source LIKE '%in/feed.jsonl' AND line = 3"

# The good ones are stored: the text file, the JSONL record, and the invalid-UTF-8 file
# (with its bad bytes replaced and counted).
[ "$(sql b.db "SELECT count(*) FROM documents WHERE name LIKE '%in/good.txt'")" -eq 1 ] || fail "good.txt not stored"
[ "$(sql b.db "SELECT count(*) FROM documents WHERE name LIKE '%feed.jsonl:a1'")" -eq 1 ] || fail "JSONL record a1 not stored"
[ "$(sql b.db "SELECT date FROM documents WHERE name LIKE '%feed.jsonl:a1'")" = "1987-02-26" ] || fail "JSONL date as written not read as ISO"
[ "$(sql b.db "SELECT invalid_bytes FROM documents WHERE name LIKE '%latin.txt'")" -ge 2 ] || fail "invalid bytes not counted"
[ "$(sql b.db "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = "partial" ] || fail "run not marked partial"
pass "bad input"
