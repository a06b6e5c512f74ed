# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The gate kiosk of casa_access (addons/casa_access/static, API in
addons/casa_access/doc/api.rst) in headless Chromium.

The ``server`` fixture (conftest.py) serves the data set of sao_data.py;
the ``kiosk`` fixture adds the kiosk's (kiosk_data.py: the car park PARK1
of unit PARK, its main barrier, a gatekeeper and his kiosk key, two trucks
authorised, a transporter's truck blacklisted), unless
the server's data set has it already under ``kiosk``.  Only the first test
moves the first truck (in and out: the occupancy); the others use the
second one.

The offline tests run their own trytond on the same database
(``restartable_server``), stop it (or put in its place a listener that
never answers: ``HangingServer``) while the gatekeeper records passages and
reloads the page, start it again and check the server got each of them
exactly once.  The refusal test archives the kiosk's gate through the RPC
of the web client (as the administrator) for its duration: every call of
the key is refused (403), and the queue must wait, not be rejected.

Screenshots are left in var/test-artifacts/ (test_kiosk_*.png).
"""
import base64
import configparser
import contextlib
import csv
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid as uuid_module
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

import kiosk_data

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STATIC = ROOT / 'addons' / 'casa_access' / 'static'
TOOLKIT = ROOT / 'addons' / 'casa_base' / 'static'
OFFLINE_PASSAGES = 20
# the kiosk's colours of the verdicts (kiosk.css)
GREEN = 'rgb(0, 97, 42)'
RED = 'rgb(163, 0, 26)'


def spaces(text):
    "The text with its spaces (no-break ones too) as single spaces"
    return ' '.join(text.replace('\u202f', ' ').replace('\xa0', ' ').split())


def mad(value):
    "An amount as the kiosk shows it in French: 1 234,50 MAD"
    value = Decimal(value)
    integer, decimals = ('%.2f' % abs(value)).split('.')
    groups = []
    while integer:
        integer, group = integer[:-3], integer[-3:]
        groups.insert(0, group)
    return '%s%s,%s MAD' % ('-' if value < 0 else '', ' '.join(groups),
        decimals)


def subprocess_env(config_file):
    """The environment of a subprocess of the test's trytond (as
    conftest.configure makes it), from its configuration file"""
    config = configparser.ConfigParser(interpolation=None)
    config.read(config_file, encoding='utf-8')
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_')}
    env.update({
            'TRYTOND_DATABASE_URI': config.get('database', 'uri'),
            'TRYTOND_DATABASE__PATH': config.get('database', 'path'),
            'TRYTOND_WEB__ROOT': config.get('web', 'root'),
            'PYTHONUNBUFFERED': '1',
            })
    return env


def server_config(server):
    "The configuration file conftest.configure wrote beside the log"
    config_file = server.log.parent / 'trytond.conf'
    assert config_file.exists(), config_file
    return config_file


@pytest.fixture(scope='module')
def kiosk(server):
    "The kiosk's data set: the server's own, or kiosk_data.py's"
    data = server.data.get('kiosk')
    if data:
        return data
    config_file = server_config(server)
    process = subprocess.run([sys.executable, str(HERE / 'kiosk_data.py'),
            '--database', server.database, '--config', str(config_file)],
        cwd=ROOT, env=subprocess_env(config_file), capture_output=True,
        text=True, timeout=600)
    if process.returncode:
        pytest.fail("kiosk_data.py failed (exit %s):\n%s\n%s" % (
                process.returncode, process.stdout[-3000:],
                process.stderr[-6000:]), pytrace=False)
    return json.loads(process.stdout.strip().splitlines()[-1])


def kiosk_url(base_url, database):
    return f'{base_url}{database}/casa/access/kiosk'


def call(base_url, database, key, method, route, body=None, lang='fr'):
    "A call of the kiosk API: (status, JSON)"
    request = urllib.request.Request(
        f'{base_url}{database}/casa/access/{route}', method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            'Authorization': f'Bearer {key}',
            'Accept-Language': lang,
            'Content-Type': 'application/json',
            })
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b'{}')


def admin_rpc(server, method, params):
    "A JSON-RPC call of the web client, as the administrator: its result"
    url = f'{server.url}{server.database}/rpc/'

    def post(payload, headers):
        request = urllib.request.Request(url, method='POST',
            data=json.dumps(payload).encode(),
            headers={'Content-Type': 'application/json', **headers})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert 'error' not in answer, answer
        return answer['result']
    user_id, session = post({'id': 1, 'method': 'common.db.login',
            'params': ['admin', {'password': server.admin_password}, 'fr']},
        {})[:2]
    token = base64.b64encode(
        f'admin:{user_id}:{session}'.encode()).decode()
    return post({'id': 2, 'method': method, 'params': params},
        {'Authorization': f'Session {token}'})


@contextlib.contextmanager
def gate_archived(server, kiosk):
    """The kiosk's gate archived by the office for the duration: every call
    of its key is refused (403), as when the key's user leaves the unit"""
    gates = admin_rpc(server, 'model.casa.access.gate.search', [
            [('site.code', '=', kiosk_data.SITE[0]),
                ('code', '=', kiosk_data.GATE[0])], 0, None, None, {}])
    assert len(gates) == 1, gates
    admin_rpc(server, 'model.casa.access.gate.write',
        [gates, {'active': False}, {}])
    try:
        yield
    finally:
        admin_rpc(server, 'model.casa.access.gate.write',
            [gates, {'active': True}, {'active_test': False}])


def open_kiosk(page, url, kiosk):
    "Open the kiosk and give it its key, as on the first run of a tablet"
    page.goto(url)
    expect(page.locator('#key-screen')).to_be_visible()
    page.locator('#key-input').fill(kiosk['key'])
    page.locator('#key-submit').click()
    expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])
    expect(page.locator('#net-status')).to_have_attribute(
        'data-online', 'true')


def present(page, value):
    "Type the identifier; return the verdict panel once it has decided"
    page.locator('#ident').fill(value)
    verdict = page.locator('#verdict')
    expect(verdict).to_have_attribute(
        'data-verdict', re.compile('^(allowed|refused)$'))
    return verdict


def choose_direction(page, direction):
    button = page.locator(f'.direction[data-direction="{direction}"]')
    button.click()
    expect(button).to_have_attribute('aria-checked', 'true')


