#!/usr/bin/env bash
# Every stage follows the shared conventions: --help (with the exit statuses) and --version
# exit 0, an unknown option and an unreadable input exit 2 with a message naming the
# problem, and a summary line accounts for what was read.
set -uo pipefail
bin=${OLAY_BIN:?}
export OLAY_RULES=${OLAY_SOURCE_DIR:?}/rules
failures=0 passes=0
check() { # description, condition
  if eval "$2"; then passes=$((passes + 1)); else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for s in ingest normalize extract link export; do
  exe=$bin/olay-$s
  "$exe" --help >"$work/help" 2>&1; rc=$?
  check "olay-$s --help exits 0" "[ $rc -eq 0 ]"
  check "olay-$s --help lists the exit statuses" "grep -q 'Exit status' '$work/help' && grep -q '^  2 ' '$work/help'"
  out=$("$exe" --version 2>&1); rc=$?
  check "olay-$s --version" "[ $rc -eq 0 ] && [[ '$out' == olay-$s\ * ]]"
  "$exe" --no-such-option </dev/null >/dev/null 2>"$work/err"; rc=$?
  check "olay-$s rejects an unknown option with 2" "[ $rc -eq 2 ] && grep -q 'no-such-option' '$work/err'"
  "$exe" "$work/missing.jsonl" >/dev/null 2>"$work/err"; rc=$?
  check "olay-$s names an unreadable input and exits 2" "[ $rc -eq 2 ] && grep -q 'missing.jsonl' '$work/err'"
  "$exe" </dev/null >/dev/null 2>"$work/err"; rc=$?
  check "olay-$s on empty input exits 0 with a summary line" "[ $rc -eq 0 ] && grep -q '^olay-$s: 0 ' '$work/err'"
done
for s in normalize extract link; do
  "$bin/olay-$s" -j 2abc </dev/null >/dev/null 2>"$work/err"; rc=$?
  check "olay-$s rejects a malformed thread count with 2" "[ $rc -eq 2 ] && grep -q '2abc' '$work/err'"
done
"$bin/olay-ingest" --max-bytes 2x </dev/null >/dev/null 2>"$work/err"; rc=$?
check "olay-ingest rejects a malformed size with 2" "[ $rc -eq 2 ] && grep -q -- '--max-bytes' '$work/err'"

# With real input: a full disk is an error (2), a closed pipe ends quietly (0).
"$bin/olay-ingest" "$OLAY_SOURCE_DIR/examples" 2>/dev/null >"$work/ingest.out"
"$bin/olay-normalize" "$work/ingest.out" 2>/dev/null >"$work/normalize.out"
"$bin/olay-extract" "$work/normalize.out" 2>/dev/null >"$work/extract.out"
"$bin/olay-link" "$work/extract.out" 2>/dev/null >"$work/link.out"
prev=ingest
for s in normalize extract link export; do
  in=$work/$prev.out; prev=$s
  [ "$s" = normalize ] && in=$work/ingest.out
  [ "$s" = extract ] && in=$work/normalize.out
  [ "$s" = link ] && in=$work/extract.out
  [ "$s" = export ] && in=$work/link.out
  check "olay-$s has input to work on" "[ -s '$in' ]"
  "$bin/olay-$s" "$in" >/dev/full 2>"$work/err"; rc=$?
  check "olay-$s exits 2 on a full disk" "[ $rc -eq 2 ] && grep -qi 'write error\|no space' '$work/err'"
  # many copies, so the output outgrows the pipe buffer before head closes it
  for i in $(seq 50); do cat "$in"; done >"$work/big.in"
  "$bin/olay-$s" "$work/big.in" 2>"$work/err" | head -c 10 >/dev/null; rc=${PIPESTATUS[0]}
  check "olay-$s ends quietly (0) when the reader closes the pipe" "[ $rc -eq 0 ] && ! grep -qi 'error' '$work/err'"
done
"$bin/olay-ingest" "$OLAY_SOURCE_DIR/examples" >/dev/full 2>"$work/err"; rc=$?
check "olay-ingest exits 2 on a full disk" "[ $rc -eq 2 ]"

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
