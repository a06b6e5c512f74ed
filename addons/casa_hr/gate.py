# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Staff badges at the gates: an allowed passage at a casa_access gate of
a badge held by an employee is an attendance line of theirs (in or out, at
the time of the passage)."""
from trytond.model import fields
from trytond.modules.casa_access.normalise import normalise_identifier
from trytond.modules.casa_base.localtime import local_date
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    badge = fields.Char(
        "Badge", help="The badge the employee passes the gates with: each "
        "allowed passage of it is an attendance line.")

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('badge'):
            values['badge'] = normalise_identifier(values['badge'])
        return values


class Passage(metaclass=PoolMeta):
    __name__ = 'casa.access.passage'

    @classmethod
    def record(cls, gate, user_id, uuid, direction, identifiers, **kwargs):
        passage, created = super().record(
            gate, user_id, uuid, direction, identifiers, **kwargs)
        if created:
            cls._attend([passage])
        return passage, created

    @classmethod
    def record_many(cls, gate, user_id, events, now=None):
        results = super().record_many(gate, user_id, events, now=now)
        if not Transaction().database.has_returning():
            # (recorded one by one, through record)
            return results
        cls._attend([p for p, created in results if created])
        return results

    @classmethod
    def _attend(cls, passages):
        "The attendance lines of the allowed passages of staff badges"
        pool = Pool()
        Employee = pool.get('company.employee')
        Line = pool.get('attendance.line')
        passages = [p for p in passages
            if p.get('badge') and p.get('verdict') == 'allowed']
        if not passages:
            return
        badges = {normalise_identifier(p['badge']) for p in passages}
        with without_check_access():
            employees = {e.badge: e for e in Employee.search([
                        ('badge', 'in', list(badges)),
                        ])}
            lines = []
            for passage in passages:
                employee = employees.get(normalise_identifier(passage['badge']))
                if not employee:
                    continue
                lines.append({
                        'company': employee.company.id,
                        'employee': employee.id,
                        'at': passage['timestamp'],
                        'date': local_date(
                            passage['timestamp'], employee.company),
                        'type': passage['direction'],
                        })
            if lines:
                Line.create(lines)
