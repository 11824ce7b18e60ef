# Print, for each entity id in linked events, the documents and texts it was found in and
# how (dictionary, document, key, code, ambiguous): the readable side of a golden test.
import json, sys
seen = {}
for line in open(sys.argv[1], encoding="utf-8"):
    for m in json.loads(line)["mentions"]:
        for side in ("source", "target"):
            a = m.get(side)
            if a:
                seen.setdefault(a["entity"], set()).add((m["doc_id"], a["text"], a.get("resolved", "")))
for ent in sorted(seen):
    print(ent)
    for doc, text, how in sorted(seen[ent]):
        print(f"  {doc}  {text}  ({how})")
