# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""On-street parking meters: their ticket sales imported from the meters'
CSV files (format in doc/index.rst) and summed per zone and local day."""
import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from sql import Literal
from sql.aggregate import Count, Max, Min, Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.casa_base.localtime import timezone
from trytond.modules.casa_base.mixin import BusinessUnitMixin
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import MeterImportError

COLUMNS = ['meter', 'zone', 'time', 'amount', 'duration']
TIME_FORMATS = ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%dT%H:%M']
MAX_ERRORS = 20


class MeterSale(BusinessUnitMixin, ModelSQL, ModelView):
    "A ticket sold by an on-street parking meter"
    __name__ = 'casa.parking.meter_sale'
    __string__ = "Meter Ticket"

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", required=True, readonly=True,
        ondelete='RESTRICT')
    zone = fields.Many2One(
        'casa.parking.zone', "Zone", required=True, readonly=True,
        ondelete='RESTRICT')
    meter = fields.Char("Meter", required=True, readonly=True)
    time = fields.Timestamp("Time", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True,
        help="The local date of the sale.")
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    duration = fields.Integer("Minutes", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.business_unit.readonly = True
        t = cls.__table__()
        cls._sql_constraints = [
            ('meter_time_unique', Unique(t, t.car_park, t.meter, t.time),
                'casa_parking.msg_meter_sale_unique'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.zone, Index.Equality()), (t.date, Index.Range())))
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    @classmethod
    def check_modification(cls, mode, sales, values=None, external=False):
        super().check_modification(
            mode, sales, values=values, external=external)
        if external and mode in {'write', 'create'}:
            raise MeterImportError(gettext('casa_parking.msg_meter_write'))

    @classmethod
    def parse_csv(cls, car_park, data):
        """The values of the sales of the CSV data (bytes) for the car park;
        refuse the whole file with the errors of its lines"""
        pool = Pool()
        Zone = pool.get('casa.parking.zone')
        zones = {z.code.upper(): z for z in Zone.search([
                    ('car_park', '=', car_park.id)])}
        try:
            text = data.decode('utf-8-sig')
        except UnicodeDecodeError:
            raise MeterImportError(gettext(
                    'casa_parking.msg_meter_encoding'))
        try:
            dialect = csv.Sniffer().sniff(text.split('\n', 1)[0], ',;\t')
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        header = [c.strip().lower() for c in next(reader, [])]
        if header != COLUMNS:
            raise MeterImportError(gettext(
                    'casa_parking.msg_meter_header',
                    columns=', '.join(COLUMNS)))
        values, errors, seen = [], [], set()
        for line, row in enumerate(reader, 2):
            if not any(c.strip() for c in row):
                continue
            try:
                values.append(cls._parse_row(car_park, zones, row, seen))
            except ValueError as error:
                errors.append(gettext('casa_parking.msg_meter_line',
                        line=line, error=str(error)))
        if errors:
            more = len(errors) - MAX_ERRORS
            raise MeterImportError(gettext(
                    'casa_parking.msg_meter_errors', count=len(errors)),
                '\n'.join(errors[:MAX_ERRORS]
                    + (['…(+%s)' % more] if more > 0 else [])))
        if not values:
            raise MeterImportError(gettext('casa_parking.msg_meter_empty'))
        return values

    @classmethod
    def _parse_row(cls, car_park, zones, row, seen):
        if len(row) != len(COLUMNS):
            raise ValueError(gettext('casa_parking.msg_meter_columns',
                    count=len(row), expected=len(COLUMNS)))
        meter, zone_code, time, amount, duration = [c.strip() for c in row]
        if not meter:
            raise ValueError(gettext('casa_parking.msg_meter_no_meter'))
        zone = zones.get(zone_code.upper())
        if zone is None:
            raise ValueError(gettext('casa_parking.msg_meter_zone',
                    zone=zone_code))
        for format_ in TIME_FORMATS:
            try:
                local = dt.datetime.strptime(time, format_)
                break
            except ValueError:
                continue
        else:
            raise ValueError(gettext('casa_parking.msg_meter_time',
                    time=time))
        try:
            amount = Decimal(amount)
            if (not amount.is_finite() or amount < 0
                    or amount != amount.quantize(Decimal('0.01'))):
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(gettext('casa_parking.msg_meter_amount',
                    amount=amount))
        try:
            duration = int(duration)
            if duration < 0:
                raise ValueError
        except ValueError:
            raise ValueError(gettext('casa_parking.msg_meter_duration',
                    duration=duration))
        zone_info = timezone(car_park.company)
        utc = local.replace(tzinfo=zone_info).astimezone(
            dt.timezone.utc).replace(tzinfo=None)
        key = (meter, utc)
        if key in seen:
            raise ValueError(gettext('casa_parking.msg_meter_duplicate',
                    meter=meter, time=time))
        seen.add(key)
        return {
            'company': car_park.company.id,
            'business_unit': car_park.business_unit.id,
            'car_park': car_park.id,
            'zone': zone.id,
            'meter': meter,
            'time': utc,
            'date': local.date(),
            'amount': amount.quantize(Decimal('0.01')),
            'duration': duration,
            }

    @classmethod
    def import_csv(cls, car_park, data):
        """Import the sales of the CSV data for the on-street car park, all
        or nothing: a sale already imported (same meter and time) refuses
        the file"""
        if car_park.kind != 'street':
            raise MeterImportError(gettext(
                    'casa_parking.msg_meter_not_street',
                    car_park=car_park.rec_name))
        values = cls.parse_csv(car_park, data)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        times = sorted({v['time'] for v in values})
        cursor.execute(*table.select(table.meter, table.time,
                where=(table.car_park == car_park.id)
                & (table.time >= times[0]) & (table.time <= times[-1])))
        known = set(cursor)
        already = [v for v in values if (v['meter'], v['time']) in known]
        if already:
            raise MeterImportError(gettext(
                    'casa_parking.msg_meter_already',
                    count=len(already), meter=already[0]['meter'],
                    time=already[0]['time']))
        return cls.create(values)


class MeterDay(BusinessUnitMixin, ModelSQL, ModelView):
    "The meters' ticket sales of a zone on a local day"
    __name__ = 'casa.parking.meter_day'
    __string__ = "Meter Sales per Zone and Day"

    company = fields.Many2One('company.company', "Company", readonly=True)
    car_park = fields.Many2One(
        'casa.parking.car_park', "Car Park", readonly=True)
    zone = fields.Many2One('casa.parking.zone', "Zone", readonly=True)
    date = fields.Date("Date", readonly=True)
    tickets = fields.Integer("Tickets", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    minutes = fields.Integer("Minutes", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('zone', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sale = pool.get('casa.parking.meter_sale')
        sale = Sale.__table__()
        return sale.select(
            Min(sale.id).as_('id'),
            Literal(0).as_('create_uid'),
            Max(sale.create_date).as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            sale.company, sale.business_unit, sale.car_park, sale.zone,
            sale.date,
            Count(sale.id).as_('tickets'),
            Sum(sale.amount).as_('amount'),
            Sum(sale.duration).as_('minutes'),
            group_by=[sale.company, sale.business_unit, sale.car_park,
                sale.zone, sale.date])


class MeterImportStart(ModelView):
    "Import Meter Sales"
    __name__ = 'casa.parking.meter_import.start'
    __string__ = "Import Meter Sales"

    car_park = fields.Many2One('casa.parking.car_park', "Car Park",
        required=True, domain=[('kind', '=', 'street')])
    file = fields.Binary("File", required=True, filename='filename',
        help="CSV: meter, zone, time, amount, duration (see the manual).")
    filename = fields.Char("File Name")


class MeterImport(Wizard):
    "Import Meter Sales"
    __name__ = 'casa.parking.meter_import'

    start = StateView('casa.parking.meter_import.start',
        'casa_parking.meter_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()

    def transition_import_(self):
        pool = Pool()
        Sale = pool.get('casa.parking.meter_sale')
        CarPark = pool.get('casa.parking.car_park')
        # read as the user: a car park of another unit is refused
        car_park, = CarPark.browse([self.start.car_park.id])
        car_park.kind
        data = self.start.file
        with without_check_access():
            Sale.import_csv(car_park, data)
        return 'end'
