# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The billing run: the operations on account of a unit, up to a date,
invoiced exactly once.

A run groups the operations to bill per party (and billing group) into
customer invoices of the unit — one line per product and price, the way
``sale_subscription`` groups consumption lines — posts them and links each
operation to its invoice line.  It works by batches of parties, each batch in
a transaction of its own (queued: with a worker the run goes on in the
background and its progress shows in the form), so a run of 100,000
operations commits as it goes and can be followed.

Run twice, billed once: an operation linked to an invoice line is never
billed again, and the operations of a batch are locked while it bills them.
A cancelled (or deleted) invoice frees its operations for the next run.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from sql.aggregate import Count, Sum

from trytond import config
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .localtime import local_today
from .mixin import BusinessUnitMixin
from .operation import _grouped

BATCH_PARTIES = 200


class BillingRun(BusinessUnitMixin, Workflow, ModelSQL, ModelView):
    "A billing run of a business unit"
    __name__ = 'casa.billing.run'
    __string__ = "Billing Run"
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_states)
    start_date = fields.Date(
        "From", states=_states,
        help="Leave empty to bill every operation not billed yet.")
    end_date = fields.Date(
        "To", required=True, states=_states,
        domain=[
            If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ()),
            ],
        help="The operations of this day and before are billed.")
    invoice_date = fields.Date("Invoice Date", required=True, states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)
    progress = fields.Float(
        "Progress", digits=(1, 4), readonly=True,
        help="The share of the operations to bill that are billed.")
    operation_count = fields.Integer(
        "Operations to Bill", readonly=True,
        help="The operations found to bill when the run started.")
    billed_count = fields.Integer("Operations Billed", readonly=True)
    invoice_count = fields.Function(
        fields.Integer("Invoices"), 'get_totals')
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'get_totals')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    invoices = fields.One2Many(
        'account.invoice', 'billing_run', "Invoices", readonly=True)
    started_at = fields.Timestamp("Started At", readonly=True)
    finished_at = fields.Timestamp("Finished At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.states = cls._states
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'done'),
            }
        cls._buttons.update({
                'run': {
                    'invisible': Eval('state') != 'draft',
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
    def default_progress(cls):
        return 0.

    @classmethod
    def default_end_date(cls):
        return local_today() - dt.timedelta(days=1)

    @classmethod
    def default_invoice_date(cls):
        return local_today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_totals(cls, runs, names):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoice = Invoice.__table__()
        cursor = Transaction().connection.cursor()
        counts = {r.id: 0 for r in runs}
        amounts = {r.id: Decimal(0) for r in runs}
        cursor.execute(*invoice.select(
                invoice.billing_run, Count(invoice.id),
                Sum(invoice.total_amount_cache),
                where=invoice.billing_run.in_([r.id for r in runs])
                & (invoice.state != 'cancelled'),
                group_by=[invoice.billing_run]))
        for run_id, count, amount in cursor:
            counts[run_id] = count
            amounts[run_id] = Decimal(amount or 0)
        result = {}
        if 'invoice_count' in names:
            result['invoice_count'] = counts
        if 'amount' in names:
            result['amount'] = {
                r.id: r.currency.round(amounts[r.id]) for r in runs}
        return result

    def get_rec_name(self, name):
        return '%s — %s' % (self.business_unit.rec_name, self.end_date)

    def _operations_domain(self):
        domain = [
            ('business_unit', '=', self.business_unit.id),
            ('company', '=', self.company.id),
            ('payment', '=', 'invoice'),
            ('invoice_line', '=', None),
            ('cancelled', '=', False),
            ('date', '<=', self.end_date),
            ]
        if self.start_date:
            domain.append(('date', '>=', self.start_date))
        return domain

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def run(cls, runs):
        "Count what there is to bill and bill it, by batches"
        pool = Pool()
        Operation = pool.get('casa.operation')
        for run in runs:
            with without_check_access():
                run.operation_count = Operation.search(
                    run._operations_domain(), count=True)
            run.billed_count = 0
            run.progress = 0.
            run.started_at = dt.datetime.now()
        cls.save(runs)
        for run in runs:
            cls.__queue__.process([run])

    @classmethod
    def batch_size(cls):
        """The parties billed per batch: BATCH_PARTIES, or fewer when the
        context asks (billing_batch_size: never more)"""
        size = Transaction().context.get('billing_batch_size')
        if isinstance(size, int) and not isinstance(size, bool) \
                and 0 < size < BATCH_PARTIES:
            return size
        return BATCH_PARTIES

    @classmethod
    def process(cls, runs):
        """Bill the next batch of parties of each run, each batch committed
        on its own: queued as a task of its own when a worker runs the
        queue; else here, after this one is committed (trytond runs no
        task queued by a task without a worker: the run would stop at its
        first batch)"""
        worker = config.getboolean('queue', 'worker', default=False)
        for run in runs:
            while run.state == 'running':
                billed = run.bill_batch(cls.batch_size())
                run.billed_count = (run.billed_count or 0) + billed
                remaining = run.remaining()
                total = (run.billed_count or 0) + remaining
                # the field keeps 4 decimals: 2/3 would not validate
                run.progress = (round(run.billed_count / total, 4)
                    if total else 1.)
                if remaining and billed:
                    run.save()
                    if worker:
                        cls.__queue__.process([run])
                        break
                    Transaction().commit()
                    run = cls(run.id)
                else:
                    run.progress = 1.
                    run.finished_at = dt.datetime.now()
                    run.save()
                    cls.finish([run])

    @classmethod
    @Workflow.transition('done')
    def finish(cls, runs):
        pass

    def remaining(self):
        pool = Pool()
        Operation = pool.get('casa.operation')
        with without_check_access():
            return Operation.search(self._operations_domain(), count=True)

    def bill_batch(self, size):
        """Bill the operations of the next parties; return how many were
        billed"""
        pool = Pool()
        Operation = pool.get('casa.operation')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        operation = Operation.__table__()
        cursor = Transaction().connection.cursor()
        with without_check_access():
            where = Operation.search(
                self._operations_domain(), order=[], query=True)
            cursor.execute(*operation.select(
                    operation.party,
                    where=operation.id.in_(where),
                    group_by=[operation.party],
                    order_by=[operation.party],
                    limit=size))
            parties = [p for p, in cursor]
            if not parties:
                return 0
            found = Operation.search(
                self._operations_domain() + [('party', 'in', parties)],
                order=[('party', 'ASC'), ('billing_group', 'ASC'),
                    ('date', 'ASC'), ('id', 'ASC')])
            # another run may bill them at the same time: lock, read again
            Operation.lock(found)
            operations = []
            for party_operations in self._by_party(found):
                operations.extend(o for o in party_operations
                    if o.invoice_line is None)
            invoices, links = self._invoices(operations)
            Invoice.save(invoices)
            InvoiceLine.save([line for line, _ in links])
            Invoice.post(invoices)
            Operation.link(links)
        return len(operations)

    @staticmethod
    def _by_party(operations):
        """The operations, read again a party at a time: records browsed
        together read their fields together, and trytond checks the ids
        of the whole list at each record it makes, so a list of the whole
        batch would cost its square"""
        pool = Pool()
        Operation = pool.get('casa.operation')
        ids = [o.id for o in operations]
        parties = {}
        for sub_ids in _grouped(ids):
            parties.update((r['id'], r['party'])
                for r in Operation.read(sub_ids, ['party']))
        for _, party_ids in groupby(ids, key=parties.__getitem__):
            yield Operation.browse(list(party_ids))

    def _invoices(self, operations):
        """The invoices of the operations and, for each invoice line, the
        operations it bills"""
        links = []
        invoices = []
        for (party, group), party_operations in groupby(
                operations, key=lambda o: (o.party, o.billing_group or '')):
            invoice = self._invoice(party, group)
            by_line = defaultdict(list)
            for operation in party_operations:
                by_line[operation._invoice_line_key()].append(operation)
            for key, line_operations in by_line.items():
                line = self._invoice_line(invoice, line_operations)
                links.append((line, line_operations))
            invoices.append(invoice)
        return invoices, links

    def _invoice(self, party, group):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoice = Invoice(
            type='out', company=self.company,
            business_unit=self.business_unit, party=party,
            invoice_date=self.invoice_date, currency=self.company.currency,
            billing_run=self,
            description=group or None)
        invoice.on_change_type()
        invoice.on_change_party()
        return invoice

    def _invoice_line(self, invoice, operations):
        pool = Pool()
        Line = pool.get('account.invoice.line')
        first = operations[0]
        line = Line(
            invoice=invoice, type='line', company=self.company,
            currency=self.company.currency,
            product=first.product, unit=first.uom,
            quantity=sum(o.quantity for o in operations),
            description=first.description or first.product.rec_name)
        line.account = first.product.account_revenue_used
        line.taxes = _customer_taxes(first.product, invoice.party)
        line.unit_price = first.unit_price
        return line

    @classmethod
    def bill_cron(cls):
        """Bill, for every active unit, the operations up to yesterday
        (local date)"""
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        yesterday = local_today() - dt.timedelta(days=1)
        runs = []
        for unit in BusinessUnit.search([]):
            run = cls(
                company=unit.company, business_unit=unit,
                end_date=yesterday, invoice_date=local_today())
            if run.remaining():
                runs.append(run)
        cls.save(runs)
        cls.run(runs)


def _customer_taxes(product, party):
    "The customer taxes of the product for the party (its tax rule)"
    taxes = list(product.customer_taxes_used)
    rule = getattr(party, 'customer_tax_rule', None)
    if rule:
        mapped = []
        for tax in taxes:
            mapped.extend(rule.apply(tax, {}) or [])
        taxes = mapped
    return taxes


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    billing_run = fields.Many2One(
        'casa.billing.run', "Billing Run", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': ~Eval('billing_run'),
            })

    @classmethod
    def cancel(cls, invoices):
        "A cancelled invoice frees its operations for the next run"
        pool = Pool()
        Operation = pool.get('casa.operation')
        super().cancel(invoices)
        Operation.free([l for i in invoices for l in i.lines])

    @classmethod
    def _post(cls, invoices):
        """A credit note that credits an invoice line in full frees the
        operations of the line (crediting is how a posted customer invoice
        is undone)"""
        pool = Pool()
        Operation = pool.get('casa.operation')
        InvoiceLine = pool.get('account.invoice.line')
        super()._post(invoices)
        credited = []
        for invoice in invoices:
            if invoice.type != 'out':
                continue
            for line in invoice.lines:
                origin = line.origin
                if (isinstance(origin, InvoiceLine)
                        and origin.invoice.type == 'out'
                        and origin.quantity
                        and line.quantity == -origin.quantity
                        and line.unit_price == origin.unit_price):
                    credited.append(origin)
        if credited:
            Operation.free(credited)

    @classmethod
    def copy(cls, invoices, default=None):
        default = {} if default is None else default.copy()
        default.setdefault('billing_run', None)
        return super().copy(invoices, default=default)


class BillStart(ModelView):
    "Bill the operations of business units"
    __name__ = 'casa.billing.run.bill.start'
    __string__ = "Bill Operations"

    company = fields.Many2One('company.company', "Company", required=True)
    business_units = fields.Many2Many(
        'casa.business_unit', None, None, "Business Units", required=True,
        domain=[('company', '=', Eval('company', -1))])
    start_date = fields.Date("From")
    end_date = fields.Date("To", required=True)
    invoice_date = fields.Date("Invoice Date", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_business_units(cls):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        return [user.business_unit.id] if user.business_unit else []

    @classmethod
    def default_end_date(cls):
        return local_today() - dt.timedelta(days=1)

    @classmethod
    def default_invoice_date(cls):
        return local_today()


class Bill(Wizard):
    "Bill the operations of business units"
    __name__ = 'casa.billing.run.bill'
    start = StateView('casa.billing.run.bill.start',
        'casa_base.billing_run_bill_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Bill", 'bill', 'tryton-ok', default=True),
            ])
    bill = StateAction('casa_base.act_billing_run_form')

    def do_bill(self, action):
        pool = Pool()
        Run = pool.get('casa.billing.run')
        runs = Run.create([{
                    'company': self.start.company.id,
                    'business_unit': unit.id,
                    'start_date': self.start.start_date,
                    'end_date': self.start.end_date,
                    'invoice_date': self.start.invoice_date,
                    } for unit in self.start.business_units])
        Run.run(runs)
        action['domain'] = str([('id', 'in', [r.id for r in runs])])
        return action, {}


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('casa.billing.run|bill_cron', "Bill Operations"))
