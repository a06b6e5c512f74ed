#!/usr/bin/env python3
"""Benchmark: the per-unit CPC on a fiscal year of posted move lines.

Generates on PostgreSQL a database ``casa_bench`` with the casa modules, the
demo company on the CGNC chart, three business units and CASA_BENCH_LINES
(default 1,000,000) posted move lines over the P&L accounts of the CGNC and
the units (each P&L line distributed to its unit), then times, in the same
run, the CPC per unit computed by the product (casa.l10n_ma.cpc) against a
hand-written SQL GROUP BY over the same tables, checks that both give the
same amounts to the centime, and prints both times and their ratio.
Targets: the product within 2x of the raw SQL and under 1 s.
"""
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal

from common import ROOT, connect, create_database, demo_module, server_uri

DATABASE = 'casa_bench'
LINES = int(os.environ.get('CASA_BENCH_LINES', 1_000_000))
BATCH = 100_000     # lines per generation batch
RUNS = 5

RAW_SQL = """
SELECT bu.id, a.type, SUM(al.credit - al.debit)
FROM analytic_account_line al
JOIN casa_business_unit bu ON bu.analytic_account = al.account
JOIN account_move_line ml ON ml.id = al.move_line
JOIN account_move m ON m.id = ml.move
JOIN account_period p ON p.id = m.period AND p.type = 'standard'
JOIN account_account a ON a.id = ml.account
JOIN account_account_type t ON t.id = a.type AND t.statement = 'income'
WHERE bu.company = %(company)s AND m.state = 'posted'
    AND m.date >= %(start)s AND m.date <= %(end)s
GROUP BY bu.id, a.type
"""


def setup(demo):
    "The demo company, chart, fiscal year and units, with proteus"
    from proteus import Model
    today = dt.date.today()
    progress = demo.Progress(4 + len(demo.UNITS), "Company and units")
    demo.setup_company(progress)
    company, _, _, _ = demo.setup_accounting(today, progress)
    units = demo.setup_units(company, progress)
    FiscalYear = Model.get('account.fiscalyear')
    fiscalyear, = FiscalYear.find([('company', '=', company.id)])
    return company, units, fiscalyear


