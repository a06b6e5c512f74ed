# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The lines of a business unit: one definition for every figure.

- **Profit and loss** of a unit: the analytic lines on the unit's analytic
  account of the posted move lines on income statement accounts, for the
  amount of the analytic line, dated by their entry.  An entry split 600/400
  across two units gives each its share.
- **Balance sheet** of a unit (cash, receivables, payables, VAT…): the
  posted move lines on the other accounts of the entries whose business unit
  is the unit — the lines ``account.move.line.query_get`` leaves to a user of
  that unit.
- **The company**: every posted move line.

The part of a profit and loss line distributed to no unit is in no unit's
figures, only in the company's: the closing checklist lists such lines
(:func:`undistributed_lines`), under their entry's unit or, for an entry
without unit, under the company.

The dashboard, the CPC, the general ledger, the Bilan, the VAT return, the
closing checklist and the year-end closing all take their lines here."""
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null, Union
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.pool import Pool, PoolMeta
from trytond.model import fields
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


def _tables(*names):
    pool = Pool()
    models = {
        'unit': 'casa.business_unit',
        'line': 'analytic_account.line',
        'move_line': 'account.move.line',
        'move': 'account.move',
        'period': 'account.period',
        'account': 'account.account',
        'type': 'account.account.type',
        }
    return {n: pool.get(models[n]).__table__() for n in names}


def unit_profit_lines(standard=True):
    """Return (query, where, tables) of the profit and loss lines of the
    units: their analytic lines (table 'line', the amounts to take) joined
    to their units ('unit'), move lines ('move_line'), posted entries
    ('move'), periods ('period'), accounts ('account') and account types
    ('type'); with standard, the entries of standard periods only (not the
    year-end closing's)."""
    tables = _tables(
        'unit', 'line', 'move_line', 'move', 'period', 'account', 'type')
    unit, line, move_line, move, period, account, type_ = (
        tables[n] for n in [
            'unit', 'line', 'move_line', 'move', 'period', 'account',
            'type'])
    query = (unit
        .join(line, condition=line.account == unit.analytic_account)
        .join(move_line, condition=move_line.id == line.move_line)
        .join(move, condition=move.id == move_line.move)
        .join(period, condition=period.id == move.period)
        .join(account, condition=account.id == move_line.account)
        .join(type_, condition=type_.id == account.type))
    where = (move.state == 'posted') & (type_.statement == 'income')
    if standard:
        where &= period.type == 'standard'
    return query, where, tables


def unit_balance_lines(standard=False):
    """Return (query, where, tables) of the balance sheet lines of the
    units: the move lines ('move_line', the amounts to take) of the posted
    entries of a unit ('move', its business_unit the unit) on the accounts
    ('account', 'type') that are not of the income statement, with their
    periods ('period')"""
    tables = _tables('move_line', 'move', 'period', 'account', 'type')
    move_line, move, period, account, type_ = (
        tables[n] for n in [
            'move_line', 'move', 'period', 'account', 'type'])
    query = (move_line
        .join(move, condition=move.id == move_line.move)
        .join(period, condition=period.id == move.period)
        .join(account, condition=account.id == move_line.account)
        .join(type_, 'LEFT', condition=type_.id == account.type))
    where = ((move.state == 'posted') & (move.business_unit != Null)
        & (Coalesce(type_.statement, '') != 'income'))
    if standard:
        where &= period.type == 'standard'
    return query, where, tables


def unit_lines(company_id, unit_ids=None):
    """Return the query of the lines of the units (all of the company's when
    unit_ids is None), both sides, with the columns unit, move_line, debit
    and credit (the amounts of the unit)"""
    query, where, tables = unit_profit_lines(standard=False)
    unit, line, move_line = (tables[n] for n in ['unit', 'line', 'move_line'])
    where &= unit.company == company_id
    if unit_ids is not None:
        where &= unit.id.in_(list(unit_ids) or [-1])
    profit = query.select(
        unit.id.as_('unit'), move_line.id.as_('move_line'),
        line.debit.as_('debit'), line.credit.as_('credit'),
        where=where)

    query, where, tables = unit_balance_lines()
    move_line, move = tables['move_line'], tables['move']
    where &= move.company == company_id
    if unit_ids is not None:
        where &= move.business_unit.in_(list(unit_ids) or [-1])
    balance = query.select(
        move.business_unit.as_('unit'), move_line.id.as_('move_line'),
        move_line.debit.as_('debit'), move_line.credit.as_('credit'),
        where=where)
    return Union(profit, balance, all_=True)


def company_lines(company_id):
    """Return the query of the posted move lines of the company with the
    columns unit (null), move_line, debit and credit"""
    tables = _tables('move_line', 'move')
    move_line, move = tables['move_line'], tables['move']
    return (move_line
        .join(move, condition=move.id == move_line.move)
        .select(Literal(None).as_('unit'),
            move_line.id.as_('move_line'),
            move_line.debit.as_('debit'), move_line.credit.as_('credit'),
            where=(move.company == company_id) & (move.state == 'posted')))


def undistributed_lines(company_id, period_ids):
    """Return {(unit id or None, period id): [move line ids]} of the lines on
    income statement accounts of the entries of the periods (any state) whose
    amount is not wholly distributed to the analytic accounts of units, by
    the unit of their entry (None: entries without unit)"""
    pool = Pool()
    Company = pool.get('company.company')
    tables = _tables('unit', 'line', 'move_line', 'move', 'account', 'type')
    unit, line, move_line, move, account, type_ = (
        tables[n] for n in [
            'unit', 'line', 'move_line', 'move', 'account', 'type'])
    currency = Company(company_id).currency
    cursor = Transaction().connection.cursor()
    distributed = (line
        .join(unit, condition=unit.analytic_account == line.account)
        .select(line.move_line.as_('move_line'),
            Sum(line.debit - line.credit).as_('amount'),
            group_by=[line.move_line]))
    result = defaultdict(list)
    in_ = fields.SQL_OPERATORS['in']
    for sub_periods in grouped_slice(period_ids, 1000):
        cursor.execute(*move_line
            .join(move, condition=move.id == move_line.move)
            .join(account, condition=account.id == move_line.account)
            .join(type_, condition=type_.id == account.type)
            .join(distributed, 'LEFT',
                condition=distributed.move_line == move_line.id)
            .select(move.business_unit, move.period, move_line.id,
                move_line.debit - move_line.credit, distributed.amount,
                where=(move.company == company_id)
                & in_(move.period, list(sub_periods))
                & (type_.statement == 'income')))
        for unit_id, period_id, line_id, amount, shared in cursor:
            missing = (Decimal(str(amount or 0))
                - Decimal(str(shared or 0)))
            if not currency.is_zero(missing):
                result[(unit_id, period_id)].append(line_id)
    return result


def restrict_units(unit_ids=None):
    """Return the units among unit_ids (None: all) that the user may see,
    None meaning every unit"""
    pool = Pool()
    User = pool.get('res.user')
    allowed = User.get_business_units()
    if allowed is None:
        return None if unit_ids is None else list(unit_ids)
    if unit_ids is None:
        return list(allowed)
    return [u for u in unit_ids if u in set(allowed)]


class Tax(metaclass=PoolMeta):
    """The VAT figures (amounts of the taxes and so of the tax codes) of the
    entries of the units: those the server asks in the private context key
    _casa_business_units (None: all), always among the user's units"""
    __name__ = 'account.tax'

    @classmethod
    def _amount_units(cls):
        return restrict_units(
            Transaction().context.get('_casa_business_units'))

    @classmethod
    def _amount_where(cls, tax_line, move_line, move):
        where = super()._amount_where(tax_line, move_line, move)
        unit_ids = cls._amount_units()
        if unit_ids is not None:
            where &= move.business_unit.in_(list(unit_ids) or [-1])
        return where

    @classmethod
    def _amount_domain(cls):
        domain = super()._amount_domain()
        unit_ids = cls._amount_units()
        if unit_ids is not None:
            domain = [domain,
                ('move_line.move.business_unit', 'in', list(unit_ids))]
        return domain
