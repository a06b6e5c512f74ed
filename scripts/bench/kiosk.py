#!/usr/bin/env python3
"""Benchmark: the kiosk's record-passage endpoint under load.

Builds on PostgreSQL a database ``casa_bench_kiosk`` with the casa modules,
a company, a unit, a site with a gate, a gatekeeper and the kiosk key of the
gate, CASA_BENCH_AUTHORISATIONS authorisations (default 2,000) and a
blacklist; serves it with gunicorn and CASA_BENCH_WORKERS trytond workers
(default 2, CASA_BENCH_THREADS threads each, default 4); then loads ``POST …/casa/access/api/passages`` from a separate
process on loopback (load.py: CASA_BENCH_REQUESTS requests, default 5,000,
CASA_BENCH_CONCURRENCY connections, default 8, at most CASA_BENCH_SECONDS
seconds) and reports the sustained events/s and the p50/p99 latencies.

Baseline, in the same run and the same database: a raw psycopg loop
INSERTing the same number of equivalent rows into the same table, one
transaction per event as the product.  Prints the ratio.
Targets: >= 500 events/s, p99 < 50 ms, >= 30 % of the raw INSERT rate.

Then the kiosk's batched sync, ``POST …/api/passages/batch``:
CASA_BENCH_BATCH_PASSAGES passages (default 40,000) in batches of
CASA_BENCH_BATCH (default 200) from CASA_BENCH_BATCH_CONCURRENCY connections
(default 4), against a raw psycopg loop INSERTing the same rows (those the
batches stored, with new UUIDs: the same verdicts, foreign keys and indexes)
one by one, one transaction per batch as the product; the same loop with one
transaction per row is printed too.
Targets: >= 2,000 passages/s and >= 70 % of the raw INSERT rate (one
transaction per batch).
CASA_BENCH_REUSE=1 reuses the database of a previous run.
"""
import configparser
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from common import ROOT, connect, create_database, demo_module, server_uri

HERE = Path(__file__).resolve().parent
DATABASE = 'casa_bench_kiosk'
AUTHORISATIONS = int(os.environ.get('CASA_BENCH_AUTHORISATIONS', 2000))
REQUESTS = int(os.environ.get('CASA_BENCH_REQUESTS', 5000))
CONCURRENCY = int(os.environ.get('CASA_BENCH_CONCURRENCY', 8))
SECONDS = int(os.environ.get('CASA_BENCH_SECONDS', 120))
WORKERS = int(os.environ.get('CASA_BENCH_WORKERS', 2))
THREADS = int(os.environ.get('CASA_BENCH_THREADS', 4))
TARGET_RATE, TARGET_P99, TARGET_RATIO = 500, 50, 0.30
BATCH = int(os.environ.get('CASA_BENCH_BATCH', 200))
BATCH_PASSAGES = int(os.environ.get('CASA_BENCH_BATCH_PASSAGES', 40000))
BATCH_CONCURRENCY = int(os.environ.get('CASA_BENCH_BATCH_CONCURRENCY', 4))
TARGET_BATCH_RATE, TARGET_BATCH_RATIO = 2000, 0.70


def setup(demo):
    "Company, unit, site, gate, gatekeeper, key, authorisations (proteus)"
    from proteus import Model
    from trytond.modules.casa_access.tests.tools import (
        create_authorisation, create_fee_product, create_kiosk_key,
        create_site, create_tariff)
    from trytond.modules.casa_base.tests.tools import (
        create_business_unit, create_user)
    progress = demo.Progress(4, "Company and site")
    demo.setup_company(progress)
    unit = create_business_unit("Abattoirs", 'ABT', 'slaughterhouse')
    progress.step()
    site = create_site(unit, 'ABT1', "Abattoir", capacity=5000)
    gate, = site.gates
    gatekeeper = create_user('garde', "Garde", 'role_gatekeeper', [unit])
    key = create_kiosk_key(gatekeeper, gate)
    product = create_fee_product("Droit d'entrée", None)
    create_tariff(site, 'truck', 30, product)
    progress.step()
    # the bulk of the authorisations, with the ORM in batches
    Authorisation = Model.get('casa.access.authorisation')
    Category = Model.get('casa.access.category')
    Vehicle = Model.get('casa.access.vehicle_category')
    Site = Model.get('casa.access.site')
    chevillard, = Category.find([('code', '=', 'chevillard')])
    truck, = Vehicle.find([('code', '=', 'truck')])
    create_authorisation("Premier", 'chevillard', [site], plate='1-A-1',
        vehicle='truck')
    bulk = demo.Progress(AUTHORISATIONS, "Authorisations")
    batch = []
    for i in range(AUTHORISATIONS):
        authorisation = Authorisation(name="Chevillard %05d" % i,
            category=chevillard, vehicle_category=truck,
            plate='%05d-أ-%d' % (i, i % 90 + 1))
        authorisation.sites.append(Site(site.id))
        batch.append(authorisation)
        if len(batch) == 500:
            Authorisation.save(batch)
            bulk.step(len(batch))
            batch = []
    if batch:
        Authorisation.save(batch)
        bulk.step(len(batch))
    Blacklist = Model.get('casa.access.blacklist')
    Blacklist.save([Blacklist(kind='plate', value='%05d-B-1' % i,
                reason="Bench") for i in range(200)])
    progress.step()
    return key, site.id, gate.id, gatekeeper.id


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_server(uri, port, tmp):
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / 'config' / 'trytond.conf', encoding='utf-8')
    config.set('database', 'uri', uri)
    if not config.has_section('web'):
        config.add_section('web')
    config_file = tmp / 'trytond.conf'
    with config_file.open('w', encoding='utf-8') as fp:
        config.write(fp)
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_')}
    env.update({
            'TRYTOND_CONFIG': str(config_file),
            'TRYTOND_DATABASE_NAMES': DATABASE,
            'TRYTOND_LOGGING_LEVEL': '40',
            })
    log = (tmp / 'gunicorn.log').open('wb')
    process = subprocess.Popen([
            str(Path(sys.executable).parent / 'gunicorn'),
            '--workers', str(WORKERS), '--bind', f'127.0.0.1:{port}',
            # threads overlap a worker's database waits; keep-alive
            # connections spare a TCP handshake per passage
            '--worker-class', 'gthread', '--threads', str(THREADS),
            '--keep-alive', '30', '--backlog', '2048',
            '--timeout', '120', 'trytond.application:app'],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    url = f'http://127.0.0.1:{port}/{DATABASE}/casa/access/kiosk'
    while True:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited:\n%s" % (
                    tmp / 'gunicorn.log').read_text()[-4000:])
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn does not answer")
        time.sleep(0.3)
    return process


