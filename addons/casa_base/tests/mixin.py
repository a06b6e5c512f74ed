# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import os
import sys

import polib

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

LANGUAGES = ['fr', 'ar']


class TranslationTestMixin:
    "Every casa module is translated in French and Arabic"

    @with_transaction()
    def test_translations_complete(self):
        "Every string of the module is translated in French and Arabic"
        pool = Pool()
        Translation = pool.get('ir.translation')
        sources = {t.src for t in Translation.search([
                    ('module', '=', self.module),
                    ('lang', '=', 'en'),
                    ]) if t.src}
        self.assertTrue(sources)
        locale = os.path.join(os.path.dirname(
                sys.modules[self.__class__.__module__].__file__),
            '..', 'locale')
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(os.path.join(locale, f'{lang}.po'))
                translated = {
                    e.msgid for e in po if e.msgstr and not e.fuzzy}
                self.assertEqual(sources - translated, set())
