# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Records of a business unit for the isolation matrix
(``tests/test_isolation_matrix.py``).

Every casa module may have a ``tests/isolation.py`` with:

- ``create_records(world, unit)``: create, with proteus as the
  administrator, at least one record of every model of the module that
  holds unit data, for the unit (``world`` is a ``types.SimpleNamespace``
  shared by the modules: ``config``, ``company``, ``accounts``,
  ``fiscalyear``, ``date``, ``tax``, ``units``, ``users`` (per unit and
  role) by code, and what earlier modules added);
- ``setup_world(world)``: once, before the records of the units;
- ``CONTEXTS``: ``{model: callable(world) -> context}`` for the models that
  answer only in a context (table queries of a fiscal year…);
- ``report_data(world, unit, report_name)``: the data a legitimate run of each
  report of the module takes for the unit (None when the report takes the
  records' ids only);
- ``EXEMPT``: ``{model: reason}`` for models that point to unit data but
  hold none themselves.

The modules are called in dependency order, for unit A then unit B.
"""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

EXEMPT = {
    'res.user': "the company's directory of users; the current unit of a "
    "user is a preference, not unit data",
    'analytic_account.budget': "the budget's header (name, dates, root) is "
    "the company's; its lines, the units' figures, are partitioned",
    'account.invoice.payment.mean': "no payment instrument model is "
    "installed (no bank module), so none can exist; partitioned through "
    "its invoice (__access__) once one is",
    }


def _fiscalyear_context(world):
    return {'fiscalyear': world.fiscalyear.id}


def _ledger_context(world):
    return {
        'fiscalyear': world.fiscalyear.id,
        'company': world.company.id,
        'posted': True,
        }


CONTEXTS = {
    'casa.business_unit.monthly': _fiscalyear_context,
    'casa.operation.revenue': _fiscalyear_context,
    'account.general_ledger.line': _ledger_context,
    }


def create_records(world, unit):
    config = world.config
    accounts = world.accounts
    code = unit.code
    Party = Model.get('party.party', config=config)
    Invoice = Model.get('account.invoice', config=config)
    Move = Model.get('account.move', config=config)
    Journal = Model.get('account.journal', config=config)
    Attachment = Model.get('ir.attachment', config=config)
    Note = Model.get('ir.note', config=config)
    AnalyticAccount = Model.get('analytic_account.account', config=config)
    Budget = Model.get('analytic_account.budget', config=config)
    Tax = Model.get('account.tax', config=config)

    customer = Party(name="Customer of %s only" % code)
    customer.save()
    world.customers[code] = customer

    def invoice(post=True):
        invoice = Invoice(type='out', business_unit=unit, party=customer,
            invoice_date=world.date)
        line = invoice.lines.new()
        line.account = accounts['revenue']
        line.description = "Fee of %s" % code
        line.quantity = 1
        line.unit_price = Decimal(1000)
        line.taxes.append(Tax(world.tax.id))
        invoice.alternative_payees.append(Party(customer.id))
        if post:
            invoice.click('post')
        else:
            invoice.save()
        return invoice
    posted = invoice()
    draft = invoice(post=False)
    world.invoices[code] = posted

    # a manual entry of the unit: the invoice paid in cash
    journal, = Journal.find([('type', '=', 'cash')], limit=1)
    move = Move(journal=journal, business_unit=unit, date=world.date,
        description="Payment to %s" % code)
    line = move.lines.new(account=accounts['cash'], debit=Decimal(1200))
    line = move.lines.new(account=accounts['receivable'],
        credit=Decimal(1200), party=customer)
    move.click('post')
    payment, = [l for l in move.lines if l.account == accounts['receivable']]
    MoveLine = Model.get('account.move.line', config=config)
    posted.payment_lines.append(MoveLine(payment.id))
    posted.save()
    # additional moves are made by Tryton (cancelling a paid invoice): the
    # field is read-only to clients
    with Transaction().start(DB_NAME, 0) as transaction:
        Pool(DB_NAME).get('account.invoice').write(
            [Pool(DB_NAME).get('account.invoice')(draft.id)],
            {'additional_moves': [('add', [move.id])]})
        transaction.commit()
    receivable, = [l for l in posted.move.lines
        if l.account == accounts['receivable']]
    reconcile = Wizard('account.move.reconcile_lines',
        [MoveLine(receivable.id), MoveLine(payment.id)], config=config)
    assert reconcile.state == 'end'
    Revision = Model.get('account.invoice.report.revision', config=config)
    Revision(invoice=Invoice(posted.id), invoice_report_format='pdf',
        invoice_report_cache=('%s invoice' % code).encode()).save()

    _billing(world, unit, customer)
    Site = Model.get('casa.site', config=config)
    site = Site(business_unit=unit, code='%s-S' % code,
        name="Site of %s" % code, capacity=10)
    site.save()
    _anomalies(world, unit, site)
    _device(world, unit, site)

    # the manager of the unit
    User = Model.get('res.user', config=config)
    BusinessUnit = Model.get('casa.business_unit', config=config)
    unit_ = BusinessUnit(unit.id)
    manager = world.users[code]['Business Unit Manager']
    unit_.managers.append(User(manager.id))
    unit_.save()

    Attachment(name="%s contract.txt" % code, type='data',
        data=('%s secret' % code).encode(),
        resource=Invoice(posted.id)).save()
    Note(message="%s secret note" % code, resource=Invoice(draft.id)).save()

    # an analytic distribution and a budget line on the unit's account
    distribution = AnalyticAccount(name="Distribution to %s" % code,
        type='distribution', root=unit.analytic_account.root,
        parent=unit.analytic_account.root)
    line = distribution.distributions.new()
    line.account = AnalyticAccount(unit.analytic_account.id)
    line.ratio = Decimal(1)
    distribution.save()
    budget = world.budget
    if budget is None:
        budget = Budget(name="Budget", root=unit.analytic_account.root,
            start_date=world.fiscalyear.start_date,
            end_date=world.fiscalyear.end_date)
        budget.save()
        world.budget = budget
    budget.click('update_lines')


def _billing(world, unit, customer):
    """A tariff of the unit, a service sheet priced by it, its operations
    billed by a billing run"""
    config = world.config
    code = unit.code
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Tariff = Model.get('casa.tariff', config=config)
    Service = Model.get('casa.service', config=config)
    Run = Model.get('casa.billing.run', config=config)
    BusinessUnit = Model.get('casa.business_unit', config=config)
    Category = Model.get('product.category', config=config)
    category = Category(name="Services of %s" % code, accounting=True)
    category.account_revenue = world.accounts['revenue']
    category.save()
    unit_uom, = Uom.find([('name', '=', 'Unit')])
    template = Template(name="Service of %s" % code, type='service',
        default_uom=unit_uom, list_price=Decimal(0),
        account_category=category)
    template.save()
    product, = template.products
    tariff = Tariff(product=product, price=Decimal(25),
        start_date=world.fiscalyear.start_date,
        decision="Decision of %s" % code)
    tariff.business_units.append(BusinessUnit(unit.id))
    tariff.save()
    service = Service(business_unit=unit, party=customer, date=world.date,
        reference="%s sheet" % code)
    line = service.lines.new()
    line.product = product
    line.quantity = 2
    service.save()
    service.click('do')
    # a second sheet, left to bill
    other = Service(business_unit=unit, party=customer, date=world.date)
    line = other.lines.new()
    line.product = product
    line.quantity = 1
    other.save()
    run = Run(business_unit=unit, end_date=world.date,
        invoice_date=world.date)
    run.save()
    run.click('run')
    other.click('do')


def _anomalies(world, unit, site):
    """Flags of the unit as a detector writes them (with their figures):
    one open, one cleared"""
    code = unit.code
    pool = Pool(DB_NAME)
    with Transaction().start(DB_NAME, 0, context={
                'company': world.company.id},
            _lock_tables=['casa_anomaly']) as transaction:
        Anomaly = pool.get('casa.anomaly')
        Anomaly.flag('other', unit.id, 'casa.site,%s' % site.id,
            '%s open' % code, "Open anomaly of %s" % code,
            [("Figure of %s" % code, 1)], 50)
        cleared = Anomaly.flag('other', unit.id, 'casa.site,%s' % site.id,
            '%s cleared' % code, "Cleared anomaly of %s" % code,
            [("Figure of %s" % code, 2)], 10)
        cleared.clear_reason = "Reason of %s" % code
        cleared.save()
        Anomaly.clear([cleared])
        transaction.commit()


def report_data(world, unit, report_name):
    if report_name in {'casa.anomaly.xlsx', 'casa.anomaly.pdf'}:
        return {
            'company': world.company.id,
            'start_date': world.fiscalyear.start_date.isoformat(),
            'end_date': world.fiscalyear.end_date.isoformat(),
            'units': [unit.id],
            }
    return None


def _device(world, unit, site):
    "A scale of the unit, keyed for the unit's technical user"
    config = world.config
    code = unit.code
    Device = Model.get('casa.device', config=config)
    Application = Model.get('res.user.application', config=config)
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    Company = Model.get('company.company', config=config)
    BusinessUnit = Model.get('casa.business_unit', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    device = Device(business_unit=unit, code='%s-BAL' % code,
        name="Scale of %s" % code, kind='scale', site=site,
        serial_number='%s-SN' % code)
    device.save()
    user = User(login='%s_device' % code.lower(),
        name="Scale user of %s" % code)
    user.companies.append(Company(world.company.id))
    user.company = Company(world.company.id)
    user.business_units.append(BusinessUnit(unit.id))
    user.groups.append(Group(
            ModelData.get_id('casa_base', 'group_device', {})))
    user.save()
    Application(user=user, application='casa_device', device=device).save()
