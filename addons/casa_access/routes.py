# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The gate kiosk: its page and its JSON API (see doc/api.rst).

Every API call is made by a kiosk key (``res.user.application`` of the
application ``casa_access``) that names the gatekeeper and the gate; the
gatekeeper's access rights and business units apply to everything read or
written.
"""
import datetime as dt
import functools
import os
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model.exceptions import SQLConstraintError
from trytond.modules.casa_base.identifier import recognise_identifiers
from trytond.modules.casa_base.localtime import local_today, utc_bounds
from trytond.modules.casa_base.http_api import (
    JSONError, get_amount, get_bool, get_choice, get_datetime, get_int,
    bound_device_time, get_str, get_uuid, json_api, key_contacts)
from trytond.modules.casa_base.routes import static_response
from trytond.tools import timezone as tz
from trytond.transaction import without_check_access
from trytond.wsgi import app

from . import kiosk
from .authorisation import IDENTIFIERS
from .res import APPLICATION
from .verdict import DEFAULT_TIMEZONE, decide, reason_text

STATIC = os.path.join(os.path.dirname(__file__), 'static')
PREFIX = '/<database_name>/casa/access'
DIRECTIONS = ('in', 'out')
VERDICTS = ('allowed', 'refused')
CENT = Decimal('0.01')
# authorisations expired since less than this are in the kiosk's cache
EXPIRED_KEPT = dt.timedelta(days=30)
# the passages of one request of api/passages/batch, and the size of its body
BATCH_MAX = 500
BATCH_MAX_SIZE = BATCH_MAX * 2 * 1024


@app.route(PREFIX + '/kiosk', methods=['GET'])
def kiosk_page(request, database_name):
    return _static(request, database_name, 'kiosk.html')


@app.route(PREFIX + '/static/<path:filename>', methods=['GET'])
def static(request, database_name, filename):
    return _static(request, database_name, filename)


def _static(request, database_name, filename):
    """A file of static/ or of its subdirectories (the kiosk's ES modules
    in static/kiosk/), as casa_base serves its toolkit: JavaScript as
    text/javascript, revalidated at each load; a path leaving static/ is a
    JSON 404"""
    response = static_response(request, STATIC, filename)
    if filename == 'sw.js':
        # the service worker keeps the kiosk page, above static/
        response.headers['Service-Worker-Allowed'] = (
            '/%s/casa/access/' % database_name)
    return response


API_ROUTES = {
    'session': {'GET'},
    'check': {'POST'},
    'passages': {'GET', 'POST'},
    'passages/batch': {'POST'},
    'shift/open': {'POST'},
    'shift/close': {'POST'},
    'occupancy': {'GET'},
    'cache': {'GET'},
    }


@app.route(PREFIX + '/api/<path:rest>',
    methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
def api_fallback(request, database_name, rest):
    "Unknown routes and methods of the API answer in JSON too"
    if rest in API_ROUTES:
        raise JSONError(405, 'method_not_allowed', 'Method Not Allowed: %s'
            % ', '.join(sorted(API_ROUTES[rest])))
    raise JSONError(404, 'not_found', 'Not Found')


def _utc_offset(gate):
    "Minutes east of UTC of the site's time zone, now"
    zone = tz.ZoneInfo(gate.timezone or DEFAULT_TIMEZONE)
    offset = dt.datetime.now(dt.timezone.utc).astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60)


def _money(amount):
    "An amount of money as the API gives it: a string with 2 decimals"
    if amount is None:
        return None
    return str(Decimal(amount).quantize(CENT))


def _identifiers(payload):
    identifiers = {i: get_str(payload, i, max_length=32)
        for i in IDENTIFIERS}
    identifiers = {i: v.strip() for i, v in identifiers.items()
        if v and v.strip()}
    if not identifiers:
        raise JSONError(400, 'missing_field', gettext(
                'casa_access.msg_http_no_identifier'), field='plate')
    # a badge or a CIN typed in the plate's field is a badge or a CIN
    return recognise_identifiers(identifiers)


def _vehicle_category(payload):
    "The id of the vehicle category of the code given, if any"
    code = get_str(payload, 'vehicle_category', max_length=32)
    if not code:
        return None
    categories = kiosk.vehicle_categories()
    if code not in categories:
        raise JSONError(400, 'unknown_value', gettext(
                'casa_access.msg_http_unknown_vehicle_category',
                code=code), field='vehicle_category')
    return categories[code]


def _shift_data(shift):
    if not shift:
        return None
    return {
        'id': shift.id,
        'number': shift.number,
        'state': shift.state,
        'opened_at': shift.opened_at,
        'closed_at': shift.closed_at,
        'passages': shift.passage_count,
        'expected_amount': _money(shift.expected_amount),
        'declared_amount': _money(shift.declared_amount),
        'difference': _money(shift.difference),
        }


def _passage_data(passage, texts=None):
    """The dict of Passage.record or find_uuid, as the kiosk reads it;
    texts keeps the reasons' sentences for the next passages"""
    category = passage['category']
    reason = passage['reason']
    if texts is None:
        text = reason_text(reason)
    elif reason in texts:
        text = texts[reason]
    else:
        text = texts[reason] = reason_text(reason)
    if isinstance(category, int):
        category = kiosk.category(category)
    return {
        'id': passage['id'],
        'uuid': passage['uuid'],
        'timestamp': passage['timestamp'],
        'device_time': passage['device_time'],
        'direction': passage['direction'],
        'plate': passage['plate'],
        'badge': passage['badge'],
        'cin': passage['cin'],
        'name': passage['name'],
        'category': category.code if category else None,
        'category_name': category.name if category else None,
        'verdict': passage['verdict'],
        'reason': passage['reason'],
        'reason_text': text,
        'fee': _money(passage['fee']),
        'offline': bool(passage['offline']),
        'judged_at': passage['judged_at'],
        'reception_verdict': passage['reception_verdict'],
        'verdict_differs': bool(passage['verdict_differs']),
        }


