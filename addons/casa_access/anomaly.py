# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The detectors of the gates, writing into casa_base's anomaly flags:
overstays (a cron over who is inside) and cash differences of the gate
shifts (at their closing)."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

HOUR = dt.timedelta(hours=1)


class Anomaly(metaclass=PoolMeta):
    __name__ = 'casa.anomaly'

    @classmethod
    def _get_kinds(cls):
        return super()._get_kinds() + [
            ('overstay', 'casa_access.msg_anomaly_kind_overstay'),
            ('cash_difference',
                'casa_access.msg_anomaly_kind_cash_difference'),
            ]

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'casa.access.passage', 'casa.access.shift']


class Presence(metaclass=PoolMeta):
    __name__ = 'casa.access.presence'

    @classmethod
    def detect_overstays(cls):
        """Flag whoever is inside longer than their category allows, one
        flag per entry (the cron runs it every hour: a flag still pending
        is updated with the hours inside, never duplicated)"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        with without_check_access():
            presences = cls.search([('overstay', '=', True)])
            for presence in presences:
                limit = presence.category.overstay_limit
                hours = Decimal(presence.duration / HOUR).quantize(
                    Decimal('0.1'))
                allowed = Decimal(limit / HOUR).quantize(Decimal('0.1'))
                identifier = presence.plate or presence.badge or presence.cin
                who = ' '.join(filter(None, [presence.name,
                            '(%s)' % identifier if identifier else None]))
                Anomaly.flag('overstay', presence.business_unit,
                    origin='casa.access.passage,%s' % presence.id,
                    key='entry %s' % presence.id,
                    evidence=gettext('casa_access.msg_anomaly_overstay',
                        who=who, site=presence.site.rec_name,
                        hours=hours, allowed=allowed),
                    figures=[
                        (gettext('casa_access.msg_anomaly_hours_inside'),
                            hours),
                        (gettext('casa_access.msg_anomaly_hours_allowed'),
                            allowed),
                        ],
                    # certain once inside twice as long as allowed
                    score=min(100, int(50 * hours / allowed))
                    if allowed else 100)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('casa.access.presence|detect_overstays', "Detect Overstays"))


class Shift(metaclass=PoolMeta):
    __name__ = 'casa.access.shift'

    def book(self):
        super().book()
        self.flag_cash_difference()

    def flag_cash_difference(self):
        """Flag the closed shift whose counted cash differs from the fees
        of its passages; the score grows with the share of the fees"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        shift = self.__class__(self.id)
        difference = shift.difference
        if not difference:
            return
        expected = shift.expected_amount or Decimal(0)
        declared = shift.declared_amount or Decimal(0)
        share = abs(difference) / expected if expected else Decimal(1)
        Anomaly.flag('cash_difference', shift.business_unit,
            origin=str(shift),
            evidence=gettext('casa_access.msg_anomaly_cash_difference',
                shift=shift.number or '', gate=shift.gate.rec_name,
                declared=declared, expected=expected,
                difference=difference),
            figures=[
                (gettext('casa_access.msg_anomaly_expected'), expected),
                (gettext('casa_access.msg_anomaly_declared'), declared),
                (gettext('casa_access.msg_anomaly_difference'), difference),
                ],
            # a tenth of the fees missing or more is certain
            score=min(100, int(share * 1000)))
