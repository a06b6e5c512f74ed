# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Helpers of the HR scenarios and of the isolation matrix (proteus)"
import datetime as dt

from proteus import Model, Wizard
from trytond.modules.casa_base.identifier import rib_key
from trytond.modules.company.tests.tools import get_company

__all__ = ['make_rib', 'create_employee', 'create_post', 'assign',
    'import_payroll', 'attend']


def make_rib(number, bank='007', city='780'):
    "A valid RIB of the bank and city whose account is the number"
    account = '%016d' % number
    return bank + city + account + rib_key(bank, city, account)


def create_employee(name, matricule, cin, rib=None, cnss=None, company=None,
        config=None, **values):
    "Create an employee (and their party) of the registry"
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    if company is None:
        company = get_company(config=config)
    party = Party(name=name)
    party.save()
    employee = Employee(party=party, company=company, matricule=matricule,
        cin=cin, rib=rib, cnss=cnss)
    for key, value in values.items():
        setattr(employee, key, value)
    employee.save()
    return employee


def create_post(unit, code, name, positions=1, site=None, grade=None,
        config=None):
    Post = Model.get('casa.hr.post', config=config)
    post = Post(business_unit=unit, code=code, name=name,
        positions=positions, site=site, grade=grade)
    post.save()
    return post


def assign(employee, unit, date_from, post=None, date_to=None,
        reason='hire', site=None, config=None):
    Assignment = Model.get('casa.hr.assignment', config=config)
    assignment = Assignment(employee=employee, business_unit=unit,
        post=post, site=site, date_from=date_from, date_to=date_to,
        reason=reason)
    assignment.save()
    return assignment


def import_payroll(unit, text, entity=None, filename='paie.csv',
        encoding='utf-8', config=None):
    "Import the payroll file (text) of the unit with the wizard"
    Payroll = Model.get('casa.hr.payroll', config=config)
    wizard = Wizard('casa.hr.payroll.import', config=config)
    wizard.form.business_unit = unit
    wizard.form.entity = entity
    wizard.form.file = text.encode(encoding)
    wizard.form.filename = filename
    wizard.execute('import_')
    payroll, = Payroll.find([
            ('business_unit', '=', unit.id),
            ], order=[('id', 'DESC')], limit=1)
    return payroll


def attend(employee, date, hours=((8, 12), (13, 17)), config=None):
    "Attendance lines of the employee on the date (clock in and out, UTC)"
    Line = Model.get('attendance.line', config=config)
    lines = []
    for start, end in hours:
        for hour, type_ in [(start, 'in'), (end, 'out')]:
            line = Line(employee=employee,
                at=dt.datetime.combine(date, dt.time(hour)), type=type_)
            line.date = date
            line.save()
            lines.append(line)
    return lines
