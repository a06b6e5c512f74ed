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


# the columns the lists of sao draw (Sao.View.TreeXMLViewParser.WIDGETS): a
# DateTime or a Timestamp is drawn as two columns, widget="date" and
# widget="time"; anything else stops sao from drawing the list (its screen
# stays empty: "ColumnFactory is not a constructor")
SAO_LIST_WIDGETS = {
    'binary', 'boolean', 'callto', 'char', 'date', 'dict', 'email', 'float',
    'image', 'integer', 'many2many', 'many2one', 'multiselection', 'numeric',
    'one2many', 'one2one', 'progressbar', 'reference', 'selection', 'sip',
    'text', 'time', 'timedelta', 'url',
    }


class ListViewTestMixin:
    "sao can draw every list the module defines or extends"

    @with_transaction()
    def test_list_views_drawable(self):
        "Every column of the module's lists is one sao can draw"
        from lxml import etree
        pool = Pool()
        View = pool.get('ir.ui.view')
        roots = set()
        for view in View.search([('module', '=', self.module)]):
            while view.inherit:
                view = view.inherit
            if view.type == 'tree':
                roots.add(view)
        for view in roots:
            Model = pool.get(view.model)
            result = Model.fields_view_get(view_id=view.id)
            arch = etree.fromstring(result['arch'])
            for field in arch.iter('field'):
                name = field.get('name')
                widget = field.get('widget') or result['fields'][name]['type']
                with self.subTest(view=view.name, field=name):
                    self.assertIn(widget, SAO_LIST_WIDGETS)
