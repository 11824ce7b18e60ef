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
echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
