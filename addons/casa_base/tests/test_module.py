# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import os
import unittest
from decimal import Decimal

from trytond import config
from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.casa_base.dashboard import prorate
from trytond.modules.casa_base.exceptions import (
    BusinessUnitCodeError, BusinessUnitDeleteError, UserBusinessUnitError)
from trytond.modules.casa_base.http_api import bound_device_time
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
    def test_preferences_never_raise_rights(self):
        "Every field of the preferences: those giving rights are refused"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        Role = pool.get('res.role')
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        ModelData = pool.get('ir.model.data')
        from trytond.modules.casa_base.exceptions import UserRightsError
        company = create_company()
        other_company = create_company(name="Other")
        with set_company(company):
            abt = create_unit(company, 'ABT')
            park = create_unit(company, 'PARK')
            user = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            employee, = Employee.create([{
                        'company': company.id,
                        'party': Party.create([{'name': "E"}])[0].id}])
        director = Role(ModelData.get_id('casa_base', 'role_director'))
        all_units = ModelData.get_id('casa_base', 'group_business_unit_all')
        attempts = {
            'groups': [('add', [all_units])],
            'roles': [('create', [{'role': director.id}])],
            'business_units': [('add', [park.id])],
            'companies': [('add', [other_company.id])],
            'employees': [('add', [employee.id])],
            'applications': [('create', [{'application': 'casa_access'}])],
            }
        # the other preferences carry no rights; a field added later must
        # be classified here
        harmless = {
            'name', 'password', 'email', 'signature', 'menu', 'pyson_menu',
            'actions', 'status_bar', 'avatar', 'avatar_url',
            'avatar_badge_url', 'warnings', 'notifications', 'language',
            'language_direction', 'company', 'employee', 'company_filter',
            'business_unit'}
        preferences = set(User._preferences_fields + User._context_fields)
        self.assertEqual(
            preferences - User.rights_fields() - harmless, set())
        # every rights field a client may send is attempted below
        self.assertLessEqual(
            preferences & User.rights_fields(), set(attempts))

        def rights():
            user_ = User(user.id)
            return (
                sorted(g.id for g in user_.groups),
                sorted(r.role.id for r in user_.roles),
                sorted(u.id for u in user_.business_units),
                sorted(c.id for c in user_.companies),
                sorted(e.id for e in user_.employees),
                sorted(a.id for a in user_.applications))
        before = rights()
        with Transaction().set_user(user.id), \
                Transaction().set_context(company=company.id):
            for name, value in sorted(attempts.items()):
                with self.subTest(field=name):
                    with self.assertRaises(UserRightsError):
                        User.set_preferences({name: value})
            # the links already there, sent back unchanged, are accepted
            User.set_preferences({
                    'business_units': [('add', [abt.id])],
                    'name': "Ali"})
            User.set_preferences({'business_unit': abt.id})
            with self.assertRaises(UserBusinessUnitError):
                User.set_preferences({'business_unit': park.id})
        self.assertEqual(rights(), before)
        self.assertEqual(User(user.id).name, "Ali")

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

    @with_transaction()
    def test_role_login_actions(self):
        "The users of a role open its actions at login, kept in step"
        pool = Pool()
        User = pool.get('res.user')
        Role = pool.get('res.role')
        RoleAction = pool.get('res.role-ir.action')
        UserRole = pool.get('res.user.role')
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')

        def action(xml_id, module='casa_base'):
            return Action.get_action_id(ModelData.get_id(module, xml_id))

        dashboard = action('act_business_unit_monthly_year_to_date')
        units = action('act_business_unit_form')
        own = action('act_business_unit_monthly')
        manager = Role(ModelData.get_id(
                'casa_base', 'role_business_unit_manager'))
        director = Role(ModelData.get_id('casa_base', 'role_director'))
        gatekeeper = Role(ModelData.get_id('casa_base', 'role_gatekeeper'))
        self.assertEqual([a.id for a in manager.actions], [dashboard])
        self.assertEqual([a.id for a in director.actions], [dashboard])

        company = create_company()
        with set_company(company):
            # a user created later with the role lands on its dashboard
            user, = User.create([{
                        'login': 'resp', 'name': "Resp",
                        'actions': [('add', [own])],
                        'roles': [('create', [{'role': manager.id}])],
                        }])
            self.assertEqual(
                sorted(a.id for a in user.actions), sorted([own, dashboard]))
            # the clients read the actions to open in the preferences
            with Transaction().set_user(user.id):
                self.assertIn(dashboard, User.get_preferences()['actions'])

            # another role: its actions in place of the old role's, the
            # user's own action kept
            RoleAction.create([{'role': gatekeeper.id, 'action': units}])
            UserRole.write(list(user.roles), {'role': gatekeeper.id})
            User.sync_roles([user])
            user = User(user.id)
            self.assertEqual(
                sorted(a.id for a in user.actions), sorted([own, units]))

            # a role's new action reaches its users
            extra = action('act_business_unit_monthly_relate')
            RoleAction.create([{'role': gatekeeper.id, 'action': extra}])
            user = User(user.id)
            self.assertEqual(
                sorted(a.id for a in user.actions),
                sorted([own, units, extra]))

    @with_transaction()
    def test_dashboard_unit_and_month_in_progress(self):
        """The dashboard of a user of one unit shows that unit; the month of
        today is in progress"""
        pool = Pool()
        Context = pool.get('casa.business_unit.monthly.context')
        Monthly = pool.get('casa.business_unit.monthly')
        Date = pool.get('ir.date')
        from trytond.modules.account.tests import get_fiscalyear
        company = create_company()
        with set_company(company):
            fiscalyear = get_fiscalyear(company)
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
            abt = create_unit(company, 'ABT')
            park = create_unit(company, 'PARK')
            manager = create_user(
                'manager', company, [abt], group='group_business_unit_manager')
            director = create_user(
                'director', company, group='group_business_unit_all')
            with Transaction().set_user(manager.id):
                self.assertEqual(Context.default_unit(), abt.id)
            with Transaction().set_user(director.id):
                self.assertIsNone(Context.default_unit())

            context = {'fiscalyear': fiscalyear.id}
            with Transaction().set_context(context):
                rows = Monthly.search([])
                self.assertEqual(
                    {r.business_unit for r in rows}, {abt, park})
            with Transaction().set_context(context, unit=park.id):
                rows = Monthly.search([])
                self.assertEqual({r.business_unit for r in rows}, {park})
                self.assertEqual(len(rows), 12)
                today = Date.today()
                self.assertEqual(
                    [r.month.month for r in rows if r.in_progress],
                    [today.month] if fiscalyear.start_date <= today
                    <= fiscalyear.end_date else [])

    def test_identifiers(self):
        "Plates, badges, CIN, ICE and RIB: one normalisation and validation"
        from trytond.modules.casa_base.identifier import (
            compact, is_valid, normalise_identifier, rib_key)
        for typed in ['12345-أ-6', '12345 | A | 6', '12345a6', '١٢٣٤٥-أ-٦']:
            self.assertEqual(normalise_identifier(typed), '12345A6')
        self.assertEqual(normalise_identifier(' - '), None)
        self.assertEqual(compact('ma_cin', 'be 123456'), 'BE123456')
        self.assertTrue(is_valid('ma_cin', 'BE 123456'))
        self.assertFalse(is_valid('ma_cin', '123456'))
        self.assertTrue(is_valid('ma_vat', '001561191000066'))
        self.assertFalse(is_valid('ma_vat', '001561191000067'))
        key = rib_key('011', '780', '0000123456789012')
        self.assertTrue(is_valid('ma_rib', '011 780 0000123456789012 ' + key))
        self.assertFalse(is_valid('ma_rib', '011780000012345678901299'))
        self.assertFalse(is_valid('ma_rib', '0117800000123456'))
        self.assertTrue(is_valid('ma_cnss', '١٢٣٤٥٦٧'))

    def test_recognise_identifier(self):
        "What is typed at a gate is a plate, a badge or a CIN"
        from trytond.modules.casa_base.identifier import (
            recognise, recognise_identifiers)
        for typed, field, kind in [
                ('B-0042', 'plate', 'badge'),
                ('b - 0042', 'cin', 'badge'),
                ('BE 123456', 'plate', 'cin'),
                ('be123456', 'plate', 'cin'),
                ('B0042', 'plate', 'cin'),
                # a badge typed without its dash in the badge's field
                ('B0042', 'badge', 'badge'),
                ('12345-أ-6', 'badge', 'plate'),
                ('12345 | A | 6', 'cin', 'plate'),
                ('9018-هـ-33', 'cin', 'plate'),
                ('WW-123 456', 'cin', 'plate'),
                ('AB-123-CD', 'cin', 'cin'),
                ('FORB-1', 'plate', 'plate'),
                ('', 'badge', 'badge'),
                ]:
            with self.subTest(typed=typed, field=field):
                self.assertEqual(recognise(typed, field), kind)
        self.assertEqual(recognise_identifiers({'plate': 'B-0042'}),
            {'badge': 'B-0042'})
        # a badge given too: the plate's field keeps its text
        self.assertEqual(
            recognise_identifiers({'plate': 'B-0042', 'badge': 'B-7'}),
            {'plate': 'B-0042', 'badge': 'B-7'})

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



