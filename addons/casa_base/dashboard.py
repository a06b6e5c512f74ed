# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Monthly figures of each business unit against its analytic budget."""
import datetime as dt
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .unit_lines import unit_profit_lines
from .unit_period import BusinessUnitPeriodMixin


def _months(start, end):
    "Number of months covered by [start, end] or None if not whole months"
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def prorate(amount, budget_start, budget_end, start, end):
    """Return the part of a budget amount falling in [start, end]

    A budget covering whole months is spread evenly over its months, any
    other one over its days."""
    overlap_start = max(budget_start, start)
    overlap_end = min(budget_end, end)
    if overlap_start > overlap_end:
        return Decimal(0)
    months = _months(budget_start, budget_end)
    part = _months(overlap_start, overlap_end) if months else None
    if months and part:
        return amount * part / months
    days = (budget_end - budget_start).days + 1
    return amount * ((overlap_end - overlap_start).days + 1) / days


def monthly_figures(revenue, expense, budget, revenue_last_year):
    """Return the figures of the dashboard from the rounded revenue,
    expenses, budget and revenue of the year before: also the margin,
    variance, achievement and revenue growth (None without budget or
    revenue the year before).  The reports compute their totals and
    consolidated rows with it from the sums of the months and units."""
    margin = revenue - expense
    return {
        'revenue': revenue,
        'expense': expense,
        'margin': margin,
        'budget': budget,
        'variance': margin - budget,
        'achievement': float(margin / budget) if budget else None,
        'revenue_last_year': revenue_last_year,
        'revenue_growth': (
            float((revenue - revenue_last_year) / revenue_last_year)
            if revenue_last_year else None),
        }


