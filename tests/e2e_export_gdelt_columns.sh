#!/usr/bin/env bash
# olay-export --format gdelt, column by column against the GDELT 2.0 Events column list
# (tests/golden/export/gdelt2_columns.tsv): 61 tab-separated fields per row, INTEGER and
# FLOAT columns numeric or empty, and each filled column equal to what the linked event says
# (dates, codes with their leading zeros, counts, FIPS country codes, a stable numeric id);
# an undated event writes no row.
set -euo pipefail
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
g="$OLAY_SOURCE_DIR/tests/golden/export"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$OLAY_BIN/olay-export" --rules "$g/gdelt/rules" --format gdelt "$g/events.jsonl" > "$work/a.tsv" 2>/dev/null
"$OLAY_BIN/olay-export" --rules "$g/gdelt/rules" --format gdelt "$g/events.jsonl" > "$work/b.tsv" 2>/dev/null
cmp -s "$work/a.tsv" "$work/b.tsv" || { echo "FAIL: two runs differ"; exit 1; }
python3 - "$g/gdelt2_columns.tsv" "$g/events.jsonl" "$g/gdelt/rules/places/countries.tsv" "$work/a.tsv" <<'PY'
import json, sys
cols = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")][1:]
assert len(cols) == 61 and [int(c[0]) for c in cols] == list(range(61)), "column list"
name = {c[1]: int(c[0]) for c in cols}
events = [json.loads(l) for l in open(sys.argv[2])]
undated = [e for e in events if e["date"] is None]
assert undated, "the fixture has an undated event"
events = [e for e in events if e["date"] is not None]  # GDELT rows need a date: not written
fips = {}
for l in open(sys.argv[3]):
    f = l.rstrip("\n").split("\t")
    if not l.startswith("#") and f[0] != "iso3":
        fips[f[0]] = f[2]
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[4], encoding="utf-8")]
assert len(rows) == len(events), "one row per event: %d rows, %d events" % (len(rows), len(events))
fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)
ids = set()
for row, ev in zip(rows, events):
    check(len(row) == 61, "%s: %d columns" % (ev["event_id"], len(row)))
    for idx, cname, ctype in cols:
        v = row[int(idx)]
        if v == "":
            continue
        try:
            (int if ctype == "INTEGER" else float if ctype == "FLOAT" else str)(v)
        except ValueError:
            check(False, "%s: %s=%r is not %s" % (ev["event_id"], cname, v, ctype))
    col = lambda n: row[name[n]]
    gid = int(col("GLOBALEVENTID"))
    check(gid == int(ev["event_id"], 16) & (2**53 - 1), "GLOBALEVENTID from event_id")
    ids.add(gid)
    d = ev["date"]
    check(col("SQLDATE") == d.replace("-", ""), "SQLDATE")
    check(col("MonthYear") == d[:4] + d[5:7], "MonthYear")
    check(col("Year") == d[:4], "Year")
    check(int(float(col("FractionDate"))) == int(d[:4]), "FractionDate in the year")
    check(col("EventCode") == ev["code"], "EventCode %r vs %r" % (col("EventCode"), ev["code"]))
    check(col("EventBaseCode") == ev["code"][:3], "EventBaseCode")
    check(col("EventRootCode") == ev["root"] and len(col("EventRootCode")) == 2, "EventRootCode")
    check(int(col("QuadClass")) == ev["quad"], "QuadClass")
    check(abs(float(col("GoldsteinScale")) - ev["goldstein"]) < 0.05, "GoldsteinScale")
    for n, k in (("NumMentions", "num_mentions"), ("NumSources", "num_sources"), ("NumArticles", "num_articles")):
        check(int(col(n)) == ev[k], n)
    for a, side in (("Actor1", "source"), ("Actor2", "target")):
        s = ev[side] or {}
        check(col(a + "Code") == (s.get("code") or ""), a + "Code")
        check(col(a + "CountryCode") == (s.get("country") or ""), a + "CountryCode")
        check(col(a + "KnownGroupCode") == (s.get("group") or ""), a + "KnownGroupCode")
        check(col(a + "Name") == (s.get("name") or "").upper(), a + "Name")
    loc = ev.get("location")
    if loc:
        check(col("ActionGeo_CountryCode") == fips[loc["country"]], "ActionGeo_CountryCode is FIPS")
        check(col("ActionGeo_Type") in ("1", "4", "5"), "ActionGeo_Type")
        check(abs(float(col("ActionGeo_Lat")) - loc["lat"]) < 1e-3, "ActionGeo_Lat")
        check(abs(float(col("ActionGeo_Long")) - loc["lon"]) < 1e-3, "ActionGeo_Long")
    else:
        check(all(row[i] == "" for i in range(51, 59)), "ActionGeo empty without a location")
    check(len(col("DATEADDED")) == 14 and col("DATEADDED").startswith(d.replace("-", "")), "DATEADDED")
    check(all(row[i] == "" for i in range(35, 51)), "actor Geo fields empty")
check(len(ids) == len(rows), "GLOBALEVENTIDs unique")
check(any(r[name["ActionGeo_CountryCode"]] == "RS" for r in rows), "Russia written as FIPS RS")
check(any(r[name["EventCode"]].startswith("0") for r in rows), "a code with a leading zero")
print("%d rows x 61 columns checked" % len(rows))
sys.exit(1 if fails else 0)
PY
