#!/usr/bin/env bash
# The same meeting reported in Turkish and in Arabic on the same day, through every stage
# (ingest | normalize | extract | link): one event, num_articles 2, both languages, the
# ministers resolved to one dictionary entity each whatever the script.
set -euo pipefail
: "${OLAY_BIN:?}" "${OLAY_SOURCE_DIR:?}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
cat > "$work/in/tr-wire.txt" <<'TXT'
Fidan Moskova'da Lavrov ile görüştü

Dışişleri Bakanı Hakan Fidan, 12 Mart 2024 tarihinde Moskova'da Rus mevkidaşı Sergey Lavrov ile görüştü. İki bakan bölgesel gelişmeleri ele aldı.
TXT
cat > "$work/in/ar-wire.txt" <<'TXT'
فيدان ولافروف يبحثان الأوضاع الإقليمية

التقى وزير الخارجية التركي هاكان فيدان نظيره الروسي سيرغي لافروف في موسكو يوم 12 مارس 2024، وبحث الجانبان التطورات في المنطقة.
TXT
b=$OLAY_BIN; r=$OLAY_SOURCE_DIR/rules
"$b/olay-ingest" --rules "$r" "$work/in" 2>/dev/null | "$b/olay-normalize" --rules "$r" 2>/dev/null \
  | "$b/olay-extract" --rules "$r" 2>/dev/null | "$b/olay-link" 2>/dev/null > "$work/events.jsonl"
python3 - "$work/events.jsonl" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
meet = [e for e in events if e["root"] == "04"
        and {e["source"]["entity"], e["target"]["entity"]} == {"hakan-fidan", "sergey-lavrov"}]
for e in events:
    print(e["date"], e["source"]["entity"], e["code"], e["target"]["entity"], e["num_articles"], e["languages"])
assert len(meet) == 1, f"expected one Fidan-Lavrov meeting, got {len(meet)}"
e = meet[0]
assert e["num_articles"] == 2, f"num_articles {e['num_articles']}"
assert e["languages"] == ["ar", "tr"], e["languages"]
assert e["date"] == "2024-03-12", e["date"]
assert {m["doc_id"] for m in e["mentions"]} == {"tr-wire", "ar-wire"}
print("1 passed, 0 failed")
PY
