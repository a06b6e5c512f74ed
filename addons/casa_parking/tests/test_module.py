# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.modules.casa_base.tests.mixin import (
    ListViewTestMixin, TranslationTestMixin)
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CasaParkingTestCase(
        ListViewTestMixin, TranslationTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Casa Parking module"
    module = 'casa_parking'
    extras = ['casa_l10n_ma']


del ModuleTestCase
