# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Anomaly flags: one model that every detector writes into.

A detector (overstays at a gate, a ghost employee, a weighbridge ticket
without declaration…) calls ``Anomaly.flag(kind, unit, origin, key,
evidence, figures, score)`` for each finding.  The flag keeps the kind, the
unit, the record concerned, the evidence (one sentence and its figures) and
a score; the unit's manager reviews it, then confirms it or clears it with a
reason — who and when are recorded.  A detector that runs again updates the
flag of the same finding (kind, unit, key) while it is open or under
review: it never duplicates it.  See ``doc/anomaly.rst``."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)

from .exceptions import AnomalyAccessError, AnomalyError
from .localtime import local_date, local_today
from .mixin import BusinessUnitMixin
from .unit_report import Column, Sheet, UnitReport

# the states of a flag still to be decided: flag() updates such a flag, and
# there is at most one per finding (kind, unit, key)
PENDING = ('open', 'review')
# what a user may write on a flag: the rest is the detector's or the
# transitions'
USER_FIELDS = {'clear_reason'}


def utc_now():
    "The naive UTC timestamp of now, as Tryton stores them"
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Anomaly(BusinessUnitMixin, Workflow, ModelSQL, ModelView):
    "An anomaly found by a detector in a business unit"
    __name__ = 'casa.anomaly'
    __string__ = "Anomaly"
    _rec_name = 'key'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        readonly=True)
    kind = fields.Selection(
        'get_kinds', "Kind", required=True, readonly=True, sort=False,
        help="What the detector found.")
    origin = fields.Reference(
        "Record", selection='get_origins', readonly=True,
        help="The record concerned.")
    key = fields.Char(
        "Key", required=True, readonly=True, strip=False,
        help="The identity of the finding for its detector: detected again, "
        "it updates the flag still open instead of adding one.")
    date = fields.Date(
        "Date", required=True, readonly=True,
        help="The local date of the first detection.")
    last_detected = fields.Timestamp("Last Detected", readonly=True)
    detections = fields.Integer(
        "Detections", readonly=True,
        help="How many times the detector found it while it was pending.")
    evidence = fields.Text(
        "Evidence", required=True, readonly=True,
        help="What the detector found, in one sentence.")
    figures = fields.One2Many(
        'casa.anomaly.figure', 'anomaly', "Figures", readonly=True)
    score = fields.Numeric(
        "Score", digits=(5, 1), required=True, readonly=True,
        help="From 0 (doubtful) to 100 (certain).")
    state = fields.Selection([
            ('open', "Open"),
            ('review', "Under Review"),
            ('confirmed', "Confirmed"),
            ('cleared', "Cleared"),
            ], "State", required=True, readonly=True, sort=False)
    reviewed_by = fields.Many2One(
        'res.user', "Reviewed By", readonly=True, ondelete='RESTRICT')
    reviewed_at = fields.Timestamp("Reviewed At", readonly=True)
    decided_by = fields.Many2One(
        'res.user', "Decided By", readonly=True, ondelete='RESTRICT',
        help="Who confirmed or cleared the flag.")
    decided_at = fields.Timestamp("Decided At", readonly=True)
    clear_reason = fields.Text(
        "Reason for Clearing",
        states={
            'readonly': ~Eval('state').in_(list(PENDING)),
            },
        help="Why the flag is not an anomaly: required to clear it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.business_unit, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t,
                    (t.kind, Index.Equality()),
                    (t.business_unit, Index.Equality()),
                    (t.key, Index.Equality()),
                    where=t.state.in_(list(PENDING))),
                Index(t, (t.origin, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'review'),
            ('review', 'confirmed'),
            ('open', 'cleared'),
            ('review', 'cleared'),
            ('review', 'open'),
            ('confirmed', 'open'),
            ('cleared', 'open'),
            }
        cls._buttons.update({
                'review': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'review',
                    'depends': ['state'],
                    },
                'clear': {
                    'invisible': ~Eval('state').in_(list(PENDING)),
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') == 'open',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_detections(cls):
        return 1

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    # --- kinds and origins, extended by the domain modules

    @classmethod
    def _get_kinds(cls):
        """Return [(kind, message id of its name)]: a domain module adds its
        kinds by extending it (the name is a message of message.xml, so it
        is translated)"""
        return [('other', 'casa_base.msg_anomaly_kind_other')]

    @classmethod
    def get_kinds(cls):
        return [(kind, gettext(message)) for kind, message in
            cls._get_kinds()]

    @classmethod
    def _get_origin(cls):
        "Return the models of the records a flag may concern"
        return ['casa.operation', 'casa.service', 'casa.site',
            'account.invoice', 'account.move']

    @classmethod
    def _readable_origins(cls):
        """The models of _get_origin() the user may read (all of them when
        the access is not checked)"""
        ModelAccess = Pool().get('ir.model.access')
        return [m for m in sorted(set(cls._get_origin()))
            if ModelAccess.check(m, 'read', raise_exception=False)]

    @classmethod
    def get_origins(cls):
        """The models of the records a flag may concern that the user may
        read.  Tryton drops a Reference field from the views and fields_get
        of a user who can not read every model of its selection
        (ir.model.access check_relation): limited to the readable ones,
        the Record stays for the users of every group."""
        pool = Pool()
        IrModel = pool.get('ir.model')
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in cls._readable_origins()]

    @classmethod
    def read(cls, ids, fields_names):
        """An origin of a model the user may not read is read as empty (and
        its rec_name is not read): the flag is, not the record"""
        transaction = Transaction()
        related = [f for f in fields_names if f.startswith('origin.')]
        if (not transaction.check_access or not transaction.user
                or not ('origin' in fields_names or related)):
            return super().read(ids, fields_names)
        readable = set(cls._readable_origins())
        names = [f for f in fields_names if not f.startswith('origin.')]
        rows = super().read(ids, list(dict.fromkeys(names + ['origin'])))
        shown = []
        for row in rows:
            if row['origin']:
                if row['origin'].split(',', 1)[0] in readable:
                    shown.append(row['id'])
                else:
                    row['origin'] = None
        if related:
            targets = {r['id']: r for r in super().read(
                    shown, ['origin'] + related)} if shown else {}
            for row in rows:
                target = targets.get(row['id'], {})
                for name in related:
                    key = name.split('.', 1)[0] + '.'
                    row[key] = target.get(key)
        if 'origin' not in fields_names:
            for row in rows:
                del row['origin']
        return rows

    def get_rec_name(self, name):
        return '%s %s' % (
            dict(self.get_kinds()).get(self.kind, self.kind), self.key)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('key', operator, operand, *extra),
            ('evidence', operator, operand, *extra),
            ]

    # --- the detectors' API

    @classmethod
    def flag(cls, kind, unit, origin=None, key=None, evidence=None,
            figures=None, score=100):
        """Flag a finding of a detector and return its flag.

        kind: one of get_kinds(); unit: the business unit (record or id);
        origin: the record concerned (or None); key: the identity of the
        finding for the detector (by default the origin, 'model,id');
        evidence: one sentence; figures: [(label, value)] with numeric
        values; score: 0 to 100.

        The flag of the same finding (kind, unit, key) still open or under
        review is updated — evidence, figures, score and origin replaced,
        one more detection — instead of a new one being added; once
        confirmed or cleared, a new detection opens a new flag.  It runs as
        the detector (no access check): call it from server code only."""
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        Figure = pool.get('casa.anomaly.figure')
        if not isinstance(unit, BusinessUnit):
            unit = BusinessUnit(unit)
        if key is None:
            if origin is None:
                raise ValueError("a flag needs a key or an origin")
            key = str(origin)
        origin = str(origin) if origin is not None else None
        score = Decimal(str(score))
        if not (0 <= score <= 100):
            # before anything is written
            raise AnomalyError(gettext(
                    'casa_base.msg_anomaly_score', anomaly=key, score=score))
        now = utc_now()
        with without_check_access():
            # one detector at a time per table: no duplicate on PostgreSQL
            cls.lock()
            flags = cls.search([
                    ('kind', '=', kind),
                    ('business_unit', '=', unit.id),
                    ('key', '=', key),
                    ('state', 'in', list(PENDING)),
                    ], limit=1)
            values = {
                'origin': origin,
                'evidence': evidence,
                'score': score,
                'last_detected': now,
                }
            if flags:
                anomaly, = flags
                Figure.delete(list(anomaly.figures))
                values['detections'] = (anomaly.detections or 0) + 1
                cls.write([anomaly], values)
            else:
                anomaly, = cls.create([dict(values,
                            kind=kind,
                            business_unit=unit.id,
                            company=unit.company.id,
                            key=key,
                            date=local_date(now, unit.company),
                            detections=1)])
            Figure.create([{
                        'anomaly': anomaly.id,
                        'sequence': i,
                        'label': label,
                        'value': Decimal(str(value)) if value is not None
                        else None,
                        } for i, (label, value) in enumerate(figures or [])])
        return cls(anomaly.id)

    @classmethod
    def open_counts(cls, units):
        """Return {unit id: number of its flags open or under review} for
        the units (records or ids) among the user's: a unit outside the
        user's units is left out (the dashboard of a unit user never tells
        another unit's)"""
        pool = Pool()
        User = pool.get('res.user')
        unit_ids = [int(u) for u in units]
        allowed = User.get_business_units()
        if allowed is not None:
            unit_ids = [u for u in unit_ids if u in set(allowed)]
        counts = defaultdict(int)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in grouped_slice(unit_ids, 1000):
            cursor.execute(*table.select(
                    table.business_unit, Count(table.id),
                    where=table.business_unit.in_(list(sub_ids))
                    & table.state.in_(list(PENDING)),
                    group_by=[table.business_unit]))
            counts.update(dict(cursor))
        return {u: counts.get(u, 0) for u in unit_ids}

    # --- checks

    @classmethod
    def validate_fields(cls, anomalies, field_names):
        super().validate_fields(anomalies, field_names)
        cls.check_score(anomalies, field_names)
        cls.check_pending_unique(anomalies, field_names)

    @classmethod
    def check_score(cls, anomalies, field_names=None):
        if field_names and 'score' not in field_names:
            return
        for anomaly in anomalies:
            if not (0 <= anomaly.score <= 100):
                raise AnomalyError(gettext(
                        'casa_base.msg_anomaly_score',
                        anomaly=anomaly.rec_name, score=anomaly.score))

    @classmethod
    def check_pending_unique(cls, anomalies, field_names=None):
        """At most one flag of a finding (kind, unit, key) open or under
        review: checked here, whatever the database"""
        if field_names and not (
                {'state', 'kind', 'business_unit', 'key'} & field_names):
            return
        for anomaly in anomalies:
            if anomaly.state not in PENDING:
                continue
            with without_check_access():
                others = cls.search([
                        ('kind', '=', anomaly.kind),
                        ('business_unit', '=', anomaly.business_unit.id),
                        ('key', '=', anomaly.key),
                        ('state', 'in', list(PENDING)),
                        ('id', '!=', anomaly.id),
                        ], limit=1)
            if others:
                raise AnomalyError(gettext(
                        'casa_base.msg_anomaly_pending_unique',
                        anomaly=anomaly.rec_name,
                        unit=anomaly.business_unit.rec_name))

    @classmethod
    def check_modification(cls, mode, anomalies, values=None,
            external=False):
        """The flags are made by the detectors: a user only gives the reason
        for clearing, and changes the state by its buttons"""
        super().check_modification(
            mode, anomalies, values=values, external=external)
        if not external:
            return
        if mode == 'write':
            fields_ = set(values or {}) - USER_FIELDS
            if fields_:
                raise AnomalyAccessError(gettext(
                        'casa_base.msg_anomaly_write',
                        fields=', '.join(sorted(fields_))))
            for anomaly in anomalies:
                if anomaly.state not in PENDING:
                    raise AnomalyAccessError(gettext(
                            'casa_base.msg_anomaly_decided',
                            anomaly=anomaly.rec_name))
        else:
            raise AnomalyAccessError(gettext(
                    'casa_base.msg_anomaly_%s' % mode))

    # --- transitions: who and when

    @classmethod
    def _decide(cls, anomalies, state, **values):
        "Write the state and who/when, as the transition (not the user)"
        for anomaly in anomalies:
            anomaly.state = state
            for name, value in values.items():
                setattr(anomaly, name, value)
        with without_check_access():
            cls.save(anomalies)

    @classmethod
    @ModelView.button
    @Workflow.transition('review')
    def review(cls, anomalies):
        transaction = Transaction()
        cls._decide(anomalies, 'review', reviewed_by=transaction.user,
            reviewed_at=utc_now())

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, anomalies):
        transaction = Transaction()
        cls._decide(anomalies, 'confirmed', decided_by=transaction.user,
            decided_at=utc_now())

    @classmethod
    @ModelView.button
    @Workflow.transition('cleared')
    def clear(cls, anomalies):
        transaction = Transaction()
        for anomaly in anomalies:
            if not (anomaly.clear_reason or '').strip():
                raise AnomalyError(gettext(
                        'casa_base.msg_anomaly_clear_reason',
                        anomaly=anomaly.rec_name))
        cls._decide(anomalies, 'cleared', decided_by=transaction.user,
            decided_at=utc_now())

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, anomalies):
        # refused before anything is written: a finding has one pending flag
        for anomaly in anomalies:
            anomaly.state = 'open'
        cls.check_pending_unique(anomalies)
        cls._decide(anomalies, 'open', decided_by=None, decided_at=None,
            clear_reason=None)


