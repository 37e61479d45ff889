#!/usr/bin/env bash
# Time `crosscheck reconcile` on a synthetic archive: a fresh database of N claims
# (default 1,000,000) from bench_reconcile gen, then bench_reconcile run on a copy of it
# at -j 1 and at -j 2, each printing claims, documents, findings, wall seconds, claims/s,
# peak RSS and the machine; then the speed-up of -j 2 over -j 1.
# usage: reconcile.sh BENCH_RECONCILE CROSSCHECK DB [--claims N] [--seed S] [--report-only]
# The exit status is reconcile's, unless --report-only (what `bench` uses: like run.sh,
# it then asserts nothing and only says how reconcile ended).
set -euo pipefail
bench=${1:?bench_reconcile binary}
bin=${2:?crosscheck binary}
db=${3:?database path}
shift 3
gen_args=()
report_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --report-only) report_only=1 ;;
    --claims|--seed) gen_args+=("$1" "${2:?$1 wants a value}"); shift ;;
    *) echo "reconcile.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

echo "crosscheck: $("$bin" --version)"
rm -f "$db" "$db-wal" "$db-shm"
"$bench" gen "$db" "${gen_args[@]}"
status=0
declare -A wall
for j in 1 2; do
  cp "$db" "$db.j$j"
  echo "== reconcile -j $j"
  out=$("$bench" run "$bin" "$db.j$j" -j "$j") || status=$?
  echo "$out"
  wall[$j]=$(printf '%s\n' "$out" | sed -n 's/^wall: \([0-9.]*\) s.*/\1/p')
  rm -f "$db.j$j" "$db.j$j-wal" "$db.j$j-shm"
done
if [ -n "${wall[1]}" ] && [ -n "${wall[2]}" ]; then
  awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { if (b > 0) printf "speed-up of -j 2 over -j 1: %.2fx\n", a / b }'
fi
if [ "$report_only" = 1 ]; then
  [ "$status" = 0 ] || echo "bench-reconcile: crosscheck reconcile exited with status $status"
  exit 0
fi
exit "$status"
