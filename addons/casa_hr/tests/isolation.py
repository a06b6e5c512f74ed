# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Records of a business unit for the isolation matrix (see
casa_base/tests/isolation.py): a budgeted post, an employee assigned to it
from two months ago (so a user of the unit reaches them today), their
attendance, an approved leave of theirs, and the unit's payroll of the
month — a line of the employee and a ghost — reconciled into flags."""
import datetime as dt

from proteus import Model

from trytond.modules.casa_hr.tests.tools import (
    assign, attend, create_employee, create_post, import_payroll, make_rib)

EXEMPT = {
    'res.user-company.employee': "which users may act as which employee: "
    "the administrators' rights (casa_base's RIGHTS_MODELS), no unit data; "
    "the employee itself is partitioned",
    }

_NUMBERS = {}


def create_records(world, unit):
    config = world.config
    code = unit.code
    number = _NUMBERS.setdefault(code, 10 * (len(_NUMBERS) + 1))
    letters = code[:2]
    post = create_post(unit, code + 'P', "Post of %s" % code, 2,
        config=config)
    employee = create_employee("Employee of %s" % code, code + '01',
        letters + '1000%02d' % number, make_rib(number), config=config)
    assign(employee, unit, world.date - dt.timedelta(days=60), post=post,
        config=config)
    attend(employee, world.date, config=config)
    Leave = Model.get('casa.hr.leave', config=config)
    leave = Leave(employee=employee, business_unit=unit, kind='annual',
        date_from=world.date - dt.timedelta(days=30),
        date_to=world.date - dt.timedelta(days=28))
    leave.click('request')
    leave.click('approve')
    period = world.date.strftime('%Y-%m')
    text = '\n'.join([
            'matricule;cin;last_name;first_name;rib;cnss;net_pay;period',
            '%s01;%s1000%02d;EMPLOYEE;%s;%s;;5000,00;%s' % (
                code, letters, number, code, make_rib(number), period),
            '%s99;%s9999%02d;GHOST;%s;%s;;4000,00;%s' % (
                code, letters, number, code, make_rib(number + 1),
                period),
            ])
    payroll = import_payroll(unit, text, config=config)
    payroll.click('reconcile')
    world.hr_payrolls = getattr(world, 'hr_payrolls', {})
    world.hr_payrolls[code] = payroll


def report_data(world, unit, report_name):
    if report_name in {
            'casa.hr.reconciliation.xlsx', 'casa.hr.reconciliation.pdf'}:
        first = world.date.replace(day=1)
        return {
            'company': world.company.id,
            'start_date': first.isoformat(),
            'end_date': world.date.isoformat(),
            'units': [unit.id],
            }
    return None
