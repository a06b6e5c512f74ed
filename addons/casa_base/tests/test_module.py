# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import os
from decimal import Decimal

from trytond.config import config
from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.casa_base.dashboard import prorate
from trytond.modules.casa_base.exceptions import (
    BusinessUnitCodeError, BusinessUnitDeleteError, UserBusinessUnitError)
from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def create_unit(company, code, name=None, kind='other'):
    pool = Pool()
    BusinessUnit = pool.get('casa.business_unit')
    unit, = BusinessUnit.create([{
                'name': name or code,
                'code': code,
                'kind': kind,
                'company': company.id,
                }])
    return unit


def create_user(login, company, units=(), group=None):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    values = {
        'login': login,
        'name': login,
        'companies': [('add', [company.id])],
        'company': company.id,
        'business_units': [('add', [u.id for u in units])],
        }
    if group:
        values['groups'] = [('add', [ModelData.get_id('casa_base', group)])]
    user, = User.create([values])
    return user


class CasaBaseTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test casa_base module"
    module = 'casa_base'

    @with_transaction()
    def test_code_normalised_and_validated(self):
        "The code is stored in upper case and must be well formed"
        company = create_company()
        with set_company(company):
            unit = create_unit(company, ' abt ')
            self.assertEqual(unit.code, 'ABT')
            for code in ['A', 'AB CD', '1AB', 'ABC-D']:
                with self.subTest(code=code):
                    with self.assertRaises(BusinessUnitCodeError):
                        create_unit(company, code)

    @with_transaction()
    def test_code_unique_per_company(self):
        "Two units of a company cannot share a code"
        company = create_company()
        with set_company(company):
            create_unit(company, 'ABT')
            with self.assertRaises(SQLConstraintError):
                create_unit(company, 'abt')

    @with_transaction()
    def test_analytic_account_in_sync(self):
        "Each unit has its analytic account under the Business units root"
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT', "Abattoirs")
            park = create_unit(company, 'PARK', "Parkings")
            self.assertEqual(abt.analytic_account.name, "Abattoirs")
            self.assertEqual(abt.analytic_account.code, 'ABT')
            self.assertEqual(abt.analytic_account.type, 'normal')
            self.assertEqual(
                abt.analytic_account.root, park.analytic_account.root)
            self.assertEqual(abt.analytic_account.root.code, 'BU')

            BusinessUnit.write([abt], {'name': "Abattoirs municipaux"})
            self.assertEqual(abt.analytic_account.name, "Abattoirs municipaux")
            BusinessUnit.write([abt], {'active': False})
            self.assertFalse(abt.analytic_account.active)

    @with_transaction()
    def test_delete_without_documents(self):
        "A unit without documents is deleted with its analytic account"
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        AnalyticAccount = pool.get('analytic_account.account')
        company = create_company()
        with set_company(company):
            unit = create_unit(company, 'TMP')
            account_id = unit.analytic_account.id
            BusinessUnit.delete([unit])
            self.assertFalse(AnalyticAccount.search([('id', '=', account_id)]))

    @with_transaction()
    def test_delete_with_documents_refused(self):
        "A unit with documents cannot be deleted"
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        Move = pool.get('account.move')
        Journal = pool.get('account.journal')
        from trytond.modules.account.tests import create_chart, get_fiscalyear
        company = create_company()
        with set_company(company):
            create_chart(company)
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            unit = create_unit(company, 'ABT')
            journal, = Journal.search([('code', '=', 'CASH')])
            Move.create([{
                        'journal': journal.id,
                        'period': fiscalyear.periods[0].id,
                        'date': fiscalyear.periods[0].start_date,
                        'business_unit': unit.id,
                        }])
            with self.assertRaisesRegex(
                    BusinessUnitDeleteError, 'Archive it instead'):
                BusinessUnit.delete([unit])

    @with_transaction()
    def test_user_business_units(self):
        "A user's units are the units given and the units managed"
        pool = Pool()
        User = pool.get('res.user')
        BusinessUnit = pool.get('casa.business_unit')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            mgfl = create_unit(company, 'MGFL')
            park = create_unit(company, 'PARK')
            user = create_user('manager', company, [abt])
            BusinessUnit.write([mgfl], {'managers': [('add', [user.id])]})
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(
                    User.get_business_units(), tuple(sorted([abt.id, mgfl.id])))
                self.assertEqual(
                    BusinessUnit.search([]), [abt, mgfl])
            director = create_user(
                'director', company, group='group_business_unit_all')
            with Transaction().set_user(director.id), \
                    Transaction().set_context(_check_access=True):
                self.assertIsNone(User.get_business_units())
                self.assertEqual(BusinessUnit.search([]), [abt, mgfl, park])

    @with_transaction()
    def test_current_business_unit_must_be_allowed(self):
        "A user cannot work for a unit that is not theirs"
        pool = Pool()
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            park = create_unit(company, 'PARK')
            user = create_user('manager', company, [abt])
            User.write([user], {'business_unit': abt.id})
            with self.assertRaises(UserBusinessUnitError):
                User.write([user], {'business_unit': park.id})

    @with_transaction()
    def test_rule_partition(self):
        "A unit user reads, writes and deletes only their units' records"
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            park = create_unit(company, 'PARK')
            user = create_user(
                'manager', company, [abt], group='group_business_unit_admin')
        with Transaction().set_user(user.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(BusinessUnit.search([]), [abt])
            BusinessUnit.write([BusinessUnit(abt.id)], {'name': "Abattoirs"})
            with self.assertRaises(AccessError):
                BusinessUnit.read([park.id], ['name'])
            with self.assertRaises(AccessError):
                BusinessUnit.write([BusinessUnit(park.id)], {'name': "X"})
            with self.assertRaises(AccessError):
                BusinessUnit.delete([BusinessUnit(park.id)])

    @with_transaction()
    def test_dashboard_default_fiscalyear(self):
        "The dashboard opens on the fiscal year of today"
        pool = Pool()
        Context = pool.get('casa.business_unit.monthly.context')
        from trytond.modules.account.tests import get_fiscalyear
        company = create_company()
        with set_company(company):
            self.assertIsNone(Context.default_fiscalyear())
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            self.assertEqual(Context.default_fiscalyear(), fiscalyear.id)

    def test_prorate_whole_months(self):
        "A yearly budget of whole months is spread evenly over the months"
        year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        self.assertEqual(
            prorate(Decimal(1200), *year,
                dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
            Decimal(100))
        self.assertEqual(
            prorate(Decimal(1200), *year,
                dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
            Decimal(0))

    @with_transaction()
    def test_tryton_locale_loaded(self):
        """Loading Arabic loads our Arabic of Tryton's modules, under their
        names, and English is offered after French"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Menu = pool.get('ir.ui.menu')
        Translation = pool.get('ir.translation')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')

        english, = Lang.search([('code', '=', 'en')])
        self.assertTrue(english.translatable)
        # as trytond loads casa_base's translations
        Translation.translation_import('ar', 'casa_base', [os.path.join(
                    os.path.dirname(__file__), '..', 'locale', 'ar.po')])

        menu_id = ModelData.get_id('ir', 'menu_administration')
        with Transaction().set_context(language='ar'):
            self.assertEqual(Menu(menu_id).name, "الإدارة")
        for module in ['ir', 'res', 'account', 'account_invoice', 'party']:
            with self.subTest(module=module):
                self.assertTrue(Translation.search([
                            ('lang', '=', 'ar'),
                            ('module', '=', module),
                            ('value', '!=', None),
                            ], limit=1))
        language = User.get_preferences_fields_view()['fields']['language']
        codes = [c for c, _ in language['selection']]
        # the database's language first (French in ours), the others in the
        # order of their names, kept by the client
        default = config.get('database', 'language')
        self.assertEqual(codes[0], default)
        self.assertEqual(
            [n for c, n in language['selection'] if c != default],
            sorted(n for c, n in language['selection'] if c != default))
        self.assertIs(language['sort'], False)
        self.assertIn('en', codes)

    def test_prorate_days(self):
        "A budget not made of whole months is spread over its days"
        self.assertEqual(
            prorate(Decimal(100), dt.date(2026, 1, 10), dt.date(2026, 2, 28),
                dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
            Decimal(100) * 28 / 50)


del ModuleTestCase
