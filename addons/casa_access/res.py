# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import KioskKeyError, KioskKeyUnitError
from .kiosk import ClearKioskCacheMixin

APPLICATION = 'casa_access'


class UserApplication(ClearKioskCacheMixin, metaclass=PoolMeta):
    "A kiosk key: a gatekeeper at a gate"
    __name__ = 'res.user.application'

    gate = fields.Many2One(
        'casa.access.gate', "Gate", ondelete='CASCADE',
        states={
            'required': Eval('application') == APPLICATION,
            'invisible': Eval('application') != APPLICATION,
            },
        help="The gate the kiosk of this key stands at.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = ('casa_access', "Gate Kiosk")
        if selection not in cls.application.selection:
            cls.application.selection.append(selection)

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        for application in applications:
            application.check_gate()

    def check_gate(self):
        "The user of a kiosk key must be a gatekeeper of the gate's unit"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        if self.application != APPLICATION:
            return
        if not self.gate:
            raise KioskKeyError(gettext('casa_access.msg_key_no_gate'))
        user = self.user
        if not user:
            return
        group = ModelData.get_id('casa_base', 'group_gatekeeper')
        if group not in {g.id for g in user.groups}:
            raise KioskKeyError(gettext(
                    'casa_access.msg_key_user_not_gatekeeper',
                    user=user.rec_name))
        if not user.has_business_unit(self.gate.site.business_unit):
            raise KioskKeyUnitError(gettext(
                    'casa_access.msg_key_user_unit',
                    user=user.rec_name, gate=self.gate.rec_name))
