#!/usr/bin/env python3
"""Fill a new Casa Prestations database with demo data (proteus).

Company "Casa Prestations" in MAD, fiscal year with monthly periods, the three
business units, one user per role, budgets and months of posted customer and
supplier invoices per unit so that the dashboard is not empty, and posted
invoices of the year before (one a month per unit and kind) so that it shows
last year's revenue and the growth.

The passwords below are for the demo database only.
"""
import argparse
import datetime as dt
import os
import random
import sys
import warnings
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = 'Casa-2026!'   # demo only, never in production

UNITS = [
    # code, name, kind, monthly revenue, monthly expenses (MAD)
    ('ABT', "Abattoirs de Casablanca", 'slaughterhouse', 620000, 410000),
    ('MGFL', "Marché de gros des fruits et légumes", 'wholesale_market',
        950000, 540000),
    ('PARK', "Parkings municipaux", 'parking', 380000, 250000),
    ]
# per unit: customers, (revenue product, CGNC account),
# [(supplier service, CGNC account)]
ACTIVITY = {
    'ABT': (["Chevillards Réunis SARL", "Boucherie Al Baraka",
            "Viandes du Littoral SA"],
        ("Redevance d'abattage", '71241'),
        [("Électricité et froid", '6125'), ("Entretien", '6133')]),
    'MGFL': (["Mandataire Benali", "Mandataire Ouazzani",
            "Primeurs de Chaouia SARL"],
        ("Taxe sur les ventes du marché", '71242'),
        [("Nettoyage", '6133'), ("Gardiennage", '6135')]),
    'PARK': (["Recettes horodateurs", "Abonnés Maarif",
            "Centre commercial Anfa"],
        ("Abonnements et tickets de stationnement", '71243'),
        [("Maintenance des barrières", '6133'), ("Gardiennage", '6135')]),
    }
SUPPLIERS = ["Lydec", "Sécurité Plus SARL", "Propreté Casa SA"]
USERS = [
    # login, name, role, units (codes)
    ('directeur', "Nadia Bennani (directrice)", 'role_director', []),
    ('comptable', "Youssef Alaoui (comptable)", 'role_accountant', []),
    ('chef_comptable', "Amina Berrada (cheffe comptable)",
        'casa_l10n_ma.role_chief_accountant', []),
    ('resp_abt', "Karim Tazi (responsable abattoirs)",
        'role_business_unit_manager', ['ABT']),
    ('resp_mgfl', "Salma Idrissi (responsable marché de gros)",
        'role_business_unit_manager', ['MGFL']),
    ('resp_park', "Omar Chraibi (responsable parkings)",
        'role_business_unit_manager', ['PARK']),
    ('garde_abt', "Hassan Amrani (gardien abattoirs)", 'role_gatekeeper',
        ['ABT']),
    ('garde_mgfl', "Rachid Fassi (gardien marché de gros)",
        'role_gatekeeper', ['MGFL']),
    ('garde_park', "Fatima Zahra Lahlou (gardienne parkings)",
        'role_gatekeeper', ['PARK']),
    ('rh', "Leila Mansouri (ressources humaines)", 'casa_hr.role_hr', []),
    ]
ROLE_LABELS = {
    'role_director': "directrice: tous les BU, tableau de bord",
    'role_accountant': "comptable: tous les BU, factures, comptabilité, "
    "clôture mensuelle",
    'casa_l10n_ma.role_chief_accountant': "cheffe comptable: clôture forcée "
    "et réouverture des périodes",
    'role_business_unit_manager': "responsable de BU: factures et tableau "
    "de bord de son BU",
    'role_gatekeeper': "gardien: contrôle d'accès de son site",
    'casa_hr.role_hr': "ressources humaines: registre du personnel, "
    "affectations, paie et fonctionnaires fantômes de tous les BU",
    }


class Progress:
    "A progress bar on stderr"

    def __init__(self, total, label):
        self.total, self.label, self.done = total, label, 0
        self.show()

    def show(self):
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        sys.stderr.write('\r%-34s [%s%s] %d/%d' % (
                self.label, '#' * filled, '.' * (width - filled),
                self.done, self.total))
        if self.done >= self.total:
            sys.stderr.write('\n')
        sys.stderr.flush()

    def step(self, n=1):
        self.done += n
        self.show()


