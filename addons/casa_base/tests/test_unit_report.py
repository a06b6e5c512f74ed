# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The per-unit reports of casa_base without any accounting report: a layout
rendered as XLSX and as PDF, and the units of a request."""
import datetime as dt
import io
import os
import tempfile
import types
import unittest
from decimal import Decimal

import openpyxl
from lxml import etree

from trytond.model.exceptions import AccessError
from trytond.modules.casa_base.exceptions import ReportRequestError
from trytond.modules.casa_base.tests.report_tools import pdf_text
from trytond.modules.casa_base.unit_report import (
    NBSP, Chart, Column, Sheet, UnitReport, UnitReportRequest,
    column_widths, render_odt, render_xlsx)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_module import create_unit, create_user

TABLE = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}'
STYLE = '{urn:oasis:names:tc:opendocument:xmlns:style:1.0}'
TEXT = '{urn:oasis:names:tc:opendocument:xmlns:text:1.0}'


def heads_sheet(name='ABT'):
    "The sheet of a domain module: heads and tonnage per day"
    sheet = Sheet(name, "Heads per day", "Casa — ABT", "May 2026", [
            Column("Day", 'date'),
            Column("Species", 'text', 20),
            Column("Heads", 'integer', total=True),
            Column("Tonnage", 'number', total=True),
            Column("Fees", 'amount', total=True),
            ], total="Total", chart=Chart("Heads", [(2, 'column', {})]))
    sheet.add([dt.date(2026, 5, 4), "Bovins", 120, Decimal('42.50'),
            Decimal('12345.60')])
    sheet.add([dt.date(2026, 5, 5), "Ovins", 300, Decimal('6.25'),
            Decimal('2000.00')])
    return sheet


class UnitReportLayoutTestCase(unittest.TestCase):
    "A layout written once, rendered as XLSX and as OpenDocument"

    def test_xlsx(self):
        "The workbook: heading, frozen header, formats, totals, chart"
        currency = types.SimpleNamespace(symbol='DH', code='MAD')
        content = render_xlsx([heads_sheet(), heads_sheet('MGFL')], currency)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ['ABT', 'MGFL'])
        sheet = workbook['ABT']
        self.assertEqual(sheet['A1'].value, "Heads per day")
        self.assertEqual(sheet.freeze_panes, 'A6')
        self.assertEqual([c.value for c in sheet[5]],
            ["Day", "Species", "Heads", "Tonnage", "Fees"])
        self.assertEqual(sheet['A6'].value, dt.datetime(2026, 5, 4))
        self.assertEqual(sheet['A6'].number_format, 'dd/mm/yyyy')
        self.assertEqual(sheet['C6'].number_format, '#,##0')
        self.assertEqual(sheet['E6'].number_format,
            '#,##0.00 "DH";-#,##0.00 "DH"')
        # the total in the last column before the first summed one
        self.assertEqual([c.value for c in sheet[8]],
            [None, "Total", 420, 48.75, 14345.6])
        self.assertTrue(sheet['C8'].font.b)
        self.assertEqual(len(sheet._charts), 1)

    def test_empty_workbook(self):
        "Nothing to show is still a workbook"
        currency = types.SimpleNamespace(symbol=None, code='MAD')
        workbook = openpyxl.load_workbook(io.BytesIO(
                render_xlsx([], currency)))
        self.assertEqual(len(workbook.sheetnames), 1)

    def test_widths(self):
        "Numbers never wrap, text shares the rest, landscape when needed"
        columns = [Column("Label"), Column("Amount", 'amount')]
        amount = '-2' + NBSP + '681' + NBSP + '820,00' + NBSP + 'DH'
        orientation, (label, width) = column_widths(columns,
            ["Label", "Amount"], [(["A rather long label", amount], [1, 1])])
        self.assertEqual(orientation, 'portrait')
        self.assertGreaterEqual(width, len(amount) * 0.2)
        self.assertAlmostEqual(label + width, 18.0, places=1)

        wide = [Column("Label")] + [
            Column("Amount %d" % i, 'amount') for i in range(6)]
        orientation, widths = column_widths(wide, ["Label"] + [
                "Amount %d" % i for i in range(6)],
            [(["Label"] + [amount] * 6, [1] * 7)])
        self.assertEqual(orientation, 'landscape')
        self.assertTrue(all(w >= len(amount) * 0.2 for w in widths[1:]))


class UnitReportTestCase(unittest.TestCase):
    "The units of a report and its PDF"

    @classmethod
    def setUpClass(cls):
        activate_module('casa_base')

    def request(self, company, data):
        return UnitReportRequest(dict({'company': company.id}, **data))

    @with_transaction()
    def test_request_units(self):
        "A unit user gets their units only, whatever is asked"
        pool = Pool()
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            abt = create_unit(company, 'ABT')
            mgfl = create_unit(company, 'MGFL')
            manager = create_user('manager', company, [abt],
                group='group_business_unit_manager')
            request = self.request(company, {'units': [mgfl.id, abt.id]})
            self.assertEqual(request.units, [abt, mgfl])
            self.assertTrue(request.company_wide)
            User._get_business_units_cache.clear()
            with Transaction().set_user(manager.id):
                for units in [[abt.id, mgfl.id], [], None]:
                    request = self.request(company, {'units': units})
                    self.assertEqual(request.units, [abt])
                    self.assertFalse(request.company_wide)
                for units in [[mgfl.id], [mgfl.id, mgfl.id]]:
                    request = self.request(company, {'units': units})
                    self.assertEqual(request.units, [])
                    self.assertFalse(request.company_wide)

    @with_transaction()
    def test_request_refused(self):
        "Another company or bad values are refused"
        company = create_company()
        other = create_company('Other')
        with set_company(company):
            manager = create_user('manager', company)
            with Transaction().set_user(manager.id):
                with self.assertRaises(AccessError):
                    self.request(other, {})
                for data in [{'units': 'x'}, {'units': ['x']},
                        {'units': [True]}, {'start_date': '31/05/2026'},
                        {'end_date': 20260531}]:
                    with self.subTest(data=data), \
                            self.assertRaises(ReportRequestError):
                        self.request(company, data)

    @with_transaction()
    def test_pdf(self):
        "The sheets as a PDF page each, converted by LibreOffice"
        company = create_company()
        with set_company(company):
            request = self.request(company, {
                    'start_date': '2026-05-01', 'end_date': '2026-05-31'})
            sheets = [heads_sheet(), heads_sheet('MGFL')]
            document = render_odt(request, sheets)
            tree = etree.fromstring(document.encode('utf-8'))
            tables = tree.findall('.//%stable' % TABLE)
            self.assertEqual(len(tables), 2)
            # two days and the total, the header apart
            rows = tables[0].findall('%stable-row' % TABLE)
            self.assertEqual(len(rows), 3)
            content = UnitReport.render_pdf(request, sheets)
            self.assertEqual(content[:5], b'%PDF-')
            text = pdf_text(content)
            for expected in ["Heads per day", "Bovins", "Total", "420"]:
                self.assertIn(expected, text)

    @with_transaction()
    def test_pdf_retried(self):
        "A conversion that fails once is tried again, with its arguments"
        from trytond import config
        company = create_company()
        marker = os.path.join(tempfile.mkdtemp(), 'failed')
        command = config.get('report', 'convert_command', default=None)
        # trytond's default when the configuration names none
        convert = command or ('soffice --headless --nolockcheck --nodefault '
            '--norestore --convert-to "%(output_extension)s" '
            '--outdir "%(directory)s" "%(input_path)s"')
        failing = ("sh -c 'if [ -e %s ]; then exec \"$0\" \"$@\"; fi; "
            "touch %s; exit 1' " % (marker, marker)) + convert
        config.set('report', 'convert_command', failing)
        try:
            with set_company(company):
                request = self.request(company, {})
                content = UnitReport.render_pdf(request, [heads_sheet()])
        finally:
            if command is None:
                config._config.remove_option('report', 'convert_command')
                config._cache_clear()
            else:
                config.set('report', 'convert_command', command)
        self.assertTrue(os.path.exists(marker))
        self.assertEqual(content[:5], b'%PDF-')

    @with_transaction()
    def test_spans(self):
        "A text cell runs over the empty cells on its right in the PDF"
        company = create_company()
        with set_company(company):
            request = self.request(company, {})
            sheet = Sheet('S', "Heading", "Title", "", [
                    Column("Code", 'code'), Column("Label"),
                    Column("Other"), Column("Amount", 'amount')])
            sheet.add(['7127', "A long label over the next column", None,
                    Decimal('1000.00')], 'section')
            tree = etree.fromstring(
                render_odt(request, [sheet]).encode('utf-8'))
            row, = tree.find('.//%stable' % TABLE).findall(
                '%stable-row' % TABLE)
            cells = [c for c in row if c.tag in {
                    TABLE + 'table-cell', TABLE + 'covered-table-cell'}]
            self.assertEqual(
                cells[1].get(TABLE + 'number-columns-spanned'), '2')
            self.assertEqual(cells[2].tag, TABLE + 'covered-table-cell')
            self.assertNotIn(' ', ''.join(cells[3].itertext()).strip())
