#!/usr/bin/env bash
# olay-export's CSV read back by an independent parser (python3's csv module): every row
# has the header's columns and the values the linked events hold, including evidence with
# quotes, commas, a line break and Arabic text; with ',' ';' and tab as the delimiter; and
# the mentions table gives one row per mention.
set -euo pipefail
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
ev="$OLAY_SOURCE_DIR/tests/golden/export/events.jsonl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
x="$OLAY_BIN/olay-export"
$x "$ev" > "$work/c.csv" 2>/dev/null
$x --delimiter ';' "$ev" > "$work/s.csv" 2>/dev/null
$x --delimiter tab "$ev" > "$work/t.csv" 2>/dev/null
$x --format mentions "$ev" > "$work/m.csv" 2>/dev/null
python3 - "$ev" "$work" <<'PY'
import csv, json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)
def first(ev):
    return next((m for m in ev["mentions"] if m["date"] == ev["date"]), ev["mentions"][0])
tricky = 0
for fname, delim in (("c.csv", ","), ("s.csv", ";"), ("t.csv", "\t")):
    with open(sys.argv[2] + "/" + fname, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=delim, strict=True))
    head, body = rows[0], rows[1:]
    check(len(body) == len(events), "%s: %d rows for %d events" % (fname, len(body), len(events)))
    for r, ev in zip(body, events):
        check(len(r) == len(head), "%s: row of %d fields" % (fname, len(r)))
        row = dict(zip(head, r))
        m = first(ev)
        check(row["event_id"] == ev["event_id"], "event_id")
        check(row["code"] == ev["code"], "code keeps its leading zero")
        check(row["evidence"] == m["evidence"]["text"], "%s: evidence %r" % (fname, row["evidence"]))
        check(row["url"] == (m.get("url") or ""), "url")
        check(row["languages"] == ";".join(ev["languages"]), "languages")
        check(row["source_entity"] == ((ev["source"] or {}).get("entity") or ""), "source_entity")
        check(int(row["num_mentions"]) == ev["num_mentions"], "num_mentions")
        if any(c in row["evidence"] for c in '"\n') and any("\u0600" <= c <= "\u06ff" for c in row["evidence"]):
            tricky += 1
check(tricky == 3, "the evidence with quotes, a line break and Arabic read back in all 3 files")
with open(sys.argv[2] + "/m.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f, strict=True))
want = [(ev["event_id"], m["mention_id"]) for ev in events for m in ev["mentions"]]
check([(r["event_id"], r["mention_id"]) for r in rows] == want, "one mentions row per mention, in order")
byid = {m["mention_id"]: m for ev in events for m in ev["mentions"]}
for r in rows:
    m = byid[r["mention_id"]]
    check(r["publisher"] == (m.get("publisher") or ""), "publisher %r" % r["publisher"])
    check(r["evidence"] == m["evidence"]["text"], "mention evidence")
    check(r["source_start"] == str(m["source"]["start"]), "source_start")
    check(r["rule"] == m["rule"]["id"], "rule")
print("%d events, %d mentions read back" % (len(events), len(rows)))
sys.exit(1 if fails else 0)
PY
