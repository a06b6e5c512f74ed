# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The tariff engine, on exact amounts: across midnight, across a tariff
change, around the night band, with the demo's figures (2 MAD an hour on
the street; 3 MAD a car, 5 a truck, 2 a motorbike in attended car parks,
doubled at night)."""
import datetime as dt
import random
import unittest
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from trytond.modules.casa_parking import pricing

DAY = dt.date(2026, 12, 3)
NIGHT = {'night_factor': D(2), 'night_start': dt.time(20),
    'night_end': dt.time(7)}


def at(hour, minute=0, day=0):
    return dt.datetime.combine(DAY + dt.timedelta(days=day),
        dt.time(hour, minute))


def street(**values):
    "2 MAD an hour, by the started hour"
    return pricing.compile_rate(dt.date(2026, 1, 1), None, 'duration',
        D(2), **values)


def flat(amount, **values):
    return pricing.compile_rate(dt.date(2026, 1, 1), None, 'flat',
        D(amount), **dict(NIGHT, **values))


class PricingTestCase(unittest.TestCase):

    def price(self, entry, exit, rates, **kwargs):
        if not isinstance(rates, list):
            rates = [rates]
        return pricing.price(entry, exit, rates, **kwargs)

    def test_street_hours(self):
        "On-street: 2 MAD per started hour"
        rate = street()
        # a stay of no time (an exit without entry) costs nothing
        self.assertEqual(self.price(at(10), at(10), rate), D('0.00'))
        self.assertEqual(self.price(at(10), at(10, 1), rate), D('2.00'))
        self.assertEqual(self.price(at(10), at(10, 30), rate), D('2.00'))
        self.assertEqual(self.price(at(10), at(11), rate), D('2.00'))
        self.assertEqual(self.price(at(10), at(11, 1), rate), D('4.00'))
        self.assertEqual(self.price(at(10), at(13, 59), rate), D('8.00'))

    def test_started_minute(self):
        "A started minute counts: 60 minutes and a second is a second hour"
        rate = street()
        self.assertEqual(self.price(at(10), at(11) + dt.timedelta(
                    seconds=1), rate), D('4.00'))

    def test_free_minutes(self):
        "A stay within the free minutes is free, a longer one pays it all"
        rate = street(free_minutes=15)
        self.assertEqual(self.price(at(10), at(10, 15), rate), D('0.00'))
        self.assertEqual(self.price(at(10), at(10, 16), rate), D('2.00'))

    def test_first_hour_then_quarters(self):
        "First hour 3 MAD, then 2 MAD an hour by the started quarter"
        rate = street(first_hour=D(3), step=15)
        self.assertEqual(self.price(at(10), at(11), rate), D('3.00'))
        self.assertEqual(self.price(at(10), at(11, 1), rate), D('3.50'))
        self.assertEqual(self.price(at(10), at(11, 20), rate), D('4.00'))
        self.assertEqual(self.price(at(10), at(12), rate), D('5.00'))

    def test_night_band(self):
        "Each unit starting in the band 20:00–07:00 costs double"
        rate = street(**NIGHT)
        self.assertEqual(self.price(at(19, 30), at(20, 30), rate),
            D('2.00'))
        # 19:30 day, 20:30 night
        self.assertEqual(self.price(at(19, 30), at(21, 30), rate),
            D('6.00'))
        # the band starts at 20:00 sharp and ends at 07:00 sharp
        self.assertEqual(self.price(at(20), at(21), rate), D('4.00'))
        self.assertEqual(self.price(at(6), at(8), rate), D('6.00'))
        self.assertEqual(self.price(at(7), at(8), rate), D('2.00'))

    def test_daily_cap(self):
        "The units of a local day cost at most the cap"
        rate = street(daily_cap=D(20))
        self.assertEqual(self.price(at(8), at(17), rate), D('18.00'))
        self.assertEqual(self.price(at(8), at(18), rate), D('20.00'))
        self.assertEqual(self.price(at(8), at(20), rate), D('20.00'))

    def test_across_midnight(self):
        """22:00 to 08:30 the next day at 2 MAD an hour, double at night,
        capped at 20 MAD a day: 22:00 and 23:00 (8 MAD) on the first day;
        00:00 to 06:00 at night (28) and 07:00, 08:00 by day (4) capped at
        20 on the second"""
        rate = street(daily_cap=D(20), **NIGHT)
        self.assertEqual(self.price(at(22), at(8, 30, day=1), rate),
            D('28.00'))
        # no cap: 8 + 28 + 4
        rate = street(**NIGHT)
        self.assertEqual(self.price(at(22), at(8, 30, day=1), rate),
            D('40.00'))

    def test_across_tariff_change(self):
        """2 MAD an hour until the 3rd, 3 MAD from the 4th: the units
        starting on the 4th are priced by the new tariff"""
        old = pricing.compile_rate(dt.date(2026, 1, 1), DAY, 'duration',
            D(2))
        new = pricing.compile_rate(DAY + dt.timedelta(days=1), None,
            'duration', D(3))
        rates = [old, new]
        # 23:00 (2), 00:00 (3), 01:00 (3)
        self.assertEqual(self.price(at(23), at(1, 30, day=1), rates),
            D('8.00'))
        # wholly before, wholly after
        self.assertEqual(self.price(at(10), at(11, 30), rates), D('4.00'))
        self.assertEqual(self.price(at(10, day=1), at(11, 30, day=1),
                rates), D('6.00'))
        # a day without tariff
        with self.assertRaises(pricing.NoRateError):
            self.price(at(10), at(11), [new])

    def test_flat_per_vehicle(self):
        "Attended car parks: 3 MAD a car, 5 a truck, 2 a motorbike"
        for amount, expected in [(3, '3.00'), (5, '5.00'), (2, '2.00')]:
            self.assertEqual(self.price(at(10), at(12), flat(amount)),
                D(expected))

    def test_flat_doubled_at_night(self):
        "A stay touching the night band pays double"
        rate = flat(3)
        self.assertEqual(self.price(at(18), at(19, 59), rate), D('3.00'))
        self.assertEqual(self.price(at(18), at(20, 1), rate), D('6.00'))
        self.assertEqual(self.price(at(6), at(8), rate), D('6.00'))
        self.assertEqual(self.price(at(21), at(23), flat(5)), D('10.00'))
        self.assertEqual(self.price(at(7), at(19), flat(2)), D('2.00'))

    def test_flat_per_started_day(self):
        "Each started 24 hours pays the flat amount once more"
        rate = flat(3)
        self.assertEqual(self.price(at(10), at(10, day=1), rate), D('6.00'))
        self.assertEqual(self.price(at(10), at(10, 1, day=1), rate),
            D('12.00'))

    def test_lost_ticket(self):
        "A lost ticket adds its fee"
        rate = street(lost_ticket=D(50))
        self.assertEqual(self.price(at(10), at(11), rate, lost_ticket=True),
            D('52.00'))
        # an exit without entry: the fee alone
        self.assertEqual(self.price(at(10), at(10), rate, lost_ticket=True),
            D('50.00'))
        rate = street(lost_ticket=D(50), free_minutes=15)
        self.assertEqual(self.price(at(10), at(10), rate, lost_ticket=True),
            D('50.00'))

    def test_exit_before_entry(self):
        with self.assertRaises(ValueError):
            self.price(at(10), at(9), street())

    def test_properties(self):
        """Never negative, never decreasing as the stay grows, never more
        than the cap within a local day"""
        rate = street(first_hour=D(3), step=15, daily_cap=D(20),
            free_minutes=10, **NIGHT)
        rng = random.Random(13)
        base = pricing.minutes(at(0))
        for _ in range(2000):
            entry = base + rng.randrange(0, 3 * 1440)
            durations = sorted(rng.randrange(0, 3000) for _ in range(4))
            amounts = [pricing.price_cents(entry, entry + d, [rate])
                for d in durations]
            self.assertTrue(all(a >= 0 for a in amounts))
            self.assertEqual(amounts, sorted(amounts))
            day_end = entry - entry % 1440 + 1440
            self.assertLessEqual(pricing.price_cents(
                    entry, min(entry + durations[-1], day_end), [rate]),
                2000)

    def test_reference(self):
        """The engine gives the amounts of the unit-by-unit reference, for
        stays of up to three days across two tariffs (hourly, then by the
        quarter with another cap and band) and a flat one"""
        band = {'night_factor': D(2), 'night_start': dt.time(20),
            'night_end': dt.time(7)}
        duration = [
            pricing.compile_rate(dt.date(2026, 1, 1), DAY, 'duration', D(2),
                free_minutes=15, first_hour=D('2.5'), daily_cap=D(20),
                **band),
            pricing.compile_rate(DAY + dt.timedelta(days=1), None,
                'duration', D(3), step=15, daily_cap=D(30),
                night_factor=D('1.5'), night_start=dt.time(22),
                night_end=dt.time(6)),
            ]
        day_band = [pricing.compile_rate(dt.date(2026, 1, 1), None,
                'duration', D(2), night_factor=D(3),
                night_start=dt.time(12), night_end=dt.time(14))]
        rng = random.Random(7)
        base = pricing.minutes(at(0, day=-1))
        for rates in [duration, day_band, [flat(3)]]:
            for _ in range(3000):
                entry = base + rng.randrange(0, 2 * 1440)
                exit = entry + rng.randrange(0, 3 * 1440)
                self.assertEqual(pricing.price_cents(entry, exit, rates),
                    pricing.reference_cents(entry, exit, rates),
                    (entry - base, exit - entry))


class PricingPropertyTestCase(unittest.TestCase):
    "The engine's properties, on stays and tariffs drawn by hypothesis"

    RATES = st.builds(
        lambda price, first, step, free, cap, factor, band, flat: (
            pricing.compile_rate(dt.date(2026, 1, 1), None,
                'flat' if flat else 'duration', D(price) / 4,
                free_minutes=free,
                first_hour=D(first) / 4 if first is not None else None,
                step=step, daily_cap=D(cap) if cap is not None else None,
                night_factor=D(factor) / 2,
                night_start=dt.time(band[0]) if band else None,
                night_end=dt.time(band[1]) if band else None)),
        price=st.integers(0, 40), first=st.none() | st.integers(0, 40),
        step=st.sampled_from([15, 30, 60]), free=st.integers(0, 30),
        cap=st.none() | st.integers(0, 60), factor=st.integers(2, 6),
        band=st.none() | st.tuples(st.integers(0, 23), st.integers(0, 23)),
        flat=st.booleans())
    STAYS = st.tuples(st.integers(0, 3 * 1440), st.integers(0, 3 * 1440),
        st.integers(0, 3 * 1440))

    @settings(max_examples=300, deadline=None)
    @given(RATES, STAYS)
    def test_never_negative_never_decreasing(self, rate, stay):
        "An amount is never negative and never decreases as the stay grows"
        entry, first, second = stay
        base = pricing.minutes(at(0)) + entry
        short, long_ = sorted([first, second])
        a = pricing.price_cents(base, base + short, [rate])
        b = pricing.price_cents(base, base + long_, [rate])
        self.assertGreaterEqual(a, 0)
        self.assertLessEqual(a, b)

    @settings(max_examples=300, deadline=None)
    @given(RATES, STAYS)
    def test_daily_cap(self, rate, stay):
        "A stay within a local day costs at most the daily cap"
        entry, duration, _ = stay
        if rate.flat or rate.cap is None:
            return
        base = pricing.minutes(at(0)) + entry
        day_end = base - base % 1440 + 1440
        exit = min(base + duration, day_end)
        self.assertLessEqual(
            pricing.price_cents(base, exit, [rate]), rate.cap)

    @settings(max_examples=300, deadline=None)
    @given(RATES, STAYS)
    def test_reference(self, rate, stay):
        "The engine gives the amounts of the unit-by-unit reference"
        entry, duration, _ = stay
        base = pricing.minutes(at(0)) + entry
        self.assertEqual(
            pricing.price_cents(base, base + duration, [rate]),
            pricing.reference_cents(base, base + duration, [rate]))
