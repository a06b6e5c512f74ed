# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The general ledger, the VAT return and the revenue against budget as XLSX
workbooks (a sheet per business unit and a consolidated one), and every
statement (CPC, Bilan, trial balance, general ledger, VAT return, revenue
against budget) as PDF from ODT templates converted by LibreOffice."""
import datetime as dt
import io
from decimal import Decimal

import xlsxwriter

from trytond.i18n import gettext
from trytond.modules.casa_base.dashboard import monthly_figures
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from .ledger import period_range
from .report_cpc import (
    HEADER_ROW, RESULT_CODES, CPCReport, add_sheet, workbook_formats)
from .statement import ORDER, SECTIONS


class StatementRequest:
    "The request of a statement report: company, range, units, user"

    def __init__(self, data):
        pool = Pool()
        Company = pool.get('company.company')
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        self.data = data
        self.company = Company(data['company'])
        self.start = dt.date.fromisoformat(data['start_date'])
        self.end = dt.date.fromisoformat(data['end_date'])
        self.fiscalyear = (FiscalYear(data['fiscalyear'])
            if data.get('fiscalyear') else None)
        self.start_period = (Period(data['start_period'])
            if data.get('start_period') else None)
        self.end_period = (Period(data['end_period'])
            if data.get('end_period') else None)
        self.units = CPCReport.allowed_units(self.company, data.get('units'))
        # the company-wide figures are for the users of all the units
        self.company_wide = User.get_business_units() is None
        # the Bilan of each unit when units are asked (always for unit
        # users), the company's for the users of all units
        self.unit_bilans = bool(data.get('units')) or not self.company_wide
        self.lang = Lang.get()
        self.currency = self.company.currency
        self.period_label = gettext('casa_l10n_ma.msg_cpc_period',
            start=self.lang.strftime(self.start),
            end=self.lang.strftime(self.end))
        self.from_code = data.get('from_account_code') or None
        self.to_code = data.get('to_account_code') or None

    def period_ids(self):
        "The ids of the periods of the range"
        if not self.fiscalyear:
            return []
        return period_range(
            self.fiscalyear, self.start_period, self.end_period)[1]

    def unit_title(self, unit):
        return '%s — %s' % (self.company.rec_name, unit.rec_name)

    def statements(self):
        "The CPC of the units (and consolidated), the Bilans, trial balance"
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Bilan = pool.get('casa.l10n_ma.bilan')
        cpc = CPC.compute(self.company, self.start, self.end, self.units,
            consolidated=self.company_wide)
        bilans = []
        if self.unit_bilans:
            bilans.extend((unit, Bilan.compute(self.company, self.end, unit))
                for unit in self.units)
        if self.company_wide:
            bilans.append((None, Bilan.compute(self.company, self.end)))
        trial_balance = (CPCReport.trial_balance(self.company, self.data)
            if self.company_wide else None)
        return cpc, bilans, trial_balance

    def ledgers(self):
        "{unit id or None: account blocks} of the general ledger"
        pool = Pool()
        Ledger = pool.get('casa.l10n_ma.general_ledger')
        if not self.fiscalyear:
            return {}
        return Ledger.compute(self.company, self.fiscalyear,
            self.start_period, self.end_period, self.units,
            consolidated=self.company_wide,
            from_code=self.from_code, to_code=self.to_code)

    def vat_returns(self):
        "{unit id or None: summary} of the VAT return"
        pool = Pool()
        VATReturn = pool.get('casa.l10n_ma.vat_return')
        return VATReturn.compute(self.company, self.period_ids(), self.units,
            consolidated=self.company_wide)

    def revenue_budgets(self):
        """{unit id or None (consolidated): [month]} of the revenue against
        budget: the rows of the units' dashboard (casa.business_unit.monthly)
        for the standard periods of the range, a month being the
        dashboard's figures with 'period' (its name) and 'month' (its first
        day).  The consolidated months, for the users of all units, are the
        sums of the units' with their ratios computed from the sums."""
        pool = Pool()
        Monthly = pool.get('casa.business_unit.monthly')
        result = {u.id: [] for u in self.units}
        # the units are those the user may see (allowed_units)
        with Transaction().set_context(company=self.company.id,
                fiscalyear=self.fiscalyear.id if self.fiscalyear else None
                ), without_check_access():
            records = Monthly.search([
                    ('company', '=', self.company.id),
                    ('business_unit', 'in', list(result)),
                    ('month', '>=', self.start),
                    ('month_end', '<=', self.end),
                    ], order=[('month', 'ASC'), ('business_unit', 'ASC')])
            values = Monthly.read([r.id for r in records],
                ['business_unit', 'period', 'month'] + REVENUE_BUDGET_FIELDS)
            periods = {p.id: p for p in Pool().get('account.period').browse(
                    list({v['period'] for v in values}))}
        for value in values:
            month = {f: value[f] for f in REVENUE_BUDGET_FIELDS}
            month['period'] = periods[value['period']].rec_name
            month['month'] = value['month']
            result[value['business_unit']].append(month)
        if self.company_wide:
            months = {}
            for unit in self.units:
                for month in result[unit.id]:
                    months.setdefault(month['month'], []).append(month)
            result[None] = [
                dict(revenue_budget_total(rows), period=rows[0]['period'],
                    month=date)
                for date, rows in sorted(months.items())]
        return result

    def account_range_label(self):
        if not self.from_code and not self.to_code:
            return ''
        return gettext('casa_l10n_ma.msg_ledger_account_range',
            start=self.from_code or '…', end=self.to_code or '…')