class BusinessUnitMonthlyContext(ModelView):
    __name__ = 'casa.business_unit.monthly.context'
    __string__ = "Business Unit Monthly Context"
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year",
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    company = fields.Many2One('company.company', "Company", required=True)
    unit = fields.Many2One(
        'casa.business_unit', "Business Unit",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Only the months of this unit; all the units when empty.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_unit(cls):
        "The unit of a user who works for one unit only"
        pool = Pool()
        User = pool.get('res.user')
        units = User.get_business_units()
        if units is not None and len(units) == 1:
            return units[0]

    @classmethod
    def default_fiscalyear(cls):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Date = pool.get('ir.date')
        context = Transaction().context
        if context.get('company') is not None:
            # the fiscal year of today, else the last one
            fiscalyears = FiscalYear.search([
                    ('company', '=', context['company']),
                    ('start_date', '<=', Date.today()),
                    ], order=[('start_date', 'DESC')], limit=1)
            if fiscalyears:
                return fiscalyears[0].id


class BusinessUnitMonthly(BusinessUnitPeriodMixin, ModelSQL, ModelView):
    __name__ = 'casa.business_unit.monthly'
    __string__ = "Business Unit Monthly Figures"

    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    revenue = fields.Function(Monetary(
            "Revenue", currency='currency', digits='currency'),
        'get_amounts')
    expense = fields.Function(Monetary(
            "Expenses", currency='currency', digits='currency'),
        'get_amounts')
    margin = fields.Function(Monetary(
            "Margin", currency='currency', digits='currency',
            help="Revenue less expenses."),
        'get_amounts')
    budget = fields.Function(Monetary(
            "Budget", currency='currency', digits='currency',
            help="The margin budgeted for the month in the analytic budgets "
            "of the unit."),
        'get_amounts')
    revenue_last_year = fields.Function(Monetary(
            "Revenue Last Year", currency='currency', digits='currency',
            help="The revenue of the same month a year before."),
        'get_amounts')
    revenue_growth = fields.Function(fields.Float(
            "Revenue Growth", digits=(1, 4),
            help="Revenue against the same month a year before."),
        'get_amounts')
    variance = fields.Function(Monetary(
            "Variance", currency='currency', digits='currency',
            help="Margin less budget."),
        'get_amounts')
    achievement = fields.Function(fields.Float(
            "Achievement", digits=(1, 4),
            help="Margin as a share of the budget."),
        'get_amounts')
    in_progress = fields.Function(fields.Boolean(
            "In Progress",
            help="The month of today: its figures are not final."),
        'get_in_progress')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            # the month of today: its figures are not final
            ('/tree', 'visual',
                If(Eval('in_progress', False), 'warning', '')),
            # the unit's name on every row only when the list shows several
            ('/tree/field[@name="business_unit"]', 'tree_invisible',
                Bool(Eval('unit'))),
            ]

    def get_in_progress(self, name):
        pool = Pool()
        Date = pool.get('ir.date')
        return self.month <= Date.today() <= self.month_end

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def _actual_amounts(cls, records):
        """Return {(unit id, period id): (revenue, expense)}: the profit and
        loss lines of the units (unit_lines) by the month of their entry"""
        pool = Pool()
        Period = pool.get('account.period')
        cursor = Transaction().connection.cursor()
        query, where, tables = unit_profit_lines()
        unit, line, move, type_ = (
            tables[n] for n in ['unit', 'line', 'move', 'type'])
        month = Period.__table__()

        amounts = {}
        unit_ids = list({r.business_unit.id for r in records})
        period_ids = list({r.period.id for r in records})
        revenue = Sum(Case(
                (type_.revenue == Literal(True), line.credit - line.debit),
                else_=0))
        expense = Sum(Case(
                (type_.expense == Literal(True), line.debit - line.credit),
                else_=0))
        in_ = fields.SQL_OPERATORS['in']
        for sub_units in grouped_slice(unit_ids, 1000):
            cursor.execute(*query
                .join(month, condition=(move.date >= month.start_date)
                    & (move.date <= month.end_date))
                .select(
                    unit.id, month.id, revenue, expense,
                    where=where & in_(unit.id, list(sub_units))
                    & in_(month.id, period_ids),
                    group_by=[unit.id, month.id]))
            for unit_id, period_id, revenue_, expense_ in cursor:
                amounts[(unit_id, period_id)] = (revenue_, expense_)
        return amounts

    @classmethod
    def _revenue_last_year(cls, records):
        "Return {record id: revenue of the same month a year before}"
        cursor = Transaction().connection.cursor()
        query, where, tables = unit_profit_lines()
        unit, line, move, type_ = (
            tables[n] for n in ['unit', 'line', 'move', 'type'])

        def year_before(date):
            try:
                return date.replace(year=date.year - 1)
            except ValueError:  # 29 February
                return date.replace(year=date.year - 1, day=28)
        ranges = {r.id: (r.business_unit.id, year_before(r.month),
                year_before(r.month_end)) for r in records}
        start = min(s for _, s, _ in ranges.values())
        end = max(e for _, _, e in ranges.values())
        in_ = fields.SQL_OPERATORS['in']
        by_day = []
        cursor.execute(*query
            .select(unit.id, move.date, Sum(line.credit - line.debit),
                where=where
                & in_(unit.id, list({u for u, _, _ in ranges.values()}))
                & (move.date >= start) & (move.date <= end)
                & (type_.revenue == Literal(True)),
                group_by=[unit.id, move.date]))
        for unit_id, date, amount in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            by_day.append((unit_id, date, Decimal(str(amount or 0))))
        return {record_id: sum((a for u, d, a in by_day
                    if u == unit_id and start_ <= d <= end_), Decimal(0))
            for record_id, (unit_id, start_, end_) in ranges.items()}

    @classmethod
    def _budgets(cls, records):
        "Return {(unit id, period id): budget}"
        pool = Pool()
        BudgetLine = pool.get('analytic_account.budget.line')
        accounts = {r.business_unit.analytic_account.id: r.business_unit.id
            for r in records if r.business_unit.analytic_account}
        start = min(r.month for r in records)
        end = max(r.month_end for r in records)
        with without_check_access():
            lines = BudgetLine.search([
                    ('account', 'in', list(accounts)),
                    ('budget.start_date', '<=', end),
                    ('budget.end_date', '>=', start),
                    ])
        budgets = {}
        for record in records:
            unit_id = record.business_unit.id
            budgets[(unit_id, record.period.id)] = sum(
                (prorate(l.amount or Decimal(0), l.budget.start_date,
                        l.budget.end_date, record.month, record.month_end)
                    for l in lines if accounts[l.account.id] == unit_id),
                Decimal(0))
        return budgets

    @classmethod
    def get_amounts(cls, records, names):
        result = {n: {} for n in names}
        if not records:
            return result
        actuals = cls._actual_amounts(records)
        budgets = cls._budgets(records)
        last_year = (cls._revenue_last_year(records)
            if {'revenue_last_year', 'revenue_growth'} & set(names) else {})
        for record in records:
            currency = record.company.currency
            key = (record.business_unit.id, record.period.id)
            revenue, expense = (
                currency.round(Decimal(str(a or 0)))
                for a in actuals.get(key, (0, 0)))
            budget = currency.round(budgets[key])
            previous = currency.round(last_year.get(record.id, Decimal(0)))
            values = monthly_figures(revenue, expense, budget, previous)
            for name in names:
                result[name][record.id] = values[name]
        return result
