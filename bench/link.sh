#!/usr/bin/env bash
# Benchmark olay-link: mentions per second, peak RSS, bytes per mention and per unique
# event, on generated mentions (default 5,000,000 across MENTIONS/20 documents, three
# languages, dictionary ids and unknown names, drawn from MENTIONS/20 happenings).
# olay-link runs twice on the same happenings: on the first fifth of the mentions and on
# all of them, so the second run has the same events and five times the mentions per
# event: its peak RSS shows whether memory grows with mentions (it should not).
# Then times olay-export on the linked events (csv, gdelt, mentions).
# usage: bench/link.sh [MENTIONS] [BUILD_DIR]
set -euo pipefail
n=${1:-5000000}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-${OLAY_BIN:-$here/build}}
work=${TMPDIR:-/tmp}/olay-bench-link.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB"
echo "generating $n mentions..."
python3 - "$n" "$work/mentions.jsonl" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rnd = random.Random(1)
actors = [("e%d" % i, "C%03d" % (i % 200)) for i in range(2000)]
codes = ["040", "042", "043", "036", "057", "111", "112", "138", "173", "190"]
ndocs = max(1, n // 20)
events = max(1, n // 20)
with open(sys.argv[2], "w") as f:
    for i in range(n):
        e = rnd.randrange(events)  # one of the unique happenings
        r = random.Random(e)
        s, t = r.sample(actors, 2)
        code = r.choice(codes)
        day = 1 + r.randrange(28)
        doc = "d%d" % rnd.randrange(ndocs)
        unknown = rnd.random() < 0.1
        m = {"mention_id": "%s:%d:%d" % (doc, i % 50, i), "doc_id": doc,
             "date": "2024-%02d-%02d" % (1 + r.randrange(12), day), "lang": rnd.choice("tr ar en".split()),
             "publisher": "pub%d" % rnd.randrange(300), "url": None, "sentence": i % 50,
             "source": {"text": "Name %s" % s[0], "start": 0, "end": 10, "code": s[1], "name": None,
                        "country": s[1], "group": None, "role": None, "entity": None if unknown else s[0]},
             "target": {"text": "Other %s" % t[0], "start": 20, "end": 30, "code": t[1], "name": None,
                        "country": t[1], "group": None, "role": None, "entity": t[0]},
             "code": code, "root": code[:2], "quad": 1, "goldstein": 1.0, "symmetric": code == "040",
             "rule": {"id": "en.r%s" % code, "file": "events/en/x.rules", "line": 3, "pattern": "$ + &meet"},
             "trigger": {"text": "met", "start": 12, "end": 15}, "location": None,
             "evidence": {"text": "Name met Other in the capital on the day of the talks.", "start": 0, "end": 55},
             "meta": {}}
        f.write(json.dumps(m, separators=(",", ":")) + "\n")
PY
echo "olay-link -j $(nproc), default --memory (64M); TMPDIR=${TMPDIR:-/tmp}"
for m in $((n / 5)) "$n"; do
  head -n "$m" "$work/mentions.jsonl" > "$work/in.jsonl"
  size=$(stat -c %s "$work/in.jsonl")
  /usr/bin/time -v "$bin/olay-link" "$work/in.jsonl" > "$work/events.jsonl" 2> "$work/time.txt" || { cat "$work/time.txt"; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  events=$(wc -l < "$work/events.jsonl")
  echo "$m mentions ($((size / 1000000)) MB): $(grep '^olay-link:' "$work/time.txt" | cut -d' ' -f2-)"
  awk -v n="$m" -v s="$secs" -v cpu="$cpu" -v rss="$rss" -v ev="$events" 'BEGIN {
    printf "  time %.1f s (CPU %.1f s): %.0f mentions/s; %.1f mentions per event\n", s, cpu, n / s, n / ev;
    printf "  peak RSS %.0f MB: %.0f bytes per unique event (%d events), %.1f bytes per mention\n",
           rss / 1024, rss * 1024 / ev, ev, rss * 1024 / n }'
done
rm -f "$work/in.jsonl"
for fmt in csv gdelt mentions; do
  /usr/bin/time -f "%e %M" "$bin/olay-export" --format "$fmt" "$work/events.jsonl" > "$work/out.$fmt" 2> "$work/export.txt" || { cat "$work/export.txt"; exit 1; }
  tail -1 "$work/export.txt" | awk -v f="$fmt" -v ev="$events" -v sz="$(stat -c %s "$work/out.$fmt")" \
    '{ printf "olay-export --format %s: %.1f s, %.0f events/s, %.0f MB written, peak RSS %.0f MB\n", f, $1, ev / $1, sz / 1e6, $2 / 1024 }'
done
