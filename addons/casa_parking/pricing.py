# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The tariff engine of the car parks: pure Python, no database.

A session is priced from its local (Africa/Casablanca) entry and exit times
and the parking tariffs (``casa.tariff`` lines, see tariff.py) in force on
each local day it covers, compiled into ``Rate`` tuples by ``compile_rate``.
Amounts are integers of cents inside the engine, ``Decimal`` outside.

Duration tariffs (``mode == 'duration'``):

- a stay of at most the *free minutes* costs nothing; a longer one is
  charged from its entry;
- the first hour costs the *first hour* price, then each started step (an
  hour or a quarter of an hour) costs the price per hour × step / 60;
- a unit (the first hour or a step) starting inside the *night band* (e.g.
  20:00 to 07:00) costs its price × the *night factor*, rounded to the cent;
- the units starting on a local day are priced with the tariff in force on
  that day (a tariff change takes effect at local midnight) and their sum is
  at most that tariff's *daily cap*.

Flat tariffs (``mode == 'flat'``): the price once per started 24 hours, × the
night factor when the stay touches the night band; the tariff of the entry
day.

A lost ticket adds the lost-ticket fee of the entry day's tariff.
"""
import datetime as dt
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

DAY = 1440
EPOCH = dt.datetime(2000, 1, 1)
CENT = Decimal('0.01')
FAR = 1 << 40

Rate = namedtuple('Rate', [
        'start', 'end', 'flat', 'free', 'first_day', 'first_night', 'step',
        'step_day', 'step_night', 'cap', 'night_start', 'night_end',
        'flat_day', 'flat_night', 'lost', 'tariff'])
Rate.__doc__ = """A tariff compiled for the engine: valid on the local
minutes [start, end); amounts in cents; night band [night_start, DAY) and
[0, night_end) in minutes of the day (none when equal); cap None: none"""


def minutes(local):
    "The minute (since 2000-01-01 00:00) of a naive local datetime"
    delta = local - EPOCH
    return delta.days * DAY + delta.seconds // 60


def date_minutes(date):
    "The minute of a local date's midnight"
    return (date - EPOCH.date()).days * DAY


def cents(amount):
    return int((Decimal(amount) * 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP))


def _time_minutes(value, default):
    if value is None:
        return default
    return value.hour * 60 + value.minute


def compile_rate(start_date, end_date, mode, price, free_minutes=0,
        first_hour=None, step=60, daily_cap=None, night_factor=None,
        night_start=None, night_end=None, lost_ticket=None, tariff=None):
    """A Rate valid on the local days start_date to end_date (None: no end)
    from a tariff's figures (Decimal amounts, datetime.time band)"""
    if step not in (15, 30, 60):
        raise ValueError("step must be 15, 30 or 60 minutes")
    factor = Decimal(night_factor if night_factor is not None else 1)
    first = Decimal(first_hour if first_hour is not None else price)
    step_price = Decimal(price) * step / 60
    ns = _time_minutes(night_start, 0)
    ne = _time_minutes(night_end, 0)
    return Rate(
        start=date_minutes(start_date),
        end=(date_minutes(end_date) + DAY) if end_date else FAR,
        flat=(mode == 'flat'),
        free=int(free_minutes or 0),
        first_day=cents(first),
        first_night=cents(first * factor),
        step=step,
        step_day=cents(step_price),
        step_night=cents(step_price * factor),
        cap=cents(daily_cap) if daily_cap is not None else None,
        night_start=ns, night_end=ne,
        flat_day=cents(price),
        flat_night=cents(Decimal(price) * factor),
        lost=cents(lost_ticket) if lost_ticket else 0,
        tariff=tariff)


class NoRateError(ValueError):
    "No tariff is in force at a minute of the session"


def _rate_at(rates, minute):
    for rate in rates:
        if rate.start <= minute < rate.end:
            return rate
    raise NoRateError(minute)


