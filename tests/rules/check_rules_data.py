#!/usr/bin/env python3
"""Lint the actor dictionaries and the gazetteer without the engine.

Checks every block of rules/actors/*.actors and rules/places/*.places against docs/RULES.md:
keywords, properties, ids (unique), types, codes, country codes (present in
rules/places/countries.tsv), known-group codes, lat/lon, and names that collide once
reduced to the match key (within one actor: an error; between actors: a warning).
Prints `file:line:col: message` and exits 1 on any error.

usage: check_rules_data.py [RULES_DIR] [--warn]
"""
import os
import re
import sys
import unicodedata

ACTOR_KEYS = {'type', 'code', 'country', 'group', 'roles'} | {
    p + l for p in ('', 'adj.', 'seat.') for l in ('tr', 'ar', 'en')}
PLACE_KEYS = {'type', 'country', 'lat', 'lon', 'tr', 'ar', 'en'}
ACTOR_TYPES = {'state', 'igo', 'group', 'person', 'org'}
PLACE_TYPES = {'city', 'region', 'crossing', 'country'}
KNOWN_GROUPS = {'NAT', 'UNO', 'EUR', 'ARL', 'OIC', 'GCC', 'AFU', 'OPC', 'IAE', 'ICC', 'IRC', 'COA',
                'ISI', 'ALQ', 'NUS', 'PKK', 'YPG', 'SDF', 'FSA', 'HMS', 'HEZ', 'HTH', 'TAL', 'MBR'}
ID_RE = re.compile(r'^[A-Za-z0-9_.-]+$')
CODE_RE = re.compile(r'^[A-Z0-9]{3,15}$')
ROLE_RE = re.compile(r'\[([A-Z0-9]{3,15}) (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?\]')
errors = 0
STATE_IDS = {}
warnings = []


def err(path, line, col, msg):
    global errors
    errors += 1
    print('%s:%d:%d: %s' % (path, line, col, msg))


def strip_comment(s):
    # '#' starts a comment at the start of a line or after white space
    m = re.search(r'(^|\s)#', s)
    return s[:m.start()] if m else s


def key_ar(s):
    s = unicodedata.normalize('NFC', s)
    s = re.sub('[\u064B-\u0652\u0670\u0640]', '', s)
    s = re.sub('[أإآٱ]', 'ا', s).replace('ى', 'ي').replace('ة', 'ه').replace('ؤ', 'و').replace('ئ', 'ي')
    return s.lower()


FOLD = str.maketrans('çğıöşüâîû', 'cgiosuaiu')


def key_tr(s):
    return unicodedata.normalize('NFC', s).replace('İ', 'i').replace('I', 'ı').lower()


def key(lang, s):
    s = re.sub(r"[’‘`´ʼ]", "'", s)
    s = re.sub(r'\s+', ' ', s.strip())
    if lang == 'ar':
        return key_ar(s)
    if lang == 'tr':
        return key_tr(s)
    if lang == 'trfold':
        return key_tr(s).translate(FOLD)
    return s.casefold()


def parse(path):
    """Yield (keyword, id, line, props) with props = [(key, value, line, col)]."""
    blocks = []
    cur = None
    with open(path, encoding='utf-8') as fh:
        for n, raw in enumerate(fh, 1):
            raw = raw.rstrip('\n')
            if '\t' in raw and not path.endswith('.tsv'):
                pass
            body = strip_comment(raw).rstrip()
            if not body.strip():
                continue
            if not body[0].isspace():
                parts = body.split()
                if len(parts) != 2:
                    err(path, n, 1, 'block line must be `KEYWORD ID`')
                    cur = None
                    continue
                cur = (parts[0], parts[1], n, [])
                blocks.append(cur)
            else:
                if cur is None:
                    err(path, n, 1, 'property outside a block')
                    continue
                s = body.lstrip()
                col = len(body) - len(s) + 1
                k, _, v = s.partition(' ')
                cur[3].append((k, v.strip(), n, col))
    return blocks


