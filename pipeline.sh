#!/usr/bin/env bash
# Run the olay pipeline end to end:
#   olay-ingest | olay-normalize | olay-extract | olay-link  -> linked events
#   olay-export -> events.csv, mentions.csv
# usage: ./pipeline.sh [-o OUTDIR] [-j THREADS] [-r RULES] [INPUT...]
# With no INPUT it runs on examples/ into out/. Builds first when the executables are missing.
# Outputs are written under temporary names and renamed at the end, so an interrupted run
# never leaves files that look complete. Exit status: 0, or 1 when some records were
# rejected (see OUTDIR/rejects.jsonl), or 2 when a stage failed (nothing written).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
outdir=out
threads=$(nproc 2>/dev/null || echo 1)
rules="$here/rules"

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
while getopts "o:j:r:h" opt; do
  case $opt in
    o) outdir=$OPTARG ;;
    j) threads=$OPTARG ;;
    r) rules=$OPTARG ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] && set -- "$here/examples"

bin=${OLAY_BIN:-$here/build}
for s in ingest normalize extract link export; do
  if [ ! -x "$bin/olay-$s" ]; then
    echo "pipeline: olay-$s is not built; building (scripts/build.sh)" >&2
    "$here/scripts/build.sh" >&2
    break
  fi
done

mkdir -p "$outdir"
tmp=$(mktemp -d "$outdir/.pipeline.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=$threads

# A stage that exits 1 rejected some records and processed the rest: the run goes on and
# pipeline.sh exits 1 at the end. Status 2 (or a signal) from any stage stops the run.
worst=0
status() { # the statuses of a pipeline or command, in order
  for rc in "$@"; do
    if [ "$rc" -ge 2 ]; then echo "pipeline: a stage failed (exit $rc); no output written" >&2; exit 2; fi
    [ "$rc" -gt "$worst" ] && worst=$rc
  done
  return 0
}
set +e
"$bin/olay-ingest" --rules "$rules" --rejects "$tmp/rejects-ingest.jsonl" "$@" \
  | "$bin/olay-normalize" --rules "$rules" --rejects "$tmp/rejects-normalize.jsonl" \
  | "$bin/olay-extract" --rules "$rules" -j "$threads" --rejects "$tmp/rejects-extract.jsonl" \
  | "$bin/olay-link" --rejects "$tmp/rejects-link.jsonl" \
  > "$tmp/events.jsonl"
status "${PIPESTATUS[@]}"
"$bin/olay-export" --rules "$rules" --format csv -o "$tmp/events.csv" "$tmp/events.jsonl"
status $?
"$bin/olay-export" --rules "$rules" --format mentions -o "$tmp/mentions.csv" "$tmp/events.jsonl"
status $?
set -e

for f in events.jsonl events.csv mentions.csv; do mv -f "$tmp/$f" "$outdir/$f"; done
cat "$tmp"/rejects-*.jsonl > "$outdir/rejects.jsonl" 2>/dev/null || true
events=$(wc -l < "$outdir/events.jsonl")
# mentions.csv quotes line breaks inside evidence, so count mentions from the events
mentions=$(grep -o '"num_mentions":[0-9]*' "$outdir/events.jsonl" | awk -F: '{n += $2} END {print n + 0}')
rejected=$(wc -l < "$outdir/rejects.jsonl")
echo "pipeline: $events events from $mentions mentions, $rejected rejected records;" \
     "wrote $outdir/events.jsonl, $outdir/events.csv, $outdir/mentions.csv" >&2
exit "$worst"