def connect(database, config_file):
    from proteus import config
    # proteus takes the server from the URI; SQLite unless told otherwise
    os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
    warnings.filterwarnings(
        'ignore', "The path specified in the URI will be overridden")
    return config.set_trytond(database=database, config_file=config_file)


def ref(model, module, xml_id):
    "Return the record of the XML id"
    from proteus import Model
    ModelData = Model.get('ir.model.data')
    return Model.get(model)(ModelData.get_id(module, xml_id, {}))


def months(today):
    "First days of the months of the current year up to today"
    return [dt.date(today.year, m, 1) for m in range(1, today.month + 1)]


def setup_company(progress):
    from proteus import Model
    from trytond.modules.company.tests.tools import create_company
    Currency = Model.get('currency.currency')
    Party = Model.get('party.party')
    Lang = Model.get('ir.lang')
    ConfigItem = Model.get('ir.module.config_wizard.item')

    mad, = Currency.find([('code', '=', 'MAD')]) or [None]
    if mad is None:
        mad = Currency(name="Dirham marocain", code='MAD', symbol='DH',
            numeric_code='504', rounding=Decimal('0.01'), digits=2)
        mad.save()
    french, = Lang.find([('code', '=', 'fr')])
    party = Party(name="Casa Prestations", lang=french)
    party.save()
    create_company(party, mad)
    for item in ConfigItem.find([('state', '!=', 'done')]):
        item.state = 'done'
        item.save()
    progress.step()


CHART = 'casa_l10n_ma.cgnc_root'
# accounts of the Moroccan chart (CGNC) the demo uses
ACCOUNT_CODES = {
    'receivable': '3421', 'payable': '4411', 'revenue': '7124',
    'expense': '6125', 'bank': '5141', 'cash': '5161',
    }
SALE_TAX = "TVA facturée 20 %"
PURCHASE_TAX = "TVA récupérable sur charges 20 %"


def create_chart(company):
    "Create the company's CGNC chart with its default accounts"
    from proteus import Wizard
    module, xml_id = CHART.split('.')
    wizard = Wizard('account.create_chart')
    wizard.execute('account')
    wizard.form.account_template = ref(
        'account.account.template', module, xml_id)
    wizard.form.company = company
    wizard.execute('create_account')
    accounts = get_accounts(company)
    wizard.form.account_receivable = accounts['receivable']
    wizard.form.account_payable = accounts['payable']
    wizard.form.category_account_revenue = accounts['revenue']
    wizard.form.category_account_expense = accounts['expense']
    wizard.execute('create_properties')


def get_accounts(company, codes=ACCOUNT_CODES):
    "Return the accounts of the company by name"
    from proteus import Model
    Account = Model.get('account.account')
    return {name: Account.find([
                ('company', '=', company.id), ('code', '=', code)])[0]
        for name, code in codes.items()}


def get_tax(name):
    from proteus import Model
    Tax = Model.get('account.tax')
    tax, = Tax.find([('name', '=', name)])
    return tax


def setup_fiscalyear(company, year):
    """The fiscal year of monthly periods, with its entry and invoice
    numbering (the units number their invoices themselves)"""
    from proteus import Model
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence.strict')
    move_sequence = Sequence(name="Écritures %s" % year,
        company=company, sequence_type=ref(
            'ir.sequence.type', 'account', 'sequence_type_account_move'))
    move_sequence.save()
    fiscalyear = FiscalYear(
        name=str(year), company=company,
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        move_sequence=move_sequence)
    # company-wide numbering, for invoices outside the business units
    invoice_sequence = Sequence(name="Factures %s" % year,
        company=company, prefix='FA/${year}/', padding=5, sequence_type=ref(
            'ir.sequence.type', 'account_invoice',
            'sequence_type_account_invoice'))
    invoice_sequence.save()
    if fiscalyear.invoice_sequences:
        numbering, = fiscalyear.invoice_sequences
    else:
        numbering = fiscalyear.invoice_sequences.new()
    for field in ['out_invoice_sequence', 'out_credit_note_sequence',
            'in_invoice_sequence', 'in_credit_note_sequence']:
        setattr(numbering, field, invoice_sequence)
    fiscalyear.click('create_period')
    return fiscalyear


