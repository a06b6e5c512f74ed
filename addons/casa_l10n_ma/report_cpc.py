# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The wizard printing the accounting reports of the units (reports.py) as
XLSX or PDF."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)


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
