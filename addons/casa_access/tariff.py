# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal

from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import TariffError
from .kiosk import ClearKioskCacheMixin


class Tariff(ClearKioskCacheMixin, ModelSQL, ModelView):
    """The entry fee of a vehicle category at a site for a period: data, so a
    council decision changes a record, not the code"""
    __name__ = 'casa.access.tariff'
    __string__ = "Entry Tariff"

    site = fields.Many2One(
        'casa.access.site', "Site", required=True, ondelete='CASCADE')
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category", required=True,
        ondelete='RESTRICT')
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[('type', '=', 'service')],
        help="The service sold: its revenue account receives the fees.")
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        domain=[('amount', '>=', 0)])
    start_date = fields.Date(
        "Start Date", required=True,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('site')
        cls._order = [
            ('site', 'ASC'), ('vehicle_category', 'ASC'),
            ('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def validate_fields(cls, tariffs, field_names):
        super().validate_fields(tariffs, field_names)
        for tariff in tariffs:
            tariff.check_overlap()

    def check_overlap(self):
        "Two tariffs of a site and vehicle category may not overlap"
        table = self.__table__()
        cursor = Transaction().connection.cursor()
        far = self.end_date or self.start_date.replace(year=9999)
        cursor.execute(*table.select(table.id,
                where=(table.site == self.site.id)
                & (table.vehicle_category == self.vehicle_category.id)
                & (table.id != self.id)
                & (table.start_date <= far)
                & (Coalesce(table.end_date, far) >= self.start_date),
                limit=1))
        if cursor.fetchone():
            raise TariffError(gettext(
                    'casa_access.msg_tariff_overlap',
                    site=self.site.rec_name,
                    category=self.vehicle_category.rec_name))

    @classmethod
    def find(cls, site, vehicle_category, date):
        """The tariff of the site and vehicle category (ids) on the date, or
        None"""
        if not vehicle_category:
            return None
        tariffs = cls.search([
                ('site', '=', site),
                ('vehicle_category', '=', vehicle_category),
                ('start_date', '<=', date),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', date),
                    ],
                ], limit=1)
        return tariffs[0] if tariffs else None


ZERO = Decimal('0.00')