def inside(page):
    "The number of people on the site, once the kiosk has it"
    number = page.locator('#occupancy-inside')
    expect(number).to_have_text(re.compile(r'^\d+$'))
    return int(number.inner_text())


def test_kiosk_entry_exit_blacklist_arabic(server, kiosk, page, artifacts):
    """A gatekeeper records an entry and an exit of an authorised truck and
    sees the occupancy of the site go up and back; a blacklisted truck is
    refused in red with its reason; in Arabic the page is right to left"""
    url = kiosk_url(server.url, server.database)
    open_kiosk(page, url, kiosk)
    header = spaces(page.locator('header').inner_text())
    for text in [kiosk['site'], kiosk['gatekeeper'], kiosk['business_unit']]:
        assert text in header, (text, header)
    # French by default, left to right
    assert page.evaluate('document.documentElement.dir') == 'ltr'
    before = inside(page)

    authorised = kiosk['authorised']
    # the entry: the plate as written on the truck, the Arabic letter in it
    choose_direction(page, 'in')
    verdict = present(page, authorised['plate'])
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(verdict).to_have_attribute('data-reason', 'authorised')
    expect(page.locator('#verdict-word')).to_have_text('AUTORISÉ')
    expect(page.locator('#verdict-who')).to_contain_text(authorised['name'])
    assert spaces(page.locator('#verdict-fee').inner_text()) == (
        'À payer : %s' % mad(authorised['fee']))
    expect(verdict).to_have_css('background-color', GREEN)
    # the local copy is not used online
    expect(page.locator('#verdict-source')).to_have_text('')
    page.locator('#record').click()
    expect(page.locator('#ident')).to_have_value('')
    rows = page.locator('#passages > li')
    entry = rows.first
    expect(entry).to_have_attribute('data-status', 'done')
    expect(entry).to_have_attribute('data-verdict', 'allowed')
    expect(entry).to_contain_text('Entrée')
    expect(page.locator('#occupancy-inside')).to_have_text(str(before + 1))
    entry_uuid = entry.get_attribute('data-uuid')

    # the exit, typed otherwise: the same plate, no fee on the way out
    choose_direction(page, 'out')
    verdict = present(page, authorised['key'].lower())
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(page.locator('#verdict-fee')).to_have_text('Rien à payer')
    page.keyboard.press('Enter')   # Enter records, as the button
    expect(page.locator('#ident')).to_have_value('')
    exit_row = rows.first
    expect(exit_row).to_have_attribute('data-status', 'done')
    expect(exit_row).to_contain_text('Sortie')
    assert exit_row.get_attribute('data-uuid') != entry_uuid
    expect(page.locator('#occupancy-inside')).to_have_text(str(before))
    # newest first: the exit above the entry
    expect(rows.nth(1)).to_have_attribute('data-uuid', entry_uuid)

    # the server stored both, once
    status, data = call(server.url, server.database, kiosk['key'],
        'GET', 'api/passages?limit=200')
    assert status == 200, data
    uuids = [p['uuid'] for p in data['passages']]
    assert uuids.count(entry_uuid) == 1
    assert uuids.count(exit_row.get_attribute('data-uuid')) == 1

    # the blacklisted truck: red, with the server's reason
    banned = kiosk['banned']
    choose_direction(page, 'in')
    verdict = present(page, banned['plate'])
    expect(verdict).to_have_attribute('data-verdict', 'refused')
    expect(verdict).to_have_attribute('data-reason', 'blacklisted')
    expect(page.locator('#verdict-word')).to_have_text('REFUSÉ')
    status, check = call(server.url, server.database, kiosk['key'], 'POST',
        'api/check', {'plate': banned['plate'], 'direction': 'in'})
    assert status == 200 and check['reason'] == 'blacklisted', check
    expect(page.locator('#verdict-reason')).to_have_text(
        check['reason_text'])
    expect(verdict).to_have_css('background-color', RED)
    # nothing to pay when refused
    expect(page.locator('#verdict-fee')).to_have_text('')
    page.screenshot(path=str(artifacts / 'test_kiosk_refused.png'))

    # Arabic: right to left, the kiosk's texts and the server's reason in
    # Arabic, remembered on the next visit
    page.locator('.lang[data-lang="ar"]').click()
    assert page.evaluate('document.documentElement.dir') == 'rtl'
    assert page.evaluate('document.documentElement.lang') == 'ar'
    assert page.evaluate('getComputedStyle(document.body).direction') == (
        'rtl')
    expect(page.locator('#net-label')).to_have_text('متصل')
    expect(page.locator('#verdict-word')).to_have_text('مرفوض')
    # the passage refused: the button records a refusal
    expect(page.locator('#record')).to_have_text('تسجيل الرفض (دخول)')
    status, check_ar = call(server.url, server.database, kiosk['key'],
        'POST', 'api/check', {'plate': banned['plate'], 'direction': 'in'},
        lang='ar')
    assert status == 200, check_ar
    expect(page.locator('#verdict-reason')).to_have_text(
        check_ar['reason_text'])
    # the start of the line is on the right: the gate's name right of the
    # network status
    where = page.locator('.where').bounding_box()
    status_box = page.locator('#net-status').bounding_box()
    assert where['x'] > status_box['x'], (where, status_box)
    page.screenshot(path=str(artifacts / 'test_kiosk_arabic.png'))
    page.reload()
    expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])
    assert page.evaluate('document.documentElement.dir') == 'rtl'
    page.locator('.lang[data-lang="fr"]').click()
    assert page.evaluate('document.documentElement.dir') == 'ltr'
    assert not page.js_errors, page.js_errors


