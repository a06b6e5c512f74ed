#!/usr/bin/env python3
"""Run every test of the Casa Prestations ERP with pytest.

SQLite by default (in memory); PostgreSQL when TRYTOND_DATABASE_URI is set to
a postgresql:// URI, e.g.

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ make test

Extra arguments go to pytest (make test PYTEST_ARGS="-k isolation").
The database cache (DB_CACHE) lives for one run only, so that a change of a
module is always tested on a fresh schema.
"""
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def postgresql_cleanup(uri, prefixes):
    "Drop the databases of a previous run"
    import psycopg
    conn = psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute('SELECT datname FROM pg_database')
        for name, in cursor.fetchall():
            if name.startswith(prefixes):
                cursor.execute(
                    'UPDATE pg_database SET datistemplate = false '
                    'WHERE datname = %s', (name,))
                cursor.execute('DROP DATABASE "%s"' % name)
    conn.close()


def main(argv):
    env = os.environ.copy()
    uri = env.get('TRYTOND_DATABASE_URI', 'sqlite://')
    env['TRYTOND_DATABASE_URI'] = uri
    backend = 'postgresql' if uri.startswith('postgresql') else 'sqlite'
    cache = ROOT / 'var' / 'test-cache' / backend
    shutil.rmtree(cache, ignore_errors=True)
    if backend == 'postgresql':
        env.setdefault('DB_NAME', 'casa_test')
        postgresql_cleanup(uri, (env['DB_NAME'], 'test-'))
        env['DB_CACHE'] = 'postgresql://'
    else:
        env.setdefault('DB_NAME', ':memory:')
        env['DB_CACHE'] = str(cache)
    env.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var' / 'db'))
    args = shlex.split(env.get('PYTEST_ARGS', '')) + argv
    print(f"Tests on {backend} ({uri})", flush=True)
    return subprocess.call(
        [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', *args],
        cwd=ROOT, env=env)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