class DeviceTimeTestCase(unittest.TestCase):
    "The device time of an event recorded offline, bounded by the contacts"

    now = dt.datetime(2026, 12, 3, 12, 0)

    def bound(self, device_time, last_contact, outage_start, outage_end):
        return bound_device_time(
            device_time, self.now, last_contact, outage_start, outage_end)

    def ago(self, **kwargs):
        return self.now - dt.timedelta(**kwargs)

    def test_during_outage(self):
        "Silent since before the event, or within the outage: its time"
        self.assertEqual(
            self.bound(self.ago(hours=1), self.ago(hours=2), None, None),
            self.ago(hours=1))
        self.assertEqual(
            self.bound(self.ago(hours=3), self.ago(seconds=10),
                self.ago(hours=4), self.ago(hours=2)),
            self.ago(hours=3))

    def test_before_outage(self):
        "Before the last contact before the outage: that contact"
        self.assertEqual(
            self.bound(self.ago(hours=5), self.ago(hours=2), None, None),
            self.ago(hours=2))
        self.assertEqual(
            self.bound(self.ago(hours=5), self.ago(seconds=10),
                self.ago(hours=4), self.ago(hours=2)),
            self.ago(hours=4))

    def test_while_heard(self):
        """Heard since an outage that ended before the event: the last
        moments only (a blip the server could not notice)"""
        self.assertEqual(
            self.bound(self.ago(hours=1), self.ago(seconds=10),
                self.ago(hours=4), self.ago(hours=2)),
            self.ago(minutes=2))
        self.assertEqual(
            self.bound(self.ago(seconds=30), self.ago(seconds=10),
                self.ago(hours=4), self.ago(hours=2)),
            self.ago(seconds=30))
        # a clock a little ahead, just after the end of the outage
        self.assertEqual(
            self.bound(self.ago(hours=2) + dt.timedelta(minutes=3),
                self.ago(seconds=10), self.ago(hours=4), self.ago(hours=2)),
            self.ago(hours=2) + dt.timedelta(minutes=3))

    def test_future_and_far_past(self):
        "Never in the future nor more than a day back"
        self.assertEqual(
            self.bound(self.now + dt.timedelta(minutes=4),
                self.ago(seconds=10), self.ago(hours=4), self.ago(hours=2)),
            self.now)
        self.assertEqual(
            self.bound(self.ago(days=3), self.ago(days=2), None, None),
            self.ago(days=1))

    def test_never_heard(self):
        "A key never heard before: now"
        self.assertEqual(
            self.bound(self.ago(hours=1), None, None, None), self.now)


del ModuleTestCase
