#!/usr/bin/env bash
# olay-link's result depends only on the set of mentions: a generated corpus linked in one
# run, in shuffled order, and split 2 and 7 ways (lines dealt at random, so documents are cut
# across shards) with each shard linked alone and the partial results linked together, gives
# the same bytes every time. Linking link's own output again changes nothing.
set -euo pipefail
: "${OLAY_BIN:?}"
link="$OLAY_BIN/olay-link"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - <<'PY'
import json, random
rnd = random.Random(7)
people = [("mevlut-cavusoglu", "TURGOV", "TUR", ["Mevlüt Çavuşoğlu", "مولود جاويش أوغلو"], ["Çavuşoğlu"]),
          ("sergey-lavrov", "RUSGOV", "RUS", ["Sergey Lavrov", "سيرغي لافروف"], ["Lavrov"]),
          (None, "TURGOV", "TUR", ["Mehmet Yılmaz", "محمد يلماز", "Mehmed Yilmaz"], ["Yılmaz"]),
          (None, "SYRGOV", "SYR", ["Ahmed Hasan", "أحمد حسن"], ["Hasan"]),
          ("RUS", "RUS", "RUS", ["Rusya", "روسيا", "Russia"], []),
          ("TUR", "TUR", "TUR", ["Türkiye", "تركيا", "Turkey"], [])]
codes = [("040", True, 1, 1.0), ("042", False, 1, 1.9), ("043", False, 1, 2.8),
         ("036", False, 1, 4.0), ("190", False, 4, -10.0), ("057", True, 1, 8.0)]
langs = ["tr", "ar", "en"]
out = open("all.jsonl", "w")
for d in range(400):
    doc = "doc%03d" % d
    day = 1 + rnd.randrange(20)
    lang = rnd.choice(langs)
    pub = rnd.choice(["AA", "الجزيرة", "Reuters", None])
    named = set()
    for s in range(rnd.randrange(1, 9)):
        sides = []
        for _ in range(2):
            p = rnd.randrange(len(people))
            ent, code, ctry, full, short = people[p]
            if short and p in named and rnd.random() < 0.5:
                text, given = rnd.choice(short), None
            elif short and rnd.random() < 0.1:
                text, given = rnd.choice(["the minister", "Bakan", "الوزير"]), None
            else:
                text, given = rnd.choice(full), ent
                named.add(p)
            sides.append({"text": text, "start": 10 * s, "end": 10 * s + len(text.encode()),
                          "code": code, "name": None, "country": ctry, "group": None,
                          "role": "GOV" if code.endswith("GOV") else None, "entity": given})
        c, sym, quad, g = rnd.choice(codes)
        m = {"mention_id": "%s:%d:0" % (doc, s), "doc_id": doc,
             "date": "2020-03-%02d" % min(28, day + rnd.randrange(2)), "lang": lang,
             "publisher": pub, "url": None, "sentence": s, "source": sides[0],
             "target": sides[1] if rnd.random() > 0.1 else None, "code": c, "root": c[:2],
             "quad": quad, "goldstein": g, "symmetric": sym,
             "rule": {"id": "r%d" % s, "file": "events/x.rules", "line": s, "pattern": "$ +"},
             "trigger": {"text": "x", "start": 0, "end": 1}, "location": None,
             "evidence": {"text": "sentence %d" % s, "start": 0, "end": 10}, "meta": {"n": d}}
        out.write(json.dumps(m, ensure_ascii=False) + "\n")
out.close()
lines = open("all.jsonl").read().splitlines(True)
rnd.shuffle(lines)
open("shuffled.jsonl", "w").writelines(lines)
for k in (2, 7):
    shards = [[] for _ in range(k)]
    for l in lines:
        shards[rnd.randrange(k)].append(l)
    for i, sh in enumerate(shards):
        open("split%d.%d.jsonl" % (k, i), "w").writelines(sh)
PY

fail=0
for opts in "" "--by root --window 2"; do
  $link $opts all.jsonl > one.jsonl 2>/dev/null
  n=$(wc -l < one.jsonl)
  merged=$(python3 -c 'import json,sys; print(sum(json.loads(l)["num_mentions"] > 1 for l in open(sys.argv[1])))' one.jsonl)
  echo "[$opts] $(wc -l < all.jsonl) mentions -> $n events, $merged with more than one mention"
  [ "$n" -gt 50 ] && [ "$merged" -gt 20 ] || { echo "FAIL: the corpus does not exercise merging"; fail=1; }
  $link $opts shuffled.jsonl > shuffled.out 2>/dev/null
  cmp -s one.jsonl shuffled.out && echo "  shuffled input: same bytes" || { echo "FAIL: shuffled input differs"; fail=1; }
  for k in 2 7; do
    rm -f part.*
    for f in split$k.*.jsonl; do $link $opts "$f" > "part.$f" 2>/dev/null; done
    $link $opts part.* > merged.out 2>/dev/null
    cmp -s one.jsonl merged.out && echo "  split $k ways, partials linked together: same bytes" \
      || { echo "FAIL: split $k ways differs"; diff <(cut -c1-150 one.jsonl) <(cut -c1-150 merged.out) | head; fail=1; }
  done
  # a partial and raw mentions together
  $link $opts split2.0.jsonl > part0.out 2>/dev/null
  $link $opts part0.out split2.1.jsonl > mixed.out 2>/dev/null
  cmp -s one.jsonl mixed.out && echo "  a partial plus raw mentions: same bytes" || { echo "FAIL: mixed differs"; fail=1; }
  # a sort budget far below the input: every sort spills to many runs, same bytes
  $link $opts --memory 8k shuffled.jsonl > spilled.out 2>/dev/null
  cmp -s one.jsonl spilled.out && echo "  --memory 8k (spilled to many runs): same bytes" || { echo "FAIL: --memory 8k differs"; fail=1; }
  $link $opts one.jsonl > again.out 2>/dev/null
  cmp -s one.jsonl again.out && echo "  linking the output again: same bytes" || { echo "FAIL: re-link differs"; fail=1; }
done
exit $fail
