#!/usr/bin/env python3
# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Small data set of the browser tests (proteus, run in its own process).

Company in MAD with the chart, fiscal year and numbering of the demo
(scripts/demo.py), two business units (ABT and PARK), a business unit manager
of ABT only and, per unit, one posted and one draft customer invoice with
parties and references naming the unit.

The database must exist with casa_base activated (scripts/create_db.py).
Prints the data set as JSON on the last line of stdout.
"""
import argparse
import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MANAGER_LOGIN = 'test_resp_abt'
MANAGER_NAME = "Test Responsable ABT"
MANAGER_PASSWORD = 'Browser-Test-2026!'   # test database only
LANGUAGE = 'fr'
UNITS = [
    # code, name, kind
    ('ABT', "Abattoirs de Casablanca", 'slaughterhouse'),
    ('PARK', "Parkings municipaux", 'parking'),
    ]


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
    admin, = User.find([('login', '=', 'admin')])
    admin.language = french
    admin.save()

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
                    })
    return {
        'manager': {
            'login': MANAGER_LOGIN,
            'name': MANAGER_NAME,
            'password': MANAGER_PASSWORD,
            },
        'language': LANGUAGE,
        'invoices': invoices,
        'labels': labels(database, config_file),
        }


def labels(database, config_file):
    """The labels the browser test clicks, as the business unit manager
    reads them (in their language)"""
    from proteus import Model, config
    manager = config.set_trytond(
        database=database, user=MANAGER_LOGIN, config_file=config_file)
    ModelData = Model.get('ir.model.data', config=manager)
    Menu = Model.get('ir.ui.menu', config=manager)
    ActionDomain = Model.get('ir.action.act_window.domain', config=manager)
    menu = Menu(ModelData.get_id(
            'account_invoice', 'menu_invoice_out_form', {}))
    path = []
    while menu:
        path.insert(0, menu.name)
        menu = menu.parent
    all_tab = ActionDomain(ModelData.get_id(
            'account_invoice', 'act_invoice_out_domain_all', {}))
    return {
        'customer_invoices_menu': path,
        'all_tab': all_tab.name,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args()
    print(json.dumps(create(args.database, args.config)), flush=True)


if __name__ == '__main__':
    main()
