# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import PoolMeta


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _account_domain(cls, type_):
        domain = super()._account_domain(type_)
        if type_ == 'in':
            # CGNC class 2 is the fixed assets: acquisitions are invoiced
            # directly on them (VAT recoverable on fixed assets)
            domain.append([
                    ('code', 'like', '2%'),
                    ('type.statement', '=', 'balance'),
                    ('type.assets', '=', True),
                    ])
        return domain
