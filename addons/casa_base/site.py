# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Sites: the places where a business unit works — an abattoir, a market, a
car park, a pound — with their address, position (WGS84), capacity and cash
box.  The domain modules add what they need (gates, lairage pens, stalls,
zones…)."""
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import SiteError
from .mixin import BusinessUnitMixin, CodeNameMixin


class Site(
        CodeNameMixin, DeactivableMixin, BusinessUnitMixin, ModelSQL,
        ModelView):
    "A site of a business unit"
    __name__ = 'casa.site'
    __string__ = "Site"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    address = fields.Text("Address")
    latitude = fields.Numeric(
        "Latitude", digits=(10, 7),
        help="WGS84, in degrees (north positive).")
    longitude = fields.Numeric(
        "Longitude", digits=(10, 7),
        help="WGS84, in degrees (east positive).")
    capacity = fields.Integer(
        "Capacity", help="How many may be inside at once (0: no limit).")
    cash_journal = fields.Many2One(
        'account.journal', "Cash Journal", ondelete='RESTRICT',
        domain=[('type', '=', 'cash')],
        help="The journal of the cash collected on the site.")
    cash_account = fields.Many2One(
        'account.account', "Cash Account", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The cash box of the site (e.g. 5161 Caisses).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.company, t.code),
                'casa_base.msg_site_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_capacity(cls):
        return 0

    @classmethod
    def validate_fields(cls, sites, field_names):
        super().validate_fields(sites, field_names)
        for site in sites:
            if site.capacity is not None and site.capacity < 0:
                raise SiteError(gettext(
                        'casa_base.msg_site_capacity_negative',
                        site=site.rec_name))
            for value, limit in [
                    (site.latitude, 90), (site.longitude, 180)]:
                if value is not None and abs(value) > limit:
                    raise SiteError(gettext(
                            'casa_base.msg_site_coordinates',
                            site=site.rec_name))
            if (site.business_unit and site.company
                    and site.business_unit.company != site.company):
                raise SiteError(gettext(
                        'casa_base.msg_site_company', site=site.rec_name))
