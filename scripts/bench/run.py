#!/usr/bin/env python3
"""make bench: every benchmark of the product, each printing its figures
against a baseline measured in the same run."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ['cpc.py', 'kiosk.py', 'billing.py', 'parking.py']


def main():
    status = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / name)])
    return status


if __name__ == '__main__':
    sys.exit(main())
