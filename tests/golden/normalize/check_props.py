#!/usr/bin/env python3
"""Properties every olay-normalize output must have (docs/FORMAT.md), checked record by
record against the input: offsets on UTF-8 boundaries, sentences in order and not
overlapping, removed spans sorted and disjoint, each sentence's text equal to its original
slice after the documented cleaning, and the key and fold maps leading each letter back to
the original character it came from. An independent Python model of the cleaning, so a
change in the C code that breaks the contract shows here.
Usage: check_props.py INPUT.jsonl OUTPUT.jsonl   (prints problems, exits 1 if any)"""
import json
import sys
import unicodedata

C1 = {0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
      0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
      0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
      0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
      0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178}
QUOTES = set('\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u2036\u301d\u301e\u301f\uff02')
APOS = set('`\u00b4\u02bc\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\uff07')
DASHES = set('\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d')
SPACES = set(' \t\n\r\x0b\x0c\u00a0\u1680\u2028\u2029\u202f\u205f\u3000') | \
    {chr(c) for c in range(0x2000, 0x200b)}
REMOVE = set('\u00ad\u034f\u061c\u0640\u06dd\u070f\u180e\ufeff') | \
    {chr(c) for c in range(0x200b, 0x2010)} | {chr(c) for c in range(0x202a, 0x202f)} | \
    {chr(c) for c in range(0x2060, 0x2070)} | {chr(c) for c in range(0x600, 0x606)}


def clean(s):
    out = []
    for ch in s:
        c = ord(ch)
        if 0x80 <= c <= 0x9F:
            ch = chr(C1[c]) if c in C1 else '\x00'
        out.append(ch)
    s = unicodedata.normalize('NFC', ''.join(out))
    res, space = [], False
    for ch in s:
        c = ord(ch)
        if ch in SPACES:
            space = True
            continue
        if (c < 0x20 or c == 0x7F or ch in REMOVE or 0xFE00 <= c <= 0xFE0F):
            continue
        if ch in QUOTES:
            ch = '"'
        elif ch in APOS:
            ch = "'"
        elif ch in DASHES:
            ch = '-'
        if space and res:
            res.append(' ')
        space = False
        res.append(ch)
    return ''.join(res)


def boundary(b, i):
    return i == len(b) or (b[i] & 0xC0) != 0x80


def lookup(m, k):
    best = None
    for i in range(0, len(m), 2):
        if m[i] <= k:
            best = i
    if best is None:
        return m[1]
    return m[best + 1] + (k - m[best])


def lower_tr(ch, lang):
    if ch == 'I':
        return '\u0131' if lang == 'tr' else 'i'
    if ch == '\u0130':
        return 'i'
    return ch.lower()


FOLD = {'ç': 'c', 'ğ': 'g', 'ı': 'i', 'ö': 'o', 'ş': 's', 'ü': 'u', 'â': 'a', 'î': 'i', 'û': 'u'}


def check_map(problems, where, b, key, m, lang, start, end, fold=False):
    kb = key.encode()
    if not m or len(m) % 2:
        problems.append(f'{where}: empty or odd map')
        return
    ks = m[0::2]
    if ks != sorted(set(ks)):
        problems.append(f'{where}: map anchors not strictly increasing')
    prev = -1
    for k in range(len(kb) + 1):
        if not boundary(kb, k):
            continue
        o = lookup(m, k)
        if not (start <= o <= end):
            problems.append(f'{where}: key offset {k} maps to {o}, outside [{start},{end})')
            return
        if not boundary(b, o):
            problems.append(f'{where}: key offset {k} maps inside a character ({o})')
            return
        if o < prev:
            problems.append(f'{where}: map goes backwards at key offset {k}')
            return
        prev = o
        if k == len(kb):
            break
        kc = kb[k:k + 4].decode('utf-8', 'ignore')[:1]
        if not kc.isalpha() or not kc.isascii():
            continue
        oc = b[o:o + 4].decode('utf-8', 'ignore')[:1]
        want = lower_tr(oc, lang)
        if fold:
            want = FOLD.get(want, want)
        if want != kc and unicodedata.normalize('NFD', want)[:1] != kc:
            problems.append(f'{where}: key {kc!r} at {k} maps to {oc!r} at {o}')
            return


def main():
    inputs = []
    for l in open(sys.argv[1], encoding='utf-8'):
        try:
            inputs.append(json.loads(l))
        except ValueError:
            pass  # a line normalize rejects
    inputs = [r for r in inputs if isinstance(r, dict)]
    outputs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8') if l.strip()]
    by_id = {r.get('doc_id'): r for r in inputs}
    problems = []
    for r in outputs:
        doc = r.get('doc_id')
        src = by_id.get(doc)
        if src is None:
            problems.append(f'{doc}: not in the input')
            continue
        for k, v in src.items():
            if k not in ('sentences', 'removed', 'norm') and r.get(k) != v:
                problems.append(f'{doc}: input field {k!r} changed')
        b = src['text'].encode()
        lang = src.get('lang')
        rem = r['removed']
        last = 0
        for x in rem:
            if not (last <= x['start'] < x['end'] <= len(b)):
                problems.append(f'{doc}: removed span {x} out of order or overlapping')
            if not (boundary(b, x['start']) and boundary(b, x['end'])):
                problems.append(f'{doc}: removed span {x} not on character boundaries')
            last = x['end']
        last = 0
        for i, s in enumerate(r['sentences']):
            where = f'{doc}: sentence {i}'
            if s['n'] != i:
                problems.append(f'{where}: n is {s["n"]}')
            st, en = s['start'], s['end']
            if not (last <= st < en <= len(b)):
                problems.append(f'{where}: span [{st},{en}) out of order or overlapping')
                continue
            if not (boundary(b, st) and boundary(b, en)):
                problems.append(f'{where}: span not on character boundaries')
            last = en
            # the original slice, removed spans inside it as a space (joins as nothing)
            parts, x = [], st
            for y in rem:
                if y['end'] <= st or y['start'] >= en:
                    continue
                parts.append(b[x:max(x, y['start'])])
                parts.append(b'' if y['reason'] in ('hyphen', 'wrap') else b' ')
                x = max(x, y['end'])
            parts.append(b[x:en])
            want = clean(b''.join(parts).decode('utf-8', 'replace'))
            if s.get('split'):
                if want.replace(' ', '') != s['text'].replace(' ', '') and s['text'] not in want:
                    problems.append(f'{where}: cut text is not its slice')
            elif s['text'] != want:
                problems.append(f'{where}: text differs from its cleaned slice\n  text:  {s["text"][:200]!r}\n  slice: {want[:200]!r}')
            check_map(problems, where + ' map', b, s['key'], s['map'], lang, st, en)
            if lang == 'tr':
                if 'fold' not in s:
                    problems.append(f'{where}: Turkish sentence without fold')
                else:
                    check_map(problems, where + ' fmap', b, s['fold'], s['fmap'], lang, st, en, True)
                    if not s['fold'].isascii() and all(c not in s['fold'] for c in FOLD):
                        pass
            elif 'fold' in s:
                problems.append(f'{where}: fold outside Turkish')
    for p in problems:
        print(p)
    print(f'{len(outputs)} documents, {sum(len(r["sentences"]) for r in outputs)} sentences, '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
