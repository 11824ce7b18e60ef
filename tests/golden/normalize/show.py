#!/usr/bin/env python3
"""Show olay-normalize output for a golden test: per document the removed spans and the
sentences, each with its offsets and text, one per line, so a change reads as a diff."""
import json
import sys

for line in sys.stdin:
    r = json.loads(line)
    b = r['text'].encode()
    print(f"== {r['doc_id']} {json.dumps(r['norm'], sort_keys=False)}")
    for x in r['removed']:
        t = b[x['start']:x['end']].decode()
        t = t if len(t) <= 90 else t[:60] + ' ... ' + t[-25:]
        print(f"  - {x['reason']} [{x['start']},{x['end']}) {json.dumps(t, ensure_ascii=False)}")
    for s in r['sentences']:
        flags = ''.join([' headline' if s.get('headline') else '',
                         f" split={s['split']!r}" if s.get('split') else ''])
        print(f"  {s['n']} p{s['para']} [{s['start']},{s['end']}){flags} {s['text']}")
