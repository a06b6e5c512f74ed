# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The payroll reconciliation of each unit: the payroll lines with a red
flag (open, under review or confirmed) in the months of the range, their
flags and the net pay at stake — a sheet per unit (casa_base.unit_report),
as XLSX or PDF."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.casa_base.localtime import local_today
from trytond.modules.casa_base.unit_report import Column, Sheet, UnitReport
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)

from .anomaly import KINDS

STATES = ['open', 'review', 'confirmed']


class ReconciliationReport(UnitReport):
    "The red flags of the payrolls of each unit and the pay at stake"
    __name__ = 'casa.hr.reconciliation.xlsx'
    _title = 'casa_hr.msg_reconciliation_report'

    @classmethod
    def flagged_lines(cls, request):
        """{unit id: [(line, [flags])]} of the request's units, the flags
        read as the user may (a unit user reads no ghost case)"""
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        result = {u.id: {} for u in request.units}
        domain = [
            ('company', '=', request.company.id),
            ('business_unit', 'in', list(result)),
            ('kind', 'in', list(KINDS)),
            ('state', 'in', STATES),
            ('origin', 'like', 'casa.hr.payroll.line,%'),
            ]
        for anomaly in Anomaly.search(domain,
                order=[('id', 'ASC')]):
            line = anomaly.origin
            period = line.payroll.period
            if request.start and period < request.start.replace(day=1):
                continue
            if request.end and period > request.end:
                continue
            result[anomaly.business_unit.id].setdefault(
                line, []).append(anomaly)
        return {u: sorted(lines.items(), key=lambda i: (
                    i[0].payroll.period, i[0].payroll.id, i[0].sequence))
            for u, lines in result.items()}

    @classmethod
    def sheets(cls, request):
        return [cls.sheet(request, name, title, lines)
            for name, title, lines in request.targets(
                cls.flagged_lines(request))]

    @classmethod
    def sheet(cls, request, name, title, lines):
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        Line = pool.get('casa.hr.payroll.line')
        kinds = dict(Anomaly.get_kinds())
        line_fields = Line.fields_get(['period', 'matricule', 'last_name',
                'first_name', 'cin', 'net_pay'])
        anomaly_fields = Anomaly.fields_get(['evidence', 'score', 'state'])
        states = dict(anomaly_fields['state']['selection'])
        total = sum((l.net_pay for l, _ in lines), Decimal(0))
        sheet = Sheet(name, gettext(cls._title), title, request.period_label,
            [
                Column(line_fields['period']['string'], 'date'),
                Column(line_fields['matricule']['string'], 'code', 12),
                Column(line_fields['last_name']['string'], 'text', 18),
                Column(line_fields['first_name']['string'], 'text', 16),
                Column(line_fields['cin']['string'], 'code', 12),
                Column(line_fields['net_pay']['string'], 'amount',
                    total=True),
                Column(gettext('casa_hr.msg_report_flags'), 'text', 30),
                Column(anomaly_fields['score']['string'], 'number', 8),
                Column(anomaly_fields['state']['string'], 'text', 14),
                Column(anomaly_fields['evidence']['string'], 'text', 60),
                ],
            total=gettext('casa_hr.msg_reconciliation_report_total',
                count=len(lines), amount=request.amount(total)))
        for line, flags in lines:
            sheet.add([
                    line.payroll.period,
                    line.matricule,
                    line.last_name,
                    line.first_name,
                    line.cin,
                    line.net_pay,
                    ', '.join(kinds.get(f.kind, f.kind) for f in flags),
                    max(f.score for f in flags),
                    ', '.join(sorted({states[f.state] for f in flags})),
                    ' '.join(f.evidence for f in flags),
                    ])
        return sheet


class ReconciliationReportPDF(ReconciliationReport):
    "The payroll reconciliation as PDF"
    __name__ = 'casa.hr.reconciliation.pdf'


class ReconciliationPrintStart(ModelView):
    __name__ = 'casa.hr.reconciliation.print.start'
    __string__ = "Print Payroll Reconciliation"
    format = fields.Selection([
            ('xlsx', "Spreadsheet (XLSX)"),
            ('pdf', "PDF"),
            ], "Format", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True)
    units = fields.Many2Many(
        'casa.business_unit', None, None, "Business Units",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Leave empty for every business unit you work for.")

    @classmethod
    def default_format(cls):
        return 'xlsx'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_start_date(cls):
        return local_today().replace(month=1, day=1)

    @classmethod
    def default_end_date(cls):
        return local_today()


class ReconciliationPrint(Wizard):
    __name__ = 'casa.hr.reconciliation.print'
    __string__ = "Print Payroll Reconciliation"
    start = StateView('casa.hr.reconciliation.print.start',
        'casa_hr.reconciliation_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateTransition()
    xlsx = StateReport('casa.hr.reconciliation.xlsx')
    pdf = StateReport('casa.hr.reconciliation.pdf')

    def transition_print_(self):
        return self.start.format

    def _data(self):
        return {
            'company': self.start.company.id,
            'start_date': self.start.start_date.isoformat(),
            'end_date': self.start.end_date.isoformat(),
            'units': [u.id for u in self.start.units],
            }

    def do_xlsx(self, action):
        return action, self._data()

    def do_pdf(self, action):
        return action, self._data()