def test_kiosk_shift(server, kiosk, page):
    """The gatekeeper opens his shift, lets a truck in, counts his cash and
    closes the shift: the kiosk shows expected, declared and difference"""
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    key = kiosk['key']
    status, session = call(server.url, server.database, key, 'GET',
        'api/session')
    assert status == 200, session
    if session['shift']:
        # left open by another test: closed as counted
        status, _ = call(server.url, server.database, key, 'POST',
            'api/shift/close',
            {'declared_amount': session['shift']['expected_amount']})
        assert status == 200
        page.reload()
    shift = page.locator('#shift')
    expect(shift).to_have_attribute('data-state', 'closed')
    expect(page.locator('#shift-state')).to_have_text('Aucun poste ouvert')
    page.locator('#shift-open').click()
    expect(shift).to_have_attribute('data-state', 'open')
    expect(page.locator('#shift-state')).to_contain_text('Poste n°')

    choose_direction(page, 'in')
    verdict = present(page, kiosk['other']['plate'])
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    page.locator('#record').click()
    expect(page.locator('#passages > li').first).to_have_attribute(
        'data-status', 'done')
    status, session = call(server.url, server.database, key, 'GET',
        'api/session')
    expected = Decimal(session['shift']['expected_amount'])
    assert expected >= Decimal(kiosk['other']['fee'])
    expect(page.locator('#shift-state')).to_contain_text(
        re.compile(re.escape(mad(expected)).replace('\\ ', r'\s')))

    # 10 MAD missing
    declared = expected - 10
    page.locator('#shift-close').click()
    dialog = page.locator('#close-dialog')
    expect(dialog).to_be_visible()
    # a wrong amount is refused by the kiosk
    page.locator('#declared-amount').fill('douze')
    page.locator('#close-confirm').click()
    expect(page.locator('#close-message')).not_to_have_text('')
    page.locator('#declared-amount').fill(('%.2f' % declared).replace(
            '.', ','))
    page.locator('#close-confirm').click()
    expect(page.locator('#close-result')).to_be_visible()
    assert spaces(page.locator('#close-expected').inner_text()) == mad(
        expected)
    assert spaces(page.locator('#close-declared').inner_text()) == mad(
        declared)
    assert spaces(page.locator('#close-difference').inner_text()) == mad(
        -10)
    page.locator('#close-ok').click()
    expect(dialog).to_be_hidden()
    expect(shift).to_have_attribute('data-state', 'closed')
    assert not page.js_errors, page.js_errors


def test_kiosk_phone_width(server, kiosk, page):
    "On a 360 px wide phone nothing sticks out sideways, in both directions"
    page.set_viewport_size({'width': 360, 'height': 740})
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    present(page, kiosk['other']['plate'])
    for lang in ['fr', 'ar']:
        page.locator(f'.lang[data-lang="{lang}"]').click()
        width = page.evaluate('document.documentElement.scrollWidth')
        assert width <= 360, (lang, width)
    # the big targets stay big
    for selector in ['#record', '.direction[data-direction="in"]', '#ident']:
        box = page.locator(selector).bounding_box()
        assert box['height'] >= 56, (selector, box)


def passage_stored(server, kiosk, uuid):
    "The passage of the uuid as the server gives it to the kiosk"
    status, data = call(server.url, server.database, kiosk['key'], 'GET',
        'api/passages?limit=200')
    assert status == 200, data
    found = [p for p in data['passages'] if p['uuid'] == uuid]
    assert len(found) == 1, (uuid, data)
    return found[0]


def test_kiosk_recognises_badge_and_cin(server, kiosk, page, artifacts):
    """A badge or a CIN typed in the plate's field is taken for what it is,
    by the kiosk as by the server: the staff's badge B-0042 is let in as a
    badge, her CIN as a CIN, and the server stores them so"""
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    staff = kiosk['staff']
    kind = page.locator('.kind[data-kind="plate"]')
    kind.click()
    expect(kind).to_have_attribute('aria-checked', 'true')
    choose_direction(page, 'in')
    verdict = present(page, staff['badge'])
    expect(page.locator('#recognised')).to_have_text('Reconnu : Badge')
    expect(page.locator('#ident')).to_have_attribute('data-kind', 'badge')
    expect(page.locator('.kind[data-kind="badge"]')).to_have_attribute(
        'data-recognised', 'true')
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(verdict).to_have_attribute('data-reason', 'authorised')
    expect(page.locator('#verdict-who')).to_contain_text(staff['name'])
    # staff: nothing to pay
    expect(page.locator('#verdict-fee')).to_have_text('Rien à payer')
    page.screenshot(path=str(artifacts / 'kiosk_recognised_badge.png'))
    page.locator('#record').click()
    row = page.locator('#passages > li').first
    expect(row).to_have_attribute('data-status', 'done')
    stored = passage_stored(server, kiosk, row.get_attribute('data-uuid'))
    assert (stored['badge'], stored['plate'], stored['cin']) == (
        staff['badge'], None, None), stored
    assert (stored['verdict'], stored['name']) == ('allowed', staff['name'])

    # her CIN, typed otherwise, in the plate's field too, on the way out
    choose_direction(page, 'out')
    verdict = present(page, staff['cin'].lower().replace(' ', ''))
    expect(page.locator('#recognised')).to_have_text('Reconnu : CIN')
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(page.locator('#verdict-who')).to_contain_text(staff['name'])
    page.keyboard.press('Enter')
    expect(page.locator('#recognised')).to_have_text('')
    row = page.locator('#passages > li').first
    expect(row).to_have_attribute('data-status', 'done')
    stored = passage_stored(server, kiosk, row.get_attribute('data-uuid'))
    assert (stored['cin'], stored['plate'], stored['direction']) == (
        'be123456', None, 'out'), stored
    # a plate stays a plate in the badge's field
    page.locator('.kind[data-kind="badge"]').click()
    verdict = present(page, kiosk['other']['plate'])
    expect(page.locator('#recognised')).to_have_text('Reconnu : Plaque')
    expect(verdict).to_have_attribute('data-reason', 'authorised')
    page.locator('#ident-clear').click()
    page.locator('.kind[data-kind="plate"]').click()

    # the server alone: the badge sent as a plate by another client
    status, check = call(server.url, server.database, kiosk['key'], 'POST',
        'api/check', {'plate': staff['badge'], 'direction': 'in'})
    assert status == 200, check
    assert (check['verdict'], check['reason'], check['who']['name']) == (
        'allowed', 'authorised', staff['name']), check
    status, recorded = call(server.url, server.database, kiosk['key'],
        'POST', 'api/passages', {
            'uuid': str(uuid_module.uuid4()), 'direction': 'out',
            'plate': staff['badge']})
    assert status == 201, recorded
    assert (recorded['passage']['badge'], recorded['passage']['plate'],
        recorded['passage']['verdict']) == (
        staff['badge'], None, 'allowed'), recorded
    assert not page.js_errors, page.js_errors


PHONE = {'width': 390, 'height': 844}


