# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class BusinessUnitCodeError(ValidationError):
    pass


class BusinessUnitDeleteError(AccessError):
    pass


class BusinessUnitCompanyError(ValidationError):
    pass


class BusinessUnitDistributionError(UserError):
    pass


class UserBusinessUnitError(ValidationError):
    pass


class BusinessUnitReferenceError(ValidationError):
    pass


class UserRightsError(AccessError):
    pass


class TariffError(ValidationError):
    pass


class TariffMissingError(UserError):
    pass


class TariffUsedError(AccessError):
    pass


class OperationError(UserError):
    pass


class SiteError(ValidationError):
    pass


class ReportRequestError(UserError):
    pass


class AnomalyError(UserError):
    pass


class AnomalyAccessError(AccessError):
    pass
