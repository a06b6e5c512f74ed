# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.casa_base.exceptions import BusinessUnitReferenceError


class SiteError(ValidationError):
    pass


class AuthorisationError(ValidationError):
    pass


class TariffError(ValidationError):
    pass


class PassageError(AccessError):
    pass


class ShiftError(UserError):
    pass


class ShiftStateError(ShiftError):
    "The shift is not in the state the change needs (e.g. closed meanwhile)"
    # a conflict for the kiosk's API (casa_base.http_api.json_api)
    http_status = 409


class KioskKeyError(ValidationError):
    pass


class KioskKeyUnitError(KioskKeyError, BusinessUnitReferenceError):
    "A kiosk key of a gate of a unit the user does not work for"
    pass
