# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The web client sao in Arabic: a business unit manager whose language is
Arabic goes through the main screens (the menu, the customer invoices and
one of them, the business units, the dashboard, the access log, the
preferences); the words shown are counted.

None of our strings (the English sources of the casa modules, or their
French) may show, and at most 5 % of the words may be other than Arabic:
numbers, codes (upper case: ABT, MAD...), the names of the data set (units,
parties, users, company) and the brand are not counted.  The words and the
percentage of each screen are written to
var/test-artifacts/arabic_words.json, with a screenshot of each screen
(arabic_<screen>.png).
"""
import json
import re
from pathlib import Path

import polib
import pytest
from playwright.sync_api import expect

from sao_ui import (
    active_tab, js_errors, list_rows, login, menu_row, open_preferences,
    server_errors, wait_for)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MAX_FOREIGN = 0.05
ARABIC = re.compile('[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]')
WORD = re.compile(r'[^\W\d_]+')
EASTERN_DIGITS = re.compile('[\u0660-\u0669\u06f0-\u06f9]')
# neither translated nor to be: the brand and the name of the web client
BRANDS = {'Tryton', 'sao'}

# the text nodes shown on the page (not those of hidden tabs or menus), and
# the choice of each selection shown
VISIBLE_TEXTS = '''() => {
    const texts = [];
    const walker = document.createTreeWalker(
        document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const text = node.textContent.trim();
        const element = node.parentElement;
        if (!text || !element || element.closest('script, style, option')) {
            continue;
        }
        const style = getComputedStyle(element);
        if (!element.getClientRects().length
                || style.visibility === 'hidden') {
            continue;
        }
        texts.push(text);
    }
    // the chosen option of the selections shown
    for (const select of document.querySelectorAll('select')) {
        const option = select.selectedOptions[0];
        if (select.getClientRects().length && option
                && option.textContent.trim()) {
            texts.push(option.textContent.trim());
        }
    }
    return texts;
}'''


def our_strings():
    """The strings of the casa modules in the languages an Arabic user must
    not see: their English sources and their French translations"""
    strings = set()
    for path in ROOT.glob('addons/casa_*/locale/fr.po'):
        for entry in polib.pofile(str(path)):
            for text in [entry.msgid, entry.msgstr]:
                text = text.strip()
                if WORD.search(text) and not ARABIC.search(text):
                    strings.add(text)
    return strings


def data_words(data):
    "The words of the names of the data set"
    texts = list(data['names'])
    for invoice in data['invoices']:
        texts += [invoice['party'], invoice['reference']]
        texts += ["Prestation %s %d" % (invoice['unit'], i) for i in [1, 2]]
    return {w for t in texts for w in WORD.findall(t)}


def foreign(word, excluded):
    "Whether the word is not Arabic and counts as untranslated"
    return not (ARABIC.search(word) or word in excluded or word.isupper()
        or word in BRANDS)


class Screens:
    "The texts of the screens visited, counted"

    def __init__(self, page, artifacts, excluded):
        self.page = page
        self.artifacts = artifacts
        self.excluded = excluded
        self.texts = {}

    def read(self, name):
        "Read the texts of the screen, keep its screenshot"
        page = self.page
        # sao translates what it draws once the language is loaded
        page.wait_for_load_state('networkidle')
        texts = page.evaluate(VISIBLE_TEXTS)
        assert texts, name
        self.texts[name] = texts
        page.screenshot(
            path=str(self.artifacts / f'arabic_{name}.png'), full_page=True)
        return texts

    def words(self, name):
        return [w for t in self.texts[name] for w in WORD.findall(t)]

    def report(self):
        report = {}
        total = foreign_total = 0
        for name in self.texts:
            words = self.words(name)
            others = [w for w in words if foreign(w, self.excluded)]
            total += len(words)
            foreign_total += len(others)
            report[name] = {
                'words': len(words),
                'untranslated': len(others),
                'percent': round(100 * len(others) / max(len(words), 1), 2),
                'untranslated_words': sorted(set(others)),
                }
        report['total'] = {
            'words': total,
            'untranslated': foreign_total,
            'percent': round(100 * foreign_total / max(total, 1), 2),
            }
        return report


def open_screen(page, path):
    """Open the entry of the menu, unfolding only the folders that are
    folded (sao keeps them as they were); wait for its list"""
    *folders, entry = path
    row = None
    for label, child in zip(folders, path[1:]):
        row = menu_row(page, label, row)
        if not menu_row(page, child, row).is_visible():
            row.locator('span.expander').click()
    tabs = page.locator('#tablist li[id^="nav-tab-"]')
    count = tabs.count()
    menu_row(page, entry, row).get_by_title(entry, exact=True).click()
    expect(tabs).to_have_count(count + 1)
    return wait_for(page, active_tab(page).locator('table.tree > thead'))


def test_arabic_user_sees_arabic(server, page, artifacts):
    data = server.data
    arabic = data['arabic']
    labels = arabic['labels']
    excluded = data_words(data) | {data['currency_symbol']}
    ours = our_strings()
    screens = Screens(page, artifacts, excluded)

    # sao loads our translation of its own strings
    locales = []
    page.on('response', lambda r: '/locale/' in r.url
        and locales.append((r.url.rsplit('/', 1)[-1], r.status)))
    login(page, server, arabic['login'], arabic['password'])
    html = page.locator('html')
    expect(html).to_have_attribute('lang', 'ar')
    expect(html).to_have_attribute('dir', 'rtl')
    assert ('ar.json', 200) in locales, locales

    screens.read('menu')

    open_screen(page, labels['customer_invoices_menu'])
    active_tab(page).locator('.tab-domain a[role="tab"]',
        has_text=labels['all_tab']).click()
    rows = list_rows(active_tab(page))
    # all the invoices of the unit: the list of the tab is loaded
    own = [i for i in data['invoices'] if i['unit'] == 'ABT']
    for invoice in own:
        rows.filter(has_text=invoice['party']).first.wait_for()
    screens.read('invoices')
    rows.filter(has_text=own[0]['party']).first.dblclick()
    # the invoice once drawn: its party
    page.wait_for_function('''party => Array.from(document.querySelectorAll(
            '#tabcontent > .tab-pane.active .form input')).some(
            i => i.value == party)''', arg=own[0]['party'])
    screens.read('invoice')
    # its date in the Arabic of Morocco (d/m/Y, Western digits:
    # addons/casa_base/sao/custom.js)
    values = active_tab(page).locator('.form input').evaluate_all(
        'inputs => inputs.map(i => i.value)')
    assert not [v for v in values if EASTERN_DIGITS.search(v)], values
    year, month, day = data['invoices'][0]['date'].split('-')
    assert f'{day}/{month}/{year}' in values, values

    open_screen(page, labels['business_units_menu'])
    screens.read('business_units')
    open_screen(page, labels['dashboard_menu'])
    screens.read('dashboard')
    open_screen(page, labels['access_log_menu'])
    screens.read('access_log')

    dialog = open_preferences(page)
    tabs = dialog.locator('.nav-tabs a[role="tab"]:visible')
    texts = []
    for i in range(tabs.count()):
        tabs.nth(i).click()
        texts += screens.read('preferences')
    screens.texts['preferences'] = texts
    dialog.locator('.modal-footer button.btn-link').click()

    report = screens.report()
    (artifacts / 'arabic_words.json').write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding='utf-8')
    print(json.dumps(report['total']))

    shown = {re.sub(r'\s*[:*]$', '', t).strip()
        for texts in screens.texts.values() for t in texts}
    assert not (shown & ours), sorted(shown & ours)
    assert report['total']['percent'] <= 100 * MAX_FOREIGN, report
    assert not js_errors(page), js_errors(page)
    assert not server_errors(server), server_errors(server)
