# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The closing checklist in the web client sao, as the accountant uses it at
month-end (in French).

The ``server`` fixture (conftest.py) serves the data set of sao_data.py:
units ABT and PARK, each with a posted (not yet sent) and a draft customer
invoice of today, and an accountant of all units.  The checklist has a row
per unit and month of the fiscal year of today, and one per month for the
entries without unit.
"""
import re

import pytest
from playwright.sync_api import expect

from sao_ui import (
    ACTIVE_TAB, active_tab, active_tab_name, column_cells, list_rows, login,
    open_menu, row_texts, server_errors, wait_for)

pytestmark = pytest.mark.browser

MONTHS = 12


def open_checklist(page, server):
    "Log in as the accountant and open the checklist: its tab and rows"
    data = server.data
    accountant, labels = data['accountant'], data['labels']
    login(page, server, accountant['login'], accountant['password'])
    open_menu(page, labels['checklist_menu'])
    # its tab, beside the checklist of the month the accountant landed on
    expect(active_tab_name(page)).to_have_text(
        re.compile('^' + re.escape(labels['checklist_menu'][-1])))
    tab = active_tab(page)
    rows = list_rows(tab)
    wait_for(page, rows.filter(has_text=data['period']).first)
    # 2 units and the row without unit per month (sao draws the rows as
    # they scroll into view)
    expect(tab.locator('.navbar-text .badge')).to_have_text(
        '_/%d' % (3 * MONTHS))
    return tab, rows


def search(page, tab, text, count):
    "Search the list with a plain text; wait for count rows"
    # the search entry of the list (beside the fiscal year of the context)
    entry = tab.locator('.filter-box input[list]:visible').last
    entry.fill(text)
    entry.press('Enter')
    rows = list_rows(tab)
    expect(rows).to_have_count(count)
    return rows


def click_button(tab, row, name):
    """Click the button of the row (sao runs the button of the selected row:
    the row is selected first)"""
    row.locator('td').nth(1).click()
    expect(row).to_have_class(re.compile('selected'))
    row.locator('button[name="%s"]' % name).click()


def test_checklist_newest_first_and_search(server, page, artifacts):
    """The newest month first, the period and unit beside Conforme, a period
    typed in the search box keeps its rows"""
    data = server.data
    fields = data['labels']['checklist_fields']
    tab, rows = open_checklist(page, server)

    headers = [' '.join(h.split()) for h in tab.locator(
            'table.tree > thead th:visible').all_inner_texts()]
    headers = [h for h in headers if h]
    assert headers[:3] == [
        fields['period'], fields['business_unit'], fields['clean']], headers

    # the rows drawn (sao draws them as they scroll into view)
    periods = tab.locator(column_cells(tab, fields['period'])).all_inner_texts()
    assert periods == sorted(periods, reverse=True), periods
    year = data['period'][:4]
    assert periods[:3] == ['%s-12' % year] * 3, periods
    assert len(set(periods)) > 1, periods
    page.screenshot(path=str(artifacts / 'test_checklist_list.png'))

    rows = search(page, tab, data['period'], 3)
    texts = row_texts(rows)
    assert all(t.startswith(data['period']) for t in texts), texts
    assert any(data['units']['ABT'] in t for t in texts), texts
    assert any(data['units']['PARK'] in t for t in texts), texts
    page.screenshot(path=str(artifacts / 'test_checklist_search.png'))
    assert not page.js_errors
    assert not server_errors(server)


def test_checklist_opens_translated_window(server, page, artifacts):
    """The posted invoice of ABT not sent yet: the check opens it in a tab
    titled in French with the row's month and unit, once in parentheses"""
    data = server.data
    fields = data['labels']['checklist_fields']
    tab, rows = open_checklist(page, server)
    rows = search(page, tab, data['period'], 3)
    abt = rows.filter(has_text=data['units']['ABT'])
    click_button(tab, abt, 'open_unsent_invoices')

    posted, = [i for i in data['invoices']
        if i['unit'] == 'ABT' and i['state'] == 'posted']
    wait_for(page, page.locator(ACTIVE_TAB).locator(
            'table.tree > tbody > tr', has_text=posted['party']))
    title = ' '.join(active_tab_name(page).inner_text().split())
    assert title == '%s (%s — %s)' % (fields['unsent_invoices'],
        data['period'], data['units']['ABT']), title
    assert '((' not in title
    page.screenshot(path=str(artifacts / 'test_checklist_open.png'))
    assert not page.js_errors
    assert not server_errors(server)


def test_checklist_closes_period(server, page, artifacts):
    """The accountant closes a clean month from the checklist; the month of
    the draft invoices is refused, with the reason"""
    data = server.data
    labels = data['labels']
    fields, states = labels['checklist_fields'], labels['period_states']
    tab, rows = open_checklist(page, server)
    month = [p for p in tab.locator(column_cells(tab, fields['period'])
            ).all_inner_texts() if p != data['period']][0]

    # the month of today: its draft invoices keep it open
    rows = search(page, tab, data['period'], 3)
    expect(rows.first.locator('button[name="close_period"]')).to_have_text(
        labels['close_period_button'])
    click_button(tab, rows.first, 'close_period')
    page.locator('.modal-dialog:visible .btn-primary').last.click()
    error = page.locator('.modal-dialog:visible .modal-body').filter(
        has_text=data['period'])
    error.first.wait_for()
    # the unit and the failing check, in French
    message = error.first.inner_text()
    assert data['units']['ABT'] in message, message
    assert '(%s)' % fields['draft_invoices'] in message, message
    page.screenshot(path=str(artifacts / 'test_checklist_close_refused.png'))
    page.locator('.modal-dialog:visible .modal-footer button').last.click()

    # a month without anything closes for every unit
    rows = search(page, tab, month, 3)
    click_button(tab, rows.first, 'close_period')
    page.locator('.modal-dialog:visible .btn-primary').last.click()
    state = column_cells(tab, fields['period_state'])
    expect(rows.first.locator(state)).to_have_text(states['closed'])
    rows = search(page, tab, month + ' ', 3)
    for row in rows.all():
        expect(row.locator(state)).to_have_text(states['closed'])
        expect(row.locator('button[name="close_period"]')).to_be_hidden()
    page.screenshot(path=str(artifacts / 'test_checklist_closed.png'))
    assert not page.js_errors
