# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt

from sql import Literal, Null

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .device import APPLICATION
from .kiosk import ClearKioskCacheMixin


class UserApplication(ClearKioskCacheMixin, metaclass=PoolMeta):
    "A kiosk key: a gatekeeper at the gate of a kiosk (a device)"
    __name__ = 'res.user.application'

    gate = fields.Function(fields.Many2One(
            'casa.access.gate', "Gate",
            help="The gate of the key's kiosk."),
        'get_gate', searcher='search_gate')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = (APPLICATION, "Gate Kiosk")
        if selection not in cls.application.selection:
            cls.application.selection.append(selection)

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls._migrate_gate_keys(module)

    @classmethod
    def _migrate_gate_keys(cls, module):
        """The kiosk keys had their gate (column ``gate``) before the gate
        kiosks became devices: each such key gets a kiosk device of its own
        at its gate, so that it keeps working"""
        pool = Pool()
        Device = pool.get('casa.device')
        Gate = pool.get('casa.access.gate')
        Site = pool.get('casa.access.site')
        table_h = cls.__table_handler__(module)
        if not table_h.column_exist('gate'):
            return
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        device = Device.__table__()
        gate = Gate.__table__()
        site = Site.__table__()
        cursor.execute(*table.join(gate, condition=gate.id == table.gate
                ).join(site, condition=site.id == gate.site
                ).select(table.id, gate.id, gate.code, gate.name,
                    site.code, site.business_unit, site.company,
                    where=(table.device == Null)
                    & (table.application == APPLICATION),
                    order_by=[table.id]))
        database = Transaction().database
        now = dt.datetime.now()
        for key_id, gate_id, gate_code, gate_name, site_code, unit_id, \
                company_id in cursor.fetchall():
            insert = device.insert([
                    device.code, device.name, device.kind, device.gate,
                    device.business_unit, device.company,
                    device.active, device.create_uid, device.create_date],
                [[
                        'K%s-%s-%s' % (key_id, site_code, gate_code),
                        'Kiosk %s / %s' % (site_code, gate_name),
                        'kiosk', gate_id, unit_id, company_id,
                        Literal(True), 0, now]])
            if database.has_returning():
                insert.returning = [device.id]
                cursor.execute(*insert)
                device_id, = cursor.fetchone()
            else:
                cursor.execute(*insert)
                device_id = database.lastid(cursor)
            cursor.execute(*table.update(
                    [table.device], [device_id], where=table.id == key_id))

    def get_gate(self, name):
        if self.device and self.device.gate:
            return self.device.gate.id

    @classmethod
    def search_gate(cls, name, clause):
        return [('device.gate' + clause[0][len(name):], *clause[1:])]
