# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The decision at the gate: may this plate, badge or person pass?

Order of the rules (the kiosk's offline mode applies the same, see
``static/kiosk.js`` and ``doc/api.rst``):

1. the gate must let pass in the direction;
2. a blacklist entry for one of the identifiers refuses, whatever else;
3. an authorisation of one of the identifiers, for the site, valid on the
   date and at the hour, allows;
4. with no authorisation at all, a site open to the public allows;
5. otherwise refused, with the reason of the closest authorisation.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import timezone as tz

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
    authorisation: Optional[object] = None
    blacklist: Optional[object] = None
    category: Optional[object] = None
    vehicle_category: Optional[object] = None
    name: Optional[str] = None
    fee: Decimal = ZERO
    tariff: Optional[object] = None
    keys: dict = field(default_factory=dict)

    @property
    def verdict(self):
        return 'allowed' if self.allowed else 'refused'

    @property
    def reason_text(self):
        return gettext('casa_access.msg_reason_%s' % self.reason)

    @property
    def identity(self):
        "Whom the passage is of, to pair entries and exits"
        if self.authorisation:
            return 'A%s' % self.authorisation.id
        for ident in IDENTIFIERS:
            if self.keys.get(ident):
                return '%s:%s' % (ident[0].upper(), self.keys[ident])


def local_now(company, now):
    "The naive UTC ``now`` in the company's time zone"
    zone = tz.ZoneInfo(company.timezone or DEFAULT_TIMEZONE)
    return now.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(
        tzinfo=None)


def decide(gate, direction, identifiers, vehicle_category=None, now=None):
    """Return the Verdict for what is presented at the gate: identifiers is
    {'plate'|'badge'|'cin': value as presented}, now is naive UTC"""
    pool = Pool()
    Authorisation = pool.get('casa.access.authorisation')
    Blacklist = pool.get('casa.access.blacklist')
    site = gate.site
    company = site.company
    if now is None:
        now = dt.datetime.now()
    local = local_now(company, now)
    keys = {i: normalise_identifier(identifiers.get(i)) for i in IDENTIFIERS}
    keys = {i: k for i, k in keys.items() if k}
    verdict = Verdict(
        allowed=False, reason='unknown', keys=keys,
        vehicle_category=vehicle_category)

    if not gate.allows(direction):
        verdict.reason = 'wrong_direction'
        return verdict
    banned = Blacklist.find(company, keys, local.date())
    if banned:
        verdict.reason = 'blacklisted'
        verdict.blacklist = banned[0]
        return verdict

    candidates = Authorisation.search([
            ('company', '=', company.id),
            ['OR', *[[(i + '_key', '=', k)] for i, k in keys.items()]],
            ]) if keys else []
    best = None
    for authorisation in candidates:
        reason = _refusal(authorisation, site, local)
        if reason is None:
            best, verdict.allowed, verdict.reason = (
                authorisation, True, 'authorised')
            break
        if best is None or (_REFUSAL_RANK.index(reason)
                > _REFUSAL_RANK.index(verdict.reason)):
            best, verdict.reason = authorisation, reason
    if best:
        verdict.authorisation = best
        verdict.category = best.category
        verdict.name = best.name
        if best.vehicle_category:
            verdict.vehicle_category = best.vehicle_category
    elif site.admission == 'open' and keys:
        verdict.allowed, verdict.reason = True, 'open_site'
    if verdict.allowed and direction == 'in':
        _set_fee(verdict, site, local.date())
    return verdict


def _refusal(authorisation, site, local):
    "The reason the authorisation does not let pass, or None"
    if site not in authorisation.sites:
        return 'wrong_site'
    today = local.date()
    if authorisation.start_date and today < authorisation.start_date:
        return 'not_yet_valid'
    if authorisation.end_date and today > authorisation.end_date:
        return 'expired'
    if authorisation.windows and not any(
            w.contains(local) for w in authorisation.windows):
        return 'outside_hours'


def _set_fee(verdict, site, date):
    Tariff = Pool().get('casa.access.tariff')
    if verdict.category and verdict.category.fee_exempt:
        return
    tariff = Tariff.find(site, verdict.vehicle_category, date)
    if tariff:
        verdict.tariff = tariff
        verdict.fee = tariff.amount
