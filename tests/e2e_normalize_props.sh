#!/usr/bin/env bash
# olay-normalize over every normalize test input: the output contract holds (offsets on
# UTF-8 boundaries, sentences ordered and disjoint, text = cleaned original slice, maps
# lead back to the right characters: tests/golden/normalize/check_props.py), also with
# tiny --max-sentence cuts; the output is the same whatever the input's JSON spelling
# (compact lines take a fast path, others go through jansson), whatever the sharding,
# and from run to run.
set -euo pipefail
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
export OLAY_RULES="$OLAY_SOURCE_DIR/rules" LC_ALL=C.UTF-8
norm="$OLAY_BIN/olay-normalize"
check="$OLAY_SOURCE_DIR/tests/golden/normalize/check_props.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

# every input line, doc_ids made unique across the files (lines that are not JSON kept)
python3 - "$OLAY_SOURCE_DIR"/tests/golden/normalize/*/*.jsonl <<'PY' >all.jsonl
import json, sys
for f, name in enumerate(sys.argv[1:]):
    for i, line in enumerate(open(name, encoding='utf-8')):
        try:
            r = json.loads(line)
        except ValueError:
            sys.stdout.write(line)
            continue
        if isinstance(r, dict) and 'doc_id' in r:
            r['doc_id'] = f'{f}.{i}.{r["doc_id"]}'
        print(json.dumps(r, ensure_ascii=False, separators=(',', ':')))
PY
[ "$(wc -l <all.jsonl)" -ge 30 ] || { echo "too few test inputs"; exit 1; }

# and 300 random documents (fixed seed) from the characters news text mixes: Latin,
# Turkish, Arabic letters and marks, digits, punctuation, quotes, dashes, wraps and
# hyphens, blank lines, invisible characters, C1 controls, decomposed accents
python3 - <<'PY' >>all.jsonl
import json, random
rnd = random.Random(20261121)
words = ['Türkiye', 'İstanbul', 'ISIS', 'Çavuşoğlu', 'görüştü', 'dedi', 'Dr.', 'St.', 'U.S.',
         'تركيا', 'وقال', 'الوزير', 'أَحْمَد', 'مصطفـــى', '٢٠١٨', '3.5', '1.500', 'El-',
         'operasyo-', 'said', 'the', 'Russia', 'Cafe\u0301', 's\u0327ehir', 'well-known']
glue = [' ', ' ', ' ', ' ', '. ', ', ', '، ', '? ', '؟ ', '! ', '... ', '\u2026 ', ' "', '" ',
        '\u201c', '\u201d ', ' \u2014 ', '\n', '\n\n', ' \n', '-\n', '\u00a0', '\u200b',
        '\u00ad', '\u0092', '\u0093', '\u0085', '\t', ': ', ' (AA)', '\r\n']
for d in range(300):
    n = rnd.randint(0, 120)
    text = ''.join(rnd.choice(words) + rnd.choice(glue) for _ in range(n))
    lang = rnd.choice(['tr', 'ar', 'en', 'und'])
    print(json.dumps({'doc_id': f'random-{d}', 'lang': lang, 'text': text},
                     ensure_ascii=False, separators=(',', ':')))
PY

"$norm" all.jsonl >out.jsonl 2>err.txt || [ $? -eq 1 ]
python3 "$check" all.jsonl out.jsonl || fail=1
"$norm" --max-sentence 64 all.jsonl >cut.jsonl 2>/dev/null || [ $? -eq 1 ]
python3 "$check" all.jsonl cut.jsonl || fail=1
"$norm" --keep-boilerplate all.jsonl >keep.jsonl 2>/dev/null || [ $? -eq 1 ]
python3 "$check" all.jsonl keep.jsonl || fail=1

# the same records spelled differently give the same bytes
python3 - all.jsonl <<'PY' >spaced.jsonl
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if isinstance(r, dict) and 'text' in r:
        print(json.dumps(r, ensure_ascii=True))  # spaces and \u escapes: the jansson path
PY
python3 - all.jsonl <<'PY' >compact.jsonl
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if isinstance(r, dict) and 'text' in r:
        print(json.dumps(r, ensure_ascii=False, separators=(',', ':')))
PY
"$norm" spaced.jsonl >a.jsonl 2>/dev/null || [ $? -eq 1 ]
"$norm" compact.jsonl >b.jsonl 2>/dev/null || [ $? -eq 1 ]
cmp -s a.jsonl b.jsonl || { echo "output depends on the input's JSON spelling"; diff a.jsonl b.jsonl | head -5; fail=1; }

# threads, sharding and repetition
"$norm" -j 3 compact.jsonl >threads.jsonl 2>/dev/null || [ $? -eq 1 ]
cmp -s b.jsonl threads.jsonl || { echo "output depends on the thread count"; fail=1; }
split -l 7 compact.jsonl shard.
for f in shard.*; do "$norm" "$f" 2>/dev/null || [ $? -eq 1 ]; done >sharded.jsonl
cmp -s b.jsonl sharded.jsonl || { echo "sharded output differs"; fail=1; }
"$norm" compact.jsonl 2>/dev/null >b2.jsonl || [ $? -eq 1 ]
cmp -s b.jsonl b2.jsonl || { echo "second run differs"; fail=1; }

# a closed pipe ends quietly (exit 0, no error); a full disk is an error (exit 2)
for i in 1 2 3 4; do cat compact.jsonl; done >many.jsonl
"$norm" many.jsonl 2>pipe.err | head -c 10 >/dev/null
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] || grep -q "error" pipe.err; then
  echo "closed pipe: exit $status"; cat pipe.err; fail=1
fi
if [ -w /dev/full ]; then
  "$norm" compact.jsonl >/dev/full 2>full.err && status=0 || status=$?
  [ "$status" -eq 2 ] || { echo "/dev/full: exit $status"; fail=1; }
  grep -q "write error" full.err || { echo "/dev/full: no write error"; cat full.err; fail=1; }
fi
[ $fail -eq 0 ] && echo "normalize properties: ok"
exit $fail
