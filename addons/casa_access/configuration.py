# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Where the gate cash goes in the books"
    __name__ = 'casa.access.configuration'
    __string__ = "Site Access Configuration"

    shift_sequence = fields.Many2One(
        'ir.sequence', "Shift Sequence",
        domain=[
            ('sequence_type', '=',
                Id('casa_access', 'sequence_type_shift')),
            ])
    cash_loss_account = fields.Many2One(
        'account.account', "Cash Shortage Account",
        domain=[
            ('type.statement', '=', 'income'),
            ('closed', '!=', True),
            ],
        help="Debited with what is missing in the cash of a gate shift.")
    cash_gain_account = fields.Many2One(
        'account.account', "Cash Overage Account",
        domain=[
            ('type.statement', '=', 'income'),
            ('closed', '!=', True),
            ],
        help="Credited with what is in excess in the cash of a gate shift.")

    @classmethod
    def default_shift_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('casa_access', 'sequence_shift')
        except KeyError:
            return None
