# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The customer invoices in the web client sao, per business unit.

The ``server`` fixture (conftest.py) serves the data set of sao_data.py: units
ABT and PARK with one posted and one draft customer invoice each, and a
manager of ABT only.
"""
import json
import urllib.parse

import pytest

from sao_ui import (
    active_tab, list_rows, login, open_menu, row_texts, server_errors)

pytestmark = pytest.mark.browser


def invoice_rows(page, expected, tab_label=None):
    """Show the tab of the list, if any; return the list and the text of its
    rows once the expected texts are displayed"""
    tab = active_tab(page)
    if tab_label:
        tab.locator('.tab-domain a[role="tab"]', has_text=tab_label).click()
    rows = list_rows(tab)
    for text in expected:
        rows.filter(has_text=text).first.wait_for()
    return tab, row_texts(rows)


def invoice_texts(invoice):
    "The texts of the invoice's row"
    texts = [invoice['party'], invoice['reference']]
    if invoice['number']:
        texts.append(invoice['number'])
    return texts


def test_business_unit_manager_sees_only_own_invoices(server, page):
    data = server.data
    manager, labels = data['manager'], data['labels']
    # with the invoice of ABT of a year before
    invoices = data['invoices'] + data['last_year_invoices']
    own = [i for i in invoices if i['unit'] == 'ABT']
    others = [i for i in invoices if i['unit'] != 'ABT']
    assert len(own) == 3 and len(others) == 2
    assert {i['state'] for i in own} == {'posted', 'draft'}

    login(page, server, manager['login'], manager['password'])
    # the status of the user names their current business unit
    preferences = page.locator('#user-preferences').inner_text()
    assert manager['name'] in preferences and '[ABT]' in preferences

    open_menu(page, labels['customer_invoices_menu'])
    # all the states: the first tab shows the posted invoices only
    tab, rows = invoice_rows(
        page, [i['party'] for i in own], tab_label=labels['all_tab'])

    assert len(rows) == len(own), rows
    for invoice in own:
        matching = [r for r in rows
            if all(t in r for t in invoice_texts(invoice))]
        assert len(matching) == 1, (invoice, rows)
    shown = tab.inner_text()
    for invoice in others:
        for text in invoice_texts(invoice):
            assert text not in shown, (text, rows)
    assert 'PARK' not in shown
    assert not page.js_errors
    assert not server_errors(server)


def test_all_business_units_user_sees_every_invoice(server, page):
    """Positive control of the list: admin, of all the business units, sees
    the invoices of PARK too.  The list is opened by URL as sao does for the
    customer invoices (admin has no Invoices menu, see casa_base's
    invoice.xml)."""
    data = server.data
    path = '/model/account.invoice;domain=' + urllib.parse.quote(
        json.dumps([['type', '=', 'out']]))
    login(page, server, 'admin', server.admin_password, path)
    invoices = data['invoices'] + data['last_year_invoices']
    _, rows = invoice_rows(page, [i['party'] for i in invoices])

    assert len(rows) == len(invoices), rows
    for invoice in invoices:
        matching = [r for r in rows
            if all(t in r for t in invoice_texts(invoice))]
        assert len(matching) == 1, (invoice, rows)
    assert not page.js_errors
    assert not server_errors(server)
