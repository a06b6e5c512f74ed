# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.casa_base.exceptions import BusinessUnitReferenceError


class CarParkError(ValidationError):
    pass


class ParkingTariffError(ValidationError):
    pass


class ParkingTariffCarParkError(
        ParkingTariffError, BusinessUnitReferenceError):
    "A tariff of a car park bound to another unit than the car park's"
    pass


class SessionError(UserError):
    pass


class SessionAccessError(AccessError):
    "The sessions are written by the car parks"
    pass


class SubscriptionError(ValidationError):
    pass


class MeterImportError(UserError):
    pass
