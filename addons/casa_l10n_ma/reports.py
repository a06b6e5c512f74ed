# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The accounting reports of the units, each layout written once and
rendered as an XLSX workbook or as PDF by casa_base's unit reports: the CPC,
Bilan and trial balance; the general ledger; the VAT return; the revenue
against budget."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.casa_base.dashboard import monthly_figures
from trytond.modules.casa_base.exceptions import ReportRequestError
from trytond.modules.casa_base.unit_report import (
    Chart, Column, Sheet, UnitReport, UnitReportRequest)
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .ledger import period_range
from .statement import ORDER, RESULT_CODES, SECTIONS


class StatementRequest(UnitReportRequest):
    """The request of an accounting report: the range as dates and as
    periods of a fiscal year, the units, an optional range of accounts"""

    def __init__(self, data):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        super().__init__(data)
        for field in ['start_date', 'end_date']:
            if not data.get(field):
                raise ReportRequestError(gettext(
                        'casa_base.msg_report_invalid', field=field,
                        value=''))

        def record(Model, field):
            id_ = self._integer(field, data.get(field))
            if id_ is None:
                return None
            with without_check_access():
                records = Model.search([
                        ('id', '=', id_),
                        ('company', '=', self.company.id),
                        ])
            if not records:
                raise ReportRequestError(gettext(
                        'casa_base.msg_report_invalid', field=field,
                        value=id_))
            return records[0]
        self.fiscalyear = record(FiscalYear, 'fiscalyear')
        self.start_period = record(Period, 'start_period')
        self.end_period = record(Period, 'end_period')
        self.from_code, self.to_code = (
            str(data[f]) if data.get(f) else None
            for f in ['from_account_code', 'to_account_code'])

    def period_ids(self):
        "The ids of the periods of the range"
        if not self.fiscalyear:
            return []
        return period_range(
            self.fiscalyear, self.start_period, self.end_period)[1]

    def account_range_label(self):
        if not self.from_code and not self.to_code:
            return ''
        return gettext('casa_l10n_ma.msg_ledger_account_range',
            start=self.from_code or '…', end=self.to_code or '…')


class AccountingReport(UnitReport):
    _request = StatementRequest


def _amount_column(label, **kwargs):
    return Column(label, 'amount', **kwargs)


