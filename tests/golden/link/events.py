# One line per linked event: id, date, source and target entity, code, mentions, articles,
# sources, languages, and the mention ids: a golden test's readable summary.
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    ent = lambda a: a["entity"] if a else "-"
    print(e["event_id"], e["date"], ent(e["source"]), ent(e["target"]), e["code"],
          "m=%d a=%d s=%d" % (e["num_mentions"], e["num_articles"], e["num_sources"]),
          ",".join(e["languages"]), " ".join(m["mention_id"] for m in e["mentions"]))
