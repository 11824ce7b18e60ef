#!/usr/bin/env bash
# Run one golden case: tests/golden/<stage>/<case>/
#   cmd              a bash snippet run in a scratch copy of the case directory; $OLAY_BIN is
#                    the build directory holding the executables, $OLAY_SOURCE_DIR the tree
#   expected.out     stdout, byte for byte (required)
#   expected.err     stderr, byte for byte (optional)
#   expected.rc      exit status (optional, default 0)
#   expected.FILE    any file named FILE that cmd writes, byte for byte (e.g. expected.rejects)
# Set OLAY_UPDATE_GOLDEN=1 to rewrite the expected files from the actual output (then review
# the diff before committing).
set -u
case_dir=$1
: "${OLAY_BIN:?OLAY_BIN must name the build directory}"
: "${OLAY_SOURCE_DIR:?OLAY_SOURCE_DIR must name the source tree}"
export OLAY_BIN OLAY_SOURCE_DIR
export OLAY_RULES="$OLAY_SOURCE_DIR/rules"
export LC_ALL=C.UTF-8 OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$case_dir"/. "$work"/
cd "$work" || exit 2
PATH="$OLAY_BIN:$PATH" bash ./cmd >actual.out 2>actual.err
rc=$?

fail=0
want_rc=0
[ -f expected.rc ] && want_rc=$(cat expected.rc)
if [ "$rc" != "$want_rc" ]; then
  echo "exit status $rc, expected $want_rc"; fail=1
fi
for exp in expected.*; do
  [ "$exp" = expected.rc ] && continue
  name=${exp#expected.}
  case $name in out) act=actual.out ;; err) act=actual.err ;; *) act=$name ;; esac
  if [ "${OLAY_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$act" "$case_dir/$exp" 2>/dev/null || echo "no $act to update $exp from"
    continue
  fi
  if ! cmp -s "$exp" "$act"; then
    echo "--- $exp differs:"; diff -u "$exp" "$act" | head -40; fail=1
  fi
done
if [ "${OLAY_UPDATE_GOLDEN:-0}" = 1 ]; then echo "$rc" >"$case_dir/expected.rc"; fi
if [ $fail -ne 0 ]; then
  echo "--- stderr was:"; head -20 actual.err
fi
exit $fail
