#!/usr/bin/env bash
# The JSON formats parse: json is one array with every event, jsonl one object per line
# equal to the input, plover one object per line with a PLOVER type from the table for
# every event whose CAMEO root PLOVER covers.
set -euo pipefail
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
ev="$OLAY_SOURCE_DIR/tests/golden/export/events.jsonl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
x="$OLAY_BIN/olay-export"
$x --format json "$ev" > "$work/a.json" 2>/dev/null
$x --format jsonl "$ev" > "$work/a.jsonl" 2>/dev/null
$x --format plover "$ev" > "$work/p.jsonl" 2>/dev/null
python3 - "$ev" "$work" "$OLAY_SOURCE_DIR/rules/cameo/plover.tsv" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
arr = json.load(open(sys.argv[2] + "/a.json", encoding="utf-8"))
assert arr == events, "json array differs from the events"
lines = [json.loads(l) for l in open(sys.argv[2] + "/a.jsonl", encoding="utf-8")]
assert lines == events, "jsonl differs from the events"
table = {}
for l in open(sys.argv[3], encoding="utf-8"):
    f = l.rstrip("\n").split("\t")
    if not l.startswith("#") and f[0] != "code":
        table[f[0]] = f[1]
plover = [json.loads(l) for l in open(sys.argv[2] + "/p.jsonl", encoding="utf-8")]
covered = [e for e in events if e["root"] not in ("01", "02")]
assert [p["id"] for p in plover] == [e["event_id"] for e in covered], "plover records"
for p, e in zip(plover, covered):
    want = table.get(e["code"]) or table.get(e["code"][:3]) or table.get(e["root"] + "0")
    assert p["event_type"] == want, (p["id"], p["event_type"], want)
    assert isinstance(p["context"], list)
print("json: %d events; plover: %d records" % (len(arr), len(plover)))
PY
