#!/usr/bin/env python3
"""Load generator of the kiosk benchmark (its own process): POSTs passages
from several connections for a bounded number of requests and of seconds,
one per request or (--batch N) N per request to api/passages/batch; prints
a JSON summary (passages/s, p50, p99 of the requests in ms, errors) on its
last line."""
import argparse
import datetime as dt
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import uuid


def passage(i, authorisations):
    "The i-th passage of a connection: 1 in 5 of an unknown plate"
    n = (i * 7919) % max(authorisations, 1)
    if i % 5 == 4:
        plate = 'X%06d' % i   # unknown
    else:
        plate = '%05d-A-%d' % (n, n % 90 + 1)
    return {
        'uuid': str(uuid.uuid4()),
        'direction': 'in' if i % 2 == 0 else 'out',
        'plate': plate,
        'device_time': dt.datetime.now(dt.timezone.utc).isoformat(),
        }


def worker(url, key, count, deadline, authorisations, latencies, errors,
        lock, batch=0):
    """count requests (of batch passages each, if batch); latencies gets
    (ms, passages stored) of the requests that stored all theirs"""
    parsed = urllib.parse.urlsplit(url)
    connection = None
    headers = {
        'Authorization': f'Bearer {key}',
        'Content-Type': 'application/json',
        }
    for i in range(count):
        if time.monotonic() > deadline:
            break
        if batch:
            body = json.dumps({'passages': [
                        passage(i * batch + j, authorisations)
                        for j in range(batch)]})
        else:
            body = json.dumps(passage(i, authorisations))
        start = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(
                    parsed.hostname, parsed.port, timeout=60)
            connection.request('POST', parsed.path, body, headers)
            response = connection.getresponse()
            data = response.read()
            if batch:
                ok = response.status == 200 and all(
                    r['status'] == 201
                    for r in json.loads(data)['results'])
            else:
                ok = response.status == 201
            if response.getheader('Connection', '').lower() == 'close':
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException):
            ok = False
            connection = None
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            if ok:
                latencies.append((elapsed, batch or 1))
            else:
                errors.append(elapsed)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--url', required=True)
    parser.add_argument('--key', required=True)
    parser.add_argument('--requests', type=int, default=5000)
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument('--seconds', type=float, default=120)
    parser.add_argument('--authorisations', type=int, default=1000)
    parser.add_argument('--batch', type=int, default=0,
        help="passages per request (api/passages/batch), 0: one per "
        "request (api/passages)")
    args = parser.parse_args()
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = -(-args.requests // args.concurrency)
    start = time.monotonic()
    deadline = start + args.seconds
    threads = [threading.Thread(target=worker, args=(
                args.url, args.key, per_thread, deadline,
                args.authorisations, latencies, errors, lock, args.batch))
        for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    passages = sum(n for _, n in latencies)
    latencies = sorted(ms for ms, _ in latencies)
    quantiles = statistics.quantiles(latencies, n=100) if len(
        latencies) > 1 else [0] * 99
    print(json.dumps({
                'ok': passages,
                'requests': len(latencies),
                'errors': len(errors),
                'elapsed': elapsed,
                'rate': passages / elapsed,
                'p50': quantiles[49],
                'p99': quantiles[98],
                }))


if __name__ == '__main__':
    main()
