# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Devices and their keys: a gate kiosk, a scale, a phone, a meter import
talk to the JSON routes (``http_api.json_api``) with a key, a
``res.user.application`` bound to the device and to a user of its unit.

See doc/devices.rst: the kinds, the binding, the expiry, who issues and
revokes the keys, and how a module declares a kind and a route."""
import datetime as dt

import trytond.config as config
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import (
    DeviceAccessError, DeviceError, DeviceKeyError, DeviceKeyUnitError)
from .mixin import BusinessUnitMixin, CodeNameMixin

# the application of the keys of casa_base's kinds of devices
APPLICATION = 'casa_device'
# the validity of a key issued by a manager, in days: its default and its
# longest ([casa] device_key_days and device_key_max_days of trytond.conf)
KEY_DAYS = 365
KEY_MAX_DAYS = 730
# the groups whose members are never the user of a device's key: a key
# acting as one of them would give a device (and whoever holds its key) more
# than a unit's work
POWERFUL_GROUPS = [
    ('res', 'group_admin'),
    ('casa_base', 'group_business_unit_admin'),
    ('casa_base', 'group_business_unit_all'),
    ('casa_base', 'group_business_unit_manager'),
    ]


def key_days():
    "(default, longest) validity of a key issued by a manager, in days"
    longest = config.getint('casa', 'device_key_max_days',
        default=KEY_MAX_DAYS)
    default = min(config.getint('casa', 'device_key_days', default=KEY_DAYS),
        longest)
    return default, longest


class Device(
        CodeNameMixin, DeactivableMixin, BusinessUnitMixin, ModelSQL,
        ModelView):
    """A device of a business unit that calls the JSON routes with a key: a
    gate kiosk, a scale, a phone, a meter import"""
    __name__ = 'casa.device'
    __string__ = "Device"
    _rec_name_fields = ['code', 'name', 'serial_number']

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    kind = fields.Selection([
            ('scale', "Scale"),
            ('phone', "Phone"),
            ('meter_import', "Meter Import"),
            ], "Kind", required=True, sort=False,
        help="What the device is: it decides which routes its key may "
        "call and which users may hold its key.")
    site = fields.Many2One(
        'casa.site', "Site", ondelete='RESTRICT',
        domain=[
            ('business_unit', '=', Eval('business_unit', -1)),
            ],
        help="Where the device stands.")
    serial_number = fields.Char("Serial Number", strip=True)
    notes = fields.Text("Notes")
    keys = fields.One2Many(
        'res.user.application', 'device', "Keys", readonly=True,
        order=[('id', 'DESC')],
        help="The keys issued for the device, the latest first: one at a "
        "time is valid.")
    key = fields.Function(fields.Many2One(
            'res.user.application', "Current Key",
            help="The valid key of the device, if any."),
        'get_key')
    key_user = fields.Function(fields.Many2One(
            'res.user', "Key User",
            help="The user the device acts as."),
        'get_key_field')
    key_state = fields.Function(fields.Selection([
                (None, ""),
                ('valid', "Valid"),
                ('expired', "Expired"),
                ('revoked', "Revoked"),
                ], "Key State",
            help="The state of the device's latest key."),
        'get_key_state')
    key_valid_until = fields.Function(fields.DateTime(
            "Key Valid Until"), 'get_key_field')
    key_last_contact = fields.Function(fields.DateTime(
            "Last Contact",
            help="The server's time of the latest request of the device's "
            "key."),
        'get_key_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.business_unit, t.code),
                'casa_base.msg_device_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]
        # kind: (application of its keys, the group their user must be in)
        cls._kinds = {
            'scale': (APPLICATION, 'casa_base.group_device'),
            'phone': (APPLICATION, 'casa_base.group_device'),
            'meter_import': (APPLICATION, 'casa_base.group_device'),
            }
        cls._buttons.update({
                'issue_key': {
                    'invisible': ~Eval('active', True),
                    'depends': ['active'],
                    },
                'revoke': {
                    'invisible': ~Eval('key_state').in_(['valid', 'expired']),
                    'depends': ['key_state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def kind_application(cls, kind):
        "The application of the keys of the kind of devices"
        return cls._kinds[kind][0]

    @classmethod
    def application_kinds(cls, application):
        "The kinds of devices whose keys are of the application"
        return {k for k, (a, _) in cls._kinds.items() if a == application}

    @classmethod
    def kind_group(cls, kind):
        "The group the user of a key of the kind of devices must be in"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        module, xml_id = cls._kinds[kind][1].split('.')
        return pool.get('res.group')(ModelData.get_id(module, xml_id))

    @property
    def latest_key(self):
        "The device's latest key (read as the system: keys are guarded)"
        Application = Pool().get('res.user.application')
        with without_check_access():
            keys = Application.search([
                    ('device', '=', self.id),
                    ], order=[('id', 'DESC')], limit=1)
        return keys[0] if keys else None

    def get_key(self, name):
        key = self.latest_key
        if key and key.is_valid():
            return key.id

    def get_key_field(self, name):
        key = self.latest_key
        if not key:
            return None
        with without_check_access():
            value = getattr(key, {
                    'key_user': 'user',
                    'key_valid_until': 'valid_until',
                    'key_last_contact': 'last_contact',
                    }[name])
        if isinstance(value, ModelSQL):
            return value.id
        return value

    def get_key_state(self, name):
        key = self.latest_key
        if not key:
            return None
        if key.state != 'validated':
            return 'revoked'
        if not key.is_valid():
            return 'expired'
        return 'valid'

    @classmethod
    def validate_fields(cls, devices, field_names):
        super().validate_fields(devices, field_names)
        for device in devices:
            if (device.business_unit and device.company
                    and device.business_unit.company != device.company):
                raise DeviceError(gettext(
                        'casa_base.msg_device_company',
                        device=device.rec_name))
            if device.site and device.site.business_unit != (
                    device.business_unit):
                raise DeviceError(gettext(
                        'casa_base.msg_device_site_unit',
                        device=device.rec_name, site=device.site.rec_name))

    @classmethod
    def check_modification(cls, mode, devices, values=None, external=False):
        "The kind of a device with keys stays: its keys are of that kind"
        super().check_modification(
            mode, devices, values=values, external=external)
        if mode == 'write' and values and 'kind' in values:
            for device in devices:
                if device.kind != values['kind'] and device.latest_key:
                    raise DeviceError(gettext(
                            'casa_base.msg_device_kind_keys',
                            device=device.rec_name))

    @classmethod
    def delete(cls, devices):
        """A device with keys is archived, not deleted: its keys are its
        history"""
        # the rules first: another unit's device is refused, not described
        cls.read([d.id for d in devices], ['id'])
        for device in devices:
            if device.latest_key:
                raise DeviceError(gettext(
                        'casa_base.msg_device_delete_keys',
                        device=device.rec_name))
        super().delete(devices)

    @classmethod
    def on_modification(cls, mode, devices, field_names=None):
        from .http_api import clear_key_cache
        super().on_modification(mode, devices, field_names=field_names)
        clear_key_cache()

    @classmethod
    def copy(cls, devices, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('keys')
        default.setdefault('code', lambda d: d['code'] + ' (copy)')
        return super().copy(devices, default=default)

    def check_manager(self):
        """Refuse the current user unless they may issue and revoke the keys
        of the device: an administrator, or a manager of its unit"""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        if User.is_rights_administrator():
            return
        units = User.get_business_units()
        manager = ModelData.get_id(
            'casa_base', 'group_business_unit_manager')
        if (manager not in User.get_groups()
                or (units is not None
                    and self.business_unit.id not in units)):
            raise DeviceAccessError(gettext(
                    'casa_base.msg_device_key_not_manager',
                    device=self.rec_name))

    @classmethod
    @ModelView.button_action('casa_base.wizard_device_issue_key')
    def issue_key(cls, devices):
        pass

    @classmethod
    @ModelView.button
    def revoke(cls, devices):
        "Revoke the valid keys of the devices"
        Application = Pool().get('res.user.application')
        for device in devices:
            device.check_manager()
        with without_check_access():
            keys = Application.search([
                    ('device', 'in', [d.id for d in devices]),
                    ('state', '!=', 'cancelled'),
                    ])
            Application.cancel(keys)

    def new_key(self, user, valid_until):
        """Issue a key of the device for the user, valid until then, by the
        current user; the device's previous keys are revoked.  Return the
        key and its expiry"""
        pool = Pool()
        Application = pool.get('res.user.application')
        User = pool.get('res.user')
        self.check_manager()
        if not self.active:
            raise DeviceError(gettext(
                    'casa_base.msg_device_inactive', device=self.rec_name))
        if not User.is_rights_administrator():
            _, longest = key_days()
            now = dt.datetime.now()
            if (not valid_until or valid_until <= now
                    or valid_until > now + dt.timedelta(days=longest)):
                raise DeviceKeyError(gettext(
                        'casa_base.msg_device_key_validity',
                        days=longest))
            # a manager never mints a key acting in a unit not theirs
            units = User.get_business_units()
            with Transaction().set_user(user.id):
                user_units = User.get_business_units()
            if units is not None and (
                    user_units is None or set(user_units) - set(units)):
                raise DeviceKeyUnitError(gettext(
                        'casa_base.msg_device_key_user_units',
                        user=user.rec_name))
        with without_check_access():
            key, = Application.create([{
                        'user': user.id,
                        'device': self.id,
                        'application': self.kind_application(self.kind),
                        'valid_until': valid_until,
                        }])
            # read here: the key of a device is shown once, to its issuer
            return key.key, key.valid_until


class DeviceKey(metaclass=PoolMeta):
    "A key of a device: a user of the device's unit acting as the device"
    __name__ = 'res.user.application'

    device = fields.Many2One(
        'casa.device', "Device", ondelete='CASCADE',
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        help="The device the key is for: the key acts as its user on the "
        "routes of the device's kind.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = (APPLICATION, "Device")
        if selection not in cls.application.selection:
            cls.application.selection.append(selection)

    @classmethod
    def business_unit_rule(cls, units, mode):
        """The keys of the devices of the units, and the keys of no device
        (each user's own, by Tryton's rule)"""
        return ['OR',
            ('device', '=', None),
            ('device.business_unit', 'in', list(units)),
            ]

    def is_valid(self, now=None):
        "Tell whether the key is accepted now (its device aside)"
        if now is None:
            now = dt.datetime.now()
        return self.state == 'validated' and (
            not self.valid_until or self.valid_until >= now)

    @classmethod
    def read(cls, ids, fields_names):
        """The key of a device is shown once, when issued: only an
        administrator reads it again"""
        pool = Pool()
        User = pool.get('res.user')
        result = super().read(ids, fields_names)
        if ('key' in fields_names and Transaction().check_access
                and not User.is_rights_administrator()):
            with without_check_access():
                bound = {a.id for a in cls.browse(ids) if a.device}
            for row in result:
                if row['id'] in bound and row.get('key'):
                    row['key'] = '…' + row['key'][-4:]
        return result

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        for application in applications:
            application.check_device()

    def check_device(self):
        """A key of an application of devices is bound to a device of the
        application's kind, whose unit its user works for; its user is in
        the kind's group and in no powerful group"""
        pool = Pool()
        Device = pool.get('casa.device')
        ModelData = pool.get('ir.model.data')
        device = self.device
        kinds = Device.application_kinds(self.application)
        if not device:
            if kinds:
                raise DeviceKeyError(gettext(
                        'casa_base.msg_device_key_no_device'))
            return
        if Device.kind_application(device.kind) != self.application:
            raise DeviceKeyError(gettext(
                    'casa_base.msg_device_key_application',
                    device=device.rec_name))
        user = self.user
        if not user:
            return
        groups = {g.id for g in user.groups}
        for module, xml_id in POWERFUL_GROUPS:
            if ModelData.get_id(module, xml_id) in groups:
                raise DeviceKeyError(gettext(
                        'casa_base.msg_device_key_user_powerful',
                        user=user.rec_name))
        group = Device.kind_group(device.kind)
        if group.id not in groups:
            raise DeviceKeyError(gettext(
                    'casa_base.msg_device_key_user_group',
                    user=user.rec_name, group=group.rec_name,
                    device=device.rec_name))
        if not user.active or not user.has_business_unit(
                device.business_unit):
            raise DeviceKeyUnitError(gettext(
                    'casa_base.msg_device_key_user_unit',
                    user=user.rec_name, device=device.rec_name,
                    unit=device.business_unit.rec_name))

    @classmethod
    def create(cls, vlist):
        applications = super().create(vlist)
        cls._revoke_previous(applications)
        return applications

    @classmethod
    def validate_(cls, applications):
        super().validate_(applications)
        cls._revoke_previous(applications)

    @classmethod
    def _revoke_previous(cls, applications):
        "One valid key per device: a new one revokes the device's others"
        keys = {}
        for application in applications:
            if application.device and application.state == 'validated':
                keys[application.device.id] = max(
                    keys.get(application.device.id, 0), application.id)
        if not keys:
            return
        with without_check_access():
            previous = cls.search([
                    ('device', 'in', list(keys)),
                    ('state', '!=', 'cancelled'),
                    ('id', 'not in', list(keys.values())),
                    ])
            if previous:
                cls.cancel(previous)


