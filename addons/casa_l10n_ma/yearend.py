# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Year-end: the result of each business unit carried to the result
account, then the fiscal year closed."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.casa_base.unit_lines import unit_profit_lines
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import YearEndError


class YearEndStart(ModelView):
    __name__ = 'casa.l10n_ma.year_end.start'
    __string__ = "Year-End Closing"
    company = fields.Many2One('company.company', "Company", required=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'open'),
            ])
    journal = fields.Many2One(
        'account.journal', "Journal", required=True,
        domain=[
            ('type', '=', 'situation'),
            ])
    credit_account = fields.Many2One(
        'account.account', "Profit Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="Receives a profit (CGNC 1191).")
    debit_account = fields.Many2One(
        'account.account', "Loss Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="Receives a loss (CGNC 1199).")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def _default_account(cls, code):
        pool = Pool()
        Account = pool.get('account.account')
        company = Transaction().context.get('company')
        accounts = Account.search([
                ('company', '=', company), ('code', '=', code)], limit=1)
        return accounts[0].id if accounts else None

    @classmethod
    def default_credit_account(cls):
        return cls._default_account('1191')

    @classmethod
    def default_debit_account(cls):
        return cls._default_account('1199')

    @classmethod
    def default_journal(cls):
        pool = Pool()
        Journal = pool.get('account.journal')
        journals = Journal.search([('type', '=', 'situation')], limit=1)
        return journals[0].id if journals else None


class YearEndPreview(ModelView):
    __name__ = 'casa.l10n_ma.year_end.preview'
    __string__ = "Year-End Closing Preview"
    lines = fields.One2Many(
        'casa.l10n_ma.year_end.preview.line', None, "Results",
        readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    total = fields.Numeric(
        "Net Result", digits=(16, 2), readonly=True)


class YearEndPreviewLine(ModelView):
    __name__ = 'casa.l10n_ma.year_end.preview.line'
    __string__ = "Year-End Closing Preview Line"
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True,
        help="Empty for the entries that no unit carries.")
    products = fields.Numeric("Products", digits=(16, 2), readonly=True)
    charges = fields.Numeric("Charges", digits=(16, 2), readonly=True)
    result = fields.Numeric("Net Result", digits=(16, 2), readonly=True)


class YearEnd(Wizard):
    __name__ = 'casa.l10n_ma.year_end'
    __string__ = "Year-End Closing"
    start = StateView('casa.l10n_ma.year_end.start',
        'casa_l10n_ma.year_end_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Preview", 'preview', 'tryton-forward', default=True),
            ])
    preview = StateView('casa.l10n_ma.year_end.preview',
        'casa_l10n_ma.year_end_preview_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Close the Year", 'close', 'tryton-ok', default=True),
            ])
    close = StateTransition()

    def unit_balances(self):
        """Return {unit id or None: {account id: credit - debit}} of the
        fiscal year's posted entries on income statement accounts: the
        profit and loss lines of each unit (casa_base.unit_lines), the rest
        (None) being what no unit carries"""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Period = pool.get('account.period')
        move_line = MoveLine.__table__()
        move = Move.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        period = Period.__table__()
        cursor = Transaction().connection.cursor()
        fiscalyear = self.start.fiscalyear

        result = defaultdict(lambda: defaultdict(Decimal))
        cursor.execute(*move_line
            .join(move, condition=move.id == move_line.move)
            .join(period, condition=period.id == move.period)
            .join(account, condition=account.id == move_line.account)
            .join(type_, condition=type_.id == account.type)
            .select(account.id, Sum(move_line.credit - move_line.debit),
                where=(move.state == 'posted')
                & (period.fiscalyear == fiscalyear.id)
                & (period.type == 'standard')
                & (type_.statement == 'income'),
                group_by=[account.id]))
        for account_id, balance in cursor:
            result[None][account_id] += Decimal(str(balance or 0))
        query, where, tables = unit_profit_lines()
        unit, line, account, period = (
            tables[n] for n in ['unit', 'line', 'account', 'period'])
        cursor.execute(*query.select(
                unit.id, account.id, Sum(line.credit - line.debit),
                where=where & (period.fiscalyear == fiscalyear.id)
                & (unit.company == fiscalyear.company.id),
                group_by=[unit.id, account.id]))
        for unit_id, account_id, balance in cursor:
            balance = Decimal(str(balance or 0))
            result[unit_id][account_id] += balance
            result[None][account_id] -= balance
        currency = fiscalyear.company.currency
        return {u: {a: currency.round(b) for a, b in balances.items()
                if not currency.is_zero(b)}
            for u, balances in result.items()}

    def default_preview(self, fields):
        pool = Pool()
        Account = pool.get('account.account')
        currency = self.start.fiscalyear.company.currency
        lines, total = [], Decimal(0)
        for unit_id, balances in sorted(self.unit_balances().items(),
                key=lambda i: (i[0] is None, i[0] or 0)):
            products = charges = Decimal(0)
            for account in Account.browse(list(balances)):
                if balances[account.id] > 0:
                    products += balances[account.id]
                else:
                    charges -= balances[account.id]
            if unit_id is None and not balances:
                continue
            lines.append({
                    'business_unit': unit_id,
                    'products': currency.round(products),
                    'charges': currency.round(charges),
                    'result': currency.round(products - charges),
                    })
            total += products - charges
        return {
            'lines': lines,
            'currency': currency.id,
            'total': currency.round(total),
            }

    def get_closing_period(self):
        "Return the adjustment period closing the year, created if needed"
        pool = Pool()
        Period = pool.get('account.period')
        fiscalyear = self.start.fiscalyear
        periods = Period.search([
                ('fiscalyear', '=', fiscalyear.id),
                ('type', '=', 'adjustment'),
                ('start_date', '=', fiscalyear.end_date),
                ], limit=1)
        if periods:
            return periods[0]
        period = Period(
            name=gettext('casa_l10n_ma.msg_year_end_period',
                fiscalyear=fiscalyear.name),
            fiscalyear=fiscalyear, type='adjustment',
            start_date=fiscalyear.end_date, end_date=fiscalyear.end_date)
        period.save()
        return period

    def get_move(self, unit_id, balances, period):
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        BusinessUnit = pool.get('casa.business_unit')
        unit = BusinessUnit(unit_id) if unit_id else None
        lines, result = [], Decimal(0)
        for account_id, balance in sorted(balances.items()):
            line = Line(account=account_id,
                debit=max(balance, 0), credit=max(-balance, 0))
            if unit:
                line.analytic_lines = [AnalyticLine(
                        account=unit.analytic_account,
                        debit=line.debit, credit=line.credit,
                        date=period.end_date)]
            lines.append(line)
            result += balance
        if result > 0:
            lines.append(Line(account=self.start.credit_account,
                    debit=0, credit=result))
        elif result < 0:
            lines.append(Line(account=self.start.debit_account,
                    debit=-result, credit=0))
        return Move(
            period=period, journal=self.start.journal,
            date=period.end_date, origin=self.start.fiscalyear,
            business_unit=unit, lines=lines,
            description=gettext('casa_l10n_ma.msg_year_end_move',
                fiscalyear=self.start.fiscalyear.name,
                unit=unit.rec_name if unit else '-'))

    def transition_close(self):
        pool = Pool()
        Move = pool.get('account.move')
        FiscalYear = pool.get('account.fiscalyear')
        fiscalyear = self.start.fiscalyear
        if fiscalyear.state != 'open':
            raise YearEndError(gettext(
                    'casa_l10n_ma.msg_year_end_not_open',
                    fiscalyear=fiscalyear.rec_name))
        period = self.get_closing_period()
        moves = [self.get_move(unit_id, balances, period)
            for unit_id, balances in self.unit_balances().items()
            if balances]
        Move.save(moves)
        Move.post(moves)
        FiscalYear.close([fiscalyear])
        return 'end'
