# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Leave: requested, approved or refused by the HR staff or the manager of
the employee's unit — and no one else; approved leave is not absence."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.casa_access.kiosk import GateInfo
from trytond.modules.casa_base.tests.test_module import (
    create_unit, create_user)
from trytond.modules.casa_hr.exceptions import LeaveError
from trytond.modules.casa_hr.tests.tools import make_rib
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


def as_user(user, company):
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=company.id)


class LeaveTestCase(unittest.TestCase):
    "Leave"

    @classmethod
    def setUpClass(cls):
        activate_module('casa_hr')

    def setup_staff(self):
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        Assignment = pool.get('casa.hr.assignment')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            mgfl = create_unit(company, 'MGFL')
            employees = []
            for i, unit in enumerate([abt, mgfl], start=1):
                party, = Party.create([{'name': "E%s" % i}])
                employee, = Employee.create([{'party': party.id,
                            'company': company.id, 'matricule': 'E%s' % i}])
                Assignment.create([{'employee': employee.id,
                            'business_unit': unit.id, 'company': company.id,
                            'date_from': dt.date(2026, 1, 1)}])
                employees.append(employee)
        return company, abt, mgfl, employees

    def leave(self, company, unit, employee, start, end, kind='annual',
            **values):
        Leave = Pool().get('casa.hr.leave')
        leave, = Leave.create([dict(values, company=company.id,
                    business_unit=unit.id, employee=employee.id,
                    kind=kind, date_from=start, date_to=end)])
        return leave

    @with_transaction()
    def test_days_and_certificate(self):
        "Working days counted; a sick leave is requested with its certificate"
        pool = Pool()
        Leave = pool.get('casa.hr.leave')
        company, abt, _, (e1, _) = self.setup_staff()
        with set_company(company):
            # Friday 2026-05-08 to Tuesday 2026-05-12: 3 working days
            leave = self.leave(company, abt, e1, dt.date(2026, 5, 8),
                dt.date(2026, 5, 12), 'sick')
            self.assertEqual(leave.days, 3)
            with self.assertRaises(LeaveError):
                Leave.request([leave])
            self.assertEqual(Leave(leave.id).state, 'draft')
            leave.certificate = b'%PDF-1.4 certificate'
            leave.certificate_name = 'certificat.pdf'
            leave.save()
            Leave.request([leave])
            Leave.approve([leave])
            leave = Leave(leave.id)
            self.assertEqual(leave.state, 'approved')
            self.assertEqual(leave.decided_by.id, Transaction().user)
            self.assertIsNotNone(leave.decided_at)
            # one leave at a time
            with self.assertRaises(LeaveError):
                self.leave(company, abt, e1, dt.date(2026, 5, 12),
                    dt.date(2026, 5, 13))

    @with_transaction()
    def test_unit_manager_approves_their_staff_only(self):
        "The ABT manager approves ABT's staff's leave, not MGFL's"
        pool = Pool()
        Leave = pool.get('casa.hr.leave')
        company, abt, mgfl, (e1, e2) = self.setup_staff()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            other = create_user('other', company, [mgfl],
                group='group_business_unit_manager')
            mine = self.leave(company, abt, e1, dt.date(2026, 5, 4),
                dt.date(2026, 5, 5))
            theirs = self.leave(company, mgfl, e2, dt.date(2026, 5, 4),
                dt.date(2026, 5, 5))
            Leave.request([mine, theirs])
        user, context = as_user(manager, company)
        with user, context:
            self.assertEqual(Leave.search([]), [Leave(mine.id)])
            with self.assertRaises(AccessError):
                Leave.approve([Leave(theirs.id)])
            with self.assertRaises(AccessError):
                Leave.refuse([Leave(theirs.id)])
            with self.assertRaises(AccessError):
                Leave.write([Leave(mine.id)], {'state': 'approved'})
            with self.assertRaises(AccessError):
                Leave.create([{'company': company.id,
                            'business_unit': mgfl.id, 'employee': e2.id,
                            'kind': 'annual',
                            'date_from': dt.date(2026, 6, 1),
                            'date_to': dt.date(2026, 6, 2)}])
            Leave.approve([Leave(mine.id)])
        self.assertEqual(Leave(mine.id).state, 'approved')
        self.assertEqual(Leave(mine.id).decided_by, manager)
        self.assertEqual(Leave(theirs.id).state, 'requested')
        # a manager of MGFL (not of ABT's staff) does not decide for ABT
        with set_company(company):
            later = self.leave(company, abt, e1, dt.date(2026, 7, 6),
                dt.date(2026, 7, 10))
            Leave.request([later])
        user, context = as_user(other, company)
        with user, context:
            with self.assertRaises(AccessError):
                Leave.approve([Leave(later.id)])
            Leave.refuse([Leave(theirs.id)])
        self.assertEqual(Leave(theirs.id).state, 'refused')
        self.assertEqual(Leave(theirs.id).decided_by, other)
        self.assertEqual(Leave(later.id).state, 'requested')
        # (last: a refused create leaves its row in the test's transaction,
        # a request's is rolled back) the manager can not put the leave of
        # an MGFL employee in ABT
        user, context = as_user(manager, company)
        with user, context:
            with self.assertRaises(LeaveError):
                Leave.create([{'company': company.id,
                            'business_unit': abt.id, 'employee': e2.id,
                            'kind': 'annual',
                            'date_from': dt.date(2026, 6, 1),
                            'date_to': dt.date(2026, 6, 2)}])

    @with_transaction()
    def test_paid_during_unpaid_leave(self):
        "Paid for a month with working days on approved unpaid leave"
        pool = Pool()
        Leave = pool.get('casa.hr.leave')
        Payroll = pool.get('casa.hr.payroll')
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, (e1, _) = self.setup_staff()
        with set_company(company):
            unpaid = self.leave(company, abt, e1, dt.date(2026, 6, 8),
                dt.date(2026, 6, 14), 'unpaid')
            # a refused one does not count
            refused = self.leave(company, abt, e1, dt.date(2026, 6, 15),
                dt.date(2026, 6, 19), 'unpaid')
            Leave.request([unpaid, refused])
            Leave.approve([unpaid])
            Leave.refuse([refused])
            payroll = Payroll.import_file(abt, '\n'.join([
                        'matricule;cin;nom;prenom;rib;net;periode',
                        'E1;BK100001;E;1;%s;4000,00;2026-06' % make_rib(1),
                        ]))
            Payroll.reconcile([payroll])
            flag, = Anomaly.search([('kind', '=', 'hr_unpaid_leave')])
            self.assertEqual(flag.evidence,
                "E 1 (payroll number E1) is paid for 2026-06 while on "
                "approved unpaid leave 5 working days of 22.")
            self.assertEqual(
                [(f.label, f.value) for f in flag.figures],
                [("Net pay", Decimal('4000.00')),
                    ("Working days on unpaid leave", 5)])
            self.assertEqual(flag.score, 80)


