# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from collections import namedtuple

from trytond.i18n import gettext
from trytond.ir.rule import _get_access_models
from trytond.transaction import without_check_access
from trytond.pool import Pool, PoolMeta

from .mixin import partition_domain

# stands for an ir.rule.group in the clauses: hashable, with a name shown in
# the access errors
BusinessUnitRule = namedtuple('BusinessUnitRule', ['model', 'name'])


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "business_units" as list of ids of the business units '
            'of the current user')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, User.get_business_units())

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        BusinessUnit = pool.get('casa.business_unit')
        context = super()._get_context(model_name)
        units = User.get_business_units()
        if units is None:
            with without_check_access():
                units = [u.id for u in BusinessUnit.search([])]
        context['business_units'] = list(units)
        return context

    @classmethod
    def business_unit_domains(cls, model_name, units, mode='read'):
        """The partition domains of the model for a user of the units:
        {model reached (itself or through __access__): domain}"""
        pool = Pool()
        model_names, model2field = _get_access_models(pool.get(model_name))
        domains = {}
        for name in sorted(model_names):
            domain = partition_domain(pool.get(name), units, mode)
            if domain is None:
                continue
            if name in model2field:
                domain = ['OR'] + [
                    (path, 'where', domain) for path in model2field[name]]
            domains[name] = domain
        return domains

    @classmethod
    def get(cls, model_name, mode='read'):
        "Add the business-unit partition to every model that has it"
        pool = Pool()
        User = pool.get('res.user')
        clause, clause_global = super().get(model_name, mode=mode)
        units = User.get_business_units()
        if units is None:
            return clause, clause_global
        for name, domain in cls.business_unit_domains(
                model_name, units, mode).items():
            rule = BusinessUnitRule(
                name, gettext('casa_base.msg_rule_business_units'))
            clause_global[rule].append(domain)
        return clause, clause_global