def setup_previous_year(company, today):
    """The fiscal year before today's, for the invoices of last year (the
    dashboard compares each month with the same month a year before); to
    call before the units are created, which number their invoices in every
    fiscal year of their company"""
    return setup_fiscalyear(company, today.year - 1)


def setup_accounting(today, progress):
    from proteus import Model
    from trytond.modules.company.tests.tools import get_company
    company = get_company()
    create_chart(company)
    progress.step()
    setup_fiscalyear(company, today.year)
    progress.step()
    accounts = get_accounts(company)
    PaymentTerm = Model.get('account.invoice.payment_term')
    term = PaymentTerm(name="30 jours")
    line = term.lines.new(type='remainder')
    line.relativedeltas.new(days=30)
    term.save()
    progress.step()
    return company, accounts, get_tax(SALE_TAX), term


# the opening balances of the year (MAD), an entry of the company (no unit):
# the share capital paid in, held in the bank and the cash
OPENING = [
    # account code, debit, credit
    ('5141', Decimal('4950000.00'), Decimal(0)),
    ('5161', Decimal('50000.00'), Decimal(0)),
    ('1111', Decimal(0), Decimal('5000000.00')),
    ]


def setup_opening(company, today):
    """Post the opening entry of the year on its first day: the Bilan has
    its capital and its treasury"""
    from proteus import Model
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    journal, = Journal.find([('code', '=', 'MISC')])
    start = dt.date(today.year, 1, 1)
    period, = Period.find([
            ('company', '=', company.id),
            ('start_date', '=', start),
            ('type', '=', 'standard'),
            ])
    move = Move(journal=journal, period=period, date=start,
        description="Ouverture : apport en capital")
    accounts = get_accounts(company, {c: c for c, _, _ in OPENING})
    for code, debit, credit in OPENING:
        move.lines.new(account=accounts[code], debit=debit, credit=credit)
    move.click('post')
    return move


def setup_units(company, progress):
    from trytond.modules.casa_base.tests.tools import create_business_unit
    units = {}
    for code, name, kind, _, _ in UNITS:
        units[code] = create_business_unit(name, code, kind, company)
        progress.step()
    return units


def setup_users(company, units, progress):
    from proteus import Model
    from trytond.modules.casa_base.tests.tools import create_user
    Lang = Model.get('ir.lang')
    french, = Lang.find([('code', '=', 'fr')])
    for login, name, role, codes in USERS:
        user = create_user(login, name, role, [units[c] for c in codes],
            company=company, password=DEMO_PASSWORD, language=french)
        if role == 'role_business_unit_manager':
            unit = units[codes[0]]
            unit.managers.append(Model.get('res.user')(user.id))
            unit.save()
        progress.step()
    User = Model.get('res.user')
    admin, = User.find([('login', '=', 'admin')])
    admin.language = french
    admin.business_unit = units['ABT']
    admin.save()


def setup_products(company):
    "Services of the units, each on its CGNC revenue or expense account"
    from proteus import Model
    Category = Model.get('product.category')
    Template = Model.get('product.template')
    unit = ref('product.uom', 'product', 'uom_unit')
    sale_tax, purchase_tax = get_tax(SALE_TAX), get_tax(PURCHASE_TAX)
    products = {}
    for _, (product, revenue), costs in ACTIVITY.values():
        for name, code, kind in [(product, revenue, 'revenue')] + [
                (c, a, 'expense') for c, a in costs]:
            if name in products:
                continue
            account = get_accounts(company, {'account': code})['account']
            category = Category(name=name, accounting=True)
            if kind == 'revenue':
                category.account_revenue = account
                category.customer_taxes.append(Model.get('account.tax')(
                        sale_tax.id))
            else:
                category.account_expense = account
                category.supplier_taxes.append(Model.get('account.tax')(
                        purchase_tax.id))
            category.save()
            template = Template(name=name, type='service', default_uom=unit,
                account_category=category)
            template.list_price = Decimal(0)
            template.save()
            products[name], = template.products
    return products


def setup_parties():
    from proteus import Model
    Party = Model.get('party.party')
    parties = {}
    names = {c for customers, _, _ in ACTIVITY.values() for c in customers}
    for name in sorted(names | set(SUPPLIERS)):
        party = Party(name=name)
        party.save()
        parties[name] = party
    return parties


