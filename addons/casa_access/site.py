# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.casa_base.mixin import BusinessUnitMixin, CodeNameMixin
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import SiteError
from .kiosk import ClearKioskCacheMixin


class Site(CodeNameMixin, ClearKioskCacheMixin, DeactivableMixin,
        BusinessUnitMixin, ModelSQL, ModelView):
    "A place whose gates are guarded: a slaughterhouse, a market, a car park"
    __name__ = 'casa.access.site'
    __string__ = "Site"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    address = fields.Text("Address")
    latitude = fields.Numeric("Latitude", digits=(3, 7))
    longitude = fields.Numeric("Longitude", digits=(3, 7))
    capacity = fields.Integer(
        "Capacity", help="How many may be inside at once (0: no limit).")
    admission = fields.Selection([
            ('authorised', "Authorised Only"),
            ('open', "Open to the Public"),
            ], "Admission", required=True,
        help="Authorised only: whoever has no authorisation is refused.\n"
        "Open: anyone not blacklisted may enter, paying the entry fee.")
    gates = fields.One2Many('casa.access.gate', 'site', "Gates")
    cash_journal = fields.Many2One(
        'account.journal', "Cash Journal",
        domain=[('type', '=', 'cash')],
        help="The journal of the entry fees collected at the gates.")
    cash_account = fields.Many2One(
        'account.account', "Cash Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        help="The cash box of the gates (e.g. 5161 Caisses).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.company, t.code),
                'casa_access.msg_site_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_admission(cls):
        return 'authorised'

    @classmethod
    def default_capacity(cls):
        return 0

    @classmethod
    def validate_fields(cls, sites, field_names):
        super().validate_fields(sites, field_names)
        for site in sites:
            if site.capacity is not None and site.capacity < 0:
                raise SiteError(gettext(
                        'casa_access.msg_site_capacity_negative',
                        site=site.rec_name))
            for value, limit in [
                    (site.latitude, 90), (site.longitude, 180)]:
                if value is not None and abs(value) > limit:
                    raise SiteError(gettext(
                            'casa_access.msg_site_coordinates',
                            site=site.rec_name))
            if (site.business_unit and site.company
                    and site.business_unit.company != site.company):
                raise SiteError(gettext(
                        'casa_access.msg_site_company',
                        site=site.rec_name))


class Gate(ClearKioskCacheMixin, DeactivableMixin, ModelSQL, ModelView):
    "A gate of a site, where the gatekeeper logs each passage"
    __name__ = 'casa.access.gate'
    __string__ = "Gate"

    site = fields.Many2One(
        'casa.access.site', "Site", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    direction = fields.Selection([
            ('both', "Entry and Exit"),
            ('entry', "Entry Only"),
            ('exit', "Exit Only"),
            ], "Direction", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('site')
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.site, t.code),
                'casa_access.msg_gate_code_unique'),
            ]
        cls._order = [('site', 'ASC'), ('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_direction(cls):
        return 'both'

    def get_rec_name(self, name):
        return '%s / %s' % (self.site.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ('site.code', operator, operand, *extra),
            ]
