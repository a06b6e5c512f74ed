# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The kiosk's offline decisions (static/verdict.js) and texts
(static/i18n.js), run in headless Chromium: no node needed.  Skipped when
Chromium is missing.

verdict.js mirrors the server's casa_access.verdict.decide from the cached
copy of api/cache (doc/api.rst): the cases below are those of the rules of
the server, at fixed instants in Casablanca at UTC+1 (its offset out of
Ramadan), given as the server would give it: the time zone data of some
builds of Chromium put Casablanca at UTC+0 from late 2026."""
import os
import re
import unittest
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1]
STATIC = MODULE / 'static'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
    ]

# Monday 30 November 2026, 10:00:00 in Casablanca
MONDAY_10 = '2026-11-30T09:00:00Z'
CASABLANCA = 60   # minutes east of UTC
CACHE = {
    'generated_at': '2026-11-30T08:00:00+00:00',
    'site_id': 1,
    'admission': 'authorised',
    'gate_direction': 'both',
    'authorisations': [
        {'id': 1, 'name': "Chevillards Réunis", 'category': 'chevillard',
            'category_name': "Chevillard", 'vehicle_category': 'truck',
            'plate': '12345A6', 'badge': None, 'cin': None,
            'valid_from': None, 'valid_to': None, 'windows': [],
            'fee': '30.00'},
        {'id': 2, 'name': "Aicha Bennis", 'category': 'staff',
            'category_name': "Personnel", 'vehicle_category': None,
            'plate': None, 'badge': 'B0042', 'cin': 'BE123456',
            'valid_from': None, 'valid_to': None, 'windows': [], 'fee': 0},
        {'id': 3, 'name': "Froid Service", 'category': 'supplier',
            'category_name': "Fournisseur", 'vehicle_category': 'van',
            'plate': '777B1', 'badge': None, 'cin': None,
            'valid_from': '2026-10-01', 'valid_to': '2026-11-29',
            'windows': [], 'fee': '20.00'},
        {'id': 4, 'name': "Futur", 'category': 'supplier',
            'category_name': "Fournisseur", 'vehicle_category': 'van',
            'plate': '888B1', 'badge': None, 'cin': None,
            'valid_from': '2026-12-01', 'valid_to': None,
            'windows': [], 'fee': '20.00'},
        {'id': 5, 'name': "Mandataire du matin", 'category': 'mandataire',
            'category_name': "Mandataire", 'vehicle_category': None,
            'plate': '555D5', 'badge': None, 'cin': None,
            'valid_from': None, 'valid_to': None,
            'windows': [{'weekday': 0, 'start': '06:00', 'end': '10:00'}],
            'fee': 0},
        # the same truck twice: expired, and outside its hours
        {'id': 6, 'name': "Ancien", 'category': 'supplier',
            'category_name': "Fournisseur", 'vehicle_category': 'truck',
            'plate': '666H6', 'badge': None, 'cin': None,
            'valid_from': None, 'valid_to': '2026-11-01',
            'windows': [], 'fee': '30.00'},
        {'id': 7, 'name': "Nuit", 'category': 'supplier',
            'category_name': "Fournisseur", 'vehicle_category': 'truck',
            'plate': '666H6', 'badge': None, 'cin': None,
            'valid_from': None, 'valid_to': None,
            'windows': [{'weekday': None, 'start': '22:00',
                    'end': '23:59'}],
            'fee': '30.00'},
        ],
    'blacklist': [
        {'kind': 'plate', 'value': '9999B26', 'reason': "Bagarre",
            'until': None},
        {'kind': 'badge', 'value': 'B13', 'reason': "Badge perdu",
            'until': '2026-11-30'},
        {'kind': 'cin', 'value': 'X1', 'reason': "Levée", 'until':
            '2026-11-29'},
        # a plate banned, presented as a badge: not the same kind
        {'kind': 'plate', 'value': 'B0042', 'reason': "Homonyme",
            'until': None},
        ],
    'tariffs': [
        {'vehicle_category': 'truck', 'amount': '30.00'},
        {'vehicle_category': 'van', 'amount': '20.00'},
        ],
    'fee_exempt_categories': ['staff'],
    }
OPEN = dict(CACHE, admission='open')
ENTRY_ONLY = dict(CACHE, gate_direction='entry')
EXIT_ONLY = dict(CACHE, gate_direction='exit')

# (cache, passage, now, (verdict, reason, fee, authorisation))
CASES = [
    # authorised, the fee of the vehicle category of the authorisation on
    # the way in only, whatever the category chosen at the gate
    (CACHE, {'plate': '12345-أ-6', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'authorised', '30.00', 1)),
    (CACHE, {'plate': '12345 | A | 6', 'direction': 'out'}, MONDAY_10,
        ('allowed', 'authorised', '0.00', 1)),
    (CACHE, {'plate': '١٢٣٤٥ا٦', 'direction': 'in',
            'vehicle_category': 'van'}, MONDAY_10,
        ('allowed', 'authorised', '30.00', 1)),
    # a fee-exempt category pays nothing
    (CACHE, {'badge': 'b-0042', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'authorised', '0.00', 2)),
    (CACHE, {'cin': 'be 123456', 'direction': 'in',
            'vehicle_category': 'van'}, MONDAY_10,
        ('allowed', 'authorised', '0.00', 2)),
    # blacklisted: no until, until today; until yesterday is over
    (CACHE, {'plate': '9999 ب 26', 'direction': 'in'}, MONDAY_10,
        ('refused', 'blacklisted', '0.00', None)),
    (CACHE, {'badge': 'B-13', 'direction': 'out'}, MONDAY_10,
        ('refused', 'blacklisted', '0.00', None)),
    (CACHE, {'cin': 'x1', 'direction': 'in'}, MONDAY_10,
        ('refused', 'unknown', '0.00', None)),
    # validity dates
    (CACHE, {'plate': '777-B-1', 'direction': 'in'}, MONDAY_10,
        ('refused', 'expired', '0.00', 3)),
    (CACHE, {'plate': '888 ب 1', 'direction': 'in'}, MONDAY_10,
        ('refused', 'not_yet_valid', '0.00', 4)),
    # the last day in Casablanca's time: 23:30 on the 29th, 00:30 on the
    # 30th
    (CACHE, {'plate': '777B1', 'direction': 'in'}, '2026-11-29T22:30:00Z',
        ('allowed', 'authorised', '20.00', 3)),
    (CACHE, {'plate': '777B1', 'direction': 'in'}, '2026-11-29T23:30:00Z',
        ('refused', 'expired', '0.00', 3)),
    # windows: Monday 06:00-10:00, the end included to the second
    (CACHE, {'plate': '555 د 5', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'authorised', '0.00', 5)),
    (CACHE, {'plate': '555D5', 'direction': 'in',
            'vehicle_category': 'truck'}, MONDAY_10,
        ('allowed', 'authorised', '30.00', 5)),
    (CACHE, {'plate': '555D5', 'direction': 'in'}, '2026-11-30T09:00:30Z',
        ('refused', 'outside_hours', '0.00', 5)),
    (CACHE, {'plate': '555D5', 'direction': 'in'}, '2026-11-30T05:00:00Z',
        ('allowed', 'authorised', '0.00', 5)),
    (CACHE, {'plate': '555D5', 'direction': 'in'}, '2026-11-30T04:59:59Z',
        ('refused', 'outside_hours', '0.00', 5)),
    (CACHE, {'plate': '555D5', 'direction': 'in'}, '2026-12-01T07:00:00Z',
        ('refused', 'outside_hours', '0.00', 5)),
    # two authorisations refusing: the closest reason (outside_hours)
    (CACHE, {'plate': '666-ه-6', 'direction': 'in'}, MONDAY_10,
        ('refused', 'outside_hours', '0.00', 7)),
    (CACHE, {'plate': '666H6', 'direction': 'in'}, '2026-11-30T21:30:00Z',
        ('allowed', 'authorised', '30.00', 7)),
    # two authorisations allowing: the first by id, as the server
    (dict(CACHE, authorisations=[
                dict(CACHE['authorisations'][1], id=12, badge='B7',
                    category='supplier', vehicle_category='van'),
                dict(CACHE['authorisations'][1], id=11, badge='B7')]),
        {'badge': 'B7', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'authorised', '0.00', 11)),
    # nobody: refused, or let in on an open site with the tariff of the
    # vehicle category chosen (on the way in)
    (CACHE, {'plate': 'ZZ 1', 'direction': 'in'}, MONDAY_10,
        ('refused', 'unknown', '0.00', None)),
    (OPEN, {'plate': 'ZZ 1', 'direction': 'in', 'vehicle_category': 'van'},
        MONDAY_10, ('allowed', 'open_site', '20.00', None)),
    (OPEN, {'plate': 'ZZ 1', 'direction': 'out',
            'vehicle_category': 'van'},
        MONDAY_10, ('allowed', 'open_site', '0.00', None)),
    (OPEN, {'plate': 'ZZ 1', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'open_site', '0.00', None)),
    (OPEN, {'plate': '9999B26', 'direction': 'in'}, MONDAY_10,
        ('refused', 'blacklisted', '0.00', None)),
    (OPEN, {'plate': '777B1', 'direction': 'in'}, MONDAY_10,
        ('refused', 'expired', '0.00', 3)),
    # the direction of the gate first, before the blacklist
    (ENTRY_ONLY, {'plate': '12345A6', 'direction': 'out'}, MONDAY_10,
        ('refused', 'wrong_direction', '0.00', None)),
    (ENTRY_ONLY, {'plate': '12345A6', 'direction': 'in'}, MONDAY_10,
        ('allowed', 'authorised', '30.00', 1)),
    (EXIT_ONLY, {'plate': '9999B26', 'direction': 'in'}, MONDAY_10,
        ('refused', 'wrong_direction', '0.00', None)),
    (EXIT_ONLY, {'plate': '9999B26', 'direction': 'out'}, MONDAY_10,
        ('refused', 'blacklisted', '0.00', None)),
    ]


def po_reasons(language):
    "The reason texts of the server in the language: {code: text}"
    text = (MODULE / 'locale' / f'{language}.po').read_text(
        encoding='utf-8')
    return {code: value for code, value in re.findall(
            r'msgctxt "model:ir\.message,text:msg_reason_(\w+)"\n'
            r'msgid "[^"]*"\nmsgstr "([^"]*)"', text)}


def xml_reasons():
    "The reason texts of the server in English (message.xml)"
    text = (MODULE / 'message.xml').read_text(encoding='utf-8')
    return dict(re.findall(
            r'id="msg_reason_(\w+)">\s*<field name="text">([^<]*)</field>',
            text))


def evaluate_in_chromium(scripts, evaluations):
    """The results of the evaluations [(expression, argument)] in a page of
    headless Chromium with the scripts of static/ loaded.  In a thread of
    its own: Playwright's synchronous API refuses a thread with a running
    event loop (the browser tests' Playwright, in the same pytest run)"""
    from concurrent.futures import ThreadPoolExecutor

    def run():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.set_content('<!DOCTYPE html><meta charset="utf-8">')
                for name in scripts:
                    page.add_script_tag(
                        content=(STATIC / name).read_text(encoding='utf-8'))
                return [page.evaluate(expression, argument)
                    for expression, argument in evaluations]
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


DECIDE_CASES = '''cases => cases.map(([cache, passage, now]) =>
    window.casaVerdict.decide(cache, passage, new Date(now),
        {utcOffset: 60}))'''
DECIDE_555 = '''([cache, now]) => window.casaVerdict.decide(cache,
    {plate: '555D5', direction: 'in'}, new Date(now)).reason'''
WHO = '''([cache, now]) => window.casaVerdict.decide(cache,
    {plate: '12345a6', direction: 'in'}, new Date(now), {utcOffset: 60})'''
LOCAL = '''([now, offset]) => window.casaVerdict.localParts(
    new Date(now), {utcOffset: offset})'''
# 10:00 in Ramadan (UTC+0), 11:00 out of it
OFFSET_AT = '2026-11-30T10:00:00Z'


@unittest.skipUnless(os.path.exists(CHROMIUM),
    f"no Chromium at {CHROMIUM} (scripts/ensure-browser.sh installs it)")
class KioskJSTestCase(unittest.TestCase):
    "verdict.js and i18n.js in Chromium"

    @classmethod
    def setUpClass(cls):
        (cls.verdicts, cls.ramadan, cls.out_of_ramadan, cls.who,
            cls.local_plus, cls.local_minus, cls.i18n) = evaluate_in_chromium(
            ['normalise.js', 'verdict.js', 'i18n.js'], [
                (DECIDE_CASES, [[c, p, n] for c, p, n, _ in CASES]),
                (DECIDE_555, [dict(CACHE, utc_offset=0), OFFSET_AT]),
                (DECIDE_555, [dict(CACHE, utc_offset=CASABLANCA),
                        OFFSET_AT]),
                (WHO, [CACHE, MONDAY_10]),
                (LOCAL, ['2026-11-29T23:30:05Z', 60]),
                (LOCAL, ['2026-11-30T01:00:00Z', -90]),
                ('() => window.CASA_I18N', None),
                ])

    def test_verdicts(self):
        "The offline verdicts follow the rules of the server"
        for (cache, passage, now, expected), result in zip(
                CASES, self.verdicts):
            with self.subTest(passage=passage, now=now,
                    admission=cache['admission'],
                    gate=cache['gate_direction']):
                self.assertEqual((result['verdict'], result['reason'],
                        result['fee'], result['authorisation']), expected)
                self.assertTrue(result['offline'])

    def test_utc_offset_of_the_cache(self):
        "The UTC offset the server gives in the copy rules the windows"
        self.assertEqual(self.ramadan, 'authorised')
        self.assertEqual(self.out_of_ramadan, 'outside_hours')

    def test_who(self):
        "Whom the authorisation names, as api/check tells it"
        self.assertEqual(self.who['who'], {
                'name': "Chevillards Réunis", 'category': 'chevillard',
                'category_name': "Chevillard", 'plate': '12345A6',
                'badge': None})

    def test_local_time(self):
        "Date, weekday (0 = Monday) and time at the site's UTC offset"
        self.assertEqual(self.local_plus,
            {'date': '2026-11-30', 'weekday': 0, 'time': '00:30:05'})
        self.assertEqual(self.local_minus,
            {'date': '2026-11-29', 'weekday': 6, 'time': '23:30:00'})

    def test_every_text_in_every_language(self):
        "French, Arabic and English have the same texts, none empty"
        keys = {lang: sorted(k for k, v in texts.items() if v)
            for lang, texts in self.i18n.items()}
        self.assertEqual(set(keys), {'fr', 'ar', 'en'})
        self.assertEqual(keys['ar'], keys['fr'])
        self.assertEqual(keys['en'], keys['fr'])
        self.assertEqual([self.i18n[l]['_dir'] for l in ['fr', 'ar', 'en']],
            ['ltr', 'rtl', 'ltr'])

    def test_reasons_as_the_server(self):
        "The kiosk tells the reasons offline in the server's words"
        for language, reasons in [
                ('fr', po_reasons('fr')), ('ar', po_reasons('ar')),
                ('en', xml_reasons())]:
            for code, text in reasons.items():
                with self.subTest(language=language, reason=code):
                    self.assertEqual(
                        self.i18n[language]['reason_' + code], text)
