# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Tariffs are data: a fee is a line (product, unit of measure, price,
validity, the business units it applies to, and the conditions that the
domain modules add), so that a council decision changes a record, not the
code.

A module adds a condition by adding a field and naming it in
``_conditions``::

    class Tariff(metaclass=PoolMeta):
        __name__ = 'casa.tariff'
        species = fields.Many2One('casa.slaughterhouse.species', "Species")

        @classmethod
        def __setup__(cls):
            super().__setup__()
            cls._conditions.append('species')

and prices with one lookup::

    tariff = Tariff.lookup(product, date, unit, species=species)
    price = tariff.price

A condition left empty on a tariff matches any value; when several tariffs
match, the most specific wins (the most conditions set, then bound to the
unit rather than shared).  Two tariffs of the same product, conditions and
units may not overlap in time.  A tariff used by operations keeps its price:
a new decision is a new line (the old one is ended).
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.modules.product import price_digits
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import TariffError, TariffMissingError, TariffUsedError
from .mixin import BusinessUnitSharedMixin

FAR = dt.date.max


class Tariff(BusinessUnitSharedMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'casa.tariff'
    __string__ = "Tariff"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    name = fields.Char(
        "Name", translate=True,
        help="What the fee is, as printed (the product's name when empty).")
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[('type', '=', 'service')],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The service sold: its revenue account receives the fees.")
    uom = fields.Many2One(
        'product.uom', "Unit of Measure", required=True, ondelete='RESTRICT',
        domain=[
            If(Eval('product_uom_category'),
                ('category', '=', Eval('product_uom_category', -1)),
                ()),
            ],
        help="Per entry, per head, per kg, per hour, per day, "
        "per m² per month…")
    product_uom_category = fields.Function(
        fields.Many2One('product.uom.category', "Product UoM Category"),
        'on_change_with_product_uom_category')
    price = fields.Numeric(
        "Price", digits=price_digits, required=True,
        domain=[('price', '>=', 0)])
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    start_date = fields.Date(
        "Valid From", required=True,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "Valid To",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    business_units = fields.Many2Many(
        'casa.tariff-casa.business_unit', 'tariff', 'business_unit',
        "Business Units",
        domain=[('company', '=', Eval('company', -1))],
        help="The units the tariff applies to (none: all units).")
    decision = fields.Char(
        "Decision",
        help="The council or board decision that set the tariff.")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the fields that modules add as conditions of a tariff
        cls._conditions = []
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t,
                (t.product, Index.Equality()),
                (t.start_date, Index.Range())))
        cls._order = [
            ('product', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('product', 'uom')
    def on_change_product(self):
        if self.product and not self.uom:
            self.uom = self.product.default_uom

    @fields.depends('product')
    def on_change_with_product_uom_category(self, name=None):
        return self.product.default_uom.category if self.product else None

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        label = self.name or (self.product.rec_name if self.product else '')
        conditions = [
            getattr(self, c).rec_name for c in self._conditions
            if getattr(self, c, None) is not None
            and hasattr(getattr(self, c), 'rec_name')]
        if conditions:
            label += ' (%s)' % ', '.join(conditions)
        return '%s — %s' % (label, self.start_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('product.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, tariffs, field_names):
        super().validate_fields(tariffs, field_names)
        cls.check_product_uom(tariffs)
        cls.check_overlap(tariffs)

    @classmethod
    def check_product_uom(cls, tariffs):
        for tariff in tariffs:
            if tariff.uom.category != tariff.product.default_uom.category:
                raise TariffError(gettext(
                        'casa_base.msg_tariff_uom_category',
                        tariff=tariff.rec_name, uom=tariff.uom.rec_name,
                        product=tariff.product.rec_name))

    def _same_conditions_domain(self):
        return [
            (c, '=', getattr(self, c).id
                if hasattr(getattr(self, c), 'id') else getattr(self, c))
            for c in self._conditions]

    @classmethod
    def check_overlap(cls, tariffs):
        """Two tariffs of the same product and conditions, on a common unit
        (or shared by all), may not be valid on a same day"""
        with without_check_access(), Transaction().set_context(
                active_test=False):
            for tariff in tariffs:
                if not tariff.active:
                    continue
                domain = [
                    ('id', '!=', tariff.id),
                    ('company', '=', tariff.company.id),
                    ('product', '=', tariff.product.id),
                    ('active', '=', True),
                    ('start_date', '<=', tariff.end_date or FAR),
                    ['OR',
                        ('end_date', '=', None),
                        ('end_date', '>=', tariff.start_date),
                        ],
                    ] + tariff._same_conditions_domain()
                units = [u.id for u in tariff.business_units]
                if units:
                    domain.append(['OR',
                            ('business_units', '=', None),
                            ('business_units', 'in', units),
                            ])
                others = cls.search(domain, limit=1)
                if others:
                    other, = others
                    raise TariffError(gettext(
                            'casa_base.msg_tariff_overlap',
                            tariff=tariff.rec_name, other=other.rec_name))

    @classmethod
    def lookup(cls, product, date, unit, **conditions):
        """The tariff of the product on the date for the business unit and
        the conditions given (ids or records): the most specific one.
        Refuse with a clear message when none applies."""
        tariff = cls.find(product, date, unit, **conditions)
        if tariff is None:
            pool = Pool()
            Product = pool.get('product.product')
            BusinessUnit = pool.get('casa.business_unit')
            product = Product(int(product))
            unit = BusinessUnit(int(unit))
            described = []
            for name, value in sorted(conditions.items()):
                if value is None:
                    continue
                field = cls._fields[name]
                if hasattr(field, 'get_target'):
                    value = field.get_target()(int(value)).rec_name
                described.append('%s: %s' % (field.string, value))
            raise TariffMissingError(gettext(
                    'casa_base.msg_tariff_missing',
                    product=product.rec_name, unit=unit.rec_name,
                    date=date, conditions=', '.join(described) or '-'))
        return tariff

    @classmethod
    def find(cls, product, date, unit, **conditions):
        "The most specific tariff that applies, or None"
        unknown = set(conditions) - set(cls._conditions)
        if unknown:
            raise ValueError("Unknown tariff conditions: %s" % unknown)
        domain = [
            ('product', '=', int(product)),
            ('start_date', '<=', date),
            ['OR', ('end_date', '=', None), ('end_date', '>=', date)],
            ['OR',
                ('business_units', '=', None),
                ('business_units', '=', int(unit)),
                ],
            ]
        for name in cls._conditions:
            value = conditions.get(name)
            if value is None:
                domain.append((name, '=', None))
            else:
                domain.append((name, 'in', [int(value), None]
                        if hasattr(cls._fields[name], 'get_target')
                        else [value, None]))
        with without_check_access():
            tariffs = cls.search(domain)
        if not tariffs:
            return None
        return max(tariffs, key=lambda t: t._specificity())

    def _specificity(self):
        return (
            sum(getattr(self, c) is not None for c in self._conditions),
            bool(self.business_units),
            self.start_date)

    @classmethod
    def check_modification(cls, mode, tariffs, values=None, external=False):
        "A tariff that priced operations keeps its price: end it instead"
        super().check_modification(
            mode, tariffs, values=values, external=external)
        if mode == 'write':
            locked = {'product', 'uom', 'price', 'start_date',
                'business_units', 'company'} | set(cls._conditions)
            if not (set(values or {}) & locked):
                return
        elif mode != 'delete':
            return
        used = cls.used(tariffs)
        if used:
            tariff = cls(min(used))
            raise TariffUsedError(gettext(
                    'casa_base.msg_tariff_used', tariff=tariff.rec_name))

    @classmethod
    def used(cls, tariffs):
        "The ids of the tariffs that priced operations"
        pool = Pool()
        Operation = pool.get('casa.operation')
        with without_check_access():
            return {o.tariff.id for o in Operation.search([
                        ('tariff', 'in', [t.id for t in tariffs]),
                        ])}


class TariffBusinessUnit(ModelSQL):
    __name__ = 'casa.tariff-casa.business_unit'
    __string__ = "Tariff - Business Unit"
    tariff = fields.Many2One(
        'casa.tariff', "Tariff", required=True, ondelete='CASCADE')
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.update({'tariff', 'business_unit'})