def on_first_screen(page, selector):
    "The element is in the first screen of the page, unscrolled"
    box = page.locator(selector).bounding_box()
    assert box and box['height'] > 0, (selector, box)
    assert 0 <= box['y'] and box['y'] + box['height'] <= PHONE['height'], (
        selector, box)


def test_kiosk_phone_first_screen(server, kiosk, page, artifacts):
    """On a 390 x 844 phone the verdict, the button to record and its
    confirmation are on the first screen; the button of a refused passage
    says it records a refusal, in each language"""
    page.set_viewport_size(PHONE)
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    choose_direction(page, 'in')
    verdict = present(page, kiosk['banned']['plate'])
    expect(verdict).to_have_attribute('data-verdict', 'refused')
    record = page.locator('#record')
    expect(record).to_have_text('Enregistrer le refus (entrée)')
    expect(record).to_have_attribute('data-records', 'refusal')
    for lang, label in [('ar', 'تسجيل الرفض (دخول)'),
            ('en', 'Record the refusal (entry)'),
            ('fr', 'Enregistrer le refus (entrée)')]:
        page.locator(f'.lang[data-lang="{lang}"]').click()
        expect(record).to_have_text(label)
    choose_direction(page, 'out')
    expect(record).to_have_text('Enregistrer le refus (sortie)')
    choose_direction(page, 'in')
    assert page.evaluate('window.scrollY') == 0
    for selector in ['#verdict', '#record']:
        on_first_screen(page, selector)
    page.screenshot(path=str(artifacts / 'kiosk_phone_refused.png'))
    record.click()
    toast = page.locator('#toast')
    expect(toast).to_contain_text('Refus enregistré')
    expect(toast).to_contain_text(kiosk['banned']['plate'])
    on_first_screen(page, '#toast')
    row = page.locator('#passages > li').first
    expect(row).to_have_attribute('data-verdict', 'refused')
    stored = passage_stored(server, kiosk, row.get_attribute('data-uuid'))
    assert (stored['verdict'], stored['reason']) == (
        'refused', 'blacklisted'), stored

    # an allowed one, with whom and the fee: the same
    verdict = present(page, kiosk['other']['plate'])
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(record).to_have_text('Enregistrer l’entrée')
    expect(record).to_have_attribute('data-records', 'passage')
    for selector in ['#verdict', '#record']:
        on_first_screen(page, selector)
    page.screenshot(path=str(artifacts / 'kiosk_phone_allowed.png'))
    choose_direction(page, 'out')
    record.click()
    expect(toast).to_contain_text('Passage enregistré')
    on_first_screen(page, '#toast')
    page.screenshot(path=str(artifacts / 'kiosk_phone_recorded.png'))
    assert page.evaluate('window.scrollY') == 0
    assert not page.js_errors, page.js_errors


def overlaps(a, b):
    return not (a['x'] + a['width'] <= b['x']
        or b['x'] + b['width'] <= a['x']
        or a['y'] + a['height'] <= b['y']
        or b['y'] + b['height'] <= a['y'])


LANGS_RECT = '''() => {
    const rect = document.getElementById('langs').getBoundingClientRect();
    return {top: rect.top, bottom: rect.bottom};
    }'''
HIT = '''([x, y]) => {
    const node = document.elementFromPoint(x, y);
    return node.closest('#langs') ? 'langs' : node.tagName;
    }'''


def test_kiosk_languages_do_not_cover(server, kiosk, page, artifacts):
    """The language buttons sit in the header's room, beside the gate's
    name and status, and scroll away with the page: never over the
    content, left to right or right to left"""
    page.set_viewport_size(PHONE)
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    present(page, kiosk['other']['plate'])
    for lang in ['fr', 'ar']:
        page.locator(f'.lang[data-lang="{lang}"]').click()
        page.evaluate('window.scrollTo(0, 0)')
        langs = page.locator('#langs').bounding_box()
        for selector in ['#gate-name', '.where-detail', '#net-status',
                '#shift', '.entry']:
            box = page.locator(selector).bounding_box()
            assert not overlaps(langs, box), (lang, selector, langs, box)
        # scrolled: the buttons went up with the header
        page.evaluate('window.scrollTo(0, 400)')
        page.wait_for_function('window.scrollY >= 400')
        rect = page.evaluate(LANGS_RECT)
        assert rect['bottom'] <= 0, (lang, rect)
        # what shows at the top corner is the page's content
        x = langs['x'] + langs['width'] / 2
        assert page.evaluate(HIT, [x, 20]) != 'langs', lang
        page.screenshot(
            path=str(artifacts / f'kiosk_langs_scrolled_{lang}.png'))
    page.locator('.lang[data-lang="fr"]').click()
    assert not page.js_errors, page.js_errors


def test_kiosk_messages_follow_language(server, kiosk, page, artifacts):
    """The messages already shown change language at once with the
    language: the key screen's, the confirmation of a passage, the kind
    recognised"""
    page.goto(kiosk_url(server.url, server.database))
    expect(page.locator('#key-screen')).to_be_visible()
    page.locator('#key-submit').click()
    message = page.locator('#key-message')
    expect(message).to_have_text('Saisissez la clé.')
    page.locator('.lang[data-lang="en"]').click()
    expect(message).to_have_text('Enter the key.', timeout=1000)
    page.locator('.lang[data-lang="fr"]').click()
    expect(message).to_have_text('Saisissez la clé.', timeout=1000)
    page.locator('#key-input').fill(kiosk['key'])
    page.locator('#key-submit').click()
    expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])

    choose_direction(page, 'in')
    present(page, kiosk['banned']['plate'])
    page.locator('#record').click()
    toast = page.locator('#toast')
    expect(toast).to_contain_text('Refus enregistré')
    page.locator('.lang[data-lang="en"]').click()
    expect(toast).to_contain_text('Refusal recorded', timeout=1000)
    expect(toast).to_contain_text(kiosk['banned']['plate'])
    page.locator('.lang[data-lang="ar"]').click()
    expect(toast).to_contain_text('تم تسجيل الرفض', timeout=1000)
    page.screenshot(path=str(artifacts / 'kiosk_messages_arabic.png'))

    page.locator('#ident').fill(kiosk['staff']['badge'])
    recognised = page.locator('#recognised')
    expect(recognised).to_have_text('تم التعرف على: الشارة')
    page.locator('.lang[data-lang="en"]').click()
    expect(recognised).to_have_text('Recognised: Badge', timeout=1000)
    page.locator('.lang[data-lang="fr"]').click()
    expect(recognised).to_have_text('Reconnu : Badge', timeout=1000)
    assert not page.js_errors, page.js_errors


