# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Every addons/casa_* is the package trytond.modules.<name> and a
``trytond.modules`` entry point, so trytond-admin finds it."""
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
MODULES = sorted(
    p.parent.name for p in ROOT.glob('addons/casa_*/tryton.cfg'))

package_dir, packages, package_data = {}, [], {}
for module in MODULES:
    package = f'trytond.modules.{module}'
    package_dir[package] = f'addons/{module}'
    packages.append(package)
    if (ROOT / 'addons' / module / 'tests' / '__init__.py').exists():
        packages.append(f'{package}.tests')
    package_data[package] = [
        'tryton.cfg', '*.xml', 'view/*.xml', 'locale/*.po', 'doc/*',
        'tests/*.rst', '*.fodt', '*.odt', 'static/*', 'static/*/*',
        # casa_base: our translations of Tryton's modules and of sao
        'locale_tryton/*/*.po', 'locale_sao/*.po', 'sao/*']

setup(
    package_dir=package_dir,
    packages=packages,
    package_data=package_data,
    entry_points={
        'trytond.modules': [
            f'{m} = trytond.modules.{m}' for m in MODULES],
        },
    )
