# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Gate shifts: the cash a gatekeeper collects, expected from the log,
declared at closing, and booked as the business unit's revenue."""
import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, fields
from trytond.model.exceptions import SQLConstraintError
from trytond.modules.casa_base.localtime import local_date
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.pool import Pool
from trytond.tools import grouped_slice, reduce_ids
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import ShiftError, ShiftStateError
from .verdict import ZERO

logger = logging.getLogger(__name__)


class Shift(BusinessUnitMixin, ModelSQL, ModelView):
    "A gatekeeper's shift on a gate, and its cash"
    __name__ = 'casa.access.shift'
    __string__ = "Gate Shift"
    _rec_name = 'number'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    number = fields.Char("Number", readonly=True)
    site = fields.Many2One(
        'casa.access.site', "Site", required=True, readonly=True,
        ondelete='RESTRICT')
    gate = fields.Many2One(
        'casa.access.gate', "Gate", required=True, readonly=True,
        ondelete='RESTRICT')
    gatekeeper = fields.Many2One(
        'res.user', "Gatekeeper", required=True, readonly=True,
        ondelete='RESTRICT')
    opened_at = fields.Timestamp("Opened At", required=True, readonly=True)
    closed_at = fields.Timestamp("Closed At", readonly=True)
    passages = fields.One2Many(
        'casa.access.passage', 'shift', "Passages", readonly=True)
    passage_count = fields.Function(
        fields.Integer("Passages"), 'get_amounts')
    expected_amount = fields.Function(
        fields.Numeric("Expected Cash", digits=(16, 2),
            help="The entry fees of the allowed passages of the shift."),
        'get_amounts')
    declared_amount = fields.Numeric(
        "Declared Cash", digits=(16, 2), readonly=True,
        help="The cash the gatekeeper counted at closing.")
    difference = fields.Function(
        fields.Numeric("Difference", digits=(16, 2),
            help="Declared minus expected: negative when cash is missing."),
        'get_amounts')
    note = fields.Text(
        "Note", states={'readonly': Eval('state') != 'open'})
    move = fields.Many2One(
        'account.move', "Cash Receipt", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        cls._order = [('opened_at', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        # one open shift per gate, kept by the database (a unique partial
        # index on SQLite, an exclusion constraint on PostgreSQL): a shift
        # is open until its closing time is set, in the same UPDATE as its
        # state (see close)
        cls._sql_constraints = [
            ('gate_open_exclude',
                Exclude(t, (t.gate, Equal), where=t.closed_at == Null),
                'casa_access.msg_shift_open_unique'),
            ]

    @classmethod
    def __register__(cls, module):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if backend.TableHandler.table_exist(cls._table):
            cls._close_duplicate_open_shifts(table, cursor)
        super().__register__(module)

    @classmethod
    def _close_duplicate_open_shifts(cls, table, cursor):
        """Migration: before the database kept one open shift per gate,
        simultaneous openings could leave two; the latest one (the one the
        kiosk shows and closes) stays open, the others are closed without
        booking, to be checked by a manager"""
        cursor.execute(*table.select(table.id, table.gate, table.number,
                where=table.closed_at == Null,
                order_by=[table.gate, table.opened_at.desc, table.id.desc]))
        gates, duplicates = set(), []
        for shift_id, gate, number in cursor.fetchall():
            if gate in gates:
                duplicates.append((shift_id, number))
            gates.add(gate)
        if duplicates:
            logger.warning(
                "Closed without booking, as a second open shift of their "
                "gate: %s", ', '.join(str(n or i) for i, n in duplicates))
            cursor.execute(*table.update(
                    [table.state, table.closed_at],
                    ['closed', dt.datetime.now()],
                    where=table.id.in_([i for i, _ in duplicates])))

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def get_amounts(cls, shifts, names):
        pool = Pool()
        Passage = pool.get('casa.access.passage')
        passage = Passage.__table__()
        cursor = Transaction().connection.cursor()
        counts = {s.id: 0 for s in shifts}
        expected = {s.id: ZERO for s in shifts}
        for sub_ids in grouped_slice([s.id for s in shifts]):
            cursor.execute(*passage.select(
                    passage.shift, Count(passage.id),
                    Sum(Case(
                            (passage.verdict == 'allowed', passage.fee),
                            else_=0)),
                    where=reduce_ids(passage.shift, sub_ids),
                    group_by=[passage.shift]))
            for shift_id, count, amount in cursor:
                counts[shift_id] = count
                expected[shift_id] = Decimal(amount or 0).quantize(
                    Decimal('0.01'))
        for shift_id, amount in cls._other_cash(shifts).items():
            expected[shift_id] += amount
        result = {}
        if 'passage_count' in names:
            result['passage_count'] = counts
        if 'expected_amount' in names:
            result['expected_amount'] = expected
        if 'difference' in names:
            result['difference'] = {
                s.id: (s.declared_amount - expected[s.id]
                    if s.declared_amount is not None else None)
                for s in shifts}
        return result

    @classmethod
    def _other_cash(cls, shifts):
        """{shift id: the cash the shift collected besides the entry fees
        of its passages} (e.g. parking sessions paid at the exit): the
        modules extend it"""
        return {}

    def _other_revenue(self):
        """{revenue account: amount} of the cash the shift collected
        besides the entry fees (the same as _other_cash)"""
        return {}

    def _booked(self, move):
        "The cash receipt of the shift is posted: the modules extend it"
        pass

    @classmethod
    def current(cls, gate):
        "The open shift of the gate, or None"
        with without_check_access():
            shifts = cls.search([
                    ('gate', '=', gate.id),
                    ('state', '=', 'open'),
                    ], limit=1)
        return shifts[0] if shifts else None

    @classmethod
    def open_on(cls, gate, gatekeeper):
        """Open the gatekeeper's shift on the gate; the passages logged on
        the gate outside any shift (e.g. synced after a closing) join it"""
        pool = Pool()
        Passage = pool.get('casa.access.passage')
        Configuration = pool.get('casa.access.configuration')
        if cls.current(gate):
            raise ShiftStateError(gettext(
                    'casa_access.msg_shift_already_open',
                    gate=gate.rec_name))
        config = Configuration(1)
        now = dt.datetime.now()
        shift = cls(
            company=gate.site.company, business_unit=gate.site.business_unit,
            site=gate.site, gate=gate, gatekeeper=gatekeeper, opened_at=now,
            number=config.shift_sequence.get()
            if config.shift_sequence else None)
        # written before the insert: on PostgreSQL a refused insert aborts
        # the transaction, which can then read nothing, not even a message
        already_open = gettext(
            'casa_access.msg_shift_already_open', gate=gate.rec_name)
        try:
            with without_check_access():
                shift.save()
        except SQLConstraintError:
            # opened by a simultaneous request since current() was read
            raise ShiftStateError(already_open)
        with Transaction().set_user(0), without_check_access():
            orphans = Passage.search([
                    ('gate', '=', gate.id),
                    ('shift', '=', None),
                    ('verdict', '=', 'allowed'),
                    ('fee', '>', 0),
                    ])
            if orphans:
                Passage.write(orphans, {'shift': shift.id})
        return shift

    def close(self, declared_amount, note=None):
        """Close the shift with the cash counted and book its revenue.

        The shift goes from open to closed in one conditional UPDATE: of
        simultaneous closings, the first one closes and books, the others
        find no open shift to change and are refused (on PostgreSQL they
        wait for the first one's row lock, then fail to serialise and are
        retried)."""
        cls = self.__class__
        table = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.update(
                [table.state, table.closed_at,
                    table.write_uid, table.write_date],
                ['closed', dt.datetime.now(),
                    transaction.user, CurrentTimestamp()],
                where=(table.id == self.id) & (table.state == 'open')
                & (table.closed_at == Null)))
        if cursor.rowcount != 1:
            raise ShiftStateError(gettext(
                    'casa_access.msg_shift_not_open', shift=self.rec_name))
        values = {'declared_amount': declared_amount}
        if note:
            values['note'] = note
        with without_check_access():
            # also forgets the values read before the UPDATE
            cls.write([self], values)
        cls(self.id).book()

    @property
    def posting_date(self):
        """The local date of the closing: a shift closed at 00:30 in
        Casablanca on the 1st is booked on the 1st, in its month's period"""
        return local_date(self.closed_at, self.company)

    def book(self):
        """Post the cash receipt of the shift: cash debited with what was
        declared, the fees credited to the revenue of their product on the
        unit's analytic account, the difference to shortage or overage"""
        pool = Pool()
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Configuration = pool.get('casa.access.configuration')
        Passage = pool.get('casa.access.passage')
        with without_check_access():
            passages = Passage.search([
                    ('shift', '=', self.id),
                    ('verdict', '=', 'allowed'),
                    ('fee', '>', 0),
                    ])
            revenue = defaultdict(lambda: ZERO)
            for passage in passages:
                account = passage.tariff.product.account_revenue_used
                revenue[account] += passage.fee
            for account, amount in self._other_revenue().items():
                revenue[account] += amount
            expected = sum(revenue.values(), ZERO)
            declared = self.declared_amount or ZERO
            if not expected and not declared:
                return
            site = self.site
            config = Configuration(1)
            if not site.cash_journal or not site.cash_account:
                raise ShiftError(gettext(
                        'casa_access.msg_site_no_cash_account',
                        site=site.rec_name))
            date = self.posting_date
            company = self.company
            period = Period.find(company, date=date)
            lines = []
            if declared:
                lines.append(self._move_line(site.cash_account, declared, 0))
            for account, amount in sorted(
                    revenue.items(), key=lambda i: i[0].code or ''):
                lines.append(self._move_line(account, 0, amount, date))
            difference = declared - expected
            if difference:
                account = (config.cash_gain_account if difference > 0
                    else config.cash_loss_account)
                if not account:
                    raise ShiftError(gettext(
                            'casa_access.msg_no_cash_difference_account',
                            shift=self.rec_name))
                lines.append(self._move_line(
                        account, max(-difference, 0), max(difference, 0),
                        date))
            move = Move(
                company=company, journal=site.cash_journal, period=period,
                date=date, origin=self,
                business_unit=self.business_unit,
                description=gettext(
                    'casa_access.msg_shift_move_description',
                    shift=self.number or '', gate=self.gate.rec_name),
                lines=lines)
            move.save()
            Move.post([move])
            self.move = move
            self.save()
            self._booked(move)

    def _move_line(self, account, debit, credit, date=None):
        pool = Pool()
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        line = Line(account=account, debit=debit, credit=credit)
        if date and account.type and (
                account.type.statement == 'income'):
            line.analytic_lines = [AnalyticLine(
                    account=self.business_unit.analytic_account,
                    debit=debit, credit=credit, date=date)]
        return line

    @classmethod
    def check_modification(cls, mode, shifts, values=None, external=False):
        super().check_modification(
            mode, shifts, values=values, external=external)
        if mode == 'delete':
            for shift in shifts:
                if shift.passages or shift.move:
                    raise ShiftError(gettext(
                            'casa_access.msg_shift_delete',
                            shift=shift.rec_name))
        elif mode == 'write' and external and values:
            for shift in shifts:
                if shift.state != 'open' and set(values) - {'note'}:
                    raise ShiftError(gettext(
                            'casa_access.msg_shift_closed',
                            shift=shift.rec_name))