def check_report_access(report_name):
    pool = Pool()
    ActionReport = pool.get('ir.action.report')
    Report_ = pool.get(report_name, type='report')
    action_report, = ActionReport.search([
            ('report_name', '=', report_name)], limit=1)
    Report_.check_access(action_report, None, [])
    return action_report


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


def revenue_budget_columns():
    return [gettext('casa_l10n_ma.msg_revenue_budget_%s' % c) for c in [
            'month', 'revenue', 'expense', 'margin', 'budget', 'variance',
            'achievement', 'last_year', 'growth']]


def vat_rows(summary):
    """The rows of a VAT return: (label, base, tax, bold); None for an
    empty cell"""
    rows = []
    for rate, base, tax in summary['rates']:
        rows.append((gettext('casa_l10n_ma.msg_vat_rate', rate=rate),
                base, tax, False))
    rows.append((gettext('casa_l10n_ma.msg_vat_exempt'),
            summary['exempt'], None, False))
    rows.append((gettext('casa_l10n_ma.msg_vat_invoiced'),
            summary['turnover'], summary['invoiced'], True))
    rows.append((gettext('casa_l10n_ma.msg_vat_charges'),
            None, summary['charges'], False))
    rows.append((gettext('casa_l10n_ma.msg_vat_assets'),
            None, summary['assets'], False))
    rows.append((gettext('casa_l10n_ma.msg_vat_recoverable'),
            None, summary['recoverable'], True))
    rows.append((gettext('casa_l10n_ma.msg_vat_due'),
            None, summary['due'], True))
    rows.append((gettext('casa_l10n_ma.msg_vat_credit'),
            None, summary['credit'], True))
    return rows


class UnitWorkbook(Report):
    """An XLSX workbook of a statement: a sheet per unit of the request and,
    for users of all units, a consolidated sheet"""
    # the message of the statement's title
    _title = None

    @classmethod
    def figures(cls, request):
        "{unit id (None: consolidated): what write_sheet shows}"
        raise NotImplementedError

    @classmethod
    def unit_figures(cls, figures, unit_id):
        return figures[unit_id]

    @classmethod
    def has_consolidated(cls, request, figures):
        return None in figures

    @classmethod
    def consolidated_title(cls, request):
        return request.company.rec_name

    @classmethod
    def execute(cls, ids, data):
        check_report_access(cls.__name__)
        request = StatementRequest(data)
        figures = cls.figures(request)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        formats = workbook_formats(workbook, request.currency)
        for unit in request.units:
            cls.write_sheet(workbook, formats, request, unit.code,
                request.unit_title(unit), cls.unit_figures(figures, unit.id))
        if cls.has_consolidated(request, figures):
            cls.write_sheet(workbook, formats, request,
                gettext('casa_l10n_ma.msg_cpc_consolidated'),
                cls.consolidated_title(request),
                cls.unit_figures(figures, None))
        if not workbook.worksheets():
            workbook.add_worksheet()
        workbook.close()
        name = '%s %s %s-%s' % (
            gettext(cls._title), request.company.rec_name,
            request.start.isoformat(), request.end.isoformat())
        return 'xlsx', output.getvalue(), False, name

    @classmethod
    def write_sheet(cls, workbook, formats, request, name, title, figures):
        raise NotImplementedError