# ---- offline ----

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class RestartableServer:
    """A trytond of its own on the database of the ``server`` fixture, on
    another port, that the test stops and starts again"""

    def __init__(self, server, directory):
        self.database = server.database
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}/'
        source = server_config(server)
        self.env = subprocess_env(source)
        config = configparser.ConfigParser(interpolation=None)
        config.read(source, encoding='utf-8')
        config.set('web', 'listen', f'127.0.0.1:{self.port}')
        self.config_file = directory / 'trytond-restartable.conf'
        with self.config_file.open('w', encoding='utf-8') as fp:
            config.write(fp)
        self.log = directory / 'trytond-restartable.log'
        self.process = None

    def start(self):
        assert self.process is None
        with self.log.open('ab') as log:
            self.process = subprocess.Popen([
                    Path(sys.executable).parent / 'trytond',
                    '-c', str(self.config_file), '-d', self.database],
                cwd=ROOT, env=self.env, stdout=log,
                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        page = kiosk_url(self.url, self.database)
        while True:
            if self.process.poll() is not None:
                pytest.fail("trytond exited (%s):\n%s" % (
                        self.process.returncode, self.log_text()[-6000:]),
                    pytrace=False)
            try:
                with urllib.request.urlopen(page, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("trytond does not answer on %s:\n%s" % (
                        page, self.log_text()[-6000:]), pytrace=False)
            time.sleep(0.2)

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        # nothing answers on the port any more
        with pytest.raises((urllib.error.URLError, OSError)):
            urllib.request.urlopen(self.url, timeout=2)

    def log_text(self):
        return self.log.read_text(encoding='utf-8', errors='replace')


@pytest.fixture
def restartable_server(server, tmp_path, artifacts):
    restartable = RestartableServer(server, tmp_path)
    restartable.start()
    try:
        yield restartable
    finally:
        restartable.stop()
        if restartable.log.exists():
            (artifacts / 'trytond-kiosk-restartable.log').write_bytes(
                restartable.log.read_bytes())


# the kiosk's page and files (its modules in static/kiosk/), and the modules
# of casa_base's toolkit
PAGE_FILES = re.compile(
    r'/casa/(access/(kiosk|static/(kiosk/)?[\w.]+)'
    r'|base/static/offline/[\w.-]+)(\?.*)?$')


def serve_page_from_files(route):
    """The kiosk's page and files (the toolkit's too) from the modules, as a
    browser's cache would give them while the server is down"""
    url = route.request.url.split('?')[0]
    if '/casa/base/static/' in url:
        path = TOOLKIT / url.split('/casa/base/static/', 1)[1]
    else:
        name = url.split('/casa/access/', 1)[1]
        path = STATIC / ('kiosk.html' if name == 'kiosk'
            else name[len('static/'):])
    content_type = {
        'html': 'text/html', 'js': 'text/javascript', 'css': 'text/css',
        }[path.suffix[1:]]
    route.fulfill(status=200, body=path.read_bytes(),
        content_type=content_type + '; charset=utf-8')


def test_kiosk_offline_queue(restartable_server, kiosk, page, artifacts):
    """With the server down the kiosk decides from its copy and queues the
    passages (kept across a reload); back online it sends them, and the
    server has each exactly once"""
    server = restartable_server
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    # the copy for offline decisions is loaded
    page.wait_for_function('() => window.casaKiosk.state.cache !== null')

    server.stop()
    authorised, banned = kiosk['other'], kiosk['banned']
    choose_direction(page, 'in')
    # the authorised truck, decided from the copy
    verdict = present(page, authorised['plate'])
    expect(page.locator('#net-status')).to_have_attribute(
        'data-online', 'false')
    expect(page.locator('#net-label')).to_have_text('Hors ligne')
    expect(verdict).to_have_attribute('data-verdict', 'allowed')
    expect(verdict).to_have_attribute('data-reason', 'authorised')
    expect(page.locator('#verdict-source')).to_have_text(
        'Décision locale (hors ligne)')
    assert spaces(page.locator('#verdict-fee').inner_text()) == (
        'À payer : %s' % mad(authorised['fee']))
    page.locator('#record').click()
    # the blacklisted one, refused with the office's reason
    verdict = present(page, banned['plate'])
    expect(verdict).to_have_attribute('data-reason', 'blacklisted')
    expect(page.locator('#verdict-reason')).to_have_text('Sur liste noire')
    expect(page.locator('#verdict-detail')).to_have_text(banned['reason'])
    page.locator('#record').click()
    # and unknown ones
    for i in range(OFFLINE_PASSAGES - 2):
        verdict = present(page, 'HL-%04d' % i)
        expect(verdict).to_have_attribute('data-reason', 'unknown')
        page.keyboard.press('Enter')
        expect(page.locator('#ident')).to_have_value('')

    pending = page.locator('#pending-count')
    expect(pending).to_have_attribute('data-count', str(OFFLINE_PASSAGES))
    expect(pending).to_have_text('En attente : %d' % OFFLINE_PASSAGES)
    rows = page.locator('#passages > li[data-status="pending"]')
    expect(rows).to_have_count(OFFLINE_PASSAGES)
    uuids = page.evaluate(
        '() => window.casaKiosk.queue().map(item => item.payload.uuid)')
    assert len(set(uuids)) == OFFLINE_PASSAGES, uuids
    page.screenshot(path=str(artifacts / 'test_kiosk_offline_pending.png'),
        full_page=True)

    # the tablet reloads the page (from its cache) while the server is
    # still down: the queue is still there
    pattern = PAGE_FILES
    page.route(pattern, serve_page_from_files)
    page.reload()
    expect(page.locator('#net-status')).to_have_attribute(
        'data-online', 'false')
    expect(pending).to_have_attribute('data-count', str(OFFLINE_PASSAGES))
    expect(rows).to_have_count(OFFLINE_PASSAGES)
    page.unroute(pattern)

    # back: the sync loop sends the queue in order
    server.start()
    expect(pending).to_have_attribute('data-count', '0', timeout=60_000)
    expect(pending).to_be_hidden()
    expect(page.locator('#net-status')).to_have_attribute(
        'data-online', 'true')
    expect(rows).to_have_count(0)
    for uuid in uuids:
        expect(page.locator(f'#passages > li[data-uuid="{uuid}"]')
            ).to_have_attribute('data-status', 'done')
    page.screenshot(path=str(artifacts / 'test_kiosk_offline_synced.png'),
        full_page=True)

    # the server has each of them once, as recorded offline, in order
    status, data = call(server.url, server.database, kiosk['key'], 'GET',
        'api/passages?limit=200')
    assert status == 200, data
    stored = [p for p in data['passages'] if p['uuid'] in set(uuids)]
    assert sorted(p['uuid'] for p in stored) == sorted(uuids)
    assert all(p['offline'] for p in stored), stored
    # newest first: the reverse of the order of recording
    assert [p['uuid'] for p in stored] == uuids[::-1]
    by_uuid = {p['uuid']: p for p in stored}
    assert by_uuid[uuids[0]]['verdict'] == 'allowed'
    assert by_uuid[uuids[1]]['reason'] == 'blacklisted'
    # sent again (e.g. a lost answer), nothing more is stored
    first = {k: v for k, v in by_uuid[uuids[0]].items()
        if k in {'uuid', 'direction', 'plate'}}
    status, again = call(server.url, server.database, kiosk['key'], 'POST',
        'api/passages', dict(first, device_time='2026-01-01T10:00:00Z'))
    assert status == 200 and again['created'] is False, again
    status, data = call(server.url, server.database, kiosk['key'], 'GET',
        'api/passages?limit=200')
    assert sorted(p['uuid'] for p in data['passages']
        if p['uuid'] in set(uuids)) == sorted(uuids)
    assert not page.js_errors, page.js_errors


class HangingServer:
    """Something listening on the port of the server that accepts the
    connections and never answers: a server hung, or a network that
    swallows the requests (the outage a tablet meets most, where nothing
    is refused)"""

    def __init__(self, port):
        self.port = port
        self.socket = None

    def __enter__(self):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(('127.0.0.1', self.port))
        # the kernel completes the connections; nobody reads them
        self.socket.listen(64)
        return self

    def __exit__(self, *exc_info):
        self.socket.close()


def test_kiosk_page_loads_offline(restartable_server, kiosk, page):
    """Once loaded, the kiosk loads again with the server down, stopped
    (connections refused) or hung (connections never answered), and keeps
    deciding from its copy of the reference data: its service worker keeps
    the page, localStorage the copy and the queue"""
    server = restartable_server
    with urllib.request.urlopen(f'{server.url}{server.database}'
            '/casa/access/static/sw.js', timeout=30) as response:
        allowed = response.headers.get('Service-Worker-Allowed')
    if not allowed:
        pytest.skip("static/sw.js is served without Service-Worker-Allowed: "
            "the kiosk's page needs the server to load")
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    # ready for an outage: the page's files kept by the service worker and
    # the reference data in localStorage (the gate's name shows before the
    # copy arrives: stopping the server then left the page without data)
    ready = '() => window.casaKiosk.offlineReady()'
    page.wait_for_function(ready)
    page.reload()
    page.wait_for_function('() => !!navigator.serviceWorker.controller')
    page.wait_for_function(ready)
    expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])

    authorised, banned = kiosk['other'], kiosk['banned']
    verdict = page.locator('#verdict')
    pending = page.locator('#pending-count')
    source = page.locator('#verdict-source')
    choose_direction(page, 'in')
    server.stop()
    present(page, authorised['plate'])
    expect(verdict).to_have_attribute('data-reason', 'authorised')
    expect(source).to_have_text('Décision locale (hors ligne)')
    page.locator('#record').click()
    expect(pending).to_have_attribute('data-count', '1')

    # the tablet reloads while the server is stopped
    page.reload()
    expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])
    expect(page.locator('#net-status')).to_have_attribute(
        'data-online', 'false')
    expect(pending).to_have_attribute('data-count', '1')
    # and keeps deciding
    present(page, banned['plate'])
    expect(verdict).to_have_attribute('data-reason', 'blacklisted')
    expect(source).to_have_text('Décision locale (hors ligne)')
    expect(page.locator('#verdict-detail')).to_have_text(banned['reason'])

    # the tablet reloads while the server hangs: the page's files come
    # from the service worker's copy once the network is late
    with HangingServer(server.port):
        page.reload()
        expect(page.locator('#gate-name')).to_have_text(kiosk['gate'])
        expect(pending).to_have_attribute('data-count', '1')
        present(page, authorised['plate'])
        expect(verdict).to_have_attribute('data-reason', 'authorised')
        expect(source).to_have_text('Décision locale (hors ligne)')
        page.locator('#record').click()
        expect(pending).to_have_attribute('data-count', '2')
        uuids = page.evaluate(
            '() => window.casaKiosk.queue().map(item => item.payload.uuid)')

    server.start()
    expect(pending).to_have_attribute('data-count', '0', timeout=60_000)
    status, data = call(server.url, server.database, kiosk['key'], 'GET',
        'api/passages?limit=200')
    assert status == 200, data
    assert sorted(p['uuid'] for p in data['passages']
        if p['uuid'] in set(uuids)) == sorted(uuids)
    assert not page.js_errors, page.js_errors


