#!/usr/bin/env python3
"""Score olay events against a gold TSV (doc, source, target, root, need, sym, evidence).

usage: score.py GOLD.tsv EVENTS.jsonl [--verbose] [--json]

An event counts once per (document, source party, target party, CAMEO root) for each
document among its mentions. A party is the actor's ISO country, else its known-group code
mapped to the gold's group names. Gold rows marked 'must' are the recall set; every
predicted (party, party, root) is checked for precision against all gold rows of its
document. Root 01 predictions and predictions lacking a party are neutral. A gold row with
sym=1 matches either direction. Alternatives in gold cells are separated by '|'.
"""
import collections
import json
import sys

# olay's known-group codes (rules/actors) -> the gold standard's party names
GROUPS = {
    "NAT": "NATO", "UNO": "UN", "EUR": "EU", "ARL": "ARAB_LEAGUE", "OIC": "OIC", "GCC": "GCC",
    "ISI": "ISIS", "ALQ": "AL_QAEDA", "NUS": "NUSRA", "PKK": "PKK", "YPG": "YPG", "SDF": "SDF",
    "FSA": "FSA", "HMS": "HAMAS", "HEZ": "HEZBOLLAH", "HTH": "HOUTHI", "COA": "COALITION",
    "WST": "WEST",
}


def party(actor):
    if not isinstance(actor, dict):
        return None
    country = (actor.get("country") or "").strip().upper()
    if country and country != "---":
        return country
    group = (actor.get("group") or "").strip().upper()
    return GROUPS.get(group, group) or None


def read_gold(path):
    rows = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            rows[r["doc"]].append({
                "src": set(r["source"].split("|")), "tgt": set(r["target"].split("|")),
                "roots": {x.zfill(2) for x in r["root"].split("|")},
                "must": r["need"] == "must", "sym": r.get("sym", "0") == "1",
                "text": f'{r["doc"]} {r["source"]}->{r["target"]} {r["root"]}  {r.get("evidence", "")[:70]}',
            })
    return rows


def read_events(path):
    pred = collections.defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            key = (party(e.get("source")), party(e.get("target")),
                   str(e.get("root") or str(e.get("code", ""))[:2]).zfill(2))
            docs = {m.get("doc_id") for m in e.get("mentions", []) if isinstance(m, dict)}
            docs.add(e.get("doc_id"))
            for d in docs - {None}:
                pred[d].add(key)
    return pred


def hit(row, s, t, root):
    return root in row["roots"] and (
        (s in row["src"] and t in row["tgt"]) or (row["sym"] and s in row["tgt"] and t in row["src"]))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    verbose = "--verbose" in sys.argv
    gold, pred = read_gold(args[0]), read_events(args[1])
    must = found = counted = right = 0
    for doc in sorted(gold):
        rows, ps = gold[doc], pred.get(doc, set())
        for r in rows:
            if r["must"]:
                must += 1
                ok = any(hit(r, *p) for p in ps)
                found += ok
                if verbose and not ok:
                    print("MISS ", r["text"])
        for s, t, root in sorted(ps, key=str):
            if not s or not t or root == "01":
                continue
            counted += 1
            ok = any(hit(r, s, t, root) for r in rows)
            right += ok
            if verbose and not ok:
                print(f"EXTRA {doc} {s}->{t} {root}")
    recall = found / must if must else 0.0
    precision = right / counted if counted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if "--json" in sys.argv:
        print(json.dumps({"docs": len(gold), "must": must, "recall": round(recall, 3),
                          "predicted": counted, "precision": round(precision, 3), "f1": round(f1, 3)}))
    else:
        print(f"docs={len(gold)} must={must} recall={recall:.3f} predicted={counted} "
              f"precision={precision:.3f} F1={f1:.3f}")


if __name__ == "__main__":
    main()
