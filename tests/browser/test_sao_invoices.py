# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The customer invoices in the web client sao, per business unit.

A fresh database ``casa_browser_test`` (SQLite in a temporary directory, or
PostgreSQL when TRYTOND_DATABASE_URI=postgresql://...) gets casa_base
(scripts/create_db.py) and the small data set of sao_data.py: units ABT and
PARK with one posted and one draft customer invoice each, and a manager of
ABT only.  trytond serves it with sao on a free port; everything Tryton runs
in subprocesses, so that this pytest process stays free for the unit tests.

The server gets its own configuration file, a copy of config/trytond.conf
with the database URI and path, the web address and root of the test: the
options of a configuration file win over the TRYTOND_* environment variables.
"""
import configparser
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DATABASE = 'casa_browser_test'
ADMIN_PASSWORD = 'Casa-2026!'
SAO_FILES = ['index.html', 'dist', 'images', 'sounds', 'locale']

pytestmark = pytest.mark.browser


def backend_uri():
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    return uri if uri.startswith('postgresql') else 'sqlite://'


def drop_postgresql_database(uri, name):
    import psycopg
    with psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True
            ) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def web_root(tmp):
    "sao as assembled by `make setup`, or the same links in tmp"
    for root in [os.environ.get('TRYTOND_WEB__ROOT'), ROOT / 'var' / 'sao']:
        if root and (Path(root) / 'index.html').exists():
            return Path(root)
    sao = ROOT / 'node_modules' / 'tryton-sao'
    if not (sao / 'index.html').exists():
        pytest.fail("sao is not installed: run `make setup` (npm ci)")
    root = tmp / 'sao'
    root.mkdir()
    for name in SAO_FILES:
        (root / name).symlink_to(sao / name)
    (root / 'node_modules').symlink_to(ROOT / 'node_modules')
    return root


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def run(args, env, timeout):
    "Run a Python script of the project; return its stdout"
    start = time.monotonic()
    process = subprocess.run([sys.executable, *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if process.returncode:
        pytest.fail("%s failed (exit %s):\n%s\n%s" % (
                ' '.join(map(str, args)), process.returncode,
                process.stdout[-3000:], process.stderr[-6000:]),
            pytrace=False)
    print("%s: %.1fs" % (Path(args[0]).name, time.monotonic() - start))
    return process.stdout


def configure(tmp, uri, port):
    """Write the configuration file of the test's trytond in tmp; return it
    with the environment of the subprocesses"""
    root = web_root(tmp)
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / 'config' / 'trytond.conf', encoding='utf-8')
    for section, option, value in [
            ('database', 'uri', uri),
            ('database', 'path', str(tmp)),
            ('web', 'listen', f'127.0.0.1:{port}'),
            ('web', 'root', str(root)),
            ('attachment', 'path', str(tmp / 'attachments')),
            ]:
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, option, value)
    config_file = tmp / 'trytond.conf'
    with config_file.open('w', encoding='utf-8') as fp:
        config.write(fp)

    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_')}
    env.update({
            # scripts/create_db.py chooses the backend and the directory of
            # the SQLite file with these
            'TRYTOND_DATABASE_URI': uri,
            'TRYTOND_DATABASE__PATH': str(tmp),
            'TRYTOND_WEB__ROOT': str(root),
            'TRYTOND_WEB__LISTEN': f'127.0.0.1:{port}',
            'CASA_ADMIN_PASSWORD': ADMIN_PASSWORD,
            'PYTHONUNBUFFERED': '1',
            })
    return config_file, env


class Server:

    def __init__(self, url, log, data):
        self.url = url
        self.log = log
        self.data = data

    def log_text(self):
        return self.log.read_text(encoding='utf-8', errors='replace')


@pytest.fixture(scope='module')
def server(artifacts):
    """trytond serving sao and the database with the data set, stopped (and
    the database dropped) at the end of the module"""
    uri = backend_uri()
    postgresql = uri.startswith('postgresql')
    tmp = Path(tempfile.mkdtemp(prefix='casa-browser-'))
    process = None
    log = tmp / 'trytond.log'
    try:
        port = free_port()
        config_file, env = configure(tmp, uri, port)
        if postgresql:
            drop_postgresql_database(uri, DATABASE)
        run([ROOT / 'scripts' / 'create_db.py', '--database', DATABASE,
                '--modules', 'casa_base', '--config', config_file],
            env, timeout=900)
        output = run([HERE / 'sao_data.py', '--database', DATABASE,
                '--config', config_file], env, timeout=600)
        data = json.loads(output.strip().splitlines()[-1])

        with log.open('wb') as log_fp:
            process = subprocess.Popen([
                    Path(sys.executable).parent / 'trytond',
                    '-c', config_file, '-d', DATABASE],
                cwd=ROOT, env=env, stdout=log_fp, stderr=subprocess.STDOUT)
        url = f'http://127.0.0.1:{port}/'
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail("trytond exited (%s):\n%s" % (
                        process.returncode, log.read_text()[-6000:]),
                    pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("trytond does not answer on %s:\n%s" % (
                        url, log.read_text()[-6000:]), pytrace=False)
            time.sleep(0.2)
        yield Server(url, log, data)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log.exists():
            backend = 'postgresql' if postgresql else 'sqlite'
            shutil.copyfile(log, artifacts / f'trytond-browser-{backend}.log')
        if postgresql:
            drop_postgresql_database(uri, DATABASE)
        shutil.rmtree(tmp, ignore_errors=True)


def login(page, server, login, password, path=''):
    """Log in through sao's dialogs (user name, then password); sao opens
    the path of the URL once logged in"""
    from playwright.sync_api import expect
    page.goto(f'{server.url}#{DATABASE}{path}')
    dialog = page.locator('.login-dialog')
    # sao's login ignores the database of the URL and reads the database
    # field, which it fills once the server has listed the databases: before
    # that, submitting does nothing
    expect(dialog.locator('[name="database"]:visible')).to_have_value(DATABASE)
    dialog.locator('input#login').fill(login)
    # the buttons, not Enter: when the modal has finished showing, sao may
    # move the focus to another field (the list of the databases)
    dialog.locator('button[type="submit"]').click()
    ask = page.locator('.ask-dialog')
    ask.locator('input[name="password"]').fill(password)
    ask.locator('.modal-footer .btn-primary').click()
    # the menu and the user's preferences are there once logged in
    page.locator('#menu tbody tr').first.wait_for()
    page.locator('#user-preferences a').first.wait_for()


def menu_row(page, label):
    return page.locator('#menu tbody tr').filter(
        has=page.get_by_title(label, exact=True))


def open_menu(page, path):
    "Unfold the menus of the path and open its last entry"
    *folders, entry = path
    for label in folders:
        menu_row(page, label).locator('span.expander').click()
    menu_row(page, entry).get_by_title(entry, exact=True).click()


def invoice_rows(page, expected, tab_label=None):
    """Show the tab of the list, if any; return the list and the text of its
    rows once the expected texts are displayed"""
    tab = page.locator('#tabcontent .tab-pane.active')
    if tab_label:
        tab.locator('.tab-domain a[role="tab"]', has_text=tab_label).click()
    rows = tab.locator('table.tree > tbody > tr')
    for text in expected:
        rows.filter(has_text=text).first.wait_for()
    return tab, [' '.join(r.inner_text().split()) for r in rows.all()]


def server_errors(server):
    return [line for line in server.log_text().splitlines()
        if 'Traceback' in line or ' ERROR ' in line]


def invoice_texts(invoice):
    "The texts of the invoice's row"
    texts = [invoice['party'], invoice['reference']]
    if invoice['number']:
        texts.append(invoice['number'])
    return texts


def test_business_unit_manager_sees_only_own_invoices(server, page):
    data = server.data
    manager, labels = data['manager'], data['labels']
    own = [i for i in data['invoices'] if i['unit'] == 'ABT']
    others = [i for i in data['invoices'] if i['unit'] != 'ABT']
    assert len(own) == 2 and len(others) == 2
    assert {i['state'] for i in own} == {'posted', 'draft'}

    login(page, server, manager['login'], manager['password'])
    # the status of the user names their current business unit
    preferences = page.locator('#user-preferences').inner_text()
    assert manager['name'] in preferences and '[ABT]' in preferences

    open_menu(page, labels['customer_invoices_menu'])
    # all the states: the first tab shows the draft invoices only
    tab, rows = invoice_rows(
        page, [i['party'] for i in own], tab_label=labels['all_tab'])

    assert len(rows) == len(own), rows
    for invoice in own:
        matching = [r for r in rows
            if all(t in r for t in invoice_texts(invoice))]
        assert len(matching) == 1, (invoice, rows)
    shown = tab.inner_text()
    for invoice in others:
        for text in invoice_texts(invoice):
            assert text not in shown, (text, rows)
    assert 'PARK' not in shown
    assert not page.js_errors
    assert not server_errors(server)


def test_all_business_units_user_sees_every_invoice(server, page):
    """Positive control of the list: admin, of all the business units, sees
    the invoices of PARK too.  The list is opened by URL as sao does for the
    customer invoices (admin has no Invoices menu, see casa_base's
    invoice.xml)."""
    data = server.data
    path = '/model/account.invoice;domain=' + urllib.parse.quote(
        json.dumps([['type', '=', 'out']]))
    login(page, server, 'admin', ADMIN_PASSWORD, path)
    _, rows = invoice_rows(page, [i['party'] for i in data['invoices']])

    assert len(rows) == len(data['invoices']), rows
    for invoice in data['invoices']:
        matching = [r for r in rows
            if all(t in r for t in invoice_texts(invoice))]
        assert len(matching) == 1, (invoice, rows)
    assert not page.js_errors
    assert not server_errors(server)