def test_kiosk_refused_keeps_queue(server, kiosk, page, artifacts):
    """A refusal of the whole kiosk (its gate archived: 403 on every call
    of its key) is no refusal of the passages: they stay queued, never
    rejected, a banner tells the gatekeeper why in his language, and they
    go once the office has restored the gate"""
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    page.wait_for_function('() => window.casaKiosk.state.cache !== null')
    pending = page.locator('#pending-count')
    hold = page.locator('#hold-banner')
    ident = page.locator('#ident')
    choose_direction(page, 'in')
    plates = [kiosk['other']['plate'], 'HOLD-%d' % (time.time() % 10**6)]
    with gate_archived(server, kiosk):
        status, refusal = call(server.url, server.database, kiosk['key'],
            'GET', 'api/session')
        assert status == 403, refusal
        for plate in plates:
            ident.fill(plate)
            page.locator('#record').click()
            expect(ident).to_have_value('')
        expect(pending).to_have_attribute('data-count', '2')
        expect(hold).to_be_visible()
        expect(hold).to_have_attribute('data-reason', 'refused')
        expect(hold).to_contain_text(refusal['message'])
        expect(hold).to_contain_text(
            '2 passages en attente restent sur cette tablette')
        expect(page.locator('#passages > li[data-status="pending"]')
            ).to_have_count(2)
        expect(page.locator('#passages > li[data-status="rejected"]')
            ).to_have_count(0)
        assert page.evaluate(
            '() => window.casaKiosk.rejected().length') == 0
        page.screenshot(path=str(artifacts / 'test_kiosk_refused_held.png'),
            full_page=True)
        uuids = page.evaluate(
            '() => window.casaKiosk.queue().map(item => item.payload.uuid)')
        # in Arabic and in English too
        page.locator('.lang[data-lang="ar"]').click()
        expect(hold).to_contain_text('تبقى على هذا الجهاز')
        page.screenshot(
            path=str(artifacts / 'test_kiosk_refused_held_arabic.png'),
            full_page=True)
        page.locator('.lang[data-lang="en"]').click()
        expect(hold).to_contain_text(
            '2 waiting passages stay on this tablet')
        page.locator('.lang[data-lang="fr"]').click()
        # kept across a reload, and said again at the first try
        page.reload()
        expect(pending).to_have_attribute('data-count', '2')
        expect(hold).to_have_attribute('data-reason', 'refused')
        expect(hold).to_contain_text(refusal['message'])
        assert page.evaluate(
            '() => window.casaKiosk.rejected().length') == 0

    # the office restored the gate: the gatekeeper does not wait for the
    # next try
    page.locator('#hold-retry').click()
    expect(pending).to_have_attribute('data-count', '0')
    expect(hold).to_be_hidden()
    for uuid in uuids:
        expect(page.locator(f'#passages > li[data-uuid="{uuid}"]')
            ).to_have_attribute('data-status', 'done')
    status, data = call(server.url, server.database, kiosk['key'], 'GET',
        'api/passages?limit=200')
    assert status == 200, data
    assert sorted(p['uuid'] for p in data['passages']
        if p['uuid'] in set(uuids)) == sorted(uuids)
    assert not page.js_errors, page.js_errors


