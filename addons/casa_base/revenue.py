# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Revenue assurance: per unit and month, what the unit did (the billable
operations), what was billed, what was paid, and what was not billed yet,
with the amounts at stake."""
from sql import Column, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool

from .unit_period import BusinessUnitPeriodMixin

AMOUNTS = ['amount', 'billed_amount', 'paid_amount', 'to_bill_amount',
    'cash_amount']
COUNTS = ['operation_count', 'to_bill_count', 'cancelled_count']


def revenue_assurance_query(where_unit=None):
    """The query of the figures of the operations per business unit and
    standard period (its columns: business_unit, period, COUNTS, AMOUNTS);
    where_unit(operation) restricts the operations"""
    pool = Pool()
    Operation = pool.get('casa.operation')
    Period = pool.get('account.period')
    FiscalYear = pool.get('account.fiscalyear')
    InvoiceLine = pool.get('account.invoice.line')
    Invoice = pool.get('account.invoice')
    operation = Operation.__table__()
    period = Period.__table__()
    fiscalyear = FiscalYear.__table__()
    line = InvoiceLine.__table__()
    invoice = Invoice.__table__()

    live = operation.cancelled == Literal(False)
    billed = live & (operation.invoice_line != Null)
    paid = live & ((operation.move != Null) | (invoice.state == 'paid'))
    to_bill = (live & (operation.invoice_line == Null)
        & (operation.move == Null))

    def total(condition):
        return Coalesce(Sum(Case(
                    (condition, operation.amount), else_=Literal(0))),
            Literal(0))

    def count(condition):
        return Sum(Case((condition, Literal(1)), else_=Literal(0)))

    columns = {
        'operation_count': count(live),
        'amount': total(live),
        'billed_amount': total(billed),
        'paid_amount': total(paid),
        'cash_amount': total(live & (operation.payment == 'cash')),
        'to_bill_count': count(to_bill),
        'to_bill_amount': total(to_bill),
        'cancelled_count': count(~live),
        }
    where = period.type == 'standard'
    if where_unit is not None:
        where &= where_unit(operation)
    query = (operation
        .join(fiscalyear, condition=fiscalyear.company == operation.company)
        .join(period, condition=(period.fiscalyear == fiscalyear.id)
            & (operation.date >= period.start_date)
            & (operation.date <= period.end_date))
        .join(line, 'LEFT', condition=line.id == operation.invoice_line)
        .join(invoice, 'LEFT', condition=invoice.id == line.invoice)
        .select(
            operation.business_unit.as_('business_unit'),
            period.id.as_('period'),
            *[c.as_(n) for n, c in columns.items()],
            where=where,
            group_by=[operation.business_unit, period.id]))
    return query


class RevenueAssurance(BusinessUnitPeriodMixin, ModelSQL, ModelView):
    "Revenue assurance of the business units"
    __name__ = 'casa.operation.revenue'
    __string__ = "Revenue Assurance"

    operation_count = fields.Integer("Operations", readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True,
        help="What the operations of the month are worth.")
    billed_amount = Monetary(
        "Billed", currency='currency', digits='currency', readonly=True,
        help="Operations on account invoiced, and cash booked by the "
        "shifts.")
    paid_amount = Monetary(
        "Paid", currency='currency', digits='currency', readonly=True)
    cash_amount = Monetary(
        "Paid on the Spot", currency='currency', digits='currency',
        readonly=True)
    to_bill_count = fields.Integer(
        "Not Billed", readonly=True,
        help="Operations neither invoiced nor booked by a shift.")
    to_bill_amount = Monetary(
        "Not Billed Amount", currency='currency', digits='currency',
        readonly=True, help="The amount at stake.")
    cancelled_count = fields.Integer("Voided", readonly=True)
    billed_rate = fields.Function(
        fields.Float("Billed Rate", digits=(1, 4)), 'get_rates')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')

    @classmethod
    def table_query(cls):
        row = super().table_query()
        figures = revenue_assurance_query()
        return (row
            .join(figures, 'LEFT',
                condition=(figures.business_unit == row.business_unit)
                & (figures.period == row.period))
            .select(
                row.id, row.business_unit, row.company, row.fiscalyear,
                row.period, row.month, row.month_end,
                *[Coalesce(Column(figures, n), Literal(0)).as_(n)
                    for n in COUNTS + AMOUNTS]))

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def get_rates(cls, rows, name):
        return {r.id: (float(r.billed_amount / r.amount) if r.amount
                else None) for r in rows}
