#!/usr/bin/env bash
# olay-link's temporary files: with a small --memory every sort spills to runs in $TMPDIR;
# the result is the same bytes as in memory, and nothing is left in $TMPDIR afterwards,
# neither after a normal end nor after the process is killed. An unusable $TMPDIR is a
# system error (exit 2) with a message, not a wrong result.
set -euo pipefail
: "${OLAY_BIN:?}"
link="$OLAY_BIN/olay-link"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir tmp

python3 - <<'PY'
import json, random
rnd = random.Random(3)
with open("m.jsonl", "w") as f:
    for i in range(20000):
        doc = "d%d" % rnd.randrange(500)
        s, t = rnd.sample(["TUR", "RUS", "SYR", "IRN", "USA", "EGY"], 2)
        f.write(json.dumps({"mention_id": "%s:%d" % (doc, i), "doc_id": doc,
                            "date": "2021-05-%02d" % rnd.randrange(1, 29), "lang": "en",
                            "sentence": i % 9, "code": rnd.choice(["040", "042", "190"]),
                            "source": {"entity": s, "code": s, "text": s},
                            "target": {"entity": t, "code": t, "text": t},
                            "evidence": {"text": "x" * 200, "start": 0, "end": 200}}) + "\n")
PY

fail=0
"$link" m.jsonl > mem.out 2>/dev/null
TMPDIR="$work/tmp" "$link" --memory 64k m.jsonl > spill.out 2>/dev/null
cmp -s mem.out spill.out && echo "spilled to \$TMPDIR: same bytes ($(wc -l < mem.out) events)" \
  || { echo "FAIL: spilled output differs"; fail=1; }
[ -z "$(ls -A tmp)" ] && echo "nothing left in \$TMPDIR after the run" || { echo "FAIL: left in TMPDIR: $(ls tmp)"; fail=1; }

# killed in the middle of its work: the runs were unlinked when created
TMPDIR="$work/tmp" "$link" --memory 64k m.jsonl m.jsonl m.jsonl m.jsonl > /dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ -z "$(ls -A tmp)" ] && echo "nothing left in \$TMPDIR after kill -9" || { echo "FAIL: left after kill: $(ls tmp)"; fail=1; }

set +e
TMPDIR="$work/missing" "$link" --memory 64k m.jsonl > /dev/null 2> err.txt
rc=$?
set -e
if [ "$rc" -eq 2 ] && grep -q "TMPDIR" err.txt; then
  echo "unusable \$TMPDIR: exit 2, '$(head -1 err.txt)'"
else
  echo "FAIL: unusable TMPDIR gave exit $rc: $(cat err.txt)"; fail=1
fi
exit $fail
