#!/usr/bin/env python3
# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The translations we ship for Tryton's own modules and for sao, in the
languages Tryton does not ship (Arabic): see
addons/casa_base/doc/translations.rst.

    scripts/tryton_locale.py template stock [--lang ar]
        writes addons/casa_base/locale_tryton/ar/stock.po: every entry
        (msgctxt, msgid) of the module's French .po, the ones already
        translated in another of our files filled in, the others empty,
        for a translator to complete
    scripts/tryton_locale.py sao-json DIRECTORY
        writes DIRECTORY/<lang>.json, the file sao requests (locale/<lang>.json)
        from each addons/casa_base/locale_sao/<lang>.po, and an empty en.json
        (sao keeps the strings of the previous language without it)
    scripts/tryton_locale.py check
        lists the entries of our files that are missing, untranslated or
        whose placeholders differ from their msgid (exit 1 if any)
"""
import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / 'addons' / 'casa_base'
TRYTON_LOCALE = BASE / 'locale_tryton'
SAO_LOCALE = BASE / 'locale_sao'
HEADER = {'Content-Type': 'text/plain; charset=utf-8'}

# what a translation must keep from its msgid, as many times: Python
# formats (%(name)s, %s, %%), sao's (%1), Genshi/relatorio and Tryton
# expressions (${name}), str.format fields ({} and {name}), the markers of
# the messages of a report ([1:...]) and HTML tags
PLACEHOLDER = re.compile(
    r'%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]'
    r'|%[-#0 +]*\d*(?:\.\d+)?[sdirf%]'
    r'|%\d+'
    r'|\$\{[^}]*\}'
    r'|\{\w*\}'
    r'|\[\d+:'
    r'|</?[a-zA-Z][^>]*>')


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text or ''))


def trytond_po(module, lang='fr'):
    "The .po of a Tryton module as installed"
    import trytond
    base = Path(trytond.__file__).parent
    directory = base / module if module in {'ir', 'res'} else (
        base / 'modules' / module)
    return directory / 'locale' / f'{lang}.po'


def sao_po(lang='fr'):
    return ROOT / 'node_modules' / 'tryton-sao' / 'locale' / f'{lang}.po'


def entry_key(entry):
    return (entry.msgctxt, entry.msgid)


def known_translations(lang):
    "msgid -> msgstr of every entry already translated in our files"
    known = {}
    for path in [*sorted((TRYTON_LOCALE / lang).glob('*.po')),
            SAO_LOCALE / f'{lang}.po']:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.fuzzy:
                known.setdefault(entry.msgid, entry.msgstr)
    return known


def template(module, lang):
    source = polib.pofile(str(trytond_po(module)))
    known = known_translations(lang)
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    for entry in source:
        if entry.obsolete:
            continue
        po.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                msgstr=known.get(entry.msgid, '')))
    target = TRYTON_LOCALE / lang / f'{module}.po'
    target.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(target))
    missing = sum(1 for e in po if not e.msgstr)
    print(f"{target.relative_to(ROOT)}: {len(po)} entries, "
        f"{missing} to translate")


def sao_json(directory):
    """sao's format (grunt-po2json): {"": header, msgid: [msgid_plural,
    msgstr...]}"""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # English is sao's source but sao requests its file too, and keeps the
    # strings of the previous language when it is missing: an empty one
    (directory / 'en.json').write_text(json.dumps({'': {
                    'language': 'en',
                    'content-type': 'text/plain; charset=utf-8',
                    'plural-forms': 'nplurals=2; plural=(n != 1);',
                    }}), encoding='utf-8')
    for path in sorted(SAO_LOCALE.glob('*.po')):
        po = polib.pofile(str(path))
        data = {'': {
                'language': path.stem,
                'content-type': 'text/plain; charset=utf-8',
                'plural-forms': po.metadata.get(
                    'Plural-Forms', 'nplurals=2; plural=(n != 1);'),
                }}
        for entry in po:
            if entry.obsolete or entry.fuzzy:
                continue
            key = entry.msgid
            if entry.msgctxt:
                key = entry.msgctxt + '\u0004' + key
            if entry.msgid_plural:
                data[key] = [entry.msgid_plural] + [
                    entry.msgstr_plural[i]
                    for i in sorted(entry.msgstr_plural)]
            else:
                data[key] = [None, entry.msgstr]
        target = directory / f'{path.stem}.json'
        target.write_text(json.dumps(data, ensure_ascii=False),
            encoding='utf-8')


def problems(lang):
    "The problems of our files in lang, as (file, msgid, reason)"
    found = []
    pairs = [(trytond_po(p.stem), p)
        for p in sorted((TRYTON_LOCALE / lang).glob('*.po'))]
    pairs.append((sao_po(), SAO_LOCALE / f'{lang}.po'))
    for source, path in pairs:
        name = str(path.relative_to(ROOT))
        po = polib.pofile(str(path))
        entries = {entry_key(e): e for e in po if not e.obsolete}
        if source.exists():
            for entry in polib.pofile(str(source)):
                if not entry.obsolete and entry_key(entry) not in entries:
                    found.append((name, entry.msgid, 'missing'))
        for entry in entries.values():
            if entry.msgid_plural:
                msgstrs = list(entry.msgstr_plural.values())
                expected = [entry.msgid, entry.msgid_plural]
            else:
                msgstrs = [entry.msgstr]
                expected = [entry.msgid]
            if not all(msgstrs) or entry.fuzzy:
                found.append((name, entry.msgid, 'untranslated'))
                continue
            for i, msgstr in enumerate(msgstrs):
                msgid = expected[min(i, len(expected) - 1)]
                if placeholders(msgstr) != placeholders(msgid):
                    found.append((name, entry.msgid,
                            'placeholders %s != %s' % (
                                sorted(placeholders(msgstr).elements()),
                                sorted(placeholders(msgid).elements()))))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('template')
    p.add_argument('modules', nargs='+')
    p.add_argument('--lang', default='ar')
    p = sub.add_parser('sao-json')
    p.add_argument('directory')
    p = sub.add_parser('check')
    p.add_argument('--lang', default='ar')
    args = parser.parse_args()
    if args.command == 'template':
        for module in args.modules:
            template(module, args.lang)
    elif args.command == 'sao-json':
        sao_json(args.directory)
    elif args.command == 'check':
        found = problems(args.lang)
        for name, msgid, reason in found:
            print(f"{name}: {msgid!r}: {reason}")
        print(f"{len(found)} problem(s)")
        sys.exit(1 if found else 0)


if __name__ == '__main__':
    main()
