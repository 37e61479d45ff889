#!/bin/bash
# eval.sh CROSSCHECK [SHARED] [OUT]: scores crosscheck on the seeds and on the dev set of
# ../shared/eval (58 Reuters stories drawn by id from ../shared/corpora), one line each:
#   seeds: claims: precision ... recall ... ; findings ...
#   dev:   claims: precision ... recall ... ; findings ...
# The full reports (what was missed, what was extra) stay in OUT (default: a folder in
# /tmp that is named at the end). `make eval` runs it; tests/e2e/eval_dev.sh applies the
# issue's thresholds to the same figures.
set -euo pipefail
cc=${1:?usage: eval.sh CROSSCHECK [SHARED] [OUT]}
shared=${2:-$(dirname "$0")/../../shared}
out=${3:-$(mktemp -d /tmp/crosscheck-eval.XXXXXX)}
[ -d "$shared/eval/dev" ] || { echo "eval.sh: no $shared/eval/dev" >&2; exit 77; }
mkdir -p "$out"
rm -f "$out"/seeds.db* "$out"/dev.db*

# The dev input: the stories of reuters.ids, in that order, as one JSONL file.
python3 - "$shared" "$out/dev.jsonl" <<'PY'
import gzip, json, sys
shared, dst = sys.argv[1], sys.argv[2]
ids = open(shared + "/eval/dev/reuters.ids").read().split()
want, recs = set(ids), {}
with gzip.open(shared + "/corpora/reuters21578/reuters21578.jsonl.gz", "rt") as f:
    for line in f:
        d = json.loads(line)
        if d["id"] in want:
            recs[d["id"]] = d
with open(dst, "w") as f:
    for i in ids:
        f.write(json.dumps(recs[i]) + "\n")
PY

score() {   # score NAME INPUT GOLD_CLAIMS GOLD_FINDINGS [extra score.py args]
  local name=$1 input=$2 gc=$3 gf=$4; shift 4
  "$cc" run "$input" --db "$out/$name.db" -q > "$out/$name.run.txt" 2>&1 || true
  for w in claims findings mentions; do
    "$cc" export "$out/$name.db" --what $w --format jsonl > "$out/$name.$w.jsonl"
  done
  python3 "$shared/eval/score.py" --claims "$out/$name.claims.jsonl" --gold-claims "$gc" \
    --findings "$out/$name.findings.jsonl" --gold-findings "$gf" "$@" > "$out/$name.score.txt" || true
  printf '%-6s %s\n' "$name:" "$(tail -n 1 "$out/$name.score.txt")"
}
score seeds "$shared/seeds" "$shared/eval/seeds.claims.gold.jsonl" \
  "$shared/eval/seeds.findings.gold.json" --mentions "$out/seeds.mentions.jsonl" \
  --gold-dates "$shared/eval/seeds.dates.gold.jsonl"
score dev "$out/dev.jsonl" "$shared/eval/dev/reuters.claims.gold.jsonl" \
  "$shared/eval/dev/reuters.findings.gold.json"
echo "(reports in $out)"
