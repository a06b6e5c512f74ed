# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from . import export
from . import routes  # noqa: F401 (serves the offline page toolkit)
from .mixin import (
    BusinessUnitMixin, BusinessUnitSharedMixin, business_unit_rule_domain,
    partition_domain)
from .unit_period import BusinessUnitPeriodMixin

__all__ = [
    'BusinessUnitMixin', 'BusinessUnitPeriodMixin', 'BusinessUnitSharedMixin',
    'business_unit_rule_domain', 'partition_domain']

export.install()
