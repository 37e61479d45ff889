#!/usr/bin/env bash
# Throughput of `crosscheck run` (read, clean, segment, extract, assemble, store,
# reconcile) on two inputs: the seed articles repeated with a unique line each (so none is
# a duplicate) and the whole Reuters-21578 newswire from ../shared/corpora. For each it
# prints wall and CPU time, articles/s, and MB of article text per second of wall time and
# per CPU-second (per core: what a loaded machine does not distort), with the machine
# named; it asserts nothing.
# With a third argument (the bench_extract binary), also times the extraction stage alone
# (decode -> clean -> segment -> extract in memory, one thread) on the seeds x200 (as
# --repeat 200) and the same Reuters records.
# When node and npm are present, it then times chrono-node (dates only) and
# Recognizers-Text (numbers only) on the same Reuters text (bench/baselines.js), installing
# their npm packages once into a cache folder ($CROSSCHECK_BENCH_CACHE, by default
# ~/.cache/crosscheck-bench), and prints crosscheck's rates as multiples of theirs.
# usage: run.sh CROSSCHECK SOURCE_DIR [BENCH_EXTRACT]
set -euo pipefail
bin=${1:?crosscheck binary}
src=${2:?source dir}
extract=${3:-}
shared=$(cd "$src/.." && pwd)/shared
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: ${cpu:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "crosscheck: $("$bin" --version)"

# measure LABEL TEXT_BYTES INPUT...: one `crosscheck run` of the inputs into a fresh
# database; prints the figures and keeps the per-core rate in $tmp/rate.LABEL.
measure() {
  local label=$1 bytes=$2; shift 2
  rm -f "$tmp/b.db"*
  python3 - "$label" "$bytes" "$tmp/b.db" "$tmp/rate.${label%% *}" "$bin" run "$@" --db "$tmp/b.db" -q <<'PY'
import resource, sqlite3, subprocess, sys, time
label, nbytes, db, rate_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cmd = sys.argv[5:]
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
# its exit status is not the benchmark's (empty articles give 3), nor are its messages:
# they are counted
errs = subprocess.run(cmd, stderr=subprocess.PIPE).stderr.decode("utf-8", "replace")
wall = time.monotonic() - t0
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
user, system = r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime
con = sqlite3.connect(db)
n = con.execute("select count(*) from documents").fetchone()[0]
c = con.execute("select count(*) from claims").fetchone()[0]
mb = nbytes / 1e6
cpu = user + system
per_core = mb / cpu if cpu > 0 else 0
print(f"{label}: {n} articles, {mb:.2f} MB of text, {c} claims; wall {wall:.2f} s, "
      f"CPU {user:.2f} s user + {system:.2f} s system: {n / wall:.0f} articles/s, "
      f"{mb / wall:.2f} MB/s, {per_core:.2f} MB/s per core"
      + (f" ({errs.count(chr(10))} lines of errors)" if errs else ""))
open(rate_file, "w").write(f"{per_core:.4f}\n")
PY
}

if [ -d "$shared/seeds" ]; then
  mkdir "$tmp/seeds"
  for i in $(seq 1 200); do
    for f in "$shared"/seeds/*.txt; do
      { cat "$f"; printf '\nReference %d.\n' "$i"; } > "$tmp/seeds/$(basename "$f" .txt)_$i.txt"
    done
  done
  measure "seeds x200" "$(cat "$tmp"/seeds/* | wc -c)" "$tmp/seeds"
fi
if [ -f "$shared/corpora/reuters21578/reuters21578.jsonl.gz" ]; then
  zcat "$shared/corpora/reuters21578/reuters21578.jsonl.gz" > "$tmp/reuters.jsonl"
  # the article text in it: the records' text fields, as UTF-8 bytes
  text_bytes=$(python3 -c 'import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line).get("text") if line.strip() else None
    n += len(t.encode("utf-8")) if isinstance(t, str) else 0
print(n)' "$tmp/reuters.jsonl")
  measure "reuters (all $(wc -l < "$tmp/reuters.jsonl") records)" "$text_bytes" "$tmp/reuters.jsonl"
fi

if [ -n "$extract" ]; then
  echo
  echo "extraction stage alone ($(basename "$extract")):"
  if [ -d "$shared/seeds" ]; then
    echo "== seeds x200"
    "$extract" --repeat 200 "$shared/seeds" || true
  fi
  if [ -s "$tmp/reuters.jsonl" ]; then
    echo "== reuters (all records)"
    "$extract" "$tmp/reuters.jsonl" | tee "$tmp/extract.txt" || true
    # one thread: its MB/s is per core
    sed -n 's/^extract x1: .* \([0-9.]*\) MB\/s,.*/\1/p' "$tmp/extract.txt" > "$tmp/rate.extract"
  fi
fi

# The same Reuters text through chrono-node and Recognizers-Text (bench/baselines.js).
if [ -s "$tmp/reuters.jsonl" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  cache=${CROSSCHECK_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crosscheck-bench}
  echo
  echo "baselines on the same Reuters text (node $(node --version); packages in $cache):"
  if [ ! -d "$cache/node_modules/chrono-node" ] ||
     [ ! -d "$cache/node_modules/@microsoft/recognizers-text-number" ]; then
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --silent \
      chrono-node@2 @microsoft/recognizers-text-number@1 >/dev/null 2>&1 ||
      echo "bench: npm could not install chrono-node and recognizers-text-number: skipped"
  fi
  if [ -d "$cache/node_modules/chrono-node" ]; then
    node "$here/baselines.js" "$cache" "$tmp/reuters.jsonl" | tee "$tmp/baselines.txt" || true
    chrono=$(sed -n 's/^chrono-node.* \([0-9.]*\) MB\/s per core.*/\1/p' "$tmp/baselines.txt")
    recog=$(sed -n 's/^Recognizers-Text.* \([0-9.]*\) MB\/s per core.*/\1/p' "$tmp/baselines.txt")
    run_rate=$(cat "$tmp/rate.reuters" 2>/dev/null || true)
    ext_rate=$(cat "$tmp/rate.extract" 2>/dev/null || true)
    python3 - "$run_rate" "$ext_rate" "$chrono" "$recog" <<'PY'
import sys
def num(s):
    try:
        return float(s)
    except ValueError:
        return None
run, ext, chrono, recog = (num(a) for a in sys.argv[1:5])
for what, mine in (("whole run", run), ("extraction stage", ext)):
    if mine is None:
        continue
    parts = [f"{mine / b:.2f}x {name}" for name, b in (("chrono-node", chrono),
             ("Recognizers-Text", recog)) if b]
    if parts:
        print(f"crosscheck {what}, per core: " + ", ".join(parts))
PY
  fi
fi
