#!/usr/bin/env python3
"""Benchmarks of the billing platform of casa_base, on PostgreSQL.

1. **Billing run**: CASA_BENCH_OPERATIONS (default 100,000) billable
   operations of CASA_BENCH_PARTIES (2,000) parties, one unit, one month,
   billed by the product's billing run (batches of parties, each committed,
   invoices created and posted, each operation linked to its invoice line);
   in the same run, the same invoices (same parties, lines, quantities and
   prices) created and posted directly through the ORM for another unit,
   without the run's search, locks and links.  Targets: at least 1,000
   operations/s, and the run at most 1.3x the direct path.
2. **Revenue assurance** over CASA_BENCH_RA_OPERATIONS (1,000,000)
   operations of three units over a year (half of them billed): the
   product's view (casa.operation.revenue, read through the ORM as the
   client does) against a hand-written SQL of the same figures, in the same
   run, equal to the centime.  Targets: at most 2x the SQL, under 2 s.
"""
import datetime as dt
import logging
import os
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal

from common import ROOT, connect, create_database, demo_module, server_uri

DATABASE = 'casa_bench_billing'
OPERATIONS = int(os.environ.get('CASA_BENCH_OPERATIONS', 100_000))
PARTIES = int(os.environ.get('CASA_BENCH_PARTIES', 2_000))
RA_OPERATIONS = int(os.environ.get('CASA_BENCH_RA_OPERATIONS', 1_000_000))
RUNS = 5


def setup(demo):
    "The demo company, chart, units, a service with its tariff, parties"
    from proteus import Model
    today = dt.date.today()
    progress = demo.Progress(4 + len(demo.UNITS), "Company and units")
    demo.setup_company(progress)
    company, _, _, _ = demo.setup_accounting(today, progress)
    units = demo.setup_units(company, progress)
    products = demo.setup_products(company)
    product = next(iter(products.values()))
    Tariff = Model.get('casa.tariff')
    Tariff(product=product, price=Decimal('12.5'),
        start_date=dt.date(today.year, 1, 1)).save()
    FiscalYear = Model.get('account.fiscalyear')
    fiscalyear, = FiscalYear.find([('company', '=', company.id)])
    return company, list(units.values()), product, fiscalyear


def insert_parties(conn, count):
    with conn.cursor() as cursor:
        cursor.execute("""
            INSERT INTO party_party (name, code, active, create_uid,
                create_date)
            SELECT 'Client ' || g, 'BENCH' || g, true, 0, now()
            FROM generate_series(1, %s) g
            RETURNING id""", (count,))
        ids = sorted(i for i, in cursor)
        # an invoice needs the party's address (as a party made in the
        # client has one)
        cursor.execute("""
            INSERT INTO party_address (party, street_unstructured, city, active,
                sequence, create_uid, create_date)
            SELECT p, 'Rue ' || p, 'Casablanca', true, 10, 0, now()
            FROM unnest(%s::int[]) p""", (ids,))
    conn.commit()
    return ids


def insert_operations(conn, count, company, units, product, tariff, uom,
        parties, start, days):
    """Operations spread over the units, parties and days: quantities 1 to
    10, the tariff's price"""
    with conn.cursor() as cursor:
        cursor.execute("""
            INSERT INTO casa_operation (company, business_unit, date, party,
                product, quantity, uom, tariff, unit_price, amount, payment,
                cancelled, create_uid, create_date)
            SELECT %(company)s,
                (%(units)s::int[])[1 + g %% cardinality(%(units)s::int[])],
                %(start)s::date + (g %% %(days)s::int),
                (%(parties)s::int[])[
                    1 + (g / cardinality(%(units)s::int[]))
                    %% cardinality(%(parties)s::int[])],
                %(product)s, 1 + g %% 10, %(uom)s, %(tariff)s, 12.5,
                12.5 * (1 + g %% 10), 'invoice', false, 0, now()
            FROM generate_series(1, %(count)s) g
            """, {
                'company': company, 'units': units, 'start': start,
                'days': days, 'parties': parties, 'product': product,
                'uom': uom, 'tariff': tariff, 'count': count})
    conn.commit()


