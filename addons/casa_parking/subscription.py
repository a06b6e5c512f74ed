# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Monthly passes: a plate parks in a car park for whole months; the pass is
a billable operation on account (the billing run invoices it) and the
subscriber's sessions cost nothing."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.casa_access.normalise import normalise_identifier
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.modules.casa_base.operation import BillableMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import SubscriptionError


def add_months(date, months):
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last))


class Subscription(BillableMixin, BusinessUnitMixin, ModelSQL, ModelView):
    "A monthly pass of a plate in a car park"
    __name__ = 'casa.parking.subscription'
    __string__ = "Parking Subscription"

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", required=True,
        ondelete='RESTRICT', states=_states,
        domain=[('business_unit', '=', Eval('business_unit', -1))])
    party = fields.Many2One(
        'party.party', "Subscriber", required=True, ondelete='RESTRICT',
        states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    plate = fields.Char("Plate", required=True, states=_states)
    plate_key = fields.Char("Plate Key", readonly=True)
    start_date = fields.Date("Start Date", required=True, states=_states)
    months = fields.Integer("Months", required=True, states=_states)
    end_date = fields.Date("End Date", readonly=True,
        help="The last day of the pass.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.car_park, Index.Equality()),
                (t.plate_key, Index.Equality())))
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
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
    def default_months(cls):
        return 1

    def get_rec_name(self, name):
        return '%s %s' % (self.plate, self.start_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('plate',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'plate' in values:
            values['plate_key'] = normalise_identifier(values['plate'])
        return values

    @classmethod
    def validate_fields(cls, subscriptions, field_names):
        super().validate_fields(subscriptions, field_names)
        for subscription in subscriptions:
            if not subscription.plate_key:
                raise SubscriptionError(gettext(
                        'casa_parking.msg_subscription_plate',
                        subscription=subscription.rec_name))
            if subscription.months <= 0:
                raise SubscriptionError(gettext(
                        'casa_parking.msg_subscription_months',
                        subscription=subscription.rec_name))

    @classmethod
    def create(cls, vlist):
        subscriptions = super().create(vlist)
        cls._set_end_date(subscriptions)
        return subscriptions

    @classmethod
    def write(cls, *args):
        super().write(*args)
        subscriptions = sum(args[0:None:2], [])
        cls._set_end_date(subscriptions)

    @classmethod
    def _set_end_date(cls, subscriptions):
        to_write = []
        for subscription in subscriptions:
            end = add_months(subscription.start_date,
                subscription.months) - dt.timedelta(days=1)
            if subscription.end_date != end:
                to_write.extend([[subscription], {'end_date': end}])
        if to_write:
            with without_check_access():
                super().write(*to_write)

    def _operation_values(self):
        product = self.car_park.subscription_product
        if not product:
            raise SubscriptionError(gettext(
                    'casa_parking.msg_subscription_product',
                    car_park=self.car_park.rec_name))
        yield {
            'date': self.start_date,
            'party': self.party,
            'product': product,
            'quantity': float(self.months),
            'conditions': {'car_park': self.car_park},
            'description': self.rec_name,
            'payment': 'invoice',
            }

    @classmethod
    @ModelView.button
    def confirm(cls, subscriptions):
        "Confirm the passes: they are billed by the next billing run"
        subscriptions = [s for s in subscriptions if s.state == 'draft']
        for subscription in subscriptions:
            overlapping = cls.search([
                    ('id', '!=', subscription.id),
                    ('car_park', '=', subscription.car_park.id),
                    ('plate_key', '=', subscription.plate_key),
                    ('state', '=', 'confirmed'),
                    ('start_date', '<=', subscription.end_date),
                    ('end_date', '>=', subscription.start_date),
                    ], limit=1)
            if overlapping:
                raise SubscriptionError(gettext(
                        'casa_parking.msg_subscription_overlap',
                        subscription=subscription.rec_name,
                        other=overlapping[0].rec_name))
        cls.create_operations(subscriptions)
        with without_check_access():
            cls.write(subscriptions, {'state': 'confirmed'})

    @classmethod
    @ModelView.button
    def cancel(cls, subscriptions):
        subscriptions = [s for s in subscriptions if s.state == 'draft']
        with without_check_access():
            cls.write(subscriptions, {'state': 'cancelled'})

    @classmethod
    def valid_for(cls, car_park, plate_key, start_date, end_date):
        "The confirmed pass of the plate covering the dates, or None"
        with without_check_access():
            subscriptions = cls.search([
                    ('car_park', '=', car_park.id),
                    ('plate_key', '=', plate_key),
                    ('state', '=', 'confirmed'),
                    ('start_date', '<=', start_date),
                    ('end_date', '>=', end_date),
                    ], limit=1)
        return subscriptions[0] if subscriptions else None

    @classmethod
    def check_modification(cls, mode, subscriptions, values=None,
            external=False):
        super().check_modification(
            mode, subscriptions, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            # only those the user may change: the others are refused by the
            # record rules, without a word on them
            for subscription in cls._accessible(subscriptions, mode):
                if subscription.state != 'draft':
                    raise SubscriptionError(gettext(
                            'casa_parking.msg_subscription_not_draft',
                            subscription=subscription.rec_name))

    @classmethod
    def _accessible(cls, records, mode):
        """The records among records of the user's business units (the
        check runs without access checks: the rules come after it)"""
        pool = Pool()
        User = pool.get('res.user')
        units = User.get_business_units()
        if units is None:
            return records
        units = set(units)
        return [r for r in records if r.business_unit.id in units]
