# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Our translations of Tryton's modules and of sao
(addons/casa_base/locale_tryton/, locale_sao/; see
addons/casa_base/doc/translations.rst)."""
import configparser
import json
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'scripts'))

import tryton_locale  # noqa: E402

LANGUAGES = ['ar']


def depends(cfg):
    parser = configparser.ConfigParser()
    parser.read(cfg, encoding='utf-8')
    return parser.get('tryton', 'depends', fallback='').split()


def tryton_modules():
    """Every Tryton module the casa modules activate, their dependencies
    included"""
    import trytond
    base = Path(trytond.__file__).parent
    todo = [d for cfg in ROOT.glob('addons/casa_*/tryton.cfg')
        for d in depends(cfg)]
    modules = set()
    while todo:
        module = todo.pop()
        if module.startswith('casa_') or module in modules:
            continue
        modules.add(module)
        cfg = (base / module if module in {'ir', 'res'}
            else base / 'modules' / module) / 'tryton.cfg'
        todo += depends(cfg)
    return modules


@pytest.mark.parametrize('lang', LANGUAGES)
def test_every_tryton_module_translated(lang):
    "Each Tryton module we activate has its file"
    shipped = {
        p.stem for p in (tryton_locale.TRYTON_LOCALE / lang).glob('*.po')}
    assert tryton_modules() - shipped == set()


@pytest.mark.parametrize('lang', LANGUAGES)
def test_entries_complete_and_placeholders_kept(lang):
    """Every entry of the French .po is there, translated, with exactly the
    placeholders of its msgid"""
    assert tryton_locale.problems(lang) == []


def test_placeholders_found():
    "The check sees what a translation must keep"
    placeholders = tryton_locale.placeholders
    assert placeholders('A "%(name)s" %s 100%% %1 ${date_Y} {} [1:x] <b>') \
        == placeholders('<b> [1:x] {} ${date_Y} %1 %% %s "%(name)s" ب')
    for text, kept in [
            ('%(name)s', '%(nom)s'), ('%s', ''), ('%1', '%2'),
            ('${name}', '${nom}'), ('{}', ''), ('[1:%(login)s]', '%(login)s'),
            ]:
        assert placeholders(text) != placeholders(kept), text


def test_sao_json(tmp_path):
    "sao's file of each language holds every string, in sao's format"
    tryton_locale.sao_json(tmp_path)
    for path in tryton_locale.SAO_LOCALE.glob('*.po'):
        data = json.loads((tmp_path / f'{path.stem}.json').read_text())
        assert data['']['language'] == path.stem
        po = polib.pofile(str(path))
        for entry in po:
            value = data[entry.msgid]
            if entry.msgid_plural:
                assert value[0] == entry.msgid_plural
                assert value[1:] == [entry.msgstr_plural[i]
                    for i in sorted(entry.msgstr_plural)]
            else:
                assert value == [None, entry.msgstr]
        # the same keys as sao's own French
        french = json.loads((ROOT / 'node_modules' / 'tryton-sao' / 'locale'
                / 'fr.json').read_text())
        assert set(data) == set(french)