@app.route(PREFIX + '/api/session', methods=['GET'])
@json_api(APPLICATION)
def session(request, pool, application, payload):
    Shift = pool.get('casa.access.shift')
    VehicleCategory = pool.get('casa.access.vehicle_category')
    gate = kiosk.kiosk_gate(application)
    return {
        'gate': {
            'id': gate.id, 'code': gate.code, 'name': gate.name,
            'direction': gate.direction,
            },
        'site': {
            'id': gate.site_id, 'code': gate.site_code,
            'name': gate.site_name, 'capacity': gate.capacity,
            'admission': gate.admission,
            },
        'business_unit': {
            'code': gate.business_unit_code,
            'name': gate.business_unit_name,
            },
        'gatekeeper': {
            'id': application.user_id, 'name': application.user.name,
            },
        'shift': _shift_data(Shift.current(gate)),
        'currency': gate.currency,
        'vehicle_categories': [
            {'code': c.code, 'name': c.name}
            for c in VehicleCategory.search([])],
        'server_time': dt.datetime.now(),
        'utc_offset': _utc_offset(gate),
        }


@app.route(PREFIX + '/api/check', methods=['POST'])
@json_api(APPLICATION)
def check(request, pool, application, payload):
    Authorisation = pool.get('casa.access.authorisation')
    Blacklist = pool.get('casa.access.blacklist')
    gate = kiosk.kiosk_gate(application)
    direction = get_choice(payload, 'direction', DIRECTIONS, default='in')
    identifiers = _identifiers(payload)
    vehicle_category = _vehicle_category(payload)
    verdict = decide(gate, direction, identifiers, vehicle_category)
    blacklist_reason = None
    if verdict.blacklist:
        with without_check_access():
            blacklist_reason = Blacklist(verdict.blacklist).reason
    who = None
    if verdict.authorisation:
        authorisation = Authorisation(verdict.authorisation)
        who = {
            'name': authorisation.name,
            'category': authorisation.category.code,
            'category_name': authorisation.category.name,
            'plate': authorisation.plate,
            'badge': authorisation.badge,
            }
    vehicles = {i: c for c, i in kiosk.vehicle_categories().items()}
    return {
        'verdict': verdict.verdict,
        'reason': verdict.reason,
        'reason_text': verdict.reason_text,
        'detail': blacklist_reason,
        'who': who,
        'authorisation': verdict.authorisation,
        'vehicle_category': vehicles.get(verdict.vehicle_category),
        'fee': _money(verdict.fee),
        'currency': gate.currency,
        }


def _passage_event(payload, contacts, now):
    """The keywords of Passage.record for the passage of the payload (the
    body of POST api/passages, an item of api/passages/batch); contacts()
    returns (last contact, outage start, outage end) of the key, read
    only for a passage recorded offline"""
    uuid = get_uuid(payload, 'uuid')
    direction = get_choice(payload, 'direction', DIRECTIONS, required=True)
    identifiers = _identifiers(payload)
    vehicle_category = _vehicle_category(payload)
    device_time = get_datetime(payload, 'device_time')
    offline = get_bool(payload, 'offline')
    device_verdict = get_choice(payload, 'device_verdict', VERDICTS)
    decided_at = now
    if offline and device_time:
        decided_at = bound_device_time(device_time, now, *contacts())
    return {
        'uuid': uuid,
        'direction': direction,
        'identifiers': identifiers,
        'vehicle_category': vehicle_category,
        'device_time': device_time,
        'offline': offline,
        'device_verdict': device_verdict,
        'decided_at': decided_at,
        }


