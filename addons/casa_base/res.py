# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import math

from sql import Null

from trytond.cache import Cache
from trytond import config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import UserBusinessUnitError, UserRightsError

_ALL = 'all'
# the fields of a user that give rights: only administrators change them
RIGHTS_FIELDS = {
    'groups', 'roles', 'business_units', 'companies', 'employees',
    'applications', 'login', 'active',
    }
# the models of which a link to the user gives rights
RIGHTS_MODELS = {
    'res.group', 'res.role', 'res.user.role', 'res.user-res.group',
    'casa.business_unit', 'res.user-casa.business_unit',
    'casa.business_unit-manager', 'company.company', 'company.employee',
    'res.user-company.company', 'res.user-company.employee',
    'res.user.application', 'ir.session', 'ir.session.wizard',
    }


class UserBusinessUnit(ModelSQL):
    __name__ = 'res.user-casa.business_unit'
    __string__ = "User - Business Unit"
    _business_unit_field = 'business_unit'
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('user_unit_unique', Unique(t, t.user, t.business_unit),
                'casa_base.msg_user_business_unit_unique'),
            ]

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_business_units_cache.clear()


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    business_units = fields.Many2Many(
        'res.user-casa.business_unit', 'user', 'business_unit',
        "Business Units",
        domain=[
            ('company', 'in', Eval('companies', [])),
            ],
        help="The business units the user works for "
        "(the units they manage are added).")
    business_unit = fields.Many2One(
        'casa.business_unit', "Current Business Unit",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The business unit new documents are created for.")
    _get_business_units_cache = Cache(
        __name__ + '.get_business_units', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._context_fields.insert(0, 'business_unit')

    @classmethod
    def is_rights_administrator(cls):
        "Tell whether the current user administers users and their rights"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        transaction = Transaction()
        if transaction.user == 0:
            return True
        return ModelData.get_id('res', 'group_admin') in cls.get_groups()

    @classmethod
    def rights_fields(cls):
        "The fields of a user that only administrators may change"
        names = set(RIGHTS_FIELDS)
        for name, field in cls._fields.items():
            if field._type in {'one2many', 'many2many'}:
                target = field.get_target().__name__
                relation = getattr(field, 'relation_name', None)
                if target in RIGHTS_MODELS or relation in RIGHTS_MODELS:
                    names.add(name)
        return names & set(cls._fields)

    @classmethod
    def set_preferences(cls, values):
        "A user never changes their own rights through the preferences"
        if not cls.is_rights_administrator():
            user = cls(Transaction().user)
            values = values.copy()
            for name in sorted(cls.rights_fields() & set(values)):
                value = values.pop(name)
                if user._changes_field(name, value):
                    raise UserRightsError(gettext(
                            'casa_base.msg_user_rights_preferences',
                            field=cls._fields[name].string))
        super().set_preferences(values)

    def _changes_field(self, name, value):
        """Tell whether writing value would change the field (clients send
        back the links they read, unchanged)"""
        field = self._fields[name]
        current = getattr(self, name)
        if field._type in {'one2many', 'many2many'}:
            current = {r.id for r in current}
            for action in value or []:
                if (isinstance(action, (list, tuple)) and len(action) == 2
                        and action[0] == 'add'
                        and set(action[1]) <= current):
                    continue
                return True
            return False
        if field._type == 'many2one':
            return (current.id if current else None) != value
        return current != value

    @classmethod
    def check_modification(cls, mode, users, values=None, external=False):
        "Nobody but an administrator changes the rights of a user"
        super().check_modification(
            mode, users, values=values, external=external)
        if (mode == 'write' and values and external
                and not cls.is_rights_administrator()):
            changed = cls.rights_fields() & set(values)
            if changed:
                raise UserRightsError(gettext(
                        'casa_base.msg_user_rights_write',
                        fields=', '.join(
                            cls._fields[n].string for n in sorted(changed))))

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if field_names and not (
                field_names & {'business_unit', 'business_units', 'groups'}):
            return
        for user in users:
            if user.business_unit and not user.has_business_unit(
                    user.business_unit):
                raise UserBusinessUnitError(gettext(
                        'casa_base.msg_user_business_unit_not_allowed',
                        user=user.rec_name,
                        unit=user.business_unit.rec_name))

    def has_business_unit(self, unit):
        "Tell whether the user may work for the business unit"
        with Transaction().set_user(self.id):
            allowed = self.get_business_units()
        return allowed is None or unit.id in allowed

    def get_status_bar(self, name):
        status = super().get_status_bar(name)
        if self.business_unit:
            status += ' - %s' % self.business_unit.rec_name
        return status

    @classmethod
    def get_business_units(cls):
        """Return the tuple of the business unit ids of the current user,
        or None when the user may see all of them"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        UserUnit = pool.get('res.user-casa.business_unit')
        Manager = pool.get('casa.business_unit-manager')
        transaction = Transaction()
        user_id = transaction.user
        if '_business_units' in transaction.context:
            return transaction.context['_business_units']
        groups = cls.get_groups()
        key = (user_id, groups)
        units = cls._get_business_units_cache.get(key)
        if units is not None:
            return None if units == _ALL else units
        if user_id == 0 or ModelData.get_id(
                'casa_base', 'group_business_unit_all') in groups:
            cls._get_business_units_cache.set(key, _ALL)
            return None
        cursor = transaction.connection.cursor()
        user_unit = UserUnit.__table__()
        manager = Manager.__table__()
        cursor.execute(*(
                user_unit.select(
                    user_unit.business_unit,
                    where=user_unit.user == user_id)
                | manager.select(
                    manager.business_unit,
                    where=manager.user == user_id)))
        units = tuple(sorted({u for u, in cursor}))
        return cls._get_business_units_cache.set(key, units)

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        from .http_api import clear_key_cache
        super().on_modification(mode, users, field_names=field_names)
        if mode == 'write':
            cls._get_business_units_cache.clear()
            clear_key_cache()


class UserApplication(metaclass=PoolMeta):
    __name__ = 'res.user.application'

    valid_until = fields.DateTime(
        "Valid Until",
        help="After this moment the key is refused (leave empty for no "
        "expiry).")
    # what the server knows of the device's clock (see http_api.offline_time)
    last_contact = fields.Timestamp(
        "Last Contact", readonly=True,
        help="The server's time of the key's latest request (to within 30 "
        "seconds).")
    outage_start = fields.Timestamp(
        "Last Outage Start", readonly=True,
        help="The key's last contact before its latest silence of more "
        "than 2 minutes: an event recorded offline since is not judged "
        "earlier.")
    outage_end = fields.Timestamp(
        "Last Outage End", readonly=True,
        help="The key's first contact after its latest silence of more "
        "than 2 minutes.")

    @classmethod
    def on_modification(cls, mode, applications, field_names=None):
        from .http_api import clear_key_cache
        super().on_modification(
            mode, applications, field_names=field_names)
        clear_key_cache()


class UserApplicationAttempt(ModelSQL):
    """A request refused for its key, to limit the keys a network may try
    (as res.user.login.attempt limits the passwords tried): at most
    [session] max_attempt refused keys per [session] ip_network_4/6 network
    in the last [session] timeout seconds"""
    __name__ = 'res.user.application.attempt'
    __string__ = "User Application Attempt"
    ip_address = fields.Char("IP Address")
    ip_network = fields.Char("IP Network")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.ip_network, Index.Equality()),
                (t.create_date, Index.Range())))

    @staticmethod
    def window():
        return dt.timedelta(seconds=config.getint('session', 'timeout'))

    @staticmethod
    def _network():
        "(address, network) of the request, as text"
        address, network = Transaction().remote_address()
        return (str(address) if address else None,
            str(network) if network else None)

    @classmethod
    def add(cls):
        "Record a refused key of the request's network"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(
                where=table.create_date < dt.datetime.now() - cls.window()))
        address, network = cls._network()
        cls.create([{'ip_address': address, 'ip_network': network}])

    @classmethod
    def wait(cls):
        """The seconds the request's network must wait before a key is
        checked again, or 0: the time until the last max_attempt refusals
        are no longer all within the window"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        _, network = cls._network()
        now = dt.datetime.now()
        window = cls.window()
        cursor.execute(*table.select(table.create_date,
                where=(table.ip_network == (network or Null))
                & (table.create_date >= now - window),
                order_by=[table.create_date.desc],
                limit=1,
                offset=max(config.getint('session', 'max_attempt'), 1) - 1))
        row = cursor.fetchone()
        if not row:
            return 0
        return max(1, math.ceil((row[0] + window - now).total_seconds()))
