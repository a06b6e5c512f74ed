#!/usr/bin/env python3
# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Small data set of the browser tests (proteus, run in its own process).

Company in MAD with the chart, fiscal year and numbering of the demo
(scripts/demo.py), two business units (ABT and PARK), a business unit manager
of ABT only, per unit one posted and one draft customer invoice (1,000 and
2,000 MAD untaxed) with parties and references naming the unit, a posted
invoice of ABT the same day a year before (800 MAD untaxed, in the fiscal
year before), and an
analytic budget of the fiscal year with a margin target per unit (as the
demo's setup_budgets).

The database must exist with the modules of addons/ activated, as for the
demo (scripts/create_db.py).
Prints the data set as JSON on the last line of stdout.
"""
import argparse
import datetime as dt
import importlib.util
import json
from xml.etree import ElementTree
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MANAGER_LOGIN = 'test_resp_abt'
MANAGER_NAME = "Test Responsable ABT"
MANAGER_PASSWORD = 'Browser-Test-2026!'   # test database only
ACCOUNTANT_LOGIN = 'test_comptable'
ACCOUNTANT_NAME = "Test Comptable"
LANGUAGE = 'fr'
# a business unit manager of ABT who works in Arabic
ARABIC_LOGIN = 'test_resp_abt_ar'
ARABIC_NAME = "Test Responsable ABT (ar)"
# the other roles of the demo, for the tests every role goes through (the
# preferences): login, name, role (XML id), units
USERS = [
    ('test_directeur', "Test Directeur", 'role_director', []),
    ('test_comptable', "Test Comptable", 'role_accountant', []),
    ('test_garde_abt', "Test Gardien ABT", 'role_gatekeeper', ['ABT']),
    ]
UNITS = [
    # code, name, kind
    ('ABT', "Abattoirs de Casablanca", 'slaughterhouse'),
    ('PARK', "Parkings municipaux", 'parking'),
    ]
# the site of ABT (code, name) and its gate (code, name, direction)
SITE = ('ABT1', "Abattoir Test")
GATE = ('G1', "Porte Test", 'both')
# margin targets of the fiscal year (MAD), spread evenly on its 12 months
BUDGETS = {
    'ABT': Decimal(120000),
    'PARK': Decimal(60000),
    }


# the revenue of ABT the same month a year before (MAD, untaxed)
LAST_YEAR_REVENUE = Decimal(800)


def year_before(date):
    try:
        return date.replace(year=date.year - 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year - 1, day=28)


def load_demo():
    "scripts/demo.py as a module, to set the company up the same way"
    spec = importlib.util.spec_from_file_location(
        'casa_demo', ROOT / 'scripts' / 'demo.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class NoProgress:
    def step(self, n=1):
        pass


def setup_budget(company, units, year):
    "The analytic budget of the year: the margin target of each unit"
    from proteus import Model
    Budget = Model.get('analytic_account.budget')
    budget = Budget(name="Budget %s" % year, company=company,
        root=units['ABT'].analytic_account.root,
        start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
    budget.save()
    budget.click('update_lines')
    codes = {u.analytic_account.id: c for c, u in units.items()}
    assert {codes[l.account.id] for l in budget.lines} == set(BUDGETS), [
        l.account.rec_name for l in budget.lines]
    for line in budget.lines:
        line.amount = BUDGETS[codes[line.account.id]]
    budget.save()


def create(database, config_file):
    demo = load_demo()
    today = dt.date.today()
    demo.connect(database, config_file)

    from proteus import Model
    from trytond.modules.casa_base.tests.tools import (
        create_business_unit, create_user)

    progress = NoProgress()
    demo.setup_company(progress)
    company, accounts, _, _ = demo.setup_accounting(today, progress)
    demo.setup_previous_year(company, today)
    units = {code: create_business_unit(name, code, kind, company)
        for code, name, kind in UNITS}

    Lang = Model.get('ir.lang')
    User = Model.get('res.user')
    # French as the demo users (English is not translatable in a database
    # whose default language is French)
    french, = Lang.find([('code', '=', LANGUAGE)])
    manager = create_user(
        MANAGER_LOGIN, MANAGER_NAME, 'role_business_unit_manager',
        [units['ABT']], company=company, password=MANAGER_PASSWORD,
        language=french)
    units['ABT'].managers.append(User(manager.id))
    units['ABT'].save()
    for login, name, role, codes in USERS:
        create_user(login, name, role, [units[c] for c in codes],
            company=company, password=MANAGER_PASSWORD, language=french)
    arabic, = Lang.find([('code', '=', 'ar')])
    arabic_manager = create_user(
        ARABIC_LOGIN, ARABIC_NAME, 'role_business_unit_manager',
        [units['ABT']], company=company, password=MANAGER_PASSWORD,
        language=arabic)
    units['ABT'].managers.append(User(arabic_manager.id))
    units['ABT'].save()
    admin, = User.find([('login', '=', 'admin')])
    admin.language = french
    admin.save()
    setup_budget(company, units, today.year)
    # a site of ABT with its gate: the gatekeeper's landing lists it
    from trytond.modules.casa_access.tests.tools import create_site
    create_site(units['ABT'], *SITE, gates=[GATE])

    Party = Model.get('party.party')
    Invoice = Model.get('account.invoice')
    invoices = []
    for code, _, _ in UNITS:
        for i, state in enumerate(['posted', 'draft'], 1):
            party = Party(name="Client %s %s" % (code, "AB"[i - 1]))
            party.save()
            invoice = Invoice(type='out', business_unit=units[code],
                party=party, invoice_date=today,
                reference='REF-%s-%d' % (code, i))
            line = invoice.lines.new()
            line.account = accounts['revenue']
            line.description = "Prestation %s %d" % (code, i)
            line.quantity = 1
            line.unit_price = Decimal(1000 * i)
            invoice.save()
            if state == 'posted':
                invoice.click('post')
            invoice.reload()
            assert invoice.state == state, (invoice.state, state)
            invoices.append({
                    'unit': code,
                    'party': party.name,
                    'reference': invoice.reference,
                    'number': invoice.number,
                    'state': invoice.state,
                    'untaxed_amount': str(invoice.untaxed_amount),
                    'date': invoice.invoice_date.isoformat(),
                    })
    # the same month a year before: a posted invoice of ABT (the revenue of
    # last year on the dashboard)
    last_year = []
    party = Party(name="Client ABT %d" % (today.year - 1))
    party.save()
    invoice = Invoice(type='out', business_unit=units['ABT'], party=party,
        invoice_date=year_before(today), reference='REF-ABT-%d' % (
            today.year - 1))
    line = invoice.lines.new()
    line.account = accounts['revenue']
    line.description = "Prestation ABT %d" % (today.year - 1)
    line.quantity = 1
    line.unit_price = LAST_YEAR_REVENUE
    invoice.save()
    invoice.click('post')
    invoice.reload()
    last_year.append({
            'unit': 'ABT',
            'party': party.name,
            'reference': invoice.reference,
            'number': invoice.number,
            'state': invoice.state,
            'untaxed_amount': str(invoice.untaxed_amount),
            'date': invoice.invoice_date.isoformat(),
            })
    Period = Model.get('account.period')
    period, = Period.find([
            ('start_date', '<=', today),
            ('end_date', '>=', today),
            ('type', '=', 'standard'),
            ])
    return {
        'manager': {
            'login': MANAGER_LOGIN,
            'name': MANAGER_NAME,
            'password': MANAGER_PASSWORD,
            },
        'accountant': {
            'login': ACCOUNTANT_LOGIN,
            'name': ACCOUNTANT_NAME,
            'password': MANAGER_PASSWORD,
            },
        # every role of the demo but the director: login and password
        'users': {
            'manager': [MANAGER_LOGIN, MANAGER_PASSWORD],
            **{role.removeprefix('role_'): [login, MANAGER_PASSWORD]
                for login, _, role, _ in USERS},
            },
        'language': LANGUAGE,
        'invoices': invoices,
        'last_year_invoices': last_year,
        'units': {code: units[code].rec_name for code, _, _ in UNITS},
        'budgets': {code: str(amount) for code, amount in BUDGETS.items()},
        # the period of today, of the invoices
        'period': period.rec_name,
        'currency_symbol': company.currency.symbol,
        'labels': labels(database, config_file),
        'arabic': {
            'login': ARABIC_LOGIN,
            'name': ARABIC_NAME,
            'password': MANAGER_PASSWORD,
            'labels': labels(database, config_file, login=ARABIC_LOGIN),
            },
        # the names of the records of the data set (not translated)
        'site': SITE[1],
        'gate': GATE[1],
        'names': [company.rec_name, MANAGER_NAME, ARABIC_NAME, SITE[1],
            GATE[1]]
        + [name for _, name, _ in UNITS]
        + [name for _, name, _, _ in USERS],
        }


def labels(database, config_file, login=MANAGER_LOGIN):
    """The labels the browser tests click or read, as the business unit
    manager reads them (in their language)"""
    from proteus import Model, config
    manager = config.set_trytond(
        database=database, user=login, config_file=config_file)
    ModelData = Model.get('ir.model.data', config=manager)
    Menu = Model.get('ir.ui.menu', config=manager)
    Action = Model.get('ir.action', config=manager)
    ActionDomain = Model.get('ir.action.act_window.domain', config=manager)
    ModelButton = Model.get('ir.model.button', config=manager)
    Monthly = Model.get('casa.business_unit.monthly', config=manager)

    def get(module, xml_id, Model_):
        return Model_(ModelData.get_id(module, xml_id, {}))

    def menu_path(module, xml_id):
        menu = get(module, xml_id, Menu)
        path = []
        while menu:
            path.insert(0, menu.name)
            menu = menu.parent
        return path

    Checklist = Model.get('casa.closing.checklist', config=manager)
    all_tab = get('account_invoice', 'act_invoice_out_domain_all',
        ActionDomain)
    fields = Monthly._fields
    close_button = get(
        'casa_l10n_ma', 'closing_checklist_close_period_button', ModelButton)
    # the headers of the dashboard's list: its short labels, else the
    # fields' strings
    arch = ElementTree.fromstring(Monthly._proxy.fields_view_get(
            ModelData.get_id('casa_base', 'business_unit_monthly_view_list',
                {}), 'tree', manager.context)['arch'])
    columns = {f.get('name'): f.get('string') or fields[f.get('name')][
            'string'] for f in arch.iter('field')}
    return {
        'columns': columns,
        'customer_invoices_menu': menu_path(
            'account_invoice', 'menu_invoice_out_form'),
        'all_tab': all_tab.name,
        'posted_tab': get('account_invoice', 'act_invoice_out_domain_posted',
            ActionDomain).name,
        # the landing of each role (what sao opens at login)
        'landing': {
            'manager': get('casa_base',
                'act_business_unit_monthly_year_to_date', Action).name,
            'accountant': get('casa_l10n_ma', 'act_closing_checklist_month',
                Action).name,
            'gatekeeper': get('casa_access', 'act_gate_kiosk', Action).name,
            },
        'dashboard_unit': Model.get('casa.business_unit.monthly.context',
            config=manager)._fields['unit']['string'],
        'dashboard_menu': menu_path('casa_base', 'menu_business_unit_monthly'),
        'dashboard': get(
            'casa_base', 'act_business_unit_monthly', Action).name,
        'dashboard_relate': get(
            'casa_base', 'act_business_unit_monthly_relate', Action).name,
        'business_units_menu': menu_path(
            'casa_base', 'menu_business_unit_form'),
        'access_log_menu': menu_path('casa_access', 'menu_passage_form'),
        'dashboard_button': get('casa_base',
            'business_unit_open_dashboard_button', ModelButton).string,
        'fields': {name: fields[name]['string']
            for name in ['business_unit', 'period', 'revenue',
                'revenue_last_year', 'revenue_growth', 'in_progress',
                'expense',
                'margin', 'budget', 'variance', 'achievement']},
        'checklist_menu': menu_path(
            'casa_l10n_ma', 'menu_business_unit_closing_checklist'),
        'checklist_fields': {name: Checklist._fields[name]['string']
            for name in ['period', 'business_unit', 'clean', 'period_state',
                'unsent_invoices', 'draft_invoices']},
        'close_period_button': close_button.string,
        'period_states': dict(Model.get('account.period', config=manager
                )._fields['state']['selection']),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args()
    print(json.dumps(create(args.database, args.config)), flush=True)


if __name__ == '__main__':
    main()
