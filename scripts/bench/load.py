#!/usr/bin/env python3
"""Load generator of the kiosk benchmark (its own process): POSTs passages
from several connections for a bounded number of requests and of seconds;
prints a JSON summary (events/s, p50, p99 in ms, errors) on its last line."""
import argparse
import datetime as dt
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import uuid


def worker(url, key, count, deadline, authorisations, latencies, errors,
        lock):
    parsed = urllib.parse.urlsplit(url)
    connection = None
    headers = {
        'Authorization': f'Bearer {key}',
        'Content-Type': 'application/json',
        }
    for i in range(count):
        if time.monotonic() > deadline:
            break
        n = (i * 7919) % max(authorisations, 1)
        if i % 5 == 4:
            plate = 'X%06d' % i   # unknown
        else:
            plate = '%05d-A-%d' % (n, n % 90 + 1)
        body = json.dumps({
                'uuid': str(uuid.uuid4()),
                'direction': 'in' if i % 2 == 0 else 'out',
                'plate': plate,
                'device_time': dt.datetime.now(
                    dt.timezone.utc).isoformat(),
                })
        start = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(
                    parsed.hostname, parsed.port, timeout=60)
            connection.request('POST', parsed.path, body, headers)
            response = connection.getresponse()
            response.read()
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
                latencies.append(elapsed)
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
    args = parser.parse_args()
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = -(-args.requests // args.concurrency)
    start = time.monotonic()
    deadline = start + args.seconds
    threads = [threading.Thread(target=worker, args=(
                args.url, args.key, per_thread, deadline,
                args.authorisations, latencies, errors, lock))
        for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(
        latencies) > 1 else [0] * 99
    print(json.dumps({
                'ok': len(latencies),
                'errors': len(errors),
                'elapsed': elapsed,
                'rate': len(latencies) / elapsed,
                'p50': quantiles[49],
                'p99': quantiles[98],
                }))


if __name__ == '__main__':
    main()
