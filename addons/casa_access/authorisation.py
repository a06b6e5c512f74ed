# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import AuthorisationError
from .normalise import normalise_identifier

# the identifiers a passage may present, and the column of their key
IDENTIFIERS = ('plate', 'badge', 'cin')
KEY_LENGTHS = {'plate': (2, 16), 'badge': (1, 32), 'cin': (2, 16)}

WEEKDAYS = [
    (None, "Every Day"),
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]


class IdentifierKeysMixin:
    "Keep the normalised key of each identifier beside it"
    __slots__ = ()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name in IDENTIFIERS:
            if name in values and name + '_key' in cls._fields:
                values[name + '_key'] = normalise_identifier(values[name])
        return values


class Authorisation(
        IdentifierKeysMixin, DeactivableMixin, ModelSQL, ModelView):
    """Who or what may enter: a person and/or a vehicle, on some sites, for a
    period, optionally at some hours"""
    __name__ = 'casa.access.authorisation'
    __string__ = "Access Authorisation"
    # master data shared by the units of its sites (see casa_base.mixin)
    _business_units_field = 'sites.business_unit'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    name = fields.Char(
        "Name", required=True,
        help="The person, or the holder of the vehicle or badge.")
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    cin = fields.Char("CIN", help="The national identity card number.")
    plate = fields.Char("Plate", help="The registration plate, as written.")
    badge = fields.Char("Badge")
    cin_key = fields.Char("CIN Key", readonly=True)
    plate_key = fields.Char("Plate Key", readonly=True)
    badge_key = fields.Char("Badge Key", readonly=True)
    category = fields.Many2One(
        'casa.access.category', "Category", required=True,
        ondelete='RESTRICT')
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category",
        ondelete='RESTRICT',
        help="Sets the entry fee of the vehicle.")
    sites = fields.Many2Many(
        'casa.access.authorisation-casa.access.site', 'authorisation',
        'site', "Sites",
        domain=[('company', '=', Eval('company', -1))],
        help="The sites where the authorisation is valid.")
    start_date = fields.Date(
        "Valid From",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "Valid To",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    windows = fields.One2Many(
        'casa.access.authorisation.window', 'authorisation', "Time Windows",
        help="When entry is allowed (local time); none: at any time.")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.plate_key, Index.Equality(cardinality='high'))),
                Index(t, (t.badge_key, Index.Equality(cardinality='high'))),
                Index(t, (t.cin_key, Index.Equality(cardinality='high'))),
                })
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        keys = ' '.join(filter(None, [self.plate, self.badge, self.cin]))
        return '%s (%s)' % (self.name, keys) if keys else self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        domain = [bool_op, ('name', operator, operand, *extra)]
        if isinstance(operand, str) and operator in {'ilike', 'like', '='}:
            key = normalise_identifier(operand.replace('%', ''))
            if key:
                for ident in IDENTIFIERS:
                    domain.append((ident + '_key', 'like', '%' + key + '%'))
        return domain

    @classmethod
    def validate_fields(cls, authorisations, field_names):
        super().validate_fields(authorisations, field_names)
        for authorisation in authorisations:
            authorisation.check_identifiers()
            authorisation.check_sites()

    def check_identifiers(self):
        if not any(getattr(self, i) for i in IDENTIFIERS):
            raise AuthorisationError(gettext(
                    'casa_access.msg_authorisation_no_identifier',
                    authorisation=self.name))
        for ident in IDENTIFIERS:
            value = getattr(self, ident)
            if not value:
                continue
            key = normalise_identifier(value) or ''
            low, high = KEY_LENGTHS[ident]
            if not (low <= len(key) <= high):
                raise AuthorisationError(gettext(
                        'casa_access.msg_authorisation_identifier_invalid',
                        authorisation=self.name, value=value,
                        field=self.__names__(ident)['field']))

    def check_sites(self):
        if not self.sites:
            raise AuthorisationError(gettext(
                    'casa_access.msg_authorisation_no_site',
                    authorisation=self.name))


class AuthorisationSite(ModelSQL):
    __name__ = 'casa.access.authorisation-casa.access.site'
    __string__ = "Authorisation - Site"
    authorisation = fields.Many2One(
        'casa.access.authorisation', "Authorisation", required=True,
        ondelete='CASCADE')
    site = fields.Many2One(
        'casa.access.site', "Site", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.update({'authorisation', 'site'})
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.site, Index.Equality()),
                (t.authorisation, Index.Equality())))


class AuthorisationWindow(ModelSQL, ModelView):
    "A time window of an authorisation, in local time"
    __name__ = 'casa.access.authorisation.window'
    __string__ = "Authorisation Time Window"

    authorisation = fields.Many2One(
        'casa.access.authorisation', "Authorisation", required=True,
        ondelete='CASCADE')
    weekday = fields.Selection(WEEKDAYS, "Day", sort=False)
    start_time = fields.Time("From", required=True)
    end_time = fields.Time(
        "To", required=True,
        domain=[('end_time', '>=', Eval('start_time'))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('authorisation')
        cls._order = [
            ('weekday', 'ASC NULLS FIRST'), ('start_time', 'ASC'),
            ('id', 'ASC')]
