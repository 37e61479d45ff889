#!/usr/bin/env python3
"""Pairwise precision and recall of crosscheck's events against labelled events.

    group-score.py DB LABELS.jsonl [--label event] [--min-precision P] [--min-recall R]

LABELS.jsonl has one object per document with an `id` and a label field (`event` by
default); a document of DB matches the record whose id is the part of its name after the
last ':' (the name `file.jsonl:ID` that crosscheck gives JSONL records). Every pair of
documents with the same label should share an event; every pair with different labels
should not. Prints the figures and the events that mix labels; exits 1 when a threshold
given is not met.
"""
import argparse, collections, json, sqlite3, sys


def pairs(groups):
    out = set()
    for members in groups.values():
        m = sorted(members)
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                out.add((m[i], m[j]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("labels")
    ap.add_argument("--label", default="event")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    a = ap.parse_args()
    label = {}
    for line in open(a.labels, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            label[str(d["id"])] = d[a.label]
    db = sqlite3.connect(a.db)
    got = collections.defaultdict(list)
    want = collections.defaultdict(list)
    missing = 0
    for name, ev in db.execute("SELECT name, event_id FROM documents"):
        key = name.rsplit(":", 1)[-1]
        if key not in label:
            continue
        if ev is None:
            missing += 1
            ev = "none:" + key
        got[ev].append(key)
        want[label[key]].append(key)
    p, g = pairs(got), pairs(want)
    tp = len(p & g)
    prec = tp / len(p) if p else 1.0
    rec = tp / len(g) if g else 1.0
    for ev, members in sorted(got.items(), key=lambda x: str(x[0])):
        labels = sorted({label[m] for m in members})
        if len(labels) > 1:
            print(f"MIXED event {ev}: " + ", ".join(f"{m} ({label[m]})" for m in sorted(members)))
    print(f"documents {sum(len(v) for v in want.values())} (ungrouped {missing}), "
          f"labelled events {len(want)}, events {len(got)}; "
          f"pairs: precision {prec:.3f} ({tp}/{len(p)}) recall {rec:.3f} ({tp}/{len(g)})")
    ok = (a.min_precision is None or prec >= a.min_precision) and \
         (a.min_recall is None or rec >= a.min_recall)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
