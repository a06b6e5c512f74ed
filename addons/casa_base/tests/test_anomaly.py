# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Anomaly flags: one finding, one flag while it is pending; decisions
recorded with who and when; counts per unit for the dashboard."""
import datetime as dt
import io
import unittest
from decimal import Decimal

import openpyxl

from trytond.model.exceptions import AccessError
from trytond.modules.casa_base.exceptions import AnomalyError
from trytond.modules.casa_base.unit_report import (
    UnitReportRequest, render_odt)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_module import create_unit, create_user


def as_user(user, company):
    "The transaction of a user of the client: access checked"
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=company.id)


class AnomalyTestCase(unittest.TestCase):
    "Anomaly flags"

    @classmethod
    def setUpClass(cls):
        activate_module('casa_base')

    def setup_units(self):
        pool = Pool()
        Site = pool.get('casa.site')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            mgfl = create_unit(company, 'MGFL')
            site, = Site.create([{
                        'business_unit': abt.id, 'company': company.id,
                        'code': 'ABT-1', 'name': "Abattoir"}])
        return company, abt, mgfl, site

    @with_transaction()
    def test_flag_twice_one_open_flag(self):
        "A detector run twice leaves one open flag with updated evidence"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            first = Anomaly.flag('other', abt, site, 'gate-1',
                "12 entries without exit", [("Entries", 12)], 60)
            second = Anomaly.flag('other', abt, site, 'gate-1',
                "15 entries without exit", [("Entries", 15), ("Days", 2)],
                80)
        self.assertEqual(first, second)
        flags = Anomaly.search([])
        self.assertEqual(len(flags), 1)
        flag, = flags
        self.assertEqual(flag.state, 'open')
        self.assertEqual(flag.evidence, "15 entries without exit")
        self.assertEqual(flag.score, Decimal('80'))
        self.assertEqual(flag.detections, 2)
        self.assertEqual(flag.origin, site)
        self.assertEqual(flag.business_unit, abt)
        self.assertEqual(flag.company, company)
        self.assertEqual([(f.label, f.value) for f in flag.figures],
            [("Entries", Decimal(15)), ("Days", Decimal(2))])
        # the key defaults to the record
        with set_company(company):
            other = Anomaly.flag('other', abt, site, evidence="Again")
        self.assertEqual(other.key, 'casa.site,%s' % site.id)
        self.assertNotEqual(other, flag)

    @with_transaction()
    def test_flag_after_decision_new_flag(self):
        "A finding cleared or confirmed and detected again opens a new flag"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            flag = Anomaly.flag('other', abt, site, 'k', "Found", [], 50)
            flag.clear_reason = "A test badge"
            flag.save()
            Anomaly.clear([flag])
            again = Anomaly.flag('other', abt, site, 'k', "Found again")
        self.assertNotEqual(again, flag)
        self.assertEqual(again.state, 'open')
        self.assertEqual(Anomaly(flag.id).state, 'cleared')
        self.assertEqual(Anomaly(flag.id).evidence, "Found")
        with set_company(company):
            Anomaly.review([again])
            Anomaly.confirm([again])
            third = Anomaly.flag('other', abt, site, 'k', "Third")
        self.assertNotIn(third, [flag, again])
        # reopening a decided flag while another is pending is refused
        with set_company(company):
            with self.assertRaises(AnomalyError):
                Anomaly.reopen([again])
        self.assertEqual(Anomaly(again.id).state, 'confirmed')

    @with_transaction()
    def test_clear_without_reason_refused(self):
        "Clearing without reason is refused and nothing is stored"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            flag = Anomaly.flag('other', abt, site, 'k', "Found")
        user, context = as_user(manager, company)
        with user, context:
            flag = Anomaly(flag.id)
            for reason in [None, '', '   ']:
                with self.subTest(reason=reason):
                    if reason is not None:
                        Anomaly.write([flag], {'clear_reason': reason})
                    with self.assertRaises(AnomalyError):
                        Anomaly.clear([Anomaly(flag.id)])
        flag = Anomaly(flag.id)
        self.assertEqual(flag.state, 'open')
        self.assertIsNone(flag.decided_by)
        self.assertIsNone(flag.decided_at)

    @with_transaction()
    def test_transitions_record_who_and_when(self):
        "Review, confirm, clear and reopen record who and when"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            one = Anomaly.flag('other', abt, site, 'one', "One")
            two = Anomaly.flag('other', abt, site, 'two', "Two")
        user, context = as_user(manager, company)
        with user, context:
            Anomaly.review([Anomaly(one.id)])
            Anomaly.confirm([Anomaly(one.id)])
            Anomaly.write([Anomaly(two.id)], {'clear_reason': "Known"})
            Anomaly.clear([Anomaly(two.id)])
        one, two = Anomaly(one.id), Anomaly(two.id)
        self.assertEqual(one.state, 'confirmed')
        self.assertEqual(one.reviewed_by, manager)
        self.assertIsNotNone(one.reviewed_at)
        self.assertEqual(one.decided_by, manager)
        self.assertGreaterEqual(one.decided_at, one.reviewed_at)
        self.assertEqual(two.state, 'cleared')
        self.assertEqual(two.decided_by, manager)
        self.assertEqual(two.clear_reason, "Known")
        self.assertIsNone(two.reviewed_by)
        with user, context:
            Anomaly.reopen([Anomaly(two.id)])
        two = Anomaly(two.id)
        self.assertEqual(two.state, 'open')
        self.assertIsNone(two.decided_by)
        self.assertIsNone(two.clear_reason)

    @with_transaction()
    def test_user_cannot_forge(self):
        "A user writes only the reason: no state, evidence, create or delete"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, mgfl, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            gatekeeper = create_user('gate', company, [abt],
                group='group_gatekeeper')
            flag = Anomaly.flag('other', abt, site, 'k', "Found")
            theirs = Anomaly.flag('other', mgfl, None, 'm', "Theirs")
        user, context = as_user(manager, company)
        with user, context:
            self.assertEqual(Anomaly.search([]), [Anomaly(flag.id)])
            for values in [{'state': 'cleared'}, {'evidence': "Nothing"},
                    {'score': 0}, {'decided_by': manager.id}]:
                with self.subTest(values=values):
                    with self.assertRaises(AccessError):
                        Anomaly.write([Anomaly(flag.id)], values)
            with self.assertRaises(AccessError):
                Anomaly.create([{'kind': 'other', 'business_unit': abt.id,
                            'company': company.id, 'key': 'x',
                            'evidence': "x", 'score': 1}])
            with self.assertRaises(AccessError):
                Anomaly.delete([Anomaly(flag.id)])
            with self.assertRaises(AccessError):
                Anomaly.read([theirs.id], ['evidence'])
            with self.assertRaises(AccessError):
                Anomaly.review([Anomaly(theirs.id)])
        user, context = as_user(gatekeeper, company)
        with user, context:
            with self.assertRaises(AccessError):
                Anomaly.search([])

    @with_transaction()
    def test_origin_of_readable_models(self):
        "A user who can not read every origin model sees the Record field"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        ModelAccess = pool.get('ir.model.access')
        User = pool.get('res.user')
        Party = pool.get('party.party')
        Service = pool.get('casa.service')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            flag = Anomaly.flag('other', abt, site, 'k', "Found")
            hidden = Anomaly.flag('other', abt, None, 'm', "Move")
            # a record of a model the manager may not read: service sheets
            party, = Party.create([{'name': "Chevillard"}])
            service, = Service.create([{'business_unit': abt.id,
                        'company': company.id, 'party': party.id,
                        'date': dt.date(2026, 3, 2)}])
            Anomaly.write([hidden], {'origin': str(service)})
            with Transaction().set_user(manager.id):
                groups = list(User.get_groups())
            accesses = ModelAccess.search([
                    ('model', '=', 'casa.service'),
                    ['OR', ('group', 'in', groups), ('group', '=', None)],
                    ])
            # (the accesses are of the base configuration: by SQL)
            table = ModelAccess.__table__()
            Transaction().connection.cursor().execute(*table.update(
                    [table.perm_read], [False],
                    where=table.id.in_([a.id for a in accesses])))
            ModelAccess._get_access_cache.clear()
        user, context = as_user(manager, company)
        with user, context:
            self.assertTrue(ModelAccess.check('casa.site', 'read',
                    raise_exception=False))
            self.assertFalse(ModelAccess.check('casa.service', 'read',
                    raise_exception=False))
            self.assertIn('origin', Anomaly.fields_get())
            view = Anomaly.fields_view_get(view_type='form')
            self.assertIn('origin', view['fields'])
            self.assertIn('origin', Anomaly.fields_view_get(
                    view_type='tree')['fields'])
            origins = [m for m, _ in Anomaly.get_origins()]
            self.assertIn('casa.site', origins)
            self.assertNotIn('casa.service', origins)
            rows = {r['id']: r for r in Anomaly.read(
                    [flag.id, hidden.id], ['key', 'origin.rec_name'])}
            self.assertEqual(rows[flag.id]['origin.']['rec_name'],
                site.rec_name)
            self.assertIsNone(rows[hidden.id]['origin.'])
            self.assertNotIn('origin', rows[flag.id])
            rows = {r['id']: r for r in Anomaly.read(
                    [flag.id, hidden.id], ['origin'])}
            self.assertEqual(rows[flag.id]['origin'], str(site))
            self.assertIsNone(rows[hidden.id]['origin'])
            self.assertEqual(Anomaly(flag.id).origin, site)
        # the detectors and the admin see every origin
        self.assertEqual(Anomaly(hidden.id).origin, service)

    @with_transaction()
    def test_score_range(self):
        "The score is from 0 to 100"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        company, abt, _, site = self.setup_units()
        with set_company(company):
            # the first flag takes the lock of the table (not in a subTest:
            # the test is run again with the lock from the start)
            Anomaly.flag('other', abt, site, 'ok', "x", [], 0)
            for score in [-1, 101]:
                with self.subTest(score=score):
                    with self.assertRaises(AnomalyError):
                        Anomaly.flag('other', abt, site, 'k', "x", [], score)
            self.assertEqual(len(Anomaly.search([])), 1)

    @with_transaction()
    def test_open_counts(self):
        "Open and under review count; a unit user counts only their units"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        BusinessUnit = pool.get('casa.business_unit')
        company, abt, mgfl, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            for key in ['a', 'b', 'c']:
                Anomaly.flag('other', abt, site, key, "Found")
            Anomaly.flag('other', mgfl, None, 'm', "Theirs")
            a, b, c = Anomaly.search([('business_unit', '=', abt.id)],
                order=[('key', 'ASC')])
            Anomaly.review([a])
            Anomaly.review([b])
            Anomaly.confirm([b])
        self.assertEqual(Anomaly.open_counts([abt, mgfl]),
            {abt.id: 2, mgfl.id: 1})
        self.assertEqual(BusinessUnit(abt.id).open_anomalies, 2)
        with Transaction().set_user(manager.id):
            self.assertEqual(Anomaly.open_counts([abt.id, mgfl.id]),
                {abt.id: 2})
        user, context = as_user(manager, company)
        with user, context:
            unit, = BusinessUnit.read([abt.id], ['open_anomalies'])
            self.assertEqual(unit['open_anomalies'], 2)

    @with_transaction()
    def test_report(self):
        "The report: a sheet per unit of the user, the flags of the range"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        Report = pool.get('casa.anomaly.xlsx', type='report')
        company, abt, mgfl, site = self.setup_units()
        with set_company(company):
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            one = Anomaly.flag('other', abt, site, 'one', "Badge lent",
                [("Entries", 3)], 70)
            Anomaly.flag('other', mgfl, None, 'm', "Secret of MGFL")
        data = {'company': company.id, 'start_date': one.date.isoformat(),
            'end_date': one.date.isoformat()}
        with set_company(company):
            extension, content, _, _ = Report.execute([], data)
        self.assertEqual(extension, 'xlsx')
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ['ABT', 'MGFL'])
        rows = [[c.value for c in r] for r in workbook['ABT'].iter_rows(
                min_row=6)]
        self.assertEqual(rows[0][3:7],
            ["Badge lent", "Entries: 3", 70, "Open"])
        self.assertEqual(rows[-1][0], "1 anomalies")
        # the PDF's layout: the same sheets, a page per unit
        with set_company(company):
            request = UnitReportRequest(data)
            document = render_odt(request, Report.sheets(request))
        self.assertIn("Badge lent", document)
        self.assertIn("Secret of MGFL", document)
        # a manager of ABT asking for MGFL gets nothing of MGFL
        user, context = as_user(manager, company)
        with user, context:
            _, content, _, _ = Report.execute([],
                dict(data, units=[mgfl.id]))
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            self.assertNotIn('MGFL', workbook.sheetnames)
            _, content, _, _ = Report.execute([], data)
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            self.assertEqual(workbook.sheetnames, ['ABT'])
