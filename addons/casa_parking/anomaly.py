# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The detectors of the car parks, writing into casa_base's anomaly flags:
exits without an entry (at the exit) and entries without an exit (a cron
over the sessions still open)."""
from trytond.pool import PoolMeta


class Anomaly(metaclass=PoolMeta):
    __name__ = 'casa.anomaly'

    @classmethod
    def _get_kinds(cls):
        return super()._get_kinds() + [
            ('parking_exit_without_entry',
                'casa_parking.msg_anomaly_kind_exit_without_entry'),
            ('parking_entry_without_exit',
                'casa_parking.msg_anomaly_kind_entry_without_exit'),
            ('parking_void_rate',
                'casa_parking.msg_anomaly_kind_void_rate'),
            ]

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['casa.parking.session']


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('casa.parking.session|detect_entries_without_exit',
                "Detect Entries without Exit"))
