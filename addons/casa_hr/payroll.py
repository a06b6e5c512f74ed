# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The monthly payroll files of the units: imported whole or not at all
(every bad line reported with its line and column), then reconciled with
the registry, the posts and the attendance (``anomaly.py``)."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.casa_base import BusinessUnitMixin
from trytond.modules.casa_base.identifier import compact, is_valid
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONEncoder
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .csvfile import CsvFile, parse_amount, parse_period
from .employee import normalise_matricule
from .exceptions import PayrollError

# the columns of the payroll file: name -> the headers accepted for it
# (compared without case, accents, spaces, dashes nor underscores)
COLUMNS = {
    'matricule': ['matricule', 'payrollnumber'],
    'cin': ['cin'],
    'last_name': ['lastname', 'nom'],
    'first_name': ['firstname', 'prenom'],
    'rib': ['rib'],
    'cnss': ['cnss', 'cnssnumber'],
    'net_pay': ['netpay', 'net', 'netapayer'],
    'period': ['period', 'periode'],
    }
REQUIRED = ['matricule', 'cin', 'last_name', 'first_name', 'rib',
    'net_pay', 'period']
# identifier columns: (name, kind of casa_base.identifier, required)
IDENTIFIERS = [
    ('cin', 'ma_cin', True),
    ('rib', 'ma_rib', True),
    ('cnss', 'ma_cnss', False),
    ]


def parse_identifiers(file, number, cell, row, identifiers=IDENTIFIERS):
    "Check and compact the identifiers of a line into row"
    for name, kind, required in identifiers:
        value = cell(name)
        if not value:
            if required:
                file.error(number, name, 'required')
            row[name] = None
        elif not is_valid(kind, value):
            file.error(number, name, 'invalid_%s' % name, value=value)
            row[name] = None
        else:
            row[name] = compact(kind, value)


def parse_payroll(data):
    """Read a payroll file: return (period, rows) with rows the dicts of its
    lines (line number, the columns normalised), or raise PayrollImportError
    listing every error with its line and column"""
    file = CsvFile(data, COLUMNS, REQUIRED)
    rows, period, matricules = [], None, {}
    for number, cell in file.lines():
        row = {'line': number}
        matricule = normalise_matricule(cell('matricule'))
        if not matricule:
            file.error(number, 'matricule', 'required')
        elif matricule in matricules:
            file.error(number, 'matricule', 'duplicate', value=matricule,
                other=matricules[matricule])
        else:
            matricules[matricule] = number
        row['matricule'] = matricule
        parse_identifiers(file, number, cell, row)
        for name in ['last_name', 'first_name']:
            row[name] = cell(name)
            if not row[name]:
                file.error(number, name, 'required')
        amount = parse_amount(cell('net_pay'))
        if (amount is None or amount < 0
                or amount != amount.quantize(Decimal('0.01'))):
            file.error(number, 'net_pay', 'amount', value=cell('net_pay'))
        row['net_pay'] = amount
        line_period = parse_period(cell('period'))
        if line_period is None:
            file.error(number, 'period', 'period', value=cell('period'))
        elif period is None:
            period = line_period
        elif line_period != period:
            file.error(number, 'period', 'period_other',
                value=cell('period'), period=period.strftime('%Y-%m'))
        rows.append(row)
    file.check(len(rows))
    return period, rows


