# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Month-end closing: the checklist of each business unit, the closing and
reopening of periods."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.casa_base import BusinessUnitPeriodMixin
from trytond.modules.casa_base.unit_lines import undistributed_lines
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, PYSONEncoder
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ClosingChecklistError

# the checks of the list: (field, model of the offending records)
CHECKS = [
    ('draft_invoices', 'account.invoice'),
    ('unposted_moves', 'account.move'),
    ('lines_without_unit', 'account.move.line'),
    ('unreconciled_lines', 'account.move.line'),
    ]
# shown with their records but not blocking the closing: (field, model)
WARNINGS = [
    ('unsent_invoices', 'account.invoice'),
    ]
# the checks that do not block the closing on the row without unit: its
# revenue and costs distributed to no unit are the company's own (the
# year-end carries them as such)
COMPANY_WARNINGS = {'lines_without_unit'}


class ClosingChecklist(BusinessUnitPeriodMixin, ModelSQL, ModelView):
    """The checklist of each unit and month, and of the entries of the month
    without unit (the row without unit, for the users of all units)"""
    __name__ = 'casa.closing.checklist'
    __string__ = "Closing Checklist"
    _company_rows = True

    period_state = fields.Function(fields.Selection(
            'get_period_states', "Period State"), 'get_period_state')
    draft_invoices = fields.Function(fields.Integer(
            "Draft Invoices",
            help="Invoices of the month still in draft or validated."),
        'get_counts')
    unposted_moves = fields.Function(fields.Integer(
            "Unposted Moves", help="Entries of the month not posted."),
        'get_counts')
    lines_without_unit = fields.Function(fields.Integer(
            "Lines without Unit",
            help="Lines of the month's entries on income statement accounts "
            "whose amount is not wholly distributed to the analytic accounts "
            "of business units: that part is in no unit's figures.\n"
            "On the row without unit (entries without business unit), a "
            "reminder that does not prevent the closing."),
        'get_counts')
    unreconciled_lines = fields.Function(fields.Integer(
            "Unreconciled Bank Lines",
            help="Lines of the month on reconcilable bank and cash accounts "
            "(class 51) not reconciled."),
        'get_counts')
    unsent_invoices = fields.Function(fields.Integer(
            "Invoices not Sent",
            help="Posted customer invoices of the month not yet sent to the "
            "customer (printed or marked as sent). A reminder: it does not "
            "prevent closing the period."),
        'get_counts')
    clean = fields.Function(fields.Boolean(
            "Clean",
            help="Nothing prevents the closing of the period for the unit."),
        'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # the newest month first, the row without unit after the units
        cls._order = [
            ('month', 'DESC'),
            ('business_unit', 'ASC NULLS LAST'),
            ('id', 'ASC'),
            ]
        cls._buttons.update({
                'open_%s' % name: {
                    'invisible': ~Eval(name, 0),
                    'depends': [name],
                    }
                for name, _ in CHECKS + WARNINGS})
        cls._buttons.update({
                'close_period': {
                    'invisible': Eval('period_state') != 'open',
                    'depends': ['period_state'],
                    },
                })

    @classmethod
    def get_period_states(cls):
        pool = Pool()
        Period = pool.get('account.period')
        return Period.fields_get(['state'])['state']['selection']

    def get_period_state(self, name):
        return self.period.state

    @property
    def unit_name(self):
        if self.business_unit:
            return self.business_unit.rec_name
        return gettext('casa_l10n_ma.msg_checklist_without_unit')

    @property
    def _unit_id(self):
        return self.business_unit.id if self.business_unit else None

    def _domain_draft_invoices(self):
        return [
            ('company', '=', self.company.id),
            ('business_unit', '=', self._unit_id),
            ('state', 'in', ['draft', 'validated']),
            ('invoice_date', '>=', self.month),
            ('invoice_date', '<=', self.month_end),
            ]

    def _domain_unsent_invoices(self):
        return [
            ('company', '=', self.company.id),
            ('business_unit', '=', self._unit_id),
            ('type', '=', 'out'),
            ('state', 'in', ['posted', 'paid']),
            ('invoice_date', '>=', self.month),
            ('invoice_date', '<=', self.month_end),
            ('sent_date', '=', None),
            ]

    def _domain_unposted_moves(self):
        return [
            ('business_unit', '=', self._unit_id),
            ('period', '=', self.period.id),
            ('state', '=', 'draft'),
            ]

    def _domain_lines_without_unit(self):
        "The lines (casa_base.unit_lines.undistributed_lines) by their ids"
        lines = undistributed_lines(self.company.id, [self.period.id])
        return [
            ('id', 'in', lines.get((self._unit_id, self.period.id), [])),
            ]

    def _domain_unreconciled_lines(self):
        return [
            ('move.business_unit', '=', self._unit_id),
            ('move.period', '=', self.period.id),
            ('account.code', 'like', '51%'),
            ('account.reconcile', '=', True),
            ('reconciliation', '=', None),
            ]

    @classmethod
    def get_counts(cls, records, names):
        pool = Pool()
        result = {n: {} for n in names}
        wanted = set(names)
        if 'clean' in wanted:
            wanted.update(n for n, _ in CHECKS)
        undistributed = {}
        if 'lines_without_unit' in wanted:
            periods = {}
            for record in records:
                periods.setdefault(record.company.id, set()).add(
                    record.period.id)
            for company_id, period_ids in periods.items():
                undistributed.update(
                    undistributed_lines(company_id, list(period_ids)))
        with without_check_access():
            for record in records:
                counts = {}
                for name, model in CHECKS + WARNINGS:
                    if name not in wanted:
                        continue
                    if name == 'lines_without_unit':
                        counts[name] = len(undistributed.get(
                                (record._unit_id, record.period.id), []))
                        continue
                    Model = pool.get(model)
                    counts[name] = Model.search_count(
                        getattr(record, '_domain_%s' % name)())
                counts['clean'] = not any(
                    counts[n] for n in record._blocking_checks()
                    if n in counts)
                for name in names:
                    result[name][record.id] = counts[name]
        return result

    def _blocking_checks(self):
        "The names of the checks that prevent the closing"
        return [n for n, _ in CHECKS
            if self.business_unit or n not in COMPANY_WARNINGS]

    def problems(self):
        "Return the names of the checks that fail"
        names = [n for n in self._blocking_checks() if getattr(self, n)]
        # the labels in the user's language
        strings = self.__class__.fields_get(names)
        return [strings[n]['string'] for n in names]

    @classmethod
    def _open(cls, records, name, model):
        "Return the action values opening the records failing the check"
        pool = Pool()
        Model = pool.get('ir.model')
        if not records:
            return
        self = records[0]
        # the client adds the row's name (period and unit) in parentheses
        return {
            'name': cls.fields_get([name])[name]['string'],
            'res_model': model,
            'pyson_domain': PYSONEncoder().encode(
                getattr(self, '_domain_%s' % name)()),
            'model_name': Model.get_name(model),
            }

    @classmethod
    @ModelView.button_action('casa_l10n_ma.act_checklist_open_invoices')
    def open_draft_invoices(cls, records):
        return cls._open(records, 'draft_invoices', 'account.invoice')

    @classmethod
    @ModelView.button_action('casa_l10n_ma.act_checklist_open_invoices')
    def open_unsent_invoices(cls, records):
        return cls._open(records, 'unsent_invoices', 'account.invoice')

    @classmethod
    @ModelView.button_action('casa_l10n_ma.act_checklist_open_moves')
    def open_unposted_moves(cls, records):
        return cls._open(records, 'unposted_moves', 'account.move')

    @classmethod
    @ModelView.button_action('casa_l10n_ma.act_checklist_open_move_lines')
    def open_lines_without_unit(cls, records):
        return cls._open(records, 'lines_without_unit', 'account.move.line')

    @classmethod
    @ModelView.button_action('casa_l10n_ma.act_checklist_open_move_lines')
    def open_unreconciled_lines(cls, records):
        return cls._open(records, 'unreconciled_lines', 'account.move.line')


    @classmethod
    @ModelView.button
    def close_period(cls, records):
        """Close the periods of the rows, refused while a unit's checklist
        of the period is not clean"""
        pool = Pool()
        Period = pool.get('account.period')
        periods = Period.browse(list({
                    r.period.id for r in records
                    if r.period.state == 'open'}))
        if periods:
            Period.close(periods)


class PeriodClosingLog(ModelSQL, ModelView):
    __name__ = 'casa.period.closing_log'
    __string__ = "Period Closing Log"
    period = fields.Many2One(
        'account.period', "Period", required=True, readonly=True,
        ondelete='CASCADE')
    action = fields.Selection([
            ('close', "Closed"),
            ('force_close', "Closed by force"),
            ('reopen', "Reopened"),
            ], "Action", required=True, readonly=True)
    reason = fields.Text("Reason", readonly=True)
    # who and when: create_uid and create_date

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def log(cls, periods, action, reason=None):
        with without_check_access():
            cls.create([{
                        'period': p.id,
                        'action': action,
                        'reason': reason,
                        } for p in periods])


class Period(metaclass=PoolMeta):
    __name__ = 'account.period'

    closing_logs = fields.One2Many(
        'casa.period.closing_log', 'period', "Closing Log", readonly=True)

    @classmethod
    def check_closing_checklists(cls, periods):
        "Refuse to close a period while a unit's checklist is not clean"
        pool = Pool()
        Checklist = pool.get('casa.closing.checklist')
        for period in periods:
            with without_check_access(), Transaction().set_context(
                    fiscalyear=period.fiscalyear.id,
                    company=period.company.id):
                checklists = Checklist.search([('period', '=', period.id)])
                for checklist in checklists:
                    if not checklist.clean:
                        raise ClosingChecklistError(gettext(
                                'casa_l10n_ma.msg_period_close_checklist',
                                period=period.rec_name,
                                unit=checklist.unit_name,
                                problems=', '.join(checklist.problems())))

    @classmethod
    def close(cls, periods):
        forced = Transaction().context.get('_casa_force_close')
        if not forced:
            cls.check_closing_checklists(periods)
        super().close(periods)
        if not forced:
            PeriodClosingLog = Pool().get('casa.period.closing_log')
            PeriodClosingLog.log(periods, 'close')

    @classmethod
    def reopen(cls, periods):
        pool = Pool()
        PeriodClosingLog = pool.get('casa.period.closing_log')
        super().reopen(periods)
        PeriodClosingLog.log(periods, 'reopen')


class ForceClosePeriodStart(ModelView):
    __name__ = 'casa.period.force_close.start'
    __string__ = "Force Close Period"
    period = fields.Many2One('account.period', "Period", readonly=True)
    reason = fields.Text(
        "Reason", required=True,
        help="Why the period is closed although checks fail.")


class ForceClosePeriod(Wizard):
    __name__ = 'casa.period.force_close'
    __string__ = "Force Close Period"
    start = StateView('casa.period.force_close.start',
        'casa_l10n_ma.period_force_close_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Close", 'close', 'tryton-ok', default=True),
            ])
    close = StateTransition()

    def default_start(self, fields):
        return {'period': self.record.id if self.record else None}

    def transition_close(self):
        pool = Pool()
        Period = pool.get('account.period')
        PeriodClosingLog = pool.get('casa.period.closing_log')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        group = ModelData.get_id('casa_l10n_ma', 'group_chief_accountant')
        if (Transaction().user
                and group not in User.get_groups()):
            raise AccessError(gettext(
                    'casa_l10n_ma.msg_period_force_close_chief_accountant'))
        reason = (self.start.reason or '').strip()
        if not reason:
            raise AccessError(gettext(
                    'casa_l10n_ma.msg_period_force_close_reason'))
        periods = [self.record]
        with Transaction().set_context(_casa_force_close=True):
            Period.close(periods)
        PeriodClosingLog.log(periods, 'force_close', reason)
        return 'end'