def _contacts(application):
    "A function reading the contacts of the key once, when first called"
    return functools.cache(lambda: key_contacts(application))


def _other_gate(uuid):
    "The refusal of a UUID of another gate: it tells nothing of it"
    return JSONError(409, 'conflict', gettext(
            'casa_access.msg_http_uuid_other_gate', uuid=uuid), field='uuid')


@app.route(PREFIX + '/api/passages', methods=['POST'])
@json_api(APPLICATION)
def record_passage(request, pool, application, payload):
    Passage = pool.get('casa.access.passage')
    gate = kiosk.kiosk_gate(application)
    now = dt.datetime.now()
    event = _passage_event(payload, _contacts(application), now)
    # before the insert: a refused insert aborts a PostgreSQL transaction
    uuid_taken = gettext('casa_access.msg_passage_uuid_unique')
    try:
        passage, created = Passage.record(
            gate, application.user_id, now=now, **event)
    except SQLConstraintError:
        raise JSONError(409, 'conflict', uuid_taken, field='uuid')
    if passage['gate'] != gate.id:
        raise _other_gate(event['uuid'])
    return (201 if created else 200), {
        'created': created, 'passage': _passage_data(passage)}


@app.route(PREFIX + '/api/passages/batch', methods=['POST'])
@json_api(APPLICATION, max_size=BATCH_MAX_SIZE)
def record_passages(request, pool, application, payload):
    """Many passages queued by the kiosk, each validated and recorded on
    its own (idempotent by its uuid): a result per item, in the order
    sent; a bad item is refused alone, the others are stored"""
    Passage = pool.get('casa.access.passage')
    gate = kiosk.kiosk_gate(application)
    items = payload.get('passages')
    if items is None:
        raise JSONError(400, 'missing_field', gettext(
                'casa_base.msg_http_missing_field', field='passages'),
            field='passages')
    if not isinstance(items, list):
        raise JSONError(400, 'invalid_field', gettext(
                'casa_access.msg_http_batch_not_list', field='passages'),
            field='passages')
    if len(items) > BATCH_MAX:
        raise JSONError(413, 'too_large', gettext(
                'casa_access.msg_http_batch_too_many', maximum=BATCH_MAX),
            field='passages', maximum=BATCH_MAX)
    now = dt.datetime.now()
    contacts = _contacts(application)
    results, events = [None] * len(items), []
    for index, item in enumerate(items):
        uuid = None
        try:
            if not isinstance(item, dict):
                raise JSONError(400, 'invalid_field', gettext(
                        'casa_access.msg_http_batch_not_object',
                        index=index), field='passages')
            uuid = item.get('uuid') if isinstance(
                item.get('uuid'), str) else None
            event = _passage_event(item, contacts, now)
        except JSONError as error:
            body = error.body()
            del body['status']
            results[index] = {
                'index': index, 'uuid': uuid, 'status': error.code,
                **body}
            continue
        events.append((index, event))
    recorded = Passage.record_many(
        gate, application.user_id, [e for _, e in events], now=now)
    texts = {}
    for (index, event), (passage, created) in zip(events, recorded):
        if passage['gate'] != gate.id:
            error = _other_gate(event['uuid'])
            results[index] = {
                'index': index, 'uuid': event['uuid'], 'status': 409,
                'error': error.error, 'message': error.description,
                'field': 'uuid'}
        else:
            results[index] = {
                'index': index, 'uuid': event['uuid'],
                'status': 201 if created else 200, 'created': created,
                'passage': _passage_data(passage, texts)}
    return {'results': results}


@app.route(PREFIX + '/api/passages', methods=['GET'])
@json_api(APPLICATION)
def passages(request, pool, application, payload):
    Passage = pool.get('casa.access.passage')
    gate = kiosk.kiosk_gate(application)
    limit = get_int(
        request.args, 'limit', default=50, minimum=1, maximum=200)
    # today in Casablanca, not in UTC (from 00:00 local)
    today, _ = utc_bounds(local_today())
    records = Passage.search([
            ('gate', '=', gate.id),
            ('timestamp', '>=', today),
            ], limit=limit, order=[('timestamp', 'DESC'), ('id', 'DESC')])
    return {'passages': [_passage_data({
                    c: getattr(p, c) for c in Passage._kiosk_columns
                    if c not in {'gate', 'category', 'shift'}} | {
                    'category': p.category.id if p.category else None})
            for p in records]}


