# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The pattern of every HTTP API of the product (kiosk, portal).

A route is declared as::

    @app.route('/<database_name>/casa/<module>/api/<name>', methods=['POST'])
    @json_api('casa_access', max_size=16 * 1024)
    def name(request, pool, application, payload):
        ...
        return {...}                     # 200, or (201, {...})

``json_api`` opens the pool and a transaction (read-only for GET), checks
the user-application key of the ``Authorization: Bearer`` header, parses the
JSON body, runs the function as the key's user with the access rights
checked, in the language asked by ``Accept-Language``, and turns every
refusal into a 4xx with a JSON body (a ``UserError`` is a 400, or the status
of its ``http_status`` attribute, e.g. 409 for a conflict)::

    {"status": 400, "error": "invalid_field", "field": "uuid",
     "message": "<translated sentence>"}

Any refusal raises an ``HTTPException`` through the transaction, so it is
rolled back: nothing is stored from a refused request.
"""
import datetime as dt
import json
import logging
import random
import re
import time
import uuid
from decimal import Decimal, InvalidOperation
from collections import namedtuple
from functools import wraps
from http import HTTPStatus

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from sql import Null
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.cache import Cache
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.protocols.wrappers import (
    Response, set_max_request_size, with_pool, with_transaction)
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, check_access, without_check_access)

logger = logging.getLogger(__name__)

LANGUAGES = ('fr', 'ar', 'en')
DEFAULT_LANGUAGE = 'fr'
# arrays and objects nested deeper in a body are refused
MAX_DEPTH = 16
# the contact of a key: its requests' server time is noted at most this
# often; a silence longer than SILENCE is an outage (the kiosk asks every
# 15 seconds when it is online)
CONTACT_STEP = dt.timedelta(seconds=30)
SILENCE = dt.timedelta(minutes=2)
# the device's clock may be this far from the server's
CLOCK_SKEW = dt.timedelta(minutes=5)
# an event recorded offline is judged at its time at most this far back
OFFLINE_KEPT = dt.timedelta(days=1)
# a request whose transaction cannot start (a table it must lock is locked
# by a simultaneous request) is tried again BUSY_RETRIES times, waiting
# BUSY_WAIT seconds, then twice as long each time (at most 1 s)
BUSY_RETRIES = 8
BUSY_WAIT = 0.05


class JSONError(HTTPException):
    "An HTTP refusal whose body is a JSON object"

    def __init__(self, status, error, message, headers=None, **extra):
        super().__init__(description=message)
        self.code = int(status)
        self.error = error
        self.extra = extra
        self.headers = headers or {}

    def body(self):
        return {
            'status': self.code,
            'error': self.error,
            'message': self.description,
            **self.extra,
            }

    def get_body(self, environ=None, scope=None):
        return json.dumps(self.body(), ensure_ascii=False)

    def get_headers(self, environ=None, scope=None):
        return [('Content-Type', 'application/json; charset=utf-8'),
            *self.headers.items()]


def json_response(data, status=HTTPStatus.OK):
    return Response(
        json.dumps(data, ensure_ascii=False, default=_encode),
        status=int(status), content_type='application/json; charset=utf-8')


def _encode(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value)} is not JSON serializable")


def request_language(request):
    "The language of the messages: ?lang= or Accept-Language, else French"
    lang = request.args.get('lang')
    if lang in LANGUAGES:
        return lang
    for value, _ in request.accept_languages:
        code = value.split('-')[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


_HTTP_ERRORS = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'too_large',
    415: 'unsupported_media_type',
    429: 'too_many_requests',
    503: 'unavailable',
    }


def _as_json_error(exception):
    "Any werkzeug HTTPException as a JSONError"
    if isinstance(exception, JSONError):
        return exception
    code = exception.code or 500
    return JSONError(
        code, _HTTP_ERRORS.get(code, 'error'),
        exception.description or HTTPStatus(code).phrase)


def json_api(application_name, max_size=16 * 1024, readonly=None,
        kinds=None):
    """Decorate a route function ``func(request, pool, application, payload,
    **view_args)`` as a JSON API authenticated by a user-application key of
    ``application_name``.

    When devices of some kinds have keys of the application (``casa.device``
    ``_kinds``), the key must be the key of an active device of one of them,
    or of one of ``kinds`` when given (a route taking the keys of some of the
    application's kinds only); see doc/devices.rst"""
    def decorator(func):
        @wraps(func)
        def authenticated(request, pool, *args, **kwargs):
            # the function gets the ApiKey (id, user_id, company_id) of the
            # request as ``application``
            transaction = Transaction()
            language = request_language(request)
            with transaction.set_context(language=language):
                application = _check_key(
                    request, pool, application_name, kinds)
                _note_contact(pool, application.id)
                payload = _parse_payload(request)
                with transaction.set_user(application.user_id), \
                        transaction.set_context(
                            language=language,
                            company=application.company_id), \
                        check_access():
                    try:
                        result = func(
                            request, pool, application, payload,
                            *args, **kwargs)
                    except AccessError as e:
                        raise JSONError(403, 'forbidden', e.message)
                    except (UserError, UserWarning) as e:
                        status = getattr(e, 'http_status', 400)
                        raise JSONError(status, 'invalid' if status == 400
                            else _HTTP_ERRORS.get(status, 'error'),
                            e.message)
            status = HTTPStatus.OK
            if isinstance(result, tuple):
                status, result = result
            if isinstance(result, Response):
                return result
            return json_response(result, status)

        def guarded(request, pool, *args, **kwargs):
            """Between the pool and the transaction: the refusals go out as
            they are, anything else becomes a JSON 503 or 500 (with_pool
            would answer an HTML page or mistake the JSON body for RPC).

            A transaction that must lock a table (e.g. the journal periods
            of a posting) and finds it locked by a simultaneous request
            fails at its start, outside trytond's own retries: it is tried
            again a few times, waiting longer each time, before the 503"""
            for attempt in range(BUSY_RETRIES + 1):
                try:
                    return with_transaction(readonly=readonly)(
                        authenticated)(request, pool, *args, **kwargs)
                except HTTPException:
                    raise
                except backend.DatabaseOperationalError:
                    if attempt < BUSY_RETRIES:
                        time.sleep(min(BUSY_WAIT * 2 ** attempt, 1)
                            * random.uniform(0.5, 1.5))
                        continue
                    logger.warning("Database busy for %s", request.path,
                        exc_info=True)
                    raise JSONError(503, 'unavailable', _outside_gettext(
                            request, pool, 'casa_base.msg_http_unavailable',
                            "The server is busy: try again in a moment."))
                except Exception:
                    logger.exception("Unexpected error in %s", request.path)
                    raise JSONError(
                        500, 'error', HTTPStatus.INTERNAL_SERVER_ERROR.phrase)

        transactional = with_pool(guarded)

        @wraps(func)
        def endpoint(request, *args, **kwargs):
            try:
                return transactional(request, *args, **kwargs)
            except HTTPException as e:
                return _as_json_error(e)
        return set_max_request_size(max_size)(endpoint)
    return decorator


class ApiKey(namedtuple('ApiKey',
            ['id', 'user_id', 'company_id', 'device_id', 'device_kind'],
            defaults=(None, None))):
    "The user-application key of a request, and its device"
    __slots__ = ()

    @property
    def device(self):
        if self.device_id is not None:
            return Pool().get('casa.device')(self.device_id)

    @property
    def user(self):
        return Pool().get('res.user')(self.user_id)


# token -> (id, user, company, valid until, device, its kind, refusal): a key
# is read once per worker until it, its user or its device changes (see
# on_modification of res.UserApplication, res.User and device.Device)
_keys = Cache(__name__ + '.key', context=False, duration=300)


def clear_key_cache():
    _keys.clear()


def _outside_gettext(request, pool, message_id, default):
    "The message in the request's language, after its transaction ended"
    try:
        with Transaction().start(pool.database_name, 0, readonly=True,
                context={'language': request_language(request)}):
            return gettext(message_id)
    except Exception:
        return default


def _check_key(request, pool, application_name, kinds=None):
    """The ApiKey of the request's key; a network whose last refused keys
    are too many is not told whether the key is right (429)"""
    UserApplication = pool.get('res.user.application')
    Attempt = pool.get('res.user.application.attempt')
    authorization = request.authorization
    token = None
    if authorization is not None:
        if authorization.type == 'bearer':
            token = getattr(authorization, 'token', None)
        elif authorization.type == 'basic':
            token = authorization.get('password')
    if not token:
        raise JSONError(401, 'unauthorized', gettext(
                'casa_base.msg_http_key_missing'))
    # before anything tells whether the key is right (the cache included)
    wait = Attempt.wait()
    if wait:
        raise JSONError(429, 'too_many_requests', gettext(
                'casa_base.msg_http_too_many_attempts', seconds=wait),
            headers={'Retry-After': str(wait)}, retry_after=wait)
    if len(token) > 256:
        _refuse_key(pool, 'casa_base.msg_http_key_invalid')
    cache_key = (application_name, token)
    cached = _keys.get(cache_key)
    if cached is None:
        application = UserApplication.check(token, application_name)
        if not application or not application.user \
                or not application.user.active:
            _refuse_key(pool, 'casa_base.msg_http_key_invalid')
        user = application.user
        device = application.device
        cached = _keys.set(cache_key, (
                application.id, user.id,
                user.company.id if user.company else None,
                application.valid_until,
                device.id if device else None,
                device.kind if device else None,
                _device_refusal(pool, application)))
    (application_id, user_id, company_id, valid_until, device_id, kind,
        refusal) = cached
    if valid_until and valid_until < dt.datetime.now():
        _refuse_key(pool, 'casa_base.msg_http_key_expired')
    if refusal:
        # the key is right: its network is not counted against
        raise JSONError(401, 'unauthorized', gettext(refusal))
    if kinds is not None and device_id is not None and kind not in kinds:
        raise JSONError(401, 'unauthorized', gettext(
                'casa_base.msg_http_device_kind'))
    return ApiKey(application_id, user_id, company_id, device_id, kind)


def _device_refusal(pool, application):
    """The message of the refusal of a right key for its device, or None:
    a key of an application of devices without a device, of an archived
    device, of a device of another kind, or whose user may no longer hold
    it (e.g. made an administrator, or no longer of the device's unit)"""
    Device = pool.get('casa.device')
    device = application.device
    if not device:
        if Device.application_kinds(application.application):
            return 'casa_base.msg_http_key_no_device'
        return None
    if not device.active:
        return 'casa_base.msg_http_device_inactive'
    if Device.kind_application(device.kind) != application.application:
        return 'casa_base.msg_http_device_kind'
    try:
        application.check_device()
    except UserError:
        return 'casa_base.msg_http_key_binding'
    return None


def _refuse_key(pool, message_id):
    """Refuse the request's key (401), counting the refusal against its
    network in a transaction of its own: the request's is rolled back"""
    Attempt = pool.get('res.user.application.attempt')
    message = gettext(message_id)
    try:
        with Transaction().new_transaction(), without_check_access():
            Attempt.add()
    except backend.DatabaseOperationalError:
        logger.warning("Refused key not counted", exc_info=True)
    raise JSONError(401, 'unauthorized', message)


# (database, key id) -> when this process last noted the key's contact
_contacts = {}


def _note_contact(pool, key_id):
    """Note the server time of the key's request (at most every
    CONTACT_STEP, in a transaction of its own): after a silence longer than
    SILENCE, its last contact before and its first contact after are the
    key's latest outage"""
    now = dt.datetime.now()
    noted = (Transaction().database.name, key_id)
    if now - _contacts.get(noted, dt.datetime.min) < CONTACT_STEP:
        return
    _contacts[noted] = now
    table = pool.get('res.user.application').__table__()
    silent = (table.last_contact == Null) | (
        table.last_contact < now - SILENCE)
    try:
        with Transaction().new_transaction() as transaction:
            transaction.connection.cursor().execute(*table.update(
                    [table.outage_start, table.outage_end,
                        table.last_contact],
                    [Case((silent, Coalesce(table.last_contact, now)),
                            else_=table.outage_start),
                        Case((silent, now), else_=table.outage_end),
                        now],
                    where=(table.id == key_id)
                    & ((table.last_contact == Null)
                        | (table.last_contact < now - CONTACT_STEP))))
    except backend.DatabaseOperationalError:
        # another process notes it at the same time
        logger.debug("Contact of key %s not noted", key_id, exc_info=True)


def offline_time(key, device_time, now=None):
    """When to judge an event the key's device recorded offline at its
    device_time (naive UTC): at the device time, moved forward to the first
    moment the device may have been offline as far as the server knows
    (see bound_device_time)"""
    if now is None:
        now = dt.datetime.now()
    if device_time is None:
        return now
    return bound_device_time(device_time, now, *key_contacts(key))


def key_contacts(key):
    """(last contact, outage start, outage end) of the key, as
    _note_contact noted them: what bound_device_time needs"""
    table = Pool().get('res.user.application').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(
            table.last_contact, table.outage_start, table.outage_end,
            where=table.id == key.id))
    return cursor.fetchone()


