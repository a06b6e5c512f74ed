# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    sent_date = fields.Date(
        "Sent Date", readonly=True,
        states={
            'invisible': Eval('type') != 'out',
            },
        help="When the posted customer invoice was sent to the customer: "
        "set by printing it or with the \"Mark as Sent\" button.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._check_modify_exclude.add('sent_date')
        cls._buttons.update({
                'mark_sent': {
                    'invisible': ((Eval('type') != 'out')
                        | ~Eval('state').in_(['posted', 'paid'])
                        | Bool(Eval('sent_date'))),
                    'depends': ['type', 'state', 'sent_date'],
                    },
                })

    @classmethod
    def copy(cls, invoices, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('sent_date', None)
        return super().copy(invoices, default=default)

    @classmethod
    def set_sent(cls, invoices):
        "Record the posted customer invoices as sent today (once)"
        pool = Pool()
        Date = pool.get('ir.date')
        to_send = [i for i in invoices
            if i.type == 'out' and i.state in {'posted', 'paid'}
            and not i.sent_date]
        if not to_send:
            return
        with Transaction().set_context(company=to_send[0].company.id):
            today = Date.today()
        # a system mark: the users who may send or print the invoice may
        # not be allowed to write it
        with without_check_access():
            cls.write(cls.browse(to_send), {'sent_date': today})

    @classmethod
    def print_invoice(cls, invoices):
        # the report kept when posting is an archive, not a sending
        with Transaction().set_context(_casa_invoice_archive=True):
            super().print_invoice(invoices)

    @classmethod
    @ModelView.button
    def mark_sent(cls, invoices):
        cls.set_sent(invoices)


class InvoiceReport(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        result = super().execute(ids, data)
        # a posted invoice printed (or e-mailed) by a user is sent; the copy
        # Tryton keeps when posting (print_invoice) is not
        if not Transaction().context.get('_casa_invoice_archive'):
            Invoice.set_sent(Invoice.browse(list(map(int, ids))))
        return result


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _account_domain(cls, type_):
        domain = super()._account_domain(type_)
        if type_ == 'in':
            # CGNC class 2 is the fixed assets: acquisitions are invoiced
            # directly on them (VAT recoverable on fixed assets)
            domain.append([
                    ('code', 'like', '2%'),
                    ('type.statement', '=', 'balance'),
                    ('type.assets', '=', True),
                    ])
        return domain
