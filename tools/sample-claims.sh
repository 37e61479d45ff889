#!/bin/bash
# sample-claims.sh CROSSCHECK [N] [SEED] [SHARED] [SENTENCES]: runs crosscheck over the
# whole of ../shared/corpora into a fresh database and prints N claims drawn at random
# (seeded, so the same build draws the same claims) as Markdown table rows for a hand check:
#   | n | claim id | where (document, bytes) | claim | verdict |
# The verdict column is left for the person checking. The sentences themselves go to the
# file SENTENCES (default: none), one per claim, for reading while checking: they are
# the corpora's text and stay out of the project (docs/accuracy.md keeps the table only).
# Only python3's standard library is needed.
set -euo pipefail
cc=${1:?usage: sample-claims.sh CROSSCHECK [N] [SEED] [SHARED]}
n=${2:-100}
seed=${3:-1}
shared=${4:-$(dirname "$0")/../../shared}
sentences=${5:-/dev/null}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cc" run "$shared/corpora" --db "$tmp/c.db" -q -j 2 > /dev/null 2>&1 || true
"$cc" export "$tmp/c.db" --what claims --format jsonl > "$tmp/claims.jsonl"
python3 - "$tmp/claims.jsonl" "$n" "$seed" "$sentences" <<'PY'
import json, random, sys
claims = [json.loads(line) for line in open(sys.argv[1])]
n, seed = int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
pick = sorted(random.sample(claims, min(n, len(claims))), key=lambda c: c["id"])
def fig(c):
    lo, hi, q = c["low"], c["high"], c["qualifier"]
    f = lambda v: "" if v is None else ("%g" % v)
    return f"{f(lo)}..{f(hi)} {q}" if lo != hi else f"{f(lo)} {q}"
def cell(s):
    return " ".join(str(s).split()).replace("|", "\\|")
print(f"{len(claims)} claims in the run; {len(pick)} drawn with seed {seed}.\n")
print("| n | id | where | claim | verdict |")
print("|---|---|---|---|---|")
side = open(sys.argv[4], "w")
for i, c in enumerate(pick, 1):
    doc = c["doc"].rsplit("/", 1)[-1]
    what = (f"{c['measure']} {fig(c)}; subject {c['subject'] or '-'}; unit {c['unit'] or '-'}; "
            f"claimant {c['claimant']}")
    print(f"| {i} | {c['id']} | {cell(doc)} @{c['start']}-{c['end']} | {cell(what)} | |")
    side.write(f"{i} [{c['id']}] {what} (claimant_text: {c['claimant_text']})\n    {cell(c['sentence'])}\n")
PY
