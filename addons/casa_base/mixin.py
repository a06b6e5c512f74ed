# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The business-unit partition shared by every document model.

A model takes part in the partition by naming the field that holds its
business unit in ``_business_unit_field``.  ``ir.rule`` (see ``ir.py``) reads
that attribute and restricts every read, write, create and delete of such a
model — and of every model whose ``__access__`` points to it — to the business
units of the user, unless the user is in the "All business units" group.
"""
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction


def business_unit_rule_domain(field_name, business_units):
    "Domain keeping the records of the business units given"
    return [(field_name, 'in', list(business_units))]


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
