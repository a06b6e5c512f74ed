# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Billable operations: what a unit did for a party and must be paid for.

Every operational document that earns a fee (a gate fee, a carcass weighed,
a market declaration, a parking session, a month of a stall, a permit, a
fine) uses ``BillableMixin``: it makes its ``casa.operation`` lines — party,
product, quantity, unit price from the tariff, unit, date — the way
``sale_subscription`` makes consumption lines.  The operations are the one
ledger of what is billable, whatever the module:

- paid on the spot (cash at a gate, a car-park exit): booked by the cash
  shift's receipt (``move``);
- on account: billed by the billing run (``billing.py``), which links each
  operation to its invoice line, exactly once.

The revenue-assurance view (``revenue.py``) reads this ledger.
"""
from decimal import Decimal

from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import OperationError
from .mixin import BusinessUnitMixin

PAYMENTS = [
    ('invoice', "On Account"),
    ('cash', "Paid on the Spot"),
    ]


class Operation(BusinessUnitMixin, ModelSQL, ModelView):
    "A billable operation of a business unit"
    __name__ = 'casa.operation'
    __string__ = "Billable Operation"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        readonly=True)
    date = fields.Date(
        "Date", required=True, readonly=True,
        help="The local date of the operation.")
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The document that made the operation.")
    party = fields.Many2One(
        'party.party', "Party", ondelete='RESTRICT', readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'required': Eval('payment') == 'invoice',
            })
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    description = fields.Char("Description", readonly=True)
    quantity = fields.Float(
        "Quantity", digits='uom', required=True, readonly=True)
    uom = fields.Many2One(
        'product.uom', "Unit of Measure", required=True,
        ondelete='RESTRICT', readonly=True)
    tariff = fields.Many2One(
        'casa.tariff', "Tariff", ondelete='RESTRICT', readonly=True,
        help="The tariff the operation was priced with.")
    unit_price = Monetary(
        "Unit Price", currency='currency', digits=price_digits,
        required=True, readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    payment = fields.Selection(
        PAYMENTS, "Payment", required=True, readonly=True)
    billing_group = fields.Char(
        "Billing Group", readonly=True,
        help="Operations of a party are invoiced together by group "
        "(e.g. a day, a reception); empty: one invoice per run.")
    invoice_line = fields.Many2One(
        'account.invoice.line', "Invoice Line", readonly=True,
        ondelete='SET NULL')
    invoice = fields.Function(
        fields.Many2One('account.invoice', "Invoice"), 'get_invoice',
        searcher='search_invoice')
    move = fields.Many2One(
        'account.move', "Cash Receipt", readonly=True, ondelete='RESTRICT',
        help="The entry of the cash shift that booked the operation.")
    billing_state = fields.Function(fields.Selection([
                ('to_bill', "To Bill"),
                ('billed', "Billed"),
                ('paid', "Paid"),
                ('cancelled', "Cancelled"),
                ], "Billing State"), 'get_billing_state')
    cancelled = fields.Boolean(
        "Cancelled", readonly=True,
        help="Voided: nothing is billed for the operation.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.business_unit, Index.Equality()),
                    (t.date, Index.Range())),
                Index(t, (t.invoice_line, Index.Equality()),
                    where=t.invoice_line != Null),
                Index(t, (t.origin, Index.Equality())),
                Index(t,
                    (t.business_unit, Index.Equality()),
                    (t.party, Index.Equality()),
                    (t.date, Index.Range()),
                    where=(t.invoice_line == Null)
                    & (t.payment == 'invoice')),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_payment(cls):
        return 'invoice'

    @classmethod
    def default_cancelled(cls):
        return False

    @classmethod
    def get_origins(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        models = [name for name, Model in pool.iterobject()
            if issubclass(Model, BillableMixin)]
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in sorted(models)]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_invoice(self, name):
        return self.invoice_line.invoice if self.invoice_line else None

    @classmethod
    def search_invoice(cls, name, clause):
        return [('invoice_line.invoice' + clause[0][len(name):],
                *clause[1:])]

    def get_billing_state(self, name):
        if self.cancelled:
            return 'cancelled'
        if self.move:
            return 'paid'
        if self.invoice_line:
            invoice = self.invoice_line.invoice
            return 'paid' if invoice.state == 'paid' else 'billed'
        return 'to_bill'

    def get_rec_name(self, name):
        return '%s %s × %s' % (
            self.date, self.quantity, self.product.rec_name)

    @classmethod
    def validate_fields(cls, operations, field_names):
        super().validate_fields(operations, field_names)
        for operation in operations:
            operation.check_values()

    def check_values(self):
        if self.quantity is None or self.quantity < 0:
            raise OperationError(gettext(
                    'casa_base.msg_operation_quantity',
                    operation=self.rec_name, quantity=self.quantity))
        if self.unit_price is None or self.unit_price < 0:
            raise OperationError(gettext(
                    'casa_base.msg_operation_price',
                    operation=self.rec_name))
        if self.payment == 'invoice' and not self.party:
            raise OperationError(gettext(
                    'casa_base.msg_operation_party',
                    operation=self.rec_name))

    @classmethod
    def check_modification(cls, mode, operations, values=None,
            external=False):
        super().check_modification(
            mode, operations, values=values, external=external)
        if mode == 'delete':
            for operation in operations:
                if operation.invoice_line or operation.move:
                    raise OperationError(gettext(
                            'casa_base.msg_operation_delete_billed',
                            operation=operation.rec_name))

    @classmethod
    def compute_amount(cls, quantity, unit_price, currency):
        return currency.round(Decimal(str(quantity)) * unit_price)

    def _invoice_line_key(self):
        "Operations of the same key share an invoice line"
        return (self.product.id, self.uom.id, self.unit_price,
            self.description or '')

    @classmethod
    def link(cls, links):
        """Link each operation to the invoice line that bills it: [(line,
        operations)]; refuse when one was billed meanwhile"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for line, operations in links:
            assert line.id is not None and line.id >= 0
            for sub_ids in _grouped([o.id for o in operations]):
                cursor.execute(*table.update(
                        [table.invoice_line], [line.id],
                        where=table.id.in_(sub_ids)
                        & (table.invoice_line == Null)))
                if cursor.rowcount not in (-1, None, len(sub_ids)):
                    raise OperationError(gettext(
                            'casa_base.msg_billing_run_conflict'))

    @classmethod
    def free(cls, invoice_lines):
        """Free the operations billed on the lines (their invoice was
        cancelled or deleted): the next run bills them again"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = [l.id for l in invoice_lines]
        for sub_ids in _grouped(ids):
            cursor.execute(*table.update(
                    [table.invoice_line], [Null],
                    where=table.invoice_line.in_(sub_ids)))


def _grouped(ids, size=1000):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


class BillableMixin(object):
    """A document that earns fees: it makes billable operations.

    A document defines ``_operation_values()`` returning the values of its
    operations (product, quantity, unit price or tariff, party, date,
    payment…) and calls ``create_operations(records)`` when it is done
    (``cancel_operations`` when it is voided).  The unit, company and origin
    are set here; the price comes from the tariff when not given."""
    __slots__ = ()

    operations = fields.One2Many(
        'casa.operation', 'origin', "Billable Operations", readonly=True)

    def _operation_values(self):
        "Yield the values of the operations of the document"
        return []

    @classmethod
    def create_operations(cls, records):
        "Make the operations of the records that have none yet"
        pool = Pool()
        Operation = pool.get('casa.operation')
        Tariff = pool.get('casa.tariff')
        to_create = []
        for record in records:
            if record.operations:
                continue
            for values in record._operation_values():
                values = dict(values)
                unit = values.setdefault(
                    'business_unit', record.business_unit)
                company = values.setdefault('company', unit.company)
                values.setdefault('origin', record)
                if values.get('unit_price') is None:
                    tariff = values.get('tariff') or Tariff.lookup(
                        values['product'], values['date'], unit,
                        **values.pop('conditions', {}))
                    values['tariff'] = tariff
                    values['unit_price'] = round_price(tariff.price)
                    values.setdefault('uom', tariff.uom)
                else:
                    values.pop('conditions', None)
                values.setdefault('uom', values['product'].default_uom)
                values['amount'] = Operation.compute_amount(
                    values['quantity'], values['unit_price'],
                    company.currency)
                to_create.append(Operation(**values))
        with without_check_access():
            Operation.save(to_create)
        return to_create

    @classmethod
    def cancel_operations(cls, records):
        "Void the operations of the records not billed yet"
        pool = Pool()
        Operation = pool.get('casa.operation')
        operations = [o for r in records for o in r.operations]
        billed = [o for o in operations if o.invoice_line or o.move]
        if billed:
            raise OperationError(gettext(
                    'casa_base.msg_operation_cancel_billed',
                    operation=billed[0].rec_name))
        with without_check_access():
            Operation.write(operations, {'cancelled': True})