def time_run(company_id, unit_id, end_date):
    """Bill the unit with the product's billing run: its batches run as the
    queued tasks they are (as after a request without a worker: one
    transaction each, retried on lock)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task
    pool = Pool(DATABASE)
    start = time.perf_counter()
    with Transaction().start(DATABASE, 0,
            context={'company': company_id}) as transaction:
        Run = pool.get('casa.billing.run')
        BusinessUnit = pool.get('casa.business_unit')
        unit = BusinessUnit(unit_id)
        run, = Run.create([{
                    'company': unit.company.id, 'business_unit': unit.id,
                    'end_date': end_date, 'invoice_date': end_date}])
        Run.run([run])
        run_id = run.id
    # the tasks the run queued, run after its commit as trytond does after
    # a request when no worker is configured; the archive copies of the
    # posted invoices (account_invoice queues print_invoice for the
    # worker) are left to the worker, as in time_direct
    tasks = list(transaction.tasks)
    while tasks:
        task_id = tasks.pop()
        if _task_method(pool, task_id) == ('casa.billing.run', 'process'):
            run_task(pool, task_id)
    elapsed = time.perf_counter() - start
    with Transaction().start(DATABASE, 0, readonly=True):
        run = pool.get('casa.billing.run')(run_id)
        assert run.state == 'done', run.state
        return elapsed, run.billed_count, run.invoice_count


def _task_method(pool, task_id):
    "(model, method) of a queued task"
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True):
        data = pool.get('ir.queue')(task_id).data
        return data['model'], data['method']


def time_direct(company_id, source_unit_id, target_unit_id, end_date):
    """Create and post, through the ORM, the invoices the run made for the
    source unit, for the target unit, batch by batch like the run"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(DATABASE)
    # what to invoice, read before the clock starts
    with Transaction().start(DATABASE, 0, readonly=True):
        Invoice = pool.get('account.invoice')
        plan = []
        for invoice in Invoice.search([
                    ('business_unit', '=', source_unit_id),
                    ('billing_run', '!=', None)], order=[('party', 'ASC')]):
            plan.append((invoice.party.id, [
                        (l.product.id, l.unit.id, l.quantity, l.unit_price,
                            l.description, l.account.id,
                            [t.id for t in l.taxes])
                        for l in invoice.lines]))
    batch = 200
    start = time.perf_counter()
    for first in range(0, len(plan), batch):
        _retried(pool, company_id, lambda: _direct_batch(
                pool, plan[first:first + batch], target_unit_id, end_date))
    return time.perf_counter() - start


def _retried(pool, company_id, func):
    """Run func in a transaction, started again with the locks it asks
    for (posting locks the invoices' records), as trytond's own
    with_transaction does"""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(DATABASE, 0,
                context={'company': company_id}, **extras) as transaction:
            try:
                return func()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)


def _direct_batch(pool, parties, target_unit_id, end_date):
    "Create and post the invoices of a batch of parties"
    Invoice = pool.get('account.invoice')
    Line = pool.get('account.invoice.line')
    BusinessUnit = pool.get('casa.business_unit')
    Party = pool.get('party.party')
    unit = BusinessUnit(target_unit_id)
    invoices, lines = [], []
    for party_id, invoice_lines in parties:
        invoice = Invoice(type='out', company=unit.company,
            business_unit=unit, party=Party(party_id),
            invoice_date=end_date, currency=unit.company.currency)
        invoice.on_change_type()
        invoice.on_change_party()
        invoices.append(invoice)
        for (product, uom, quantity, price, description, account,
                taxes) in invoice_lines:
            lines.append(Line(invoice=invoice, type='line',
                    product=product, unit=uom, quantity=quantity,
                    unit_price=price, description=description,
                    account=account, taxes=taxes,
                    company=unit.company,
                    currency=unit.company.currency))
    Invoice.save(invoices)
    Line.save(lines)
    Invoice.post(invoices)


RA_SQL = """
SELECT o.business_unit, p.id,
    SUM(CASE WHEN NOT o.cancelled THEN 1 ELSE 0 END),
    SUM(CASE WHEN NOT o.cancelled THEN o.amount ELSE 0 END),
    SUM(CASE WHEN NOT o.cancelled AND o.invoice_line IS NOT NULL
        THEN o.amount ELSE 0 END),
    SUM(CASE WHEN NOT o.cancelled AND (o.move IS NOT NULL
        OR i.state = 'paid') THEN o.amount ELSE 0 END),
    SUM(CASE WHEN NOT o.cancelled AND o.invoice_line IS NULL
        AND o.move IS NULL THEN o.amount ELSE 0 END)
FROM casa_operation o
JOIN account_period p ON p.type = 'standard'
    AND o.date BETWEEN p.start_date AND p.end_date
JOIN account_fiscalyear f ON f.id = p.fiscalyear AND f.company = o.company
LEFT JOIN account_invoice_line l ON l.id = o.invoice_line
LEFT JOIN account_invoice i ON i.id = l.invoice
WHERE f.id = %(fiscalyear)s
GROUP BY o.business_unit, p.id
"""


def time_ra_sql(conn, fiscalyear):
    start = time.perf_counter()
    with conn.cursor() as cursor:
        cursor.execute(RA_SQL, {'fiscalyear': fiscalyear})
        rows = {(u, p): tuple(r) for u, p, *r in cursor}
    return time.perf_counter() - start, rows


