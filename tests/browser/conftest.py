# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Browser tests: headless Chromium driven by Playwright against a trytond
serving sao.

The ``server`` fixture builds, once for all the browser tests of the run, a
fresh database ``casa_browser_test`` (SQLite in a temporary directory, or
PostgreSQL when TRYTOND_DATABASE_URI=postgresql://...) with the modules of
addons/ (scripts/create_db.py) and the small data set of sao_data.py: units
ABT and PARK with one posted and one draft customer invoice each and an
analytic budget, and a manager of ABT only.  trytond serves it with sao on a
free port; everything Tryton runs in subprocesses, so that the pytest process
stays free for the unit tests.  The tests only read the data set: they share
it (and the server) to keep the run short.

The server gets its own configuration file, a copy of config/trytond.conf
with the database URI and path, the web address and root of the test: the
options of a configuration file win over the TRYTOND_* environment variables.

Tests marked ``browser`` are skipped when Chromium is missing.  Every test
using the ``page`` fixture leaves a screenshot of its page in
var/test-artifacts/ (<test name>.png, overwritten at each run) and, when it
fails, the page's HTML beside it.  The log of the server is copied there
too (trytond-browser-<backend>.log).
"""
import configparser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / 'var' / 'test-artifacts'
DATABASE = 'casa_browser_test'
ADMIN_PASSWORD = 'Casa-2026!'   # test database only
SAO_FILES = ['index.html', 'dist', 'images', 'sounds', 'locale']
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
    ]
# each step of the browser waits at most this long (milliseconds)
TIMEOUT = 30_000


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'browser: drives the web client sao in headless Chromium '
        '(skipped when Chromium is missing)')


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"browser test: no Chromium at {CHROMIUM} "
        "(scripts/ensure-browser.sh installs it)")
    for item in items:
        if item.get_closest_marker('browser'):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    "Keep each phase's report on the item, for the page fixture"
    report = yield
    setattr(item, 'rep_' + report.when, report)
    return report


def artifact_path(item, suffix):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r'[^\w.-]+', '_', item.name).strip('_')
    return ARTIFACTS / f'{name}{suffix}'


@pytest.fixture(scope='session')
def artifacts():
    "The directory of the screenshots and logs of the tests"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope='session')
def browser():
    from playwright.sync_api import expect, sync_playwright
    # the assertions wait as long as the steps
    expect.set_options(timeout=TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(request, browser):
    """A fresh page (own cookies and local storage) in French; its
    JavaScript errors are collected in page.js_errors, and the errors and
    warnings of its console (jQuery reports there the exceptions raised in
    its deferreds, which sao uses everywhere) in page.console_errors"""
    context = browser.new_context(
        locale='fr-FR', viewport={'width': 1400, 'height': 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))
    page.console_errors = []
    page.on('console', lambda message: message.type in {'error', 'warning'}
        and page.console_errors.append(f'{message.type}: {message.text}'))
    try:
        yield page
    finally:
        item = request.node
        failed = any(getattr(item, 'rep_' + when, None) is not None
            and getattr(item, 'rep_' + when).failed
            for when in ['setup', 'call'])
        try:
            page.screenshot(
                path=str(artifact_path(item, '.png')), full_page=True)
            html = artifact_path(item, '.html')
            if failed:
                html.write_text(page.content(), encoding='utf-8')
            else:
                html.unlink(missing_ok=True)
        finally:
            context.close()


def casa_modules():
    """The modules of the project, all activated as in `make demo`: the data
    set reuses the set-up of scripts/demo.py (chart of accounts...)"""
    return sorted(cfg.parent.name
        for cfg in (ROOT / 'addons').glob('casa_*/tryton.cfg'))


def backend_uri():
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    return uri if uri.startswith('postgresql') else 'sqlite://'


def drop_postgresql_database(uri, name):
    import psycopg
    with psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True
            ) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def web_root(tmp):
    """sao as assembled by `make setup` (with our translations of sao), or
    the same in tmp"""
    ours = ['en'] + [p.stem for p in (
            ROOT / 'addons' / 'casa_base' / 'locale_sao').glob('*.po')]
    for root in [os.environ.get('TRYTOND_WEB__ROOT'), ROOT / 'var' / 'sao']:
        if (root and (Path(root) / 'index.html').exists()
                and (Path(root) / 'custom.js').exists()
                and all((Path(root) / 'locale' / f'{lang}.json').exists()
                    for lang in ours)):
            return Path(root)
    sao = ROOT / 'node_modules' / 'tryton-sao'
    if not (sao / 'index.html').exists():
        pytest.fail("sao is not installed: run `make setup` (npm ci)")
    root = tmp / 'sao'
    root.mkdir()
    for name in SAO_FILES:
        if name != 'locale':
            (root / name).symlink_to(sao / name)
    locale = root / 'locale'
    locale.mkdir()
    for path in (sao / 'locale').iterdir():
        (locale / path.name).symlink_to(path)
    subprocess.run([sys.executable, ROOT / 'scripts' / 'tryton_locale.py',
            'sao-json', locale], check=True)
    (root / 'custom.js').symlink_to(
        ROOT / 'addons' / 'casa_base' / 'sao' / 'custom.js')
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
    "The trytond of the browser tests"

    database = DATABASE
    admin_password = ADMIN_PASSWORD

    def __init__(self, url, log, data):
        self.url = url
        self.log = log
        self.data = data

    def log_text(self):
        return self.log.read_text(encoding='utf-8', errors='replace')


@pytest.fixture(scope='session')
def server(artifacts):
    """trytond serving sao and the database with the data set, for all the
    browser tests of the run; stopped (and the database dropped) at the
    end"""
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
                '--modules', *casa_modules(), '--config', config_file],
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