def bound_device_time(device_time, now, last_contact, outage_start,
        outage_end):
    """The device time of an event recorded offline, bounded by the
    contacts of its key (naive UTC, as noted by _note_contact):

    - not in the future: at most now;
    - not before the key's last contact before its latest outage, nor more
      than OFFLINE_KEPT back;
    - not while the server was hearing from the key: after the end of the
      outage (give or take CLOCK_SKEW) and before the last SILENCE, the
      device was online and would have sent the event at once.

    A device time out of these moves forward to the first moment in them.
    """
    if last_contact is None or now - last_contact > SILENCE:
        # silent until now: this request ends the outage (its contact may
        # not be noted yet, or not seen by this transaction)
        outage_start, outage_end = last_contact or now, now
    elif outage_start is None or outage_end is None:
        outage_start = outage_end = last_contact
    earliest = max(outage_start, now - OFFLINE_KEPT)
    if device_time >= now:
        return now
    device_time = max(device_time, earliest)
    if (device_time <= outage_end + CLOCK_SKEW
            or device_time >= now - SILENCE):
        return device_time
    return now - SILENCE


def _parse_payload(request):
    if request.method not in {'POST', 'PUT', 'PATCH'}:
        return {}
    mimetype = request.mimetype or ''
    if mimetype != 'application/json':
        raise JSONError(415, 'unsupported_media_type', gettext(
                'casa_base.msg_http_not_json'))
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise JSONError(413, 'too_large', gettext(
                'casa_base.msg_http_too_large',
                size=request.max_content_length))
    if request.max_content_length and len(data) > request.max_content_length:
        raise JSONError(413, 'too_large', gettext(
                'casa_base.msg_http_too_large',
                size=request.max_content_length))
    try:
        payload = json.loads(data.decode('utf-8'), parse_float=Decimal)
    except RecursionError:
        raise _too_deep()
    except (ValueError, UnicodeDecodeError):
        raise JSONError(400, 'invalid_json', gettext(
                'casa_base.msg_http_invalid_json'))
    if not isinstance(payload, dict):
        raise JSONError(400, 'invalid_json', gettext(
                'casa_base.msg_http_not_object'))
    _check_values(payload)
    return payload