class DeviceIssueKeyStart(ModelView):
    "Issue a key of a device"
    __name__ = 'casa.device.issue_key.start'
    __string__ = "Issue a Key"

    device = fields.Many2One('casa.device', "Device", readonly=True)
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True)
    user = fields.Many2One(
        'res.user', "User", required=True,
        domain=[
            ('business_units', '=', Eval('business_unit', -1)),
            ],
        help="The user the device acts as: a user of the device's unit in "
        "the group of its kind (e.g. a gatekeeper for a kiosk).")
    valid_until = fields.DateTime(
        "Valid Until", required=True,
        help="After this moment the key is refused.")


class DeviceIssueKeyResult(ModelView):
    "The key issued for a device"
    __name__ = 'casa.device.issue_key.result'
    __string__ = "Issued Key"

    device = fields.Many2One('casa.device', "Device", readonly=True)
    key = fields.Char(
        "Key", readonly=True,
        help="Enter it on the device now: it is not shown again.")
    valid_until = fields.DateTime("Valid Until", readonly=True)


class DeviceIssueKey(Wizard):
    "Issue a key of a device"
    __name__ = 'casa.device.issue_key'

    start = StateView('casa.device.issue_key.start',
        'casa_base.device_issue_key_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Issue", 'issue', 'tryton-ok', default=True),
            ])
    issue = StateTransition()
    result = StateView('casa.device.issue_key.result',
        'casa_base.device_issue_key_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        default, _ = key_days()
        self.record.check_manager()
        key = self.record.latest_key
        values = {
            'device': self.record.id,
            'business_unit': self.record.business_unit.id,
            'valid_until': (dt.datetime.now().replace(microsecond=0)
                + dt.timedelta(days=default)),
            }
        if key and key.user and key.user.active:
            values['user'] = key.user.id
        return values

    def transition_issue(self):
        self.result.key, self.result.valid_until = self.record.new_key(
            self.start.user, self.start.valid_until)
        return 'result'

    def default_result(self, fields):
        return {
            'device': self.record.id,
            'key': self.result.key,
            'valid_until': self.result.valid_until,
            }
