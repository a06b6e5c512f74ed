# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The registry import: the old staff files migrated into the employees,
their parties and their current assignments — the whole file, or nothing
and the list of its errors (csvfile.py)."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .csvfile import CsvFile, parse_date
from .employee import normalise_matricule
from .payroll import parse_identifiers

COLUMNS = {
    'matricule': ['matricule', 'payrollnumber'],
    'cin': ['cin'],
    'last_name': ['lastname', 'nom'],
    'first_name': ['firstname', 'prenom'],
    'rib': ['rib'],
    'cnss': ['cnss', 'cnssnumber'],
    'grade': ['grade'],
    'step': ['step', 'echelon'],
    'status': ['status', 'statut'],
    'birth_date': ['birthdate', 'datedenaissance', 'naissance'],
    'hire_date': ['hiredate', 'daterecrutement', 'recrutement'],
    'contract_end': ['contractend', 'findecontrat'],
    'unit': ['unit', 'businessunit', 'unite'],
    'post': ['post', 'poste'],
    'site': ['site'],
    'assigned_from': ['assignedfrom', 'affectele', 'affectation'],
    }
REQUIRED = ['matricule', 'cin', 'last_name', 'first_name']
IDENTIFIERS = [
    ('cin', 'ma_cin', True),
    ('rib', 'ma_rib', False),
    ('cnss', 'ma_cnss', False),
    ]
STATUSES = {
    'tenured': 'tenured', 'titulaire': 'tenured',
    'contract': 'contract', 'contractuel': 'contract',
    'seconded': 'seconded', 'detache': 'seconded', 'détaché': 'seconded',
    }


def parse_registry(data, company):
    """Read a registry file for the company: return its rows (the values of
    the employee, the party's name, the assignment), or raise
    PayrollImportError listing every error with its line and column"""
    pool = Pool()
    Employee = pool.get('company.employee')
    BusinessUnit = pool.get('casa.business_unit')
    Post = pool.get('casa.hr.post')
    Site = pool.get('casa.site')
    file = CsvFile(data, COLUMNS, REQUIRED)
    with without_check_access():
        units = {u.code: u for u in BusinessUnit.search([
                    ('company', '=', company.id)])}
        posts = {(p.business_unit.id, p.code): p for p in Post.search([
                    ('company', '=', company.id)])}
        sites = {(s.business_unit.id, s.code): s for s in Site.search([
                    ('company', '=', company.id)])}
        existing = {}
        for employee in Employee.search([('company', '=', company.id)]):
            for name in ['matricule', 'cin', 'cnss']:
                value = getattr(employee, name)
                if value:
                    existing[name, value] = employee.rec_name
    rows, seen = [], {}
    for number, cell in file.lines():
        row = {'line': number}
        row['matricule'] = normalise_matricule(cell('matricule'))
        if not row['matricule']:
            file.error(number, 'matricule', 'required')
        parse_identifiers(file, number, cell, row, IDENTIFIERS)
        for name in ['matricule', 'cin', 'cnss']:
            value = row[name]
            if not value:
                continue
            if (name, value) in existing:
                file.error(number, name, 'registered', value=value,
                    employee=existing[name, value])
            elif (name, value) in seen:
                file.error(number, name, 'duplicate_value', value=value,
                    other=seen[name, value])
            else:
                seen[name, value] = number
        for name in ['last_name', 'first_name', 'grade']:
            row[name] = cell(name) or None
            if name in REQUIRED and not row[name]:
                file.error(number, name, 'required')
        step = cell('step')
        row['step'] = None
        if step:
            if step.isdigit():
                row['step'] = int(step)
            else:
                file.error(number, 'step', 'step', value=step)
        status = cell('status')
        row['status'] = None
        if status:
            row['status'] = STATUSES.get(status.lower())
            if not row['status']:
                file.error(number, 'status', 'status', value=status)
        for name in ['birth_date', 'hire_date', 'contract_end',
                'assigned_from']:
            value = cell(name)
            row[name] = parse_date(value) if value else None
            if value and not row[name]:
                file.error(number, name, 'date', value=value)
        row['unit'] = row['post'] = row['site'] = None
        code = cell('unit')
        if code:
            row['unit'] = units.get(code.upper())
            if not row['unit']:
                file.error(number, 'unit', 'unit', value=code)
        for name, records in [('post', posts), ('site', sites)]:
            code = cell(name)
            if not code:
                continue
            if not row['unit']:
                file.error(number, name, 'no_unit', value=code)
                continue
            row[name] = records.get((row['unit'].id, code))
            if not row[name]:
                file.error(number, name, name, value=code,
                    unit=row['unit'].code)
        if row['unit'] and not (row['assigned_from'] or row['hire_date']):
            file.error(number, 'assigned_from', 'required')
        rows.append(row)
    file.check(len(rows))
    return rows


def import_registry(data, company):
    "Create the employees of the registry file; return them"
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Assignment = pool.get('casa.hr.assignment')
    rows = parse_registry(data, company)
    parties = Party.create([{
                'name': '%s %s' % (r['last_name'], r['first_name']),
                } for r in rows])
    employees = Employee.create([{
                'party': party.id,
                'company': company.id,
                'matricule': r['matricule'],
                'cin': r['cin'],
                'rib': r['rib'],
                'cnss': r['cnss'],
                'grade': r['grade'],
                'step': r['step'],
                'hr_status': r['status'],
                'birth_date': r['birth_date'],
                'start_date': r['hire_date'],
                'contract_end': r['contract_end'],
                } for party, r in zip(parties, rows)])
    Assignment.create([{
                'company': company.id,
                'employee': employee.id,
                'business_unit': r['unit'].id,
                'post': r['post'].id if r['post'] else None,
                'site': r['site'].id if r['site'] else None,
                'date_from': r['assigned_from'] or r['hire_date'],
                'reason': 'hire',
                } for employee, r in zip(employees, rows) if r['unit']])
    return employees


class RegistryImportStart(ModelView):
    __name__ = 'casa.hr.registry.import.start'
    __string__ = "Import Registry"

    company = fields.Many2One('company.company', "Company", required=True)
    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class RegistryImport(Wizard):
    "Import a registry file: all of it, or nothing and the list of errors"
    __name__ = 'casa.hr.registry.import'
    __string__ = "Import Registry"
    start = StateView('casa.hr.registry.import.start',
        'casa_hr.registry_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('casa_hr.act_employee_form')

    def do_import_(self, action):
        employees = import_registry(self.start.file, self.start.company)
        ids = [e.id for e in employees]
        action['pyson_domain'] = PYSONEncoder().encode([('id', 'in', ids)])
        return action, {'res_id': ids}
