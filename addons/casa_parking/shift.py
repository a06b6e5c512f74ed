# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The parking sessions paid in cash at a gate are collected by the gate's
shift (casa_access): expected at its closing, booked by its cash receipt,
which pays their billable operations."""
from collections import defaultdict
from decimal import Decimal

from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

ZERO = Decimal('0.00')


class Shift(metaclass=PoolMeta):
    __name__ = 'casa.access.shift'

    def _parking_sessions(self):
        Session = Pool().get('casa.parking.session')
        with without_check_access():
            return Session.search([
                    ('shift', '=', self.id),
                    ('state', '=', 'paid'),
                    ('payment_method', '=', 'cash'),
                    ('amount', '>', 0),
                    ])

    @classmethod
    def _other_cash(cls, shifts):
        result = super()._other_cash(shifts)
        for shift in shifts:
            amount = sum((s.amount for s in shift._parking_sessions()), ZERO)
            if amount:
                result[shift.id] = result.get(shift.id, ZERO) + amount
        return result

    def _other_revenue(self):
        result = defaultdict(lambda: ZERO, super()._other_revenue())
        for session in self._parking_sessions():
            account = session.car_park.product.account_revenue_used
            result[account] += session.amount
        return result

    def _booked(self, move):
        pool = Pool()
        Operation = pool.get('casa.operation')
        super()._booked(move)
        operations = [o for s in self._parking_sessions()
            for o in s.operations if not o.move]
        if operations:
            with without_check_access():
                Operation.write(operations, {'move': move.id})