class LedgerXLSX(UnitWorkbook):
    "The general ledger as an XLSX workbook"
    __name__ = 'casa.l10n_ma.general_ledger.xlsx'
    _title = 'casa_l10n_ma.msg_ledger_title'

    @classmethod
    def figures(cls, request):
        return request.ledgers()

    @classmethod
    def unit_figures(cls, figures, unit_id):
        return figures.get(unit_id, [])

    @classmethod
    def has_consolidated(cls, request, figures):
        return request.company_wide

    @classmethod
    def write_sheet(cls, workbook, formats, request, name, title, blocks):
        Ledger = Pool().get('casa.l10n_ma.general_ledger')
        widths = [12, 12, 20, 40, 28, 16, 16, 18]
        sheet, row = add_sheet(workbook, formats, name,
            [(c, c, w) for c, w in enumerate(widths)],
            gettext('casa_l10n_ma.msg_ledger_title'), title,
            ' '.join(filter(None, [
                        request.period_label,
                        request.account_range_label()])),
            ledger_columns())
        for block in blocks:
            account = block['account']
            sheet.write(row, 0, account.code or '', formats['section'])
            sheet.write(row, 1, '', formats['section'])
            sheet.write(row, 2, account.name, formats['section'])
            row += 1
            sheet.write(row, 3, gettext('casa_l10n_ma.msg_ledger_opening'))
            sheet.write_number(row, 7, block['opening'], formats['amount'])
            row += 1
            for line in block['lines']:
                sheet.write_datetime(row, 0,
                    dt.datetime.combine(line['date'], dt.time()),
                    formats['date'])
                sheet.write(row, 1, line['journal'])
                sheet.write(row, 2, line['move'])
                sheet.write(row, 3, line['description'])
                sheet.write(row, 4, line['party'])
                sheet.write_number(row, 5, line['debit'], formats['amount'])
                sheet.write_number(row, 6, line['credit'], formats['amount'])
                sheet.write_number(
                    row, 7, line['balance'], formats['amount'])
                row += 1
            sheet.write(row, 0, account.code or '', formats['result'])
            for column in range(1, 5):
                sheet.write(row, column, '', formats['result'])
            sheet.write(row, 3, gettext('casa_l10n_ma.msg_ledger_closing'),
                formats['result'])
            sheet.write_number(row, 5, block['debit'],
                formats['amount_result'])
            sheet.write_number(row, 6, block['credit'],
                formats['amount_result'])
            sheet.write_number(row, 7, block['closing'],
                formats['amount_result'])
            row += 2
        opening, debit, credit, closing = Ledger.totals(blocks)
        sheet.write(row, 3, gettext('casa_l10n_ma.msg_ledger_total'),
            formats['result'])
        sheet.write_number(row, 5, debit, formats['amount_result'])
        sheet.write_number(row, 6, credit, formats['amount_result'])
        sheet.write_number(row, 7, closing, formats['amount_result'])
        return sheet


def ledger_columns():
    return [gettext('casa_l10n_ma.msg_ledger_%s' % c) for c in [
            'date', 'journal', 'move', 'description', 'party']] + [
        gettext('casa_l10n_ma.msg_trial_balance_debit'),
        gettext('casa_l10n_ma.msg_trial_balance_credit'),
        gettext('casa_l10n_ma.msg_ledger_balance')]


