# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The parking tariffs are casa_base tariffs (``casa.tariff``) with three
more conditions — car park, zone, vehicle category — and the figures of the
tariff engine (pricing.py): the tariff's price is the price per hour of a
duration tariff, or the amount of a flat one."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.product import price_digits
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from . import pricing
from .exceptions import ParkingTariffCarParkError, ParkingTariffError

PARKING = Eval('parking_pricing')


class Tariff(metaclass=PoolMeta):
    __name__ = 'casa.tariff'

    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", ondelete='RESTRICT')
    parking_zone = fields.Many2One(
        'casa.parking.zone', "Parking Zone", ondelete='RESTRICT',
        domain=[('car_park', '=', Eval('car_park', -1))],
        states={'invisible': ~Eval('car_park')})
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category",
        ondelete='RESTRICT')
    parking_pricing = fields.Selection([
            (None, ""),
            ('duration', "By Duration"),
            ('flat', "Flat per Stay"),
            ], "Parking Pricing",
        help="By duration: the price is per hour.\n"
        "Flat: the price is charged once per started 24 hours.")
    parking_free_minutes = fields.Integer("Free Minutes",
        states={'invisible': PARKING != 'duration'},
        help="A stay of at most this long costs nothing.")
    parking_first_hour = fields.Numeric("First Hour", digits=price_digits,
        states={'invisible': PARKING != 'duration'},
        help="The price of the first hour (empty: the price per hour).")
    parking_step = fields.Selection([
            (None, ""),
            ('60', "Hour"),
            ('30', "Half Hour"),
            ('15', "Quarter Hour"),
            ], "Then per Started",
        states={
            'invisible': PARKING != 'duration',
            'required': PARKING == 'duration',
            })
    parking_daily_cap = fields.Numeric("Daily Cap", digits=price_digits,
        states={'invisible': PARKING != 'duration'},
        help="The most a stay costs per local day.")
    parking_night_factor = fields.Numeric("Night Factor", digits=(4, 2),
        states={'invisible': ~PARKING},
        help="The prices are multiplied by it at night (e.g. 2).")
    parking_night_start = fields.Time("Night From",
        states={'invisible': ~PARKING})
    parking_night_end = fields.Time("Night To",
        states={'invisible': ~PARKING})
    parking_lost_ticket = fields.Numeric("Lost Ticket Fee",
        digits=price_digits, states={'invisible': ~PARKING},
        help="Added to the stay of a lost ticket or of an exit without "
        "entry.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._conditions.extend(
            ['car_park', 'parking_zone', 'vehicle_category'])

    @classmethod
    def default_parking_step(cls):
        return None

    @fields.depends('parking_pricing', 'parking_step')
    def on_change_parking_pricing(self):
        if self.parking_pricing == 'duration' and not self.parking_step:
            self.parking_step = '60'

    @classmethod
    def validate_fields(cls, tariffs, field_names):
        super().validate_fields(tariffs, field_names)
        cls.check_car_park(tariffs)
        for tariff in tariffs:
            if not tariff.parking_pricing:
                continue
            for name in ['parking_free_minutes', 'parking_first_hour',
                    'parking_daily_cap', 'parking_night_factor',
                    'parking_lost_ticket']:
                value = getattr(tariff, name)
                if value is not None and value < 0:
                    raise ParkingTariffError(gettext(
                            'casa_parking.msg_tariff_negative',
                            tariff=tariff.rec_name,
                            field=getattr(cls, name).string))
            if (tariff.parking_night_start is None) != (
                    tariff.parking_night_end is None):
                raise ParkingTariffError(gettext(
                        'casa_parking.msg_tariff_night_band',
                        tariff=tariff.rec_name))
            if tariff.parking_pricing == 'duration' and not (
                    tariff.parking_step):
                raise ParkingTariffError(gettext(
                        'casa_parking.msg_tariff_step',
                        tariff=tariff.rec_name))

    @classmethod
    def check_car_park(cls, tariffs):
        """A tariff of a car park is bound to the car park's unit only, and
        its zone is one of the car park's (read as the system: the message
        names no record a user may not see)"""
        with without_check_access():
            for tariff in cls.browse(tariffs):
                car_park = tariff.car_park
                zone = tariff.parking_zone
                if car_park is None:
                    if zone is not None:
                        raise ParkingTariffError(gettext(
                                'casa_parking.msg_tariff_zone_car_park'))
                    continue
                units = {u.id for u in tariff.business_units}
                if units != {car_park.business_unit.id}:
                    raise ParkingTariffCarParkError(gettext(
                            'casa_parking.msg_tariff_car_park_unit'))
                if zone is not None and zone.car_park != car_park:
                    raise ParkingTariffError(gettext(
                            'casa_parking.msg_tariff_zone_car_park'))

    def parking_rate(self, start_date, end_date):
        "The tariff compiled for the engine, valid from start to end date"
        if not self.parking_pricing:
            raise ParkingTariffError(gettext(
                    'casa_parking.msg_tariff_not_parking',
                    tariff=self.rec_name))
        return pricing.compile_rate(start_date, end_date,
            self.parking_pricing, self.price,
            free_minutes=self.parking_free_minutes or 0,
            first_hour=self.parking_first_hour,
            step=int(self.parking_step or 60),
            daily_cap=self.parking_daily_cap,
            night_factor=self.parking_night_factor,
            night_start=self.parking_night_start,
            night_end=self.parking_night_end,
            lost_ticket=self.parking_lost_ticket,
            tariff=self.id)

    @classmethod
    def parking_rates(cls, car_park, start_date, end_date, zone=None,
            vehicle_category=None):
        """The rates of the car park's parking product in force on each
        local day from start_date to end_date (one per run of days with the
        same tariff); refuse when a day has none"""
        pool = Pool()
        Tariff = pool.get('casa.tariff')
        rates = []
        current, since = None, start_date
        date = start_date
        with without_check_access():
            while date <= end_date:
                tariff = Tariff.lookup(car_park.product, date,
                    car_park.business_unit, car_park=car_park,
                    parking_zone=zone, vehicle_category=vehicle_category)
                if current is not None and tariff != current:
                    rates.append(current.parking_rate(
                            since, date - dt.timedelta(days=1)))
                    since = date
                current = tariff
                date += dt.timedelta(days=1)
            rates.append(current.parking_rate(since, end_date))
        return rates
