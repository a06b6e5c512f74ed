# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""casa_base's route of the offline page toolkit
(``/<db>/casa/base/static/<path>``, doc/offline.rst) against a real
trytond (the ``server`` fixture of conftest.py): the ES modules as
text/javascript, revalidated at each load, and nothing outside
``static/``, however the path is written."""
import http.client
import json
import posixpath
import re
import urllib.parse
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = ROOT / 'addons' / 'casa_base' / 'static' / 'offline'
MODULES = ['storage.js', 'outbox.js', 'sync.js', 'refdata.js', 'i18n.js',
    'page.js', 'http.js', 'export.js', 'sw-helper.js']


def get(server, path, headers=None):
    "GET of the path as written (no normalisation): (status, headers, body)"
    url = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request('GET', path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def test_toolkit_modules_served(server):
    "Each module of the toolkit, as JavaScript, revalidated at each load"
    for name in MODULES:
        status, headers, body = get(server,
            f'/{server.database}/casa/base/static/offline/{name}')
        assert status == 200, (name, status)
        assert headers['Content-Type'] == 'text/javascript; charset=utf-8'
        assert headers['Cache-Control'] == 'no-cache'
        assert headers['X-Content-Type-Options'] == 'nosniff'
        assert body == (OFFLINE / name).read_bytes()
        # revalidated: not sent again when unchanged
        etag = headers['ETag']
        assert etag
        status, _, body = get(server,
            f'/{server.database}/casa/base/static/offline/{name}',
            {'If-None-Match': etag})
        assert (status, body) == (304, b''), name


@pytest.mark.parametrize('path', [
        'offline/../../routes.py',
        '../routes.py',
        '..%2froutes.py',
        'offline/..%2f..%2f__init__.py',
        '%2e%2e/%2e%2e/tryton.cfg',
        'offline/%2e%2e%2f%2e%2e%2froutes.py',
        '..\\routes.py',
        'offline\\..\\..\\routes.py',
        '/etc/passwd',
        '%2fetc%2fpasswd',
        'offline/nothing.js',
        'offline/',
        'offline/storage.js%00.png',
        ])
def test_toolkit_path_traversal(server, path):
    "Nothing outside static/ nor missing: a JSON 404"
    base = f'/{server.database}/casa/base/static/'
    status, headers, body = get(server, base + path)
    if status == 308:
        # a double slash merged by werkzeug: redirected inside static/
        location = urllib.parse.urlsplit(headers['Location']).path
        assert location.startswith(base), (path, location)
        status, headers, body = get(server, location)
    assert status == 404, (path, status, body[:200])
    assert headers['Content-Type'].startswith('application/json'), path
    assert json.loads(body)['error'] == 'not_found'
    assert b'import' not in body and b'trytond' not in body


def test_kiosk_page_uses_toolkit(server):
    """The kiosk's page loads its entry module (static/kiosk/main.js),
    which imports, directly or not, every module of static/kiosk/ and the
    toolkit's modules at the URLs casa_base serves; its service worker
    lists every one of those files, each served"""
    kiosk = ROOT / 'addons' / 'casa_access' / 'static'
    html = (kiosk / 'kiosk.html').read_text(encoding='utf-8')
    assert '<script type="module" src="static/kiosk/main.js">' in html
    worker = (kiosk / 'sw.js').read_text(encoding='utf-8')
    access = f'/{server.database}/casa/access/'
    # the modules imported from main.js, as the browser resolves them
    imported, todo = set(), [access + 'static/kiosk/main.js']
    while todo:
        url = todo.pop()
        if url in imported:
            continue
        imported.add(url)
        assert url.startswith(access + 'static/kiosk/') and (
            url.endswith('.js')), url
        status, headers, body = get(server, url)
        assert status == 200, (url, status)
        assert headers['Content-Type'] == 'text/javascript; charset=utf-8'
        assert headers['Cache-Control'] == 'no-cache'
        script = body.decode('utf-8')
        assert script == (kiosk / url[len(access + 'static/'):]).read_text(
            encoding='utf-8'), url
        for path in re.findall(
                r"^import\s[^;]*?from\s+'([^']+)';", script, re.M | re.S):
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(url), path))
            if '/casa/base/static/offline/' in target:
                name = target.rsplit('/', 1)[1]
                assert target == (
                    f'/{server.database}/casa/base/static/offline/{name}'), (
                    url, path)
                imported.add(target)
            else:
                todo.append(target)
    modules = {f'{access}static/kiosk/{p.name}'
        for p in (kiosk / 'kiosk').glob('*.js')}
    # every module of static/kiosk/ is used, and listed by the worker
    assert {u for u in imported if '/casa/access/' in u} == modules
    for url in modules:
        assert f"'{url[len(access):]}'" in worker, url
    # the toolkit's modules imported are listed by the worker, and served
    toolkit = {u.rsplit('/', 1)[1] for u in imported if '/casa/base/' in u}
    assert toolkit == set(MODULES[:-1])
    for name in toolkit:
        assert f"'{name}'" in worker, name
        status, _, _ = get(server,
            f'/{server.database}/casa/base/static/offline/{name}')
        assert status == 200, name
    assert "importScripts('../../base/static/offline/sw-helper.js')" in (
        worker)
    # what runs when a module loads needs only config.js and state.js,
    # which import no module of the kiosk but config.js (doc/kiosk.rst)
    for name, allowed in [('config.js', set()), ('state.js', {'./config.js'})]:
        script = (kiosk / 'kiosk' / name).read_text(encoding='utf-8')
        local = set(re.findall(r"from\s+'(\./[^']+)'", script))
        assert local == allowed, (name, local)
