# Resume: a run stopped part way (kill -9, SIGTERM) leaves a consistent database, and
# running the same command again ends with exactly the documents, mentions, claims and
# findings of a run that was never stopped. The input is made here: a few thousand
# articles built from the demo's, each with its own figures, outlet and closing line (so
# every text differs), plus two malformed lines and one exact copy under another id (a
# copy: a row of its own without text).
source "$(dirname "$0")/lib.sh"

N=${RESUME_ARTICLES:-1000}
python3 - "$CC_SOURCE/examples/articles" "$N" > in.jsonl <<'PY'
import glob, json, os, re, sys
src, n = sys.argv[1], int(sys.argv[2])
texts = []
for p in sorted(glob.glob(os.path.join(src, "*.txt"))):
    texts.append(open(p, encoding="utf-8").read())
for p in sorted(glob.glob(os.path.join(src, "*.jsonl"))):
    for line in open(p, encoding="utf-8"):
        if line.strip():
            texts.append(json.loads(line)["text"])
def vary(text, k):
    # Figures above 31 that are not years move by k, so copies disagree with each other.
    def f(m):
        v = int(m.group(0).replace(",", ""))
        if v <= 31 or 1900 <= v <= 2100:
            return m.group(0)
        return f"{v + k:,}"
    return re.sub(r"\d[\d,]*\d|\d", f, text)
for i in range(n):
    k = i // len(texts)
    rec = {"id": f"a{i}", "outlet": f"Outlet {i % 23}",
           "text": vary(texts[i % len(texts)], k) + f"\n\nFiled by desk {i}.\n"}
    print(json.dumps(rec, ensure_ascii=False))
    if i == n // 3:
        print('{"id": "broken", "text": "unterminated')
    if i == 2 * n // 3:
        print(json.dumps(dict(rec, id=f"copy{i}")))   # the same text again: a copy
        print('{"id": "no-text", "title": "nothing to read"}')
PY
total=$N
# The command every run of this test repeats. (An array, not a function: in the
# background the signal must reach crosscheck itself, not a subshell.)
run=("$CROSSCHECK" run in.jsonl --config "$CC_SOURCE/examples/crosscheck.lua" -j 2 --db)

expect_status 3 "${run[@]}" A.db -q
[ "$(sql A.db "SELECT count(*) FROM documents WHERE copy_of IS NULL")" -eq "$total" ] ||
  fail "A: not $total documents"
[ "$(sql A.db "SELECT count(*) FROM documents WHERE copy_of IS NOT NULL AND text = ''")" -eq 1 ] ||
  fail "A: the exact copy is not one copy"
[ "$(sql A.db "SELECT count(*) FROM claims")" -gt "$total" ] || fail "A: too few claims"
[ "$(sql A.db "SELECT count(*) FROM findings")" -gt 0 ] || fail "A: no findings"
pass "uninterrupted run: $total documents"

# count_docs DB: documents committed so far (0 before the file exists), read-only.
count_docs() {
  python3 - "$1" <<'PY'
import os, sqlite3, sys
n = 0
if os.path.exists(sys.argv[1]):
    try:
        db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=5)
        n = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        pass
print(n)
PY
}

