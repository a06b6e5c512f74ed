# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Budgeted posts of the units and the assignments of the employees to
them: who works where, from when to when, and why they moved."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.modules.casa_base import BusinessUnitMixin
from trytond.modules.casa_base.mixin import CodeNameMixin
from trytond.modules.casa_base.localtime import local_today
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import AssignmentError, PostError


class Post(
        CodeNameMixin, DeactivableMixin, BusinessUnitMixin, ModelSQL,
        ModelView):
    "A budgeted post of a business unit, on one of its sites"
    __name__ = 'casa.hr.post'
    __string__ = "Budgeted Post"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True, translate=True)
    site = fields.Many2One(
        'casa.site', "Site", ondelete='RESTRICT',
        domain=[
            ('business_unit', '=', Eval('business_unit', -1)),
            ])
    grade = fields.Char(
        "Grade", strip=True, help="The grade the post is budgeted at.")
    positions = fields.Integer(
        "Budgeted Positions", required=True,
        help="How many employees the budget pays on this post.")
    filled = fields.Function(
        fields.Integer("Filled", help="The employees assigned today."),
        'get_filled')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.business_unit, t.code),
                'casa_hr.msg_post_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_positions(cls):
        return 1

    @classmethod
    def get_filled(cls, posts, name):
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        today = local_today()
        result = {p.id: 0 for p in posts}
        with without_check_access():
            assignments = Assignment.search([
                    ('post', 'in', [p.id for p in posts]),
                    ('date_from', '<=', today),
                    ['OR',
                        ('date_to', '=', None),
                        ('date_to', '>=', today),
                        ],
                    ], order=[])
        for assignment in assignments:
            result[assignment.post.id] += 1
        return result

    @classmethod
    def validate_fields(cls, posts, field_names):
        super().validate_fields(posts, field_names)
        for post in posts:
            if post.positions < 0:
                raise PostError(gettext(
                        'casa_hr.msg_post_positions_negative',
                        post=post.rec_name))
            if post.business_unit.company != post.company:
                raise PostError(gettext(
                        'casa_hr.msg_post_company', post=post.rec_name))


class Assignment(BusinessUnitMixin, ModelSQL, ModelView):
    """An employee working for a unit (on a site, on a post) from a date to
    a date: the history of the employee's assignments; a redeployment is a
    new assignment with its reason"""
    __name__ = 'casa.hr.assignment'
    __string__ = "Assignment"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    site = fields.Many2One(
        'casa.site', "Site", ondelete='RESTRICT',
        domain=[
            ('business_unit', '=', Eval('business_unit', -1)),
            ])
    post = fields.Many2One(
        'casa.hr.post', "Post", ondelete='RESTRICT',
        domain=[
            ('business_unit', '=', Eval('business_unit', -1)),
            If(Eval('site'),
                ['OR', ('site', '=', None), ('site', '=', Eval('site'))],
                []),
            ])
    date_from = fields.Date(
        "From", required=True,
        domain=[If(Eval('date_to'),
                ('date_from', '<=', Eval('date_to')), ())])
    date_to = fields.Date(
        "To",
        domain=[If(Eval('date_to'),
                ('date_to', '>=', Eval('date_from')), ())],
        help="The last day (empty: still assigned).")
    reason = fields.Selection([
            ('hire', "Hiring"),
            ('redeployment', "Redeployment"),
            ('promotion', "Promotion"),
            ('return', "Return from Leave or Secondment"),
            ('other', "Other"),
            ], "Reason", required=True, sort=False)
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.employee, Index.Equality()),
                    (t.date_from, Index.Range())),
                Index(t, (t.post, Index.Equality())),
                })
        cls._order = [('date_from', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_reason(cls):
        return 'hire'

    @classmethod
    def default_date_from(cls):
        return local_today()

    def get_rec_name(self, name):
        return '%s @ %s %s' % (
            self.employee.rec_name, self.business_unit.rec_name,
            self.date_from)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @fields.depends('post', 'site')
    def on_change_post(self):
        if self.post and self.post.site and not self.site:
            self.site = self.post.site

    @classmethod
    def current(cls, employees, date=None):
        "The assignments of the employees on the date (today by default)"
        if date is None:
            date = local_today()
        with without_check_access():
            return cls.search([
                    ('employee', 'in', [int(e) for e in employees]),
                    ('date_from', '<=', date),
                    ['OR',
                        ('date_to', '=', None),
                        ('date_to', '>=', date),
                        ],
                    ], order=[('date_from', 'ASC')])

    @classmethod
    def create(cls, vlist):
        """A new assignment ends the open assignment of the employee that
        started before it (the day before): a redeployment is one record"""
        vlist = [v.copy() for v in vlist]
        to_close = {}
        for values in vlist:
            employee, start = values.get('employee'), values.get(
                'date_from') or cls.default_date_from()
            if not employee or values.get('date_to'):
                continue
            with without_check_access():
                opened = cls.search([
                        ('employee', '=', employee),
                        ('date_to', '=', None),
                        ('date_from', '<', start),
                        ])
            for assignment in opened:
                to_close[assignment] = start - dt.timedelta(days=1)
        for assignment, end in to_close.items():
            assignment.date_to = end
        if to_close:
            cls.save(list(to_close))
        return super().create(vlist)

    @classmethod
    def validate_fields(cls, assignments, field_names):
        super().validate_fields(assignments, field_names)
        cls.check_overlap(assignments, field_names)
        for assignment in assignments:
            if (assignment.business_unit.company != assignment.company
                    or assignment.employee.company != assignment.company):
                raise AssignmentError(gettext(
                        'casa_hr.msg_assignment_company',
                        assignment=assignment.rec_name))

    @classmethod
    def check_overlap(cls, assignments, field_names=None):
        "One employee works for one unit at a time"
        if field_names and not (
                field_names & {'employee', 'date_from', 'date_to'}):
            return
        for assignment in assignments:
            domain = [
                ('employee', '=', assignment.employee.id),
                ('id', '!=', assignment.id),
                ['OR',
                    ('date_to', '=', None),
                    ('date_to', '>=', assignment.date_from),
                    ],
                ]
            if assignment.date_to:
                domain.append(('date_from', '<=', assignment.date_to))
            with without_check_access():
                others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise AssignmentError(gettext(
                        'casa_hr.msg_assignment_overlap',
                        employee=assignment.employee.rec_name,
                        assignment=assignment.date_from,
                        other=other.rec_name))
