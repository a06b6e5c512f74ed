# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Aggregates see only the user's units.

Balances are sums over lines that a unit user may not read one by one: the
balance of an account, the receivable of a party, the balance of an analytic
account.  For a user restricted to some units, every such figure is summed
over the lines of their units only — the same lines the partition lets them
read:

- accounting: the lines of the moves of their units (``MoveLine.query_get``,
  the filter of every balance Tryton computes, and the receivable/payable
  of parties); the balances of closed years are summed again from those
  lines instead of the company's deferrals;
- analytic: the analytic lines on their units' analytic accounts or of the
  moves of their units (``AnalyticLine.query_get``).

Users of all units get Tryton's figures unchanged.
"""
from sql import Join, Null

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


def _user_units():
    "The units of the current user, or None for all units"
    return Pool().get('res.user').get_business_units()


def unit_moves(units):
    "The query of the ids of the moves of the units"
    Move = Pool().get('account.move')
    move = Move.__table__()
    return move.select(
        move.id, where=move.business_unit.in_(list(units) or [-1]))


def unit_analytic_accounts(units):
    "The query of the ids of the analytic accounts of the units"
    BusinessUnit = Pool().get('casa.business_unit')
    unit = BusinessUnit.__table__()
    return unit.select(
        unit.analytic_account, where=unit.id.in_(list(units) or [-1]))


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    @classmethod
    def query_get(cls, table):
        where, fiscalyear_ids = super().query_get(table)
        units = _user_units()
        if units is not None:
            where &= table.move.in_(unit_moves(units))
        return where, fiscalyear_ids


class Account(metaclass=PoolMeta):
    __name__ = 'account.account'

    @classmethod
    def _cumulate(
            cls, fiscalyears, accounts, names, values, func,
            deferral='account.account.deferral'):
        # the deferrals of closed years are the company's balances
        if _user_units() is not None:
            deferral = None
        return super()._cumulate(
            fiscalyears, accounts, names, values, func, deferral=deferral)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _receivable_payable_query(cls, names, company, parties=None):
        query = super()._receivable_payable_query(
            names, company, parties=parties)
        units = _user_units()
        if units is not None:
            move_line = query.from_[0]
            while isinstance(move_line, Join):
                move_line = move_line.left
            query.where &= move_line.move.in_(unit_moves(units))
        return query


class AnalyticAccount(metaclass=PoolMeta):
    __name__ = 'analytic_account.account'
    # an analytic account of a unit is seen by the unit's users only; the
    # others (roots, other axes) by everyone, with balances of their units
    _business_units_field = 'business_unit'

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True,
        ondelete='SET NULL',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The business unit whose revenue and costs the account "
        "receives.")

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        super().__register__(module)
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        unit = BusinessUnit.__table__()
        # the accounts created with their unit before the field existed
        cursor.execute(*table.update(
                [table.business_unit],
                unit.select(unit.id,
                    where=unit.analytic_account == table.id, limit=1),
                where=(table.business_unit == Null)
                & table.id.in_(unit.select(
                        unit.analytic_account,
                        where=unit.analytic_account != Null))))


class AnalyticLine(metaclass=PoolMeta):
    __name__ = 'analytic_account.line'

    @classmethod
    def business_unit_rule(cls, units, mode):
        units = list(units)
        return ['OR',
            ('account.business_unit', 'in', units),
            ('move_line.move.business_unit', 'in', units),
            ]

    @classmethod
    def query_get(cls, table):
        where = super().query_get(table)
        units = _user_units()
        if units is not None:
            MoveLine = Pool().get('account.move.line')
            move_line = MoveLine.__table__()
            where &= (
                table.account.in_(unit_analytic_accounts(units))
                | table.move_line.in_(move_line.select(
                        move_line.id,
                        where=move_line.move.in_(unit_moves(units)))))
        return where


class AnalyticAccountEntry(metaclass=PoolMeta):
    __name__ = 'analytic.account.entry'

    @classmethod
    def business_unit_rule(cls, units, mode):
        """An entry follows the unit of its origin (an invoice line…);
        entries of origins outside the partition are everybody's"""
        from .mixin import partition_path
        pool = Pool()
        units = list(units)
        domain = ['OR', ('origin', '=', None)]
        for model, _ in cls.get_origin():
            if not model:
                continue
            path = partition_path(pool.get(model))
            if path:
                domain.append(('origin.' + path, 'in', units, model))
            else:
                domain.append(('origin', 'like', model + ',%'))
        return domain


class AnalyticAccountDistribution(metaclass=PoolMeta):
    __name__ = 'analytic_account.account.distribution'
    _business_units_field = 'account.business_unit'


class AnalyticBudgetLine(metaclass=PoolMeta):
    __name__ = 'analytic_account.budget.line'
    _business_units_field = 'account.business_unit'
