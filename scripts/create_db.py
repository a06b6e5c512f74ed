#!/usr/bin/env python3
"""Create a Casa Prestations database and activate the casa modules.

SQLite (the default) puts the database under $TRYTOND_DATABASE__PATH; with
TRYTOND_DATABASE_URI=postgresql://... the database is created on that server.
The admin password is the demo one unless CASA_ADMIN_PASSWORD is set.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ADMIN_PASSWORD = 'Casa-2026!'


def create_database(name):
    uri = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
    if uri.startswith('postgresql'):
        import psycopg
        conn = psycopg.connect(uri.rstrip('/') + '/postgres', autocommit=True)
        with conn.cursor() as cursor:
            cursor.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s', (name,))
            if not cursor.fetchone():
                cursor.execute(
                    'CREATE DATABASE "%s" ENCODING \'UTF8\' '
                    'TEMPLATE template0' % name)
        conn.close()
    else:
        path = Path(os.environ.get(
                'TRYTOND_DATABASE__PATH', ROOT / 'var' / 'db'))
        path.mkdir(parents=True, exist_ok=True)
        (path / f'{name}.sqlite').touch()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--database', default='casa')
    parser.add_argument('--modules', nargs='+', default=sorted(
            p.parent.name for p in ROOT.glob('addons/casa_*/tryton.cfg')),
        help="modules to activate (default: every casa module)")
    parser.add_argument('--config', default=str(ROOT / 'config/trytond.conf'))
    args = parser.parse_args()

    create_database(args.database)
    password = os.environ.get('CASA_ADMIN_PASSWORD', DEMO_ADMIN_PASSWORD)
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
        passfile.write(password)
        passfile.flush()
        env = dict(os.environ, TRYTONPASSFILE=passfile.name)
        admin = [str(Path(sys.executable).parent / 'trytond-admin'),
            '-c', args.config, '-d', args.database]
        print(f"Activating {', '.join(args.modules)} in {args.database}...",
            flush=True)
        subprocess.run(admin + [
                '-u', *args.modules, '--activate-dependencies',
                '--email', 'admin@casa-prestations.ma'],
            env=env, check=True)
        # Arabic exists once casa_base is active: load the modules'
        # translations in both languages (with casa_base's, our Arabic of
        # Tryton's modules: addons/casa_base/doc/translations.rst)
        print("Loading French and Arabic translations...", flush=True)
        subprocess.run(admin + ['-u', *args.modules, '-l', 'fr', 'ar'],
            env=env, check=True)


if __name__ == '__main__':
    main()
