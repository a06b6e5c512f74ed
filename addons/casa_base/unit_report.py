# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Per-unit reports: a layout written once, rendered as an XLSX workbook
(a sheet per table, formatted, the column header frozen, totals, charts) and
as PDF (a page per table, from an OpenDocument text converted by
LibreOffice).

A report declares its tables (:class:`Sheet`: columns and rows) for the
request (:class:`UnitReportRequest`): the company, the dates and the units,
which are always those the server allows the user — the units asked among
the user's own, the company-wide figures for the users of all units only.
See ``doc/reports.rst``."""
import datetime as dt
import io
import time
import types
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter

from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from .exceptions import ReportRequestError

# the row of the columns' header in every sheet, below heading, title and
# period
HEADER_ROW = 4

KINDS = {'text', 'code', 'date', 'amount', 'percent', 'integer', 'number'}
# the kinds of the columns that never wrap in a PDF and are aligned right
NUMERIC = {'amount', 'percent', 'integer', 'number'}
STYLES = {'line', 'section', 'result', 'space'}


class Column:
    """A column of a table: its label, the kind of its values (text, code,
    date, amount, percent, integer or number), its width in characters in
    the workbook; total to sum it in the total row of the sheet; indent to
    indent its text by the row's depth"""
    __slots__ = ('label', 'kind', 'width', 'total', 'indent')

    def __init__(self, label, kind='text', width=None, total=False,
            indent=False):
        assert kind in KINDS, kind
        self.label = label
        self.kind = kind
        self.width = width or {
            'text': 30, 'code': 10, 'date': 12, 'amount': 18,
            'percent': 10, 'integer': 10, 'number': 14}[kind]
        self.total = total
        self.indent = indent


class Row:
    """A row of a table: its cells (str, Decimal, int, float, date or None
    for an empty cell), its style (line, section or result — a total —, or
    space for an empty row of the workbook that the PDF leaves out) and its
    depth (for the indented column)"""
    __slots__ = ('cells', 'style', 'depth')

    def __init__(self, cells, style='line', depth=0):
        assert style in STYLES, style
        self.cells = list(cells)
        self.style = style
        self.depth = depth


class Chart:
    """A chart of a sheet (workbook only): the series are (column index,
    'column' or 'line', options of xlsxwriter's add_series such as fill or
    line), the categories the first column of the rows"""
    __slots__ = ('title', 'series', 'y_format')

    def __init__(self, title, series, y_format='#,##0'):
        self.title = title
        self.series = series
        self.y_format = y_format


class Sheet:
    """A table of a report: a sheet of the workbook and a page (or more) of
    the PDF.  name is the sheet's name (31 characters at most), heading the
    report's title, title says whose figures (company, unit), period the
    range; total, a label, adds a result row summing the columns marked
    total; freeze_columns the columns kept when scrolling right."""
    __slots__ = ('name', 'heading', 'title', 'period', 'columns', 'rows',
        'total', 'freeze_columns', 'chart')

    def __init__(self, name, heading, title, period, columns, rows=None,
            total=None, freeze_columns=0, chart=None):
        self.name = name
        self.heading = heading
        self.title = title
        self.period = period
        self.columns = columns
        self.rows = rows if rows is not None else []
        self.total = total
        self.freeze_columns = freeze_columns
        self.chart = chart

    def add(self, cells, style='line', depth=0):
        row = Row(cells, style=style, depth=depth)
        assert len(row.cells) == len(self.columns), (self.name, row.cells)
        self.rows.append(row)
        return row

    def all_rows(self):
        "The rows with the total row when the sheet has one"
        rows = list(self.rows)
        if self.total is not None:
            totals = [i for i, c in enumerate(self.columns) if c.total]
            cells = [None] * len(self.columns)
            # the label in the last column before the first summed one
            label = max(totals[0] - 1, 0) if totals else 0
            cells[label] = self.total
            for i in totals:
                cells[i] = sum((r.cells[i] or 0 for r in self.rows
                        if r.style == 'line'), Decimal(0) if
                    self.columns[i].kind == 'amount' else 0)
            rows.append(Row(cells, style='result'))
        return rows


