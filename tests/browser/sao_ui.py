# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Steps in the web client sao shared by the browser tests: log in, open a
menu entry, read the rows of a list, the errors of the server.

The ``server`` fixture of conftest.py gives the address and database of the
trytond serving sao and the data set of sao_data.py."""


def login(page, server, login, password, path=''):
    """Log in through sao's dialogs (user name, then password); sao opens
    the path of the URL once logged in"""
    from playwright.sync_api import expect
    page.goto(f'{server.url}#{server.database}{path}')
    dialog = page.locator('.login-dialog')
    # sao's login ignores the database of the URL and reads the database
    # field, which it fills once the server has listed the databases: before
    # that, submitting does nothing
    expect(dialog.locator('[name="database"]:visible')).to_have_value(
        server.database)
    dialog.locator('input#login').fill(login)
    # the buttons, not Enter: when the modal has finished showing, sao may
    # move the focus to another field (the list of the databases)
    dialog.locator('button[type="submit"]').click()
    ask = page.locator('.ask-dialog')
    ask.locator('input[name="password"]').fill(password)
    ask.locator('.modal-footer .btn-primary').click()
    # the menu and the user's preferences are there once logged in
    page.locator('#menu tbody tr').first.wait_for()
    page.locator('#user-preferences a').first.wait_for()


def menu_row(page, label, after=None):
    """The first row of the menu labelled label (after the row after, e.g.
    its folder: a folder and its entry may have the same label)"""
    rows = (page.locator('#menu tbody tr') if after is None
        else after.locator('xpath=following-sibling::tr'))
    return rows.filter(has=page.get_by_title(label, exact=True)).first


def open_menu(page, path):
    "Unfold the menus of the path and open its last entry"
    *folders, entry = path
    row = None
    for label in folders:
        row = menu_row(page, label, row)
        row.locator('span.expander').click()
    menu_row(page, entry, row).get_by_title(entry, exact=True).click()


# the content of the current tab (not the current pages of the notebooks of
# the forms, tab panes too)
ACTIVE_TAB = '#tabcontent > .tab-pane.active'


def active_tab(page):
    "The content of the current tab"
    return page.locator(ACTIVE_TAB)


def active_tab_name(page):
    """The name of the current tab in the bar of the tabs (sao writes it
    twice, short and long, and shows the one that suits the width)"""
    return page.locator(
        'li.active[id^="nav-tab-"] > a > span[title] > span:visible')


def tab_title(page):
    "The name of the current tab, as the bar of the tabs shows it"
    return ' '.join(active_tab_name(page).inner_text().split())


def list_rows(tab):
    "The rows of the list (not of its sums) of the tab"
    return tab.locator('table.tree > tbody > tr')


def row_texts(rows):
    "The text of each row, its spaces normalized"
    return [' '.join(r.inner_text().split()) for r in rows.all()]


def server_errors(server):
    """The errors of the server's log; not the refusals of the requests of a
    session that has logged out (sao's last requests after logging out)"""
    return [line for line in server.log_text().splitlines()
        if ('Traceback' in line or ' ERROR ' in line)
        and 'trytond.security session failed' not in line]


# the dialogs of sao showing an error of the server: a traceback, a
# UserError (e.g. an access error) or a UserWarning
ERROR_DIALOGS = ', '.join('.%s .modal-body:visible' % d
    for d in ['error-dialog', 'warning-dialog', 'user-warning-dialog'])


def wait_for(page, locator):
    """Wait for the locator to show, or fail with the text of the error
    dialog sao shows instead"""
    import pytest
    error = page.locator(ERROR_DIALOGS)
    locator.or_(error).first.wait_for()
    if error.count():
        pytest.fail("sao shows an error: %s" % ' '.join(
                error.first.inner_text().split()), pytrace=False)
    return locator


def column_cells(tab, label):
    """The CSS selector of the cells of the column of the list whose header
    reads label"""
    header = tab.locator('table.tree > thead th').filter(
        has=tab.page.get_by_text(label, exact=True))
    return 'td[headers="%s"]' % header.get_attribute('id')


def amount(cell):
    """The amount and the currency symbol of a monetary cell, as sao shows
    them (their spaces kept)"""
    symbol = ''.join(cell.locator('.prefix, .suffix').all_inner_texts())
    return cell.locator('.widget').inner_text().strip(), symbol.strip()


def column_sums(tab, label):
    """The sums sao shows under the column of the list whose header reads
    label: of the selected rows, of all the rows"""
    index = tab.locator('table.tree > thead th').evaluate_all(
        '(ths, label) => ths.findIndex(th => th.innerText.trim() == label)',
        label)
    assert index >= 0, label
    value = tab.locator('table.tree > tfoot th').nth(index).locator('.value')
    return value.inner_text().split('\n')


def user_menu_item(page, index):
    """The item of the user's menu (Preferences -3, Help -2, Logout -1,
    whatever the language), the menu open: sao writes its items each time
    it opens, in the current language"""
    from playwright.sync_api import expect
    items = page.locator('#user-preferences a[role="menuitem"]')
    if items.nth(index).is_visible():
        return items.nth(index)
    # sao writes the items again once the server has listed the
    # notifications: an item clicked before is dropped with its click
    items.evaluate_all('items => items.forEach(a => a.dataset.stale = 1)')
    page.locator('#user-preferences > a.dropdown-toggle').click()
    item = page.locator(
        '#user-preferences a[role="menuitem"]:not([data-stale])').nth(index)
    expect(item).to_be_visible()
    return item


def open_preferences(page):
    """Open the preferences from the user's menu (confirming that sao closes
    the tabs, if any); return the dialog once the form is drawn, or fail
    with the JavaScript errors that kept it from being drawn"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    user_menu_item(page, -3).click()
    confirm = page.locator('.confirmation-dialog .modal-footer '
        'button.btn-primary:visible')
    dialog = page.locator('.modal-dialog:visible').filter(
        has=page.locator('select[name="language"]'))
    ok = dialog.locator('.modal-footer button.btn-primary')
    # sao draws the form, or fails on it and the screen stays empty
    for _ in range(300):
        if page.js_errors or ok.count():
            break
        if confirm.count():
            # the dialog of sao may be fading in or out: try again
            try:
                confirm.first.click(timeout=1000)
            except PlaywrightTimeoutError:
                pass
        page.wait_for_timeout(100)
    assert not js_errors(page), js_errors(page)
    wait_for(page, ok)
    return dialog


def js_errors(page):
    """The JavaScript errors of the page: uncaught, or caught by jQuery in a
    deferred (then only on the console)"""
    return page.js_errors + [m for m in page.console_errors
        if 'jQuery.Deferred exception' in m
        or (m.startswith('error: ') and 'Failed to load resource' not in m)]
