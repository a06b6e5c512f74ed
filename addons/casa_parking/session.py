# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Parking sessions: a vehicle's stay in a car park, from its entry to its
exit, priced by the tariff engine and paid at the exit (a billable operation
of casa_base paid on the spot, booked by the cash shift)."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.casa_access.normalise import normalise_identifier
from trytond.modules.casa_base.localtime import local_date, to_local
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.modules.casa_base.operation import BillableMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import pricing
from .exceptions import SessionAccessError, SessionError

ZERO = Decimal('0.00')
STATES = [
    ('open', "Inside"),
    ('closed', "To Pay"),
    ('paid', "Paid"),
    ('void', "Void"),
    ]


class Session(BillableMixin, BusinessUnitMixin, ModelSQL,
        ModelView):
    "A vehicle's stay in a car park"
    __name__ = 'casa.parking.session'
    __string__ = "Parking Session"

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", required=True, readonly=True,
        ondelete='RESTRICT')
    zone = fields.Many2One(
        'casa.parking.zone', "Zone", readonly=True, ondelete='RESTRICT')
    plate = fields.Char("Plate", required=True, readonly=True)
    plate_key = fields.Char("Plate Key", readonly=True,
        help="The plate as it is matched, whatever the way it is typed.")
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category", readonly=True,
        ondelete='RESTRICT')
    entry_time = fields.Timestamp("Entry", readonly=True,
        help="Empty: an exit without an entry.")
    exit_time = fields.Timestamp("Exit", readonly=True)
    entry_passage = fields.Many2One(
        'casa.access.passage', "Entry Passage", readonly=True,
        ondelete='RESTRICT')
    exit_passage = fields.Many2One(
        'casa.access.passage', "Exit Passage", readonly=True,
        ondelete='RESTRICT')
    duration = fields.Function(
        fields.TimeDelta("Duration"), 'get_duration')
    lost_ticket = fields.Boolean("Lost Ticket", readonly=True)
    subscription = fields.Many2One(
        'casa.parking.subscription', "Subscription", readonly=True,
        ondelete='RESTRICT',
        help="The pass the vehicle parked under: the stay costs nothing.")
    tariff = fields.Many2One(
        'casa.tariff', "Tariff", readonly=True, ondelete='RESTRICT',
        help="The tariff in force at the entry.")
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    payment_method = fields.Selection([
            (None, ""),
            ('cash', "Cash"),
            ('card', "Card"),
            ], "Payment Method", readonly=True)
    attendant = fields.Many2One(
        'res.user', "Attendant", readonly=True, ondelete='RESTRICT',
        help="Who recorded the exit.")
    shift = fields.Many2One(
        'casa.access.shift', "Shift", readonly=True, ondelete='RESTRICT',
        help="The cash shift that collected the payment.")
    void_reason = fields.Text("Reason for Voiding",
        states={'readonly': Eval('state').in_(['void'])},
        help="Required to void the session.")
    voided_by = fields.Many2One(
        'res.user', "Voided By", readonly=True, ondelete='RESTRICT')
    override = fields.Selection([
            (None, ""),
            ('waived', "Fee Waived"),
            ('lost_ticket', "Lost Ticket Declared"),
            ], "Override", readonly=True)
    override_reason = fields.Text("Reason for Override",
        states={'readonly': Eval('state') != 'closed'},
        help="Required to waive the fee or declare a lost ticket.")
    overridden_by = fields.Many2One(
        'res.user', "Overridden By", readonly=True, ondelete='RESTRICT')
    priced_amount = fields.Numeric("Priced Amount", digits=(16, 2),
        readonly=True, help="The amount of the tariff before the override.")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.car_park, Index.Equality()),
                    (t.plate_key, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t,
                    (t.car_park, Index.Equality()),
                    (t.entry_time, Index.Range())),
                })
        cls._order = [('exit_time', 'DESC NULLS FIRST'),
            ('entry_time', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'pay_cash': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                'pay_card': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                'void': {
                    'invisible': ~Eval('state').in_(['open', 'closed']),
                    'depends': ['state'],
                    },
                'waive': {
                    'invisible': (Eval('state') != 'closed')
                    | Eval('override'),
                    'depends': ['state', 'override'],
                    },
                'declare_lost_ticket': {
                    'invisible': (Eval('state') != 'closed')
                    | Eval('override') | Eval('lost_ticket'),
                    'depends': ['state', 'override', 'lost_ticket'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_lost_ticket(cls):
        return False

    def get_duration(self, name):
        if self.entry_time and self.exit_time:
            return self.exit_time - self.entry_time

    def get_rec_name(self, name):
        local = to_local(self.entry_time or self.exit_time, self.company)
        return '%s %s' % (self.plate, local.strftime('%Y-%m-%d %H:%M')
            if local else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('plate',) + tuple(clause[1:])]

    # --- entries and exits

    @classmethod
    def enter(cls, car_park, plate, when, vehicle_category=None, zone=None,
            passage=None):
        "Open the session of the plate entering the car park at when (UTC)"
        key = normalise_identifier(plate)
        if not key:
            raise SessionError(gettext('casa_parking.msg_session_plate'))
        session = cls(company=car_park.company,
            business_unit=car_park.business_unit, car_park=car_park,
            zone=zone, plate=plate, plate_key=key,
            vehicle_category=vehicle_category, entry_time=when,
            entry_passage=passage, state='open')
        with without_check_access():
            session.save()
        return session

    @classmethod
    def leave(cls, car_park, plate, when, passage=None, lost_ticket=False,
            vehicle_category=None, attendant=None):
        """Close and price the open session of the plate leaving the car
        park at when (UTC); an exit without an entry makes a session of its
        own, flagged"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        key = normalise_identifier(plate)
        if not key:
            raise SessionError(gettext('casa_parking.msg_session_plate'))
        with without_check_access():
            sessions = cls.search([
                    ('car_park', '=', car_park.id),
                    ('plate_key', '=', key),
                    ('state', '=', 'open'),
                    ], order=[('entry_time', 'DESC'), ('id', 'DESC')],
                limit=1)
        if sessions:
            session, = sessions
            if when < session.entry_time:
                raise SessionError(gettext(
                        'casa_parking.msg_session_exit_before_entry',
                        session=session.rec_name))
        else:
            session = cls(company=car_park.company,
                business_unit=car_park.business_unit, car_park=car_park,
                zone=None, plate=plate, plate_key=key,
                vehicle_category=vehicle_category, entry_time=None,
                entry_passage=None, state='open')
        session.exit_time = when
        session.exit_passage = passage
        session.lost_ticket = bool(lost_ticket) or not session.entry_time
        session.attendant = attendant or Transaction().user or None
        if vehicle_category and not session.vehicle_category:
            session.vehicle_category = vehicle_category
        session.compute_amount()
        session.state = 'closed'
        with without_check_access():
            session.save()
        if not session.entry_time:
            local = to_local(when, session.company)
            Anomaly.flag('parking_exit_without_entry',
                session.business_unit, origin=session,
                evidence=gettext(
                    'casa_parking.msg_anomaly_exit_without_entry',
                    plate=plate, car_park=car_park.rec_name,
                    time=local.strftime('%Y-%m-%d %H:%M')),
                figures=[(gettext('casa_parking.msg_anomaly_amount'),
                        session.amount)],
                score=80)
        return session

    def compute_amount(self):
        "Price the session with the tariffs in force during the stay"
        pool = Pool()
        Tariff = pool.get('casa.tariff')
        Subscription = pool.get('casa.parking.subscription')
        company = self.company
        exit_local = to_local(self.exit_time, company)
        entry_local = to_local(self.entry_time, company) or exit_local
        self.subscription = Subscription.valid_for(
            self.car_park, self.plate_key, entry_local.date(),
            exit_local.date())
        rates = Tariff.parking_rates(self.car_park, entry_local.date(),
            exit_local.date(), zone=self.zone,
            vehicle_category=self.vehicle_category)
        self.tariff = rates[0].tariff
        if self.subscription:
            self.amount = ZERO
            return
        self.amount = pricing.price(
            entry_local, exit_local, rates, lost_ticket=self.lost_ticket)

    # --- payment

    def _operation_values(self):
        if not self.amount:
            return
        yield {
            'date': local_date(self.exit_time, self.company),
            'product': self.car_park.product,
            'quantity': 1.0,
            'unit_price': self.amount,
            'tariff': self.tariff,
            'payment': 'cash',
            'description': self.rec_name,
            }

    @classmethod
    def pay(cls, sessions, method, shift=None):
        """Record the payment at the exit of the sessions to pay and make
        their billable operations"""
        for session in sessions:
            if session.state != 'closed':
                raise SessionError(gettext(
                        'casa_parking.msg_session_not_to_pay',
                        session=session.rec_name))
            session.payment_method = method
            session.state = 'paid'
            if shift is not None:
                session.shift = shift
        with without_check_access():
            cls.save(sessions)
        cls.create_operations(sessions)

    @classmethod
    @ModelView.button
    def pay_cash(cls, sessions):
        cls.pay(sessions, 'cash')

    @classmethod
    @ModelView.button
    def pay_card(cls, sessions):
        cls.pay(sessions, 'card')

    @classmethod
    @ModelView.button
    def void(cls, sessions):
        "Void the sessions not paid, with the reason and who"
        for session in sessions:
            if session.state not in {'open', 'closed'}:
                raise SessionError(gettext(
                        'casa_parking.msg_session_not_voidable',
                        session=session.rec_name))
            if not (session.void_reason or '').strip():
                raise SessionError(gettext(
                        'casa_parking.msg_session_void_reason',
                        session=session.rec_name))
        with without_check_access():
            cls.write(sessions, {
                    'state': 'void',
                    'voided_by': Transaction().user,
                    })

    @classmethod
    def _check_override(cls, sessions):
        for session in sessions:
            if session.state != 'closed' or session.override:
                raise SessionError(gettext(
                        'casa_parking.msg_session_not_overridable',
                        session=session.rec_name))
            if not (session.override_reason or '').strip():
                raise SessionError(gettext(
                        'casa_parking.msg_session_override_reason',
                        session=session.rec_name))

    @classmethod
    @ModelView.button
    def waive(cls, sessions):
        "Waive the fee of the sessions to pay, with the reason and who"
        cls._check_override(sessions)
        for session in sessions:
            session.priced_amount = session.amount
            session.amount = ZERO
            session.override = 'waived'
            session.overridden_by = Transaction().user
        with without_check_access():
            cls.save(sessions)

    @classmethod
    @ModelView.button
    def declare_lost_ticket(cls, sessions):
        "Price the sessions to pay with the lost-ticket fee"
        cls._check_override(sessions)
        for session in sessions:
            session.priced_amount = session.amount
            session.lost_ticket = True
            session.compute_amount()
            session.override = 'lost_ticket'
            session.overridden_by = Transaction().user
        with without_check_access():
            cls.save(sessions)

    @classmethod
    def check_modification(cls, mode, sessions, values=None,
            external=False):
        "The sessions are written by the car park: a user only voids them"
        super().check_modification(
            mode, sessions, values=values, external=external)
        if not external:
            return
        if mode == 'write' and not (
                set(values or {}) - {'void_reason', 'override_reason'}):
            return
        if mode in {'write', 'delete', 'create'}:
            raise SessionAccessError(gettext(
                    'casa_parking.msg_session_write'))

    # --- detectors

    @classmethod
    def detect_entries_without_exit(cls, now=None):
        """Flag the sessions still open longer than their car park's
        longest stay, one flag per session (run again, the pending flag is
        updated, never duplicated)"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        CarPark = pool.get('casa.parking.car_park')
        if now is None:
            now = dt.datetime.now()
        with without_check_access():
            for car_park in CarPark.search([]):
                limit = now - dt.timedelta(hours=car_park.max_stay)
                for session in cls.search([
                            ('car_park', '=', car_park.id),
                            ('state', '=', 'open'),
                            ('entry_time', '<', limit),
                            ]):
                    hours = Decimal(
                        (now - session.entry_time).total_seconds()
                        / 3600).quantize(Decimal('0.1'))
                    Anomaly.flag('parking_entry_without_exit',
                        session.business_unit, origin=session,
                        key='session %s' % session.id,
                        evidence=gettext(
                            'casa_parking.msg_anomaly_entry_without_exit',
                            plate=session.plate,
                            car_park=car_park.rec_name, hours=hours,
                            allowed=car_park.max_stay),
                        figures=[
                            (gettext('casa_parking.msg_anomaly_hours'),
                                hours),
                            (gettext('casa_parking.msg_anomaly_allowed'),
                                car_park.max_stay),
                            ],
                        score=min(100, int(50 * hours / car_park.max_stay)))

    @classmethod
    def void_rates(cls, unit, start, end):
        """{user id: (voids, sessions, rate)} of the unit's attendants on the
        local dates start to end: the sessions they voided against those
        they closed or voided"""
        from trytond.modules.casa_base.localtime import utc_bounds
        lower, _ = utc_bounds(start, unit.company)
        _, upper = utc_bounds(end, unit.company)
        counts = {}
        with without_check_access():
            sessions = cls.search([
                    ('business_unit', '=', unit.id),
                    ['OR',
                        ('exit_time', '>=', lower),
                        ('entry_time', '>=', lower),
                        ],
                    ['OR',
                        ('exit_time', '<', upper),
                        ('entry_time', '<', upper),
                        ],
                    ])
        for session in sessions:
            user = (session.voided_by if session.state == 'void'
                else session.attendant)
            if not user:
                continue
            voids, total = counts.get(user.id, (0, 0))
            counts[user.id] = (
                voids + (session.state == 'void'), total + 1)
        return {u: (v, t, Decimal(v) / t) for u, (v, t) in counts.items()}

    @classmethod
    def detect_void_rates(cls, unit, start, end, factor=2, minimum=3):
        """Flag the attendants of the unit whose rate of voids on the dates
        is more than factor times their peers' (all the others' voids
        against all their sessions) with at least minimum voids; return the
        flags"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        User = pool.get('res.user')
        rates = cls.void_rates(unit, start, end)
        flags = []
        for user_id, (voids, total, rate) in sorted(rates.items()):
            peer_voids = sum(v for u, (v, _, _) in rates.items()
                if u != user_id)
            peer_total = sum(t for u, (_, t, _) in rates.items()
                if u != user_id)
            if not peer_total or voids < minimum:
                continue
            peers = Decimal(peer_voids) / peer_total
            if rate <= factor * peers:
                continue
            user = User(user_id)
            percent = (rate * 100).quantize(Decimal('0.1'))
            peers_percent = (peers * 100).quantize(Decimal('0.1'))
            flags.append(Anomaly.flag('parking_void_rate', unit,
                    origin=None,
                    key='void rate %s %s %s' % (user_id, start, end),
                    evidence=gettext('casa_parking.msg_anomaly_void_rate',
                        user=user.rec_name, rate=percent,
                        peers=peers_percent, start=start, end=end),
                    figures=[
                        (gettext('casa_parking.msg_anomaly_voids'), voids),
                        (gettext('casa_parking.msg_anomaly_sessions'),
                            total),
                        (gettext('casa_parking.msg_anomaly_rate'), percent),
                        (gettext('casa_parking.msg_anomaly_peers_rate'),
                            peers_percent),
                        ],
                    score=min(100, int(25 * rate / peers)) if peers else 100))
        return flags
