#!/usr/bin/env bash
# Grouping into events against extraction, on the whole of ../shared/corpora (about
# 20,000 documents: Reuters-21578, BASIL, NewsWCL50 and the web pages). Times
# `crosscheck run --no-reconcile -j 1` (read, clean, extract, assemble, store, group),
# then `crosscheck reconcile --regroup --rule none -j 1` on the same database (grouping
# every document again, alone), and prints both with documents/s, the extraction and
# storing left when grouping is taken away, and the ratio. It asserts nothing.
# usage: events.sh CROSSCHECK SOURCE_DIR
set -euo pipefail
bin=${1:?crosscheck binary}
src=${2:?source dir}
shared=$(cd "$src/.." && pwd)/shared
[ -d "$shared/corpora" ] || { echo "events.sh: no $shared/corpora"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: ${cpu:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
now() { date +%s.%N; }
t0=$(now)
"$bin" run "$shared/corpora" --db "$tmp/e.db" -j 1 -q --no-reconcile 2>/dev/null || true
t1=$(now)
"$bin" reconcile "$tmp/e.db" --regroup --rule none -j 1 -q
t2=$(now)
python3 - "$tmp/e.db" "$t0" "$t1" "$t2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
t0, t1, t2 = map(float, sys.argv[2:5])
docs = db.execute("select count(*) from documents where copy_of is null").fetchone()[0]
events = db.execute("select count(*) from events").fetchone()[0]
run, group = t1 - t0, t2 - t1
extract = run - group
print(f"documents: {docs}, events: {events}")
print(f"run (extract, store, group) -j 1: {run:.2f} s, {docs / run:.0f} documents/s")
print(f"grouping alone (reconcile --regroup): {group:.2f} s, {docs / group:.0f} documents/s")
print(f"extraction and storing without grouping: {extract:.2f} s")
print(f"grouping / extraction: {group / extract:.2f}")
PY
