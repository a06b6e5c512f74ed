# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Ghost employees: the payroll reconciled with the registry, the posts and
the attendance; each red flag is a ``casa.anomaly`` of the payroll line,
with its evidence, its figures (the net pay at stake first) and a score.
Run again, it updates the flags still pending (never duplicates them).

The flags of these kinds are the HR staff's: a unit user (manager) does
not see them, even of their unit."""
import calendar
import re
from collections import defaultdict
from decimal import Decimal
from statistics import median

from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .leave import working_days

# the kinds of the payroll reconciliation, with their score (0-100)
KINDS = {
    'hr_unknown': 90,
    'hr_identity': 80,
    'hr_unassigned': 70,
    'hr_no_post': 40,
    'hr_duplicate': 75,
    'hr_paid_twice': 90,
    'hr_after_death': 100,
    'hr_after_end': 90,
    'hr_retired': 70,
    'hr_unpaid_leave': 80,
    'hr_no_attendance': 60,
    'hr_pay_outlier': 50,
    }
# the age at which a civil servant retires (Moroccan pension law: 63 since
# 2017), past which a salary is a red flag
RETIREMENT_AGE = 63
IDENTIFIERS = ['cin', 'rib', 'cnss']
# a net pay is far from its grade's and step's when above HIGH or below LOW
# times the median of the month's lines at that grade and step, counted
# when at least OUTLIER_GROUP people are paid at it
HIGH, LOW = Decimal('1.5'), Decimal('0.5')
OUTLIER_GROUP = 3


def month_end(period):
    return period.replace(
        day=calendar.monthrange(period.year, period.month)[1])


def add_years(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


class Anomaly(metaclass=PoolMeta):
    __name__ = 'casa.anomaly'

    payroll_line = fields.Function(fields.Many2One(
            'casa.hr.payroll.line', "Payroll Line",
            help="The payroll line the flag is about."),
        'get_payroll_line')

    def get_payroll_line(self, name):
        # the origin (Record) as a payroll line: a link to open it and a
        # field to search and group the flags by
        if self.origin and self.origin.__name__ == 'casa.hr.payroll.line':
            return self.origin.id

    @classmethod
    def _get_kinds(cls):
        return super()._get_kinds() + [
            (k, 'casa_hr.msg_anomaly_kind_%s' % k[3:]) for k in KINDS]

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['casa.hr.payroll.line']

    @classmethod
    def business_unit_rule(cls, units, mode):
        "A unit user sees the flags of their units, but no ghost case"
        return [
            ('business_unit', 'in', list(units)),
            ('kind', 'not in', list(KINDS)),
            ]

    @classmethod
    def open_counts(cls, units):
        "The counts of a unit user leave the ghost cases out"
        pool = Pool()
        User = pool.get('res.user')
        counts = super().open_counts(units)
        if User.get_business_units() is None or not counts:
            return counts
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.business_unit, Count(table.id),
                where=table.business_unit.in_(list(counts))
                & table.state.in_(['open', 'review'])
                & table.kind.in_(list(KINDS)),
                group_by=[table.business_unit]))
        for unit, count in cursor:
            counts[unit] -= count
        return counts

    # --- the reconciliation

    @classmethod
    def reconcile_payrolls(cls, payrolls):
        "Flag the red flags of the lines of the payrolls"
        findings = []
        for payroll in payrolls:
            findings.extend(cls._payroll_findings(payroll))
        findings.extend(cls._duplicate_findings(payrolls))
        findings.extend(cls._pay_findings(payrolls))
        for line, kind, evidence, figures, *suffix in findings:
            cls.flag(kind, line.payroll.business_unit, origin=line,
                key=' '.join([
                        line.payroll.period.strftime('%Y-%m'),
                        line.matricule, kind, *suffix]),
                evidence=evidence,
                figures=[(gettext('casa_hr.msg_figure_net_pay'),
                        line.net_pay)] + figures,
                score=KINDS[kind])
        return findings

    @classmethod
    def _payroll_findings(cls, payroll):
        """[(line, kind, evidence, figures)] of the lines of the payroll
        against the registry, the assignments and the attendance"""
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        Leave = pool.get('casa.hr.leave')
        start, end = payroll.period, month_end(payroll.period)
        period = start.strftime('%Y-%m')
        unit = payroll.business_unit
        lines = list(payroll.lines)
        employees = {l.employee for l in lines if l.employee}
        with without_check_access():
            assignments = Assignment.search([
                    ('employee', 'in', [e.id for e in employees]),
                    ('date_from', '<=', end),
                    ['OR',
                        ('date_to', '=', None),
                        ('date_to', '>=', start),
                        ],
                    ], order=[('date_from', 'ASC')])
        assigned = defaultdict(list)
        for assignment in assignments:
            assigned[assignment.employee].append(assignment)
        attendance = cls._attendance(unit, start, end)
        leave_days = Leave.approved_days(employees, start, end)
        unpaid_days = Leave.approved_days(
            employees, start, end, kinds=['unpaid'])
        month_days = working_days(start, end)
        findings = []
        for line in lines:
            employee = line.employee
            name = '%s %s' % (line.last_name, line.first_name)
            if not employee:
                findings.append((line, 'hr_unknown', gettext(
                            'casa_hr.msg_evidence_unknown',
                            name=name, matricule=line.matricule,
                            cin=line.cin, period=period), []))
                continue
            if (line.cin and employee.cin and line.cin != employee.cin) or (
                    line.matricule != employee.matricule):
                findings.append((line, 'hr_identity', gettext(
                            'casa_hr.msg_evidence_identity',
                            name=name, matricule=line.matricule,
                            cin=line.cin or '', employee=employee.rec_name,
                            employee_matricule=employee.matricule or '',
                            employee_cin=employee.cin or '',
                            period=period), []))
            if employee.death_date and employee.death_date < start:
                findings.append((line, 'hr_after_death', gettext(
                            'casa_hr.msg_evidence_after_death',
                            name=name, matricule=line.matricule,
                            date=employee.death_date, period=period),
                        [(gettext('casa_hr.msg_figure_days_since'),
                                (start - employee.death_date).days)]))
            ends = [d for d in [employee.contract_end, employee.end_date]
                if d and d < start]
            if ends:
                findings.append((line, 'hr_after_end', gettext(
                            'casa_hr.msg_evidence_after_end',
                            name=name, matricule=line.matricule,
                            date=min(ends), period=period),
                        [(gettext('casa_hr.msg_figure_days_since'),
                                (start - min(ends)).days)]))
            if employee.birth_date:
                retirement = add_years(employee.birth_date, RETIREMENT_AGE)
                if retirement < start:
                    findings.append((line, 'hr_retired', gettext(
                                'casa_hr.msg_evidence_retired',
                                name=name, matricule=line.matricule,
                                birth=employee.birth_date, age=RETIREMENT_AGE,
                                period=period),
                            [(gettext('casa_hr.msg_figure_age'),
                                    start.year - employee.birth_date.year
                                    - ((start.month, start.day)
                                        < (employee.birth_date.month,
                                            employee.birth_date.day)))]))
            if unpaid_days.get(employee.id):
                findings.append((line, 'hr_unpaid_leave', gettext(
                            'casa_hr.msg_evidence_unpaid_leave',
                            name=name, matricule=line.matricule,
                            period=period,
                            days=len(unpaid_days[employee.id]),
                            month_days=month_days),
                        [(gettext('casa_hr.msg_figure_unpaid_days'),
                                len(unpaid_days[employee.id]))]))
            current = assigned.get(employee)
            if not current:
                findings.append((line, 'hr_unassigned', gettext(
                            'casa_hr.msg_evidence_unassigned',
                            name=name, matricule=line.matricule,
                            period=period), []))
            elif not any(a.post for a in current):
                findings.append((line, 'hr_no_post', gettext(
                            'casa_hr.msg_evidence_no_post',
                            name=name, matricule=line.matricule,
                            unit=current[-1].business_unit.rec_name,
                            period=period), []))
            if attendance is not None and not attendance.get(employee.id):
                # the working days on approved leave are not absences
                on_leave = len(leave_days.get(employee.id, ()))
                if on_leave < month_days:
                    figures = [(gettext('casa_hr.msg_figure_attendance'), 0)]
                    if on_leave:
                        figures.append((
                                gettext('casa_hr.msg_figure_leave_days'),
                                on_leave))
                    findings.append((line, 'hr_no_attendance', gettext(
                                'casa_hr.msg_evidence_no_attendance',
                                name=name, matricule=line.matricule,
                                unit=unit.rec_name, period=period),
                            figures))
        return findings

    @classmethod
    def _attendance(cls, unit, start, end):
        """{employee id: attendance lines in the range} of the employees
        assigned to the unit in the range, or None when none of them has
        any (the unit keeps no attendance)"""
        pool = Pool()
        Assignment = pool.get('casa.hr.assignment')
        Line = pool.get('attendance.line')
        with without_check_access():
            employees = {a.employee.id for a in Assignment.search([
                        ('business_unit', '=', unit.id),
                        ('date_from', '<=', end),
                        ['OR',
                            ('date_to', '=', None),
                            ('date_to', '>=', start),
                            ],
                        ], order=[])}
            counts = defaultdict(int)
            for line in Line.search([
                        ('employee', 'in', list(employees)),
                        ('date', '>=', start),
                        ('date', '<=', end),
                        ], order=[]):
                counts[line.employee.id] += 1
        if not counts:
            return None
        return counts

    @classmethod
    def _duplicate_findings(cls, payrolls):
        """The lines of the payrolls sharing a CIN, RIB or CNSS number with
        another line of the same month (of any payroll of the company), and
        the people paid by two payrolls of the month"""
        pool = Pool()
        Line = pool.get('casa.hr.payroll.line')
        findings = []
        for company, period in sorted({
                    (p.company.id, p.period) for p in payrolls}):
            with without_check_access():
                lines = Line.search([
                        ('payroll.company', '=', company),
                        ('payroll.period', '=', period),
                        ], order=[('id', 'ASC')])
            mine = {l for l in lines if l.payroll in payrolls}
            label = period.strftime('%Y-%m')
            by_matricule = defaultdict(list)
            for line in lines:
                by_matricule[line.matricule].append(line)
            for matricule, group in by_matricule.items():
                payroll_names = sorted({l.payroll.rec_name for l in group})
                if len(payroll_names) < 2:
                    continue
                for line in group:
                    if line in mine:
                        findings.append((line, 'hr_paid_twice', gettext(
                                    'casa_hr.msg_evidence_paid_twice',
                                    matricule=matricule, period=label,
                                    payrolls=', '.join(payroll_names)),
                                [(gettext('casa_hr.msg_figure_payrolls'),
                                        len(payroll_names))]))
            for name in IDENTIFIERS:
                groups = defaultdict(list)
                for line in lines:
                    value = getattr(line, name)
                    if value:
                        groups[value].append(line)
                for value, group in groups.items():
                    matricules = sorted({l.matricule for l in group})
                    if len(matricules) < 2:
                        continue
                    for line in group:
                        if line not in mine:
                            continue
                        findings.append((line, 'hr_duplicate', gettext(
                                    'casa_hr.msg_evidence_duplicate',
                                    field=getattr(Line, name).string,
                                    value=value, count=len(matricules),
                                    period=label,
                                    matricules=', '.join(matricules)),
                                [(gettext('casa_hr.msg_figure_people'),
                                        len(matricules))], name))
            findings.extend(cls._contact_findings(lines, mine, label))
        return findings

    @classmethod
    def _contact_findings(cls, lines, mine, label):
        """The lines of mine whose employee shares a phone number or an
        address with the employee of another line of lines"""
        groups = defaultdict(list)
        for line in lines:
            if not line.employee:
                continue
            party = line.employee.party
            for mechanism in party.contact_mechanisms:
                if mechanism.type in {'phone', 'mobile'}:
                    # the number without its country or trunk prefix
                    digits = re.sub(r'\D', '', mechanism.value or '')[-9:]
                    if len(digits) == 9:
                        groups['phone', digits].append(line)
            for address in party.addresses:
                street = ' '.join((address.street_single_line or '')
                    .upper().replace(',', ' ').split())
                if street:
                    city = ' '.join((address.city or '').upper().split())
                    groups['address', ', '.join(
                            filter(None, [street, city]))].append(line)
        findings = []
        for (kind, value), group in groups.items():
            matricules = sorted({l.matricule for l in group})
            if len(matricules) < 2:
                continue
            for line in group:
                if line not in mine:
                    continue
                findings.append((line, 'hr_duplicate', gettext(
                            'casa_hr.msg_evidence_duplicate',
                            field=gettext('casa_hr.msg_contact_%s' % kind),
                            value=value, count=len(matricules),
                            period=label, matricules=', '.join(matricules)),
                        [(gettext('casa_hr.msg_figure_people'),
                                len(matricules))], kind))
        return findings

    @classmethod
    def _pay_findings(cls, payrolls):
        """The lines of the payrolls whose net pay is far from the median of
        the lines of the month (all the company's payrolls) paid to
        employees of the same grade and step"""
        pool = Pool()
        Line = pool.get('casa.hr.payroll.line')
        findings = []
        for company, period in sorted({
                    (p.company.id, p.period) for p in payrolls}):
            with without_check_access():
                lines = Line.search([
                        ('payroll.company', '=', company),
                        ('payroll.period', '=', period),
                        ('employee.grade', '!=', None),
                        ], order=[('id', 'ASC')])
            groups = defaultdict(list)
            for line in lines:
                groups[line.employee.grade, line.employee.step].append(line)
            for (grade, step), group in groups.items():
                if len(group) < OUTLIER_GROUP:
                    continue
                middle = Decimal(median(l.net_pay for l in group))
                for line in group:
                    if line.payroll not in payrolls or not (
                            line.net_pay > middle * HIGH
                            or line.net_pay < middle * LOW):
                        continue
                    findings.append((line, 'hr_pay_outlier', gettext(
                                'casa_hr.msg_evidence_pay_outlier',
                                name='%s %s' % (
                                    line.last_name, line.first_name),
                                matricule=line.matricule, grade=grade,
                                step=step if step is not None else '',
                                period=period.strftime('%Y-%m'),
                                pay=line.net_pay, count=len(group),
                                median=middle.quantize(Decimal('0.01'))),
                            [(gettext('casa_hr.msg_figure_median'), middle),
                                (gettext('casa_hr.msg_figure_grade_paid'),
                                    len(group))]))
        return findings
