# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)

from .kiosk import ClearKioskCacheMixin


class _CodedMixin(
        ClearKioskCacheMixin, DeactivableMixin, sequence_ordered(),
        ModelSQL, ModelView):
    __slots__ = ()
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True, translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'casa_access.msg_code_unique'),
            ]

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]


class AccessCategory(_CodedMixin):
    "Who comes in: staff, mandataire, chevillard, supplier, visitor…"
    __name__ = 'casa.access.category'
    __string__ = "Access Category"

    overstay_limit = fields.TimeDelta(
        "Overstay Limit",
        help="Someone of this category inside longer than this is listed "
        "as overstaying (leave empty for no limit).")
    fee_exempt = fields.Boolean(
        "Fee Exempt",
        help="People of this category pay no entry fee (e.g. staff).")

    @classmethod
    def default_fee_exempt(cls):
        return False

    def overstay_threshold(self, now):
        "The entry time before which one of this category overstays"
        if self.overstay_limit is None:
            return None
        return now - self.overstay_limit


class VehicleCategory(_CodedMixin):
    "The kind of vehicle an entry fee depends on"
    __name__ = 'casa.access.vehicle_category'
    __string__ = "Vehicle Category"