class StatementsReport(AccountingReport):
    """The CPC of each unit and of the company (users of all units), the
    Bilan of the company and of each unit chosen (of the user's units for a
    unit user), and the trial balance of the company"""
    __name__ = 'casa.l10n_ma.cpc.xlsx'
    _title = 'casa_l10n_ma.msg_cpc_title'

    @classmethod
    def sheets(cls, request):
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Bilan = pool.get('casa.l10n_ma.bilan')
        cpc = CPC.compute(request.company, request.start, request.end,
            request.units, consolidated=request.company_wide)
        sheets = [cls.cpc_sheet(request, name, title, statement)
            for name, title, statement in request.targets(cpc)]
        date = gettext('casa_l10n_ma.msg_bilan_date',
            date=request.lang.strftime(request.end))
        codes = Bilan.type_codes(request.company)
        # the Bilan of each unit when units are asked (always for unit
        # users), the company's for the users of all units
        if request.data.get('units') or not request.company_wide:
            for unit in request.units:
                sheets.append(cls.bilan_sheet('%s %s' % (
                            gettext('casa_l10n_ma.msg_bilan_sheet'),
                            unit.code),
                        request.unit_title(unit), date,
                        Bilan.compute(request.company, request.end, unit),
                        codes))
        if request.company_wide:
            sheets.append(cls.bilan_sheet(
                    gettext('casa_l10n_ma.msg_bilan_sheet'),
                    request.consolidated_title(), date,
                    Bilan.compute(request.company, request.end), codes))
            sheets.append(cls.trial_balance_sheet(request))
        return sheets

    @classmethod
    def cpc_sheet(cls, request, name, title, statement):
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Type = pool.get('account.account.type')
        sections = CPC.type_sections(request.company.id)
        types = Type.browse(sorted(sections))
        types.sort(key=lambda t: (t.sequence or 0, t.name))
        sheet = Sheet(name, gettext('casa_l10n_ma.msg_cpc_title'), title,
            request.period_label, [
                Column(gettext('casa_l10n_ma.msg_cpc_column_code'), 'code',
                    8),
                Column(gettext('casa_l10n_ma.msg_cpc_column_label'), 'text',
                    60, indent=True),
                _amount_column(
                    gettext('casa_l10n_ma.msg_cpc_column_amount'), width=20),
                ])
        section_codes = {c for c, _, _ in SECTIONS}
        for code in ORDER:
            label = gettext('casa_l10n_ma.msg_cpc_%s' % code)
            amount = statement['sections'][code]
            if code in RESULT_CODES:
                sheet.add([code, label, amount], 'result')
                continue
            assert code in section_codes
            sheet.add([code, label, amount], 'section')
            for type_ in types:
                if sections[type_.id][0] != code:
                    continue
                value = statement['types'].get(type_.id)
                if value:
                    sheet.add([None, type_.name, value], depth=1)
        return sheet

    @classmethod
    def bilan_sheet(cls, name, title, date, bilan, codes):
        """The Bilan at the end date: assets then liabilities, each line with
        its CGNC number, and their totals"""
        sheet = Sheet(name, gettext('casa_l10n_ma.msg_bilan_sheet'), title,
            date, [
                Column(gettext('casa_l10n_ma.msg_cpc_column_code'), 'code',
                    8),
                Column(gettext('casa_l10n_ma.msg_cpc_column_label'), 'text',
                    70, indent=True),
                _amount_column(
                    gettext('casa_l10n_ma.msg_cpc_column_amount'), width=20),
                ])
        for side in ['actif', 'passif']:
            for type_, depth, amount in bilan[side]:
                if depth and not amount:
                    continue
                sheet.add([codes.get(type_.id) or None, type_.name, amount],
                    'section' if depth <= 1 else 'line', depth=depth)
            sheet.add([None,
                    gettext('casa_l10n_ma.msg_bilan_total_%s' % side),
                    bilan['total_%s' % side]], 'result')
        return sheet

    @classmethod
    def trial_balance(cls, request):
        """Return the accounts with their opening balance, debit, credit
        and closing balance of the posted entries of the range"""
        pool = Pool()
        LedgerAccount = pool.get('account.general_ledger.account')
        if not request.fiscalyear:
            return []
        with Transaction().set_context(company=request.company.id,
                fiscalyear=request.fiscalyear.id,
                start_period=(request.start_period.id
                    if request.start_period else None),
                end_period=(request.end_period.id
                    if request.end_period else None),
                posted=True):
            accounts = LedgerAccount.search([
                    ('company', '=', request.company.id),
                    ])
            rows = [(a.account.code, a.account.name, a.start_balance,
                    a.debit, a.credit, a.end_balance) for a in accounts]
        rows = [r for r in rows if any(r[2:])]
        rows.sort(key=lambda r: r[0] or '')
        return rows

    @classmethod
    def trial_balance_sheet(cls, request):
        "The trial balance (balance générale) with its totals"
        name = gettext('casa_l10n_ma.msg_trial_balance_sheet')
        sheet = Sheet(name, name, request.consolidated_title(),
            request.period_label, [
                Column(gettext('casa_l10n_ma.msg_trial_balance_account'),
                    'code', 10),
                Column(gettext('casa_l10n_ma.msg_cpc_column_label'), 'text',
                    50)] + [
                _amount_column(gettext(
                        'casa_l10n_ma.msg_trial_balance_%s' % c), total=True)
                for c in ['opening', 'debit', 'credit', 'closing']],
            total=gettext('casa_l10n_ma.msg_trial_balance_total'))
        for code, name, *amounts in cls.trial_balance(request):
            sheet.add([code or '', name, *amounts])
        return sheet


class StatementsPDF(StatementsReport):
    "The CPC, Bilan and trial balance as PDF"
    __name__ = 'casa.l10n_ma.statements.pdf'


