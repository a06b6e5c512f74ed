# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Leave of the employees: annual, sick (with its certificate), unpaid or
other,
requested then approved or refused — by the HR staff or the manager of the
unit the employee works for — with who and when.  The reconciliation does
not count the working days on approved leave as days without attendance."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.casa_base import BusinessUnitMixin
from trytond.modules.casa_base.anomaly import utc_now
from trytond.modules.casa_base.localtime import local_today
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import LeaveAccessError, LeaveError

# the days of the week worked by the staff (Monday to Friday)
WORKING_WEEKDAYS = {0, 1, 2, 3, 4}
# what the transitions write, never the user
WORKFLOW_FIELDS = {'state', 'decided_by', 'decided_at'}


def working_days(start, end):
    "The working days from start to end, both included"
    days, day = 0, start
    while day <= end:
        if day.weekday() in WORKING_WEEKDAYS:
            days += 1
        day += dt.timedelta(days=1)
    return days


class Leave(BusinessUnitMixin, Workflow, ModelSQL, ModelView):
    "A leave of an employee, in the unit they work for"
    __name__ = 'casa.hr.leave'
    __string__ = "Leave"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE',
        states=_states)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))], states=_states)
    kind = fields.Selection([
            ('annual', "Annual"),
            ('sick', "Sick"),
            ('unpaid', "Unpaid"),
            ('other', "Other"),
            ], "Kind", required=True, sort=False, states=_states)
    date_from = fields.Date(
        "From", required=True, states=_states,
        domain=[If(Eval('date_to'),
                ('date_from', '<=', Eval('date_to')), ())])
    date_to = fields.Date(
        "To", required=True, states=_states,
        domain=[If(Eval('date_from'),
                ('date_to', '>=', Eval('date_from')), ())],
        help="The last day of leave.")
    days = fields.Function(fields.Integer(
            "Days", help="The working days (Monday to Friday) of the leave."),
        'on_change_with_days')
    certificate = fields.Binary(
        "Certificate", filename='certificate_name', states={
            'readonly': Eval('state') != 'draft',
            'required': (Eval('kind') == 'sick')
            & (Eval('state') != 'draft'),
            },
        help="The medical certificate of a sick leave.")
    certificate_name = fields.Char("Certificate Name", states=_states)
    note = fields.Text("Note")
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ], "State", required=True, readonly=True, sort=False)
    decided_by = fields.Many2One(
        'res.user', "Decided by", readonly=True, ondelete='RESTRICT')
    decided_at = fields.Timestamp("Decided at", readonly=True)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.employee, Index.Equality()),
                    (t.date_from, Index.Range())),
                })
        cls._order = [('date_from', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'refused'),
            ('requested', 'draft'),
            ('refused', 'draft'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(['requested', 'refused']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'annual'

    @classmethod
    def default_date_from(cls):
        return local_today()

    @fields.depends('date_from', 'date_to')
    def on_change_with_days(self, name=None):
        if self.date_from and self.date_to and self.date_from <= self.date_to:
            return working_days(self.date_from, self.date_to)

    @fields.depends('employee', 'date_from', 'business_unit')
    def on_change_employee(self):
        "The unit of the leave: the one the employee works for"
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        if self.employee:
            current = Assignment.current(
                [self.employee], self.date_from or local_today())
            if current:
                self.business_unit = current[-1].business_unit

    def get_rec_name(self, name):
        return '%s %s-%s' % (
            self.employee.rec_name, self.date_from, self.date_to)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, leaves, field_names):
        super().validate_fields(leaves, field_names)
        cls.check_unit(leaves, field_names)
        cls.check_overlap(leaves, field_names)

    @classmethod
    def check_unit(cls, leaves, field_names=None):
        """A leave is of the unit the employee is assigned to on its first
        day: a unit's manager handles only the leave of their staff"""
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        if field_names and not (field_names & {
                    'employee', 'business_unit', 'date_from', 'company'}):
            return
        for leave in leaves:
            units = {a.business_unit for a in Assignment.current(
                    [leave.employee], leave.date_from)}
            if (leave.business_unit not in units
                    or leave.employee.company != leave.company):
                raise LeaveError(gettext(
                        'casa_hr.msg_leave_unit',
                        leave=leave.rec_name,
                        unit=leave.business_unit.rec_name))

    @classmethod
    def check_overlap(cls, leaves, field_names=None):
        "One leave at a time (refused ones aside)"
        if field_names and not (
                field_names & {'employee', 'date_from', 'date_to', 'state'}):
            return
        for leave in leaves:
            if leave.state == 'refused':
                continue
            with without_check_access():
                others = cls.search([
                        ('employee', '=', leave.employee.id),
                        ('id', '!=', leave.id),
                        ('state', '!=', 'refused'),
                        ('date_from', '<=', leave.date_to),
                        ('date_to', '>=', leave.date_from),
                        ], limit=1)
            if others:
                other, = others
                raise LeaveError(gettext(
                        'casa_hr.msg_leave_overlap',
                        leave=leave.rec_name, other=other.rec_name))

    @classmethod
    def check_modification(cls, mode, leaves, values=None, external=False):
        """The state and who decided are the transitions': a user writes a
        draft (the note at any time), and deletes only drafts"""
        super().check_modification(
            mode, leaves, values=values, external=external)
        if not external:
            return
        if mode == 'write':
            fields_ = set(values or {}) & WORKFLOW_FIELDS
            if fields_:
                raise LeaveAccessError(gettext(
                        'casa_hr.msg_leave_write',
                        fields=', '.join(sorted(fields_))))
            if set(values or {}) - {'note'}:
                for leave in leaves:
                    if leave.state != 'draft':
                        raise LeaveAccessError(gettext(
                                'casa_hr.msg_leave_not_draft',
                                leave=leave.rec_name))
        elif mode == 'delete':
            for leave in leaves:
                if leave.state != 'draft':
                    raise LeaveAccessError(gettext(
                            'casa_hr.msg_leave_not_draft',
                            leave=leave.rec_name))

    @classmethod
    def _transit(cls, leaves, state, **values):
        for leave in leaves:
            leave.state = state
            for name, value in values.items():
                setattr(leave, name, value)
        with without_check_access():
            cls.save(leaves)

    @classmethod
    def check_decider(cls, leaves):
        """Approved or refused by the HR staff (all units) or by a manager
        of the leave's unit (the buttons are of these two groups)"""
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if not transaction.user or not transaction.check_access:
            return
        units = User.get_business_units()
        if units is None:
            return
        for leave in leaves:
            if leave.business_unit.id not in units:
                raise LeaveAccessError(gettext(
                        'casa_hr.msg_leave_decider',
                        leave=leave.rec_name,
                        unit=leave.business_unit.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, leaves):
        for leave in leaves:
            if leave.kind == 'sick' and not leave.certificate:
                raise LeaveError(gettext(
                        'casa_hr.msg_leave_certificate',
                        leave=leave.rec_name))
        cls._transit(leaves, 'requested')

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, leaves):
        cls.check_decider(leaves)
        cls._transit(leaves, 'approved', decided_by=Transaction().user,
            decided_at=utc_now())

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, leaves):
        cls.check_decider(leaves)
        cls._transit(leaves, 'refused', decided_by=Transaction().user,
            decided_at=utc_now())

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, leaves):
        cls._transit(leaves, 'draft', decided_by=None, decided_at=None)

    @classmethod
    def approved_days(cls, employees, start, end, kinds=None):
        """{employee id: set of the working days from start to end on
        approved leave (of the kinds, all by default)}"""
        domain = []
        if kinds is not None:
            domain.append(('kind', 'in', list(kinds)))
        with without_check_access():
            leaves = cls.search(domain + [
                    ('employee', 'in', [int(e) for e in employees]),
                    ('state', '=', 'approved'),
                    ('date_from', '<=', end),
                    ('date_to', '>=', start),
                    ], order=[])
        days = {}
        for leave in leaves:
            day = max(leave.date_from, start)
            while day <= min(leave.date_to, end):
                if day.weekday() in WORKING_WEEKDAYS:
                    days.setdefault(leave.employee.id, set()).add(day)
                day += dt.timedelta(days=1)
        return days