class UnitReportRequest:
    """What a report is asked, as the server allows it: the company (one of
    the user's), the dates, the units asked among the user's (all of them
    when none is asked) and whether the user sees the company-wide figures
    (users of all units only).  Nothing the client sends widens it."""

    def __init__(self, data):
        pool = Pool()
        Company = pool.get('company.company')
        Lang = pool.get('ir.lang')
        User = pool.get('res.user')
        if not isinstance(data, dict):
            raise ReportRequestError(gettext(
                    'casa_base.msg_report_invalid',
                    field='data', value=type(data).__name__))
        self.data = data
        company_id = self._integer('company', data.get('company')
            or Transaction().context.get('company'))
        if company_id is None:
            raise ReportRequestError(gettext(
                    'casa_base.msg_report_invalid', field='company',
                    value=''))
        if (Transaction().user
                and company_id not in User.get_companies()):
            raise AccessError(gettext(
                    'casa_base.msg_report_company', company=company_id))
        self.company = Company(company_id)
        self.start = self._date('start_date')
        self.end = self._date('end_date')
        units = data.get('units')
        if units is not None:
            if not isinstance(units, (list, tuple)):
                raise ReportRequestError(gettext(
                        'casa_base.msg_report_invalid', field='units',
                        value=units))
            units = [self._integer('units', u) for u in units]
        self.units = self.allowed_units(self.company, units)
        # the company-wide figures are for the users of all units
        self.company_wide = User.get_business_units() is None
        self.lang = Lang.get()
        self.currency = self.company.currency

    def _integer(self, field, value):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ReportRequestError(gettext(
                    'casa_base.msg_report_invalid', field=field,
                    value=value))
        try:
            return int(value)
        except ValueError:
            raise ReportRequestError(gettext(
                    'casa_base.msg_report_invalid', field=field,
                    value=value)) from None

    def _date(self, field):
        value = self.data.get(field)
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ReportRequestError(gettext(
                    'casa_base.msg_report_invalid', field=field,
                    value=value)) from None

    @classmethod
    def allowed_units(cls, company, unit_ids=None):
        """Return the units asked (all when none) among those of the
        company that the user works for, by code"""
        pool = Pool()
        BusinessUnit = pool.get('casa.business_unit')
        User = pool.get('res.user')
        domain = [('company', '=', company.id)]
        if unit_ids:
            domain.append(('id', 'in', list(unit_ids)))
        allowed = User.get_business_units()
        if allowed is not None:
            domain.append(('id', 'in', list(allowed)))
        with without_check_access():
            return BusinessUnit.search(domain, order=[('code', 'ASC')])

    @property
    def period_label(self):
        if not self.start or not self.end:
            return ''
        return gettext('casa_base.msg_report_period',
            start=self.lang.strftime(self.start),
            end=self.lang.strftime(self.end))

    def unit_title(self, unit):
        return '%s — %s' % (self.company.rec_name, unit.rec_name)

    def consolidated_title(self):
        """The title of the company-wide figures: all of the company's
        entries, those of every unit and those without unit"""
        return '%s — %s' % (self.company.rec_name,
            gettext('casa_base.msg_report_company_wide'))

    def units_title(self):
        """The title of the sum of the units of the request (the units
        named)"""
        return '%s — %s' % (self.company.rec_name,
            gettext('casa_base.msg_report_units_total',
                units=', '.join(u.code for u in self.units)))

    def targets(self, figures, title=None):
        """Return [(sheet name, title, figures)] of the units of the request
        (their code, figures[unit id]) and, when figures has them (None),
        of the company: sheet "Consolidated", the title given (by default
        the whole company's, consolidated_title)"""
        result = [(u.code, self.unit_title(u), figures[u.id])
            for u in self.units]
        if None in figures:
            result.append((gettext('casa_base.msg_report_consolidated'),
                    title or self.consolidated_title(), figures[None]))
        return result

    def amount(self, value):
        "The amount as the PDF shows it, in the request's currency"
        if value is None:
            return ''
        return self.lang.currency(value, self.currency, symbol=True,
            grouping=True)

    def percent(self, value):
        if value is None:
            return ''
        return '%s %%' % self.lang.format('%.1f', value * 100, grouping=True)

    def number(self, value, digits=2):
        if value is None:
            return ''
        return self.lang.format('%%.%df' % digits, value, grouping=True)


