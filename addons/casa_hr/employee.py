# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The registry: Tryton's employees with what the city's HR keeps of them
(identifiers, grade and step, status, dates), their identifiers normalised
and validated by ``casa_base.identifier``; a unit user sees only the
employees currently assigned to one of their units."""
from trytond.i18n import gettext
from trytond.model import Index, Unique, fields
from trytond.modules.casa_base.identifier import compact, is_valid
from trytond.modules.casa_base.localtime import local_today
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import EmployeeError

# field name -> identifier kind of casa_base.identifier
IDENTIFIERS = {
    'cin': 'ma_cin',
    'cnss': 'ma_cnss',
    'rib': 'ma_rib',
    }


def normalise_matricule(value):
    "The payroll number as it is matched: no spaces, upper case"
    value = ''.join((value or '').split()).upper()
    return value or None


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    matricule = fields.Char(
        "Payroll Number", strip=True,
        help="The matricule: the employee's number on the payroll.")
    cin = fields.Char("CIN", help="The national identity card number.")
    cnss = fields.Char("CNSS Number", help="The social security number.")
    rib = fields.Char(
        "RIB", help="The 24 digits of the bank account the pay goes to.")
    grade = fields.Char("Grade", strip=True)
    step = fields.Integer("Step", help="The échelon within the grade.")
    hr_status = fields.Selection([
            (None, ''),
            ('tenured', "Tenured"),
            ('contract', "Contract"),
            ('seconded', "Seconded"),
            ], "Status", sort=False)
    birth_date = fields.Date("Birth Date")
    contract_end = fields.Date(
        "End of Contract",
        states={
            'invisible': Eval('hr_status') != 'contract',
            },
        help="The last day of the contract.")
    death_date = fields.Date("Date of Death")
    hr_assignments = fields.One2Many(
        'casa.hr.assignment', 'employee', "Assignments", readonly=True)
    current_unit = fields.Function(fields.Many2One(
            'casa.business_unit', "Current Unit"),
        'get_current_assignment', searcher='search_current_unit')
    current_post = fields.Function(fields.Many2One(
            'casa.hr.post', "Current Post"), 'get_current_assignment')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('matricule_unique', Unique(t, t.company, t.matricule),
                'casa_hr.msg_employee_matricule_unique'),
            ('cin_unique', Unique(t, t.company, t.cin),
                'casa_hr.msg_employee_cin_unique'),
            ('cnss_unique', Unique(t, t.company, t.cnss),
                'casa_hr.msg_employee_cnss_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.rib, Index.Equality())),
                })

    @classmethod
    def business_unit_rule(cls, units, mode):
        """A unit user reaches the employees assigned to one of their units
        today (the HR staff work for all units)"""
        today = local_today()
        return [('hr_assignments', 'where', [
                    ('business_unit', 'in', list(units)),
                    ('date_from', '<=', today),
                    ['OR',
                        ('date_to', '=', None),
                        ('date_to', '>=', today),
                        ],
                    ])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name, kind in IDENTIFIERS.items():
            if name in values:
                values[name] = compact(kind, values[name] or '') or None
        if 'matricule' in values:
            values['matricule'] = normalise_matricule(values['matricule'])
        return values

    @classmethod
    def validate_fields(cls, employees, field_names):
        super().validate_fields(employees, field_names)
        cls.check_identifiers(employees, field_names)
        cls.check_dates(employees, field_names)

    @classmethod
    def check_identifiers(cls, employees, field_names=None):
        for employee in employees:
            for name, kind in IDENTIFIERS.items():
                if field_names and name not in field_names:
                    continue
                value = getattr(employee, name)
                if value and not is_valid(kind, value):
                    raise EmployeeError(gettext(
                            'casa_hr.msg_employee_identifier_invalid',
                            employee=employee.rec_name,
                            field=getattr(cls, name).string, value=value))
            if employee.step is not None and employee.step < 0:
                raise EmployeeError(gettext(
                        'casa_hr.msg_employee_step_negative',
                        employee=employee.rec_name))

    @classmethod
    def check_dates(cls, employees, field_names=None):
        if field_names and not (field_names & {
                    'birth_date', 'start_date', 'death_date',
                    'contract_end'}):
            return
        for employee in employees:
            birth = employee.birth_date
            for name in ['start_date', 'death_date', 'contract_end']:
                date = getattr(employee, name)
                if birth and date and date < birth:
                    raise EmployeeError(gettext(
                            'casa_hr.msg_employee_date_before_birth',
                            employee=employee.rec_name,
                            field=getattr(cls, name).string))

    @classmethod
    def get_current_assignment(cls, employees, names):
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        result = {n: {e.id: None for e in employees} for n in names}
        for assignment in Assignment.current(employees):
            employee = assignment.employee.id
            if 'current_unit' in names:
                result['current_unit'][employee] = (
                    assignment.business_unit.id)
            if 'current_post' in names:
                result['current_post'][employee] = (
                    assignment.post.id if assignment.post else None)
        return result

    @classmethod
    def search_current_unit(cls, name, clause):
        today = local_today()
        _, operator, value, *extra = clause
        return [('hr_assignments', 'where', [
                    ('business_unit', operator, value, *extra),
                    ('date_from', '<=', today),
                    ['OR',
                        ('date_to', '=', None),
                        ('date_to', '>=', today),
                        ],
                    ])]

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            return domain
        return ['OR', domain,
            ('matricule', operator, operand, *extra),
            ('cin', operator, operand, *extra),
            ]

    @classmethod
    def copy(cls, employees, default=None):
        default = default.copy() if default is not None else {}
        for name in ['matricule', 'cin', 'cnss', 'rib', 'hr_assignments']:
            default.setdefault(name, None)
        return super().copy(employees, default=default)