class VATReturnXLSX(UnitWorkbook):
    "The VAT return summary as an XLSX workbook"
    __name__ = 'casa.l10n_ma.vat_return.xlsx'
    _title = 'casa_l10n_ma.msg_vat_title'

    @classmethod
    def figures(cls, request):
        return request.vat_returns()

    @classmethod
    def write_sheet(cls, workbook, formats, request, name, title, summary):
        sheet, row = add_sheet(workbook, formats, name,
            [(0, 0, 60), (1, 2, 20)],
            gettext('casa_l10n_ma.msg_vat_title'), title,
            request.period_label, [
                gettext('casa_l10n_ma.msg_cpc_column_label'),
                gettext('casa_l10n_ma.msg_vat_base'),
                gettext('casa_l10n_ma.msg_vat_tax')])
        for label, base, tax, bold in vat_rows(summary):
            sheet.write(row, 0, label,
                formats['result'] if bold else None)
            for column, value in [(1, base), (2, tax)]:
                if value is not None:
                    sheet.write_number(row, column, value,
                        formats['amount_result'] if bold
                        else formats['amount'])
                elif bold:
                    sheet.write(row, column, '', formats['result'])
            row += 1
        return sheet


class RevenueBudgetXLSX(UnitWorkbook):
    """The revenue against budget of the units as an XLSX workbook, with a
    chart per sheet"""
    __name__ = 'casa.l10n_ma.revenue_budget.xlsx'
    _title = 'casa_l10n_ma.msg_revenue_budget_title'

    @classmethod
    def figures(cls, request):
        return request.revenue_budgets()

    @classmethod
    def consolidated_title(cls, request):
        return '%s — %s' % (request.company.rec_name,
            gettext('casa_l10n_ma.msg_cpc_consolidated'))

    @classmethod
    def write_sheet(cls, workbook, formats, request, name, title, months):
        sheet, row = add_sheet(workbook, formats, name,
            [(0, 0, 16), (1, 8, 17)],
            gettext('casa_l10n_ma.msg_revenue_budget_title'), title,
            request.period_label, revenue_budget_columns(),
            freeze_columns=1)

        def write(row, values, bold):
            for column, field in enumerate(REVENUE_BUDGET_FIELDS, 1):
                value = values[field]
                if field in REVENUE_BUDGET_AMOUNTS:
                    format_ = formats['amount_result' if bold else 'amount']
                else:
                    format_ = formats[
                        'percent_result' if bold else 'percent']
                if value is None:
                    sheet.write_blank(row, column, None, format_)
                else:
                    sheet.write_number(row, column, value, format_)
        for month in months:
            sheet.write(row, 0, month['period'])
            write(row, month, False)
            row += 1
        sheet.write(row, 0, gettext('casa_l10n_ma.msg_trial_balance_total'),
            formats['result'])
        write(row, revenue_budget_total(months), True)
        if months:
            cls.add_chart(workbook, sheet, title, HEADER_ROW, len(months),
                row + 2)
        return sheet

    @classmethod
    def add_chart(cls, workbook, sheet, title, header, count, row):
        """Columns of the revenue against the revenue of the year before,
        lines of the margin and of the budget, per month"""
        first, last = header + 1, header + count
        categories = [sheet.name, first, 0, last, 0]

        def series(column, **options):
            return dict(options, name=[sheet.name, header, column],
                categories=categories,
                values=[sheet.name, first, column, last, column])
        chart = workbook.add_chart({'type': 'column'})
        chart.add_series(series(1, fill={'color': '#2E75B6'}))
        chart.add_series(series(7, fill={'color': '#BDD7EE'}))
        line = workbook.add_chart({'type': 'line'})
        line.add_series(series(3, line={'color': '#548235', 'width': 2},
                marker={'type': 'circle'}))
        line.add_series(series(4, line={'color': '#C00000', 'width': 2,
                    'dash_type': 'dash'}))
        chart.combine(line)
        chart.set_title({'name': title})
        chart.set_y_axis({'num_format': '#,##0'})
        chart.set_legend({'position': 'bottom'})
        chart.set_size({'width': 900, 'height': 360})
        sheet.insert_chart(row, 0, chart)


class ODTStatementReport(Report):
    """A statement as PDF: the pages of the report, each a title and a
    table, rendered by a generic ODT template of the report's columns"""

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        request = StatementRequest(data)
        context['company'] = request.company
        # the template has a table layout per number of columns
        for n in [3, 6, 8, 9]:
            context['pages_%d' % n] = []
        for page_ in cls.pages(request):
            context['pages_%d' % len(page_['columns'])].append(page_)
        context['printed'] = gettext('casa_l10n_ma.msg_report_printed',
            date=request.lang.strftime(
                Pool().get('ir.date').today()))
        return context

    @classmethod
    def amount(cls, request, value):
        if value is None:
            return ''
        return request.lang.currency(value, request.currency, symbol=True,
            grouping=True)

    @classmethod
    def pages(cls, request):
        raise NotImplementedError


