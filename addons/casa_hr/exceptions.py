# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class EmployeeError(ValidationError):
    pass


class AssignmentError(ValidationError):
    pass


class PostError(ValidationError):
    pass


class PayrollImportError(UserError):
    pass


class PayrollError(UserError):
    pass


class LeaveError(UserError):
    pass


class LeaveAccessError(AccessError):
    pass
