# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Reports with one row per business unit and month (standard period)."""
from sql import Cast, Literal, Union

from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import sql_pairing
from trytond.transaction import Transaction


class BusinessUnitPeriodMixin(object):
    """A row per active business unit and standard period of its company,
    of the fiscal year in the context when there is one (of the unit in the
    context when there is one: ``unit``); with
    _company_rows, a row per period without unit too, for what belongs to no
    unit (seen by the users of all units only, as the partition keeps the
    others to their units)"""
    __slots__ = ()
    _business_unit_field = 'business_unit'
    _company_rows = False

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", readonly=True)
    period = fields.Many2One('account.period', "Period", readonly=True)
    month = fields.Date("Month", readonly=True)
    month_end = fields.Date("Month End", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('month', 'ASC'),
            ('business_unit', 'ASC'),
            ('id', 'ASC'),
            ]

    def get_rec_name(self, name):
        "The period and the unit: 2026-11 — [ABT] Abattoirs"
        return ' — '.join(filter(None, [
                    self.period.rec_name if self.period else None,
                    self.business_unit.rec_name if self.business_unit
                    else None]))

    @classmethod
    def search_rec_name(cls, name, clause):
        "A text searches the period (2026-11) and the unit (ABT)"
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('period.rec_name',) + tuple(clause[1:]),
            ('business_unit.rec_name',) + tuple(clause[1:]),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        unit = BusinessUnit.__table__()
        fiscalyear = FiscalYear.__table__()
        period = Period.__table__()
        context = Transaction().context

        where = period.type == 'standard'
        if context.get('fiscalyear'):
            where &= fiscalyear.id == context['fiscalyear']
        if context.get('company'):
            where &= fiscalyear.company == context['company']
        unit_where = unit.active == Literal(True)
        if context.get('unit'):
            unit_where &= unit.id == context['unit']
        query = (unit
            .join(fiscalyear, condition=fiscalyear.company == unit.company)
            .join(period, condition=period.fiscalyear == fiscalyear.id)
            .select(
                sql_pairing(period.id, unit.id).as_('id'),
                unit.id.as_('business_unit'),
                unit.company.as_('company'),
                fiscalyear.id.as_('fiscalyear'),
                period.id.as_('period'),
                period.start_date.as_('month'),
                period.end_date.as_('month_end'),
                where=where & unit_where))
        if cls._company_rows and not context.get('unit'):
            # unit ids start at 1: (period, 0) pairs with no unit's row
            query = Union(query, fiscalyear
                .join(period, condition=period.fiscalyear == fiscalyear.id)
                .select(
                    sql_pairing(period.id, Literal(0)).as_('id'),
                    Cast(Literal(None), 'INTEGER').as_('business_unit'),
                    fiscalyear.company.as_('company'),
                    fiscalyear.id.as_('fiscalyear'),
                    period.id.as_('period'),
                    period.start_date.as_('month'),
                    period.end_date.as_('month_end'),
                    where=where),
                all_=True)
        return query
