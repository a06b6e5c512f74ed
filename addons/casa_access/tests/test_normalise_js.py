# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The kiosk's static/normalise.js gives exactly what the server's
casa_access.normalise.normalise_identifier gives (doc/api.rst), run in
headless Chromium: no node needed.  Skipped when Chromium is missing."""
import importlib.util
import json
import os
import unittest
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1]
NORMALISE_JS = MODULE / 'static' / 'normalise.js'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
    ]

# the examples of doc/api.rst, literally, and what they give
DOCUMENTED = [
    ('12345-أ-6', '12345A6'),
    ('12345 | A | 6', '12345A6'),
    ('12345a6', '12345A6'),
    ('WW-123 456', 'WW123456'),
    ('be 1234 ab', 'BE1234AB'),
    ]
# more, with the value the rules of doc/api.rst give
EXPECTED = DOCUMENTED + [
    # Arabic-Indic and extended Arabic-Indic digits
    ('١٢٣٤٥-ب-٦', '12345B6'),
    ('۱۲۳۴۵ د ۶', '12345D6'),
    ('٠٩-۰۹', '0909'),
    # every Arabic letter of the plates, the tatweel dropped
    ('ا أ إ آ', 'AAAA'),
    ('ب د ه ة و ط ج م ش', 'BDHHWTJMCH'),
    ('12345-شـ-1', '12345CH1'),
    ('7/و/40', '7W40'),
    ('ـ٣ـ', '3'),
    # alef + hamza above (two code points) composes to أ under NFKC
    ('1\u0627\u06542', '1A2'),
    # Arabic presentation forms are folded by NFKC
    ('\ufe8d\ufe8f 5', 'AB5'),
    # full-width and other compatibility characters
    ('ＷＷ－１２３', 'WW123'),
    ('\U0001d7cf\U0001d7d0', '12'),
    ('ﬁ 9', 'FI9'),
    ('straße 1', 'STRASSE1'),
    # separators of every kind dropped
    ('AB.12/34_56\t|7', 'AB1234567'),
    ('\u00a0A\u202fB\u200e1', 'AB1'),
    # other letters are no plate letters
    ('ك 12 ي', '12'),
    ('Ωμ 3', '3'),
    # nothing left
    ('', None),
    ('   ', None),
    ('--|--', None),
    ('ــ', None),
    ]


# what is typed, in the field of the kind, and what it is
# (casa_base.identifier.recognise)
RECOGNISED = [
    ('B-0042', 'plate', 'badge'),
    ('b - 0042', 'cin', 'badge'),
    ('M-0007', 'plate', 'badge'),
    ('BE 123456', 'plate', 'cin'),
    ('be123456', 'badge', 'badge'),
    ('ＢＥ１２３', 'plate', 'cin'),
    ('B0042', 'plate', 'cin'),
    ('B0042', 'badge', 'badge'),
    ('12345-أ-6', 'badge', 'plate'),
    ('١٢٣٤٥-ب-٦', 'cin', 'plate'),
    ('12345 | A | 6', 'cin', 'plate'),
    ('9018-هـ-33', 'cin', 'plate'),
    ('WW-123 456', 'badge', 'plate'),
    ('AB-123-CD', 'cin', 'cin'),
    ('HL-0001', 'plate', 'badge'),
    ('FORB-1', 'plate', 'plate'),
    ('  ', 'cin', 'cin'),
    ('X', 'nothing', 'plate'),
    ]


def python_recognise():
    "casa_base.identifier.recognise, or None"
    try:
        from trytond.modules.casa_base.identifier import recognise
        return recognise
    except ImportError:
        return None


def python_normalise():
    """normalise_identifier of the server: from the installed module, else
    from the file beside this test, else None"""
    try:
        from trytond.modules.casa_access.normalise import (
            normalise_identifier)
        return normalise_identifier
    except ImportError:
        pass
    path = MODULE / 'normalise.py'
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(
        'casa_access_normalise', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalise_identifier


def run_in_chromium(values, recognised=()):
    """normalise.js's normaliseIdentifier of each value, in Chromium, and
    of null and undefined.  In a thread of its own: Playwright's synchronous
    API refuses a thread with a running event loop (the browser tests'
    Playwright, in the same pytest run)"""
    from concurrent.futures import ThreadPoolExecutor

    def run():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.set_content('<!DOCTYPE html><meta charset="utf-8">')
                page.add_script_tag(
                    content=NORMALISE_JS.read_text(encoding='utf-8'))
                return page.evaluate('''([values, recognised]) => {
                    const normalise = window.casaNormalise.normaliseIdentifier;
                    const recognise = window.casaNormalise.recognise;
                    return [values.map(normalise),
                        [null, undefined].map(v => normalise(v)),
                        recognised.map(([v, k]) => recognise(v, k))];
                    }''', [values, list(recognised)])
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


@unittest.skipUnless(os.path.exists(CHROMIUM),
    f"no Chromium at {CHROMIUM} (scripts/ensure-browser.sh installs it)")
class NormaliseJSTestCase(unittest.TestCase):
    "normalise.js against doc/api.rst and the server's normalise_identifier"

    @classmethod
    def setUpClass(cls):
        values = [v for v, _ in EXPECTED]
        results, cls.nothing, cls.recognised = run_in_chromium(
            values, [[v, k] for v, k, _ in RECOGNISED])
        cls.results = dict(zip(values, results))

    def test_documented_examples(self):
        "The examples of doc/api.rst"
        for value, expected in DOCUMENTED:
            with self.subTest(value=value):
                self.assertEqual(self.results[value], expected)

    def test_rules(self):
        "Digits, letters, NFKC and separators as doc/api.rst says"
        for value, expected in EXPECTED:
            with self.subTest(value=value):
                self.assertEqual(self.results[value], expected)

    def test_same_as_server(self):
        "The same result as the server's normalise_identifier"
        normalise = python_normalise()
        if normalise is None:
            self.skipTest("casa_access.normalise is not there yet")
        for value, _ in EXPECTED:
            with self.subTest(value=value):
                self.assertEqual(
                    self.results[value], normalise(value),
                    json.dumps(value))

    def test_recognise(self):
        "A plate, a badge or a CIN whatever the field, as the server says"
        recognise = python_recognise()
        for (value, field, kind), result in zip(
                RECOGNISED, self.recognised):
            with self.subTest(value=value, field=field):
                self.assertEqual(result, kind)
                if recognise:
                    self.assertEqual(recognise(value, field), kind)

    def test_nothing(self):
        "null and undefined give null, as None gives None on the server"
        self.assertEqual(self.nothing, [None, None])
