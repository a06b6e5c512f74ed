# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The CPC as an XLSX workbook: one sheet per business unit and a
consolidated one."""
import io

import xlsxwriter

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)

from .statement import ORDER, SECTIONS

RESULT_CODES = {'III', 'VI', 'VII', 'X', 'XI', 'XIII'}


# the row of the columns' header in every sheet, below heading, title and
# period
HEADER_ROW = 4


def add_sheet(workbook, formats, name, widths, heading, title, period,
        columns, freeze_columns=0):
    """A sheet with its heading, title and period on the first rows and the
    header of its columns frozen below; widths are (first column, last
    column, width).  Return the sheet and its first row of figures."""
    sheet = workbook.add_worksheet(name[:31])
    for first, last, width in widths:
        sheet.set_column(first, last, width)
    sheet.write(0, 0, heading, formats['title'])
    sheet.write(1, 0, title)
    sheet.write(2, 0, period)
    sheet.write_row(HEADER_ROW, 0, columns, formats['header'])
    sheet.freeze_panes(HEADER_ROW + 1, freeze_columns)
    return sheet, HEADER_ROW + 1


def workbook_formats(workbook, currency):
    "The cell formats of the statements' workbooks, amounts in the currency"
    symbol = currency.symbol or currency.code
    amount = '#,##0.00 "%s";-#,##0.00 "%s"' % (symbol, symbol)
    return {
        'title': workbook.add_format({'bold': True, 'font_size': 14}),
        'header': workbook.add_format({
                'bold': True, 'bg_color': '#DDEBF7', 'border': 1}),
        'section': workbook.add_format({'bold': True}),
        'result': workbook.add_format({
                'bold': True, 'top': 1, 'bg_color': '#F2F2F2'}),
        'amount': workbook.add_format({'num_format': amount}),
        'amount_bold': workbook.add_format({
                'bold': True, 'num_format': amount}),
        'amount_result': workbook.add_format({
                'bold': True, 'top': 1, 'bg_color': '#F2F2F2',
                'num_format': amount}),
        'date': workbook.add_format({'num_format': 'dd/mm/yyyy'}),
        'percent': workbook.add_format({'num_format': '0.0 %'}),
        'percent_result': workbook.add_format({
                'bold': True, 'top': 1, 'bg_color': '#F2F2F2',
                'num_format': '0.0 %'}),
        }


class CPCReport(Report):
    __name__ = 'casa.l10n_ma.cpc.xlsx'

    @classmethod
    def execute(cls, ids, data):
        from .reports import StatementRequest, check_report_access
        check_report_access(cls.__name__)
        request = StatementRequest(data)
        statements, bilans, trial_balance = request.statements()
        content = cls.render_workbook(
            request.company, request.start, request.end, request.units,
            statements, bilans, trial_balance)
        name = 'CPC %s %s-%s' % (request.company.rec_name,
            request.start.isoformat(), request.end.isoformat())
        return 'xlsx', content, False, name

    @classmethod
    def allowed_units(cls, company, unit_ids=None):
        """Return the units asked (all when none) among those of the
        company the user works for"""
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        User = pool.get('res.user')
        domain = [('company', '=', company.id)]
        if unit_ids:
            domain.append(('id', 'in', list(unit_ids)))
        allowed = User.get_business_units()
        if allowed is not None:
            domain.append(('id', 'in', list(allowed)))
        with without_check_access():
            return BusinessUnit.search(domain)

    @classmethod
    def render_workbook(cls, company, start, end, units, statements,
            bilans=(), trial_balance=None):
        """The workbook of the CPC of the units and consolidated, the Bilans
        [(unit or None for the company, bilan)] and the trial balance"""
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Type = pool.get('account.account.type')
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        sections = CPC.type_sections(company.id)
        types = Type.browse(sorted(sections))
        types.sort(key=lambda t: (t.sequence or 0, t.name))

        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        formats = workbook_formats(workbook, company.currency)
        period = gettext('casa_l10n_ma.msg_cpc_period',
            start=lang.strftime(start), end=lang.strftime(end))
        for unit in units:
            cls.write_sheet(workbook, formats, unit.code,
                '%s — %s' % (company.rec_name, unit.rec_name), period,
                statements[unit.id], types, sections)
        if None in statements:
            cls.write_sheet(workbook, formats,
                gettext('casa_l10n_ma.msg_cpc_consolidated'),
                company.rec_name, period, statements[None], types, sections)
        date = gettext('casa_l10n_ma.msg_bilan_date',
            date=lang.strftime(end))
        for unit, bilan in bilans:
            if unit:
                cls.write_bilan(workbook, formats,
                    '%s %s' % (gettext('casa_l10n_ma.msg_bilan_sheet'),
                        unit.code),
                    '%s — %s' % (company.rec_name, unit.rec_name), date,
                    bilan)
            else:
                cls.write_bilan(workbook, formats,
                    gettext('casa_l10n_ma.msg_bilan_sheet'),
                    company.rec_name, date, bilan)
        if trial_balance is not None:
            cls.write_trial_balance(
                workbook, formats, company.rec_name, period, trial_balance)
        workbook.close()
        return output.getvalue()

    @classmethod
    def write_sheet(cls, workbook, formats, name, title, period, statement,
            types, sections):
        sheet, row = add_sheet(workbook, formats, name,
            [(0, 0, 8), (1, 1, 60), (2, 2, 20)],
            gettext('casa_l10n_ma.msg_cpc_title'), title, period, [
                gettext('casa_l10n_ma.msg_cpc_column_code'),
                gettext('casa_l10n_ma.msg_cpc_column_label'),
                gettext('casa_l10n_ma.msg_cpc_column_amount')])
        section_codes = {c for c, _, _ in SECTIONS}
        for code in ORDER:
            label = gettext('casa_l10n_ma.msg_cpc_%s' % code)
            amount = statement['sections'][code]
            if code in RESULT_CODES:
                sheet.write(row, 0, code, formats['result'])
                sheet.write(row, 1, label, formats['result'])
                sheet.write_number(row, 2, amount, formats['amount_result'])
                row += 1
                continue
            sheet.write(row, 0, code, formats['section'])
            sheet.write(row, 1, label, formats['section'])
            sheet.write_number(row, 2, amount, formats['amount_bold'])
            row += 1
            assert code in section_codes
            for type_ in types:
                if sections[type_.id][0] != code:
                    continue
                value = statement['types'].get(type_.id)
                if not value:
                    continue
                sheet.write(row, 1, '    ' + type_.name)
                sheet.write_number(row, 2, value, formats['amount'])
                row += 1
        return sheet


    @classmethod
    def write_bilan(cls, workbook, formats, name, title, date, bilan):
        "The Bilan at the end date: assets then liabilities, with totals"
        sheet, row = add_sheet(workbook, formats, name,
            [(0, 0, 70), (1, 1, 20)],
            gettext('casa_l10n_ma.msg_bilan_sheet'), title, date, [
                gettext('casa_l10n_ma.msg_cpc_column_label'),
                gettext('casa_l10n_ma.msg_cpc_column_amount')])
        for side in ['actif', 'passif']:
            for type_, depth, amount in bilan[side]:
                if depth and not amount:
                    continue
                bold = depth <= 1
                sheet.write(row, 0, '    ' * depth + type_.name,
                    formats['section'] if bold else None)
                sheet.write_number(row, 1, amount,
                    formats['amount_bold'] if bold else formats['amount'])
                row += 1
            sheet.write(row, 0, gettext('casa_l10n_ma.msg_bilan_total_%s'
                    % side), formats['result'])
            sheet.write_number(row, 1, bilan['total_%s' % side],
                formats['amount_result'])
            row += 2
        return sheet


    @classmethod
    def trial_balance(cls, company, data):
        """Return the accounts with their opening balance, debit, credit
        and closing balance of the posted entries of the range"""
        pool = Pool()
        LedgerAccount = pool.get('account.general_ledger.account')
        if not data.get('fiscalyear'):
            return None
        with Transaction().set_context(company=company.id,
                fiscalyear=data['fiscalyear'],
                start_period=data['start_period'],
                end_period=data['end_period'], posted=True):
            accounts = LedgerAccount.search([
                    ('company', '=', company.id),
                    ])
            rows = [(a.account.code, a.account.name, a.start_balance,
                    a.debit, a.credit, a.end_balance) for a in accounts]
        rows = [r for r in rows if any(r[2:])]
        rows.sort(key=lambda r: r[0] or '')
        return rows

    @classmethod
    def write_trial_balance(cls, workbook, formats, title, period, rows):
        "The trial balance (balance générale) with its totals"
        name = gettext('casa_l10n_ma.msg_trial_balance_sheet')
        sheet, row = add_sheet(workbook, formats, name,
            [(0, 0, 10), (1, 1, 50), (2, 5, 18)], name, title, period, [
                gettext('casa_l10n_ma.msg_trial_balance_account'),
                gettext('casa_l10n_ma.msg_cpc_column_label'),
                gettext('casa_l10n_ma.msg_trial_balance_opening'),
                gettext('casa_l10n_ma.msg_trial_balance_debit'),
                gettext('casa_l10n_ma.msg_trial_balance_credit'),
                gettext('casa_l10n_ma.msg_trial_balance_closing')])
        for values in rows:
            sheet.write(row, 0, values[0])
            sheet.write(row, 1, values[1])
            for column, amount in enumerate(values[2:], 2):
                sheet.write_number(row, column, amount, formats['amount'])
            row += 1
        sheet.write(row, 1, gettext('casa_l10n_ma.msg_trial_balance_total'),
            formats['result'])
        for column in range(2, 6):
            sheet.write_number(row, column,
                sum(values[column] for values in rows),
                formats['amount_result'])
        return sheet


class CPCPrintStart(ModelView):
    __name__ = 'casa.l10n_ma.cpc.print.start'
    __string__ = "Print Accounting Reports"
    report = fields.Selection([
            ('statements', "CPC, Bilan and trial balance"),
            ('general_ledger', "General ledger"),
            ('vat_return', "VAT return"),
            ('revenue_budget', "Revenue against budget"),
            ], "Report", required=True)
    format = fields.Selection([
            ('xlsx', "Spreadsheet (XLSX)"),
            ('pdf', "PDF"),
            ], "Format", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    start_period = fields.Many2One(
        'account.period', "Start Period", required=True,
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ('type', '=', 'standard'),
            If(Eval('end_period'),
                ('start_date', '<=', Eval('end_period_start', None)),
                ()),
            ])
    end_period = fields.Many2One(
        'account.period', "End Period", required=True,
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ('type', '=', 'standard'),
            If(Eval('start_period'),
                ('start_date', '>=', Eval('start_period_start', None)),
                ()),
            ])
    start_period_start = fields.Function(
        fields.Date("Start Period Start"), 'on_change_with_start_period_start')
    end_period_start = fields.Function(
        fields.Date("End Period Start"), 'on_change_with_end_period_start')
    units = fields.Many2Many(
        'casa.business_unit', None, None, "Business Units",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Leave empty for every business unit you work for.\n"
        "With units chosen, the Bilan of each of them is given too.")
    from_account = fields.Many2One(
        'account.account', "From Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ],
        states={
            'invisible': Eval('report') != 'general_ledger',
            },
        help="The first account of the general ledger (by code).")
    to_account = fields.Many2One(
        'account.account', "To Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ],
        states={
            'invisible': Eval('report') != 'general_ledger',
            },
        help="The last account of the general ledger (by code).")

    @classmethod
    def default_report(cls):
        return 'statements'

    @classmethod
    def default_format(cls):
        return 'xlsx'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_fiscalyear(cls):
        pool = Pool()
        Context = pool.get('casa.business_unit.monthly.context')
        return Context.default_fiscalyear()

    @fields.depends('start_period')
    def on_change_with_start_period_start(self, name=None):
        return self.start_period.start_date if self.start_period else None

    @fields.depends('end_period')
    def on_change_with_end_period_start(self, name=None):
        return self.end_period.start_date if self.end_period else None

    @fields.depends('fiscalyear')
    def on_change_fiscalyear(self):
        self.start_period = self.end_period = None


class CPCPrint(Wizard):
    __name__ = 'casa.l10n_ma.cpc.print'
    __string__ = "Print Accounting Reports"
    start = StateView('casa.l10n_ma.cpc.print.start',
        'casa_l10n_ma.cpc_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateTransition()
    statements_xlsx = StateReport('casa.l10n_ma.cpc.xlsx')
    statements_pdf = StateReport('casa.l10n_ma.statements.pdf')
    general_ledger_xlsx = StateReport('casa.l10n_ma.general_ledger.xlsx')
    general_ledger_pdf = StateReport('casa.l10n_ma.general_ledger.pdf')
    vat_return_xlsx = StateReport('casa.l10n_ma.vat_return.xlsx')
    vat_return_pdf = StateReport('casa.l10n_ma.vat_return.pdf')
    revenue_budget_xlsx = StateReport('casa.l10n_ma.revenue_budget.xlsx')
    revenue_budget_pdf = StateReport('casa.l10n_ma.revenue_budget.pdf')

    def transition_print_(self):
        return '%s_%s' % (self.start.report, self.start.format)

    def _data(self):
        from_account, to_account = self.start.from_account, \
            self.start.to_account
        return {
            'company': self.start.company.id,
            'start_date': self.start.start_period.start_date.isoformat(),
            'end_date': self.start.end_period.end_date.isoformat(),
            'fiscalyear': self.start.fiscalyear.id,
            'start_period': self.start.start_period.id,
            'end_period': self.start.end_period.id,
            'units': [u.id for u in self.start.units],
            'from_account_code': from_account.code if from_account else None,
            'to_account_code': to_account.code if to_account else None,
            }

    def do_statements_xlsx(self, action):
        return action, self._data()

    do_statements_pdf = do_general_ledger_xlsx = do_general_ledger_pdf = \
        do_vat_return_xlsx = do_vat_return_pdf = do_revenue_budget_xlsx = \
        do_revenue_budget_pdf = do_statements_xlsx