# --- XLSX


def workbook_formats(workbook, currency):
    "The cell formats of a workbook, amounts in the currency"
    symbol = currency.symbol or currency.code
    amount = '#,##0.00 "%s";-#,##0.00 "%s"' % (symbol, symbol)
    num_formats = {
        'amount': amount,
        'percent': '0.0 %',
        'date': 'dd/mm/yyyy',
        'integer': '#,##0',
        'number': '#,##0.00',
        }
    styles = {
        'line': {},
        'section': {'bold': True},
        'result': {'bold': True, 'top': 1, 'bg_color': '#F2F2F2'},
        }
    formats = {
        'title': workbook.add_format({'bold': True, 'font_size': 14}),
        'header': workbook.add_format({
                'bold': True, 'bg_color': '#DDEBF7', 'border': 1,
                'text_wrap': True, 'valign': 'top'}),
        }
    for style, properties in styles.items():
        formats[(None, style)] = (
            workbook.add_format(properties) if properties else None)
        for kind, num_format in num_formats.items():
            formats[(kind, style)] = workbook.add_format(
                dict(properties, num_format=num_format))
    return formats


def add_sheet(workbook, formats, sheet):
    """Add the sheet with its heading, title and period on the first rows
    and the header of its columns frozen below; return the worksheet and
    its first row of figures"""
    worksheet = workbook.add_worksheet(sheet.name[:31])
    for i, column in enumerate(sheet.columns):
        worksheet.set_column(i, i, column.width)
    worksheet.write(0, 0, sheet.heading, formats['title'])
    worksheet.write(1, 0, sheet.title)
    worksheet.write(2, 0, sheet.period)
    worksheet.write_row(HEADER_ROW, 0, [c.label for c in sheet.columns],
        formats['header'])
    worksheet.freeze_panes(HEADER_ROW + 1, sheet.freeze_columns)
    return worksheet, HEADER_ROW + 1


