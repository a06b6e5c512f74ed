# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Car parks and their zones.  A car park is a site of casa_base (its
address, position, cash box) with what parking adds: its kind (gated,
attended, on-street), its zones and their spaces, its opening hours, the
products its fees are sold as, and for a gated car park the casa_access site
whose gate passages open and close its sessions."""

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CarParkError

KINDS = [
    ('gated', "Gated"),
    ('attended', "Attended"),
    ('street', "On-Street"),
    ]


class CarPark(DeactivableMixin, BusinessUnitMixin, ModelSQL, ModelView):
    "A car park or a paid on-street area of the parking unit"
    __name__ = 'casa.parking.car_park'
    __string__ = "Car Park"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    site = fields.Many2One(
        'casa.site', "Site", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('business_unit', '=', Eval('business_unit', -1)),
            ],
        help="The site of the unit: address, position and cash box.")
    code = fields.Function(fields.Char("Code"), 'get_site_field',
        searcher='search_site_field')
    name = fields.Function(fields.Char("Name"), 'get_site_field',
        searcher='search_site_field')
    kind = fields.Selection(KINDS, "Kind", required=True,
        help="Gated: barriers, sessions from the gate passages.\n"
        "Attended: attendants record entries and exits.\n"
        "On-street: paid zones with parking meters.")
    access_site = fields.Many2One(
        'casa.access.site', "Gated Site", ondelete='RESTRICT',
        domain=[('business_unit', '=', Eval('business_unit', -1))],
        states={
            'required': Eval('kind') == 'gated',
            'invisible': Eval('kind') != 'gated',
            },
        help="The site of casa_access whose gate passages open and close "
        "the sessions.")
    zones = fields.One2Many('casa.parking.zone', 'car_park', "Zones")
    spaces = fields.Function(fields.Integer("Spaces",
            help="The spaces of its zones."), 'get_spaces')
    opening_time = fields.Time("Opens At",
        help="Empty with the closing time: open day and night.")
    closing_time = fields.Time("Closes At")
    product = fields.Many2One(
        'product.product', "Parking Product", required=True,
        ondelete='RESTRICT', domain=[('type', '=', 'service')],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The service the sessions are sold as: its tariffs price "
        "them.")
    subscription_product = fields.Many2One(
        'product.product', "Subscription Product", ondelete='RESTRICT',
        domain=[('type', '=', 'service')],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The service the monthly passes are sold as.")
    max_stay = fields.Integer("Longest Stay (hours)", required=True,
        help="A vehicle inside longer than this is flagged as an entry "
        "without exit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('site_unique', Unique(t, t.site),
                'casa_parking.msg_car_park_site_unique'),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'gated'

    @classmethod
    def default_max_stay(cls):
        return 24

    def get_site_field(self, name):
        return getattr(self.site, name) if self.site else None

    @classmethod
    def search_site_field(cls, name, clause):
        return [('site.' + clause[0],) + tuple(clause[1:])]

    def get_rec_name(self, name):
        return self.site.rec_name if self.site else ''

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('site.rec_name',) + tuple(clause[1:])]

    def get_spaces(self, name):
        return sum(z.spaces or 0 for z in self.zones)

    def is_open(self, local):
        "Tell whether the car park is open at the naive local datetime"
        if self.opening_time is None or self.closing_time is None:
            return True
        time = local.time()
        if self.opening_time <= self.closing_time:
            return self.opening_time <= time < self.closing_time
        return time >= self.opening_time or time < self.closing_time

    @classmethod
    def validate_fields(cls, car_parks, field_names):
        super().validate_fields(car_parks, field_names)
        for car_park in car_parks:
            if car_park.max_stay is not None and car_park.max_stay <= 0:
                raise CarParkError(gettext(
                        'casa_parking.msg_car_park_max_stay',
                        car_park=car_park.rec_name))
            if (car_park.site and car_park.business_unit
                    and car_park.site.business_unit
                    != car_park.business_unit):
                raise CarParkError(gettext(
                        'casa_parking.msg_car_park_site_unit',
                        car_park=car_park.rec_name))
            if (car_park.access_site and car_park.business_unit
                    and car_park.access_site.business_unit
                    != car_park.business_unit):
                raise CarParkError(gettext(
                        'casa_parking.msg_car_park_site_unit',
                        car_park=car_park.rec_name))
            if (car_park.opening_time is None) != (
                    car_park.closing_time is None):
                raise CarParkError(gettext(
                        'casa_parking.msg_car_park_hours',
                        car_park=car_park.rec_name))

    @classmethod
    def of_access_site(cls, site_id):
        "The car park of the gated site, or None"
        car_parks = cls.search([
                ('access_site', '=', site_id),
                ('kind', '=', 'gated'),
                ], limit=1)
        return car_parks[0] if car_parks else None


class Zone(DeactivableMixin, ModelSQL, ModelView):
    "A zone of a car park: a level, a row, a street"
    __name__ = 'casa.parking.zone'
    __string__ = "Parking Zone"

    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", required=True,
        ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    spaces = fields.Integer("Spaces", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('car_park')
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.car_park, t.code),
                'casa_parking.msg_zone_code_unique'),
            ]
        cls._order = [('car_park', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_spaces(cls):
        return 0

    def get_rec_name(self, name):
        return '%s / %s' % (
            self.car_park.rec_name if self.car_park else '', self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, zones, field_names):
        super().validate_fields(zones, field_names)
        for zone in zones:
            if zone.spaces < 0:
                raise CarParkError(gettext(
                        'casa_parking.msg_zone_spaces', zone=zone.rec_name))
