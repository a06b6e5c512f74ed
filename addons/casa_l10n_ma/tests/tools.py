# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"Helpers for scenarios and scripts (proteus)"
from proteus import Model, Wizard
from trytond.modules.company.tests.tools import get_company

__all__ = ['create_chart', 'get_account']


def get_account(code, company=None, config=None):
    "Return the account of the code"
    Account = Model.get('account.account', config=config)
    if company is None:
        company = get_company(config=config)
    account, = Account.find([
            ('company', '=', company.id), ('code', '=', code)])
    return account


def create_chart(company=None, config=None):
    """Create the company's chart from the CGNC template with 3421 and 4411
    as default receivable and payable accounts"""
    AccountTemplate = Model.get('account.account.template', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    if company is None:
        company = get_company(config=config)
    wizard = Wizard('account.create_chart', config=config)
    wizard.execute('account')
    wizard.form.account_template = AccountTemplate(
        ModelData.get_id('casa_l10n_ma', 'cgnc_root', {}))
    wizard.form.company = company
    wizard.execute('create_account')
    wizard.form.account_receivable = get_account('3421', company, config)
    wizard.form.account_payable = get_account('4411', company, config)
    wizard.execute('create_properties')
    return wizard
