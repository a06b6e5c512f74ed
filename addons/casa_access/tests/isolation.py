# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Records of a business unit for the isolation matrix (see
casa_base/tests/isolation.py): a site with its gate, an entry tariff, an
authorisation with a time window, the kiosk key of the unit's gatekeeper, a
shift closed with its cash receipt and its passages, all through the kiosk's
HTTP API like a gate does."""
import json
import uuid

from proteus import Model
from werkzeug.test import Client

from trytond.modules.casa_access.tests.tools import (
    create_authorisation, create_fee_product, create_kiosk_key,
    create_site, create_tariff, setup_cash)
from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME
from trytond.wsgi import app

CONTEXTS = {}
EXEMPT = {}


def setup_world(world):
    world.cash_journal, world.cash_account = setup_cash(config=world.config)
    world.entry_fee = create_fee_product(
        "Droit d'entrée", '71241', config=world.config)


def create_records(world, unit):
    config = world.config
    code = unit.code
    site = create_site(unit, code + '1', "Site %s" % code,
        admission='open', journal=world.cash_journal,
        cash_account=world.cash_account, config=config)
    gate, = site.gates
    create_tariff(site, 'truck', 30, world.entry_fee, config=config)
    create_authorisation("Holder of %s" % code, 'supplier', [site],
        plate='%s-123-A' % code, vehicle='truck',
        windows=[(None, '05:00', '14:00')], config=config)
    gatekeeper = next(
        user for role, user in world.users[code].items()
        if role == 'Gatekeeper')
    key = create_kiosk_key(gatekeeper, Model.get(
            'casa.access.gate', config=config)(gate.id), config=config)
    client = Client(app, Response)

    def call(path, body):
        response = client.open(
            '/%s/casa/access/api/%s' % (DB_NAME, path), method='POST',
            headers={'Authorization': 'Bearer %s' % key},
            data=json.dumps(body), content_type='application/json')
        assert response.status_code < 300, response.get_data()
        return json.loads(response.get_data())

    call('shift/open', {})
    for plate in ['%s-123-A' % code, '%s 999 B' % code]:
        call('passages', {
                'uuid': str(uuid.uuid4()), 'direction': 'in',
                'plate': plate, 'vehicle_category': 'truck'})
    call('shift/close', {'declared_amount': '60.00'})
    # a second shift, left open with a passage
    call('shift/open', {})
    call('passages', {
            'uuid': str(uuid.uuid4()), 'direction': 'in',
            'plate': '%s-123-A' % code, 'vehicle_category': 'truck'})


def report_data(world, unit, report_name):
    return None