def load(port, key, requests, concurrency, seconds, warmup=False,
        batch=0):
    """Run load.py in its own process (requests of batch passages to
    api/passages/batch, if batch); return its JSON summary"""
    route = 'api/passages/batch' if batch else 'api/passages'
    output = subprocess.run([sys.executable, str(HERE / 'load.py'),
            '--url', f'http://127.0.0.1:{port}/{DATABASE}/casa/access/'
            + route,
            '--key', key, '--requests', str(requests),
            '--concurrency', str(concurrency), '--seconds', str(seconds),
            '--authorisations', str(AUTHORISATIONS),
            '--batch', str(batch)],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def raw_inserts(uri, count, site_id, gate_id, user_id, company_id,
        unit_id):
    """The baseline: the same rows INSERTed by psycopg, one transaction
    per event; return events/s"""
    conn = connect(uri, DATABASE, autocommit=True)
    sql = ("INSERT INTO casa_access_passage (create_uid, create_date, "
        "company, business_unit, uuid, site, gate, direction, timestamp, "
        "device_time, offline, plate, identity, verdict, reason, fee, "
        "gatekeeper) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "%s, %s, %s, %s, %s, %s, %s)")
    start = time.perf_counter()
    with conn.cursor() as cursor:
        for i in range(count):
            now = dt.datetime.now()
            cursor.execute(sql, (user_id, now, company_id, unit_id,
                    str(uuid.uuid4()), site_id, gate_id,
                    'in' if i % 2 else 'out', now, now, False,
                    'RAW%06d' % i, 'P:RAW%06d' % i, 'refused', 'unknown',
                    0, user_id))
    elapsed = time.perf_counter() - start
    conn.close()
    return count / elapsed


def last_passage(uri):
    with connect(uri, DATABASE) as conn:
        return conn.execute(
            'SELECT COALESCE(MAX(id), 0) FROM casa_access_passage'
            ).fetchone()[0]


def raw_copies(uri, after_id, until_id, batch=0):
    """The baseline of the batched sync: the passages stored after after_id
    until until_id INSERTed again one by one by psycopg (new UUIDs), one transaction per
    batch rows (or per row); return rows/s"""
    conn = connect(uri, DATABASE, autocommit=not batch)
    columns = [c for c, in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'casa_access_passage' "
            "AND column_name NOT IN ('id', 'uuid') ORDER BY column_name")]
    rows = conn.execute('SELECT %s FROM casa_access_passage WHERE id > %%s '
        'AND id <= %%s ORDER BY id' % ', '.join(
            '"%s"' % c for c in columns),
        (after_id, until_id)).fetchall()
    if not batch:
        conn.commit()
    sql = 'INSERT INTO casa_access_passage (uuid, %s) VALUES (%s)' % (
        ', '.join('"%s"' % c for c in columns),
        ', '.join(['%s'] * (len(columns) + 1)))
    start = time.perf_counter()
    with conn.cursor() as cursor:
        for i, row in enumerate(rows):
            cursor.execute(sql, (str(uuid.uuid4()), *row))
            if batch and (i % batch == batch - 1 or i == len(rows) - 1):
                conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def report_batch(uri, batched, after_id, until_id):
    "Print the figures of the batched sync; return the targets missed"
    raw_rate = raw_copies(uri, after_id, until_id, batch=BATCH)
    raw_each = raw_copies(uri, after_id, until_id)
    rate = batched['rate']
    ratio = rate / raw_rate
    print(f"batched sync ({BATCH} per request, {BATCH_CONCURRENCY} "
        f"connections): {batched['ok']} passages in {batched['requests']} "
        f"requests, {batched['elapsed']:.1f} s, {rate:.0f} passages/s, "
        f"request p50 {batched['p50']:.1f} ms, p99 {batched['p99']:.1f} ms,"
        f" errors {batched['errors']}")
    print(f"raw psycopg INSERT loop of the same rows, one transaction per "
        f"{BATCH} rows: {raw_rate:.0f} rows/s; one per row: "
        f"{raw_each:.0f} rows/s")
    print(f"ratio batched/raw: {ratio:.2f} (per batch), "
        f"{rate / raw_each:.2f} (per row)")
    failures = []
    if rate < TARGET_BATCH_RATE:
        failures.append(
            f"batched rate {rate:.0f} < {TARGET_BATCH_RATE} passages/s")
    if ratio < TARGET_BATCH_RATIO:
        failures.append(f"batched ratio {ratio:.2f} < {TARGET_BATCH_RATIO}")
    if batched['errors']:
        failures.append("batched errors")
    return failures


