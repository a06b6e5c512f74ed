# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""What each role finds at login in the web client sao, and the dashboard's
marks (in French).

The ``server`` fixture (conftest.py) serves the data set of sao_data.py:
units ABT and PARK, each with a posted and a draft customer invoice of today
(ABT: 1,000 MAD untaxed posted), a posted invoice of ABT the same day a year
before (800 MAD), a manager of ABT, a director, an accountant and a
gatekeeper of ABT.  Each role's landing is the login action of its role
(casa_base's role.py): sao opens it in a tab as soon as the user is logged
in.
"""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sao_ui import (
    ACTIVE_TAB, active_tab, active_tab_name, column_cells, list_rows, login,
    open_menu, row_texts, server_errors, tab_title, wait_for)

pytestmark = pytest.mark.browser

TODAY = dt.date.today()


def landing(page, server, role):
    "Log in as the user of the role; wait for the tab sao opens at login"
    data = server.data
    user, password = data['users'][role]
    login(page, server, user, password)
    expected = data['labels']['landing'][
        'manager' if role == 'director' else role]
    expect(page.locator(
            'li.active[id^="nav-tab-"] > a > span[title]')).to_have_attribute(
        'title', re.compile(re.escape(expected)))
    assert tab_title(page) == expected
    return active_tab(page)


def header_labels(tab):
    "The labels of the visible columns of the list of the tab"
    return [' '.join(h.split()) for h in tab.locator(
            'table.tree > thead th:visible').all_inner_texts() if h.strip()]


def current_row(tab, rows, server):
    "The row of the month of today"
    fields = server.data['labels']['columns']
    periods = tab.locator(column_cells(tab, fields['period']))
    for row, period in zip(rows.all(), periods.all_inner_texts()):
        if period == server.data['period']:
            return row
    pytest.fail("no row of %s" % server.data['period'])


@pytest.mark.parametrize('role', ['manager', 'director'])
def test_landing_dashboard(server, page, artifacts, role):
    """The managers and the director land on the dashboard of the year to
    date: the months up to today's, the month of today marked"""
    data = server.data
    fields = data['labels']['columns']
    tab = landing(page, server, role)
    rows = list_rows(tab)
    wait_for(page, rows.first)
    units = 1 if role == 'manager' else 2
    # the months of each unit up to today's (sao draws the rows as they
    # scroll into view)
    expect(tab.locator('.navbar-text .badge')).to_have_text(
        '_/%d' % (TODAY.month * units))
    headers = header_labels(tab)
    if role == 'manager':
        # one unit: its name is not repeated on every row
        assert fields['business_unit'] not in headers, headers
        assert 'PARK' not in tab.inner_text()
    else:
        assert fields['business_unit'] in headers, headers
        # the month of today of every unit
        entry = tab.locator('.filter-box input[list]:visible').last
        entry.fill(data['period'])
        entry.press('Enter')
        expect(rows).to_have_count(units)
        texts = row_texts(rows)
        assert any(data['units']['PARK'] in t for t in texts), texts
    marked = tab.locator('table.tree > tbody > tr.warning')
    wait_for(page, marked.first)
    expect(marked).to_have_count(units)
    for row in marked.all():
        assert data['period'] in row.inner_text()
    page.screenshot(path=str(artifacts / f'test_landing_{role}.png'))
    assert not page.js_errors
    assert not server_errors(server)


def test_landing_accountant(server, page, artifacts):
    """The accountant lands on the closing checklist of the month of today:
    a row per unit and the one without unit"""
    data = server.data
    tab = landing(page, server, 'accountant')
    rows = list_rows(tab)
    wait_for(page, rows.filter(has_text=data['units']['ABT']).first)
    expect(rows).to_have_count(3)
    texts = row_texts(rows)
    assert all(t.startswith(data['period']) for t in texts), texts
    assert any(data['units']['PARK'] in t for t in texts), texts
    page.screenshot(path=str(artifacts / 'test_landing_accountant.png'))
    assert not page.js_errors
    assert not server_errors(server)


def test_landing_gatekeeper(server, page, artifacts):
    """The gatekeeper lands on the gates of their unit, each with the link
    to the kiosk of the database; the link opens the kiosk's page"""
    data = server.data
    tab = landing(page, server, 'gatekeeper')
    path = f'/{server.database}/casa/access/kiosk'
    rows = list_rows(tab)
    row = wait_for(page, rows.filter(has_text=data['gate']).first)
    # the gates of the unit (the kiosk tests sharing the server add some),
    # each with the link to the kiosk
    expect(rows.locator(f'a[href="{path}"]')).to_have_count(rows.count())
    link = row.locator(f'a[href="{path}"]')
    expect(link).to_be_visible()
    page.screenshot(path=str(artifacts / 'test_landing_gatekeeper.png'))
    with page.expect_popup() as popup:
        link.click()
    kiosk = popup.value
    kiosk.wait_for_load_state()
    assert kiosk.url.endswith(path), kiosk.url
    assert kiosk.locator('body').inner_text().strip()
    kiosk.close()
    assert not page.js_errors
    assert not server_errors(server)


def test_dashboard_marks_and_last_year(server, page, artifacts):
    """The dashboard from the menu: the month of today marked (row and
    column), no unit column for the manager of one unit, the revenue of a
    year before and the growth; the axis of its graph with the thousands
    grouped"""
    data = server.data
    labels = data['labels']
    fields = labels['columns']
    user, password = data['users']['manager']
    login(page, server, user, password)
    open_menu(page, labels['dashboard_menu'])
    # its tab, beside the dashboard of the year to date the manager landed on
    expect(active_tab_name(page)).to_have_text(labels['dashboard'])
    tab = active_tab(page)
    rows = list_rows(tab)
    wait_for(page, rows.filter(has_text=data['period']).first)
    expect(rows).to_have_count(12)
    assert tab_title(page) == labels['dashboard']
    headers = header_labels(tab)
    assert fields['business_unit'] not in headers, headers
    assert fields['in_progress'] in headers, headers
    # the columns fit the screen beside the menu, their labels whole
    table = tab.locator('table.tree').first
    assert table.evaluate(
        't => t.scrollWidth <= t.parentElement.clientWidth + 1'), (
        table.evaluate('t => [t.scrollWidth, t.parentElement.clientWidth]'))
    for name in ['variance', 'achievement']:
        header = tab.locator('table.tree > thead th').filter(
            has=page.get_by_text(fields[name], exact=True))
        assert header.evaluate('''th => {
            const label = th.querySelector('.header');
            return label.scrollWidth <= label.clientWidth + 1;
            }'''), name

    row = current_row(tab, rows, server)
    expect(row).to_have_class(re.compile(r'\bwarning\b'))
    expect(tab.locator('table.tree > tbody > tr.warning')).to_have_count(1)
    expect(row.locator(column_cells(tab, fields['in_progress'])
            ).locator('input[type="checkbox"]')).to_be_checked()
    last_year = row.locator(column_cells(tab, fields['revenue_last_year']))
    expect(last_year.locator('.widget')).to_have_text('800,00')
    page.screenshot(path=str(
            artifacts / 'test_dashboard_marks_and_last_year.png'),
        full_page=True)

    tab.locator('button#switch_').click()
    ticks = tab.locator('svg .bb-axis-y .tick text')
    expect(ticks.last).to_be_visible()
    # the budget of a month, 10,000 MAD, is on the scale: 10 000 at least
    page.wait_for_function('''selector => [...document.querySelectorAll(
            selector)].some(t => /\\d[\\s\\u00a0\\u202f]\\d{3}/.test(
            t.textContent))''',
        arg=ACTIVE_TAB + ' svg .bb-axis-y .tick text')
    texts = ticks.all_text_contents()
    assert not [t for t in texts if re.search(r'\d{4}', t)], texts
    page.screenshot(path=str(artifacts / 'test_dashboard_graph_axis.png'))
    assert not page.js_errors
    assert not server_errors(server)


def test_invoices_open_on_posted(server, page):
    """The customer invoices open on the posted ones, not on the drafts"""
    data = server.data
    labels = data['labels']
    user, password = data['users']['manager']
    login(page, server, user, password)
    open_menu(page, labels['customer_invoices_menu'])
    tab = active_tab(page)
    wait_for(page, tab.locator('.tab-domain'))
    expect(tab.locator('.tab-domain li.active a[role="tab"]')).to_contain_text(
        labels['posted_tab'])
    posted = [i for i in data['invoices'] + data['last_year_invoices']
        if i['unit'] == 'ABT' and i['state'] == 'posted']
    rows = list_rows(tab)
    for invoice in posted:
        wait_for(page, rows.filter(has_text=invoice['party']).first)
    expect(rows).to_have_count(len(posted))
    assert not page.js_errors
    assert not server_errors(server)
