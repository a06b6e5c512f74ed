# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The isolation matrix: a user of unit A never reads nor changes unit B's
data, whatever model, whatever call.

The models are enumerated from the pool of a database with every casa
module, not listed by hand.  A model is **covered** when it

- takes part in the partition itself (``casa_base.mixin``: a document, master
  data, or a rule of its own),
- reaches such a model through ``__access__`` (child and link tables),
- or holds a stored Many2One to a covered model or to ``casa.business_unit``
  (and so on, to a fixpoint);

and every resource model (``ir.attachment``, ``ir.note``…) is covered on the
records of the covered models.

Each module creates its records of units A and B in its
``tests/isolation.py`` (see ``casa_base/tests/isolation.py`` for the
protocol).  Every covered model must have records of B only — or be listed
in an ``EXEMPT`` with the reason it holds no unit data: a model added later
without records fails here.

For every unit role (the roles not in *All Business Units*) a user of A
calls, on B's records: read, search, search_count, search_read,
export_data, write, delete, copy, and create pointing at B (a record of A
whose Many2One is set to B's); each must be refused or empty.  Every report
of a casa module is run with B's ids and B's data (checked first to show B's
records to a user of all units): it is refused or shows nothing of B.  Every
wizard of a casa module bound to a model is refused on B's ids.  The
aggregates (balances, receivables, dashboards) of A's users hold nothing
of B.
"""
import datetime as dt
import io
import re
import types
import unittest
import zipfile
from collections import defaultdict
from decimal import Decimal
from importlib import import_module
from pathlib import Path

from trytond.exceptions import UserError
from trytond.ir.rule import _get_access_models
from trytond.model import ModelSQL, fields
from trytond.model.exceptions import AccessError, DomainValidationError
from trytond.modules import get_module_info
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.tests.tools import activate_modules
from trytond.transaction import Transaction, inactive_records

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.parent.name for p in ROOT.glob('addons/casa_*/tryton.cfg'))
# what marks the records of unit B in any output
B_CODE, B_NAME = 'ZZB', "Unité Zêta"
A_CODE, A_NAME = 'UNA', "Unité Alpha"
OPERATIONS = [
    'read', 'search', 'search_count', 'search_read', 'export_data',
    'write', 'delete', 'copy', 'create']


def module_order():
    "The casa modules, each after the casa modules it depends on"
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in get_module_info(name).get('depends', []):
            if dep in MODULES:
                visit(dep)
        order.append(name)
    for name in MODULES:
        visit(name)
    return order


def isolation_modules():
    "The isolation modules of the casa modules, in dependency order"
    result = []
    for name in module_order():
        try:
            result.append((name, import_module(
                        f'trytond.modules.{name}.tests.isolation')))
        except ModuleNotFoundError as error:
            if not error.name.endswith('isolation'):
                raise
    return result


def unit_role_xml_ids():
    """(name, 'module.xml_id') of the roles of users of some units: those
    not in the group of all units, nor administrators"""
    pool = Pool(DB_NAME)
    with Transaction().start(DB_NAME, 0) as transaction:
        ModelData = pool.get('ir.model.data')
        Role = pool.get('res.role')
        groups = {
            ModelData.get_id('casa_base', 'group_business_unit_all'),
            ModelData.get_id('res', 'group_admin')}
        roles = []
        for data in ModelData.search([('model', '=', 'res.role')]):
            role = Role(data.db_id)
            if not {g.id for g in role.groups} & groups:
                roles.append((role.name, f'{data.module}.{data.fs_id}'))
        transaction.rollback()
    return sorted(roles)


def build_world():
    "The records of units A and B of every module, with proteus"
    from proteus import Model
    from trytond.modules.account.tests.tools import create_fiscalyear
    from trytond.modules.account_invoice.tests.tools import (
        set_fiscalyear_invoice_sequences)
    from trytond.modules.casa_base.tests.tools import (
        create_business_unit, create_user)
    from trytond.modules.casa_l10n_ma.tests.tools import (
        create_chart, get_account)
    from trytond.modules.company.tests.tools import (
        create_company, get_company)

    config = activate_modules(MODULES)
    Currency = Model.get('currency.currency')
    mad, = Currency.find([('code', '=', 'MAD')])
    create_company(currency=mad)
    company = get_company()
    create_chart(company)
    today = dt.date.today()
    fiscalyear = set_fiscalyear_invoice_sequences(
        create_fiscalyear(today=today))
    fiscalyear.click('create_period')
    Tax = Model.get('account.tax')
    tax, = Tax.find([('name', 'like', '%20%'), ('group.kind', '=', 'sale')],
        limit=1)
    world = types.SimpleNamespace(
        config=config, company=company, fiscalyear=fiscalyear, date=today,
        accounts={
            'revenue': get_account('7124', company),
            'expense': get_account('6125', company),
            'receivable': get_account('3421', company),
            'payable': get_account('4411', company),
            'cash': get_account('5161', company),
            },
        tax=tax, units={}, customers={}, invoices={}, budget=None,
        users=defaultdict(dict))
    unit_roles = unit_role_xml_ids()
    User = Model.get('res.user')
    for code, name in [(A_CODE, A_NAME), (B_CODE, B_NAME)]:
        unit = create_business_unit(name, code)
        world.units[code] = unit
        for role_name, xml_id in unit_roles:
            login = f'{code.lower()}_{xml_id.split(".")[1]}'
            world.users[code][role_name] = create_user(
                login, login, xml_id, [unit])
    world.unit_roles = sorted(name for name, _ in unit_roles)
    modules = isolation_modules()
    for _, module in modules:
        if hasattr(module, 'setup_world'):
            module.setup_world(world)
    for code in [A_CODE, B_CODE]:
        for _, module in modules:
            module.create_records(world, world.units[code])
    return world, modules


def covered_models(pool, exempt):
    """The covered models (name -> why) and the resource models"""
    from trytond.ir.resource import ResourceAccessMixin
    from trytond.modules.casa_base.mixin import is_partitioned
    stored = {
        name: Model for name, Model in pool.iterobject()
        if issubclass(Model, ModelSQL)}
    covered = {}
    for name, Model in stored.items():
        if is_partitioned(Model):
            covered[name] = 'partition'
    for name, Model in stored.items():
        names, _ = _get_access_models(Model)
        reached = (names - {name}) & covered.keys()
        if reached and name not in covered:
            covered[name] = 'access to ' + ', '.join(sorted(reached))
    for name in list(covered):
        if name in exempt:
            del covered[name]
    changed = True
    while changed:
        changed = False
        for name, Model in stored.items():
            if name in covered or name in exempt:
                continue
            for fname, field in Model._fields.items():
                if (field._type == 'many2one'
                        and fname not in {'create_uid', 'write_uid'}
                        and not isinstance(field, fields.Function)
                        and (field.model_name in covered
                            or field.model_name == 'casa.business_unit')):
                    covered[name] = f'{fname} -> {field.model_name}'
                    changed = True
                    break
    resources = sorted(
        name for name, Model in stored.items()
        if issubclass(Model, ResourceAccessMixin)
        and not Model._is_table_query())
    return covered, resources


class Outcome:
    REFUSED = 'refused'
    EMPTY = 'empty'
    NA = 'n/a'


def is_refusal(error):
    from trytond.modules.casa_base.exceptions import (
        BusinessUnitReferenceError)
    return isinstance(error, (
            AccessError, BusinessUnitReferenceError, DomainValidationError))


class Probe:
    "Runs calls in transactions of their own, rolled back"

    def __init__(self, world):
        self.world = world

    def transaction(self, user, context=None):
        ctx = {'company': self.world.company.id, '_check_access': True}
        ctx.update(context or {})
        return Transaction().start(DB_NAME, user, context=ctx)

    def unit_ids(self, name, unit_id, covered, context=None):
        """The ids of the records of the model that a user of the unit alone
        may read through the partition (the other rules left aside); for a
        model outside the partition, those pointing to such records"""
        pool = Pool(DB_NAME)
        with Transaction().start(DB_NAME, 0) as transaction:
            domains = pool.get('ir.rule').business_unit_domains(
                name, [unit_id])
            transaction.rollback()
        if not domains:
            fname, target = covered[name].split(' -> ')
            target_ids = self.unit_ids(
                target, unit_id, covered, context=context)
            domains = {target: [(fname, 'in', sorted(target_ids))]}
        with Transaction().start(
                DB_NAME, 0, context=context or {}) as transaction:
            Model = pool.get(name)
            with inactive_records():
                ids = {r.id for r in Model.search(
                        list(domains.values()), order=[])}
            transaction.rollback()
        return ids


def _markers_in(data):
    "Tell whether the output holds a mark of B's records"
    blobs = [data if isinstance(data, bytes) else str(data).encode()]
    if isinstance(data, bytes) and data[:2] == b'PK':
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            blobs = [archive.read(n) for n in archive.namelist()]
    for blob in blobs:
        text = blob.decode('utf-8', 'replace')
        if B_CODE in text or B_NAME in text or re.search(
                re.escape(B_NAME.replace('ê', '&#234;')), text):
            return True
    return False


class IsolationMatrixTestCase(unittest.TestCase):
    "The isolation matrix over every casa module"

    @classmethod
    def setUpClass(cls):
        cls.world, cls.modules = build_world()
        cls.probe = Probe(cls.world)
        cls.exempt = {}
        cls.contexts = {}
        for _, module in cls.modules:
            cls.exempt.update(getattr(module, 'EXEMPT', {}))
            cls.contexts.update(getattr(module, 'CONTEXTS', {}))
        with Transaction().start(DB_NAME, 0):
            cls.covered, cls.resources = covered_models(
                Pool(DB_NAME), cls.exempt)

    def context(self, name):
        factory = self.contexts.get(name)
        return factory(self.world) if factory else {}

    def only(self, name, code, other):
        "The records of the model of the unit code and not of the other"
        units, probe = self.world.units, self.probe
        context = self.context(name)
        if name == 'casa.business_unit':
            return [units[code].id]
        return sorted(
            probe.unit_ids(name, units[code].id, self.covered, context)
            - probe.unit_ids(name, units[other].id, self.covered, context))

    def b_only(self, name):
        return self.only(name, B_CODE, A_CODE)

    def a_only(self, name):
        return self.only(name, A_CODE, B_CODE)

    def run_operation(self, user, name, operation, ids, context):
        """Run the operation as the user on the ids of B; return the outcome,
        or raise AssertionError on a leak"""
        pool = Pool(DB_NAME)
        Model = pool.get(name)
        table_query = Model._is_table_query()
        if table_query and operation in {'write', 'delete', 'copy', 'create'}:
            return Outcome.NA
        if operation == 'create':
            return self.run_create(user, name, context)
        with self.probe.transaction(user, context) as transaction:
            try:
                result = self._call(Model, operation, ids)
            except UserError as error:
                if is_refusal(error):
                    return Outcome.REFUSED
                raise AssertionError(
                    f"{name}.{operation} as user {user} failed with "
                    f"{error.__class__.__name__}: {error.message}")
            finally:
                transaction.rollback()
        if result in ([], 0, None, ()):
            return Outcome.EMPTY
        raise AssertionError(
            f"LEAK: {name}.{operation} as user {user} on B's ids {ids} "
            f"answered {result!r}")

    def _call(self, Model, operation, ids):
        records = Model.browse(ids)
        if operation == 'read':
            Model.read(ids, ['id', 'rec_name'])
            return ids
        if operation == 'search':
            return Model.search([('id', 'in', ids)])
        if operation == 'search_count':
            return Model.search_count([('id', 'in', ids)])
        if operation == 'search_read':
            return Model.search_read([('id', 'in', ids)], fields_names=['id'])
        if operation == 'export_data':
            return Model.export_data(records, ['rec_name'])
        if operation == 'write':
            Model.write(records, {})
            return ids
        if operation == 'delete':
            Model.delete(records)
            return ids
        if operation == 'copy':
            return Model.copy(records)
        raise ValueError(operation)

    def run_create(self, user, name, context):
        """Create, as the user, a copy of a record of A whose Many2One to
        covered data is set to B's: refused, or n/a when the model has no
        such field, no record of A, or when even the copy pointing at A
        cannot be created by the user (then nothing is probed)"""
        pool = Pool(DB_NAME)
        Model = pool.get(name)
        probe = self._create_values(pool, Model)
        if probe is None:
            return Outcome.NA
        fname, values, b_target = probe
        with self.probe.transaction(user, context) as transaction:
            try:
                Model.create([{**values, fname: b_target}])
            except UserError as error:
                if is_refusal(error):
                    return Outcome.REFUSED
                failure = error
            else:
                raise AssertionError(
                    f"LEAK: {name}.create as user {user} with {fname} of B "
                    f"was accepted")
            finally:
                transaction.rollback()
        # the same copy pointing at A: when it fails too, nothing is probed
        with self.probe.transaction(user, context) as transaction:
            try:
                Model.create([values])
            except UserError:
                return Outcome.NA
            finally:
                transaction.rollback()
        raise AssertionError(
            f"{name}.create as user {user} with {fname} of B failed with "
            f"{failure.__class__.__name__}: {failure.message}")

    def _create_values(self, pool, Model):
        "(field, values of a record of A, a record of B for the field)"
        covered = self.covered
        sources = self.a_sources.get(Model.__name__)
        if not sources:
            return None
        for fname, field in sorted(Model._fields.items()):
            if (field._type != 'many2one'
                    or isinstance(field, fields.Function)
                    or not (field.model_name in covered
                        or field.model_name == 'casa.business_unit')):
                continue
            targets = self.b_targets.get(field.model_name)
            if not targets:
                continue
            with Transaction().start(DB_NAME, 0) as transaction, \
                    inactive_records():
                values = self._values(Model, sources[0])
                transaction.rollback()
            return fname, values, targets[0]
        return None

    @staticmethod
    def _values(Model, record_id):
        "The stored values of a record, to create another one"
        names = [
            n for n, f in Model._fields.items()
            if not isinstance(f, fields.Function)
            and f._type not in {'one2many', 'many2many'}
            and n not in {
                'id', 'create_uid', 'create_date', 'write_uid',
                'write_date', 'rec_name'}
            and not getattr(f, 'readonly', False)]
        values, = Model.read([record_id], names)
        del values['id']
        for name, value in list(values.items()):
            if Model._fields[name]._type == 'char' and value:
                values[name] = value + ' (copy)'
            if value is None:
                del values[name]
        return values

    def test_matrix(self):
        "A user of A gets nothing of B by any call on any covered model"
        pool = Pool(DB_NAME)
        covered, resources = self.covered, self.resources
        missing, b_ids = [], {}
        for name in sorted(covered):
            ids = self.b_only(name)
            if not ids:
                missing.append(f"{name} ({covered[name]})")
            b_ids[name] = ids
        self.assertEqual(missing, [],
            "covered models without records of unit B only: create them "
            "in the module's tests/isolation.py, or exempt the model with "
            "its reason")
        self.b_targets = dict(b_ids)
        self.b_targets['casa.business_unit'] = [
            self.world.units[B_CODE].id]
        self.a_sources = {name: self.a_only(name) for name in covered}
        resource_ids = self._resource_ids(pool, resources, b_ids)

        outcomes = defaultdict(int)
        size = 0
        for code_role, user in sorted(self.world.users[A_CODE].items()):
            for name in sorted(covered) + sorted(resource_ids):
                ids = b_ids.get(name) or resource_ids.get(name)
                context = self.context(name)
                for operation in OPERATIONS:
                    with self.subTest(role=code_role, model=name,
                            operation=operation):
                        outcome = self.run_operation(
                            user.id, name, operation, ids, context)
                        outcomes[outcome] += 1
                        size += 1
        print(f"\nIsolation matrix: {len(covered)} covered models + "
            f"{len(resource_ids)} resource models, "
            f"{len(self.world.users[A_CODE])} unit roles "
            f"({', '.join(self.world.unit_roles)}), "
            f"{len(OPERATIONS)} operations = {size} checks: "
            + ', '.join(f'{k} {v}' for k, v in sorted(outcomes.items())))
        self.assertGreater(outcomes[Outcome.REFUSED], 0)

    def _resource_ids(self, pool, resources, b_ids):
        "The records of each resource model attached to B's records"
        result = {}
        missing = []
        with Transaction().start(DB_NAME, 0) as transaction:
            for name in resources:
                Resource = pool.get(name)
                domain = ['OR'] + [
                    ('resource', 'in', [f'{model},{i}' for i in ids])
                    for model, ids in b_ids.items() if ids
                    and not pool.get(model)._is_table_query()]
                with inactive_records():
                    ids = [r.id for r in Resource.search(domain, order=[])]
                if ids:
                    result[name] = ids
                elif name in ('ir.attachment', 'ir.note'):
                    missing.append(name)
            transaction.rollback()
        self.assertEqual(missing, [],
            "no attachment or note on a record of unit B")
        return result

    def test_reports(self):
        "Every report of a casa module shows nothing of B to a user of A"
        pool = Pool(DB_NAME)
        world = self.world
        with Transaction().start(DB_NAME, 0) as transaction:
            ActionReport = pool.get('ir.action.report')
            ModelData = pool.get('ir.model.data')
            reports = []
            for action in ActionReport.search([]):
                data = ModelData.search([
                        ('model', '=', 'ir.action.report'),
                        ('db_id', '=', action.id),
                        ('module', 'in', MODULES)])
                if data:
                    reports.append((data[0].module, action.report_name,
                            action.model, action.id))
                    # the ODT, not the PDF: no LibreOffice in the loop
                    if action.extension == 'pdf':
                        action.extension = ''
                        action.save()
            transaction.commit()
        providers = dict(self.modules)
        all_user = self._all_units_user()
        checked = 0
        for module, report_name, model, action_id in reports:
            provider = providers.get(module)
            self.assertTrue(
                provider and hasattr(provider, 'report_data'),
                f"{module} has no tests/isolation.py report_data for "
                f"{report_name}")
            data = provider.report_data(
                world, world.units[B_CODE], report_name) or {}
            ids = self.b_only(model) if model in self.covered else []
            data.setdefault('model', model)
            data.setdefault('ids', ids)
            data.setdefault('id', ids[0] if ids else None)
            data['action_id'] = action_id
            # the probe works: a user of all units sees B in the report
            output = self._execute(all_user, report_name, ids, data)
            self.assertTrue(_markers_in(output),
                f"{report_name} shows nothing of B even to a user of all "
                f"units: the probe would prove nothing")
            for role, user in sorted(world.users[A_CODE].items()):
                with self.subTest(report=report_name, role=role):
                    try:
                        output = self._execute(user.id, report_name, ids,
                            data)
                    except AccessError:
                        continue
                    self.assertFalse(_markers_in(output),
                        f"LEAK: {report_name} as {role} of A shows B")
                checked += 1
        print(f"\nReports: {len(reports)} reports of casa modules, "
            f"{checked} runs by users of A")

    def _all_units_user(self):
        pool = Pool(DB_NAME)
        with Transaction().start(DB_NAME, 0) as transaction:
            User = pool.get('res.user')
            user, = User.search([('login', '=', 'admin')])
            transaction.rollback()
        return user.id

    def _execute(self, user, report_name, ids, data):
        pool = Pool(DB_NAME)
        with self.probe.transaction(user) as transaction:
            Report = pool.get(report_name, type='report')
            try:
                result = Report.execute(ids, data)
            finally:
                transaction.rollback()
        return result[1]

    def test_wizards(self):
        "Every wizard of a casa module bound to a model refuses B's ids"
        pool = Pool(DB_NAME)
        world = self.world
        with Transaction().start(DB_NAME, 0) as transaction:
            ActionWizard = pool.get('ir.action.wizard')
            ModelData = pool.get('ir.model.data')
            wizards = []
            for action in ActionWizard.search([]):
                if not action.model or action.model == 'ir.ui.menu':
                    continue
                if ModelData.search([
                            ('model', '=', 'ir.action.wizard'),
                            ('db_id', '=', action.id),
                            ('module', 'in', MODULES)]):
                    wizards.append(
                        (action.wiz_name, action.model, action.id))
            transaction.rollback()
        checked = 0
        for wiz_name, model, action_id in wizards:
            if model not in self.covered:
                # a wizard on records that hold no unit data (periods…)
                continue
            ids = self.b_only(model)
            for role, user in sorted(world.users[A_CODE].items()):
                with self.subTest(wizard=wiz_name, role=role):
                    context = {
                        'active_model': model, 'active_ids': ids,
                        'active_id': ids[0], 'action_id': action_id}
                    with self.probe.transaction(user.id, context) as t:
                        Wizard = pool.get(wiz_name, type='wizard')
                        with self.assertRaises(AccessError):
                            Wizard.create()
                        t.rollback()
                    checked += 1
        print(f"\nWizards: {len(wizards)} wizards bound to models, "
            f"{checked} runs by users of A on B's records")

    def test_aggregates(self):
        "Balances, receivables and dashboards of A's users hold nothing of B"
        pool = Pool(DB_NAME)
        world = self.world
        b_customer = world.customers[B_CODE].id
        a_account = world.units[A_CODE].analytic_account.id
        root = world.units[A_CODE].analytic_account.root.id
        for role, user in sorted(world.users[A_CODE].items()):
            with self.subTest(role=role):
                with self.probe.transaction(user.id) as transaction:
                    Party = pool.get('party.party')
                    try:
                        receivable, = Party.read(
                            [b_customer], ['receivable'])
                        self.assertEqual(receivable['receivable'], 0)
                    except AccessError:
                        pass
                    Analytic = pool.get('analytic_account.account')
                    try:
                        unit_balance, root_balance = [
                            a['balance'] for a in sorted(Analytic.read(
                                    [a_account, root], ['balance']),
                                key=lambda a: a['id'] != a_account)]
                        self.assertEqual(unit_balance, root_balance)
                    except AccessError:
                        pass
                    Monthly = pool.get('casa.business_unit.monthly')
                    with transaction.set_context(
                            fiscalyear=world.fiscalyear.id):
                        try:
                            units = {r.business_unit.code
                                for r in Monthly.search([])}
                        except AccessError:
                            units = set()
                    self.assertNotIn(B_CODE, units)
                    transaction.rollback()
