"""What the benchmarks share: the PostgreSQL server, a fresh database with
the casa modules, and scripts/demo.py's set-up functions."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_module():
    "scripts/demo.py as a module"
    spec = importlib.util.spec_from_file_location(
        'casa_demo', ROOT / 'scripts' / 'demo.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_uri():
    "TRYTOND_DATABASE_URI when it is PostgreSQL, else the local server"
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if not uri.startswith('postgresql'):
        uri = 'postgresql://postgres@127.0.0.1:5432/'
    return uri


def connect(uri, database, **kwargs):
    import psycopg
    return psycopg.connect(uri.rstrip('/') + '/' + database, **kwargs)


def create_database(uri, database):
    "(Re)create the database with every casa module activated"
    with connect(uri, 'postgres', autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % database)
    env = dict(os.environ, TRYTOND_DATABASE_URI=uri)
    subprocess.run([sys.executable, str(ROOT / 'scripts' / 'create_db.py'),
            '--database', database], env=env, check=True,
        stdout=subprocess.DEVNULL)
