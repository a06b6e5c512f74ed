# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The units side by side: a row per unit, for the year to date and the
month in progress, from the dashboard's months (one definition of the
figures) and the open anomaly flags."""
from decimal import Decimal

from sql import Literal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .dashboard import monthly_figures
from .localtime import local_today
from .unit_report import Chart, Column, Sheet, UnitReport

FIGURES = ['revenue', 'expense', 'margin', 'budget', 'achievement',
    'revenue_last_year', 'revenue_growth']
SCOPES = ['ytd', 'month']


class BusinessUnitComparisonContext(ModelView):
    __name__ = 'casa.business_unit.comparison.context'
    __string__ = "Business Unit Comparison Context"
    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date(
        "Date", required=True,
        help="The year to date and the month of this date.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return local_today()


def _amount(string, help=""):
    return fields.Function(Monetary(
            string, currency='currency', digits=(16, 0), help=help),
        'get_figures')


def _ratio(string, help=""):
    return fields.Function(fields.Float(
            string, digits=(1, 4), help=help), 'get_figures')


class BusinessUnitComparison(ModelSQL, ModelView):
    "A row per unit: the year to date and the month in progress"
    __name__ = 'casa.business_unit.comparison'
    __string__ = "Business Unit Comparison"
    _business_unit_field = 'business_unit'

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    ytd_revenue = _amount("Revenue YTD", "Revenue of the year to date.")
    ytd_expense = _amount("Expenses YTD")
    ytd_margin = _amount("Margin YTD", "Revenue less expenses.")
    ytd_budget = _amount("Budget YTD",
        "The margin budgeted for the year to date.")
    ytd_achievement = _ratio("Achievement YTD",
        "Margin as a share of the budget.")
    ytd_revenue_last_year = _amount("Last Year YTD",
        "Revenue of the same months a year before.")
    ytd_revenue_growth = _ratio("Growth YTD",
        "Revenue against the same months a year before.")
    month_revenue = _amount("Revenue of the Month")
    month_expense = _amount("Expenses of the Month")
    month_margin = _amount("Margin of the Month")
    month_budget = _amount("Budget of the Month")
    month_achievement = _ratio("Achievement of the Month")
    month_revenue_last_year = _amount("Last Year's Month")
    month_revenue_growth = _ratio("Growth of the Month")
    open_anomalies = fields.Function(fields.Integer(
            "Open Anomalies",
            help="Anomaly flags open or under review."), 'get_figures')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('business_unit', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        unit = BusinessUnit.__table__()
        context = Transaction().context
        where = unit.active == Literal(True)
        if context.get('company'):
            where &= unit.company == context['company']
        return unit.select(
            unit.id.as_('id'),
            unit.create_uid.as_('create_uid'),
            unit.create_date.as_('create_date'),
            unit.id.as_('business_unit'),
            unit.company.as_('company'),
            where=where)

    def get_rec_name(self, name):
        return self.business_unit.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('business_unit.rec_name',) + tuple(clause[1:])]

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def get_date(cls):
        return Transaction().context.get('date') or local_today()

    @classmethod
    def figures(cls, units, date):
        """Return {unit id: {scope_figure: value}} of the units at the date:
        the sums of the dashboard's months of the fiscal year up to the
        date's month (ytd) and the date's month (month)"""
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Monthly = pool.get('casa.business_unit.monthly')
        Anomaly = pool.get('casa.anomaly')
        units = list(units)
        sums = {u.id: {s: [Decimal(0)] * 4 for s in SCOPES} for u in units}
        by_company = {}
        for unit in units:
            by_company.setdefault(unit.company, []).append(unit.id)
        for company, unit_ids in by_company.items():
            fiscalyears = FiscalYear.search([
                    ('company', '=', company.id),
                    ('start_date', '<=', date),
                    ('end_date', '>=', date),
                    ], limit=1)
            if not fiscalyears:
                continue
            fiscalyear, = fiscalyears
            with Transaction().set_context(
                    fiscalyear=fiscalyear.id, company=company.id, unit=None):
                rows = Monthly.search([
                        ('business_unit', 'in', unit_ids),
                        ('month', '<=', date),
                        ])
                for row in rows:
                    amounts = [row.revenue, row.expense, row.budget,
                        row.revenue_last_year]
                    scopes = ['ytd']
                    if row.month <= date <= row.month_end:
                        scopes.append('month')
                    for scope in scopes:
                        total = sums[row.business_unit.id][scope]
                        for i, amount in enumerate(amounts):
                            total[i] += amount or Decimal(0)
        anomalies = Anomaly.open_counts(units)
        result = {}
        for unit in units:
            values = {}
            for scope in SCOPES:
                revenue, expense, budget, last_year = sums[unit.id][scope]
                for name, value in monthly_figures(
                        revenue, expense, budget, last_year).items():
                    if name in FIGURES:
                        values['%s_%s' % (scope, name)] = value
            values['open_anomalies'] = anomalies.get(unit.id, 0)
            result[unit.id] = values
        return result

    @classmethod
    def get_figures(cls, records, names):
        result = {n: {} for n in names}
        figures = cls.figures(
            [r.business_unit for r in records], cls.get_date())
        for record in records:
            values = figures[record.business_unit.id]
            for name in names:
                value = values[name]
                if isinstance(value, Decimal):
                    value = value.quantize(Decimal(1))
                result[name][record.id] = value
        return result


class BusinessUnitComparisonReport(UnitReport):
    "The units side by side as a workbook: a row per unit"
    __name__ = 'casa.business_unit.comparison.xlsx'
    _title = 'casa_base.msg_comparison_title'

    @classmethod
    def sheets(cls, request):
        pool = Pool()
        Comparison = pool.get('casa.business_unit.comparison')
        units = request.units
        # the rows chosen in the list narrow the units, never widen them
        ids = request.data.get('ids')
        if request.data.get('model') == Comparison.__name__ and ids:
            chosen = {i for i in ids if isinstance(i, int)}
            units = [u for u in units if u.id in chosen]
        date = request.end or Transaction().context.get('date') \
            or local_today()
        figures = Comparison.figures(units, date)
        labels = {
            'revenue': gettext('casa_base.msg_comparison_revenue'),
            'expense': gettext('casa_base.msg_comparison_expense'),
            'margin': gettext('casa_base.msg_comparison_margin'),
            'budget': gettext('casa_base.msg_comparison_budget'),
            'achievement': gettext('casa_base.msg_comparison_achievement'),
            'revenue_last_year': gettext(
                'casa_base.msg_comparison_last_year'),
            'revenue_growth': gettext('casa_base.msg_comparison_growth'),
            }
        scopes = {
            'ytd': gettext('casa_base.msg_comparison_ytd'),
            'month': gettext('casa_base.msg_comparison_month'),
            }
        columns = [Column(gettext('casa_base.msg_comparison_unit'), 'text',
                36)]
        for scope in SCOPES:
            for name in FIGURES:
                kind = ('percent' if name in {'achievement', 'revenue_growth'}
                    else 'amount')
                columns.append(Column(
                        '%s %s' % (labels[name], scopes[scope]), kind, 16,
                        total=kind == 'amount'))
        columns.append(Column(
                gettext('casa_base.msg_comparison_anomalies'), 'integer', 12,
                total=True))
        title = gettext('casa_base.msg_comparison_at', date=date.isoformat())
        sheet = Sheet(gettext('casa_base.msg_comparison_sheet'),
            gettext(cls._title), title, request.period_label, columns,
            total=gettext('casa_base.msg_comparison_total'),
            freeze_columns=1,
            # the units side by side: revenue, budget and last year's
            chart=Chart(gettext(cls._title), [
                    (1, 'column', {}), (4, 'column', {}),
                    (6, 'column', {})]))
        for unit in units:
            values = figures[unit.id]
            sheet.add([unit.rec_name]
                + [values['%s_%s' % (s, n)] for s in SCOPES
                    for n in FIGURES]
                + [values['open_anomalies']])
        return [sheet]


class BusinessUnitComparisonPDF(BusinessUnitComparisonReport):
    "The units side by side as PDF"
    __name__ = 'casa.business_unit.comparison.pdf'
