# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal


from trytond.modules.casa_l10n_ma.identifier import compact, is_valid
from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CasaL10nMaTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test casa_l10n_ma module"
    module = 'casa_l10n_ma'

    def test_identifier_formats(self):
        "Moroccan identifiers are checked against their format"
        valid = [
            ('ma_vat', '001561191000066'),
            ('ma_vat', '001 561 191 000066'),
            ('ma_if', '1234567'),
            ('ma_if', '40123456'),
            ('ma_rc', '123456'),
            ('ma_cnss', '1234567'),
            ('ma_cnss', '123456789'),
            ('ma_tp', '35123456'),
            ('ma_cin', 'BE123456'),
            ('ma_cin', 'a 12345'),
            ]
        invalid = [
            ('ma_vat', '001561191000067'),
            ('ma_vat', '12345'),
            ('ma_if', '123456'),
            ('ma_if', '1234567A'),
            ('ma_rc', '12345678'),
            ('ma_cnss', '12345678'),
            ('ma_tp', '3512345'),
            ('ma_cin', '123456'),
            ('ma_cin', 'ABC12345'),
            ('ma_cin', 'BE1234567'),
            ]
        for type_, code in valid:
            with self.subTest(type=type_, code=code):
                self.assertTrue(is_valid(type_, code))
        for type_, code in invalid:
            with self.subTest(type=type_, code=code):
                self.assertFalse(is_valid(type_, code))
        self.assertEqual(compact('ma_cin', ' be-123.456 '), 'BE123456')

    @with_transaction()
    def test_party_identifier_rejected(self):
        "A wrong identifier is refused with a message saying why"
        pool = Pool()
        Party = pool.get('party.party')
        for type_, code, expected in [
                ('ma_vat', '001561191000067', '15 digits'),
                ('ma_if', '12', '7 or 8 digits'),
                ('ma_cin', '12345', 'letters'),
                ]:
            with self.subTest(type=type_):
                with self.assertRaisesRegex(InvalidIdentifierCode, expected):
                    Party.create([{
                                'name': "Société %s" % type_,
                                'identifiers': [('create', [{
                                                'type': type_,
                                                'code': code,
                                                }])],
                                }])

    @with_transaction()
    def test_party_identifier_compacted(self):
        "Identifiers are stored compact"
        pool = Pool()
        Party = pool.get('party.party')
        party, = Party.create([{
                    'name': "Boucherie Al Baraka",
                    'identifiers': [('create', [
                                {'type': 'ma_vat', 'code': '001 561 191 000066'},
                                {'type': 'ma_cin', 'code': 'be 123456'},
                                ])],
                    }])
        self.assertEqual(
            sorted(i.code for i in party.identifiers),
            ['001561191000066', 'BE123456'])

    @with_transaction()
    def test_chart(self):
        "The CGNC chart creates the accounts, taxes and tax codes"
        pool = Pool()
        Account = pool.get('account.account')
        Tax = pool.get('account.tax')
        TaxCode = pool.get('account.tax.code')
        AccountTemplate = pool.get('account.account.template')
        CreateChart = pool.get('account.create_chart', type='wizard')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            template = AccountTemplate(ModelData.get_id(
                    'casa_l10n_ma', 'cgnc_root'))
            session_id, _, _ = CreateChart.create()
            create_chart = CreateChart(session_id)
            create_chart.account.account_template = template
            create_chart.account.company = company
            create_chart.transition_create_account()

            receivable, = Account.search([('code', '=', '3421')])
            payable, = Account.search([('code', '=', '4411')])
            self.assertTrue(receivable.type.receivable)
            self.assertTrue(receivable.party_required)
            self.assertTrue(payable.type.payable)
            vat, = Account.search([('code', '=', '4455')])
            self.assertEqual(vat.type.statement, 'balance')
            sales, = Account.search([('code', '=', '7124')])
            self.assertEqual(sales.type.statement, 'income')
            self.assertEqual(
                sorted(t.rate for t in Tax.search([
                            ('group.kind', '=', 'sale'),
                            ('rate', '>', 0)])),
                sorted(Decimal(r) for r in ['.07', '.10', '.14', '.20']))
            self.assertTrue(TaxCode.search([('code', '=', 'TVA-DUE')]))


del ModuleTestCase
