# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The translations we ship for Tryton's own modules, in the languages
Tryton does not ship (Arabic): locale_tryton/<lang>/<module>.po, loaded
with casa_base's own translations.  See doc/translations.rst."""
from pathlib import Path

from trytond.pool import Pool, PoolMeta

TRYTON_LOCALE = Path(__file__).resolve().parent / 'locale_tryton'


def tryton_locale_files(lang):
    "module name -> our .po of that module in lang"
    directory = TRYTON_LOCALE / lang
    if not directory.is_dir():
        return {}
    return {path.stem: path for path in sorted(directory.glob('*.po'))}


class Translation(metaclass=PoolMeta):
    __name__ = 'ir.translation'

    @classmethod
    def translation_import(cls, lang, module, po_path):
        count = super().translation_import(lang, module, po_path)
        # trytond loads a module's translations from its own locale/
        # directory only: ours of the other modules come with casa_base's,
        # which trytond loads after them (casa_base depends on them) at
        # every creation or update of the database, and with the button
        # "Load translations" of the languages
        if module == 'casa_base':
            count += cls.import_tryton_locale(lang)
        return count

    @classmethod
    def import_tryton_locale(cls, lang):
        """Import our .po of every activated module in lang, under that
        module's name (as if it shipped it)"""
        pool = Pool()
        Module = pool.get('ir.module')
        files = tryton_locale_files(lang)
        if not files:
            return 0
        modules = Module.search([
                ('name', 'in', list(files)),
                ('state', 'in', ['activated', 'to activate', 'to upgrade']),
                ])
        count = 0
        for module in modules:
            count += super().translation_import(
                lang, module.name, [str(files[module.name])])
        return count