def generate(conn, company_id, fiscalyear_id, progress_class):
    "Insert LINES posted move lines (half on P&L accounts, half on bank)"
    with conn.cursor() as cursor:
        cursor.execute("SELECT id FROM account_journal WHERE code = 'CASH'")
        journal, = cursor.fetchone()
        cursor.execute(
            "SELECT id FROM account_account WHERE company = %s "
            "AND code = '5141'", (company_id,))
        bank, = cursor.fetchone()
        cursor.execute(
            "SELECT a.id, t.revenue FROM account_account a "
            "JOIN account_account_type t ON t.id = a.type "
            "WHERE a.company = %s AND t.statement = 'income' "
            "AND (a.code LIKE '6%%' OR a.code LIKE '7%%') "
            "AND (t.revenue OR t.expense) ORDER BY a.code", (company_id,))
        accounts = cursor.fetchall()
        revenue = [a for a, r in accounts if r]
        expense = [a for a, r in accounts if not r]
        cursor.execute(
            "SELECT id, analytic_account FROM casa_business_unit "
            "WHERE company = %s ORDER BY id", (company_id,))
        units = cursor.fetchall()
        cursor.execute(
            "SELECT start_date, end_date FROM account_fiscalyear "
            "WHERE id = %s", (fiscalyear_id,))
        start, end = cursor.fetchone()
    days = (end - start).days + 1
    moves = LINES // 2
    progress = progress_class(LINES, "Posted move lines")
    for first in range(0, moves, BATCH // 2):
        last = min(moves, first + BATCH // 2)
        params = {
            'company': company_id, 'journal': journal, 'bank': bank,
            'fiscalyear': fiscalyear_id, 'start': start, 'days': days,
            'first': first + 1, 'last': last,
            'units': [u for u, _ in units],
            'revenue': revenue, 'expense': expense,
            }
        with conn.cursor() as cursor:
            # one move a day and unit in turn, with its P&L and bank lines
            cursor.execute("""
                INSERT INTO account_move (company, create_date, create_uid,
                    date, journal, number, period, post_date, state,
                    business_unit)
                SELECT %(company)s, now(), 0, d.date, %(journal)s,
                    'BENCH' || g, p.id, d.date, 'posted',
                    (%(units)s::int[])[1 + g %% cardinality(%(units)s::int[])]
                FROM generate_series(%(first)s::int, %(last)s::int) g
                CROSS JOIN LATERAL (
                    SELECT (%(start)s::date + (g %% %(days)s::int)) AS date) d
                JOIN account_period p ON p.fiscalyear = %(fiscalyear)s
                    AND p.type = 'standard'
                    AND d.date BETWEEN p.start_date AND p.end_date
                """, params)
            # amounts from 1.00 to 10,000.99; 3 moves in 4 are revenue
            cursor.execute("""
                WITH m AS (
                    SELECT id, substr(number, 6)::int AS g FROM account_move
                    WHERE number LIKE 'BENCH%%'
                        AND substr(number, 6)::int
                            BETWEEN %(first)s::int AND %(last)s::int),
                v AS (
                    SELECT id, g, (g %% 4 <> 0) AS is_revenue,
                        ((g::bigint * 7919) %% 1000000) / 100.0 + 1 AS amount
                    FROM m)
                INSERT INTO account_move_line (account, create_date,
                    create_uid, credit, debit, move, state, analytic_state)
                SELECT CASE WHEN is_revenue
                        THEN (%(revenue)s::int[])[
                            1 + g %% cardinality(%(revenue)s::int[])]
                        ELSE (%(expense)s::int[])[
                            1 + g %% cardinality(%(expense)s::int[])] END,
                    now(), 0,
                    CASE WHEN is_revenue THEN amount ELSE 0 END,
                    CASE WHEN is_revenue THEN 0 ELSE amount END,
                    id, 'valid', 'valid'
                FROM v
                UNION ALL
                SELECT %(bank)s, now(), 0,
                    CASE WHEN is_revenue THEN 0 ELSE amount END,
                    CASE WHEN is_revenue THEN amount ELSE 0 END,
                    id, 'valid', NULL
                FROM v
                """, params)
            # the P&L lines on their unit's analytic account
            cursor.execute("""
                INSERT INTO analytic_account_line (account, create_date,
                    create_uid, credit, date, debit, move_line)
                SELECT bu.analytic_account, now(), 0, ml.credit, m.date,
                    ml.debit, ml.id
                FROM account_move_line ml
                JOIN account_move m ON m.id = ml.move
                JOIN casa_business_unit bu ON bu.id = m.business_unit
                WHERE m.number LIKE 'BENCH%%'
                    AND substr(m.number, 6)::int
                        BETWEEN %(first)s::int AND %(last)s::int
                    AND ml.account <> %(bank)s
                """, params)
        conn.commit()
        progress.step(2 * (last - first))
    with conn.cursor() as cursor:
        cursor.execute('ANALYZE')
    conn.commit()
    return start, end


def time_raw(conn, company_id, start, end):
    with conn.cursor() as cursor:
        begin = time.perf_counter()
        cursor.execute(RAW_SQL, {
                'company': company_id, 'start': start, 'end': end})
        rows = cursor.fetchall()
        elapsed = time.perf_counter() - begin
    conn.rollback()
    return elapsed, {(u, t): Decimal(b) for u, t, b in rows}


def time_product(company_id, start, end):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True):
        pool = Pool()
        CPC = pool.get('casa.l10n_ma.cpc')
        Company = pool.get('company.company')
        BusinessUnit = pool.get('casa.business_unit')
        company = Company(company_id)
        units = BusinessUnit.search([('company', '=', company_id)])
        begin = time.perf_counter()
        statements = CPC.compute(company, start, end, units,
            consolidated=False)
        elapsed = time.perf_counter() - begin
        sections = CPC.type_sections(company_id)
        balances = CPC.unit_balances(company_id, start, end)
        currency = company.currency
        raw_statement = CPC.statement
    return elapsed, statements, sections, balances, currency, raw_statement


def main():
    uri = server_uri()
    os.environ['TRYTOND_DATABASE_URI'] = uri
    demo = demo_module()
    print(f"CPC benchmark: {LINES:,} posted move lines on PostgreSQL",
        flush=True)
    begin = time.perf_counter()
    create_database(uri, DATABASE)
    demo.connect(DATABASE, str(ROOT / 'config' / 'trytond.conf'))
    company, units, fiscalyear = setup(demo)
    conn = connect(uri, DATABASE)
    start, end = generate(conn, company.id, fiscalyear.id, demo.Progress)
    print(f"data ready in {time.perf_counter() - begin:.0f} s", flush=True)

    raw_times, product_times = [], []
    for _ in range(RUNS):
        elapsed, raw = time_raw(conn, company.id, start, end)
        raw_times.append(elapsed)
        (elapsed, statements, sections, balances, currency,
            statement) = time_product(company.id, start, end)
        product_times.append(elapsed)
    conn.close()

    # same amounts to the centime: per unit and account type, and per
    # CPC section computed from the raw sums
    by_unit = {}
    for (unit_id, type_id), balance in raw.items():
        by_unit.setdefault(unit_id, {})[type_id] = balance
    equal = all(
        abs(balances.get(key, 0) - value) < Decimal('0.005')
        for key, value in raw.items()) and len(balances) == len(raw)
    for unit_id, unit_balances in by_unit.items():
        expected = statement(unit_balances, sections, currency)['sections']
        equal &= expected == statements[unit_id]['sections']

    raw_median = statistics.median(raw_times)
    product_median = statistics.median(product_times)
    ratio = product_median / raw_median
    print(f"raw SQL GROUP BY   median {raw_median * 1000:8.1f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in raw_times)})")
    print(f"product CPC/unit   median {product_median * 1000:8.1f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in product_times)})")
    print(f"ratio product/raw  {ratio:.2f}  (target <= 2.00)")
    print(f"results equal to the centime: {'yes' if equal else 'NO'}")
    for unit in units.values():
        sections_ = statements[unit.id]['sections']
        print(f"  {unit.code:5} I {sections_['I']:>16,}  II "
            f"{sections_['II']:>16,}  XIII {sections_['XIII']:>16,}")
    ok = equal and ratio <= 2 and product_median < 1
    print("CPC benchmark:", "targets met" if ok else "TARGETS MISSED")
    return 0 if equal else 1


if __name__ == '__main__':
    sys.exit(main())
