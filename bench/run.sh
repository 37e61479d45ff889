#!/usr/bin/env bash
# Throughput of `crosscheck run` (read, clean, segment, extract, assemble, store,
# reconcile) on two inputs: the seed articles repeated with a unique line each (so none is
# a duplicate) and the Reuters-21578 newswire from ../shared/corpora. Prints articles/s
# and MB/s with the machine named; it asserts nothing.
# With a third argument (the bench_extract binary), also times the extraction stage alone
# (decode -> clean -> segment -> extract in memory, one thread) on the seeds x200 (as
# --repeat 200) and the same Reuters records.
# usage: run.sh CROSSCHECK SOURCE_DIR [BENCH_EXTRACT]
set -euo pipefail
bin=${1:?crosscheck binary}
src=${2:?source dir}
extract=${3:-}
shared=$(cd "$src/.." && pwd)/shared
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: ${cpu:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "crosscheck: $("$bin" --version)"

measure() {   # label input...
  local label=$1; shift
  local bytes articles t0 t1
  bytes=$(find "$@" -type f -exec cat {} + 2>/dev/null | wc -c)
  rm -f "$tmp/b.db"*
  t0=$(date +%s.%N)
  "$bin" run "$@" --db "$tmp/b.db" -q || true
  t1=$(date +%s.%N)
  articles=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from documents").fetchone()[0])' "$tmp/b.db")
  claims=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from claims").fetchone()[0])' "$tmp/b.db")
  python3 - "$label" "$articles" "$claims" "$bytes" "$t0" "$t1" <<'PY'
import sys
label, n, c, b, t0, t1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
s = t1 - t0
print(f"{label}: {n} articles, {b/1e6:.1f} MB, {c} claims in {s:.2f} s: "
      f"{n/s:.0f} articles/s, {b/1e6/s:.2f} MB/s")
PY
}

if [ -d "$shared/seeds" ]; then
  mkdir "$tmp/seeds"
  for i in $(seq 1 200); do
    for f in "$shared"/seeds/*.txt; do
      { cat "$f"; printf '\nReference %d.\n' "$i"; } > "$tmp/seeds/$(basename "$f" .txt)_$i.txt"
    done
  done
  measure "seeds x200" "$tmp/seeds"
fi
if [ -f "$shared/corpora/reuters21578/reuters21578.jsonl.gz" ]; then
  (zcat "$shared/corpora/reuters21578/reuters21578.jsonl.gz" | head -n 5000 > "$tmp/reuters.jsonl") || true
  measure "reuters (5000 records)" "$tmp/reuters.jsonl"
fi

if [ -n "$extract" ]; then
  echo
  echo "extraction stage alone ($(basename "$extract")):"
  if [ -d "$shared/seeds" ]; then
    echo "== seeds x200"
    "$extract" --repeat 200 "$shared/seeds" || true
  fi
  if [ -s "$tmp/reuters.jsonl" ]; then
    echo "== reuters (5000 records)"
    "$extract" "$tmp/reuters.jsonl" || true
  fi
fi
