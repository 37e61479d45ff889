# Bad archives and web archives, one row per kind of damage, each mixed with good
# articles (tests/support/make_bad_archives.py builds them here, at test time). One run
# reads them all: every row gets a message naming ARCHIVE:member (and the byte offset
# where there is one) and an errors row, every good article is stored, nothing else
# fails, and the run exits 3.
source "$(dirname "$0")/lib.sh"

python3 "$CC_SOURCE/tests/support/make_bad_archives.py" in
source in.facts
# A small size limit, so that a 5 MiB member is too big; the bomb (3.5 MiB of text in a
# few KiB, under that limit) is caught by its compression ratio.
cat > small.lua <<LUA
return { scripts = "$CC_SOURCE/scripts", limits = { max_document_mb = 4 } }
LUA

expect_status 3 "$CROSSCHECK" run in --db b.db --config small.lua
cat err

# label | what the message must say (grep -E) | the errors row (SQL condition)
rows=(
  "truncated gzip|in/trunc.tar.gz:zz_filler.txt.*byte [0-9]+.*ends in the middle of member in/trunc.tar.gz:zz_filler.txt.*truncated|source='in/trunc.tar.gz' AND member='in/trunc.tar.gz:zz_filler.txt' AND \"offset\" > 0"
  "truncated .jsonl.gz|in/feed.jsonl.gz.*line [0-9]+.*byte [0-9]+.*gzip data ends early.*truncated|source='in/feed.jsonl.gz' AND line > 1 AND \"offset\" > 0 AND message LIKE '%truncated%'"
  "corrupt tar|in/corrupt.tar.*byte $corrupt_tar_offset.*damaged header after member in/corrupt.tar:good_[0-9]+.txt|source='in/corrupt.tar' AND \"offset\" = $corrupt_tar_offset"
  "corrupt zip|in/corrupt.zip:bad.txt.*byte [0-9]+.*member in/corrupt.zip:bad.txt cannot be read|source='in/corrupt.zip' AND member='in/corrupt.zip:bad.txt' AND \"offset\" > 0"
  "not an archive|in/notarchive.zip.*not an archive|source='in/notarchive.zip' AND member IS NULL"
  "WARC length too short|in/lengths.warc:https://bad.example/short.*byte $warc_short_offset.*Content-Length.*length is wrong|source='in/lengths.warc' AND member='in/lengths.warc:https://bad.example/short' AND \"offset\" = $warc_short_offset"
  "WARC length too long|in/lengths.warc:https://bad.example/long.*byte $warc_long_offset.*Content-Length.*length is wrong|source='in/lengths.warc' AND member='in/lengths.warc:https://bad.example/long' AND \"offset\" = $warc_long_offset"
  "WARC cut short|in/lengths.warc:https://bad.example/cut.*byte $warc_cut_offset.*file ends.*truncated|source='in/lengths.warc' AND member='in/lengths.warc:https://bad.example/cut' AND \"offset\" = $warc_cut_offset"
  "decompression bomb (zip)|in/bomb.zip:bomb.txt.*byte [0-9]+.*decompression bomb|source='in/bomb.zip' AND member='in/bomb.zip:bomb.txt' AND message LIKE '%max_compression_ratio%'"
  "decompression bomb (tar.gz)|in/bomb.tar.gz:bomb.txt.*byte [0-9]+.*decompression bomb|source='in/bomb.tar.gz' AND member='in/bomb.tar.gz:bomb.txt' AND message LIKE '%max_compression_ratio%'"
  "member over the size limit|in/big.tar:big.txt.*larger than the limit|source='in/big.tar' AND member='in/big.tar:big.txt' AND message LIKE '%max_document_mb%'"
  "binary member|in/binary.tar:blob.dat.*binary|source='in/binary.tar' AND member='in/binary.tar:blob.dat' AND message LIKE '%binary%'"
  "deeply nested HTML|in/html.tar:deep.html|source='in/html.tar' AND member='in/html.tar:deep.html'"
  "malformed HTML|in/html.tar:malformed.html|source='in/html.tar' AND member='in/html.tar:malformed.html'"
  "empty tar|in/empty.tar.*no members|source='in/empty.tar' AND message LIKE '%no members%'"
  "empty zip|in/empty.zip.*no members|source='in/empty.zip' AND message LIKE '%no members%'"
  "unreadable file|in/gone.tar.gz.*cannot open|source='in/gone.tar.gz' AND stage='read'"
)

failed=0
files=()
for row in "${rows[@]}"; do
  IFS='|' read -r label pattern where <<<"$row"
  ok=1
  grep -Eq -- "$pattern" err || { echo "FAIL: $label: no message matching '$pattern'" >&2; ok=0; }
  n=$(sql b.db "SELECT count(*) FROM errors WHERE $where")
  [ "$n" -ge 1 ] || { echo "FAIL: $label: no errors row where $where" >&2; ok=0; }
  [ $ok = 1 ] && pass "$label" || failed=$((failed + 1))
  files+=("$(sed -E "s/.*source='([^']*)'.*/\1/" <<<"$where")")
done

# Nothing failed but the rows: every errors row is about one of the table's files.
others=$(python3 - b.db "${files[@]}" <<'PY'
import sqlite3, sys
known = set(sys.argv[2:])
rows = sqlite3.connect(sys.argv[1]).execute("SELECT source, member, message FROM errors").fetchall()
for r in rows:
    if r[0] not in known:
        print(r)
PY
)
[ -z "$others" ] || { echo "FAIL: errors outside the table: $others" >&2; failed=$((failed + 1)); }

# Every good article is stored, under its own name.
missing=$(python3 - b.db in.good <<'PY'
import sqlite3, sys
names = {n for (n,) in sqlite3.connect(sys.argv[1]).execute("SELECT name FROM documents")}
want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
print(len(want), " ".join(w for w in want if w not in names)[:2000])
PY
)
read -r n_good lost <<<"$missing"
[ "$n_good" -gt 100 ] || { echo "FAIL: only $n_good good articles in the fixtures" >&2; failed=$((failed + 1)); }
[ -z "$lost" ] || { echo "FAIL: good articles not stored: $lost" >&2; failed=$((failed + 1)); }
[ "$(sql b.db "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = "partial" ] || \
  { echo "FAIL: run not marked partial" >&2; failed=$((failed + 1)); }

[ "$failed" -eq 0 ] || fail "$failed of the checks above failed"
pass "bad archives: ${#rows[@]} rows, $n_good good articles stored"