def time_ra_product(company_id, fiscalyear):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(DATABASE)
    start = time.perf_counter()
    with Transaction().start(DATABASE, 0, readonly=True,
            context={'company': company_id, 'fiscalyear': fiscalyear}):
        Revenue = pool.get('casa.operation.revenue')
        rows = Revenue.search_read([], fields_names=[
                'business_unit', 'period', 'operation_count', 'amount',
                'billed_amount', 'paid_amount', 'to_bill_amount'])
    elapsed = time.perf_counter() - start
    return elapsed, {
        (r['business_unit'], r['period']): (
            r['operation_count'], r['amount'], r['billed_amount'],
            r['paid_amount'], r['to_bill_amount'])
        for r in rows if r['operation_count']}


def main():
    logging.basicConfig(level=getattr(logging, os.environ.get("CASA_BENCH_LOG", "WARNING")))
    uri = server_uri()
    os.environ['TRYTOND_DATABASE_URI'] = uri
    demo = demo_module()
    print(f"Billing benchmark: {OPERATIONS:,} operations of {PARTIES:,} "
        f"parties; revenue assurance over {RA_OPERATIONS:,} operations "
        "(PostgreSQL)", flush=True)
    begin = time.perf_counter()
    create_database(uri, DATABASE)
    demo.connect(DATABASE, str(ROOT / 'config' / 'trytond.conf'))
    company, units, product, fiscalyear = setup(demo)
    conn = connect(uri, DATABASE)
    with conn.cursor() as cursor:
        cursor.execute("SELECT id, uom FROM casa_tariff LIMIT 1")
        tariff, uom = cursor.fetchone()
    today = dt.date.today()
    month_start = dt.date(today.year, today.month, 1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) \
        - dt.timedelta(days=1)
    parties = insert_parties(conn, PARTIES)
    insert_operations(conn, OPERATIONS, company.id, [units[0].id],
        product.id, tariff, uom, parties, month_start,
        (month_end - month_start).days + 1)
    print(f"data ready in {time.perf_counter() - begin:.0f} s", flush=True)

    run_time, billed, invoices = time_run(
        company.id, units[0].id, month_end)
    direct_time = time_direct(
        company.id, units[0].id, units[1].id, month_end)
    rate = billed / run_time
    ratio = run_time / direct_time
    print(f"billing run       {run_time:7.1f} s  {billed:,} operations, "
        f"{invoices:,} invoices posted: {rate:,.0f} operations/s "
        "(target >= 1,000)")
    print(f"direct ORM        {direct_time:7.1f} s  the same invoices "
        "created and posted")
    print(f"ratio run/direct  {ratio:.2f}  (target <= 1.30)")
    billing_ok = billed == OPERATIONS and rate >= 1000 and ratio <= 1.3

    # revenue assurance: a year of operations of every unit
    year_start = fiscalyear.start_date
    insert_operations(conn, RA_OPERATIONS - OPERATIONS, company.id,
        [u.id for u in units], product.id, tariff, uom, parties, year_start,
        (fiscalyear.end_date - year_start).days + 1)
    with conn.cursor() as cursor:
        # half of them billed on the run's lines
        cursor.execute("""
            UPDATE casa_operation SET invoice_line = (
                SELECT MIN(id) FROM account_invoice_line)
            WHERE invoice_line IS NULL AND MOD(id, 2) = 0""")
        cursor.execute("ANALYZE")
    conn.commit()
    sql_times, product_times = [], []
    for _ in range(RUNS):
        elapsed, sql_rows = time_ra_sql(conn, fiscalyear.id)
        sql_times.append(elapsed)
        elapsed, product_rows = time_ra_product(company.id, fiscalyear.id)
        product_times.append(elapsed)
    conn.close()
    equal = sql_rows.keys() == product_rows.keys() and all(
        sql_rows[k][0] == product_rows[k][0]
        and all(abs(Decimal(a) - Decimal(b)) < Decimal('0.005')
            for a, b in zip(sql_rows[k][1:], product_rows[k][1:]))
        for k in sql_rows)
    sql_median = statistics.median(sql_times)
    product_median = statistics.median(product_times)
    ra_ratio = product_median / sql_median
    print(f"revenue assurance SQL     median {sql_median * 1000:8.1f} ms")
    print(f"revenue assurance product median {product_median * 1000:8.1f} "
        "ms")
    print(f"ratio product/SQL {ra_ratio:.2f}  (target <= 2.00, product "
        "< 2 s)")
    print(f"results equal to the centime: {'yes' if equal else 'NO'}")
    ra_ok = equal and ra_ratio <= 2 and product_median < 2
    print("Billing benchmark:",
        "targets met" if billing_ok and ra_ok else "TARGETS MISSED")
    return 0 if equal and billed == OPERATIONS else 1


if __name__ == '__main__':
    sys.exit(main())