# more than the 50 the kiosk used to keep
REJECTED = 55

QUEUE_PASSAGES = '''([payloads, shown]) => {
    const key = window.casaKiosk.prefix + 'queue';
    const queue = JSON.parse(localStorage.getItem(key) || '[]');
    payloads.forEach(payload => queue.push({payload: payload, shown: shown,
        queued_at: new Date().toISOString()}));
    localStorage.setItem(key, JSON.stringify(queue));
    return window.casaKiosk.sync();
}'''


def test_kiosk_rejected_passages_kept(server, kiosk, page, artifacts):
    """Queued passages the server refuses one by one (a 4xx about the
    passage) leave the queue and are never sent again; they stay on the
    tablet with the fee collected, however many, until the gatekeeper
    exports them (CSV or JSON) and acknowledges them"""
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    # passages the server refuses: an unknown vehicle category, as a
    # kiosk with an old copy of the categories would send; each had its
    # fee collected
    stamp = int(time.time()) % 10**8
    fee = kiosk['other']['fee']
    payloads = [{
            'uuid': '00000000-0000-4000-8000-%08d%04d' % (stamp, i),
            'direction': 'in', 'plate': 'REJ-%d' % i,
            'vehicle_category': 'ovni',
            'device_time': '2026-01-01T10:%02d:00Z' % (i % 60),
            'device_verdict': 'allowed', 'offline': True,
            } for i in range(REJECTED)]
    page.evaluate(QUEUE_PASSAGES, [payloads,
            {'reason': 'authorised', 'name': 'Froid Al Amal', 'fee': fee}])
    page.wait_for_function('() => window.casaKiosk.queue().length === 0')
    expect(page.locator('#pending-count')).to_have_attribute(
        'data-count', '0')
    rejected = page.locator('#passages > li[data-status="rejected"]')
    expect(rejected).to_have_count(REJECTED)
    status, error = call(server.url, server.database, kiosk['key'], 'POST',
        'api/passages', payloads[0])
    assert status == 400, error
    row = page.locator(f'#passages > li[data-uuid="{payloads[0]["uuid"]}"]')
    expect(row).to_contain_text(error['message'])
    assert mad(fee) in spaces(row.locator('.passage-reason').inner_text())
    # not a refusal of the kiosk
    expect(page.locator('#hold-banner')).to_be_hidden()
    panel = page.locator('#rejected-panel')
    expect(panel).to_be_visible()
    expect(page.locator('#rejected-summary')).to_contain_text(
        str(REJECTED))
    page.screenshot(path=str(artifacts / 'test_kiosk_rejected.png'))
    # kept across a reload, never sent again
    page.reload()
    expect(rejected).to_have_count(REJECTED)
    expect(page.locator('#pending-count')).to_have_attribute(
        'data-count', '0')

    # exported, as CSV and as JSON: each with its fee and the reason
    with page.expect_download() as download:
        page.locator('#export-csv').click()
    assert download.value.suggested_filename.endswith('.csv')
    with open(download.value.path(), encoding='utf-8-sig', newline='') as fp:
        lines = list(csv.DictReader(fp))
    assert sorted(line['uuid'] for line in lines) == sorted(
        p['uuid'] for p in payloads)
    first = {line['uuid']: line for line in lines}[payloads[0]['uuid']]
    assert first['plate'] == payloads[0]['plate']
    assert first['fee'] == fee
    assert first['message'] == error['message']
    assert first['gate'] == kiosk['gate']
    with page.expect_download() as download:
        page.locator('#export-json').click()
    assert download.value.suggested_filename.endswith('.json')
    with open(download.value.path(), encoding='utf-8') as fp:
        exported = json.load(fp)
    assert sorted(p['uuid'] for p in exported['passages']) == sorted(
        p['uuid'] for p in payloads)
    assert {p['fee'] for p in exported['passages']} == {fee}
    assert exported['gate']['name'] == kiosk['gate']

    # exported, they stay until acknowledged
    expect(rejected).to_have_count(REJECTED)
    expect(page.locator('#passages > li[data-exported="true"]')
        ).to_have_count(REJECTED)
    # another one rejected meanwhile: not acknowledged with the exported
    # ones
    late = dict(payloads[0], plate='REJ-LATE',
        uuid='00000000-0000-4000-8000-%08d9999' % stamp)
    page.evaluate(QUEUE_PASSAGES, [[late], None])
    expect(rejected).to_have_count(REJECTED + 1)
    acknowledge = page.locator('#acknowledge-exported')
    expect(acknowledge).to_contain_text(str(REJECTED))
    acknowledge.click()
    expect(rejected).to_have_count(1)
    late_row = page.locator(f'#passages > li[data-uuid="{late["uuid"]}"]')
    expect(late_row).to_have_attribute('data-status', 'rejected')
    # acknowledged on its own by the gatekeeper
    late_row.locator('button.acknowledge').click()
    expect(rejected).to_have_count(0)
    expect(panel).to_be_hidden()
    assert page.evaluate('() => window.casaKiosk.rejected().length') == 0
    assert not page.js_errors, page.js_errors


