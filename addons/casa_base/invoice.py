# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.transaction import without_check_access
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import BusinessUnitDistributionError
from .mixin import BusinessUnitMixin


class Invoice(BusinessUnitMixin, metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.states = {
            'readonly': Eval('state') != 'draft',
            }

    def _number_sequence(self, pattern=None):
        pattern = {} if pattern is None else pattern.copy()
        if self.business_unit:
            pattern.setdefault('business_unit', self.business_unit.id)
        return super()._number_sequence(pattern=pattern)

    def _credit(self, **values):
        "A credit note belongs to the unit of the invoice it credits"
        credit = super()._credit(**values)
        credit.business_unit = self.business_unit
        return credit

    def get_move(self):
        move = super().get_move()
        if not getattr(move, 'business_unit', None):
            move.business_unit = self.business_unit
        return move

    @classmethod
    def on_modification(cls, mode, invoices, field_names=None):
        pool = Pool()
        Line = pool.get('account.invoice.line')
        super().on_modification(mode, invoices, field_names=field_names)
        if mode == 'write' and (
                field_names is None or 'business_unit' in field_names):
            Line.set_business_unit_analytic(
                [l for i in invoices for l in i.lines])

    @classmethod
    def check_business_unit_distribution(cls, invoices):
        "Refuse invoices having a line whose amount misses its unit"
        for invoice in invoices:
            for line in invoice.line_lines:
                if not line.has_business_unit_distribution():
                    raise BusinessUnitDistributionError(gettext(
                            'casa_base.msg_invoice_line_no_business_unit',
                            line=line.rec_name,
                            invoice=invoice.rec_name,
                            unit=invoice.business_unit.rec_name))

    @classmethod
    def validate_invoice(cls, invoices):
        cls.check_business_unit_distribution(invoices)
        super().validate_invoice(invoices)

    @classmethod
    def _post(cls, invoices):
        cls.check_business_unit_distribution(invoices)
        super()._post(invoices)


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'
    # lines may exist without invoice: they are seen by the users of all units
    _business_unit_field = 'business_unit'

    business_unit = fields.Function(
        fields.Many2One('casa.business_unit', "Business Unit"),
        'on_change_with_business_unit', searcher='search_business_unit')

    @fields.depends('invoice', '_parent_invoice.business_unit')
    def on_change_with_business_unit(self, name=None):
        if self.invoice and self.invoice.business_unit:
            return self.invoice.business_unit

    @classmethod
    def search_business_unit(cls, name, clause):
        return [('invoice.' + clause[0],) + tuple(clause[1:])]

    def _business_unit_entry(self):
        "Return the analytic entry of the business units root, if any"
        unit = self.business_unit
        if not unit or not unit.analytic_account:
            return
        root = unit.analytic_account.root
        for entry in self.analytic_accounts or []:
            if entry.root == root:
                return entry

    def has_business_unit_distribution(self):
        entry = self._business_unit_entry()
        return bool(entry and entry.account
            and entry.account == self.business_unit.analytic_account)

    @classmethod
    def set_business_unit_analytic(cls, lines):
        """Put the amount of each draft line on the analytic account of its
        invoice's business unit"""
        pool = Pool()
        Entry = pool.get('analytic.account.entry')
        to_save = []
        for line in lines:
            if (line.type != 'line' or not line.invoice
                    or line.invoice.state != 'draft'):
                continue
            unit = line.business_unit
            if not unit or not unit.analytic_account:
                continue
            entry = line._business_unit_entry()
            if entry is None:
                entry = Entry(
                    origin=line, root=unit.analytic_account.root,
                    account=None)
            if entry.account != unit.analytic_account:
                entry.account = unit.analytic_account
                to_save.append(entry)
        if to_save:
            with without_check_access():
                Entry.save(to_save)

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        if mode == 'create' or (mode == 'write' and (field_names is None
                    or field_names & {'invoice', 'type'})):
            cls.set_business_unit_analytic(lines)


class InvoiceSequence(metaclass=PoolMeta):
    __name__ = 'account.fiscalyear.invoice_sequence'
    # a unit's numbering is the unit's; the company's is everybody's
    _business_units_field = 'business_unit'

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", ondelete='CASCADE',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Restricts the numbering to the invoices of the unit.")

    def match(self, pattern, match_none=False):
        unit = pattern.get('business_unit')
        if (unit is not None and self.business_unit is None
                and any(s.business_unit and s.business_unit.id == unit
                    for s in self.fiscalyear.invoice_sequences)):
            # the unit has its own numbering in this fiscal year
            return False
        return super().match(pattern, match_none=match_none)


class FiscalYear(metaclass=PoolMeta):
    __name__ = 'account.fiscalyear'

    @classmethod
    def on_modification(cls, mode, fiscalyears, field_names=None):
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        super().on_modification(mode, fiscalyears, field_names=field_names)
        if mode == 'create':
            with without_check_access():
                units = BusinessUnit.search([
                        ('company', 'in',
                            list({f.company.id for f in fiscalyears})),
                        ])
            if units:
                BusinessUnit.create_invoice_sequences(
                    units, fiscalyears=fiscalyears)


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'
    _business_unit_field = 'business_unit'

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Eval('state') == 'posted',
            },
        help="The business unit the entry belongs to; entries without "
        "one are seen only by users of all business units.")


class InvoicePaymentLine(metaclass=PoolMeta):
    __name__ = 'account.invoice-account.move.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('invoice')


class InvoiceAdditionalMove(metaclass=PoolMeta):
    __name__ = 'account.invoice-additional-account.move'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('invoice')


class InvoiceAlternativePayee(metaclass=PoolMeta):
    __name__ = 'account.invoice.alternative_payee'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('invoice')


class InvoiceLineTax(metaclass=PoolMeta):
    __name__ = 'account.invoice.line-account.tax'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('line')


class GeneralLedgerLine(metaclass=PoolMeta):
    __name__ = 'account.general_ledger.line'
    _business_unit_field = 'move.business_unit'


class Reconciliation(metaclass=PoolMeta):
    __name__ = 'account.move.reconciliation'
    # the reconciliation of lines of a unit's moves is the unit's
    _business_unit_field = 'lines.move.business_unit'