def page(title, subtitle, period, columns, rows):
    """A page of an ODT statement: rows are (cells, bold), every row with as
    many cells as columns"""
    return {
        'title': title,
        'subtitle': subtitle,
        'period': period,
        'columns': columns,
        'rows': [{'cells': list(cells), 'bold': bold}
            for cells, bold in rows],
        }


class StatementsPDF(ODTStatementReport):
    "CPC, Bilan and trial balance as PDF"
    __name__ = 'casa.l10n_ma.statements.pdf'

    @classmethod
    def pages(cls, request):
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Type = pool.get('account.account.type')
        cpc, bilans, trial_balance = request.statements()
        sections = CPC.type_sections(request.company.id)
        types = Type.browse(sorted(sections))
        types.sort(key=lambda t: (t.sequence or 0, t.name))
        amount = lambda v: cls.amount(request, v)  # noqa: E731
        columns3 = [
            gettext('casa_l10n_ma.msg_cpc_column_code'),
            gettext('casa_l10n_ma.msg_cpc_column_label'),
            gettext('casa_l10n_ma.msg_cpc_column_amount')]
        pages = []
        targets = [(request.unit_title(u), cpc[u.id]) for u in request.units]
        if None in cpc:
            targets.append((
                    '%s — %s' % (request.company.rec_name,
                        gettext('casa_l10n_ma.msg_cpc_consolidated')),
                    cpc[None]))
        section_codes = {c for c, _, _ in SECTIONS}
        for title, statement in targets:
            rows = []
            for code in ORDER:
                label = gettext('casa_l10n_ma.msg_cpc_%s' % code)
                rows.append(((code, label,
                            amount(statement['sections'][code])), True))
                if code in RESULT_CODES:
                    continue
                assert code in section_codes
                for type_ in types:
                    if sections[type_.id][0] != code:
                        continue
                    value = statement['types'].get(type_.id)
                    if value:
                        rows.append((('', type_.name, amount(value)), False))
            pages.append(page(gettext('casa_l10n_ma.msg_cpc_title'), title,
                    request.period_label, columns3, rows))
        date = gettext('casa_l10n_ma.msg_bilan_date',
            date=request.lang.strftime(request.end))
        for unit, bilan in bilans:
            rows = []
            for side in ['actif', 'passif']:
                for type_, depth, value in bilan[side]:
                    if depth and not value:
                        continue
                    rows.append((('', '\u00a0\u00a0\u00a0' * depth
                                + type_.name, amount(value)), depth <= 1))
                rows.append((('', gettext(
                                'casa_l10n_ma.msg_bilan_total_%s' % side),
                            amount(bilan['total_%s' % side])), True))
            pages.append(page(gettext('casa_l10n_ma.msg_bilan_sheet'),
                    request.unit_title(unit) if unit
                    else request.company.rec_name, date, columns3, rows))
        if trial_balance is not None:
            rows = [((code or '', name, *(amount(v) for v in values)), False)
                for code, name, *values in trial_balance]
            rows.append((('', gettext('casa_l10n_ma.msg_trial_balance_total'),
                        *(amount(sum(r[i] for r in trial_balance))
                            for i in range(2, 6))), True))
            pages.append(page(
                    gettext('casa_l10n_ma.msg_trial_balance_sheet'),
                    request.company.rec_name, request.period_label, [
                        gettext('casa_l10n_ma.msg_trial_balance_account'),
                        gettext('casa_l10n_ma.msg_cpc_column_label'),
                        gettext('casa_l10n_ma.msg_trial_balance_opening'),
                        gettext('casa_l10n_ma.msg_trial_balance_debit'),
                        gettext('casa_l10n_ma.msg_trial_balance_credit'),
                        gettext('casa_l10n_ma.msg_trial_balance_closing'),
                        ], rows))
        return pages


