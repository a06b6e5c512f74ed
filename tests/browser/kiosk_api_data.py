#!/usr/bin/env python3
# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Data set of the tests of the kiosk's HTTP API (test_kiosk_api.py), on top
of the one of sao_data.py (company, chart, units ABT and PARK).

Two sites of their own, so that the kiosk's browser tests are not disturbed
by the passages of the API tests: the car park PARK9 (unit PARK, open to the
public, tariffs car 5 MAD and van 10 MAD) with a gate used by the API tests,
whose shifts book their cash on PARK, and the slaughterhouse ABT9 (unit ABT)
whose gatekeeper's log the PARK gatekeeper must not see (no shift is closed
there: the sao tests assert ABT's exact figures).  Keys: a valid one
per gate, an expired one and a cancelled one of the PARK gate.

Prints the data set as JSON on the last line of stdout.
"""
import argparse
import datetime as dt
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def connect(database, config_file):
    spec = importlib.util.spec_from_file_location(
        'casa_demo', ROOT / 'scripts' / 'demo.py')
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    demo.connect(database, config_file)


def kiosk_api_data():
    from proteus import Model
    from trytond.modules.casa_access.tests.tools import (
        create_authorisation, create_fee_product, create_kiosk_key,
        create_site, create_tariff, setup_cash)
    from trytond.modules.casa_base.tests.tools import create_user

    BusinessUnit = Model.get('casa.business_unit')
    Application = Model.get('res.user.application')
    units = {u.code: u for u in BusinessUnit.find([])}
    journal, cash = setup_cash()
    park_keeper = create_user(
        'api_garde_park', "API Garde PARK", 'role_gatekeeper',
        [units['PARK']], password='Api-Test-2026!')
    abt_keeper = create_user(
        'api_garde_abt', "API Garde ABT", 'role_gatekeeper', [units['ABT']],
        password='Api-Test-2026!')
    park = create_site(units['PARK'], 'PARK9', "Parking Test API",
        gates=[('G1', "Barrière", 'both')], admission='open',
        journal=journal, cash_account=cash)
    abt = create_site(units['ABT'], 'ABT9', "Abattoir Test API",
        gates=[('G1', "Porte", 'both')], journal=journal,
        cash_account=cash)
    fee = create_fee_product("Ticket parking (test API)", '71243')
    create_tariff(park, 'car', 5, fee)
    create_tariff(park, 'van', 10, fee)
    create_authorisation("Abonné Test", 'visitor', [park],
        plate='11111-A-1', vehicle='car')
    create_authorisation("Chevillard Test", 'chevillard', [abt],
        plate='22222-B-2', vehicle='truck')
    park_gate, = park.gates
    abt_gate, = abt.gates
    keys = {
        'park': create_kiosk_key(park_keeper, park_gate),
        'abt': create_kiosk_key(abt_keeper, abt_gate),
        'expired': create_kiosk_key(park_keeper, park_gate,
            valid_until=dt.datetime(2020, 1, 1)),
        }
    cancelled = create_kiosk_key(park_keeper, park_gate)
    application, = Application.find([('key', '=', cancelled)])
    application.click('cancel')
    keys['cancelled'] = cancelled
    return {
        'keys': keys,
        'sites': {'park': park.id, 'abt': abt.id},
        'gates': {'park': park_gate.id, 'abt': abt_gate.id},
        'users': {
            'park': {'login': 'api_garde_park', 'id': park_keeper.id},
            'abt': {'login': 'api_garde_abt', 'id': abt_keeper.id},
            },
        'password': 'Api-Test-2026!',
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', required=True)
    parser.add_argument('--config', required=True)
    args = parser.parse_args()
    connect(args.database, args.config)
    print(json.dumps(kiosk_api_data(), ensure_ascii=False), flush=True)


if __name__ == '__main__':
    main()