class GateAttendanceTestCase(unittest.TestCase):
    "A staff badge at a gate"

    @classmethod
    def setUpClass(cls):
        activate_module('casa_hr')

    @with_transaction()
    def test_staff_badge_attends(self):
        "An allowed passage of a staff badge is an attendance line"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        Site = pool.get('casa.access.site')
        Gate = pool.get('casa.access.gate')
        Category = pool.get('casa.access.category')
        Authorisation = pool.get('casa.access.authorisation')
        Passage = pool.get('casa.access.passage')
        Line = pool.get('attendance.line')
        company = create_company()
        with set_company(company):
            unit = create_unit(company, 'ABT')
            site, = Site.create([{'code': 'S1', 'name': "Site",
                        'company': company.id, 'business_unit': unit.id,
                        'admission': 'authorised'}])
            gate, = Gate.create([{'site': site.id, 'code': 'G1',
                        'name': "Gate", 'direction': 'both'}])
            gate = GateInfo.from_gate(gate)
            party, = Party.create([{'name': "Staff"}])
            employee, = Employee.create([{'party': party.id,
                        'company': company.id, 'matricule': 'E1',
                        'badge': 'b-1042'}])
            self.assertEqual(employee.badge, 'B1042')
            category, = Category.search([], limit=1)
            for badge in ['B1042', 'B7']:
                Authorisation.create([{'name': "Holder",
                            'category': category.id, 'badge': badge,
                            'sites': [('add', [site.id])],
                            'company': company.id}])
            at = dt.datetime(2026, 6, 2, 7, 30)
            Passage.record(gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d21',
                'in', {'badge': 'B1042'}, now=at)
            # the same event again, another badge (no employee), a refused
            # one: no line
            Passage.record(gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d21',
                'in', {'badge': 'B1042'}, now=at)
            Passage.record(gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d22',
                'in', {'badge': 'B7'}, now=at)
            Passage.record(gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d23',
                'in', {'badge': 'B999'}, now=at)
            Passage.record_many(gate, 1, [{
                        'uuid': '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d24',
                        'direction': 'out',
                        'identifiers': {'badge': 'B1042'}}],
                now=dt.datetime(2026, 6, 2, 16, 0))
            lines = Line.search([], order=[('at', 'ASC')])
            self.assertEqual(
                [(l.employee, l.type, l.at, l.date) for l in lines],
                [(employee, 'in', at, dt.date(2026, 6, 2)),
                    (employee, 'out', dt.datetime(2026, 6, 2, 16, 0),
                        dt.date(2026, 6, 2))])
            self.assertEqual(Passage.search([], count=True), 4)
