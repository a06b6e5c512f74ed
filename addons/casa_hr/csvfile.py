# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The CSV files HR imports (payroll, registry): a header naming the
columns, ``;`` or ``,``, UTF-8 or Windows-1252, decimal commas; every error
collected with its line and column, the file refused whole when there is
one."""
import csv
import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from trytond.i18n import gettext

from .exceptions import PayrollImportError

# the errors listed in the message of a refused file
MAX_ERRORS = 50


def header_key(value):
    "A header compared without case, accents, spaces, dashes nor underscores"
    value = unicodedata.normalize('NFKD', value or '')
    value = ''.join(c for c in value if not unicodedata.combining(c))
    return re.sub(r'[\s_\-.]', '', value).lower()


def decode(data):
    "The text of the file: UTF-8 (with or without BOM), else Windows-1252"
    if isinstance(data, str):
        return data
    data = bytes(data)
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError:
        return data.decode('cp1252', errors='replace')


def parse_amount(value):
    """The Decimal of an amount written 1234.50, 1234,50, 1 234,50 or
    1.234,50; None when it is not one"""
    value = re.sub(r'[\s\u00a0\u202f]', '', value or '')
    if not value:
        return None
    if ',' in value and '.' in value:
        if value.rfind(',') > value.rfind('.'):
            value = value.replace('.', '').replace(',', '.')
        else:
            value = value.replace(',', '')
    else:
        value = value.replace(',', '.')
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount


def parse_period(value):
    "The first day of the month written 2026-05 or 05/2026, or None"
    value = (value or '').strip()
    match = (re.fullmatch(r'(\d{4})-(\d{1,2})', value)
        or re.fullmatch(r'(\d{1,2})/(\d{4})', value))
    if not match:
        return None
    a, b = match.groups()
    year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


def parse_date(value):
    "The date written 2026-05-31 or 31/05/2026, or None"
    value = (value or '').strip()
    try:
        if re.fullmatch(r'\d{4}-\d{1,2}-\d{1,2}', value):
            return dt.date(*map(int, value.split('-')))
        if re.fullmatch(r'\d{1,2}/\d{1,2}/\d{4}', value):
            day, month, year = map(int, value.split('/'))
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


class CsvFile:
    """The lines of a CSV file with the columns given ({name: [headers]}),
    those required checked in its header; error() collects the errors of a
    line and column, check() refuses the file if there is any"""

    def __init__(self, data, columns, required):
        text = decode(data)
        first = text.split('\n', 1)[0]
        delimiter = ';' if first.count(';') >= first.count(',') else ','
        self.reader = csv.reader(
            io.StringIO(text, newline=''), delimiter=delimiter)
        self.errors = []
        try:
            self.header = next(self.reader)
        except StopIteration:
            raise PayrollImportError(gettext('casa_hr.msg_import_empty'))
        aliases = {header_key(a): name
            for name, names in columns.items() for a in names}
        self.positions = {}
        for i, label in enumerate(self.header):
            name = aliases.get(header_key(label))
            if name and name not in self.positions:
                self.positions[name] = i
        missing = [n for n in required if n not in self.positions]
        if missing:
            raise PayrollImportError(gettext(
                    'casa_hr.msg_import_columns',
                    columns=', '.join(missing),
                    expected=', '.join(list(required) + [
                            n for n in columns if n not in required])))

    def error(self, line, column, message, **kwargs):
        self.errors.append(gettext('casa_hr.msg_import_line',
                line=line, column=column,
                error=gettext('casa_hr.msg_import_%s' % message, **kwargs)))

    def lines(self):
        "Yield (line number, cell getter) of the lines that are not empty"
        for number, cells in enumerate(self.reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < len(self.header):
                self.error(number, len(cells) + 1, 'cells', count=len(cells),
                    expected=len(self.header))
                continue

            def cell(name, cells=cells):
                i = self.positions.get(name)
                return cells[i].strip() if i is not None else ''
            yield number, cell

    def check(self, count):
        "Refuse the file with its errors, or when it has no line"
        if not self.errors and not count:
            raise PayrollImportError(gettext('casa_hr.msg_import_empty'))
        if self.errors:
            more = len(self.errors) - MAX_ERRORS
            text = '\n'.join(self.errors[:MAX_ERRORS])
            if more > 0:
                text += '\n' + gettext('casa_hr.msg_import_more',
                    count=more)
            raise PayrollImportError(gettext(
                    'casa_hr.msg_import_errors', count=len(self.errors),
                    errors=text))
