# Archives, compressed feeds and web archives give the same documents and claims as the
# plain files they hold. The fixtures are built here, at test time, from examples/articles
# (tests/support/make_archives.py): tar, tar.gz, tar.bz2, tar.xz, tar.zst, zip (nested
# folders, hidden members, a link), a zip holding a tar.gz, a .jsonl.gz, and WARC files
# whose response records carry the articles as text and as HTML pages.
source "$(dirname "$0")/lib.sh"

CONFIG="$CC_SOURCE/examples/crosscheck.lua"
cp -r "$CC_SOURCE/examples/articles" articles
python3 "$CC_SOURCE/tests/support/make_archives.py" articles fx

# run DB INPUT...: a run that must succeed with no error at all.
run() {
  local db=$1; shift
  expect_status 0 "$CROSSCHECK" run "$@" --db "$db" --config "$CONFIG" -q
  [ ! -s err ] || { cat err; fail "$*: messages from a clean input"; }
  [ "$(sql "$db" "SELECT count(*) FROM errors")" -eq 0 ] || fail "$*: errors recorded"
}

# same DB_A PREFIX_A DB_B PREFIX_B [SUFFIX]: every document of A whose name starts with
# PREFIX_A (and ends with SUFFIX) has its twin in B under PREFIX_B (same remaining name,
# same cleaned-text hash), B has no other document (every name in B starts with
# PREFIX_B), and both give the same claims.
same() {
  python3 - "$@" <<'PY'
import sqlite3, sys
a_db, a_pre, b_db, b_pre = sys.argv[1:5]
suffix = sys.argv[5] if len(sys.argv) > 5 else ""

def load(db, pre, keep, strict):
    c = sqlite3.connect(db)
    docs, claims = {}, []
    for name, h in c.execute("SELECT name, hash FROM documents"):
        if strict and not name.startswith(pre):
            sys.exit(f"{db}: document '{name}' is not named '{pre}...'")
        if name.startswith(pre) and keep(name[len(pre):]):
            docs[name[len(pre):]] = h
    for row in c.execute("SELECT d.name, d.hash, c.measure, c.subject, c.unit, c.low, c.high, "
                         "c.qualifier, c.claimant FROM claims c JOIN documents d ON d.id = c.doc_id"):
        if row[0].startswith(pre) and keep(row[0][len(pre):]):
            claims.append((row[0][len(pre):],) + row[1:])
    return docs, sorted(claims, key=repr)

a_docs, a_claims = load(a_db, a_pre, lambda r: r.endswith(suffix), False)
b_docs, b_claims = load(b_db, b_pre, lambda r: True, True)
if not a_docs:
    sys.exit(f"{a_db}: no documents to compare")
if a_docs != b_docs:
    for k in sorted(set(a_docs) | set(b_docs)):
        if a_docs.get(k) != b_docs.get(k):
            sys.exit(f"{b_db}: document '{k}': hash {b_docs.get(k)}, the plain files give {a_docs.get(k)}")
if not a_claims:
    sys.exit(f"{a_db}: no claims to compare")
if a_claims != b_claims:
    diff = sorted(set(a_claims) ^ set(b_claims), key=repr)[:3]
    sys.exit(f"{b_db}: {len(b_claims)} claims, the plain files give {len(a_claims)}; e.g. {diff}")
print(f"{b_db}: {len(b_docs)} documents and {len(b_claims)} claims as the plain files")
PY
}

run folder.db articles
[ "$(sql folder.db "SELECT count(*) FROM documents WHERE name LIKE 'articles/wire.jsonl:%'")" -ge 1 ] || \
  fail "the folder's JSONL feed gave no documents"

# Archives: members named ARCHIVE:news/2025/<file>, the feed inside read as JSONL
# (ARCHIVE:news/2025/wire.jsonl:<id>); the folder entry, .DS_Store and the link give
# nothing. articles.tar.zst is there when the zstd program is.
for a in fx/articles.tar fx/articles.tar.gz fx/articles.tar.bz2 fx/articles.tar.xz \
         fx/articles.tar.zst fx/articles.zip; do
  [ -f "$a" ] || { echo "skipped: $a (no zstd program to build it)"; continue; }
  db=$(basename "$a").db
  run "$db" "$a"
  same folder.db articles/ "$db" "$a:news/2025/" || fail "$a differs from the folder"
  [ "$(sql "$db" "SELECT count(DISTINCT source) FROM documents")" -eq 1 ] && \
    [ "$(sql "$db" "SELECT source FROM documents LIMIT 1")" = "$a" ] || fail "$a: source is not the archive"
  pass "$a"
