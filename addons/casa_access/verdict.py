# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The decision at the gate: may this plate, badge or person pass?

Order of the rules (the kiosk's offline mode applies the same, see
``static/verdict.js`` and ``doc/api.rst``):

1. the gate must let pass in the direction;
2. a blacklist entry for one of the identifiers refuses, whatever else;
3. an authorisation of one of the identifiers, for the site, valid on the
   date and at the hour, allows;
4. with no authorisation at all, a site open to the public allows;
5. otherwise refused, with the reason of the closest authorisation.
"""
import datetime as dt
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from sql import Column, Literal, Null, Union
from sql.operators import Exists, Or

from trytond.i18n import gettext
from trytond.modules.casa_base import query
from trytond.pool import Pool
from trytond.tools import timezone as tz
from trytond.transaction import Transaction

from . import kiosk
from .authorisation import IDENTIFIERS
from .normalise import normalise_identifier

DEFAULT_TIMEZONE = 'Africa/Casablanca'
REASONS = [
    ('authorised', "Authorised"),
    ('open_site', "Open Site"),
    ('blacklisted', "Blacklisted"),
    ('unknown', "Unknown"),
    ('expired', "Expired"),
    ('not_yet_valid', "Not Yet Valid"),
    ('outside_hours', "Outside Hours"),
    ('wrong_site', "Wrong Site"),
    ('wrong_direction', "Wrong Direction"),
    ]
# the closer to allowed, the later: the reason told when no authorisation
# allows is the one of the closest
_REFUSAL_RANK = ['wrong_site', 'expired', 'not_yet_valid', 'outside_hours']
ZERO = Decimal('0.00')


@dataclass
class Verdict:
    allowed: bool
    reason: str
    authorisation: Optional[int] = None
    blacklist: Optional[int] = None
    category: Optional[object] = None   # kiosk.Category
    vehicle_category: Optional[int] = None
    name: Optional[str] = None
    fee: Decimal = ZERO
    tariff: Optional[int] = None
    keys: dict = field(default_factory=dict)

    @property
    def verdict(self):
        return 'allowed' if self.allowed else 'refused'

    @property
    def reason_text(self):
        return reason_text(self.reason)

    @property
    def identity(self):
        "Whom the passage is of, to pair entries and exits"
        if self.authorisation:
            return 'A%s' % self.authorisation
        for ident in IDENTIFIERS:
            if self.keys.get(ident):
                return '%s:%s' % (ident[0].upper(), self.keys[ident])


def reason_text(reason):
    "The sentence of the reason code, in the language of the transaction"
    return gettext('casa_access.msg_reason_%s' % reason)


def local_now(timezone, now):
    "The naive UTC ``now`` in the time zone (Casablanca by default)"
    zone = tz.ZoneInfo(timezone or DEFAULT_TIMEZONE)
    return now.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(
        tzinfo=None)


def decide(gate, direction, identifiers, vehicle_category=None, now=None,
        lookup=None):
    """Return the Verdict for what is presented at the gate (a
    kiosk.GateInfo): identifiers is {'plate'|'badge'|'cin': value as
    presented}, vehicle_category an id, now naive UTC.

    One query (the authorisations of the keys with their sites and windows,
    and the blacklist entries of the keys): the kiosk asks this at each
    keystroke and each passage.  lookup replaces that query, e.g. by the
    Lookup of the identifiers of many passages (see Lookup)."""
    if now is None:
        now = dt.datetime.now()
    local = local_now(gate.timezone, now)
    keys = {i: normalise_identifier(identifiers.get(i)) for i in IDENTIFIERS}
    keys = {i: k for i, k in keys.items() if k}
    verdict = Verdict(
        allowed=False, reason='unknown', keys=keys,
        vehicle_category=vehicle_category)

    if not gate.allows(direction):
        verdict.reason = 'wrong_direction'
        return verdict
    if not keys:
        return verdict
    candidates, banned = (lookup or _lookup)(gate, keys, local.date())
    if banned:
        verdict.reason, verdict.blacklist = 'blacklisted', banned
        return verdict

    best = None
    for candidate in candidates:
        reason = _refusal(candidate, local)
        if reason is None:
            best, verdict.allowed, verdict.reason = (
                candidate, True, 'authorised')
            break
        if best is None or (_REFUSAL_RANK.index(reason)
                > _REFUSAL_RANK.index(verdict.reason)):
            best, verdict.reason = candidate, reason
    if best:
        verdict.authorisation = best.id
        verdict.category = kiosk.category(best.category)
        verdict.name = best.name
        if best.vehicle_category:
            verdict.vehicle_category = best.vehicle_category
    elif gate.admission == 'open':
        verdict.allowed, verdict.reason = True, 'open_site'
    if verdict.allowed and direction == 'in':
        _set_fee(verdict, gate, local.date())
    return verdict


Candidate = namedtuple('Candidate', [
        'id', 'name', 'category', 'vehicle_category', 'start_date',
        'end_date', 'on_site', 'windows'])


def _lookup(gate, keys, date):
    """Return the authorisations of one of the keys, with whether they are
    valid on the gate's site and their windows (of the other sites, only
    those the user may see: they tell 'wrong_site'), those of the site
    first; and the id of a blacklist entry banning one of the keys on the
    date, or None"""
    User = Pool().get('res.user')
    units = User.get_business_units()
    kinds = tuple(sorted(keys))
    cursor = Transaction().connection.cursor()
    query.execute(cursor, ('casa_access.verdict', kinds, units),
        lambda **marks: _lookup_query(kinds, units, **marks),
        company=gate.company_id, site=gate.site_id, date=date,
        **{'key_' + k: v for k, v in keys.items()})
    rows = cursor.fetchall()
    banned = min((r[1] for r in rows if r[0] == 'B'), default=None)
    return _candidates(r for r in rows if r[0] == 'A'), banned


def _candidates(rows):
    """The Candidates of the rows of authorisations (kind, id, name,
    category, vehicle category, start, end, on site, window, weekday,
    start time, end time), those of the site first"""
    candidates = {}
    for (kind, id_, name, category, vehicle, start, end, on_site_,
            window_id, weekday, start_time, end_time) in sorted(
            rows, key=lambda r: (r[1], r[8] or 0)):
        if id_ not in candidates:
            candidates[id_] = Candidate(
                id_, name, category, vehicle, _date(start), _date(end),
                bool(on_site_), [])
        if start_time is not None:
            candidates[id_].windows.append(
                (weekday, _time(start_time), _time(end_time)))
    # those of the site first: they decide
    return sorted(candidates.values(), key=lambda c: (not c.on_site, c.id))


class Lookup:
    """What _lookup answers, for the identifiers of many passages at the
    gate read at once: two queries (authorisations of the keys with their
    windows, blacklist entries of the keys) instead of one per passage.
    Called as _lookup for the keys of one of those passages."""

    def __init__(self, gate, identifiers):
        "identifiers: the {'plate'|'badge'|'cin': value} of the passages"
        values = {k: set() for k in IDENTIFIERS}
        for given in identifiers:
            for kind in IDENTIFIERS:
                key = normalise_identifier(given.get(kind))
                if key:
                    values[kind].add(key)
        self.gate = gate
        self.authorisations = {}
        self.banned = {}
        values = {k: sorted(v) for k, v in values.items() if v}
        if not values:
            return
        User = Pool().get('res.user')
        units = User.get_business_units()
        cursor = Transaction().connection.cursor()
        # each IN list in slices: SQLite takes a bounded number of
        # parameters
        for kind, keys in values.items():
            for i in range(0, len(keys), 300):
                authorisations, blacklist = _lookup_many_queries(
                    kind, keys[i:i + 300], units, gate.company_id,
                    gate.site_id)
                cursor.execute(*authorisations)
                for row in cursor:
                    self.authorisations.setdefault(
                        (kind, row[-1]), []).append(row[:-1])
                cursor.execute(*blacklist)
                for id_, key, until in cursor:
                    self.banned.setdefault((kind, key), []).append(
                        (id_, _date(until)))

    def __call__(self, gate, keys, date):
        assert gate.id == self.gate.id
        rows, banned = {}, []
        for kind, key in keys.items():
            for row in self.authorisations.get((kind, key), []):
                # a window is one row: an authorisation of two keys once
                rows[(row[1], row[8])] = row
            banned.extend(id_ for id_, until in self.banned.get(
                    (kind, key), []) if until is None or until >= date)
        return _candidates(rows.values()), min(banned, default=None)


def _lookup_many_queries(kind, keys, units, company, site):
    """The queries of Lookup for the keys of one kind: the rows of
    _lookup_query's authorisations with the key last; (id, key, until) of
    the blacklist entries"""
    pool = Pool()
    Authorisation = pool.get('casa.access.authorisation')
    Link = pool.get('casa.access.authorisation-casa.access.site')
    Window = pool.get('casa.access.authorisation.window')
    Blacklist = pool.get('casa.access.blacklist')
    authorisation = Authorisation.__table__()
    link = Link.__table__()
    window = Window.__table__()
    blacklist = Blacklist.__table__()

    key_column = Column(authorisation, kind + '_key')
    on_site = Exists(link.select(link.id,
            where=(link.authorisation == authorisation.id)
            & (link.site == site)))
    where = ((authorisation.company == company)
        & (authorisation.active == Literal(True))
        & key_column.in_(keys))
    if units is not None:
        where &= _visible(authorisation, units)
    authorisations = authorisation.join(window, 'LEFT',
        condition=window.authorisation == authorisation.id).select(
        Literal('A'), authorisation.id, authorisation.name,
        authorisation.category, authorisation.vehicle_category,
        authorisation.start_date, authorisation.end_date, on_site,
        window.id, window.weekday, window.start_time, window.end_time,
        key_column, where=where)
    banned = blacklist.select(
        blacklist.id, blacklist.key, blacklist.until,
        where=(blacklist.company == company)
        & (blacklist.active == Literal(True))
        & (blacklist.kind == kind) & blacklist.key.in_(keys))
    return authorisations, banned


def _visible(authorisation, units):
    "The condition of the authorisations of a site of one of the units"
    pool = Pool()
    Link = pool.get('casa.access.authorisation-casa.access.site')
    Site = pool.get('casa.access.site')
    visible_link = Link.__table__()
    site_table = Site.__table__()
    return Exists(visible_link.join(site_table,
            condition=site_table.id == visible_link.site).select(
            visible_link.id,
            where=(visible_link.authorisation == authorisation.id)
            & site_table.business_unit.in_(list(units) or [-1])))


def _lookup_query(kinds, units, company, site, date, **keys):
    "The query of _lookup, the same for the same kinds of keys and units"
    pool = Pool()
    Authorisation = pool.get('casa.access.authorisation')
    Link = pool.get('casa.access.authorisation-casa.access.site')
    Window = pool.get('casa.access.authorisation.window')
    Blacklist = pool.get('casa.access.blacklist')
    authorisation = Authorisation.__table__()
    link = Link.__table__()
    window = Window.__table__()
    blacklist = Blacklist.__table__()

    on_site = Exists(link.select(link.id,
            where=(link.authorisation == authorisation.id)
            & (link.site == site)))
    where = ((authorisation.company == company)
        & (authorisation.active == Literal(True))
        & Or([Column(authorisation, k + '_key') == keys['key_' + k]
                for k in kinds]))
    if units is not None:
        where &= _visible(authorisation, units)
    authorisations = authorisation.join(window, 'LEFT',
        condition=window.authorisation == authorisation.id).select(
        Literal('A').as_('kind'), authorisation.id.as_('id'),
        authorisation.name.as_('name'),
        authorisation.category.as_('category'),
        authorisation.vehicle_category.as_('vehicle_category'),
        authorisation.start_date.as_('start_date'),
        authorisation.end_date.as_('end_date'), on_site.as_('on_site'),
        window.id.as_('window'), window.weekday.as_('weekday'),
        window.start_time.as_('start_time'),
        window.end_time.as_('end_time'),
        where=where)
    banned = blacklist.select(
        Literal('B'), blacklist.id, *[Literal(None)] * 10,
        where=(blacklist.company == company)
        & (blacklist.active == Literal(True))
        & Or([(blacklist.kind == k) & (blacklist.key == keys['key_' + k])
                for k in kinds])
        & ((blacklist.until == Null) | (blacklist.until >= date)))
    return Union(authorisations, banned, all_=True)


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _time(value):
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    return value


def _refusal(candidate, local):
    "The reason the authorisation does not let pass, or None"
    if not candidate.on_site:
        return 'wrong_site'
    today = local.date()
    if candidate.start_date and today < candidate.start_date:
        return 'not_yet_valid'
    if candidate.end_date and today > candidate.end_date:
        return 'expired'
    if candidate.windows and not any(
            _in_window(w, local) for w in candidate.windows):
        return 'outside_hours'


def _in_window(window, local):
    weekday, start, end = window
    if weekday is not None and int(weekday) != local.weekday():
        return False
    return start <= local.time().replace(microsecond=0) <= end


def _set_fee(verdict, gate, date):
    if verdict.category and verdict.category.fee_exempt:
        return
    found = kiosk.tariff(gate.site_id, verdict.vehicle_category, date)
    if found:
        verdict.tariff, verdict.fee = found[0], Decimal(found[1]).quantize(
            Decimal('0.01'))