def _too_deep():
    return JSONError(400, 'invalid_json', gettext(
            'casa_base.msg_http_too_deep', depth=MAX_DEPTH))


def _valid_text(value):
    "Tell whether the text can be stored: no lone UTF-16 surrogate"
    try:
        value.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def _check_values(payload):
    """Refuse a body nested deeper than MAX_DEPTH or holding a text that is
    not Unicode (JSON lets "\\ud800" through, no database stores it)"""
    for name in payload:
        if not _valid_text(name):
            raise JSONError(400, 'invalid_json', gettext(
                    'casa_base.msg_http_invalid_json'))
    # iteratively: a depth-first walk of (field, value, depth)
    stack = [(name, value, 1) for name, value in payload.items()]
    while stack:
        field, value, depth = stack.pop()
        if isinstance(value, str):
            if not _valid_text(value):
                raise _invalid(field, 'casa_base.msg_http_not_unicode')
        elif isinstance(value, (list, dict)):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                for key in value:
                    if not _valid_text(key):
                        raise _invalid(
                            field, 'casa_base.msg_http_not_unicode')
                value = value.values()
            stack.extend((field, v, depth + 1) for v in value)


# Reading the fields of a payload: each refusal names the field

def _invalid(field, message_id, **kwargs):
    return JSONError(400, 'invalid_field', gettext(
            message_id, field=field, **kwargs), field=field)