class Payroll(BusinessUnitMixin, Workflow, ModelSQL, ModelView):
    "The payroll of a month of a unit, as the paying entity sent it"
    __name__ = 'casa.hr.payroll'
    __string__ = "Payroll"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE',
        readonly=True)
    period = fields.Date(
        "Period", required=True, readonly=True,
        help="The first day of the month paid.")
    entity = fields.Char(
        "Paying Entity", readonly=True,
        help="Who pays this payroll (a unit may have several).")
    filename = fields.Char("File", readonly=True)
    lines = fields.One2Many(
        'casa.hr.payroll.line', 'payroll', "Lines", readonly=True)
    line_count = fields.Function(
        fields.Integer("Lines"), 'get_totals')
    total = fields.Function(
        fields.Numeric("Total Net Pay", digits=(16, 2)), 'get_totals')
    state = fields.Selection([
            ('imported', "Imported"),
            ('reconciled', "Reconciled"),
            ], "State", required=True, readonly=True, sort=False)
    reconciled_at = fields.Timestamp("Reconciled At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_constraints = [
            ('period_entity_unique',
                Unique(t, t.business_unit, t.period, t.entity),
                'casa_hr.msg_payroll_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.period, Index.Range()),
                (t.business_unit, Index.Equality())))
        cls._order = [('period', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('imported', 'reconciled'),
            ('reconciled', 'reconciled'),
            }
        cls._buttons.update({
                'reconcile': {
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'imported'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        name = '%s %s' % (
            self.business_unit.code, self.period.strftime('%Y-%m'))
        if self.entity:
            name += ' (%s)' % self.entity
        return name

    @classmethod
    def get_totals(cls, payrolls, names):
        result = {n: {} for n in names}
        for payroll in payrolls:
            if 'line_count' in names:
                result['line_count'][payroll.id] = len(payroll.lines)
            if 'total' in names:
                result['total'][payroll.id] = sum(
                    (l.net_pay for l in payroll.lines), Decimal(0))
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('reconciled')
    def reconcile(cls, payrolls):
        "Flag the red flags of the payrolls (anomaly.py)"
        pool = Pool()
        Reconciliation = pool.get('casa.anomaly')
        Reconciliation.reconcile_payrolls(payrolls)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        cls.write(payrolls, {'reconciled_at': now})

    @classmethod
    def import_file(cls, unit, data, entity=None, filename=None):
        """Create the payroll of the unit from the file, matching its lines
        to the registry; nothing is created when a line is wrong"""
        pool = Pool()
        Employee = pool.get('company.employee')
        period, rows = parse_payroll(data)
        with without_check_access():
            exists = cls.search([
                    ('business_unit', '=', unit.id),
                    ('period', '=', period),
                    ('entity', '=', entity or None),
                    ], limit=1)
        if exists:
            raise PayrollError(gettext('casa_hr.msg_payroll_unique_period',
                    unit=unit.rec_name, period=period.strftime('%Y-%m'),
                    entity=entity or ''))
        by_matricule, by_cin = {}, {}
        matricules = [r['matricule'] for r in rows]
        cins = [r['cin'] for r in rows if r['cin']]
        with without_check_access():
            for employee in Employee.search([
                        ('company', '=', unit.company.id),
                        ['OR',
                            ('matricule', 'in', matricules),
                            ('cin', 'in', cins),
                            ],
                        ], order=[]):
                if employee.matricule:
                    by_matricule[employee.matricule] = employee.id
                if employee.cin:
                    by_cin[employee.cin] = employee.id
        payroll, = cls.create([{
                    'company': unit.company.id,
                    'business_unit': unit.id,
                    'period': period,
                    'entity': entity or None,
                    'filename': filename,
                    'lines': [('create', [{
                                    'sequence': r['line'],
                                    'matricule': r['matricule'],
                                    'cin': r['cin'],
                                    'last_name': r['last_name'],
                                    'first_name': r['first_name'],
                                    'rib': r['rib'],
                                    'cnss': r['cnss'],
                                    'net_pay': r['net_pay'],
                                    'employee': by_matricule.get(
                                        r['matricule'],
                                        by_cin.get(r['cin'])),
                                    } for r in rows])],
                    }])
        return payroll

    @classmethod
    def copy(cls, payrolls, default=None):
        if not payrolls:
            return []
        # who may not create a payroll is refused access, as by any copy
        Pool().get('ir.model.access').check(cls.__name__, 'create')
        raise PayrollError(gettext('casa_hr.msg_payroll_copy'))


class PayrollLine(ModelSQL, ModelView):
    "A line of a payroll: one person paid"
    __name__ = 'casa.hr.payroll.line'
    __string__ = "Payroll Line"

    payroll = fields.Many2One(
        'casa.hr.payroll', "Payroll", required=True, ondelete='CASCADE',
        readonly=True)
    sequence = fields.Integer(
        "File Line", readonly=True, help="The line of the file.")
    matricule = fields.Char("Payroll Number", readonly=True)
    cin = fields.Char("CIN", readonly=True)
    last_name = fields.Char("Last Name", readonly=True)
    first_name = fields.Char("First Name", readonly=True)
    rib = fields.Char("RIB", readonly=True)
    cnss = fields.Char("CNSS Number", readonly=True)
    net_pay = fields.Numeric(
        "Net Pay", digits=(16, 2), required=True, readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", readonly=True, ondelete='SET NULL',
        help="The employee of the registry matched by payroll number or "
        "CIN (empty: not in the registry).")
    business_unit = fields.Function(fields.Many2One(
            'casa.business_unit', "Business Unit"), 'get_payroll_field')
    period = fields.Function(fields.Date("Period"), 'get_payroll_field')
    anomalies = fields.Function(fields.Integer(
            "Flags", help="The red flags of the line still pending."),
        'get_anomalies')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('payroll')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.cin, Index.Equality())),
                Index(t, (t.rib, Index.Equality())),
                Index(t, (t.matricule, Index.Equality())),
                })
        cls._order = [('payroll', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s %s %s' % (self.matricule, self.last_name, self.first_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('matricule', operator, operand, *extra),
            ('cin', operator, operand, *extra),
            ('last_name', operator, operand, *extra),
            ]

    def get_payroll_field(self, name):
        value = getattr(self.payroll, name)
        return value.id if isinstance(value, ModelSQL) else value

    @classmethod
    def get_anomalies(cls, lines, name):
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        result = {l.id: 0 for l in lines}
        for anomaly in Anomaly.search([
                    ('origin', 'in', [str(l) for l in lines]),
                    ('state', 'in', ['open', 'review', 'confirmed']),
                    ], order=[]):
            result[anomaly.origin.id] += 1
        return result

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'create', 'write'}:
            raise PayrollError(gettext('casa_hr.msg_payroll_line_readonly'))


class PayrollImportStart(ModelView):
    __name__ = 'casa.hr.payroll.import.start'
    __string__ = "Import Payroll"

    company = fields.Many2One('company.company', "Company", required=True)
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    entity = fields.Char(
        "Paying Entity", help="Who pays this payroll (optional).")
    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_business_unit(cls):
        return BusinessUnitMixin.default_business_unit()


class PayrollImport(Wizard):
    "Import a payroll file: all of it, or nothing and the list of errors"
    __name__ = 'casa.hr.payroll.import'
    __string__ = "Import Payroll"
    start = StateView('casa.hr.payroll.import.start',
        'casa_hr.payroll_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('casa_hr.act_payroll_form')

    def do_import_(self, action):
        pool = Pool()
        Payroll = pool.get('casa.hr.payroll')
        payroll = Payroll.import_file(self.start.business_unit,
            self.start.file, entity=self.start.entity,
            filename=self.start.filename)
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', '=', payroll.id)])
        action['views'].reverse()
        return action, {'res_id': [payroll.id]}
