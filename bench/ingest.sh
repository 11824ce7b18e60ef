#!/usr/bin/env bash
# Ingest throughput: MB/s on a JSON Lines corpus expanded from examples/ (each copy with its
# own id and a varied sentence so nothing is a duplicate).
# usage: bench/ingest.sh [MEGABYTES]   (default 100)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-100}
bin=${OLAY_BIN:-$here/build}
[ -x "$bin/olay-ingest" ] || "$here/scripts/build.sh" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$here/examples" "$work/corpus.jsonl" "$mb" <<'PY'
import json, os, sys
src, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = [open(os.path.join(src, f), encoding="utf-8").read() for f in sorted(os.listdir(src))]
with open(out, "w", encoding="utf-8") as f:
    i = 0
    while f.tell() < mb * 1_000_000:
        t = texts[i % len(texts)] + f"\nCopy {i}.\n"
        f.write(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n")
        i += 1
PY
size=$(stat -c %s "$work/corpus.jsonl")
start=$(date +%s.%N)
"$bin/olay-ingest" "$work/corpus.jsonl" >/dev/null 2>"$work/log"
end=$(date +%s.%N)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "ingest: $(tail -1 "$work/log")"
python3 -c "print(f'ingest: {$size/1e6:.0f} MB in {$end-$start:.2f} s = {$size/1e6/($end-$start):.1f} MB/s (one core)')"