# interrupt DB SIGNAL: starts the run in the background, waits until a batch is committed
# (documents > 0) and sends SIGNAL while documents are still missing. Prints the status.
interrupt() {
  local db=$1 sig=$2 n=0 i
  "${run[@]}" "$db" -q 2>/dev/null &
  local pid=$!
  for i in $(seq 1 6000); do
    n=$(count_docs "$db")
    [ "$n" -gt 0 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "-$sig" "$pid" 2>/dev/null || true
  local st=0
  wait "$pid" || st=$?
  echo "$st"
}

# compare A B: documents, mentions, claims and findings, keyed by names, not row ids.
compare() {
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
def dump(path):
    db = sqlite3.connect(path)
    out = {}
    out["documents"] = db.execute("SELECT id, name, hash FROM documents ORDER BY id").fetchall()
    out["mentions"] = db.execute(
        "SELECT d.name, m.idx, m.plugin, m.kind, m.start, m.\"end\", m.sentence, m.text, m.low,"
        " m.high, m.qualifier, m.value, m.attrs FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " ORDER BY m.id").fetchall()
    claim_cols = [r[1] for r in db.execute("PRAGMA table_info(claims)")
                  if r[1] not in ("id", "doc_id", "mention_id", "repeat_of")]
    key = {}
    rows = []
    for r in db.execute(
        "SELECT c.id, d.name, m.idx, r.start, r.\"end\", " + ", ".join("c.\"%s\"" % c for c in claim_cols) +
        " FROM claims c JOIN documents d ON d.id = c.doc_id"
        " LEFT JOIN mentions m ON m.id = c.mention_id LEFT JOIN claims r ON r.id = c.repeat_of"
        " ORDER BY c.id"):
        key[r[0]] = (r[1], r[2]) + tuple(r[5:])
        rows.append(r[1:])
    out["claims"] = rows
    names = dict(db.execute("SELECT id, name FROM documents"))
    fs = []
    for f in db.execute("SELECT id, rule, kind, measure, subject, unit, summary, details FROM findings"):
        claims = [key[c] for (c,) in db.execute(
            "SELECT claim_id FROM finding_claims WHERE finding_id = ? ORDER BY pos", (f[0],))]
        docs = [names[d] for (d,) in db.execute(
            "SELECT doc_id FROM finding_docs WHERE finding_id = ? ORDER BY pos", (f[0],))]
        who = [c for (c,) in db.execute(
            "SELECT claimant FROM finding_claimants WHERE finding_id = ? ORDER BY pos", (f[0],))]
        fs.append(repr((f[1:], claims, docs, who)))
    out["findings"] = sorted(fs)
    return out
a, b = dump(sys.argv[1]), dump(sys.argv[2])
bad = 0
for t in ("documents", "mentions", "claims", "findings"):
    if a[t] != b[t]:
        bad = 1
        print(f"{t}: {len(a[t])} in {sys.argv[1]}, {len(b[t])} in {sys.argv[2]}")
        for x, y in zip(a[t], b[t]):
            if x != y:
                print(f"  first difference:\n    {x}\n    {y}")
                break
    else:
        print(f"{t}: {len(a[t])} the same")
sys.exit(bad)
PY
}

# errors DB RUN: the errors a run recorded, without ids and times.
errors_of() { sql_all "$1" "SELECT source, member, line, stage, message FROM errors WHERE run_id = $2 ORDER BY id"; }
sql_all() { python3 -c 'import sqlite3,sys; [print(r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' "$1" "$2"; }

# check_resumed DB KIND: the stopped run's row is consistent with what it committed, the
# rerun continues it, and the result is A's.
check_resumed() {
  local db=$1 kind=$2
  local kept full
  kept=$(sql "$db" "SELECT count(*) FROM documents")   # with the copy, when it was reached
  full=$(sql "$db" "SELECT count(*) FROM documents WHERE copy_of IS NULL")
  [ "$full" -gt 0 ] && [ "$full" -lt "$total" ] || fail "$kind: $full documents kept, not part of $total"
  [ "$(sql "$db" "SELECT count(*) FROM documents WHERE run_id = 1")" -eq "$kept" ] ||
    fail "$kind: documents of another run"
  [ "$(sql "$db" "SELECT docs_added FROM runs WHERE id = 1")" -eq "$full" ] ||
    fail "$kind: the run row's counts are not those of what was committed"
  [ "$(sql "$db" "SELECT count(*) FROM documents d WHERE copy_of IS NULL AND NOT EXISTS
        (SELECT 1 FROM sentences s WHERE s.doc_id = d.id)")" -eq 0 ] ||
    fail "$kind: a document without its sentences"
  [ "$(sql "$db" "SELECT sum(claims) FROM runs WHERE id = 1")" -eq "$(sql "$db" "SELECT count(*) FROM claims")" ] ||
    fail "$kind: claims committed without their document's count, or the reverse"

  expect_status 3 "${run[@]}" "$db"
  # "N stored, K already stored": K is what the stopped run kept (the copy too when it
  # was among them); N the texts it had not reached.
  local line stored known
  line=$(grep "documents read:" err) || fail "$kind: no summary"
  stored=$(sed -n 's/.*documents read: \([0-9]*\) stored.*/\1/p' <<<"$line")
  known=$(sed -n 's/.* \([0-9]*\) already stored.*/\1/p' <<<"$line")
  [ "$stored" -eq $((total - full)) ] && [ "$known" -eq "$kept" ] ||
    fail "$kind: the summary does not say what was already stored: $line"
  [ "$(sql "$db" "SELECT status FROM runs WHERE id = 2")" = partial ] || fail "$kind: rerun status"
  [ "$(sql "$db" "SELECT docs_duplicate FROM runs WHERE id = 2")" -ge "$kept" ] || fail "$kind: rerun counts"
  # Articles that failed are tried again: the rerun meets every failure A met.
  [ "$(errors_of "$db" 2)" = "$(errors_of A.db 1)" ] || fail "$kind: the rerun's errors differ from A's"
  compare A.db "$db" || fail "$kind: the resumed database differs from the uninterrupted one"
  pass "$kind: $kept of $total documents kept, the rerun ends as the uninterrupted run"
}

st=$(interrupt B.db KILL)
[ "$st" -eq 137 ] || fail "kill -9: the run was not killed part way (status $st)"
[ "$(sql B.db "SELECT status FROM runs WHERE id = 1")" = running ] || fail "kill -9: run 1 is not left 'running'"
[ -z "$(sql B.db "SELECT finished FROM runs WHERE id = 1")" ] || fail "kill -9: run 1 has a finish time"
check_resumed B.db "kill -9"

st=$(interrupt C.db TERM)
[ "$st" -eq 130 ] || fail "SIGTERM: exit status $st, wanted 130"
[ "$(sql C.db "SELECT status FROM runs WHERE id = 1")" = interrupted ] || fail "SIGTERM: run 1 not 'interrupted'"
[ -n "$(sql C.db "SELECT finished FROM runs WHERE id = 1")" ] || fail "SIGTERM: run 1 has no finish time"
check_resumed C.db SIGTERM

# A third run of the same command stores nothing more and leaves the findings as they are.
expect_status 3 "${run[@]}" B.db
grep -q "documents read: 0 stored, $((total + 1)) already stored" err || fail "third run stored something"
compare A.db B.db || fail "a third run changed the database"
pass "third run"

# --no-reconcile stores without the rules; `reconcile` afterwards gives the same findings.
# With -j 1 this also checks that -j does not change the findings.
expect_status 3 "$CROSSCHECK" run in.jsonl --config "$CC_SOURCE/examples/crosscheck.lua" \
  -j 1 --no-reconcile --db D.db
grep -q "documents read: $total stored.* 0 findings (not reconciled)" err || fail "--no-reconcile summary"
[ "$(sql D.db "SELECT count(*) FROM findings")" -eq 0 ] || fail "--no-reconcile ran the rules"
expect_status 0 "$CROSSCHECK" reconcile D.db --config "$CC_SOURCE/examples/crosscheck.lua" -q
compare A.db D.db || fail "run --no-reconcile -j 1, then reconcile, differs from run -j 2"
pass "--no-reconcile"

# Progress: not on a terminal, no progress line (the runs above wrote stderr to a file);
# on one, a line rewritten in place with the rate and, for plain files whose sizes are
# known, the percent.
if grep -q $'\r' err || grep -q "articles/s" err; then fail "a progress line while stderr is a file"; fi
if command -v script >/dev/null; then
  mkdir txt
  python3 -c '
import json, sys
for line in open("in.jsonl", encoding="utf-8"):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if "text" in r:
        open("txt/%s.txt" % r["id"], "w", encoding="utf-8").write(r["text"])
'
  script -qec "'$CROSSCHECK' run txt --db E.db --no-reconcile -j 2" /dev/null > tty.out 2>&1 || true
  grep -q $'\r[0-9]* articles, [0-9.]* MB, [0-9]* articles/s, [0-9]*%' tty.out ||
    { cat -A tty.out | tail -c 600; fail "no progress line with a percent on a terminal"; }
  grep -q "documents read: $total stored" tty.out || fail "no summary on a terminal"
  script -qec "'$CROSSCHECK' run txt --db E.db -q -j 2" /dev/null > tty.out 2>&1 || true
  [ ! -s tty.out ] || { cat -A tty.out | head; fail "-q printed something on a terminal"; }
  pass "progress line"
else
  echo "no script(1): the terminal part skipped"
fi
pass "resume"