class LedgerReport(AccountingReport):
    "The general ledger of each unit and of the company"
    __name__ = 'casa.l10n_ma.general_ledger.xlsx'
    _title = 'casa_l10n_ma.msg_ledger_title'

    @classmethod
    def sheets(cls, request):
        pool = Pool()
        Ledger = pool.get('casa.l10n_ma.general_ledger')
        ledgers = {}
        if request.fiscalyear:
            ledgers = Ledger.compute(request.company, request.fiscalyear,
                request.start_period, request.end_period, request.units,
                consolidated=request.company_wide,
                from_code=request.from_code, to_code=request.to_code)
        for unit in request.units:
            ledgers.setdefault(unit.id, [])
        if request.company_wide:
            ledgers.setdefault(None, [])
        else:
            ledgers.pop(None, None)
        period = ' '.join(filter(None, [
                    request.period_label, request.account_range_label()]))
        return [cls.ledger_sheet(name, title, period, blocks)
            for name, title, blocks in request.targets(ledgers)]

    @classmethod
    def ledger_sheet(cls, name, title, period, blocks):
        Ledger = Pool().get('casa.l10n_ma.general_ledger')
        sheet = Sheet(name, gettext('casa_l10n_ma.msg_ledger_title'), title,
            period, [
                Column(gettext('casa_l10n_ma.msg_ledger_date'), 'date', 12),
                Column(gettext('casa_l10n_ma.msg_ledger_journal'), 'text',
                    12),
                Column(gettext('casa_l10n_ma.msg_ledger_move'), 'code', 20),
                Column(gettext('casa_l10n_ma.msg_ledger_description'),
                    'text', 40),
                Column(gettext('casa_l10n_ma.msg_ledger_party'), 'text',
                    28),
                _amount_column(gettext('casa_l10n_ma.msg_trial_balance_debit'),
                    width=16),
                _amount_column(
                    gettext('casa_l10n_ma.msg_trial_balance_credit'),
                    width=16),
                _amount_column(gettext('casa_l10n_ma.msg_ledger_balance'),
                    width=18),
                ])
        for block in blocks:
            account = block['account']
            sheet.add([account.code or '', None, account.name]
                + [None] * 5, 'section')
            sheet.add([None, None, None,
                    gettext('casa_l10n_ma.msg_ledger_opening'), None, None,
                    None, block['opening']])
            for line in block['lines']:
                sheet.add([line['date'], line['journal'], line['move'],
                        line['description'], line['party'], line['debit'],
                        line['credit'], line['balance']])
            sheet.add([account.code or '', None, None,
                    gettext('casa_l10n_ma.msg_ledger_closing'), None,
                    block['debit'], block['credit'], block['closing']],
                'result')
            sheet.add([None] * 8, 'space')
        _, debit, credit, closing = Ledger.totals(blocks)
        sheet.add([None, None, None, gettext('casa_l10n_ma.msg_ledger_total'),
                None, debit, credit, closing], 'result')
        return sheet


class LedgerPDF(LedgerReport):
    "The general ledger as PDF"
    __name__ = 'casa.l10n_ma.general_ledger.pdf'


class VATReturnReport(AccountingReport):
    "The VAT return summary of each unit and of the company"
    __name__ = 'casa.l10n_ma.vat_return.xlsx'
    _title = 'casa_l10n_ma.msg_vat_title'

    @classmethod
    def sheets(cls, request):
        pool = Pool()
        VATReturn = pool.get('casa.l10n_ma.vat_return')
        summaries = VATReturn.compute(request.company, request.period_ids(),
            request.units, consolidated=request.company_wide)
        return [cls.vat_sheet(request, name, title, summary)
            for name, title, summary in request.targets(summaries)]

    @classmethod
    def vat_sheet(cls, request, name, title, summary):
        sheet = Sheet(name, gettext('casa_l10n_ma.msg_vat_title'), title,
            request.period_label, [
                Column(gettext('casa_l10n_ma.msg_cpc_column_label'), 'text',
                    60),
                _amount_column(gettext('casa_l10n_ma.msg_vat_base'),
                    width=20),
                _amount_column(gettext('casa_l10n_ma.msg_vat_tax'),
                    width=20),
                ])
        for rate, base, tax in summary['rates']:
            sheet.add([gettext('casa_l10n_ma.msg_vat_rate', rate=rate),
                    base, tax])
        sheet.add([gettext('casa_l10n_ma.msg_vat_exempt'),
                summary['exempt'], None])
        sheet.add([gettext('casa_l10n_ma.msg_vat_invoiced'),
                summary['turnover'], summary['invoiced']], 'result')
        for key in ['charges', 'assets']:
            sheet.add([gettext('casa_l10n_ma.msg_vat_%s' % key), None,
                    summary[key]])
        for key in ['recoverable', 'due', 'credit']:
            sheet.add([gettext('casa_l10n_ma.msg_vat_%s' % key), None,
                    summary[key]], 'result')
        return sheet


class VATReturnPDF(VATReturnReport):
    "The VAT return summary as PDF"
    __name__ = 'casa.l10n_ma.vat_return.pdf'


REVENUE_BUDGET_FIELDS = ['revenue', 'expense', 'margin', 'budget',
    'variance', 'achievement', 'revenue_last_year', 'revenue_growth']
