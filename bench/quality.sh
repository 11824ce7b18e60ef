#!/usr/bin/env bash
# Extraction quality: run the pipeline on a directory of articles and score the events
# against a gold TSV (format: bench/gold/seeds.gold.tsv, see docs/QUALITY.md).
# usage: bench/quality.sh [ARTICLES_DIR [GOLD.tsv]]   (default: examples/ and its gold)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
articles=${1:-$here/examples}
gold=${2:-$here/bench/gold/seeds.gold.tsv}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/pipeline.sh" -o "$out" "$articles" 2>"$out/log" || { cat "$out/log" >&2; exit 2; }
echo "quality: $(basename "$articles") against $(basename "$gold") ($(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'))"
python3 "$here/bench/score.py" "$gold" "$out/events.jsonl" ${VERBOSE:+--verbose}
