# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""In a gated car park the sessions are the gate passages of casa_access: an
allowed entry opens the plate's session, an allowed exit closes it, prices it
and records its payment in cash on the gate's shift."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

BATCH = '_casa_parking_batch'


class Passage(metaclass=PoolMeta):
    __name__ = 'casa.access.passage'

    @classmethod
    def record(cls, gate, user_id, *args, **kwargs):
        passage, created = super().record(gate, user_id, *args, **kwargs)
        if created and not Transaction().context.get(BATCH):
            cls.to_parking_sessions(gate, [passage])
        return passage, created

    @classmethod
    def record_many(cls, gate, user_id, events, now=None):
        with Transaction().set_context(**{BATCH: True}):
            results = super().record_many(gate, user_id, events, now=now)
        cls.to_parking_sessions(gate, [p for p, created in results
                if created])
        return results

    @classmethod
    def to_parking_sessions(cls, gate, passages):
        """Open or close the sessions of the allowed passages (dicts of
        record) with a plate at the gate of a gated car park"""
        pool = Pool()
        CarPark = pool.get('casa.parking.car_park')
        Session = pool.get('casa.parking.session')
        passages = [p for p in passages
            if p['verdict'] == 'allowed' and p.get('plate')]
        if not passages:
            return
        with without_check_access():
            car_park = CarPark.of_access_site(gate.site_id)
            if car_park is None:
                return
            for values in sorted(passages, key=lambda p: p['timestamp']):
                passage = cls(values['id'])
                if passage.direction == 'in':
                    Session.enter(car_park, passage.plate, passage.timestamp,
                        vehicle_category=passage.vehicle_category,
                        passage=passage)
                else:
                    session = Session.leave(car_park, passage.plate,
                        passage.timestamp, passage=passage,
                        vehicle_category=passage.vehicle_category,
                        attendant=passage.gatekeeper)
                    Session.pay([session], 'cash', shift=passage.shift)
