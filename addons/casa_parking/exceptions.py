# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CarParkError(ValidationError):
    pass


class ParkingTariffError(ValidationError):
    pass


class SessionError(UserError):
    pass


class SubscriptionError(ValidationError):
    pass


class MeterImportError(UserError):
    pass
