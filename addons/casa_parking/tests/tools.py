# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Helpers for scenarios, the demo and the isolation matrix (proteus)"
import datetime as dt
from decimal import Decimal

from proteus import Model

from trytond.modules.casa_access.tests.tools import (
    create_fee_product, create_site, get_vehicle_category)

__all__ = ['create_car_park', 'create_parking_tariff']


def create_car_park(unit, code, name, kind='gated', zones=(('Z1', 100),),
        product=None, subscription_product=None, journal=None,
        cash_account=None, max_stay=24, config=None):
    """A car park of the unit: its casa_base site, for a gated one its
    casa_access site with a gate for entries and exits, its zones (code,
    spaces); the fee products are made when not given (revenue 71243)"""
    Site = Model.get('casa.site', config=config)
    CarPark = Model.get('casa.parking.car_park', config=config)
    site = Site(business_unit=unit, code=code, name=name,
        cash_journal=journal, cash_account=cash_account)
    site.save()
    if product is None:
        product = create_fee_product(
            "Stationnement %s" % code, '71243', config=config)
    car_park = CarPark(business_unit=unit, site=site, kind=kind,
        product=product, subscription_product=subscription_product,
        max_stay=max_stay)
    if kind == 'gated':
        car_park.access_site = create_site(unit, code, name,
            gates=[('G1', "Barrière", 'both')], admission='open',
            journal=journal, cash_account=cash_account, config=config)
    for zone_code, spaces in zones:
        car_park.zones.new(code=zone_code, name="Zone %s" % zone_code,
            spaces=spaces)
    car_park.save()
    return car_park


def create_parking_tariff(car_park, price, pricing='duration',
        start_date=None, end_date=None, vehicle=None, product=None,
        config=None, **values):
    """A parking tariff of the car park (values: free_minutes, first_hour,
    step, daily_cap, night_factor, night_start, night_end, lost_ticket)"""
    Tariff = Model.get('casa.tariff', config=config)
    BusinessUnit = Model.get('casa.business_unit', config=config)
    product = product or car_park.product
    tariff = Tariff(product=product, uom=product.default_uom,
        price=Decimal(price), start_date=start_date or dt.date(2000, 1, 1),
        end_date=end_date, car_park=car_park, parking_pricing=pricing)
    tariff.business_units.append(BusinessUnit(car_park.business_unit.id))
    if vehicle:
        tariff.vehicle_category = get_vehicle_category(vehicle, config=config)
    if pricing:
        tariff.parking_step = str(values.pop('step', 60))
    for name, value in values.items():
        if isinstance(value, (int, float)) and name != 'free_minutes':
            value = Decimal(str(value))
        setattr(tariff, 'parking_' + name, value)
    tariff.save()
    return tariff
