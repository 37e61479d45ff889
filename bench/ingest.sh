#!/usr/bin/env bash
# `crosscheck run` on a large archive built here from ../shared/corpora (the Reuters-21578
# newswire as JSONL plus the readability pages' source.html files): articles/s and MB/s
# at -j 1 and -j 2 and their ratio, peak RSS, then peak RSS again on an input ten times
# larger (every copy's articles carry a line of their own, so no text repeats, but for 3
# of the 131 pages whose kept text the line does not reach). The runs
# use --no-reconcile: this measures reading, extraction and storing; the rules have their
# own benchmark (bench-reconcile), and a line at the end times them once on the 1x
# database. It prints figures with the machine named and its load; it asserts nothing.
#
# The archive is a .tar.gz when `crosscheck run x.tar.gz` reads archives (probed with a
# small one), else the same files unpacked in a folder.
#
# usage: ingest.sh CROSSCHECK SOURCE_DIR
# env:   BENCH_SCALE (10)     how many times larger the second input is; 0 skips it
#        BENCH_RECORDS (all)  Reuters records to use (a quick look: 3000)
#        BENCH_REPEAT (3)     runs per -j figure on the 1x input, alternating -j 1 and
#                             -j 2; the fastest is kept, every peak RSS printed
set -euo pipefail
bin=${1:?crosscheck binary}
src=${2:?source dir}
shared=$(cd "$src/.." && pwd)/shared
corp=$shared/corpora
scale=${BENCH_SCALE:-10}
records=${BENCH_RECORDS:-}
repeat=${BENCH_REPEAT:-3}
if [ ! -f "$corp/reuters21578/reuters21578.jsonl.gz" ] || [ ! -d "$corp/readability-pages" ]; then
  echo "bench-ingest: no ../shared/corpora beside the checkout: skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: ${cpu:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
# The second line names the allocators: peak RSS depends on them (core/run.c, "Memory
# that the allocator keeps").
"$bin" --version | sed 's/^/crosscheck: /'

