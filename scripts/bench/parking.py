#!/usr/bin/env python3
"""Benchmark: the car parks' tariff engine (addons/casa_parking/pricing.py)
prices CASA_BENCH_SESSIONS sessions (default 1,000,000) in process.

The sessions are spread over a month (entries at any minute, stays of 0 to
30 hours, a third of them by night), priced with two duration tariffs (2 MAD
an hour, a free quarter of an hour, double between 20:00 and 07:00, capped
at 20 MAD a day; 3 MAD and by the quarter from the 16th: a tariff change in
the middle of the month) and, for a tenth of them, a flat tariff per vehicle
(3 MAD, doubled at night).

Baseline, in the same run: a bare loop over the same sessions doing the
simplest arithmetic of a price (started hours × rate, capped), i.e. the cost
of the loop and of a function call.  Prints sessions/s and the ratio
engine/baseline.  Target: >= 200,000 sessions/s.  The engine's amounts of
the first 20,000 sessions are checked against the unit-by-unit
reference (pricing.reference_cents).
"""
import datetime as dt
import importlib.util
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = int(os.environ.get('CASA_BENCH_SESSIONS', 1_000_000))
TARGET = 200_000


def load_pricing():
    spec = importlib.util.spec_from_file_location('casa_parking_pricing',
        ROOT / 'addons' / 'casa_parking' / 'pricing.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    pricing = load_pricing()
    month = dt.date(2026, 11, 1)
    band = {'night_factor': Decimal(2), 'night_start': dt.time(20),
        'night_end': dt.time(7)}
    duration = [
        pricing.compile_rate(month, dt.date(2026, 11, 15), 'duration',
            Decimal(2), free_minutes=15, daily_cap=Decimal(20), **band),
        pricing.compile_rate(dt.date(2026, 11, 16), None, 'duration',
            Decimal(3), free_minutes=15, step=15, daily_cap=Decimal(30),
            **band),
        ]
    flat = [pricing.compile_rate(month, None, 'flat', Decimal(3), **band)]
    rng = random.Random(2026)
    base = pricing.date_minutes(month)
    sessions = []
    for i in range(SESSIONS):
        entry = base + rng.randrange(0, 29 * pricing.DAY)
        stay = rng.randrange(0, 30 * 60) if i % 3 == 0 else rng.randrange(
            0, 6 * 60)
        sessions.append((entry, entry + stay,
            flat if i % 10 == 0 else duration))
    print(f"Parking tariff engine: {SESSIONS:,} sessions", flush=True)

    price_cents = pricing.price_cents
    best_engine = best_base = None
    for _ in range(3):
        begin = time.perf_counter()
        total = 0
        for entry, exit, rates in sessions:
            total += price_cents(entry, exit, rates)
        elapsed = time.perf_counter() - begin
        best_engine = min(best_engine or elapsed, elapsed)

        def bare(entry, exit, rates):
            hours = -((entry - exit) // 60)
            amount = hours * 200
            return amount if amount < 2000 else 2000
        begin = time.perf_counter()
        bare_total = 0
        for entry, exit, rates in sessions:
            bare_total += bare(entry, exit, rates)
        elapsed = time.perf_counter() - begin
        best_base = min(best_base or elapsed, elapsed)

    checked = min(SESSIONS, 20_000)
    wrong = sum(price_cents(e, x, r) != pricing.reference_cents(e, x, r)
        for e, x, r in sessions[:checked])
    rate = SESSIONS / best_engine
    base_rate = SESSIONS / best_base
    print(f"engine     {best_engine:6.2f} s  {rate:12,.0f} sessions/s  "
        f"(total {Decimal(total) / 100:,.2f} MAD)")
    print(f"bare loop  {best_base:6.2f} s  {base_rate:12,.0f} sessions/s")
    print(f"ratio engine/bare loop {rate / base_rate:.2f}  "
        f"(target >= {TARGET:,} sessions/s)")
    print(f"checked against the reference: {checked:,} sessions, "
        f"{wrong} different")
    ok = rate >= TARGET and not wrong
    print("Parking benchmark:", "targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
