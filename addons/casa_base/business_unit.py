# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import re

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import BusinessUnitCodeError, BusinessUnitDeleteError
from .mixin import CodeNameMixin

CODE_RE = re.compile(r'^[A-Z][A-Z0-9]{1,9}$')
ANALYTIC_ROOT_CODE = 'BU'
# the invoice sequences of a unit: (field, prefix letters, name message)
INVOICE_SEQUENCES = [
    ('out_invoice_sequence', 'FC', 'msg_sequence_out_invoice'),
    ('out_credit_note_sequence', 'AC', 'msg_sequence_out_credit_note'),
    ('in_invoice_sequence', 'FF', 'msg_sequence_in_invoice'),
    ('in_credit_note_sequence', 'AF', 'msg_sequence_in_credit_note'),
    ]


class BusinessUnit(CodeNameMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'casa.business_unit'
    __string__ = "Business Unit"
    # the business unit record itself is under the partition
    _business_unit_field = 'id'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char(
        "Code", required=True, size=10,
        help="Short upper-case code (2 to 10 letters or digits) "
        "prefixing the unit's document numbers.")
    kind = fields.Selection([
            ('slaughterhouse', "Slaughterhouse"),
            ('wholesale_market', "Wholesale Market"),
            ('parking', "Parking"),
            ('other', "Other"),
            ], "Kind", required=True, sort=False)
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    managers = fields.Many2Many(
        'casa.business_unit-manager', 'business_unit', 'user', "Managers",
        help="The users managing the unit; they have access to it.")
    users = fields.Many2Many(
        'res.user-casa.business_unit', 'business_unit', 'user', "Users",
        help="The users allowed to work for the unit.")
    analytic_account = fields.Many2One(
        'analytic_account.account', "Analytic Account", readonly=True,
        ondelete='RESTRICT',
        help="Receives the revenue and the costs of the unit.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    open_anomalies = fields.Function(fields.Integer(
            "Open Anomalies",
            help="The anomaly flags of the unit open or under review."),
        'get_open_anomalies')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_code_unique', Unique(t, t.company, t.code),
                'casa_base.msg_business_unit_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'open_dashboard': {},
                'open_anomaly': {},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'other'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('code')
    def on_change_code(self):
        if self.code:
            self.code = self.code.strip().upper()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('code'):
            values['code'] = values['code'].strip().upper()
        return values

    @classmethod
    def validate_fields(cls, units, field_names):
        super().validate_fields(units, field_names)
        if not field_names or 'code' in field_names:
            for unit in units:
                if not CODE_RE.match(unit.code or ''):
                    raise BusinessUnitCodeError(gettext(
                            'casa_base.msg_business_unit_code_invalid',
                            code=unit.code, unit=unit.name))

    @classmethod
    def check_modification(cls, mode, units, values=None, external=False):
        super().check_modification(
            mode, units, values=values, external=external)
        if mode == 'delete':
            for unit in units:
                model = unit.get_document_model()
                if model:
                    raise BusinessUnitDeleteError(gettext(
                            'casa_base.msg_business_unit_delete_documents',
                            unit=unit.rec_name, documents=model))

    @classmethod
    def on_modification(cls, mode, units, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        Rule = pool.get('ir.rule')
        super().on_modification(mode, units, field_names=field_names)
        if mode in {'create', 'write'}:
            if (mode == 'create' or field_names is None
                    or field_names & {'name', 'code', 'active'}):
                cls.sync_analytic_accounts(units)
            if mode == 'create':
                cls.create_invoice_sequences(units)
        User._get_business_units_cache.clear()
        Rule._domain_get_cache.clear()

    @classmethod
    def on_delete(cls, units):
        pool = Pool()
        AnalyticAccount = pool.get('analytic_account.account')
        callbacks = super().on_delete(units)
        accounts = [u.analytic_account for u in units if u.analytic_account]
        if accounts:
            def delete_accounts():
                with without_check_access():
                    AnalyticAccount.delete(accounts)
            callbacks.append(delete_accounts)
        return callbacks

    def get_document_model(self):
        "Return the name of a document model having records of the unit"
        pool = Pool()
        Model = pool.get('ir.model')
        for name, Klass in pool.iterobject():
            field_name = getattr(Klass, '_business_unit_field', None)
            if (not field_name or field_name == 'id'
                    or not issubclass(Klass, ModelSQL)
                    or Klass._is_table_query()):
                continue
            with without_check_access(), \
                    Transaction().set_context(active_test=False):
                if Klass.search([(field_name, '=', self.id)], limit=1,
                        order=[]):
                    return Model.get_name(name)

    @classmethod
    def get_analytic_root(cls, company):
        "Return the 'Business units' analytic root of the company"
        pool = Pool()
        AnalyticAccount = pool.get('analytic_account.account')
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            roots = AnalyticAccount.search([
                    ('company', '=', company.id),
                    ('type', '=', 'root'),
                    ('code', '=', ANALYTIC_ROOT_CODE),
                    ], limit=1)
            if roots:
                root, = roots
            else:
                root = AnalyticAccount(
                    company=company, type='root', code=ANALYTIC_ROOT_CODE,
                    name=gettext('casa_base.msg_analytic_root_name'),
                    state='opened')
                root.save()
        return root

    @classmethod
    def sync_analytic_accounts(cls, units):
        "Create or update the analytic account of each unit"
        pool = Pool()
        AnalyticAccount = pool.get('analytic_account.account')
        Company = pool.get('company.company')
        to_save, to_link = [], []
        # read the stored values: the records may hold the ones before the
        # write in their cache
        for values in cls.read([u.id for u in units], [
                    'name', 'code', 'active', 'company', 'analytic_account']):
            if values['analytic_account']:
                account = AnalyticAccount(values['analytic_account'])
            else:
                company = Company(values['company'])
                root = cls.get_analytic_root(company)
                account = AnalyticAccount(
                    company=company, type='normal', root=root,
                    parent=root, state='opened')
                to_link.append((cls(values['id']), account))
            account.business_unit = values['id']
            account.name = values['name']
            account.code = values['code']
            account.active = bool(values['active'])
            to_save.append(account)
        with without_check_access():
            AnalyticAccount.save(to_save)
            for unit, account in to_link:
                unit.analytic_account = account
            cls.save([u for u, _ in to_link])

    @classmethod
    def create_invoice_sequences(cls, units, fiscalyears=None):
        """Give each unit its own invoice numbering in the fiscal years
        (all open ones when not given), prefixed by its code"""
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        InvoiceSequence = pool.get('account.fiscalyear.invoice_sequence')
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        sequence_type = ModelData.get_id(
            'account_invoice', 'sequence_type_account_invoice')
        with without_check_access():
            if fiscalyears is None:
                fiscalyears = FiscalYear.search([
                        ('company', 'in', list({u.company.id for u in units})),
                        ('state', '=', 'open'),
                        ])
            existing = {(s.fiscalyear.id, s.business_unit.id)
                for s in InvoiceSequence.search([
                        ('fiscalyear', 'in', [f.id for f in fiscalyears]),
                        ('business_unit', 'in', [u.id for u in units]),
                        ])}
            to_save = []
            for fiscalyear in fiscalyears:
                for unit in units:
                    if (unit.company != fiscalyear.company
                            or (fiscalyear.id, unit.id) in existing):
                        continue
                    invoice_sequence = InvoiceSequence(
                        company=unit.company, fiscalyear=fiscalyear,
                        business_unit=unit, sequence=10)
                    for field, letters, message in INVOICE_SEQUENCES:
                        sequence = Sequence(
                            name=gettext('casa_base.' + message,
                                unit=unit.code, fiscalyear=fiscalyear.name),
                            sequence_type=sequence_type,
                            company=unit.company,
                            prefix='%s/%s/${year}/' % (unit.code, letters),
                            padding=5)
                        sequence.save()
                        setattr(invoice_sequence, field, sequence)
                    to_save.append(invoice_sequence)
            InvoiceSequence.save(to_save)

    @classmethod
    @ModelView.button_action('casa_base.act_business_unit_monthly_relate')
    def open_dashboard(cls, units):
        pass

    @classmethod
    def get_open_anomalies(cls, units, name):
        "The count of flags to decide, for the units of the user only"
        pool = Pool()
        Anomaly = pool.get('casa.anomaly')
        counts = Anomaly.open_counts(units)
        return {u.id: counts.get(u.id) for u in units}

    @classmethod
    @ModelView.button_action('casa_base.act_anomaly_relate')
    def open_anomaly(cls, units):
        pass


class BusinessUnitManager(ModelSQL):
    __name__ = 'casa.business_unit-manager'
    __string__ = "Business Unit - Manager"
    _business_unit_field = 'business_unit'
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('unit_user_unique', Unique(t, t.business_unit, t.user),
                'casa_base.msg_business_unit_manager_unique'),
            ]

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_business_units_cache.clear()
