# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Records of a business unit for the isolation matrix (see
casa_base/tests/isolation.py): a gated car park with its zone and its
parking tariff, a monthly pass, and the sessions of its gate passages — one
paid at the exit, one left inside, one exit without an entry (flagged);
an on-street area with its meters' tickets (and so their sums per zone and
day)."""
import datetime as dt
import uuid

from proteus import Model

from trytond.modules.casa_access.kiosk import GateInfo
from trytond.modules.casa_access.tests.tools import create_fee_product
from trytond.modules.casa_parking.tests.tools import (
    create_car_park, create_parking_tariff)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError

CONTEXTS = {}
EXEMPT = {}


def _server(world, func, user=0):
    "Run func(pool) in a transaction, tried again as trytond does"
    extras = {}
    while True:
        try:
            with Transaction().start(DB_NAME, user, context={
                        'company': world.company.id},
                    **extras) as transaction:
                result = func(Pool(DB_NAME))
                transaction.commit()
                return result
        except TransactionError as error:
            error.fix(extras)


def create_records(world, unit):
    config = world.config
    code = unit.code
    subscription_product = create_fee_product(
        "Abonnement %s" % code, '71243', config=config)
    car_park = create_car_park(unit, '%s-P' % code, "Parking %s" % code,
        journal=world.cash_journal, cash_account=world.cash_account,
        subscription_product=subscription_product, config=config)
    create_parking_tariff(car_park, 2, free_minutes=15, daily_cap=20,
        night_factor=2, night_start=dt.time(20), night_end=dt.time(7),
        lost_ticket=50, config=config)
    create_parking_tariff(car_park, 300, pricing=None,
        product=subscription_product, config=config)

    Subscription = Model.get('casa.parking.subscription', config=config)
    subscription = Subscription(business_unit=unit, car_park=car_park,
        party=world.customers[code], plate='%s-1-A' % code, months=1,
        start_date=world.date)
    subscription.save()
    subscription.click('confirm')

    gate, = car_park.access_site.gates
    gatekeeper = world.users[code]['Gatekeeper']
    now = dt.datetime.now().replace(microsecond=0)

    def record(plate, direction, when):
        def call(pool):
            Passage = pool.get('casa.access.passage')
            info = GateInfo.from_gate(pool.get('casa.access.gate')(gate.id))
            Passage.record(info, gatekeeper.id, str(uuid.uuid4()),
                direction, {'plate': plate}, now=when)
        _server(world, call, gatekeeper.id)

    start = now - dt.timedelta(hours=3)
    record('%s 100 B' % code, 'in', start)
    record('%s 100 B' % code, 'out', start + dt.timedelta(hours=1))
    record('%s 200 B' % code, 'in', start + dt.timedelta(minutes=5))
    record('%s 300 B' % code, 'out', start + dt.timedelta(hours=2))

    # an on-street area and its meters' tickets
    street = create_car_park(unit, '%s-R' % code, "Rue %s" % code,
        kind='street', product=car_park.product, config=config)
    day = world.date.isoformat()
    data = ('meter,zone,time,amount,duration\n'
        '%(code)s-M1,Z1,%(day)s 09:00,2.00,60\n'
        '%(code)s-M1,Z1,%(day)s 11:00,4.00,120\n' % {
            'code': code, 'day': day}).encode()
    _server(world, lambda pool: pool.get('casa.parking.meter_sale'
        ).import_csv(pool.get('casa.parking.car_park')(street.id), data))


def report_data(world, unit, report_name):
    return None