@app.route(PREFIX + '/api/shift/open', methods=['POST'])
@json_api(APPLICATION)
def shift_open(request, pool, application, payload):
    Shift = pool.get('casa.access.shift')
    Gate = pool.get('casa.access.gate')
    gate = kiosk.kiosk_gate(application)
    # a shift already open (or opened meanwhile) is a 409: ShiftStateError
    shift = Shift.open_on(Gate(gate.id), application.user)
    return 201, {'shift': _shift_data(shift)}


@app.route(PREFIX + '/api/shift/close', methods=['POST'])
@json_api(APPLICATION)
def shift_close(request, pool, application, payload):
    Shift = pool.get('casa.access.shift')
    gate = kiosk.kiosk_gate(application)
    declared = get_amount(payload, 'declared_amount', required=True)
    note = get_str(payload, 'note', max_length=1000)
    shift = Shift.current(gate)
    if not shift:
        raise JSONError(409, 'conflict', gettext(
                'casa_access.msg_shift_none_open', gate=gate.rec_name))
    # closed by a simultaneous request since current() was read: a 409
    shift.close(declared, note)
    return {'shift': _shift_data(Shift(shift.id))}


@app.route(PREFIX + '/api/occupancy', methods=['GET'])
@json_api(APPLICATION)
def occupancy(request, pool, application, payload):
    Occupancy = pool.get('casa.access.occupancy')
    gate = kiosk.kiosk_gate(application)
    rows = Occupancy.search([('site', '=', gate.site_id)])
    return {
        'site': {
            'code': gate.site_code, 'name': gate.site_name,
            'capacity': gate.capacity},
        'inside': sum(r.inside for r in rows),
        'by_category': [{
                'code': r.category.code if r.category else None,
                'name': r.category.name if r.category else None,
                'count': r.inside,
                } for r in rows],
        }


@app.route(PREFIX + '/api/cache', methods=['GET'])
@json_api(APPLICATION)
def cache(request, pool, application, payload):
    Authorisation = pool.get('casa.access.authorisation')
    Blacklist = pool.get('casa.access.blacklist')
    Tariff = pool.get('casa.access.tariff')
    Category = pool.get('casa.access.category')
    gate = kiosk.kiosk_gate(application)
    site = pool.get('casa.access.site')(gate.site_id)
    today = local_today()
    tariffs = {}
    for tariff in Tariff.search([
                ('site', '=', site.id),
                ('start_date', '<=', today),
                ['OR', ('end_date', '=', None), ('end_date', '>=', today)],
                ]):
        tariffs[tariff.vehicle_category.code] = _money(tariff.amount)
    authorisations = []
    # recently expired ones too: offline, the kiosk says 'expired', not
    # 'unknown' (nor 'open_site' on a site open to the public)
    for authorisation in Authorisation.search([
                ('sites', '=', site.id),
                ['OR', ('end_date', '=', None),
                    ('end_date', '>=', today - EXPIRED_KEPT)],
                ]):
        vehicle = authorisation.vehicle_category
        fee = (tariffs.get(vehicle.code) if vehicle
            and not authorisation.category.fee_exempt else None)
        authorisations.append({
                'id': authorisation.id,
                'name': authorisation.name,
                'category': authorisation.category.code,
                'category_name': authorisation.category.name,
                'vehicle_category': vehicle.code if vehicle else None,
                'plate': authorisation.plate_key,
                'badge': authorisation.badge_key,
                'cin': authorisation.cin_key,
                'valid_from': authorisation.start_date,
                'valid_to': authorisation.end_date,
                'windows': [{
                        'weekday': (int(w.weekday)
                            if w.weekday is not None else None),
                        'start': w.start_time.strftime('%H:%M:%S'),
                        'end': w.end_time.strftime('%H:%M:%S'),
                        } for w in authorisation.windows],
                'fee': _money(fee or 0),
                })
    blacklist = [{
            'kind': entry.kind,
            'value': entry.key,
            'reason': entry.reason,
            'until': entry.until,
            } for entry in Blacklist.search([
                ('company', '=', site.company.id),
                ['OR', ('until', '=', None), ('until', '>=', today)],
                ])]
    exempt = Category.search([('fee_exempt', '=', True)])
    return {
        'generated_at': dt.datetime.now(),
        'utc_offset': _utc_offset(gate),
        'site_id': site.id,
        'admission': site.admission,
        'gate_direction': gate.direction,
        'authorisations': authorisations,
        'blacklist': blacklist,
        'tariffs': [
            {'vehicle_category': c, 'amount': a}
            for c, a in sorted(tariffs.items())],
        'fee_exempt_categories': [c.code for c in exempt],
        }