def _count(lo, hi, t, step):
    "How many of t, t + step, … lie in [lo, hi)"
    if lo < t:
        lo = t
    if hi <= lo:
        return 0
    return -((t - hi) // step) - (-((t - lo) // step))


def price_cents(entry, exit, rates, lost_ticket=False):
    """The amount in cents of a stay from the minute entry to the minute exit
    (local, see minutes()) with the rates (each valid on whole local days,
    not overlapping)"""
    duration = exit - entry
    if duration < 0:
        raise ValueError("exit before entry")
    rate = rates[0]
    if not (rate.start <= entry < rate.end):
        rate = _rate_at(rates, entry)
    lost = rate.lost if lost_ticket else 0
    day = entry - entry % DAY
    ns, ne = rate.night_start, rate.night_end
    if rate.flat:
        night = False
        if ns != ne:
            # the minutes [entry, end) against each day's band [ns, ne),
            # which runs past midnight when it starts after it ends
            end = exit if exit > entry else entry + 1
            band_end = ne if ns < ne else ne + DAY
            d = day - DAY
            while d < end:
                if d + ns < end and d + band_end > entry:
                    night = True
                    break
                d += DAY
        periods = 1 if duration <= DAY else -(-duration // DAY)
        return periods * (rate.flat_night if night else rate.flat_day) + lost
    if duration <= rate.free:
        return lost
    m = entry - day
    if ns == ne:
        first = rate.first_day
    elif ns > ne:
        first = rate.first_night if (m >= ns or m < ne) else rate.first_day
    else:
        first = rate.first_night if ns <= m < ne else rate.first_day
    t = entry + 60
    cap = rate.cap
    if t >= exit:
        return (first if cap is None or first < cap else cap) + lost
    total = 0
    amount = first
    while True:
        end = day + DAY
        if not (rate.start <= day < rate.end):
            rate = _rate_at(rates, day)
        step = rate.step
        ns, ne = rate.night_start, rate.night_end
        seg = exit if exit < end else end
        n = -((t - seg) // step) if seg > t else 0
        if n:
            if ns == ne:
                night = 0
            elif ns > ne:
                # t >= day: the units starting in [t, day + ne) and in
                # [max(t, day + ns), seg)
                hi = day + ne
                if hi > seg:
                    hi = seg
                night = -((t - hi) // step) if hi > t else 0
                lo = day + ns
                if lo < seg:
                    if lo <= t:
                        night += n
                    else:
                        night += n + ((t - lo) // step)
            else:
                night = _count(day + ns, day + ne if day + ne < seg else seg,
                    t, step)
            amount += (n - night) * rate.step_day + night * rate.step_night
            t += n * step
        cap = rate.cap
        total += amount if cap is None or amount < cap else cap
        if exit <= end:
            return total + lost
        day = end
        amount = 0


def price(entry, exit, rates, lost_ticket=False):
    """The Decimal amount of a stay between the naive local datetimes entry
    and exit (a started minute counts)"""
    start = minutes(entry)
    seconds = (exit - entry).total_seconds()
    if seconds < 0:
        raise ValueError("exit before entry")
    end = start + int(-(-seconds // 60))
    return (Decimal(price_cents(start, end, rates, lost_ticket))
        / 100).quantize(CENT)


def reference_cents(entry, exit, rates):
    """The amount in cents of price_cents (without lost ticket) computed unit
    by unit, minute by minute: slow and obvious, the check of the engine in
    the tests and the benchmark"""
    def rate_at(minute):
        return _rate_at(rates, minute)

    def night(rate, minute):
        m = minute % DAY
        ns, ne = rate.night_start, rate.night_end
        if ns == ne:
            return False
        return (m >= ns or m < ne) if ns > ne else ns <= m < ne
    rate = rate_at(entry)
    if rate.flat:
        touched = any(night(rate, m)
            for m in range(entry, max(exit, entry + 1)))
        periods = max(1, -(-(exit - entry) // DAY))
        return periods * (rate.flat_night if touched else rate.flat_day)
    if exit - entry <= rate.free:
        return 0
    days = {}
    day = entry - entry % DAY
    days[day] = rate.first_night if night(rate, entry) else rate.first_day
    t = entry + 60
    while t < exit:
        day = t - t % DAY
        other = rate_at(day)
        days[day] = days.get(day, 0) + (
            other.step_night if night(other, t) else other.step_day)
        t += other.step
    total = 0
    for day, amount in days.items():
        cap = rate_at(day).cap
        total += amount if cap is None or amount < cap else cap
    return total