class LedgerPDF(ODTStatementReport):
    "The general ledger as PDF"
    __name__ = 'casa.l10n_ma.general_ledger.pdf'

    @classmethod
    def pages(cls, request):
        Ledger = Pool().get('casa.l10n_ma.general_ledger')
        ledgers = request.ledgers()
        amount = lambda v: cls.amount(request, v)  # noqa: E731
        targets = [(request.unit_title(u), ledgers.get(u.id, []))
            for u in request.units]
        if request.company_wide:
            targets.append((
                    '%s — %s' % (request.company.rec_name,
                        gettext('casa_l10n_ma.msg_cpc_consolidated')),
                    ledgers.get(None, [])))
        period = ' '.join(filter(None, [
                    request.period_label, request.account_range_label()]))
        pages = []
        for title, blocks in targets:
            rows = []
            for block in blocks:
                account = block['account']
                rows.append(((account.code or '', '', '', account.name,
                            '', '', '', ''), True))
                rows.append((('', '', '',
                            gettext('casa_l10n_ma.msg_ledger_opening'),
                            '', '', '', amount(block['opening'])), False))
                for line in block['lines']:
                    rows.append(((request.lang.strftime(line['date']),
                                line['journal'], line['move'],
                                line['description'], line['party'],
                                amount(line['debit']),
                                amount(line['credit']),
                                amount(line['balance'])), False))
                rows.append((('', '', '',
                            gettext('casa_l10n_ma.msg_ledger_closing'), '',
                            amount(block['debit']), amount(block['credit']),
                            amount(block['closing'])), True))
            _, debit, credit, closing = Ledger.totals(blocks)
            rows.append((('', '', '',
                        gettext('casa_l10n_ma.msg_ledger_total'), '',
                        amount(debit), amount(credit), amount(closing)),
                    True))
            pages.append(page(gettext('casa_l10n_ma.msg_ledger_title'),
                    title, period, ledger_columns(), rows))
        return pages


class VATReturnPDF(ODTStatementReport):
    "The VAT return summary as PDF"
    __name__ = 'casa.l10n_ma.vat_return.pdf'

    @classmethod
    def pages(cls, request):
        summaries = request.vat_returns()
        amount = lambda v: cls.amount(request, v)  # noqa: E731
        targets = [(request.unit_title(u), summaries[u.id])
            for u in request.units]
        if None in summaries:
            targets.append((
                    '%s — %s' % (request.company.rec_name,
                        gettext('casa_l10n_ma.msg_cpc_consolidated')),
                    summaries[None]))
        columns = [
            gettext('casa_l10n_ma.msg_cpc_column_label'),
            gettext('casa_l10n_ma.msg_vat_base'),
            gettext('casa_l10n_ma.msg_vat_tax')]
        return [page(gettext('casa_l10n_ma.msg_vat_title'), title,
                request.period_label, columns,
                [((label, amount(base), amount(tax)), bold)
                    for label, base, tax, bold in vat_rows(summary)])
            for title, summary in targets]



class RevenueBudgetPDF(ODTStatementReport):
    "The revenue against budget of the units as PDF"
    __name__ = 'casa.l10n_ma.revenue_budget.pdf'

    @classmethod
    def percent(cls, request, value):
        if value is None:
            return ''
        return '%s\u00a0%%' % request.lang.format(
            '%.1f', value * 100, grouping=True)

    @classmethod
    def pages(cls, request):
        months = request.revenue_budgets()
        targets = [(request.unit_title(u), months[u.id])
            for u in request.units]
        if None in months:
            targets.append((
                    '%s — %s' % (request.company.rec_name,
                        gettext('casa_l10n_ma.msg_cpc_consolidated')),
                    months[None]))

        def cells(label, values):
            return [label] + [
                cls.amount(request, values[f])
                if f in REVENUE_BUDGET_AMOUNTS
                else cls.percent(request, values[f])
                for f in REVENUE_BUDGET_FIELDS]
        pages = []
        for title, rows in targets:
            lines = [(cells(m['period'], m), False) for m in rows]
            lines.append((cells(
                        gettext('casa_l10n_ma.msg_trial_balance_total'),
                        revenue_budget_total(rows)), True))
            pages.append(page(
                    gettext('casa_l10n_ma.msg_revenue_budget_title'),
                    title, request.period_label, revenue_budget_columns(),
                    lines))
        return pages