class AnomalyFigure(ModelSQL, ModelView):
    "A figure of the evidence of an anomaly"
    __name__ = 'casa.anomaly.figure'
    __string__ = "Anomaly Figure"

    anomaly = fields.Many2One(
        'casa.anomaly', "Anomaly", required=True, ondelete='CASCADE',
        readonly=True)
    sequence = fields.Integer("Sequence", readonly=True)
    label = fields.Char("Label", required=True, readonly=True)
    value = fields.Numeric("Value", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('anomaly')
        cls._order = [('anomaly', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s: %s' % (self.label, self.value)

    @classmethod
    def check_modification(cls, mode, figures, values=None, external=False):
        "The figures are the detector's"
        super().check_modification(
            mode, figures, values=values, external=external)
        if external:
            raise AnomalyAccessError(gettext(
                    'casa_base.msg_anomaly_write', fields='figures'))


class AnomalyReport(UnitReport):
    """The flags of each unit of the request first detected in its range: a
    sheet per unit (the units asked among the user's own)"""
    __name__ = 'casa.anomaly.xlsx'
    _title = 'casa_base.msg_anomaly_report'

    @classmethod
    def anomalies(cls, request):
        "{unit id: [flags]} of the request's units, read as the user may"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        result = {u.id: [] for u in request.units}
        domain = [
            ('company', '=', request.company.id),
            ('business_unit', 'in', list(result)),
            ]
        if request.start:
            domain.append(('date', '>=', request.start))
        if request.end:
            domain.append(('date', '<=', request.end))
        states = request.data.get('states')
        if states:
            domain.append(('state', 'in', [
                        s for s in states if s in dict(
                            Anomaly.fields_get(['state'])['state']
                            ['selection'])]))
        for anomaly in Anomaly.search(domain,
                order=[('date', 'ASC'), ('id', 'ASC')]):
            result[anomaly.business_unit.id].append(anomaly)
        return result

    @classmethod
    def sheets(cls, request):
        return [cls.sheet(request, name, title, anomalies)
            for name, title, anomalies in request.targets(
                cls.anomalies(request))]

    @classmethod
    def sheet(cls, request, name, title, anomalies):
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        kinds = dict(Anomaly.get_kinds())
        states = dict(Anomaly.fields_get(['state'])['state']['selection'])
        fields_ = Anomaly.fields_get(['date', 'kind', 'origin', 'evidence',
                'figures', 'score', 'state', 'decided_by', 'clear_reason'])

        def label(name):
            return fields_[name]['string']
        sheet = Sheet(name, gettext(cls._title), title, request.period_label,
            [
                Column(label('date'), 'date'),
                Column(label('kind'), 'text', 18),
                Column(label('origin'), 'text', 24),
                Column(label('evidence'), 'text', 50),
                Column(label('figures'), 'text', 30),
                Column(label('score'), 'number', 8),
                Column(label('state'), 'text', 14),
                Column(label('decided_by'), 'text', 18),
                Column(label('clear_reason'), 'text', 30),
                ],
            total=gettext('casa_base.msg_anomaly_report_total',
                count=len(anomalies)))
        for anomaly in anomalies:
            sheet.add([
                    anomaly.date,
                    kinds.get(anomaly.kind, anomaly.kind),
                    anomaly.origin.rec_name if anomaly.origin else None,
                    anomaly.evidence,
                    '; '.join(f.rec_name for f in anomaly.figures) or None,
                    anomaly.score,
                    states.get(anomaly.state, anomaly.state),
                    anomaly.decided_by.rec_name if anomaly.decided_by
                    else None,
                    anomaly.clear_reason,
                    ])
        return sheet


class AnomalyReportPDF(AnomalyReport):
    "The flags of the units as PDF"
    __name__ = 'casa.anomaly.pdf'


class AnomalyPrintStart(ModelView):
    __name__ = 'casa.anomaly.print.start'
    __string__ = "Print Anomalies"
    format = fields.Selection([
            ('xlsx', "Spreadsheet (XLSX)"),
            ('pdf', "PDF"),
            ], "Format", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True)
    units = fields.Many2Many(
        'casa.business_unit', None, None, "Business Units",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Leave empty for every business unit you work for.")
    states = fields.MultiSelection([
            ('open', "Open"),
            ('review', "Under Review"),
            ('confirmed', "Confirmed"),
            ('cleared', "Cleared"),
            ], "States", sort=False,
        help="Leave empty for every state.")

    @classmethod
    def default_format(cls):
        return 'xlsx'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_start_date(cls):
        return local_today().replace(day=1)

    @classmethod
    def default_end_date(cls):
        return local_today()


class AnomalyPrint(Wizard):
    __name__ = 'casa.anomaly.print'
    __string__ = "Print Anomalies"
    start = StateView('casa.anomaly.print.start',
        'casa_base.anomaly_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateTransition()
    xlsx = StateReport('casa.anomaly.xlsx')
    pdf = StateReport('casa.anomaly.pdf')

    def transition_print_(self):
        return self.start.format

    def _data(self):
        return {
            'company': self.start.company.id,
            'start_date': self.start.start_date.isoformat(),
            'end_date': self.start.end_date.isoformat(),
            'units': [u.id for u in self.start.units],
            'states': list(self.start.states or []),
            }

    def do_xlsx(self, action):
        return action, self._data()

    def do_pdf(self, action):
        return action, self._data()
