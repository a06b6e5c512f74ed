# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from .mixin import BusinessUnitMixin, business_unit_rule_domain
from .unit_period import BusinessUnitPeriodMixin

__all__ = [
    'BusinessUnitMixin', 'BusinessUnitPeriodMixin',
    'business_unit_rule_domain']
