#!/usr/bin/env bash
# Lint the shipped rules and run every example in them, exactly as analysts do:
#   olay-extract --check-rules rules/
# Any message (file:line:col: ...) fails the test; the messages are the test's output.
set -u
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
out=$("$OLAY_BIN/olay-extract" --check-rules "$OLAY_SOURCE_DIR/rules" 2>&1)
rc=$?
problems=$(printf '%s\n' "$out" | grep -v "^olay-extract: '.*': .*: ok$" | grep -v '^$')
if [ "$rc" -ne 0 ] || [ -n "$problems" ]; then
  printf '%s\n' "$out"
  echo "e2e_rule_examples: exit status $rc, $(printf '%s\n' "$problems" | grep -c .) messages"
  exit 1
fi
printf '%s\n' "$out"
