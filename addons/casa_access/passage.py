# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt

from sql import Column, Conflict, Literal, Select

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.casa_base import query
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import PassageError
from .verdict import REASONS, ZERO, Lookup, decide


class Passage(BusinessUnitMixin, ModelSQL, ModelView):
    """One passage at a gate, allowed or refused: the access log.  Recorded
    by the kiosk, never changed afterwards."""
    __name__ = 'casa.access.passage'
    __string__ = "Passage"

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    uuid = fields.Char(
        "UUID", required=True, readonly=True,
        help="The identifier the kiosk gave to the event: the same event "
        "sent twice is stored once.")
    site = fields.Many2One(
        'casa.access.site', "Site", required=True, readonly=True,
        ondelete='RESTRICT')
    gate = fields.Many2One(
        'casa.access.gate', "Gate", required=True, readonly=True,
        ondelete='RESTRICT')
    direction = fields.Selection([
            ('in', "In"),
            ('out', "Out"),
            ], "Direction", required=True, readonly=True)
    timestamp = fields.Timestamp("Time", required=True, readonly=True)
    device_time = fields.Timestamp(
        "Device Time", readonly=True,
        help="The time of the kiosk when the passage was recorded.")
    offline = fields.Boolean(
        "Recorded Offline", readonly=True,
        help="The kiosk recorded the passage while the server could not be "
        "reached, and sent it later.")
    plate = fields.Char("Plate", readonly=True)
    badge = fields.Char("Badge", readonly=True)
    cin = fields.Char("CIN", readonly=True)
    identity = fields.Char("Identity", readonly=True)
    name = fields.Char("Name", readonly=True)
    authorisation = fields.Many2One(
        'casa.access.authorisation', "Authorisation", readonly=True,
        ondelete='RESTRICT')
    category = fields.Many2One(
        'casa.access.category', "Category", readonly=True,
        ondelete='RESTRICT')
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category", readonly=True,
        ondelete='RESTRICT')
    verdict = fields.Selection([
            ('allowed', "Allowed"),
            ('refused', "Refused"),
            ], "Verdict", required=True, readonly=True)
    device_verdict = fields.Selection([
            (None, ""),
            ('allowed', "Allowed"),
            ('refused', "Refused"),
            ], "Kiosk Verdict", readonly=True,
        help="The verdict the kiosk showed (offline, from its cached copy).")
    judged_at = fields.Timestamp(
        "Judged At", readonly=True,
        help="The moment the verdict was given for: the time of reception, "
        "or for a passage recorded offline its device time as far as the "
        "server can believe it.")
    reception_verdict = fields.Selection([
            (None, ""),
            ('allowed', "Allowed"),
            ('refused', "Refused"),
            ], "Verdict at Reception", readonly=True,
        help="The server's verdict at the time it received the passage.")
    verdict_differs = fields.Boolean(
        "Verdicts Differ", readonly=True,
        help="The kiosk's verdict, the verdict and the verdict at reception "
        "do not all agree: to be checked.")
    reason = fields.Selection(REASONS, "Reason", required=True, readonly=True)
    fee = fields.Numeric("Fee", digits=(16, 2), required=True, readonly=True)
    tariff = fields.Many2One(
        'casa.access.tariff', "Tariff", readonly=True, ondelete='RESTRICT')
    gatekeeper = fields.Many2One(
        'res.user', "Gatekeeper", required=True, readonly=True,
        ondelete='RESTRICT')
    shift = fields.Many2One(
        'casa.access.shift', "Shift", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_constraints = [
            ('uuid_unique', Unique(t, t.uuid),
                'casa_access.msg_passage_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.site, Index.Equality()),
                    (t.identity, Index.Equality()),
                    (t.id, Index.Range())),
                Index(t, (t.gate, Index.Equality()),
                    (t.timestamp, Index.Range())),
                Index(t, (t.shift, Index.Equality())),
                })
        cls._order = [('timestamp', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_fee(cls):
        return ZERO

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('verdict_differs'), 'warning', '')),
            ]

    def get_rec_name(self, name):
        return '%s %s %s' % (
            self.name or self.plate or self.badge or self.cin or '',
            self.direction, self.timestamp)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'} and Transaction().user:
            raise PassageError(gettext('casa_access.msg_passage_immutable'))

    # {columns: the INSERT … SELECT * FROM unnest(…) of record_many}
    _unnest_sql = {}
    # rows per INSERT of record_many, elsewhere than on PostgreSQL
    _insert_slice = 30
    # what the kiosk is told of a passage
    _kiosk_columns = [
        'id', 'uuid', 'gate', 'timestamp', 'device_time', 'direction',
        'plate', 'badge', 'cin', 'name', 'category', 'verdict', 'reason',
        'fee', 'offline', 'shift', 'judged_at', 'reception_verdict',
        'verdict_differs']

    @classmethod
    def find_uuid(cls, uuid):
        "The passage logged under the uuid, whoever may read it, as a dict"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                *[Column(table, c) for c in cls._kiosk_columns],
                where=table.uuid == uuid, limit=1))
        row = cursor.fetchone()
        return dict(zip(cls._kiosk_columns, row)) if row else None

    @classmethod
    def record(cls, gate, user_id, uuid, direction, identifiers,
            vehicle_category=None, device_time=None, offline=False,
            device_verdict=None, now=None, decided_at=None):
        """Decide and log a passage at the gate (a kiosk.GateInfo); return
        (passage as a dict, created): a passage already logged under the
        uuid is returned as it is.  The verdict is given at decided_at
        (e.g. the kiosk's time of a passage recorded offline), else now;
        the verdict at now is kept beside it, and the passage flagged when
        the kiosk's verdict, the verdict and the one at now differ.

        The log is append-only and written by the system for the kiosk's
        key, in one INSERT (the open shift of the gate taken in a
        sub-query, the uuid deduplicated by its unique index): this is the
        hot path of the gates."""
        if now is None:
            now = dt.datetime.now()
        values, verdict = cls._record_values(gate, user_id, uuid, direction,
            identifiers, vehicle_category=vehicle_category,
            device_time=device_time, offline=offline,
            device_verdict=device_verdict, now=now, decided_at=decided_at)
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        returning = transaction.database.has_returning()
        query.execute(cursor, ('casa_access.passage.insert', returning),
            lambda **marks: cls._insert_query(returning, **marks), **values)
        if returning:
            row = cursor.fetchone()
            passage_id = row[0] if row else None
        else:
            passage_id = cursor.lastrowid if cursor.rowcount == 1 else None
        if not passage_id:
            return cls.find_uuid(uuid), False
        passage = {c: values.get(c) for c in cls._kiosk_columns}
        passage['id'] = passage_id
        passage['category'] = verdict.category
        return passage, True

    @classmethod
    def record_many(cls, gate, user_id, events, now=None):
        """Decide and log the passages of events at the gate, each a dict
        of the keywords of record (uuid, direction, identifiers,
        vehicle_category, device_time, offline, device_verdict,
        decided_at); return [(passage as a dict, created)] in the order of
        events.  A uuid already logged (or twice in events) is returned as
        it is, also when it is of another gate: the caller checks the gate.

        The verdicts are given one by one (the same question asked twice
        in the batch is answered once) from the authorisations and
        blacklist entries of all their identifiers read at once (Lookup),
        the passages inserted by one
        multi-row INSERT … ON CONFLICT (uuid) DO NOTHING RETURNING, and
        those already logged read back by one SELECT: nothing in it can
        abort the transaction, the other events of the batch stay."""
        if now is None:
            now = dt.datetime.now()
        transaction = Transaction()
        if not transaction.database.has_returning():
            return [cls.record(gate, user_id, now=now, **e) for e in events]
        verdicts = {}
        # the authorisations and blacklist entries of all the identifiers
        # read at once
        lookup = (Lookup(gate, [e['identifiers'] for e in events])
            if len(events) > 2 else None)

        def judge(gate, direction, identifiers, vehicle_category, now):
            key = (direction, tuple(sorted(identifiers.items())),
                vehicle_category, now)
            if key not in verdicts:
                verdicts[key] = decide(gate, direction, identifiers,
                    vehicle_category, now=now, lookup=lookup)
            return verdicts[key]

        rows = {}
        for event in events:
            if event['uuid'] not in rows:
                rows[event['uuid']] = cls._record_values(
                    gate, user_id, now=now, judge=judge, **event)
        cursor = transaction.connection.cursor()
        created = {}
        if rows:
            shift_id = cls._open_shift(gate.id)
            columns = list(next(iter(rows.values()))[0]) + ['shift']
            if backend.name == 'postgresql':
                # one parameter per column (an array), whatever the count:
                # a short statement, prepared once
                cursor.execute(cls._insert_unnest_sql(columns), [
                        [r[c] for r, _ in rows.values()]
                        for c in columns[:-1]]
                    + [[shift_id] * len(rows)])
                created = dict(cursor.fetchall())
            else:
                # in slices: SQLite takes at most 999 parameters before 3.32
                todo = [r for r, _ in rows.values()]
                for start in range(0, len(todo), cls._insert_slice):
                    chunk = todo[start:start + cls._insert_slice]
                    values = {}
                    for i, row in enumerate(chunk):
                        for column in columns[:-1]:
                            values['%s_%s' % (column, i)] = row[column]
                        values['shift_%s' % i] = shift_id
                    count = len(chunk)
                    query.execute(cursor,
                        ('casa_access.passage.insert_many', count),
                        lambda **marks: cls._insert_many_query(
                            columns, count, marks), **values)
                    created.update(cursor.fetchall())
        existing = cls.find_uuids([u for u in rows if u not in created])
        results, seen = [], set()
        for event in events:
            uuid = event['uuid']
            if uuid in created and uuid not in seen:
                row, verdict = rows[uuid]
                passage = {c: row.get(c) for c in cls._kiosk_columns}
                passage['id'] = created[uuid]
                passage['shift'] = shift_id
                passage['category'] = verdict.category
                existing[uuid] = passage
                results.append((passage, True))
            else:
                results.append((existing[uuid], False))
            seen.add(uuid)
        return results

    @classmethod
    def _open_shift(cls, gate_id):
        "The id of the open shift of the gate, or None"
        Shift = Pool().get('casa.access.shift')
        shift = Shift.__table__()
        cursor = Transaction().connection.cursor()
        query.execute(cursor, 'casa_access.passage.open_shift',
            lambda gate: shift.select(shift.id,
                where=(shift.gate == gate) & (shift.state == 'open'),
                limit=1), gate=gate_id)
        row = cursor.fetchone()
        return row[0] if row else None

    @classmethod
    def _insert_unnest_sql(cls, columns):
        """The multi-row INSERT of record_many on PostgreSQL: the rows are
        unnested from an array per column"""
        sql = cls._unnest_sql.get(tuple(columns))
        if sql is None:
            table = cls._table
            types = [cls._fields[c].sql_type().base for c in columns]
            sql = cls._unnest_sql[tuple(columns)] = (
                'INSERT INTO "%s" (%s) SELECT * FROM unnest(%s) '
                'ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid", "id"' % (
                    table, ', '.join('"%s"' % c for c in columns),
                    ', '.join('%%s::%s[]' % t for t in types)))
        return sql

    @classmethod
    def _insert_many_query(cls, columns, count, marks):
        "The multi-row INSERT of record_many, for count rows"
        table = cls.__table__()
        return table.insert(
            [Column(table, c) for c in columns],
            [[marks['%s_%s' % (c, i)] for c in columns]
                for i in range(count)],
            on_conflict=Conflict(table, indexed_columns=[table.uuid]),
            returning=[table.uuid, table.id])

    @classmethod
    def find_uuids(cls, uuids):
        "{uuid: passage as a dict} of the uuids logged, whoever may read them"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        found = {}
        for i in range(0, len(uuids), 500):
            cursor.execute(*table.select(
                    *[Column(table, c) for c in cls._kiosk_columns],
                    where=table.uuid.in_(uuids[i:i + 500])))
            for row in cursor:
                passage = dict(zip(cls._kiosk_columns, row))
                found[passage['uuid']] = passage
        return found

    @classmethod
    def _record_values(cls, gate, user_id, uuid, direction, identifiers,
            vehicle_category=None, device_time=None, offline=False,
            device_verdict=None, now=None, decided_at=None, judge=None):
        """(the columns of the passage to insert, its Verdict); judge is
        decide or a function like it (e.g. remembering its verdicts)"""
        judge = judge or decide
        decided_at = decided_at or now
        verdict = judge(gate, direction, identifiers, vehicle_category,
            now=decided_at)
        reception = verdict.verdict
        if decided_at != now:
            reception = judge(gate, direction, identifiers,
                vehicle_category, now=now).verdict
        differs = len({verdict.verdict, reception, device_verdict
                or verdict.verdict}) > 1
        values = {
            'create_uid': user_id,
            'create_date': now,
            'company': gate.company_id,
            'business_unit': gate.business_unit_id,
            'uuid': uuid,
            'site': gate.site_id,
            'gate': gate.id,
            'direction': direction,
            'timestamp': now,
            'device_time': device_time,
            'offline': bool(offline),
            'plate': identifiers.get('plate'),
            'badge': identifiers.get('badge'),
            'cin': identifiers.get('cin'),
            'identity': verdict.identity,
            'name': verdict.name,
            'authorisation': verdict.authorisation,
            'category': verdict.category.id if verdict.category else None,
            'vehicle_category': verdict.vehicle_category,
            'verdict': verdict.verdict,
            'device_verdict': device_verdict,
            'judged_at': decided_at,
            'reception_verdict': reception,
            'verdict_differs': differs,
            'reason': verdict.reason,
            'fee': verdict.fee,
            'tariff': verdict.tariff,
            'gatekeeper': user_id,
            }
        return values, verdict

    @classmethod
    def _insert_query(cls, returning, **values):
        """INSERT … SELECT of a passage: the open shift of the gate as a
        sub-query, nothing when the uuid is already logged (WHERE true keeps
        SQLite's parser off the ambiguity with the ON CONFLICT clause)"""
        Shift = Pool().get('casa.access.shift')
        table = cls.__table__()
        shift = Shift.__table__()
        open_shift = shift.select(shift.id,
            where=(shift.gate == values['gate']) & (shift.state == 'open'),
            limit=1)
        row = Select([Literal(v) for v in values.values()] + [open_shift],
            where=Literal(True))
        insert = table.insert(
            [Column(table, c) for c in values] + [table.shift], row,
            on_conflict=Conflict(table, indexed_columns=[table.uuid]))
        if returning:
            insert.returning = [table.id]
        return insert