def write_cell(worksheet, formats, row, i, column, value, style, depth):
    kind = column.kind if column.kind in {
        'amount', 'percent', 'date', 'integer', 'number'} else None
    if value is None or value == '':
        if style != 'line':
            worksheet.write_blank(row, i, None, formats[(kind, style)])
    elif isinstance(value, str):
        if column.indent and depth:
            value = '    ' * depth + value
        worksheet.write_string(row, i, value, formats[(None, style)])
    elif isinstance(value, dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        worksheet.write_datetime(row, i, value, formats[('date', style)])
    else:
        worksheet.write_number(row, i, value, formats[(kind, style)])


def render_xlsx(sheets, currency):
    "Return the XLSX workbook of the sheets"
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    formats = workbook_formats(workbook, currency)
    for sheet in sheets:
        worksheet, first = add_sheet(workbook, formats, sheet)
        row = first
        data_rows = 0
        for line in sheet.all_rows():
            if line.style == 'space':
                row += 1
                continue
            for i, (column, value) in enumerate(
                    zip(sheet.columns, line.cells)):
                write_cell(worksheet, formats, row, i, column, value,
                    line.style, line.depth)
            if line.style == 'line':
                data_rows += 1
            row += 1
        if sheet.chart and data_rows:
            add_chart(workbook, worksheet, sheet.chart, first,
                first + data_rows - 1, row + 1)
    if not workbook.worksheets():
        workbook.add_worksheet()
    workbook.close()
    return output.getvalue()


def add_chart(workbook, worksheet, chart, first, last, row):
    """The chart of the rows first to last, the categories in the first
    column, placed at row"""
    categories = [worksheet.name, first, 0, last, 0]
    charts = {}
    for column, type_, options in chart.series:
        if type_ not in charts:
            charts[type_] = workbook.add_chart({'type': type_})
        charts[type_].add_series(dict(options,
                name=[worksheet.name, HEADER_ROW, column],
                categories=categories,
                values=[worksheet.name, first, column, last, column]))
    main, *others = charts.values()
    for other in others:
        main.combine(other)
    main.set_title({'name': chart.title})
    main.set_y_axis({'num_format': chart.y_format})
    main.set_legend({'position': 'bottom'})
    main.set_size({'width': 900, 'height': 360})
    worksheet.insert_chart(row, 0, main)


# --- ODT and PDF

# the usable width of an A4 page (cm) with margins of 1.5 cm
PAGE_WIDTH = {'portrait': 18.0, 'landscape': 26.7}
# the width of a character (cm) at 9 pt in DejaVu Sans (bold for the
# numbers, which may be totals), the padding of a cell, and the shortest
# line of a text column (characters)
CHAR_WIDTH = 0.2
NUMBER_WIDTH = 0.22
CELL_PADDING = 0.3
TEXT_MINIMUM = 14
NBSP = '\u00a0'


def cell_text(request, column, value, depth=0):
    "The text of a cell in the PDF"
    if value is None:
        return ''
    if isinstance(value, str):
        if column.indent and depth:
            return NBSP * 3 * depth + value
        return value
    if isinstance(value, dt.date):
        return request.lang.strftime(value)
    if column.kind == 'amount':
        text = request.amount(value)
    elif column.kind == 'percent':
        text = request.percent(value)
    elif column.kind == 'integer':
        text = request.number(value, 0)
    else:
        text = request.number(value)
    # amounts never wrap
    return text.replace(' ', NBSP).replace('\u202f', NBSP)


def cell_spans(columns, cells):
    """Return the number of columns each cell spans in the PDF: a text
    cell runs over the empty cells on its right (0 for the cells it
    covers)"""
    spans = [1] * len(cells)
    i = 0
    while i < len(cells):
        j = i + 1
        if cells[i] and columns[i].kind not in NUMERIC:
            while j < len(cells) and not cells[j]:
                spans[j] = 0
                j += 1
            spans[i] = j - i
        i = j
    return spans


def column_widths(columns, header, rows):
    """Return (orientation, [width in cm]) of the columns of a table for
    the header and the texts of the rows [(texts, spans)]: the numbers,
    dates and codes never wrap, the text columns share what is left and
    fill the page; landscape when portrait is too narrow"""
    fixed, natural, minimum = {}, {}, {}
    for i, column in enumerate(columns):
        texts = [t[i] for t, spans in rows if spans[i] == 1]
        longest = max([len(t) for t in texts] + [0])
        words = max([len(w) for t in texts + [header[i]]
                for w in t.split()] + [0])
        if column.kind in NUMERIC:
            fixed[i] = max(longest * NUMBER_WIDTH, words * CHAR_WIDTH) \
                + CELL_PADDING
        elif column.kind != 'text':
            fixed[i] = max(longest, words) * CHAR_WIDTH + CELL_PADDING
        else:
            natural[i] = max(longest, words) * CHAR_WIDTH + CELL_PADDING
            minimum[i] = max(words, min(longest, TEXT_MINIMUM)) \
                * CHAR_WIDTH + CELL_PADDING
    needed = sum(fixed.values()) + sum(minimum.values())
    orientation = 'portrait' if needed <= PAGE_WIDTH['portrait'] \
        else 'landscape'
    page = PAGE_WIDTH[orientation]
    widths = dict(fixed)
    if needed > page:
        # even landscape is too narrow: every column shrinks
        ratio = page / needed
        widths = {i: w * ratio for i, w in fixed.items()}
        widths.update({i: w * ratio for i, w in minimum.items()})
    elif natural:
        left = page - sum(fixed.values())
        spare = left - sum(minimum.values())
        extra = sum(natural[i] - minimum[i] for i in natural)
        if extra > spare:
            # the longest texts wrap
            widths.update({i: minimum[i]
                    + spare * (natural[i] - minimum[i]) / extra
                    for i in natural})
        else:
            # every text on one line, the rest shared to fill the page
            rest = spare - extra
            total = sum(natural.values())
            widths.update({i: natural[i] + rest * natural[i] / total
                    for i in natural})
    return orientation, [round(widths[i], 2) for i in range(len(columns))]


ODT_HEAD = '''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><meta:generator>Casa Prestations ERP</meta:generator></office:meta>
 <office:font-face-decls>
  <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
   <style:text-properties style:font-name="DejaVu Sans" fo:font-size="9pt" style:font-name-complex="DejaVu Sans" style:font-size-complex="9pt"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.2cm"/>
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold" style:font-size-complex="14pt" style:font-weight-complex="bold"/>
  </style:style>
  <style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-weight="bold" style:font-weight-complex="bold"/>
  </style:style>
  <style:style style:name="Period" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="Cell" style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="CellBold" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-weight="bold" style:font-weight-complex="bold"/>
  </style:style>
  <style:style style:name="Amount" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="AmountBold" style:family="paragraph" style:parent-style-name="Amount">
   <style:text-properties fo:font-weight="bold" style:font-weight-complex="bold"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="7pt" style:font-size-complex="7pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="portrait">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.2cm" fo:margin-bottom="1cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/>
   <style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.2cm"/></style:footer-style>
  </style:page-layout>
  <style:page-layout style:name="landscape">
   <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1.2cm" fo:margin-bottom="1cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/>
   <style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.2cm"/></style:footer-style>
  </style:page-layout>
  <style:style style:name="TitlePortrait" style:family="paragraph" style:parent-style-name="Title" style:master-page-name="Portrait">
   <style:paragraph-properties style:page-number="auto" fo:break-before="page"/>
  </style:style>
  <style:style style:name="TitleLandscape" style:family="paragraph" style:parent-style-name="Title" style:master-page-name="Landscape">
   <style:paragraph-properties style:page-number="auto" fo:break-before="page"/>
  </style:style>
  <style:style style:name="Header" style:family="table-cell">
   <style:table-cell-properties fo:background-color="#ddebf7" fo:padding="0.05cm" fo:border="0.5pt solid #000000"/>
  </style:style>
  <style:style style:name="Line" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.05cm" fo:border-bottom="0.3pt solid #c0c0c0"/>
  </style:style>
  <style:style style:name="Total" style:family="table-cell">
   <style:table-cell-properties fo:background-color="#f2f2f2" fo:padding="0.05cm" fo:border-top="0.5pt solid #000000"/>
  </style:style>
'''

ODT_MASTER = '''
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Portrait" style:page-layout-name="portrait">
   <style:footer><text:p text:style-name="Footer">%(footer)s<text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="Landscape" style:page-layout-name="landscape">
   <style:footer><text:p text:style-name="Footer">%(footer)s<text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
'''

ODT_TAIL = '''  </office:text>
 </office:body>
</office:document>
'''


def _paragraph(style, text):
    return '<text:p text:style-name=%s>%s</text:p>' % (
        quoteattr(style), escape(text))


def render_odt(request, sheets):
    """Return the OpenDocument text (flat XML) of the sheets: a page per
    sheet with its heading, title and period, and its table whose header
    is repeated on every page"""
    styles, body = [], []
    if not sheets:
        body.append(_paragraph('Standard', ''))
    for number, sheet in enumerate(sheets, 1):
        header = [c.label for c in sheet.columns]
        rows = []
        for row in sheet.all_rows():
            if row.style == 'space':
                continue
            texts = [cell_text(request, c, v, row.depth)
                for c, v in zip(sheet.columns, row.cells)]
            rows.append((row, texts, cell_spans(sheet.columns, texts)))
        orientation, widths = column_widths(
            sheet.columns, header, [(t, s) for _, t, s in rows])
        name = 'T%d' % number
        styles.append(
            '  <style:style style:name="%s" style:family="table">'
            '<style:table-properties style:width="%.2fcm" '
            'table:align="left"/></style:style>\n' % (name, sum(widths)))
        for i, width in enumerate(widths):
            styles.append(
                '  <style:style style:name="%s.%d" '
                'style:family="table-column">'
                '<style:table-column-properties style:column-width="%.2fcm"/>'
                '</style:style>\n' % (name, i, width))
        body.append(_paragraph(
                'TitlePortrait' if orientation == 'portrait'
                else 'TitleLandscape', sheet.heading))
        body.append(_paragraph('Subtitle', sheet.title))
        body.append(_paragraph('Period', sheet.period or ''))
        body.append('<table:table table:name="%s" table:style-name="%s">'
            % (name, name))
        for i in range(len(widths)):
            body.append('<table:table-column table:style-name="%s.%d"/>'
                % (name, i))
        body.append('<table:table-header-rows><table:table-row>')
        for column, text in zip(sheet.columns, header):
            body.append('<table:table-cell table:style-name="Header" '
                'office:value-type="string">%s</table:table-cell>'
                % _paragraph('AmountBold' if column.kind in NUMERIC
                    else 'CellBold', text))
        body.append('</table:table-row></table:table-header-rows>')
        for row, texts, spans in rows:
            cell_style = 'Total' if row.style == 'result' else 'Line'
            bold = row.style != 'line'
            body.append('<table:table-row>')
            for column, text, span in zip(sheet.columns, texts, spans):
                if not span:
                    body.append('<table:covered-table-cell/>')
                    continue
                if column.kind in NUMERIC:
                    style = 'AmountBold' if bold else 'Amount'
                else:
                    style = 'CellBold' if bold else 'Cell'
                body.append('<table:table-cell table:style-name="%s"%s '
                    'office:value-type="string">%s</table:table-cell>' % (
                        cell_style,
                        ' table:number-columns-spanned="%d"' % span
                        if span > 1 else '',
                        _paragraph(style, text)))
            body.append('</table:table-row>')
        body.append('</table:table>')
    footer = escape('%s — %s — ' % (request.company.rec_name,
            gettext('casa_base.msg_report_printed',
                date=request.lang.strftime(Pool().get('ir.date').today()))))
    return ''.join([ODT_HEAD, *styles, ODT_MASTER % {'footer': footer},
            '\n'.join(body), '\n', ODT_TAIL])


# --- the report


class UnitReport(Report):
    """A report of units: the sheets of the request as an XLSX workbook or
    as PDF, by the extension of the report's action.

    A report sets _title (the message of its name) and returns its tables
    from sheets(request); _request is the class of the request."""
    _title = None
    _request = UnitReportRequest

    @classmethod
    def get_action(cls):
        """Return the report's action, found by its name: an action named by
        the client is never taken for the access check"""
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        with without_check_access():
            action, = ActionReport.search([
                    ('report_name', '=', cls.__name__),
                    ], limit=1)
        return action

    @classmethod
    def execute(cls, ids, data):
        action = cls.get_action()
        cls.check_access(action, None, [])
        data = dict(data or {})
        data.pop('action_id', None)
        request = cls._request(data)
        sheets = cls.sheets(request)
        extension = action.extension or 'xlsx'
        if extension == 'pdf':
            content = cls.render_pdf(request, sheets)
            extension = 'pdf' if content[:5] == b'%PDF-' else 'fodt'
        else:
            extension = 'xlsx'
            content = render_xlsx(sheets, request.currency)
        return extension, content, False, cls.get_name(request)

    @classmethod
    def get_name(cls, request):
        "The name of the file, the same for the workbook and the PDF"
        parts = [gettext(cls._title), request.company.rec_name]
        if request.start and request.end:
            parts.append('%s-%s' % (
                    request.start.isoformat(), request.end.isoformat()))
        return ' '.join(parts)

    @classmethod
    def sheets(cls, request):
        "Return the tables of the report for the request"
        raise NotImplementedError

    @classmethod
    def render_pdf(cls, request, sheets):
        "Return the PDF of the sheets, converted by LibreOffice"
        document = render_odt(request, sheets)
        report = types.SimpleNamespace(
            report_name=cls.__name__, template_extension='fodt',
            extension='pdf')
        _, content = cls.convert(report, document.encode('utf-8'))
        return content

    @classmethod
    def convert(cls, report, data, timeout=5 * 60, retry=5):
        """Convert, tried again when LibreOffice fails: trytond's own
        retries run an empty command (its arguments are an iterator used up
        by the first try), so each try here is a conversion of its own"""
        wanted = report.extension or report.template_extension
        for attempt in range(retry + 1):
            if attempt:
                time.sleep(0.2 * attempt)
            extension, content = super().convert(
                report, data, timeout=timeout, retry=0)
            if extension != report.template_extension or extension == wanted:
                break
        return extension, content
