# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Service sheets (prestations): the services a unit renders to a party
outside its own documents — renting equipment, cleaning, a late opening… —
priced by the tariffs and billed by the billing run like any operation."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import OperationError
from .localtime import local_today
from .mixin import BusinessUnitMixin
from .operation import BillableMixin


class Service(BillableMixin, BusinessUnitMixin, Workflow, ModelSQL,
        ModelView):
    "A sheet of services rendered to a party"
    __name__ = 'casa.service'
    __string__ = "Service Sheet"
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    number = fields.Char("Number", readonly=True)
    reference = fields.Char("Reference", states=_states)
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date("Date", required=True, states=_states)
    lines = fields.One2Many(
        'casa.service.line', 'service', "Lines", states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.states = cls._states
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('done', 'cancelled'),
            }
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') == 'cancelled',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return local_today()

    def get_rec_name(self, name):
        return '%s %s' % (self.number or '(%s)' % self.id, self.party.rec_name)

    def _operation_values(self):
        for line in self.lines:
            yield {
                'date': self.date,
                'party': self.party,
                'product': line.product,
                'quantity': line.quantity,
                'description': line.description,
                'payment': 'invoice',
                'billing_group': self.reference,
                }

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, services):
        for service in services:
            if not service.lines:
                raise OperationError(gettext(
                        'casa_base.msg_service_no_line',
                        service=service.rec_name))
            if not service.number:
                service.number = '%s/PS/%05d' % (
                    service.business_unit.code, service.id)
        cls.save(services)
        cls.create_operations(services)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, services):
        cls.cancel_operations(services)


class ServiceLine(ModelSQL, ModelView):
    "A service of a sheet"
    __name__ = 'casa.service.line'
    __string__ = "Service Line"

    service = fields.Many2One(
        'casa.service', "Service Sheet", required=True, ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[('type', '=', 'service')],
        context={'company': Eval('company', -1)}, depends={'company'})
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    description = fields.Char("Description")
    quantity = fields.Float(
        "Quantity", digits='uom', required=True,
        domain=[('quantity', '>=', 0)])
    uom = fields.Function(
        fields.Many2One('product.uom', "Unit of Measure"),
        'on_change_with_uom')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('service')

    @classmethod
    def default_quantity(cls):
        return 1.

    @fields.depends('service', '_parent_service.company')
    def on_change_with_company(self, name=None):
        return self.service.company if self.service else None

    @fields.depends('product')
    def on_change_with_uom(self, name=None):
        return self.product.default_uom if self.product else None