def _present(payload, field, required):
    "The value of the field, None when absent or empty unless required"
    value = payload.get(field)
    if value is None or value == '':
        if required:
            raise JSONError(400, 'missing_field', gettext(
                    'casa_base.msg_http_missing_field', field=field),
                field=field)
        return None
    return value


def get_str(payload, field, required=False, max_length=64):
    value = _present(payload, field, required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(field, 'casa_base.msg_http_not_text')
    if len(value) > max_length or '\x00' in value:
        raise _invalid(
            field, 'casa_base.msg_http_too_long', length=max_length)
    return value


def get_choice(payload, field, choices, required=False, default=None):
    value = get_str(payload, field, required=required)
    if value is None:
        return default
    if value not in choices:
        raise _invalid(
            field, 'casa_base.msg_http_not_in_choices',
            choices=', '.join(choices))
    return value


def get_uuid(payload, field='uuid'):
    value = get_str(payload, field, required=True, max_length=64)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _invalid(field, 'casa_base.msg_http_not_uuid')


def get_datetime(payload, field, required=False):
    "An ISO 8601 date and time, returned as naive UTC"
    value = get_str(payload, field, required=required, max_length=40)
    if value is None:
        return None
    try:
        value = dt.datetime.fromisoformat(value.replace('Z', '+00:00'))
        if value.tzinfo is not None:
            # the edges of the calendar overflow in UTC
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise _invalid(field, 'casa_base.msg_http_not_datetime')
    if not (dt.datetime(2000, 1, 1) <= value <= dt.datetime(2100, 1, 1)):
        raise _invalid(field, 'casa_base.msg_http_not_datetime')
    return value


def get_bool(payload, field, default=False):
    value = payload.get(field, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _invalid(field, 'casa_base.msg_http_not_boolean')
    return value


def get_amount(payload, field, required=False, digits=2,
        maximum=Decimal('1000000000')):
    "A non-negative amount given as a string or a number"
    value = _present(payload, field, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(
            value, (str, int, Decimal)):
        raise _invalid(field, 'casa_base.msg_http_not_amount')
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid(field, 'casa_base.msg_http_not_amount')
    if (not amount.is_finite() or amount < 0 or amount > maximum
            or amount != amount.quantize(Decimal(1).scaleb(-digits))):
        raise _invalid(field, 'casa_base.msg_http_not_amount')
    return amount.quantize(Decimal(1).scaleb(-digits))


# str.isdigit() takes "²" and "١", int() refuses the first: ASCII only, and
# short (int() refuses more than 4,300 digits)
_DIGITS = re.compile(r'[0-9]{1,18}', re.ASCII)


def get_int(payload, field, default=None, minimum=None, maximum=None):
    """A whole number, given as a number or (e.g. in a query string) as
    ASCII digits"""
    value = payload.get(field, default)
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or (
            minimum is not None and value < minimum) or (
            maximum is not None and value > maximum):
        raise _invalid(field, 'casa_base.msg_http_not_integer')
    return value
