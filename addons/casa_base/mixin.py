# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The business-unit partition shared by every model of the product.

Two kinds of records take part in it:

- a **document** belongs to exactly one unit: it names the path of its unit
  in ``_business_unit_field`` (``BusinessUnitMixin`` gives it a required
  ``business_unit``);
- **master data** (tariffs, authorisations, shared products…) is bound to
  several units, or to none — then it is shared by all of them: it names the
  path of its units in ``_business_units_field`` (``BusinessUnitSharedMixin``
  gives it a ``business_units`` Many2Many; a path through another x2many such
  as ``sites.business_unit`` works too).

``ir.rule`` (``ir.py``) turns both into one rule per access mode, written
here once (``partition_domain``):

=========  ===========================  ====================================
mode       document                     master data
=========  ===========================  ====================================
read       its unit is one of the       bound to one of the user's units, or
           user's                       shared by all units
write,     same                         bound only to the user's units (and
delete,                                 at least one): a unit user never
create                                  changes nor creates what another unit
                                        shares, nor binds it to a unit that
                                        is not theirs
=========  ===========================  ====================================

A model may instead define ``business_unit_rule(units, mode)`` returning its
own domain (e.g. analytic entries reach their unit through a Reference).
The rule also covers every model whose ``__access__`` leads to such a model
(set ``__access__`` in ``__setup__``: ``Model.__setup__`` resets a class
attribute).  Users of the group *All Business Units* are not restricted.

A document may refer only to master data shared with its unit: the check is
``BusinessUnitMixin.check_business_unit_references``, run on every save.
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from .exceptions import BusinessUnitReferenceError

READ, WRITE = 'read', 'write'


def business_unit_rule_domain(field_name, business_units):
    "Domain keeping the records of the business units given"
    return [(field_name, 'in', list(business_units))]


def shared_rule_domain(Model, path, units, mode):
    """Domain of the master data of Model whose units are at path: for read,
    bound to one of units or to none; otherwise bound only to units"""
    units = list(units)
    head, _, tail = path.partition('.')
    field = Model._fields[head]
    if field._type == 'many2one':
        if mode == READ:
            return ['OR', (path, '=', None), (path, 'in', units)]
        return [(path, 'in', units)]
    tail = tail or 'id'
    if mode == READ:
        return ['OR', (head, '=', None), (path, 'in', units)]
    return [
        (path, 'in', units),
        (head, 'not where', [(tail, 'not in', units)]),
        ]


def partition_domain(Model, units, mode=READ):
    """The domain keeping the records of Model that a user of the units may
    access in the mode, or None when Model is not partitioned itself"""
    rule = getattr(Model, 'business_unit_rule', None)
    if rule is not None:
        return rule(units, mode)
    path = getattr(Model, '_business_unit_field', None)
    if path:
        return business_unit_rule_domain(path, units)
    path = getattr(Model, '_business_units_field', None)
    if path:
        return shared_rule_domain(Model, path, units, mode)
    return None


def partition_path(Model):
    "The path of the unit of a document model, or None"
    return getattr(Model, '_business_unit_field', None) or None


def is_partitioned(Model):
    "Tell whether Model carries a partition rule of its own"
    return bool(getattr(Model, 'business_unit_rule', None)
        or getattr(Model, '_business_unit_field', None)
        or getattr(Model, '_business_units_field', None))


def shared_with(Target, ids, unit_id):
    "Return the ids among ids of the master data Target shared with the unit"
    domain = partition_domain(Target, [unit_id], READ)
    with Transaction().set_user(0), without_check_access(), \
            inactive_records():
        return {r.id for r in Target.search([
                    ('id', 'in', list(ids)),
                    domain,
                    ], order=[])}


def of_unit(Target, ids, unit_id):
    "Return the ids among ids of the documents Target of the unit"
    path = partition_path(Target)
    with Transaction().set_user(0), without_check_access(), \
            inactive_records():
        return {r.id for r in Target.search([
                    ('id', 'in', list(ids)),
                    (path, '=', unit_id),
                    ], order=[])}


class CodeNameMixin(object):
    """A record shown as "[code] name" and found by either (and by the
    other fields of _rec_name_fields)"""
    __slots__ = ()
    _rec_name_fields = ['code', 'name']

    def get_rec_name(self, name):
        return '[%s] %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op] + [
            (field, operator, operand, *extra)
            for field in cls._rec_name_fields]

class BusinessUnitMixin(object):
    "A document that belongs to exactly one business unit"
    __slots__ = ()
    _business_unit_field = 'business_unit'

    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", required=True,
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The business unit the document belongs to.")

    @classmethod
    def default_business_unit(cls):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if 'business_unit' in transaction.context:
            return transaction.context['business_unit']
        if transaction.user:
            user = User(transaction.user)
            if user.business_unit:
                return user.business_unit.id

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        cls.check_business_unit_references(records, field_names)

    @classmethod
    def _unit_reference_fields(cls):
        """The Many2One fields of the document to master data (shared: True)
        or to other documents (shared: False)"""
        pool = Pool()
        names = []
        for name, field in cls._fields.items():
            if (field._type != 'many2one'
                    or isinstance(field, fields.Function)
                    or name == cls._business_unit_field):
                continue
            Target = pool.get(field.model_name)
            if getattr(Target, '_business_units_field', None):
                names.append((name, True))
            elif (partition_path(Target)
                    and field.model_name != 'casa.business_unit'):
                names.append((name, False))
        return names

    @classmethod
    def check_business_unit_references(cls, records, field_names=None):
        """Refuse a document referring to master data not shared with its
        unit, or to a document of another unit"""
        for name, shared in cls._unit_reference_fields():
            if field_names and not (
                    {name, cls._business_unit_field} & set(field_names)):
                continue
            Target = getattr(cls, name).get_target()
            by_unit = {}
            for record in records:
                target = getattr(record, name)
                unit = record.business_unit
                if target and unit:
                    by_unit.setdefault(unit, set()).add(target.id)
            for unit, ids in by_unit.items():
                if shared:
                    refused = ids - shared_with(Target, ids, unit.id)
                else:
                    refused = ids - of_unit(Target, ids, unit.id)
                if refused:
                    target = Target(min(refused))
                    raise BusinessUnitReferenceError(gettext(
                            'casa_base.msg_business_unit_reference'
                            if shared else
                            'casa_base.msg_business_unit_reference_document',
                            record=target.rec_name,
                            field=getattr(cls, name).string,
                            unit=unit.rec_name))


class BusinessUnitSharedMixin(object):
    """Master data bound to several business units, or shared by all when
    bound to none"""
    __slots__ = ()
    _business_units_field = 'business_units'

    # the relation model is given by the model using the mixin:
    # business_units = fields.Many2Many(
    #     '<model>-casa.business_unit', 'record', 'business_unit', ...)

    @classmethod
    def default_business_units(cls):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if transaction.user:
            user = User(transaction.user)
            if user.business_unit and User.get_business_units() is not None:
                return [user.business_unit.id]
        return []
