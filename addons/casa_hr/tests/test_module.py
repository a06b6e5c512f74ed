# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.casa_base.tests.test_module import create_unit
from trytond.modules.casa_hr.exceptions import (
    EmployeeError, PayrollImportError)
from trytond.modules.casa_hr.csvfile import (
    parse_amount, parse_date, parse_period)
from trytond.modules.casa_hr.payroll import parse_payroll
from trytond.modules.casa_hr.tests.tools import make_rib
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class ParseTestCase(unittest.TestCase):
    "Amounts and months as payroll files write them"

    def test_amounts(self):
        for text, amount in [
                ('6500', '6500'), ('6500,50', '6500.50'),
                ('6 500,50', '6500.50'), ('6\u00a0500,50', '6500.50'),
                ('6.500,50', '6500.50'), ('6,500.50', '6500.50'),
                ('6500.5', '6500.5'), ('0', '0')]:
            self.assertEqual(parse_amount(text), Decimal(amount), text)
        for text in ['', 'abc', '65OO', '1,2,3', 'NaN', 'Infinity']:
            self.assertIsNone(parse_amount(text), text)

    def test_periods(self):
        self.assertEqual(parse_period('2026-05'), dt.date(2026, 5, 1))
        self.assertEqual(parse_period('5/2026'), dt.date(2026, 5, 1))
        self.assertEqual(parse_period(' 12/2025 '), dt.date(2025, 12, 1))
        for text in ['2026-13', '2026-00', '2026/05', 'mai 2026', '']:
            self.assertIsNone(parse_period(text), text)

    def test_dates(self):
        self.assertEqual(parse_date('2026-05-31'), dt.date(2026, 5, 31))
        self.assertEqual(parse_date('31/05/2026'), dt.date(2026, 5, 31))
        for text in ['2026-02-30', '31/13/2026', '05/2026', 'hier', '']:
            self.assertIsNone(parse_date(text), text)


class CasaHrTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Casa HR module"
    module = 'casa_hr'

    @with_transaction()
    def test_parse_payroll(self):
        "A good file gives its month and normalised rows"
        period, rows = parse_payroll((
                'Matricule;CIN;Nom;Prénom;RIB;CNSS;Net à payer;Période\n'
                'a 001;bk-100001;ALAMI;Ahmed;%s;12.345.67;6 500,00;05/2026\n'
                % make_rib(1)).encode('utf-8-sig'))
        self.assertEqual(period, dt.date(2026, 5, 1))
        row, = rows
        self.assertEqual((row['line'], row['matricule'], row['cin'],
                row['cnss'], row['net_pay']),
            (2, 'A001', 'BK100001', '1234567', Decimal('6500.00')))

    @with_transaction()
    def test_parse_payroll_errors(self):
        "Every bad line is reported; the cents are whole"
        with self.assertRaises(PayrollImportError) as cm:
            parse_payroll(
                'matricule,cin,last_name,first_name,rib,net_pay,period\n'
                ',BK1,A,B,%s,10.005,2026-05\n' % make_rib(1))
        message = cm.exception.message
        self.assertIn('Line 2, column matricule', message)
        self.assertIn('Line 2, column net_pay', message)
        self.assertNotIn('column cin', message)

    @with_transaction()
    def test_employee_identifiers(self):
        "The identifiers are normalised and checked"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        company = create_company()
        with set_company(company):
            party, = Party.create([{'name': "Alami"}])
            employee, = Employee.create([{
                        'party': party.id, 'company': company.id,
                        'matricule': ' a 001', 'cin': 'bk 100001',
                        'cnss': '123-456-789',
                        'rib': ' '.join(make_rib(1)[i:i + 4]
                            for i in range(0, 24, 4))}])
            self.assertEqual(
                (employee.matricule, employee.cin, employee.cnss,
                    employee.rib),
                ('A001', 'BK100001', '123456789', make_rib(1)))
            for field, value in [('cin', '123'), ('cnss', '12345'),
                    ('rib', make_rib(1)[:-1] + '9')]:
                with self.subTest(field=field):
                    with self.assertRaises(EmployeeError):
                        Employee.write([employee], {field: value})

    @with_transaction()
    def test_pay_outlier(self):
        "A net pay far from the median of its grade and step is flagged"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        Payroll = pool.get('casa.hr.payroll')
        Anomaly = pool.get('casa.anomaly')
        company = create_company()
        with set_company(company):
            unit = create_unit(company, 'ABT')
            pays = ['4000,00', '4100,00', '4200,00', '9000,00', '2000,00']
            rows = ['matricule;cin;nom;prenom;rib;net;periode']
            for i, pay in enumerate(pays, start=1):
                party, = Party.create([{'name': "E%s" % i}])
                Employee.create([{
                            'party': party.id, 'company': company.id,
                            'matricule': 'E%s' % i, 'cin': 'BK10000%s' % i,
                            # the last one at another step
                            'grade': "Agent", 'step': 1 if i < 5 else 2}])
                rows.append('E%s;BK10000%s;E;%s;%s;%s;2026-05' % (
                        i, i, i, make_rib(i), pay))
            payroll = Payroll.import_file(unit, '\n'.join(rows))
            Payroll.reconcile([payroll])
            flag, = Anomaly.search([('kind', '=', 'hr_pay_outlier')])
            self.assertEqual(flag.payroll_line.matricule, 'E4')
            self.assertEqual(
                [(f.label, f.value) for f in flag.figures],
                [("Net pay", Decimal('9000.00')),
                    ("Median net pay of the grade and step",
                        Decimal('4150.00')),
                    ("Paid at the grade and step", 4)])
            self.assertIn('the median of the 4 paid at that grade and step '
                'is 4150.00', flag.evidence)

    @with_transaction()
    def test_shared_contacts(self):
        "Paid people sharing a phone number or an address are flagged"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        Payroll = pool.get('casa.hr.payroll')
        Anomaly = pool.get('casa.anomaly')
        company = create_company()
        with set_company(company):
            unit = create_unit(company, 'ABT')
            contacts = [
                ('+212 6 12 34 56 78', "12 rue Allal", "Casablanca"),
                ('+212612345678', "3 bd Zerktouni", "Casablanca"),
                ('+212 6 99 99 99 99', "3, bd  Zerktouni", "casablanca"),
                ('+212 6 11 11 11 11', "3 bd Zerktouni", "Rabat"),
                ]
            rows = ['matricule;cin;nom;prenom;rib;net;periode']
            for i, (phone, street, city) in enumerate(contacts, start=1):
                party, = Party.create([{'name': "E%s" % i,
                            'contact_mechanisms': [('create', [{
                                            'type': 'phone',
                                            'value': phone}])],
                            'addresses': [('create', [{
                                            'street_unstructured': street,
                                            'city': city}])]}])
                Employee.create([{
                            'party': party.id, 'company': company.id,
                            'matricule': 'E%s' % i,
                            'cin': 'BK10000%s' % i}])
                rows.append('E%s;BK10000%s;E;%s;%s;4000;2026-05' % (
                        i, i, i, make_rib(i)))
            payroll = Payroll.import_file(unit, '\n'.join(rows))
            Payroll.reconcile([payroll])
            flags = Anomaly.search([('kind', '=', 'hr_duplicate')],
                order=[('key', 'ASC')])
            self.assertEqual([f.key for f in flags], [
                    '2026-05 E1 hr_duplicate phone',
                    '2026-05 E2 hr_duplicate address',
                    '2026-05 E2 hr_duplicate phone',
                    '2026-05 E3 hr_duplicate address',
                    ])
            self.assertEqual(flags[1].evidence,
                "The address 3 BD ZERKTOUNI, CASABLANCA is on 2 payroll "
                "numbers paid for 2026-05: E2, E3.")


del ModuleTestCase