def load_countries(rules):
    path = os.path.join(rules, 'places', 'countries.tsv')
    codes = {}
    with open(path, encoding='utf-8') as fh:
        head = fh.readline().rstrip('\n').split('\t')
        if head != ['iso3', 'iso2', 'fips', 'name', 'lat', 'lon']:
            err(path, 1, 1, 'header must be iso3 iso2 fips name lat lon')
        seen2, seenf = {}, {}
        for n, line in enumerate(fh, 2):
            f = line.rstrip('\n').split('\t')
            if len(f) != 6:
                err(path, n, 1, 'expected 6 tab-separated columns')
                continue
            iso3, iso2, fips, name, lat, lon = f
            if not re.match(r'^[A-Z]{3}$', iso3) or not re.match(r'^[A-Z]{2}$', iso2) or not re.match(r'^[A-Z]{2}$', fips):
                err(path, n, 1, 'bad code column')
            if iso3 in codes:
                err(path, n, 1, 'duplicate iso3 ' + iso3)
            for d, v, what in ((seen2, iso2, 'iso2'), (seenf, fips, 'fips')):
                if v in d:
                    err(path, n, 1, 'duplicate %s %s (also %s)' % (what, v, d[v]))
                d[v] = iso3
            check_latlon(path, n, lat, lon)
            codes[iso3] = name
    return codes


def check_latlon(path, n, lat, lon):
    for v, lim, what in ((lat, 90, 'lat'), (lon, 180, 'lon')):
        if not re.match(r'^-?\d{1,3}\.\d{4}$', v):
            err(path, n, 1, '%s must have 4 decimals: %r' % (what, v))
            continue
        if abs(float(v)) > lim:
            err(path, n, 1, '%s out of range: %s' % (what, v))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    show_warn = '--warn' in sys.argv
    rules = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'rules')
    rules = os.path.normpath(rules)
    countries = load_countries(rules)
    groups = set(KNOWN_GROUPS)
    ids = {}
    names = {}   # (lang, key) -> set of (code-or-id, file, line)
    nblocks = {}
    for sub, ext, keyword, keys in (('actors', '.actors', 'actor', ACTOR_KEYS), ('places', '.places', 'place', PLACE_KEYS)):
        d = os.path.join(rules, sub)
        if not os.path.isdir(d):
            continue
        # new known-group codes are declared in groups.actors with a `group` property
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(ext):
                continue
            path = os.path.join(d, fn)
            blocks = parse(path)
            nblocks[path] = len(blocks)
            if fn == 'groups.actors':
                for kw, bid, line, props in blocks:
                    for k, v, n, c in props:
                        if k == 'group':
                            groups.add(v)
            for kw, bid, line, props in blocks:
                if kw != keyword:
                    err(path, line, 1, 'unexpected keyword %r in %s file' % (kw, ext))
                    continue
                if not ID_RE.match(bid):
                    err(path, line, len(kw) + 2, 'bad id %r' % bid)
                ns = (sub, bid)
                if ns in ids:
                    err(path, line, len(kw) + 2, 'duplicate id %s (also %s:%d)' % ((bid,) + ids[ns]))
                ids[ns] = (path, line)
                p = {}
                for k, v, n, c in props:
                    if k not in keys:
                        err(path, n, c, 'unknown property %r' % k)
                        continue
                    if k in p:
                        err(path, n, c, 'property %r given twice' % k)
                    if not v:
                        err(path, n, c, 'property %r has no value' % k)
                    p[k] = (v, n, c)
                check_block(path, kw, bid, line, p, countries, groups, names)
    # every state has a row in countries.tsv, and every row a state
    states = {bid for (sub, bid) in ids if sub == 'actors' and STATE_IDS.get(bid)}
    codes_seen = set(STATE_IDS.values())
    for c in sorted(set(countries) - codes_seen):
        warnings.append('%s: countries.tsv row %s has no state actor' % (os.path.join(rules, 'places', 'countries.tsv'), c))
    for (lang, k), owners in sorted(names.items()):
        codes = {o[0] for o in owners}
        if len(codes) > 1:
            o = sorted(owners)
            warnings.append('%s:%d: %s name %r used by %s' % (o[0][1], o[0][2], lang, k, ', '.join(sorted(codes))))
    if show_warn:
        for w in warnings:
            print('warning: ' + w)
    total = sum(nblocks.values())
    print('%d blocks in %d files, %d countries, %d errors, %d warnings' % (total, len(nblocks), len(countries), errors, len(warnings)),
          file=sys.stderr)
    return 1 if errors else 0


