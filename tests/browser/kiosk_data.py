#!/usr/bin/env python3
# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Data set of the kiosk's browser tests (proteus, run in its own process),
on top of the one of sao_data.py (company, chart, units ABT and PARK).

kiosk_data() adds to unit PARK the car park PARK1 (capacity 200) with its
main barrier (both directions), the entry tariffs (truck 30 MAD, van 20
MAD), a gatekeeper of PARK with the kiosk key of the gate, and the
authorisations the tests present: a delivery truck (plate written with the
Arabic letter, as in the scenario of casa_access), another one (for the
tests that leave it on the site) and a transporter's truck authorised but
blacklisted, and a member of staff with a badge and a CIN.

Unit PARK, not ABT: the kiosk tests close a shift, which books its fees and
its cash difference on the unit, and the dashboard tests assert the exact
figures of ABT (they share the database).

Prints the data set as JSON on the last line of stdout.
"""
import argparse
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UNIT = 'PARK'
GATEKEEPER_LOGIN = 'test_garde_park'
GATEKEEPER_NAME = "Test Garde PARK"
SITE = ('PARK1', "Parking Casa-Port")
GATE = ('G1', "Barrière principale", 'both')
CAPACITY = 200
TARIFFS = [('truck', 30), ('van', 20)]
AUTHORISED = {
    'name': "Livraisons Réunies",
    'category': 'supplier',
    'plate': '12345-أ-6',
    'vehicle': 'truck',
    }
# another truck, for the tests that leave it on the site
OTHER = {
    'name': "Froid Al Amal",
    'category': 'supplier',
    'plate': '54321-ب-9',
    'vehicle': 'truck',
    }
# a member of staff with a badge and a CIN, no vehicle (fee exempt)
STAFF = {
    'name': "Aicha Bennis",
    'category': 'staff',
    'badge': 'B-0042',
    'cin': 'BE 123456',
    }
BANNED = {
    'name': "Transports Atlas",
    'category': 'transporter',
    'plate': '9999 ب 26',
    'vehicle': 'truck',
    'reason': "Bagarre au quai le 12",
    }


def connect(database, config_file):
    "proteus on the database, as scripts/demo.py does"
    spec = importlib.util.spec_from_file_location(
        'casa_demo', ROOT / 'scripts' / 'demo.py')
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    demo.connect(database, config_file)


def kiosk_data():
    """Create the kiosk's data set in the database of the current proteus
    configuration; return what the tests need to know of it"""
    from proteus import Model
    from trytond.modules.casa_access.normalise import normalise_identifier
    from trytond.modules.casa_access.tests.tools import (
        create_authorisation, create_fee_product, create_kiosk_key,
        create_site, create_tariff, setup_cash)
    from trytond.modules.casa_base.tests.tools import create_user

    BusinessUnit = Model.get('casa.business_unit')
    Blacklist = Model.get('casa.access.blacklist')
    Lang = Model.get('ir.lang')

    unit, = BusinessUnit.find([('code', '=', UNIT)])
    french, = Lang.find([('code', '=', 'fr')])
    gatekeeper = create_user(
        GATEKEEPER_LOGIN, GATEKEEPER_NAME, 'role_gatekeeper', [unit],
        language=french)
    journal, cash = setup_cash()
    site = create_site(unit, *SITE, gates=[GATE], capacity=CAPACITY,
        journal=journal, cash_account=cash)
    gate, = site.gates
    fee = create_fee_product("Droit d'entrée parking (test kiosque)",
        '71243')
    for vehicle, amount in TARIFFS:
        create_tariff(site, vehicle, amount, fee)
    for data in [AUTHORISED, OTHER, BANNED]:
        create_authorisation(data['name'], data['category'], [site],
            plate=data['plate'], vehicle=data['vehicle'])
    create_authorisation(STAFF['name'], STAFF['category'], [site],
        badge=STAFF['badge'], cin=STAFF['cin'])
    ban = Blacklist(kind='plate', value=BANNED['plate'],
        reason=BANNED['reason'])
    ban.save()
    key = create_kiosk_key(gatekeeper, gate)
    tariffs = dict(TARIFFS)
    return {
        'key': key,
        'gatekeeper': GATEKEEPER_NAME,
        'gate': GATE[1],
        'gate_direction': GATE[2],
        'site': SITE[1],
        'capacity': CAPACITY,
        'business_unit': unit.name,
        'authorised': {
            'name': AUTHORISED['name'],
            'plate': AUTHORISED['plate'],
            'key': normalise_identifier(AUTHORISED['plate']),
            'fee': '%.2f' % tariffs[AUTHORISED['vehicle']],
            },
        'other': {
            'name': OTHER['name'],
            'plate': OTHER['plate'],
            'key': normalise_identifier(OTHER['plate']),
            'fee': '%.2f' % tariffs[OTHER['vehicle']],
            },
        'staff': {
            'name': STAFF['name'],
            'badge': STAFF['badge'],
            'cin': STAFF['cin'],
            },
        'banned': {
            'name': BANNED['name'],
            'plate': BANNED['plate'],
            'key': normalise_identifier(BANNED['plate']),
            'reason': BANNED['reason'],
            },
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args()
    connect(args.database, args.config)
    print(json.dumps(kiosk_data(), ensure_ascii=False), flush=True)


if __name__ == '__main__':
    main()
