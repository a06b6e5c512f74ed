# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Helpers for scenarios and scripts (proteus)"
from proteus import Model
from trytond.modules.company.tests.tools import get_company

__all__ = ['create_business_unit', 'create_user', 'get_role']


def create_business_unit(name, code, kind='other', company=None,
        config=None):
    "Create and return a business unit of the company"
    BusinessUnit = Model.get('casa.business_unit', config=config)
    if company is None:
        company = get_company(config=config)
    unit = BusinessUnit(name=name, code=code, kind=kind, company=company)
    unit.save()
    return unit


def get_role(xml_id, config=None):
    "Return the role of the XML id, of casa_base unless 'module.id'"
    Role = Model.get('res.role', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    module, _, xml_id = xml_id.rpartition('.')
    return Role(ModelData.get_id(module or 'casa_base', xml_id, {}))


def create_user(login, name, role, units=(), company=None, password=None,
        language=None, config=None):
    """Create a user with the role (XML id, see get_role) working for the units,
    the first one being their current unit"""
    User = Model.get('res.user', config=config)
    Company = Model.get('company.company', config=config)
    BusinessUnit = Model.get('casa.business_unit', config=config)
    if company is None:
        company = get_company(config=config)
    company = Company(company.id)
    units = [BusinessUnit(u.id) for u in units]
    user = User(login=login, name=name)
    if password:
        user.password = password
    if language:
        user.language = language
    user.companies.append(company)
    user.company = company
    for unit in units:
        user.business_units.append(unit)
    if units:
        user.business_unit = units[0]
    user_role = user.roles.new()
    user_role.role = get_role(role, config=config)
    user.save()
    return user
