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


def menu_row(page, label):
    return page.locator('#menu tbody tr').filter(
        has=page.get_by_title(label, exact=True))


def open_menu(page, path):
    "Unfold the menus of the path and open its last entry"
    *folders, entry = path
    for label in folders:
        menu_row(page, label).locator('span.expander').click()
    menu_row(page, entry).get_by_title(entry, exact=True).click()


def active_tab(page):
    "The content of the current tab"
    return page.locator('#tabcontent .tab-pane.active')


def tab_title(page):
    "The title of the current tab, as in the bar of the tabs"
    return ' '.join(page.locator('#tabs li.active a').first.inner_text()
        .split())


def list_rows(tab):
    "The rows of the list (not of its sums) of the tab"
    return tab.locator('table.tree > tbody > tr')


def row_texts(rows):
    "The text of each row, its spaces normalized"
    return [' '.join(r.inner_text().split()) for r in rows.all()]


def server_errors(server):
    return [line for line in server.log_text().splitlines()
        if 'Traceback' in line or ' ERROR ' in line]