def main():
    uri = server_uri()
    os.environ['TRYTOND_DATABASE_URI'] = uri
    print(f"Kiosk benchmark on {uri}{DATABASE}: {AUTHORISATIONS} "
        f"authorisations, {WORKERS} workers x {THREADS} threads, "
        f"{REQUESTS} requests, "
        f"{CONCURRENCY} connections; batches of {BATCH}, "
        f"{BATCH_PASSAGES} passages, {BATCH_CONCURRENCY} connections",
        flush=True)
    if os.environ.get('CASA_BENCH_REUSE'):
        # a database of a previous run (for experiments with the load)
        with connect(uri, DATABASE) as conn:
            key, = conn.execute(
                "SELECT key FROM res_user_application "
                "WHERE application = 'casa_access'").fetchone()
            site_id, gate_id, user_id = conn.execute(
                "SELECT s.id, g.id, u.id FROM casa_access_site s "
                "JOIN casa_access_gate g ON g.site = s.id, res_user u "
                "WHERE u.login = 'garde'").fetchone()
    else:
        create_database(uri, DATABASE)
        demo = demo_module()
        demo.connect(DATABASE, None)
        key, site_id, gate_id, user_id = setup(demo)
    with connect(uri, DATABASE) as conn:
        company_id, unit_id = conn.execute(
            'SELECT company, business_unit FROM casa_access_site '
            'WHERE id = %s', (site_id,)).fetchone()
    tmp = Path(tempfile.mkdtemp(prefix='casa-bench-kiosk-'))
    port = free_port()
    server = start_server(uri, port, tmp)
    try:
        load(port, key, 200, CONCURRENCY, 30, warmup=True)
        result = load(port, key, REQUESTS, CONCURRENCY, SECONDS)
        if BATCH_PASSAGES:
            load(port, key, 4, BATCH_CONCURRENCY, 30, warmup=True,
                batch=BATCH)
            after_id = last_passage(uri)
            batched = load(port, key, -(-BATCH_PASSAGES // BATCH),
                BATCH_CONCURRENCY, SECONDS, batch=BATCH)
            until_id = last_passage(uri)
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_rate = raw_inserts(uri, result['ok'], site_id, gate_id, user_id,
        company_id, unit_id)
    with connect(uri, DATABASE) as conn:
        stored, distinct = conn.execute(
            'SELECT COUNT(*), COUNT(DISTINCT uuid) FROM casa_access_passage '
            "WHERE plate NOT LIKE 'RAW%%'").fetchone()
    rate = result['rate']
    ratio = rate / raw_rate
    print(f"record passage: {result['ok']} events in {result['elapsed']:.1f}"
        f" s, {rate:.0f} events/s, p50 {result['p50']:.1f} ms, p99 "
        f"{result['p99']:.1f} ms, errors {result['errors']}")
    print(f"raw psycopg INSERT loop: {raw_rate:.0f} rows/s")
    print(f"ratio product/raw: {ratio:.2f}")
    print(f"stored: {stored} passages, {distinct} distinct UUIDs")
    failures = []
    if rate < TARGET_RATE:
        failures.append(f"rate {rate:.0f} < {TARGET_RATE} events/s")
    if result['p99'] >= TARGET_P99:
        failures.append(f"p99 {result['p99']:.1f} >= {TARGET_P99} ms")
    if ratio < TARGET_RATIO:
        failures.append(f"ratio {ratio:.2f} < {TARGET_RATIO}")
    if result['errors'] or stored != distinct:
        failures.append("errors or duplicates")
    if BATCH_PASSAGES:
        failures += report_batch(uri, batched, after_id, until_id)
    print("targets: " + ("met" if not failures else
            "MISSED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
