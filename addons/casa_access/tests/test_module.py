# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.casa_access.kiosk import GateInfo
from trytond.modules.casa_access.normalise import normalise_identifier
from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


class NormaliseTestCase(unittest.TestCase):
    "Plates, badges and CIN typed in any form"

    def test_moroccan_plates(self):
        for value in ['12345-أ-6', '12345 | A | 6', '12345a6', ' 12345.A/6 ',
                '١٢٣٤٥-أ-٦', '12345-ا-6']:
            self.assertEqual(normalise_identifier(value), '12345A6', value)

    def test_letters(self):
        self.assertEqual(normalise_identifier('9999 ب 26'), '9999B26')
        self.assertEqual(normalise_identifier('1-هـ-2'), '1H2')
        self.assertEqual(normalise_identifier('3-ش-4'), '3CH4')
        self.assertEqual(normalise_identifier('WW-123 456'), 'WW123456')

    def test_foreign_and_empty(self):
        self.assertEqual(normalise_identifier('be 1234 ab'), 'BE1234AB')
        self.assertEqual(normalise_identifier('AB-123-CD'), 'AB123CD')
        self.assertIsNone(normalise_identifier(''))
        self.assertIsNone(normalise_identifier(None))
        self.assertIsNone(normalise_identifier(' - | '))


class CasaAccessTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Casa Access module"
    module = 'casa_access'
    extras = ['casa_l10n_ma']

    def setup_gate(self, company, direction='both', admission='authorised'):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        Site = pool.get('casa.access.site')
        Gate = pool.get('casa.access.gate')
        unit, = BusinessUnit.create([{
                    'name': "Abattoirs", 'code': 'ABT',
                    'company': company.id}])
        site, = Site.create([{
                    'code': 'S1', 'name': "Site", 'company': company.id,
                    'business_unit': unit.id, 'admission': admission}])
        gate, = Gate.create([{
                    'site': site.id, 'code': 'G1', 'name': "Gate",
                    'direction': direction}])
        return GateInfo.from_gate(gate)

    def authorise(self, gate, category='chevillard', **values):
        pool = Pool()
        Authorisation = pool.get('casa.access.authorisation')
        Category = pool.get('casa.access.category')
        category, = Category.search([('code', '=', category)])
        windows = values.pop('windows', [])
        authorisation, = Authorisation.create([{
                    'name': "Holder", 'category': category.id,
                    'sites': [('add', [gate.site_id])],
                    'windows': [('create', windows)],
                    'company': gate.company_id,
                    **values}])
        return authorisation

    @with_transaction()
    def test_migrate_gate_keys(self):
        "A kiosk key that had its gate gets a kiosk device at that gate"
        pool = Pool()
        Application = pool.get('res.user.application')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            user, = User.create([{
                        'login': 'hassan', 'name': "Hassan",
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'business_units': [
                            ('add', [gate.business_unit_id])],
                        'groups': [('add', [ModelData.get_id(
                                        'casa_base', 'group_gatekeeper')])],
                        }])
            # the table as it was: the key's gate in a column of its own
            table_h = Application.__table_handler__('casa_access')
            table_h.add_column('gate', 'INTEGER')
            table = Application.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.insert(
                    [table.key, table.user, table.application, table.state,
                        table.gate],
                    [['k' * 32, user.id, 'casa_access', 'validated',
                            gate.id]]))
            cursor.execute(*table.select(table.id,
                    where=table.key == 'k' * 32))
            key_id, = cursor.fetchone()

            Application._migrate_gate_keys('casa_access')
            Application._migrate_gate_keys('casa_access')  # idempotent

            application = Application(key_id)
            device = application.device
            self.assertEqual(
                (device.kind, device.gate.id, device.business_unit.id,
                    device.code, device.name),
                ('kiosk', gate.id, gate.business_unit_id,
                    'K%s-S1-G1' % key_id, "Kiosk S1 / Gate"))
            self.assertEqual(application.gate.id, gate.id)
            self.assertEqual(
                Application.search([('gate', '=', gate.id)]), [application])

    @with_transaction()
    def test_time_windows(self):
        "Windows are local (Casablanca) times, per day of week"
        from trytond.modules.casa_access.verdict import decide
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            self.authorise(gate, plate='1-A-1', windows=[{
                        'weekday': '0',
                        'start_time': dt.time(6, 0),
                        'end_time': dt.time(14, 0)}])
            # Monday 2026-11-30 06:30 in Casablanca (UTC+1) is 05:30 UTC
            monday = dt.datetime(2026, 11, 30, 5, 30)
            verdict = decide(gate, 'in', {'plate': '1A1'}, now=monday)
            self.assertEqual(
                (verdict.verdict, verdict.reason), ('allowed', 'authorised'))
            # 05:30 local is before the window
            verdict = decide(gate, 'in', {'plate': '1A1'},
                now=monday - dt.timedelta(hours=1))
            self.assertEqual(verdict.reason, 'outside_hours')
            # Tuesday, same hour
            verdict = decide(gate, 'in', {'plate': '1A1'},
                now=monday + dt.timedelta(days=1))
            self.assertEqual(verdict.reason, 'outside_hours')

    @with_transaction()
    def test_validity_and_blacklist_priority(self):
        "A blacklist entry wins over a valid authorisation, until it ends"
        pool = Pool()
        Blacklist = pool.get('casa.access.blacklist')
        from trytond.modules.casa_access.verdict import decide
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            self.authorise(gate, plate='2-B-2',
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2026, 12, 31))
            now = dt.datetime(2026, 6, 1, 10, 0)
            self.assertEqual(
                decide(gate, 'in', {'plate': '2b2'}, now=now).reason,
                'authorised')
            self.assertEqual(decide(gate, 'in', {'plate': '2b2'},
                    now=dt.datetime(2025, 12, 31, 10, 0)).reason,
                'not_yet_valid')
            self.assertEqual(decide(gate, 'in', {'plate': '2b2'},
                    now=dt.datetime(2027, 1, 2, 10, 0)).reason,
                'expired')
            Blacklist.create([{
                        'kind': 'plate', 'value': '2 ب 2',
                        'reason': "Fraud", 'until': dt.date(2026, 6, 30),
                        'company': company.id}])
            verdict = decide(gate, 'in', {'plate': '2-B-2'}, now=now)
            self.assertEqual(
                (verdict.verdict, verdict.reason), ('refused', 'blacklisted'))
            # the ban is over
            verdict = decide(gate, 'in', {'plate': '2-B-2'},
                now=dt.datetime(2026, 7, 1, 10, 0))
            self.assertEqual(verdict.reason, 'authorised')
            # a badge ban does not touch a plate with the same characters
            Blacklist.create([{
                        'kind': 'badge', 'value': '2B2',
                        'reason': "Lost badge", 'company': company.id}])
            verdict = decide(gate, 'in', {'plate': '2-B-2'},
                now=dt.datetime(2026, 7, 1, 10, 0))
            self.assertEqual(verdict.reason, 'authorised')

    @with_transaction()
    def test_open_site_and_direction(self):
        "An open site lets strangers in; an exit gate lets nobody in"
        from trytond.modules.casa_access.verdict import decide
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company, direction='exit', admission='open')
            now = dt.datetime(2026, 6, 1, 10, 0)
            self.assertEqual(
                decide(gate, 'in', {'plate': '7-A-7'}, now=now).reason,
                'wrong_direction')
            verdict = decide(gate, 'out', {'plate': '7-A-7'}, now=now)
            self.assertEqual(
                (verdict.verdict, verdict.reason, verdict.fee),
                ('allowed', 'open_site', Decimal('0.00')))

    @with_transaction()
    def test_shift_posting_date_local(self):
        """A shift closed at 00:30 in Casablanca on the 1st is booked on the
        1st (its UTC date is the last day of the month before)"""
        pool = Pool()
        Shift = pool.get('casa.access.shift')
        Company = pool.get('company.company')
        company = Company(timezone='Africa/Casablanca')
        # Casablanca is UTC+1 outside Ramadan: 2026-12-01 00:30 local
        shift = Shift(company=company,
            closed_at=dt.datetime(2026, 11, 30, 23, 30))
        self.assertEqual(shift.posting_date, dt.date(2026, 12, 1))
        shift.closed_at = dt.datetime(2026, 12, 1, 22, 59)
        self.assertEqual(shift.posting_date, dt.date(2026, 12, 1))
        shift.closed_at = dt.datetime(2026, 12, 1, 23, 0)
        self.assertEqual(shift.posting_date, dt.date(2026, 12, 2))

    @with_transaction()
    def test_passage_uuid_once(self):
        "The same event recorded twice is stored once"
        pool = Pool()
        Passage = pool.get('casa.access.passage')
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            uuid = '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d11'
            first, created = Passage.record(
                gate, 1, uuid, 'in', {'plate': '1-A-1'})
            self.assertTrue(created)
            self.assertEqual(first['reason'], 'unknown')
            again, created = Passage.record(
                gate, 1, uuid, 'in', {'plate': '1-A-1'})
            self.assertFalse(created)
            self.assertEqual(again['id'], first['id'])
            passage = Passage(first['id'])
            self.assertEqual(
                (passage.identity, passage.business_unit.code),
                ('P:1A1', 'ABT'))
            self.assertEqual(Passage.search([], count=True), 1)

    @with_transaction()
    def test_passage_verdict_at_reception(self):
        """A passage judged earlier (recorded offline) keeps the verdict at
        reception beside, and is flagged when they differ"""
        pool = Pool()
        Passage = pool.get('casa.access.passage')
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            self.authorise(gate, plate='3-C-3', end_date=dt.date(2026, 6, 1))
            now = dt.datetime(2026, 6, 2, 10, 0)
            before = dt.datetime(2026, 6, 1, 10, 0)
            passage, _ = Passage.record(
                gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d12', 'in',
                {'plate': '3C3'}, offline=True, device_verdict='allowed',
                now=now, decided_at=before)
            self.assertEqual(
                (passage['verdict'], passage['judged_at'],
                    passage['reception_verdict'],
                    passage['verdict_differs']),
                ('allowed', before, 'refused', True))
            # judged at reception, as the kiosk said: not flagged
            passage, _ = Passage.record(
                gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d13', 'in',
                {'plate': '3C3'}, device_verdict='refused', now=now)
            self.assertEqual(
                (passage['verdict'], passage['judged_at'],
                    passage['reception_verdict'],
                    passage['verdict_differs']),
                ('refused', now, 'refused', False))
            # the kiosk said otherwise
            passage, _ = Passage.record(
                gate, 1, '0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7d14', 'in',
                {'plate': '3C3'}, device_verdict='allowed', now=now)
            self.assertTrue(passage['verdict_differs'])
            self.assertEqual(
                Passage.search([('verdict_differs', '=', True)], count=True),
                2)

    @with_transaction()
    def test_lookup_of_many_same_verdicts(self):
        """The verdicts given from the Lookup of many passages' identifiers
        (the batch) are those given one by one"""
        pool = Pool()
        Blacklist = pool.get('casa.access.blacklist')
        from trytond.modules.casa_access.verdict import Lookup, decide
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            self.authorise(gate, plate='1-A-1', badge='B1', windows=[{
                        'weekday': '0',
                        'start_time': dt.time(6, 0),
                        'end_time': dt.time(14, 0)}, {
                        'weekday': '1',
                        'start_time': dt.time(6, 0),
                        'end_time': dt.time(8, 0)}])
            self.authorise(gate, plate='2-B-2',
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2026, 12, 31))
            self.authorise(gate, category='visitor', cin='AB123',
                end_date=dt.date(2026, 6, 1))
            Blacklist.create([{
                        'kind': 'plate', 'value': '2 ب 2',
                        'reason': "Fraud", 'until': dt.date(2026, 6, 30),
                        'company': company.id}, {
                        'kind': 'badge', 'value': 'B9',
                        'reason': "Lost", 'company': company.id}])
            monday = dt.datetime(2026, 11, 30, 5, 30)
            asked = [
                ('in', {'plate': '1A1'}, monday),
                ('in', {'badge': 'b1'}, monday + dt.timedelta(days=1)),
                ('in', {'plate': '1A1', 'badge': 'B1'}, monday),
                ('out', {'plate': '1-A-1'}, monday - dt.timedelta(hours=1)),
                ('in', {'plate': '2b2'}, dt.datetime(2026, 6, 1, 10)),
                ('in', {'plate': '2b2'}, dt.datetime(2026, 7, 1, 10)),
                ('in', {'plate': '2b2'}, dt.datetime(2027, 1, 2, 10)),
                ('in', {'cin': 'ab 123'}, dt.datetime(2026, 5, 1, 10)),
                ('in', {'cin': 'AB123'}, dt.datetime(2026, 7, 1, 10)),
                ('in', {'badge': 'B9', 'plate': '1A1'}, monday),
                ('in', {'plate': '404'}, monday),
                ('in', {'plate': '--'}, monday),
                ]
            lookup = Lookup(gate, [i for _, i, _ in asked])
            for direction, identifiers, now in asked:
                with self.subTest(identifiers=identifiers, now=now):
                    alone = decide(gate, direction, identifiers, now=now)
                    batched = decide(gate, direction, identifiers, now=now,
                        lookup=lookup)
                    self.assertEqual(batched, alone)
            self.assertEqual(
                [decide(gate, d, i, now=n, lookup=lookup).reason
                    for d, i, n in asked],
                ['authorised', 'authorised', 'authorised', 'outside_hours',
                    'blacklisted', 'authorised', 'expired', 'authorised',
                    'expired', 'blacklisted', 'unknown', 'unknown'])

    @with_transaction()
    def test_passage_record_many(self):
        """Many passages recorded at once: one each, in order; a uuid
        already logged (or twice in the batch) given back as it is, one of
        another gate given back with its gate for the caller to refuse"""
        pool = Pool()
        Passage = pool.get('casa.access.passage')
        Gate = pool.get('casa.access.gate')
        company = create_company()
        with set_company(company):
            gate = self.setup_gate(company)
            other, = Gate.create([{
                        'site': gate.site_id, 'code': 'G2', 'name': "Other",
                        'direction': 'both'}])
            other = GateInfo.from_gate(other)
            self.authorise(gate, plate='1-A-1')
            uuids = ['0b6f8a9e-55f3-4a7e-9d0c-3c1a2f6e7e%02d' % i
                for i in range(4)]
            logged, _ = Passage.record(
                other, 1, uuids[3], 'in', {'plate': '9-Z-9'})
            now = dt.datetime(2026, 6, 2, 10, 0)

            def event(uuid, plate, **values):
                return {'uuid': uuid, 'direction': 'in',
                    'identifiers': {'plate': plate}, **values}
            results = Passage.record_many(gate, 1, [
                    event(uuids[0], '1A1'),
                    event(uuids[1], '5-E-5', offline=True,
                        device_verdict='allowed',
                        decided_at=now - dt.timedelta(hours=1)),
                    event(uuids[0], '1A1'),
                    event(uuids[3], '1A1'),
                    ], now=now)
            self.assertEqual([c for _, c in results],
                [True, True, False, False])
            first, second, again, taken = [p for p, _ in results]
            self.assertEqual(
                (first['reason'], first['name'], first['gate']),
                ('authorised', "Holder", gate.id))
            self.assertEqual(
                (second['reason'], second['offline'],
                    second['verdict_differs']),
                ('unknown', True, True))
            self.assertEqual(again['id'], first['id'])
            self.assertEqual(
                (taken['id'], taken['gate']), (logged['id'], other.id))
            self.assertEqual(Passage.search([], count=True), 3)
            # the same again: nothing more
            results = Passage.record_many(gate, 1, [
                    event(uuids[0], '1A1'), event(uuids[1], '5-E-5')],
                now=now)
            self.assertEqual([(p['id'], c) for p, c in results],
                [(first['id'], False), (second['id'], False)])
            self.assertEqual(Passage.search([], count=True), 3)
            passage = Passage(first['id'])
            self.assertEqual(
                (passage.timestamp, passage.shift, passage.verdict),
                (now, None, 'allowed'))

    @with_transaction()
    def test_passage_list_shows_verdicts_differ(self):
        "The access log list shows the flag, in colour"
        Passage = Pool().get('casa.access.passage')
        view = Passage.fields_view_get(view_type='tree')
        self.assertIn('verdict_differs', view['fields'])
        self.assertIn('visual', view['arch'])


del ModuleTestCase
