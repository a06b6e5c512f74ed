# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Helpers for scenarios, the demo and the tests against a server (proteus)"
import datetime as dt
from decimal import Decimal

from proteus import Model
from trytond.modules.company.tests.tools import get_company

__all__ = [
    'get_category', 'get_vehicle_category', 'setup_cash', 'create_site',
    'create_fee_product', 'create_tariff', 'create_authorisation',
    'create_kiosk_key']


def _ref(model, module, xml_id, config=None):
    ModelData = Model.get('ir.model.data', config=config)
    return Model.get(model, config=config)(
        ModelData.get_id(module, xml_id, {}))


def get_category(code, config=None):
    Category = Model.get('casa.access.category', config=config)
    category, = Category.find([('code', '=', code)])
    return category


def get_vehicle_category(code, config=None):
    Category = Model.get('casa.access.vehicle_category', config=config)
    category, = Category.find([('code', '=', code)])
    return category


def _account(code, company, config=None):
    Account = Model.get('account.account', config=config)
    accounts = Account.find([
            ('company', '=', company.id), ('code', '=', code)])
    return accounts[0] if accounts else None


def setup_cash(company=None, config=None):
    """Set the cash shortage and overage accounts of the configuration (sub
    accounts 65881/75881 of the CGNC 658/758, created if missing); return
    the cash journal and the cash account (5161)"""
    Account = Model.get('account.account', config=config)
    Configuration = Model.get('casa.access.configuration', config=config)
    Journal = Model.get('account.journal', config=config)
    if company is None:
        company = get_company(config=config)
    accounts = {}
    for code, name, parent, like in [
            ('65881', "Manquants de caisse", '658', '6581'),
            ('75881', "Excédents de caisse", '758', '7581'),
            ]:
        account = _account(code, company, config=config)
        if not account:
            sibling = _account(like, company, config=config)
            account = Account(
                name=name, code=code, company=company, type=sibling.type,
                parent=_account(parent, company, config=config))
            account.save()
        accounts[code] = account
    configuration = Configuration(1)
    configuration.cash_loss_account = accounts['65881']
    configuration.cash_gain_account = accounts['75881']
    configuration.save()
    journal, = Journal.find([('type', '=', 'cash')], limit=1)
    return journal, _account('5161', company, config=config)


def create_site(unit, code, name, gates=(('G1', "Porte principale", 'both'),),
        admission='authorised', capacity=0, journal=None, cash_account=None,
        config=None):
    "Create a site of the unit with its gates (code, name, direction)"
    Site = Model.get('casa.access.site', config=config)
    site = Site(business_unit=unit, code=code, name=name,
        admission=admission, capacity=capacity, cash_journal=journal,
        cash_account=cash_account)
    for gate_code, gate_name, direction in gates:
        site.gates.new(code=gate_code, name=gate_name, direction=direction)
    site.save()
    return site


def create_fee_product(name, account_code, company=None, config=None):
    "A service whose revenue goes to the CGNC account of the code"
    Template = Model.get('product.template', config=config)
    Category = Model.get('product.category', config=config)
    if company is None:
        company = get_company(config=config)
    category = Category(name=name, accounting=True)
    category.account_revenue = _account(account_code, company, config=config)
    category.save()
    template = Template(name=name, type='service',
        default_uom=_ref('product.uom', 'product', 'uom_unit', config=config),
        list_price=Decimal(0), account_category=category)
    template.save()
    product, = template.products
    return product


def create_tariff(site, vehicle_code, amount, product, start_date=None,
        end_date=None, config=None):
    Tariff = Model.get('casa.access.tariff', config=config)
    tariff = Tariff(site=site,
        vehicle_category=get_vehicle_category(vehicle_code, config=config),
        product=product, amount=Decimal(amount),
        start_date=start_date or dt.date(2000, 1, 1), end_date=end_date)
    tariff.save()
    return tariff


def create_authorisation(name, category, sites, plate=None, badge=None,
        cin=None, vehicle=None, start_date=None, end_date=None,
        windows=(), config=None):
    """Create an authorisation; windows are (weekday or None, 'HH:MM',
    'HH:MM')"""
    Authorisation = Model.get('casa.access.authorisation', config=config)
    Site = Model.get('casa.access.site', config=config)
    authorisation = Authorisation(name=name,
        category=get_category(category, config=config),
        plate=plate, badge=badge, cin=cin,
        vehicle_category=(get_vehicle_category(vehicle, config=config)
            if vehicle else None),
        start_date=start_date, end_date=end_date)
    for site in sites:
        authorisation.sites.append(Site(site.id))
    for weekday, start, end in windows:
        authorisation.windows.new(
            weekday=None if weekday is None else str(weekday),
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end))
    authorisation.save()
    return authorisation


def create_kiosk_key(user, gate, valid_until=None, config=None):
    """The user-application key of a new kiosk device at the gate (each
    call a device of its own: a device has one valid key at a time)"""
    Application = Model.get('res.user.application', config=config)
    Device = Model.get('casa.device', config=config)
    Gate = Model.get('casa.access.gate', config=config)
    User = Model.get('res.user', config=config)
    gate = Gate(gate.id)
    site = gate.site
    count = len(Device.find([
                ('gate', '=', gate.id), ('active', 'in', [True, False])]))
    device = Device(kind='kiosk', gate=gate,
        business_unit=site.business_unit, company=site.company,
        code='%s-%s-K%s' % (site.code, gate.code, count + 1),
        name="Kiosk %s %s" % (site.code, gate.name))
    device.save()
    application = Application(
        user=User(user.id), application='casa_access', device=device,
        valid_until=valid_until)
    try:
        application.save()
    except Exception:
        device.delete()
        raise
    return application.key