def test_kiosk_forbidden_passage_rejected(server, kiosk, page):
    """A 403 in the result of one passage of a batch, while the server
    takes the request (the answer to a UUID of another unit's passage, see
    test_kiosk_api.test_isolation) is a refusal of that passage: it is
    rejected, the passages after it are sent"""
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    stamp = int(time.time()) % 10**8
    forbidden, after = [{
            'uuid': '00000000-0000-4000-8000-%08d%04d' % (stamp, i),
            'direction': 'in', 'plate': 'FORB-%d' % i,
            'device_time': '2026-01-01T11:00:0%dZ' % i, 'offline': True,
            } for i in range(2)]
    message = "Accès refusé à ce passage."

    def refuse(route):
        "The batch sent without the forbidden one, its 403 put back"
        sent = json.loads(route.request.post_data)['passages']
        others = [p for p in sent if p['uuid'] != forbidden['uuid']]
        response = route.fetch(post_data=json.dumps({'passages': others}))
        results = response.json()['results'] if others else []
        for index, payload in enumerate(sent):
            if payload['uuid'] == forbidden['uuid']:
                results.insert(index, {'index': index,
                        'uuid': forbidden['uuid'], 'status': 403,
                        'error': 'forbidden', 'message': message})
        for index, result in enumerate(results):
            result['index'] = index
        route.fulfill(status=200, content_type='application/json',
            body=json.dumps({'results': results}))
    batch = re.compile(r'/casa/access/api/passages/batch$')
    page.route(batch, refuse)
    page.evaluate(QUEUE_PASSAGES, [[forbidden, after], None])
    page.wait_for_function('() => window.casaKiosk.queue().length === 0')
    expect(page.locator(f'#passages > li[data-uuid="{forbidden["uuid"]}"]')
        ).to_have_attribute('data-status', 'rejected')
    expect(page.locator(f'#passages > li[data-uuid="{after["uuid"]}"]')
        ).to_have_attribute('data-status', 'done')
    expect(page.locator('#hold-banner')).to_be_hidden()
    rejected = page.evaluate('() => window.casaKiosk.rejected()')
    assert [(r['payload']['uuid'], r['status'], r['message'])
        for r in rejected] == [(forbidden['uuid'], 403, message)]
    page.unroute(batch)
    page.locator(f'#passages > li[data-uuid="{forbidden["uuid"]}"]'
        ' button.acknowledge').click()
    assert page.evaluate('() => window.casaKiosk.rejected().length') == 0
    assert not page.js_errors, page.js_errors


OUTBOX_PASSAGES = 1001


def test_kiosk_outbox_batches(server, kiosk, page, artifacts):
    """The kiosk sends its outbox by api/passages/batch, 500 passages at
    most a request; a request whose answer is lost (a 5xx) is sent again
    after the backoff, and the server, idempotent by UUID, has each passage
    once"""
    from test_kiosk_api import Database
    open_kiosk(page, kiosk_url(server.url, server.database), kiosk)
    stamp = int(time.time()) % 10**8
    payloads = [{
            'uuid': '00000000-0000-4000-8001-%08d%04d' % (stamp, i),
            'direction': 'in', 'plate': 'OUTBOX-%d-%04d' % (stamp, i),
            'device_time': '2026-01-01T09:00:00Z', 'device_verdict':
            'refused', 'offline': True,
            } for i in range(OUTBOX_PASSAGES)]
    sizes, lost = [], []

    def batch(route):
        "Each request to the server; the answer of the first one lost"
        sizes.append(len(json.loads(route.request.post_data)['passages']))
        response = route.fetch()
        if not lost:
            lost.append(response.status)
            route.fulfill(status=503, content_type='application/json',
                body=json.dumps({'status': 503, 'error': 'unavailable',
                        'message': 'Service Unavailable'}))
        else:
            route.fulfill(response=response)
    pattern = re.compile(r'/casa/access/api/passages/batch$')
    page.route(pattern, batch)
    page.evaluate(QUEUE_PASSAGES, [payloads, None])
    # the first 500 stored, the kiosk not told: all kept, the kiosk waits
    assert lost == [200], lost
    hold = page.evaluate('window.casaKiosk.state.hold')
    assert hold['kind'] == 'server' and hold['status'] == 503, hold
    assert page.evaluate('window.casaKiosk.queue().length') == (
        OUTBOX_PASSAGES)
    expect(page.locator('#hold-banner')).to_have_attribute(
        'data-reason', 'server')
    expect(page.locator('#pending-count')).to_have_attribute(
        'data-count', str(OUTBOX_PASSAGES))
    page.screenshot(path=str(artifacts / 'kiosk_outbox_held.png'))
    # sent again after the backoff (a few seconds), on its own
    page.wait_for_function('window.casaKiosk.queue().length === 0',
        timeout=60_000)
    expect(page.locator('#hold-banner')).to_be_hidden()
    expect(page.locator('#pending-count')).to_have_attribute(
        'data-count', '0')
    page.unroute(pattern)
    # 500, the same 500 again (taken as duplicates), 500, 1
    assert sizes == [500, 500, 500, 1], sizes
    assert page.evaluate('window.casaKiosk.rejected().length') == 0
    db = Database(server_config(server), server.database)
    (count, distinct), = db.query(
        'SELECT COUNT(*), COUNT(DISTINCT uuid) FROM casa_access_passage '
        'WHERE plate LIKE ?', ('OUTBOX-%d-%%' % stamp,))
    assert (count, distinct) == (OUTBOX_PASSAGES, OUTBOX_PASSAGES)
    assert not page.js_errors, page.js_errors
