# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Attendance in the partition: Tryton lets every user read every
employee's attendance; a unit user reaches only that of the employees they
reach (assigned to one of their units today)."""
from trytond.pool import Pool, PoolMeta


class EmployeePartitionMixin:
    __slots__ = ()

    @classmethod
    def business_unit_rule(cls, units, mode):
        Employee = Pool().get('company.employee')
        return [('employee', 'where',
                Employee.business_unit_rule(units, mode))]


class Line(EmployeePartitionMixin, metaclass=PoolMeta):
    __name__ = 'attendance.line'


class SheetLine(EmployeePartitionMixin, metaclass=PoolMeta):
    __name__ = 'attendance.sheet.line'


class Sheet(EmployeePartitionMixin, metaclass=PoolMeta):
    __name__ = 'attendance.sheet'
