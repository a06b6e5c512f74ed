# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The kiosk's batch endpoint ``POST api/passages/batch`` against a real
trytond (the ``server`` fixture of conftest.py), with the data set of
kiosk_api_data.py (added once: test_kiosk_api.py's if it ran before).

Each item is validated and recorded on its own and idempotently: a result
per item in the order sent, the good items stored whatever the bad ones,
the same batch twice stored once; a uuid of another gate is that item's
409; a request refused as a whole (too many items, not a list, bad key)
stores nothing; a key of one unit cannot reach the other's passages.
"""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_kiosk import server_config, subprocess_env
from test_kiosk_api import (
    Database, _anything, _passages, assert_refused, new_passage, request)

from trytond.modules.casa_access.routes import BATCH_MAX

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLES = int(os.environ.get('CASA_FUZZ_EXAMPLES', 200))
ROUTE = 'api/passages/batch'


@pytest.fixture(scope='module')
def api(server):
    """The data set of kiosk_api_data.py: added to the server's database,
    or read back from it when test_kiosk_api.py added it already"""
    config_file = server_config(server)
    db = Database(config_file, server.database)
    if not db.query(
            "SELECT id FROM res_user WHERE login = 'api_garde_park'"):
        process = subprocess.run([sys.executable,
                str(HERE / 'kiosk_api_data.py'),
                '--database', server.database, '--config', str(config_file)],
            cwd=ROOT, env=subprocess_env(config_file), capture_output=True,
            text=True, timeout=600)
        if process.returncode:
            pytest.fail("kiosk_api_data.py failed (exit %s):\n%s\n%s" % (
                    process.returncode, process.stdout[-3000:],
                    process.stderr[-6000:]), pytrace=False)
        data = json.loads(process.stdout.strip().splitlines()[-1])
    else:
        data = {'keys': {}, 'sites': {}, 'gates': {}, 'users': {}}
        for name, code in [('park', 'PARK9'), ('abt', 'ABT9')]:
            (key, gate, site, user), = db.query(
                "SELECT a.key, g.id, s.id, u.id "
                "FROM res_user_application a "
                "JOIN res_user u ON u.id = a.\"user\" "
                "JOIN casa_device d ON d.id = a.device "
                "JOIN casa_access_gate g ON g.id = d.gate "
                "JOIN casa_access_site s ON s.id = g.site "
                "WHERE a.application = 'casa_access' "
                "AND a.state = 'validated' AND a.valid_until IS NULL "
                "AND s.code = ? AND u.login = ?",
                (code, 'api_garde_' + name))
            data['keys'][name] = key
            data['gates'][name] = gate
            data['sites'][name] = site
            data['users'][name] = {'login': 'api_garde_' + name, 'id': user}
    data['db'] = db
    return data


def stored(api, uuids):
    "The uuids stored, of those given"
    uuids = list(uuids)
    if not uuids:
        return set()
    return {u for u, in api['db'].query(
            'SELECT uuid FROM casa_access_passage WHERE uuid IN (%s)'
            % ', '.join('?' * len(uuids)), uuids)}


def passages(api):
    return api['db'].counts()['casa_access_passage']


def send(server, key, items, **kwargs):
    return request(server, ROUTE, key, body={'passages': items}, **kwargs)


def test_mixed_batch(server, api):
    "Good and bad items: a result each, in order; the good ones stored"
    key = api['keys']['park']
    good = [
        new_passage(plate='11111-A-1'),
        new_passage(plate='777-X-7', vehicle_category='van'),
        new_passage(plate='11111A1', direction='out', offline=True,
            device_verdict='allowed'),
        ]
    items = [
        good[0],
        {'direction': 'in', 'plate': '1-A-1'},          # no uuid
        good[1],
        new_passage(plate=''),                          # no identifier
        'not an object',
        new_passage(plate='1-A-1', direction='sideways'),
        new_passage(plate='1-A-1', vehicle_category='rocket'),
        good[2],
        new_passage(plate='1-A-1', device_time='yesterday'),
        ]
    before = passages(api)
    status, ctype, data = send(server, key, items)
    assert status == 200, data
    assert ctype.startswith('application/json')
    results = data['results']
    assert [r['index'] for r in results] == list(range(len(items)))
    assert [r['status'] for r in results] == [
        201, 400, 201, 400, 400, 400, 400, 201, 400]
    assert [r.get('field') for r in results] == [
        None, 'uuid', None, 'plate', 'passages', 'direction',
        'vehicle_category', None, 'device_time']
    for result in results:
        if result['status'] >= 400:
            assert result['error'] and result['message'], result
            assert 'passage' not in result
        else:
            assert result['created'] is True
            assert result['passage']['uuid'] == result['uuid']
    assert results[5]['uuid'] == items[5]['uuid']
    assert results[1]['uuid'] is None
    first, van, out = (results[0]['passage'], results[2]['passage'],
        results[7]['passage'])
    assert (first['verdict'], first['reason'], first['fee'],
        first['name']) == ('allowed', 'authorised', '5.00', "Abonné Test")
    assert (van['verdict'], van['reason'], van['fee']) == (
        'allowed', 'open_site', '10.00')
    assert (out['direction'], out['offline'], out['fee']) == (
        'out', True, '0.00')
    assert passages(api) == before + 3
    assert stored(api, [g['uuid'] for g in good]) == {
        g['uuid'] for g in good}
    # in French by default, Arabic asked
    assert 'plaque' in results[3]['message'].lower()
    status, _, data = send(server, key, [{'plate': '1-A-1'}], lang='ar')
    assert status == 200
    assert data['results'][0]['status'] == 400
    assert any('\u0600' <= c <= '\u06ff'
        for c in data['results'][0]['message'])


def test_same_batch_twice(server, api):
    key = api['keys']['park']
    items = [new_passage(plate='11111-A-1'),
        new_passage(plate='555-Y-5', direction='out')]
    # the same uuid twice in one batch: stored once, the second not created
    items.append(dict(items[0]))
    before = passages(api)
    status, _, first = send(server, key, items)
    assert status == 200, first
    assert [(r['status'], r['created']) for r in first['results']] == [
        (201, True), (201, True), (200, False)]
    assert first['results'][2]['passage']['id'] == (
        first['results'][0]['passage']['id'])
    assert passages(api) == before + 2
    status, _, again = send(server, key, items)
    assert status == 200, again
    assert [(r['status'], r['created']) for r in again['results']] == [
        (200, False)] * 3
    assert [r['passage'] for r in again['results']] == [
        first['results'][i]['passage'] for i in (0, 1, 0)]
    assert passages(api) == before + 2
    # and through the single endpoint: the same passage
    status, _, single = request(server, 'api/passages', key, body=items[1])
    assert (status, single['created'], single['passage']) == (
        200, False, first['results'][1]['passage'])


def test_uuid_of_another_gate(server, api):
    keys = api['keys']
    abt = new_passage(plate='22222-B-2')
    status, _, data = request(server, 'api/passages', keys['abt'], body=abt)
    assert status == 201, data
    before = passages(api)
    items = [new_passage(plate='11111-A-1'),
        dict(abt, plate='11111-A-1'),
        new_passage(plate='888-Z-8')]
    status, _, data = send(server, keys['park'], items)
    assert status == 200, data
    results = data['results']
    assert [r['status'] for r in results] == [201, 409, 201]
    assert (results[1]['error'], results[1]['field'], results[1]['uuid']) \
        == ('conflict', 'uuid', abt['uuid'])
    # nothing of ABT's passage is told
    assert 'passage' not in results[1]
    assert '22222' not in json.dumps(results[1])
    assert passages(api) == before + 2
    assert stored(api, [items[0]['uuid'], items[2]['uuid']]) == {
        items[0]['uuid'], items[2]['uuid']}
    # ABT's passage is unchanged
    assert api['db'].query(
        'SELECT gate, plate FROM casa_access_passage WHERE uuid = ?',
        (abt['uuid'],)) == [(api['gates']['abt'], '22222-B-2')]


def test_too_many(server, api):
    key = api['keys']['park']
    items = [new_passage(plate='11111-A-1') for _ in range(BATCH_MAX + 1)]
    before = passages(api)
    status, ctype, data = send(server, key, items)
    assert_refused(status, ctype, data, 413, 'too_large')
    assert data['field'] == 'passages'
    assert data['maximum'] == BATCH_MAX
    assert str(BATCH_MAX) in data['message']
    assert passages(api) == before
    assert not stored(api, [i['uuid'] for i in items[:50]])
    # the largest batch allowed goes through (its body above the 16 KiB
    # of the other routes)
    items = items[:BATCH_MAX]
    assert len(json.dumps({'passages': items})) > 16 * 1024
    status, _, data = send(server, key, items)
    assert status == 200, data
    assert {r['status'] for r in data['results']} == {201}
    assert passages(api) == before + BATCH_MAX


@pytest.mark.parametrize('body, field', [
        ({}, 'passages'),
        ({'passages': None}, 'passages'),
        ({'passages': 'x'}, 'passages'),
        ({'passages': {'uuid': str(uuid.uuid4())}}, 'passages'),
        ({'passages': 3}, 'passages'),
        ])
def test_not_a_list(server, api, body, field):
    before = passages(api)
    status, ctype, data = request(server, ROUTE, api['keys']['park'],
        body=body)
    assert_refused(status, ctype, data, 400)
    assert data['field'] == field
    assert passages(api) == before


def test_wrong_types(server, api):
    "Items of wrong types: each refused with its field, nothing stored"
    items = [
        new_passage(plate=12345),
        new_passage(plate='1-A-1', offline='yes'),
        new_passage(plate='1-A-1', uuid=42),
        new_passage(plate='1-A-1', device_time=20261129),
        new_passage(plate=['1-A-1']),
        None, [], 7,
        ]
    before = passages(api)
    status, _, data = send(server, api['keys']['park'], items)
    assert status == 200, data
    assert [(r['status'], r['field']) for r in data['results']] == [
        (400, 'plate'), (400, 'offline'), (400, 'uuid'),
        (400, 'device_time'), (400, 'plate'), (400, 'passages'),
        (400, 'passages'), (400, 'passages')]
    assert passages(api) == before
    # an empty batch: nothing to do
    status, _, data = send(server, api['keys']['park'], [])
    assert (status, data) == (200, {'results': []})


def test_refused_requests(server, api):
    "Kiosk-wide refusals stay request-level, nothing stored"
    items = [new_passage(plate='11111-A-1')]
    before = passages(api)
    status, ctype, data = send(server, None, items, source='127.0.9.1')
    assert_refused(status, ctype, data, 401)
    status, ctype, data = send(server, 'x' * 40, items, source='127.0.9.2')
    assert_refused(status, ctype, data, 401)
    status, ctype, data = request(server, ROUTE, api['keys']['park'],
        method='GET')
    assert_refused(status, ctype, data, 405)
    status, ctype, data = request(server, ROUTE, api['keys']['park'],
        raw=b'{"passages": [', content_type='application/json')
    assert_refused(status, ctype, data, 400, 'invalid_json')
    status, ctype, data = request(server, ROUTE, api['keys']['park'],
        raw=b'{"passages": []}', content_type='text/plain')
    assert_refused(status, ctype, data, 415)
    # beyond the body limit of the route
    status, ctype, data = request(server, ROUTE, api['keys']['park'],
        raw=b'{"passages": ["' + b'x' * (2 * 1024 * 1024) + b'"]}')
    assert_refused(status, ctype, data, 413)
    assert passages(api) == before
    assert not stored(api, [items[0]['uuid']])


def test_isolation(server, api):
    "A key of PARK cannot see nor touch ABT's passages through the batch"
    keys = api['keys']
    abt = [new_passage(plate='22222-B-2'), new_passage(plate='9-Q-9')]
    status, _, data = send(server, keys['abt'], abt)
    assert status == 200, data
    assert [r['status'] for r in data['results']] == [201, 201]
    abt_count = api['db'].query(
        'SELECT COUNT(*) FROM casa_access_passage WHERE site = ?',
        (api['sites']['abt'],))[0][0]
    # PARK's key sends ABT's uuids: 409 each, nothing told, nothing moved
    status, _, data = send(server, keys['park'],
        [dict(a, plate='11111-A-1') for a in abt])
    assert status == 200, data
    for result in data['results']:
        assert (result['status'], result['field']) == (409, 'uuid')
        assert 'passage' not in result
        assert '22222' not in json.dumps(result)
    assert api['db'].query(
        'SELECT COUNT(*) FROM casa_access_passage WHERE site = ?',
        (api['sites']['abt'],))[0][0] == abt_count
    assert api['db'].query(
        'SELECT DISTINCT gate FROM casa_access_passage WHERE uuid IN (?, ?)',
        tuple(a['uuid'] for a in abt)) == [(api['gates']['abt'],)]
    # ABT's own key gets them back as they are
    status, _, data = send(server, keys['abt'], abt)
    assert [(r['status'], r['passage']['plate']) for r in data['results']] \
        == [(200, '22222-B-2'), (200, '9-Q-9')]
    # and the passages recorded by PARK's batch are PARK's
    status, _, data = send(server, keys['park'],
        [new_passage(plate='22222-B-2')])
    passage = data['results'][0]['passage']
    assert (passage['verdict'], passage['reason']) == ('allowed',
        'open_site')
    assert api['db'].query(
        'SELECT site, business_unit FROM casa_access_passage '
        'WHERE id = ?', (passage['id'],))[0][0] == api['sites']['park']


_items = st.lists(st.one_of(_passages, _anything), max_size=6)
_batch = st.one_of(
    st.fixed_dictionaries({'passages': _items}),
    st.fixed_dictionaries({'passages': _anything}),
    st.dictionaries(st.sampled_from(['passages', 'passage', 'uuid']),
        st.one_of(_items, _anything), max_size=2),
    st.lists(_items, max_size=2))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck))
@given(body=_batch)
def test_fuzz_batch(server, api, body):
    "Never a 5xx, always JSON; a refused request stores nothing; a result"
    " per item, as many stored as created"
    key = api['keys']['park']
    before = passages(api)
    status, ctype, data = request(server, ROUTE, key, body=body)
    assert status < 500, (status, body, data)
    assert ctype.startswith('application/json'), (status, ctype)
    after = passages(api)
    if status >= 400:
        assert data['message'] and data['error'], data
        assert after == before, (body, status, data)
        return
    assert status == 200
    items = body['passages']
    results = data['results']
    assert [r['index'] for r in results] == list(range(len(items)))
    created = [r for r in results if r['status'] == 201]
    assert after - before == len(created), (body, data)
    for result in results:
        assert result['status'] in {200, 201, 400, 409}, result
        if result['status'] >= 400:
            assert result['error'] and result['message'] and result[
                'field'], result
        else:
            assert result['passage']['uuid'] == result['uuid']
    assert len({r['uuid'] for r in created}) == len(created)
