# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""What a kiosk request needs to know of its gate, read once per worker.

A gate, its site and unit change seldom while passages come every second:
the kiosk's hot path reads them from these caches, cleared whenever a gate,
a site, a key, a category or a tariff is modified (the clearing reaches the
other workers through trytond's cache synchronisation)."""
from collections import namedtuple

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.modules.casa_base.http_api import JSONError
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

_gates = Cache(__name__ + '.gate', context=False)
_categories = Cache(__name__ + '.category', context=False)
_tariffs = Cache(__name__ + '.tariff', context=False, duration=3600)
_vehicles = Cache(__name__ + '.vehicle', context=False)


class GateInfo(namedtuple('GateInfo', [
            'id', 'code', 'name', 'rec_name', 'direction', 'active',
            'site_id', 'site_code', 'site_name', 'capacity', 'admission',
            'site_active', 'company_id', 'currency', 'timezone',
            'business_unit_id', 'business_unit_code', 'business_unit_name'])):
    "A gate with its site and unit, as plain values"
    __slots__ = ()

    @classmethod
    def from_gate(cls, gate):
        site = gate.site
        company = site.company
        unit = site.business_unit
        return cls(
            gate.id, gate.code, gate.name, gate.rec_name, gate.direction,
            bool(gate.active), site.id, site.code, site.name,
            site.capacity or 0, site.admission, bool(site.active),
            company.id, company.currency.code, company.timezone,
            unit.id, unit.code, unit.name)

    def allows(self, direction):
        "Tell whether the gate lets pass in the direction ('in' or 'out')"
        return (self.direction == 'both'
            or (self.direction == 'entry' and direction == 'in')
            or (self.direction == 'exit' and direction == 'out'))


def clear():
    "Forget the gates, categories and tariffs read"
    _gates.clear()
    _categories.clear()
    _tariffs.clear()
    _vehicles.clear()


def kiosk_gate(key):
    """The gate of the kiosk key (the gate of its device), if its user may
    work there; refuse the request otherwise"""
    pool = Pool()
    Application = pool.get('res.user.application')
    User = pool.get('res.user')
    gate = _gates.get(key.id)
    if gate is None:
        with without_check_access():
            device = Application(key.id).device
            gate = (device and device.kind == 'kiosk' and device.gate
                and GateInfo.from_gate(device.gate))
        if not gate:
            raise JSONError(403, 'forbidden', gettext(
                    'casa_access.msg_key_no_gate'))
        _gates.set(key.id, tuple(gate))
    else:
        gate = GateInfo(*gate)
    if not gate.active or not gate.site_active:
        raise JSONError(403, 'forbidden', gettext(
                'casa_access.msg_http_gate_inactive'))
    units = User.get_business_units()
    if units is not None and gate.business_unit_id not in units:
        raise JSONError(403, 'forbidden', gettext(
                'casa_access.msg_key_user_unit',
                user=User(key.user_id).rec_name, gate=gate.rec_name))
    return gate


Category = namedtuple('Category', ['id', 'code', 'name', 'fee_exempt'])


def category(category_id):
    "The access category in the language of the request"
    if not category_id:
        return None
    language = Transaction().language
    cached = _categories.get((category_id, language))
    if cached is None:
        record = Pool().get('casa.access.category')(category_id)
        cached = _categories.set((category_id, language), (
                record.id, record.code, record.name,
                bool(record.fee_exempt)))
    return Category(*cached)


def tariff(site_id, vehicle_category_id, date):
    "(tariff id, amount) of the site and vehicle category on the date"
    if not vehicle_category_id:
        return None
    key = (site_id, vehicle_category_id, date.isoformat())
    cached = _tariffs.get(key)
    if cached is None:
        Tariff = Pool().get('casa.access.tariff')
        with without_check_access():
            found = Tariff.find(site_id, vehicle_category_id, date)
        cached = _tariffs.set(key, (
                (found.id, found.amount) if found else (None,)))
    return cached if cached[0] is not None else None


class ClearKioskCacheMixin:
    "Models whose changes the kiosk must see at once"
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        clear()


def vehicle_categories():
    "{code: id} of the active vehicle categories"
    cached = _vehicles.get(None)
    if cached is None:
        VehicleCategory = Pool().get('casa.access.vehicle_category')
        with without_check_access():
            cached = _vehicles.set(None, tuple(
                    (c.code, c.id) for c in VehicleCategory.search([])))
    return dict(cached)