def setup_budgets(company, units, year):
    from proteus import Model
    Budget = Model.get('analytic_account.budget')
    unit = next(iter(units.values()))
    budget = Budget(name="Budget %s" % year, company=company,
        root=unit.analytic_account.root,
        start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
    budget.save()
    budget.click('update_lines')
    targets = {code: (rev - exp) * 12 for code, _, _, rev, exp in UNITS}
    for line in budget.lines:
        line.amount = Decimal(targets[line.account.code])
    budget.save()


def create_invoices(units, parties, products, term, today, progress):
    from proteus import Model
    Invoice = Model.get('account.invoice')
    rng = random.Random(2026)
    for month in months(today):
        to_post = []
        for code, _, _, revenue, expense in UNITS:
            unit = units[code]
            customers, (product, _), costs = ACTIVITY[code]
            day = min(28, today.day if month.month == today.month else 28)
            # revenue: one invoice per customer, around the unit's level
            for i, customer in enumerate(customers):
                invoice = Invoice(type='out', business_unit=unit,
                    party=parties[customer],
                    invoice_date=month.replace(day=min(day, 5 + 10 * i)))
                line = invoice.lines.new(product=products[product])
                line.quantity = 1
                line.unit_price = Decimal(round(
                        revenue / len(customers) * rng.uniform(.8, 1.2), -2))
                invoice.save()
                to_post.append(invoice)
            # expenses
            for i, (cost, _) in enumerate(costs):
                invoice = Invoice(type='in', business_unit=unit,
                    party=parties[SUPPLIERS[i % len(SUPPLIERS)]],
                    payment_term=term,
                    invoice_date=month.replace(day=min(day, 10 + 8 * i)))
                line = invoice.lines.new(product=products[cost])
                line.quantity = 1
                line.unit_price = Decimal(round(
                        expense / len(costs) * rng.uniform(.85, 1.15), -2))
                invoice.save()
                to_post.append(invoice)
            if month.month == today.month:
                invoice.payment_term = term
                invoice.save()
        # leave the current month's last invoices in draft for the managers
        if month.month == today.month:
            to_post = to_post[:-2]
        to_post.sort(key=lambda i: i.invoice_date)
        Invoice.click(to_post, 'post')
        progress.step()


# last year's activity, relative to this year's (fewer invoices: one a month
# per unit and kind)
LAST_YEAR_LEVEL = .9


def create_last_year_invoices(units, parties, products, term, today,
        progress):
    """Posted invoices of every month of the previous fiscal year: the
    dashboard shows the revenue of a year before and the growth"""
    from proteus import Model
    Invoice = Model.get('account.invoice')
    rng = random.Random(2025)
    year = today.year - 1
    to_post = []
    for month in range(1, 13):
        for code, _, _, revenue, expense in UNITS:
            unit = units[code]
            customers, (product, _), costs = ACTIVITY[code]
            invoice = Invoice(type='out', business_unit=unit,
                party=parties[customers[month % len(customers)]],
                invoice_date=dt.date(year, month, 10))
            line = invoice.lines.new(product=products[product])
            line.quantity = 1
            line.unit_price = Decimal(round(
                    revenue * LAST_YEAR_LEVEL * rng.uniform(.9, 1.1), -2))
            invoice.save()
            to_post.append(invoice)
            cost, _ = costs[0]
            invoice = Invoice(type='in', business_unit=unit,
                party=parties[SUPPLIERS[month % len(SUPPLIERS)]],
                payment_term=term, invoice_date=dt.date(year, month, 20))
            line = invoice.lines.new(product=products[cost])
            line.quantity = 1
            line.unit_price = Decimal(round(
                    expense * LAST_YEAR_LEVEL * rng.uniform(.9, 1.1), -2))
            invoice.save()
            to_post.append(invoice)
    Invoice.click(to_post, 'post')
    progress.step()


# sites and gates guarded by the gatekeepers of the demo (casa_access)
SITES = [
    # unit, site code, name, admission, capacity, gatekeeper, [gates],
    # fee product (CGNC revenue account), {vehicle category: fee in MAD}
    ('ABT', 'ABT1', "Abattoir de Sidi Othmane", 'authorised', 300,
        'garde_abt', [('G1', "Porte principale", 'both'),
            ('G2', "Sortie quai", 'exit')],
        ("Droit d'entrée abattoir", '71241'),
        {'truck': 30, 'livestock_truck': 50, 'van': 20}),
    ('MGFL', 'MGFL1', "Marché de gros de Casablanca", 'open', 1500,
        'garde_mgfl', [('N', "Entrée nord", 'both')],
        ("Droit d'entrée marché de gros", '71242'),
        {'truck': 40, 'heavy_truck': 80, 'van': 20, 'car': 10}),
    ('PARK', 'PARK1', "Parking Maarif", 'open', 400,
        'garde_park', [('B1', "Barrière", 'both')],
        ("Ticket de stationnement", '71243'), {'car': 5, 'van': 10}),
    ]
# demo only: the kiosk key of each gatekeeper's first gate
KIOSK_KEY = 'demo-kiosk-%s-%s'
AUTHORISATIONS = [
    # site, name, category, plate, badge, cin, vehicle, hours
    ('ABT1', "Chevillards Réunis SARL", 'chevillard', '12345-أ-6', None,
        None, 'livestock_truck', ('05:00', '14:00')),
    ('ABT1', "Boucherie Al Baraka", 'chevillard', '48210-ب-1', None, None,
        'truck', ('05:00', '14:00')),
    ('ABT1', "Aicha Bennis (vétérinaire)", 'staff', None, 'B-0042',
        'BE 123456', None, None),
    ('ABT1', "Froid Service", 'supplier', '777-د-1', None, None, 'van',
        None),
    ('MGFL1', "Mandataire Benali", 'mandataire', '2231-و-6', 'M-0007', None,
        'truck', ('03:00', '13:00')),
    ('MGFL1', "Primeurs de Chaouia SARL", 'supplier', '9018-هـ-33', None,
        None, 'heavy_truck', None),
    ('PARK1', "Abonné Maarif 118", 'visitor', '61234-أ-1', None, None,
        'car', None),
    ]


def setup_access(company, units):
    "Sites, gates, tariffs, authorisations, a blacklist and kiosk keys"
    from proteus import Model
    from trytond.modules.casa_access.tests.tools import (
        create_authorisation, create_fee_product, create_site,
        create_tariff, setup_cash)
    User = Model.get('res.user')
    Application = Model.get('res.user.application')
    Device = Model.get('casa.device')
    Blacklist = Model.get('casa.access.blacklist')
    journal, cash = setup_cash(company)
    sites = {}
    for (unit, code, name, admission, capacity, login, gates, product,
            fees) in SITES:
        site = create_site(units[unit], code, name, gates=gates,
            admission=admission, capacity=capacity, journal=journal,
            cash_account=cash)
        sites[code] = site
        product = create_fee_product(*product, company=company)
        for vehicle, amount in fees.items():
            create_tariff(site, vehicle, amount, product,
                start_date=dt.date(dt.date.today().year, 1, 1))
        gatekeeper, = User.find([('login', '=', login)])
        gate = sorted(site.gates, key=lambda g: g.code)[0]
        device = Device(kind='kiosk', gate=gate, business_unit=units[unit],
            code='K-%s-%s' % (code, gate.code),
            name="Kiosk %s %s" % (code, gate.name))
        device.save()
        Application(user=gatekeeper, application='casa_access',
            device=device,
            key=KIOSK_KEY % (unit.lower(), gate.code.lower())).save()
    for site, name, category, plate, badge, cin, vehicle, hours in (
            AUTHORISATIONS):
        windows = [(None, *hours)] if hours else []
        create_authorisation(name, category, [sites[site]], plate=plate,
            badge=badge, cin=cin, vehicle=vehicle, windows=windows)
    Blacklist(kind='plate', value='9999-ب-26',
        reason="Bagarre au quai, décision du directeur").save()


# the staff of the demo (casa_hr): per unit, budgeted posts (code, name,
# positions, net pay in MAD) filled by employees named from these lists
HR_POSTS = {
    'ABT': [('VET', "Vétérinaire inspecteur", 2, 9800),
        ('SLA', "Agent d'abattage", 6, 4600),
        ('FRD', "Agent de froid", 2, 5200)],
    'MGFL': [('WEI', "Peseur", 3, 5100), ('CTR', "Contrôleur des ventes", 3,
            6300), ('AGT', "Agent de marché", 4, 4200)],
    'PARK': [('CAI', "Caissier", 4, 4400), ('SUR', "Agent de surveillance",
            4, 4100)],
    }
HR_LAST_NAMES = ["ALAOUI", "BENJELLOUN", "CHAFIK", "DRISSI", "EL AMRANI",
    "FIKRI", "GHAZI", "HAMMOUDI", "KETTANI", "LAHLOU", "MOUSSAOUI",
    "NACIRI", "OUAZZANI", "RAHMOUNI", "SEBTI", "TAZI", "ZIANI", "BERRADA",
    "CHERKAOUI", "FASSI", "JAMAI", "MANSOURI", "SQALLI", "TAHIRI"]
HR_FIRST_NAMES = ["Ahmed", "Fatima", "Mohamed", "Khadija", "Youssef",
    "Salma", "Hicham", "Naima", "Rachid", "Imane", "Karim", "Souad"]


def setup_hr(company, units, today):
    """The staff of the units, their posts and assignments, the attendance
    and the payroll of last month — with two ghosts in ABT's (paid, unknown
    to the registry, sharing one RIB) and a dead employee still paid —
    reconciled into flags"""
    from proteus import Model
    from trytond.modules.casa_hr.tests.tools import (
        assign, attend, create_employee, create_post, import_payroll,
        make_rib)
    Payroll = Model.get('casa.hr.payroll')
    period = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    hired = dt.date(today.year - 3, 1, 1)
    number = 0
    for code, posts in HR_POSTS.items():
        unit = units[code]
        rows = []
        for post_code, name, positions, pay in posts:
            post = create_post(unit, post_code, name, positions)
            for _ in range(positions):
                number += 1
                last = HR_LAST_NAMES[number % len(HR_LAST_NAMES)]
                first = HR_FIRST_NAMES[number % len(HR_FIRST_NAMES)]
                matricule = '%s%03d' % (code[0], number)
                cin = 'BK%06d' % (100000 + number)
                dead = code == 'ABT' and number == 3
                employee = create_employee('%s %s' % (last, first),
                    matricule, cin, make_rib(number),
                    cnss='%09d' % (110000000 + number),
                    grade=name, step=1 + number % 10, hr_status='tenured',
                    birth_date=dt.date(1970 + number % 25, 1 + number % 12,
                        1 + number % 28),
                    start_date=hired,
                    death_date=period - dt.timedelta(days=40)
                    if dead else None)
                assign(employee, unit, hired, post=post)
                if code == 'ABT' and not dead:
                    for day in range(1, 20, 3):
                        attend(employee, period + dt.timedelta(days=day))
                rows.append((matricule, cin, last, first, make_rib(number),
                        '%09d' % (110000000 + number), pay))
        if code == 'ABT':
            ghost_rib = make_rib(9001)
            rows += [('A901', 'BK990001', "GHAYB", "Mourad", ghost_rib, '',
                    7600), ('A902', 'BK990002', "KHAFI", "Samira",
                    ghost_rib, '', 7600)]
        text = '\n'.join(
            ['Matricule;CIN;Nom;Prénom;RIB;CNSS;Net à payer;Période']
            + ['%s;%s;%s;%s;%s;%s;%s,00;%s' % (*row, period.strftime('%Y-%m'))
                for row in rows])
        import_payroll(unit, text, filename='paie-%s-%s.csv' % (
                code.lower(), period.strftime('%Y-%m')))
    Payroll.click(Payroll.find([]), 'reconcile')


# car parks of the parking unit (casa_parking): an attended car park with
# flat fees per vehicle, doubled at night, and a paid on-street zone at 2 MAD
# an hour with a day of its meters' tickets (Casablanca's figures; examples
# only: the tariffs are data)
CAR_PARKS = [
    # site code, name, kind, zones (code, spaces), tariffs:
    # (vehicle category or None, pricing, price, values)
    ('PNU', "Parking gardienné Place des Nations Unies", 'attended',
        [('A', 60), ('B', 40)], [
            ('car', 'flat', 3, {}),
            ('truck', 'flat', 5, {}),
            ('motorbike', 'flat', 2, {}),
            ]),
    ('GAU', "Zone bleue Gauthier", 'street',
        [('Z1', 80), ('Z2', 50)], [
            (None, 'duration', 2, {'night_factor': 1}),
            ]),
    ]
NIGHT = {'night_factor': 2, 'night_start': dt.time(20),
    'night_end': dt.time(7)}


def setup_parking(company, units, today):
    "The car parks, their zones and tariffs, a day of meter tickets"
    from trytond.modules.casa_parking.tests.tools import (
        create_car_park, create_parking_tariff)
    from proteus import config
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    database = config.get_config().database_name
    start = dt.date(today.year, 1, 1)
    car_parks = {}
    for code, name, kind, zones, tariffs in CAR_PARKS:
        car_park = create_car_park(units['PARK'], code, name, kind=kind,
            zones=zones)
        car_parks[code] = car_park
        for vehicle, pricing, price, values in tariffs:
            values = dict(NIGHT, **values)
            if values['night_factor'] == 1:
                values = {}
            create_parking_tariff(car_park, price, pricing=pricing,
                start_date=start, vehicle=vehicle, lost_ticket=20, **values)
    yesterday = today - dt.timedelta(days=1)
    lines = ['meter,zone,time,amount,duration']
    for i in range(24):
        zone = 'Z1' if i % 3 else 'Z2'
        hours = 1 + i % 3
        lines.append('GAU-%02d,%s,%s %02d:%02d,%d.00,%d' % (
                1 + i % 4, zone, yesterday.isoformat(), 8 + i // 2,
                (i * 7) % 60, 2 * hours, 60 * hours))
    data = ('\n'.join(lines) + '\n').encode()
    street = car_parks['GAU']
    with Transaction().start(database, 0, context={
                'company': company.id}) as transaction:
        pool = Pool()
        pool.get('casa.parking.meter_sale').import_csv(
            pool.get('casa.parking.car_park')(street.id), data)
        transaction.commit()


def create(database, config_file):
    today = dt.date.today()
    connect(database, config_file)
    steps = 6 + len(UNITS) + len(USERS) + 3 + today.month
    progress = Progress(steps, "Données de démonstration")
    setup_company(progress)
    company, accounts, tax, term = setup_accounting(today, progress)
    setup_opening(company, today)
    setup_previous_year(company, today)
    units = setup_units(company, progress)
    setup_users(company, units, progress)
    products = setup_products(company)
    parties = setup_parties()
    progress.step()
    setup_budgets(company, units, today.year)
    progress.step()
    setup_access(company, units)
    setup_parking(company, units, today)
    progress.step()
    setup_hr(company, units, today)
    progress.step()
    create_invoices(units, parties, products, term, today, progress)
    create_last_year_invoices(units, parties, products, term, today, progress)


def summary(url, database):
    print()
    print("Casa Prestations ERP — http://%s" % url.split('://', 1)[-1]
        + '#' + database)
    print("Demo logins (password %s — demo database only):" % DEMO_PASSWORD)
    print("  %-11s %s" % ('admin', "administrateur: tout"))
    for login, name, role, codes in USERS:
        print("  %-11s %s%s" % (login, ROLE_LABELS[role],
                ' (%s)' % ', '.join(codes) if codes else ''))
    print("Gate kiosks (tablet page, key asked once — demo keys only):")
    print("  %scasa/access/kiosk" % (
            url.rstrip('/') + '/' + database + '/'))
    for unit, code, name, *_, gates, _, _ in SITES:
        print("  %-5s %-32s key %s" % (unit, name,
                KIOSK_KEY % (unit.lower(), gates[0][0].lower())))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', default='casa')
    parser.add_argument('--config', default=str(ROOT / 'config/trytond.conf'))
    parser.add_argument('--summary', action='store_true',
        help="only print the URL and the demo logins")
    parser.add_argument('--url', default='http://127.0.0.1:8000/')
    args = parser.parse_args()
    if args.summary:
        summary(args.url, args.database)
        return
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var/db'))
    create(args.database, args.config)


if __name__ == '__main__':
    main()
