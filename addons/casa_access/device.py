# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The gate kiosk, a kind of device (casa_base.device): its key is a key of
the application ``casa_access``, held by a gatekeeper of the unit, and the
device names the gate it stands at."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .exceptions import KioskKeyError, KioskKeyUnitError
from .kiosk import ClearKioskCacheMixin

APPLICATION = 'casa_access'


class Device(ClearKioskCacheMixin, metaclass=PoolMeta):
    __name__ = 'casa.device'

    gate = fields.Many2One(
        'casa.access.gate', "Gate", ondelete='RESTRICT',
        domain=[
            ('site.business_unit', '=', Eval('business_unit', -1)),
            ],
        states={
            'required': Eval('kind') == 'kiosk',
            'invisible': Eval('kind') != 'kiosk',
            },
        help="The gate the kiosk stands at.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = ('kiosk', "Gate Kiosk")
        if selection not in cls.kind.selection:
            cls.kind.selection.append(selection)
        cls._kinds['kiosk'] = (APPLICATION, 'casa_base.group_gatekeeper')

    @classmethod
    def validate_fields(cls, devices, field_names):
        super().validate_fields(devices, field_names)
        for device in devices:
            device.check_gate()

    def check_gate(self):
        "A kiosk names a gate of a site of its unit"
        if self.kind != 'kiosk':
            return
        if not self.gate:
            raise KioskKeyError(gettext(
                    'casa_access.msg_device_no_gate', device=self.rec_name))
        if self.gate.site.business_unit != self.business_unit:
            raise KioskKeyUnitError(gettext(
                    'casa_access.msg_device_gate_unit',
                    device=self.rec_name, gate=self.gate.rec_name,
                    unit=self.business_unit.rec_name))