REVENUE_BUDGET_AMOUNTS = {'revenue', 'expense', 'margin', 'budget',
    'variance', 'revenue_last_year'}


def revenue_budget_total(months):
    """The figures of the sum of months (or of units): the amounts summed,
    the variance, achievement and growth computed from the sums as the
    dashboard computes them"""
    def total(name):
        return sum((m[name] for m in months), Decimal(0))
    return monthly_figures(total('revenue'), total('expense'),
        total('budget'), total('revenue_last_year'))


class RevenueBudgetReport(AccountingReport):
    """The revenue against budget of the units: the dashboard's months, with
    their total and a chart in the workbook; the consolidated sheet (users
    of all units) sums the units of the request"""
    __name__ = 'casa.l10n_ma.revenue_budget.xlsx'
    _title = 'casa_l10n_ma.msg_revenue_budget_title'

    @classmethod
    def months(cls, request):
        """{unit id or None (consolidated): [month]}: the rows of the units'
        dashboard (casa.business_unit.monthly) for the standard periods of
        the range, a month being the dashboard's figures with 'period' (its
        name) and 'month' (its first day).  The consolidated months, for
        the users of all units, are the sums of the units'."""
        pool = Pool()
        Monthly = pool.get('casa.business_unit.monthly')
        Period = pool.get('account.period')
        result = {u.id: [] for u in request.units}
        # the units are those the user may see (allowed_units)
        with Transaction().set_context(company=request.company.id,
                fiscalyear=(request.fiscalyear.id
                    if request.fiscalyear else None)
                ), without_check_access():
            records = Monthly.search([
                    ('company', '=', request.company.id),
                    ('business_unit', 'in', list(result)),
                    ('month', '>=', request.start),
                    ('month_end', '<=', request.end),
                    ], order=[('month', 'ASC'), ('business_unit', 'ASC')])
            values = Monthly.read([r.id for r in records],
                ['business_unit', 'period', 'month'] + REVENUE_BUDGET_FIELDS)
            periods = {p.id: p for p in Period.browse(
                    list({v['period'] for v in values}))}
        for value in values:
            month = {f: value[f] for f in REVENUE_BUDGET_FIELDS}
            month['period'] = periods[value['period']].rec_name
            month['month'] = value['month']
            result[value['business_unit']].append(month)
        if request.company_wide:
            months = {}
            for unit in request.units:
                for month in result[unit.id]:
                    months.setdefault(month['month'], []).append(month)
            result[None] = [
                dict(revenue_budget_total(rows), period=rows[0]['period'],
                    month=date)
                for date, rows in sorted(months.items())]
        return result

    @classmethod
    def sheets(cls, request):
        return [cls.revenue_budget_sheet(request, name, title, months)
            for name, title, months in request.targets(
                cls.months(request), title=request.units_title())]

    @classmethod
    def revenue_budget_sheet(cls, request, name, title, months):
        def column(field):
            label = gettext('casa_l10n_ma.msg_revenue_budget_%s' % {
                    'revenue_last_year': 'last_year',
                    'revenue_growth': 'growth',
                    }.get(field, field))
            if field in REVENUE_BUDGET_AMOUNTS:
                return _amount_column(label, width=17)
            return Column(label, 'percent', 17)
        sheet = Sheet(name, gettext('casa_l10n_ma.msg_revenue_budget_title'),
            title, request.period_label,
            [Column(gettext('casa_l10n_ma.msg_revenue_budget_month'), 'code',
                    16)] + [column(f) for f in REVENUE_BUDGET_FIELDS],
            freeze_columns=1,
            chart=Chart(title, [
                    (1, 'column', {'fill': {'color': '#2E75B6'}}),
                    (7, 'column', {'fill': {'color': '#BDD7EE'}}),
                    (3, 'line', {
                            'line': {'color': '#548235', 'width': 2},
                            'marker': {'type': 'circle'}}),
                    (4, 'line', {
                            'line': {'color': '#C00000', 'width': 2,
                                'dash_type': 'dash'}}),
                    ]))
        for month in months:
            sheet.add([month['period']]
                + [month[f] for f in REVENUE_BUDGET_FIELDS])
        total = revenue_budget_total(months)
        sheet.add([gettext('casa_l10n_ma.msg_trial_balance_total')]
            + [total[f] for f in REVENUE_BUDGET_FIELDS], 'result')
        return sheet


class RevenueBudgetPDF(RevenueBudgetReport):
    "The revenue against budget of the units as PDF"
    __name__ = 'casa.l10n_ma.revenue_budget.pdf'