done

# An archive inside an archive: outer.zip:in/articles.tar.gz:news/2025/<file>.
run nested.db fx/nested.zip
same folder.db articles/ nested.db "fx/nested.zip:in/articles.tar.gz:news/2025/" || fail "nested archive"
pass "archive inside an archive"

# A gzipped JSONL feed: records named FILE:<id> as in a plain .jsonl.
run jsonl.db fx/wire.jsonl.gz
same folder.db articles/wire.jsonl: jsonl.db fx/wire.jsonl.gz: || fail ".jsonl.gz differs from .jsonl"
pass ".jsonl.gz"

# WARC, plain and one gzip member per record: the text articles as response payloads
# (plain, chunked, gzip-encoded, both, and one resource record), named by target URI;
# warcinfo, request, metadata, revisit records, a redirect and an image give nothing.
for w in fx/articles.warc fx/articles.warc.gz; do
  db=$(basename "$w").db
  run "$db" "$w"
  same folder.db articles/ "$db" "$w:https://news.example/2025/" .txt || fail "$w differs from the folder"
  n=$(sql "$db" "SELECT count(*) FROM documents WHERE url = substr(name, length('$w:') + 1)")
  [ "$n" -eq "$(sql "$db" "SELECT count(*) FROM documents")" ] || fail "$w: url is not the target URI"
  pass "$w"
done

# HTML pages: the same pages as files and inside a WARC (text/html responses) give the
# same documents and claims.
run pages.db fx/pages
run pages_warc.db fx/pages.warc.gz
same pages.db fx/pages/ pages_warc.db "fx/pages.warc.gz:https://pages.example/2025/" || \
  fail "HTML pages in a WARC differ from the same pages as files"
pass "HTML in WARC"

# Everything at once, with -j 2: the same documents as the runs one by one.
run all.db fx -j 2
total=0
for db in articles.tar.db articles.tar.gz.db articles.tar.bz2.db articles.tar.xz.db \
          articles.zip.db nested.db jsonl.db articles.warc.db articles.warc.gz.db pages.db pages_warc.db; do
  total=$((total + $(sql "$db" "SELECT count(*) FROM documents")))
done
[ -f fx/articles.tar.zst ] && total=$((total + $(sql articles.tar.zst.db "SELECT count(*) FROM documents")))
# The same text under two names is stored once: as many texts as distinct hashes, and
# every other name (the same article in another archive) a copy of one of them.
distinct=$(python3 - <<'PY'
import glob, sqlite3
hashes = set()
for db in glob.glob("*.db"):
    if db not in ("all.db", "folder.db"):
        hashes |= {h for (h,) in sqlite3.connect(db).execute(
            "SELECT hash FROM documents WHERE copy_of IS NULL")}
print(len(hashes))
PY
)
texts=$(sql all.db "SELECT count(*) FROM documents WHERE copy_of IS NULL")
[ "$texts" -eq "$distinct" ] || fail "the whole fixture folder gave $texts texts, not $distinct"
[ "$(sql all.db "SELECT count(*) FROM documents")" -eq "$total" ] ||
  fail "the whole fixture folder gave $(sql all.db "SELECT count(*) FROM documents") names, not $total"
[ "$(sql all.db "SELECT count(*) FROM documents c JOIN documents d ON d.id = c.copy_of
                 WHERE c.text = '' AND d.copy_of IS NULL AND d.text <> ''")" -eq $((total - distinct)) ] ||
  fail "a copy without its text's document, or with text of its own"
[ "$(sql all.db "SELECT docs_read FROM runs")" -eq "$total" ] || fail "the whole fixture folder read $(sql all.db "SELECT docs_read FROM runs") articles, not $total"
pass "archives"
