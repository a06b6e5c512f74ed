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


class DeviceError(ValidationError):
    pass


class DeviceKeyError(ValidationError):
    pass


class DeviceKeyUnitError(DeviceKeyError, BusinessUnitReferenceError):
    "A key of a device acting as a user outside the device's unit"
    pass


class DeviceAccessError(AccessError):
    "The current user may not issue nor revoke the keys of the device"
    pass
