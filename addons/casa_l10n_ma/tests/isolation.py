# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The isolation matrix (see casa_base/tests/isolation.py): the closing
checklist answers in a fiscal year; the accounting reports take the
company, the periods and the units chosen in their wizard."""

CONTEXTS = {
    'casa.closing.checklist': lambda world: {
        'fiscalyear': world.fiscalyear.id},
    }
EXEMPT = {}


def create_records(world, unit):
    "The invoices and entries of casa_base's records are closed here"


def report_data(world, unit, report_name):
    "The data of the print wizard for the unit over the whole year"
    fiscalyear = world.fiscalyear
    periods = sorted(
        (p for p in fiscalyear.periods if p.type == 'standard'),
        key=lambda p: p.start_date)
    return {
        'company': world.company.id,
        'start_date': periods[0].start_date.isoformat(),
        'end_date': periods[-1].end_date.isoformat(),
        'fiscalyear': fiscalyear.id,
        'start_period': periods[0].id,
        'end_period': periods[-1].id,
        'units': [unit.id],
        'from_account_code': None,
        'to_account_code': None,
        }