# make_input DIR COPY: the corpora as DIR/reuters.jsonl and DIR/pages/*.html. COPY > 0
# makes a distinct copy in DIR/copy-NN: ids get the copy number, every text a line of its
# own. The copies follow one another in the archive, as ten archives' worth would; copies
# of the same big page side by side would instead measure how many big pages the
# pipeline holds at once (bounded: docs/cli.md, -j).
make_input() {
  python3 - "$corp" "$1" "$2" "$records" <<'PY'
import glob, gzip, os, re, sys
corp, out, copy, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
import json
if copy:
    out = os.path.join(out, "copy-%02d" % copy)
os.makedirs(os.path.join(out, "pages"), exist_ok=True)
with gzip.open(os.path.join(corp, "reuters21578", "reuters21578.jsonl.gz"), "rt", encoding="utf-8") as f, \
     open(os.path.join(out, "reuters.jsonl"), "w", encoding="utf-8") as o:
    for i, line in enumerate(f):
        if limit and i >= int(limit):
            break
        if copy:
            r = json.loads(line)
            r["id"] = f"{r.get('id', i)}-{copy}"
            if isinstance(r.get("text"), str) and r["text"].strip():
                r["text"] += f"\n\nCopy {copy} of the archive, record {i}.\n"
            line = json.dumps(r) + "\n"
        o.write(line)
for p in sorted(glob.glob(os.path.join(corp, "readability-pages", "*", "source.html"))):
    name = os.path.basename(os.path.dirname(p))
    data = open(p, "rb").read()
    if copy:
        # At the end of the page's three longest runs of text (outside scripts, styles and
        # comments), one of which the cleaner keeps: a paragraph of its own at the end is
        # page furniture to it, and the copies' pages would then be duplicates.
        mark = f" Copy {copy} of the archive, page {name}.".encode()
        hidden = [m.span() for m in re.finditer(
            rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", data, re.S | re.I)]
        runs = [m for m in re.finditer(rb">([^<]+)<", data)
                if m.group(1).strip() and not any(a <= m.start() < b for a, b in hidden)]
        runs = sorted(runs, key=lambda m: len(m.group(1).strip()), reverse=True)[:3]
        for at in sorted((m.end(1) for m in runs), reverse=True):
            data = data[:at] + mark + data[at:]
        if not runs:
            data += b"\n<p>" + mark.strip() + b"</p>\n"
    open(os.path.join(out, "pages", name + ".html"), "wb").write(data)
PY
}

# Does this crosscheck read archives? One plain-text article in a .tar.gz.
mkdir -p "$tmp/probe"
printf 'Probe\n\nThe agency said 40 homes were damaged in the storm on Tuesday.\n' > "$tmp/probe/a.txt"
tar -czf "$tmp/probe.tar.gz" -C "$tmp/probe" a.txt
archive=0
if "$bin" run "$tmp/probe.tar.gz" --db "$tmp/probe.db" -q --no-reconcile >/dev/null 2>&1 &&
   [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from documents where name like ?", ("%.tar.gz:%",)).fetchone()[0])' "$tmp/probe.db")" = 1 ]; then
  archive=1
fi

bytes_of() { du -sb "$1" | cut -f1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# MB and MB/s count the input's files before packing (uncompressed).
mkdir "$tmp/x1"
make_input "$tmp/x1" 0
mb1=$(bytes_of "$tmp/x1")
if [ "$archive" = 1 ]; then
  tar --sort=name -czf "$tmp/archive-1x.tar.gz" -C "$tmp/x1" .
  rm -rf "$tmp/x1"
  input1=$tmp/archive-1x.tar.gz
  echo "input: a .tar.gz of the corpora"
else
  input1=$tmp/x1
  echo "input: a folder of the corpora (this crosscheck does not read .tar.gz)"
fi

# measure J INPUT [EVERY]: one `run` into a fresh database; prints "seconds maxrss_kb
# docs_read" (os.wait4 gives the peak RSS of the process). With EVERY (seconds), a
# second line gives the peak RSS of each EVERY seconds of the run: the kernel's
# high-water mark (VmHWM) is read and reset (/proc/PID/clear_refs) at each step, so
# these are exact peaks, not samples, and the whole run's peak is the largest of them.
measure() {
  rm -f "$tmp/m.db" "$tmp/m.db-wal" "$tmp/m.db-shm"
  python3 - "$bin" "$1" "$2" "$tmp/m.db" "${3:-0}" <<'PY'
import os, sqlite3, subprocess, sys, time
binary, jobs, inp, db, every = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
t0 = time.monotonic()
p = subprocess.Popen([binary, "run", inp, "--db", db, "-j", jobs, "-q", "--no-reconcile"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
steps = []
if every > 0:
    def hwm_and_reset():
        with open(f"/proc/{p.pid}/status") as f:
            kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        try:
            with open(f"/proc/{p.pid}/clear_refs", "w") as f:
                f.write("5")
        except PermissionError:
            return None
        return kb
    nxt = t0 + every
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.02)
        if every > 0 and time.monotonic() >= nxt:
            try:
                kb = hwm_and_reset()
            except (OSError, StopIteration):
                kb = 0   # it is ending: wait4 above will say so
            if kb is None:
                # Without the reset the figures would be the peak so far, not each
                # stretch's: say so and give the run's peak alone.
                print("bench-ingest: cannot reset the peak RSS (/proc/PID/clear_refs): "
                      "no per-stretch figures", file=sys.stderr)
                every = 0
            elif kb:
                steps.append(kb)
            nxt += every
else:
    _, status, ru = os.wait4(p.pid, 0)
secs = time.monotonic() - t0
steps.append(ru.ru_maxrss)   # since the last reset
n = sqlite3.connect(db).execute("SELECT docs_read FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
print(f"{secs:.3f} {max(steps)} {n}")
if float(sys.argv[5]) > 0:
    print(" ".join(str(k) for k in steps))
PY
}

# The -j 1 and -j 2 runs alternate (1 2 1 2 ...), so that a change in the machine's
# speed (a virtual machine's neighbours) falls on both; the fastest run of each is kept.
# Peak RSS varies from run to run by about a MiB with the threads' timing (what the other
# worker and the Lua collector happen to hold when the biggest page is parsed), so every
# run's figure is printed and the 10x input is compared with their median.
declare -A best rsslist
for rep in $(seq 1 "$repeat"); do
  for j in 1 2; do
    l0=$(load)
    read -r secs rss n < <(measure "$j" "$input1")
    l1=$(load)
    echo "  run $rep, -j $j: $n articles in ${secs} s, peak RSS $((rss / 1024)) MiB (load before/after: $l0 / $l1)"
    rsslist[$j]="${rsslist[$j]:-} $rss"
    if [ -z "${best[$j]:-}" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$secs" "${best[$j]}"; then
      best[$j]=$secs; bestn=$n
    fi
  done
done
for j in 1 2; do
  python3 - "$j" "$bestn" "$mb1" "${best[$j]}" ${rsslist[$j]} <<'PY'
import statistics, sys
j, n, b, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rss = [int(x) / 1024 for x in sys.argv[5:]]
print(f"-j {j}: {n} articles, {b/1e6:.1f} MB in {s:.1f} s (fastest of {len(rss)}): {n/s:.0f} articles/s, "
      f"{b/1e6/s:.2f} MB/s; peak RSS {statistics.median(rss):.1f} MiB (median; runs: "
      + ", ".join(f"{x:.1f}" for x in rss) + ")")
PY
done
python3 -c "import sys; print(f'-j 2 / -j 1: {float(sys.argv[1]) / float(sys.argv[2]):.2f}x')" "${best[1]}" "${best[2]}"
cp "$tmp/m.db" "$tmp/1x.db"

# The rules once on the 1x database, for scale (their own bench is bench-reconcile).
python3 - "$bin" "$tmp/1x.db" <<'PY'
import os, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen([sys.argv[1], "reconcile", sys.argv[2], "-q"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
print(f"reconcile on the 1x database (not part of the figures above): "
      f"{time.monotonic() - t0:.1f} s, peak RSS {ru.ru_maxrss/1024:.1f} MiB")
PY
rm -f "$tmp/1x.db"*

if [ "$scale" -gt 1 ]; then
  mkdir "$tmp/xn"
  for c in $(seq 1 "$scale"); do make_input "$tmp/xn" "$c"; done
  mbn=$(bytes_of "$tmp/xn")
  if [ "$archive" = 1 ]; then
    tar --sort=name -czf "$tmp/archive-nx.tar.gz" -C "$tmp/xn" .
    rm -rf "$tmp/xn"
    inputn=$tmp/archive-nx.tar.gz
  else
    inputn=$tmp/xn
  fi
  l0=$(load)
  # The peak of every stretch of the run as long as the 1x run took: about one copy of
  # the input each. A peak that grew with the input would rise from stretch to stretch.
  # The whole run's peak is the highest of about ten such stretches, each meeting the
  # biggest pages once, so it is also set beside the highest of the 1x runs' peaks.
  { read -r secs rss n; read -r steps; } < <(measure 2 "$inputn" "${best[2]}")
  python3 - "$scale" "$n" "$mbn" "$secs" "$rss" "$l0" "${best[2]}" "$steps" ${rsslist[2]} <<'PY'
import statistics, sys
k, n, b, s, rss, l0, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], float(sys.argv[7])
steps = [int(x) / 1024 for x in sys.argv[8].split()]
runs = [int(x) for x in sys.argv[9:]]
med = statistics.median(runs)
print(f"{k}x input, -j 2: {n} articles, {b/1e6:.1f} MB in {s:.1f} s: {n/s:.0f} articles/s, "
      f"{b/1e6/s:.2f} MB/s, peak RSS {rss/1024:.1f} MiB ({rss/med:.2f}x the median of the 1x runs, "
      f"{rss/max(runs):.2f}x the highest, their range {min(runs)/1024:.1f}-{max(runs)/1024:.1f}; "
      f"load before: {l0})")
full = steps[:-1] if len(steps) > 1 else steps   # the last stretch is a part
print(f"  peak RSS of each {every:.1f} s of the {k}x run (MiB): " + " ".join(f"{x:.1f}" for x in steps)
      + f"; median of the whole stretches {statistics.median(full):.1f}"
      + f" ({statistics.median(full) * 1024 / med:.2f}x the 1x median)")
PY
fi
