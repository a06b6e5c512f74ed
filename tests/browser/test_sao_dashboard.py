# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The business unit dashboard in the web client sao.

The ``server`` fixture (conftest.py) serves the data set of sao_data.py: units
ABT and PARK, each with a posted customer invoice of today (ABT: 1,000 MAD
untaxed) and a draft one, an analytic budget of the fiscal year (ABT: a margin
of 120,000 MAD, so 10,000 a month) and a manager of ABT only.

sao formats the amounts in the user's language (French) with the grouping of
the browser's Intl for "fr": a narrow no-break space (U+202F) between the
thousands (not the no-break space of the language in Tryton), a comma before
the decimals; it shows the symbol of the company's currency (DH for MAD) in an
element of its own after the amount.
"""
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sao_ui import (
    ACTIVE_TAB, active_tab, active_tab_name, amount, column_cells,
    column_sums, list_rows, login, open_menu, row_texts, server_errors,
    tab_title, wait_for)

pytestmark = pytest.mark.browser

MONTHS = 12
SYMBOL = 'DH'
# the graph view: month on x, revenue, expenses, margin and budget on y
GRAPH_SERIES = [
    'revenue', 'revenue_last_year', 'expense', 'margin', 'budget']
BARS = 'svg .bb-chart-bars path.bb-bar'
# billboard.js draws a bar of each value (a flat one for 0): the number of
# the bars higher than a pixel
TALL_BARS = '''bars => bars.filter(
    b => b.getBoundingClientRect().height > 1).length'''


def fr(value):
    "A Decimal as sao shows it in French: 1\u202f000,00"
    integer, decimals = ('%.2f' % abs(value)).split('.')
    groups = []
    while integer:
        integer, group = integer[:-3], integer[-3:]
        groups.insert(0, group)
    return ('-' if value < 0 else '') + '\u202f'.join(groups) + ',' + decimals


def dashboard_rows(page, server):
    """The rows of the dashboard of the active tab (in its list view), once
    its 12 months are shown"""
    tab = active_tab(page)
    rows = list_rows(tab)
    wait_for(page, rows.filter(has_text=server.data['period']))
    expect(rows).to_have_count(MONTHS)
    return tab, rows


def check_abt_months(page, server, tab, rows):
    """The rows are the 12 months of ABT, the month of the invoices with
    their revenue, each month with its part of the budget"""
    data = server.data
    # the headers of the list's columns
    fields = data['labels']['columns']
    unit, period = data['units']['ABT'], data['period']
    posted, = [i for i in data['invoices']
        if i['unit'] == 'ABT' and i['state'] == 'posted']
    revenue = Decimal(posted['untaxed_amount'])
    budget = Decimal(data['budgets']['ABT']) / MONTHS
    # the figures of the data set the formats below read
    assert (revenue, budget) == (1000, 10000)

    # the column of the unit, hidden when the domain sets it (one click
    # from the unit), names ABT
    units = tab.locator('table.tree > thead th').filter(
        has=page.get_by_text(fields['business_unit'], exact=True))
    if units.is_visible():
        texts = row_texts(rows)
        assert all(t.startswith(unit) for t in texts), texts
    assert 'PARK' not in tab.inner_text()
    periods = [r.locator(column_cells(tab, fields['period'])).inner_text()
        for r in rows.all()]
    year = period[:4]
    assert periods == ['%s-%02d' % (year, m) for m in range(1, 13)]

    columns = {name: column_cells(tab, fields[name])
        for name in ['revenue', 'expense', 'margin', 'budget', 'variance',
            'achievement']}
    for row, row_period in zip(rows.all(), periods):
        cells = {n: row.locator(c) for n, c in columns.items()}
        shown = {n: amount(cells[n]) for n in columns if n != 'achievement'}
        if row_period == period:
            assert shown == {
                'revenue': ('1\u202f000,00', SYMBOL),
                'expense': ('0,00', SYMBOL),
                'margin': ('1\u202f000,00', SYMBOL),
                'budget': ('10\u202f000,00', SYMBOL),
                'variance': ('-9\u202f000,00', SYMBOL),
                }, (row_period, shown)
            assert shown['revenue'][0] == fr(revenue)
            assert cells['achievement'].inner_text().strip() == '10,00%'
        else:
            assert shown['revenue'] == ('0,00', SYMBOL), (row_period, shown)
            assert shown['budget'] == ('10\u202f000,00', SYMBOL), (
                row_period, shown)
            assert shown['budget'][0] == fr(budget)
    # the sums of the year, without a selection: the budget of ABT only
    assert column_sums(tab, fields['revenue']) == ['0,00', '1\u202f000,00']
    assert column_sums(tab, fields['budget']) == ['0,00', '120\u202f000,00']


def check_graph(page, tab):
    """The graph of the tab: the bars of the 5 series for the 12 months,
    those of the budgets, of the month's revenue and margin and of its
    revenue a year before not flat"""
    expect(tab.locator(BARS)).to_have_count(len(GRAPH_SERIES) * MONTHS)
    # the chart is drawn (billboard.js grows the bars from 0): 12 budgets,
    # the revenue and the margin of the month of the invoice, the revenue
    # of that month a year before
    page.wait_for_function('''selector => {
        const bars = [...document.querySelectorAll(selector)];
        return (%s)(bars) == %d;
        }''' % (TALL_BARS, MONTHS + 3), arg=ACTIVE_TAB + ' ' + BARS)


def test_business_unit_manager_dashboard(server, page, artifacts):
    """The manager of ABT opens the dashboard from the menu: the 12 months
    of ABT only, with the figures of the data set; then its graph"""
    data = server.data
    manager, labels = data['manager'], data['labels']
    assert data['currency_symbol'] == SYMBOL
    login(page, server, manager['login'], manager['password'])
    open_menu(page, labels['dashboard_menu'])
    # its tab, beside the dashboard of the year to date the manager landed on
    expect(active_tab_name(page)).to_have_text(labels['dashboard'])

    tab, rows = dashboard_rows(page, server)
    assert tab_title(page) == labels['dashboard']
    check_abt_months(page, server, tab, rows)
    page.screenshot(path=str(
            artifacts / 'test_business_unit_manager_dashboard_list.png'),
        full_page=True)

    tab.locator('button#switch_').click()
    check_graph(page, tab)
    legend = tab.locator('svg .bb-legend-item').all_text_contents()
    assert legend == [labels['fields'][n] for n in GRAPH_SERIES], legend
    assert not page.js_errors
    assert not server_errors(server)


@pytest.mark.parametrize('user', ['manager', 'admin'])
def test_dashboard_button_of_business_unit(server, page, user):
    """The button of the form of ABT opens its dashboard (graph first): for
    its manager and for admin, who sees PARK too everywhere else"""
    data = server.data
    labels = data['labels']
    if user == 'manager':
        login(page, server, data['manager']['login'],
            data['manager']['password'])
        units = ['ABT']
    else:
        login(page, server, 'admin', server.admin_password)
        units = ['ABT', 'PARK']
    open_menu(page, labels['business_units_menu'])
    tab = active_tab(page)
    rows = list_rows(tab)
    abt = rows.filter(has=page.get_by_text('ABT', exact=True))
    wait_for(page, abt)
    expect(rows).to_have_count(len(units))
    for code in units:
        expect(rows.filter(has=page.get_by_text(code, exact=True))
            ).to_have_count(1)

    abt.dblclick()
    wait_for(page, tab.locator('.form'))
    expect(tab.locator('.form input[name="code"]')).to_have_value('ABT')
    button = tab.locator('.form button[name="open_dashboard"]')
    expect(button).to_have_text(labels['dashboard_button'])
    # sao disables the buttons the server makes read-only for the user:
    # those without groups (ir.model.button-res.group) when the user may not
    # write the model
    expect(button, "the button %r of the business unit is read-only for %s"
        % (labels['dashboard_button'], user)).to_be_enabled()
    button.click()

    # a new tab, on the graph
    wait_for(page, active_tab(page).locator('svg').first)
    # sao names the tab after the action and the unit
    expect(active_tab_name(page)).to_have_text('%s (%s)' % (
            labels['dashboard_relate'], data['units']['ABT']))
    tab = active_tab(page)
    check_graph(page, tab)

    tab.locator('button#switch_').click()
    tab, rows = dashboard_rows(page, server)
    check_abt_months(page, server, tab, rows)
    assert not page.js_errors
    assert not server_errors(server)