def check_block(path, kw, bid, line, p, countries, groups, names):
    def need(k):
        if k not in p:
            err(path, line, 1, '%s %s: missing %r' % (kw, bid, k))
            return False
        return True
    types = ACTOR_TYPES if kw == 'actor' else PLACE_TYPES
    if need('type') and p['type'][0] not in types:
        err(path, p['type'][1], p['type'][2], 'bad type %r' % p['type'][0])
    t = p.get('type', ('',))[0]
    if 'country' in p and p['country'][0] not in countries:
        err(path, p['country'][1], p['country'][2], 'country %r is not in countries.tsv' % p['country'][0])
    if kw == 'actor':
        if need('code') and not CODE_RE.match(p['code'][0]):
            err(path, p['code'][1], p['code'][2], 'bad code %r' % p['code'][0])
        if t in ('igo', 'group') and 'country' in p:
            err(path, p['country'][1], p['country'][2], 'IGOs and non-state groups carry no country')
        if t in ('state', 'person') and 'country' not in p and t == 'state':
            err(path, line, 1, 'a state needs a country')
        if 'group' in p:
            if t not in ('igo', 'group'):
                warnings.append('%s:%d:%d: group is for IGOs and groups only (RULES.md)' % (path, p['group'][1], p['group'][2]))
            if p['group'][0] not in groups:
                err(path, p['group'][1], p['group'][2], 'unknown known-group code %r' % p['group'][0])
        if 'roles' in p:
            v, n, c = p['roles']
            if not re.fullmatch(r'(\s*' + ROLE_RE.pattern + r')+\s*', v):
                err(path, n, c, 'bad roles %r' % v)
        owner = p['code'][0] if 'code' in p else bid
        if t == 'state' and 'country' in p:
            STATE_IDS[bid] = p['country'][0]
        if not any(k in p for k in ('tr', 'ar', 'en')):
            err(path, line, 1, 'actor %s has no name' % bid)
    else:
        need('country')
        if need('lat') and need('lon'):
            check_latlon(path, p['lat'][1], p['lat'][0], p['lon'][0])
        owner = bid
        if not all(k in p for k in ('tr', 'ar', 'en')):
            err(path, line, 1, 'place %s needs tr, ar and en names' % bid)
    seen = {}
    for k, (v, n, c) in p.items():
        lang = k.split('.')[-1]
        if lang not in ('tr', 'ar', 'en'):
            continue
        for alias in v.split('|'):
            a = alias.strip()
            if not a:
                err(path, n, c, 'empty alias in %s' % k)
                continue
            if lang == 'ar' and re.search('[A-Za-z]', a):
                err(path, n, c, 'Latin letters in an Arabic name: %r' % a)
            if lang != 'ar' and re.search('[\u0600-\u06FF]', a):
                err(path, n, c, 'Arabic letters in a %s name: %r' % (lang, a))
            kk = (lang, key(lang, a))
            if kk in seen:
                warnings.append('%s:%d:%d: %r repeats %r once reduced to the match key' % (path, n, c, a, seen[kk]))
            seen[kk] = a
            names.setdefault((kw + ':' + lang, kk[1]), set()).add((owner, path, n))


if __name__ == '__main__':
    sys.exit(main())
