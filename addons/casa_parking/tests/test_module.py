# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

METERS = '''meter,zone,time,amount,duration
M-001,Z1,2026-11-30 09:15,4.00,120
M-001,Z1,2026-11-30 23:30:00,2.00,60
m-002,z2,2026-11-30 10:00,6.00,180
M-001,Z1,2026-12-01 08:00,2.50,75
'''


class CasaParkingTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Casa Parking module"
    module = 'casa_parking'
    extras = ['casa_l10n_ma']

    def setup_car_park(self, company, kind='street'):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        Site = pool.get('casa.site')
        CarPark = pool.get('casa.parking.car_park')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        unit, = BusinessUnit.create([{
                    'name': "Parkings", 'code': 'PARK', 'kind': 'parking',
                    'company': company.id}])
        site, = Site.create([{
                    'code': 'BD', 'name': "Boulevard", 'company': company.id,
                    'business_unit': unit.id}])
        uom, = Uom.search([('name', '=', 'Unit')])
        template, = Template.create([{
                    'name': "Stationnement", 'type': 'service',
                    'default_uom': uom.id, 'list_price': Decimal(0),
                    'products': [('create', [{}])]}])
        product, = template.products
        car_park, = CarPark.create([{
                    'company': company.id, 'business_unit': unit.id,
                    'site': site.id, 'kind': kind, 'product': product.id,
                    'zones': [('create', [
                                {'code': 'Z1', 'name': "Nord", 'spaces': 40},
                                {'code': 'Z2', 'name': "Sud", 'spaces': 25},
                                ])],
                    }])
        return car_park

    @with_transaction()
    def test_car_park_spaces_and_hours(self):
        "A car park has the spaces of its zones and its opening hours"
        pool = Pool()
        CarPark = pool.get('casa.parking.car_park')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company)
            self.assertEqual(car_park.spaces, 65)
            self.assertEqual(car_park.rec_name, '[BD] Boulevard')
            self.assertTrue(car_park.is_open(dt.datetime(2026, 1, 1, 3)))
            CarPark.write([car_park], {
                    'opening_time': dt.time(7), 'closing_time': dt.time(2)})
            self.assertTrue(car_park.is_open(dt.datetime(2026, 1, 1, 1)))
            self.assertFalse(car_park.is_open(dt.datetime(2026, 1, 1, 3)))
            with self.assertRaises(ValidationError):
                CarPark.write([car_park], {'closing_time': None})
            with self.assertRaises(ValidationError):
                CarPark.write([car_park], {'max_stay': 0})

    @with_transaction()
    def test_meter_import(self):
        """The meters' tickets are summed per zone and local day: 23:30 in
        Casablanca on the 30th is the 30th"""
        pool = Pool()
        Sale = pool.get('casa.parking.meter_sale')
        Day = pool.get('casa.parking.meter_day')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company)
            sales = Sale.import_csv(car_park, METERS.encode())
            self.assertEqual(len(sales), 4)
            late, = [s for s in sales if s.amount == Decimal('2.00')]
            self.assertEqual(late.time, dt.datetime(2026, 11, 30, 22, 30))
            self.assertEqual(late.date, dt.date(2026, 11, 30))
            days = {(d.zone.code, d.date): (d.tickets, d.amount, d.minutes)
                for d in Day.search([])}
            self.assertEqual(days, {
                    ('Z1', dt.date(2026, 11, 30)): (2, Decimal('6.00'), 180),
                    ('Z2', dt.date(2026, 11, 30)): (1, Decimal('6.00'), 180),
                    ('Z1', dt.date(2026, 12, 1)): (1, Decimal('2.50'), 75),
                    })
            # the same file again: refused, nothing added
            with self.assertRaises(UserError):
                Sale.import_csv(car_park, METERS.encode())
            self.assertEqual(Sale.search([], count=True), 4)

    @with_transaction()
    def test_meter_import_malformed(self):
        "A malformed meter file is refused line by line, nothing imported"
        pool = Pool()
        Sale = pool.get('casa.parking.meter_sale')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company)
            data = ('meter;zone;time;amount;duration\n'
                'M-1;Z1;2026-11-30 09:15;4.00;120\n'
                'M-2;Z9;2026-11-30 09:15;4.00;120\n'
                'M-3;Z1;30/11/2026 09:15;4.00;120\n'
                'M-4;Z1;2026-11-30 09:15;-1;120\n'
                'M-5;Z1;2026-11-30 09:15;1.005;120\n'
                'M-6;Z1;2026-11-30 09:15;4.00;2h\n'
                'M-1;Z1;2026-11-30 09:15;4.00;120\n'
                'M-7;Z1;2026-11-30 09:15\n')
            with self.assertRaises(UserError) as cm:
                Sale.import_csv(car_park, data.encode())
            detail = cm.exception.description
            for line in range(3, 10):
                self.assertIn('Line %s:' % line, detail)
            self.assertNotIn('Line 2:', detail)
            self.assertIn('"Z9"', detail)
            self.assertEqual(Sale.search([], count=True), 0)
            with self.assertRaises(UserError):
                Sale.import_csv(car_park, b'meter,zone,time\nM,Z1,x\n')
            with self.assertRaises(UserError):
                Sale.import_csv(car_park, b'\xff\xfe')

    @with_transaction()
    def test_meter_import_street_only(self):
        "Only an on-street car park has meters"
        pool = Pool()
        Sale = pool.get('casa.parking.meter_sale')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company, kind='attended')
            with self.assertRaises(UserError):
                Sale.import_csv(car_park, METERS.encode())

    @with_transaction()
    def test_void_rate(self):
        """An attendant voiding half of their sessions, when their peers
        void one in twenty, is flagged once; one voiding one in ten with
        fewer than three voids is not"""
        pool = Pool()
        Session = pool.get('casa.parking.session')
        User = pool.get('res.user')
        Anomaly = pool.get('casa.anomaly')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company, kind='attended')
            unit = car_park.business_unit
            users = User.create([{'login': l, 'name': l}
                    for l in ['karim', 'salma', 'omar']])
            when = dt.datetime(2026, 11, 30, 10, 0)
            values = []
            for user, voids in zip(users, [5, 1, 0]):
                for i in range(10):
                    void = i < voids
                    values.append({
                            'company': company.id,
                            'business_unit': unit.id,
                            'car_park': car_park.id,
                            'plate': '%s-%s' % (user.login, i),
                            'plate_key': '%s%s' % (user.login.upper(), i),
                            'entry_time': when,
                            'exit_time': None if void else when,
                            'state': 'void' if void else 'closed',
                            'void_reason': "Erreur" if void else None,
                            'voided_by': user.id if void else None,
                            'attendant': None if void else user.id,
                            })
            Session.create(values)
            day = dt.date(2026, 11, 30)
            rates = Session.void_rates(unit, day, day)
            self.assertEqual(rates[users[0].id][:2], (5, 10))
            self.assertEqual(rates[users[1].id][:2], (1, 10))
            flag, = Session.detect_void_rates(unit, day, day)
            self.assertEqual(flag.evidence,
                'karim voided 50.0 % of their sessions from 2026-11-30 to '
                '2026-11-30, their peers 5.0 %.')
            self.assertEqual([(f.label, f.value) for f in flag.figures], [
                    ("Voids", 5), ("Sessions", 10),
                    ("Rate of voids (%)", Decimal('50.0')),
                    ("Peers' rate of voids (%)", Decimal('5.0'))])
            # run again: the same flag
            Session.detect_void_rates(unit, day, day)
            flag, = Anomaly.search([('kind', '=', 'parking_void_rate')])
            self.assertEqual(flag.detections, 2)
            # another day: nothing
            self.assertEqual(Session.detect_void_rates(
                    unit, day + dt.timedelta(days=1),
                    day + dt.timedelta(days=1)), [])

    @with_transaction()
    def test_overrides(self):
        """At an attended car park's exit, a manager waives a fee or
        declares a lost ticket, with the reason and who"""
        pool = Pool()
        Session = pool.get('casa.parking.session')
        Tariff = pool.get('casa.tariff')
        company = create_company()
        with set_company(company):
            car_park = self.setup_car_park(company, kind='attended')
            unit = car_park.business_unit
            Tariff.create([{
                        'company': company.id,
                        'product': car_park.product.id,
                        'uom': car_park.product.default_uom.id,
                        'price': Decimal(3), 'start_date': dt.date(2026, 1, 1),
                        'car_park': car_park.id,
                        'business_units': [('add', [unit.id])],
                        'parking_pricing': 'flat',
                        'parking_night_factor': Decimal(2),
                        'parking_night_start': dt.time(20),
                        'parking_night_end': dt.time(7),
                        'parking_lost_ticket': Decimal(20),
                        }])
            # 10:00 to 12:00 in Casablanca
            entry = dt.datetime(2026, 11, 30, 9, 0)
            exit = dt.datetime(2026, 11, 30, 11, 0)
            sessions = []
            for plate in ['1-A-1', '2-A-2']:
                Session.enter(car_park, plate, entry)
                sessions.append(Session.leave(car_park, plate, exit))
            lost, waived = sessions
            self.assertEqual([s.amount for s in sessions],
                [Decimal('3.00')] * 2)
            with self.assertRaises(UserError):
                Session.waive([waived])
            lost.override_reason = "Ticket perdu, carte grise présentée"
            lost.save()
            Session.declare_lost_ticket([lost])
            self.assertEqual(
                (lost.amount, lost.priced_amount, lost.override,
                    bool(lost.lost_ticket)),
                (Decimal('23.00'), Decimal('3.00'), 'lost_ticket', True))
            waived.override_reason = "Véhicule de la protection civile"
            waived.save()
            Session.waive([waived])
            self.assertEqual((waived.amount, waived.priced_amount),
                (Decimal('0.00'), Decimal('3.00')))
            with self.assertRaises(UserError):
                Session.waive([waived])
            Session.pay([lost], 'card')
            Session.pay([waived], 'cash')
            operation, = lost.operations
            self.assertEqual((operation.amount, operation.payment),
                (Decimal('23.00'), 'cash'))
            self.assertFalse(waived.operations)
            self.assertEqual(waived.state, 'paid')


del ModuleTestCase
