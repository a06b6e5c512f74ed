# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The preferences of the web client sao, for every role but the
administrator: each user opens them, goes through their pages (the user
applications among them) and changes their language, then back.

The ``server`` fixture (conftest.py) serves the data set of sao_data.py: a
business unit manager, an accountant and a gatekeeper, all in French.
"""
import pytest
from playwright.sync_api import expect

from sao_ui import (
    js_errors, login, open_preferences, server_errors, user_menu_item)

pytestmark = pytest.mark.browser

# the languages each user goes through, from French and back to it
LANGUAGES = ['en', 'ar', 'fr']
DIRECTIONS = {'en': 'ltr', 'ar': 'rtl', 'fr': 'ltr'}
# the first item of the user's menu, as sao writes it in each language
PREFERENCES = {
    'en': "Preferences...",
    'ar': "التفضيلات...",
    'fr': "Préférences...",
    }


def visit_pages(page, dialog):
    "Show each page of the form's notebook; return their labels"
    tabs = dialog.locator('.nav-tabs a[role="tab"]:visible')
    labels = []
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        labels.append(tab.inner_text().strip())
        tab.click()
        assert not js_errors(page), (labels[-1], js_errors(page))
    return labels


def change_language(page, code):
    """Choose the language in the open preferences, validate them and wait
    for sao to reload itself in that language"""
    dialog = open_preferences(page)
    pages = visit_pages(page, dialog)
    select = dialog.locator('select[name="language"]')
    # the page of the language
    tabs = dialog.locator('.nav-tabs a[role="tab"]:visible')
    for i in range(tabs.count()):
        if select.is_visible():
            break
        tabs.nth(i).click()
    options = select.locator('option').evaluate_all(
        'options => options.map(o => JSON.parse(o.value || "null"))')
    assert code in options, (code, options)
    # French first
    assert [o for o in options if o][0] == 'fr', options
    select.select_option(value='"%s"' % code)
    dialog.locator('.modal-footer button.btn-primary').click()
    dialog.wait_for(state='detached')
    html = page.locator('html')
    expect(html).to_have_attribute('lang', code)
    expect(html).to_have_attribute('dir', DIRECTIONS[code])
    # the menu and the user's status are drawn again
    page.locator('#menu tbody tr').first.wait_for()
    page.locator('#user-preferences > a.dropdown-toggle').wait_for()
    # sao speaks the language
    item = user_menu_item(page, -3)
    expect(item).to_have_text(PREFERENCES[code])
    page.keyboard.press('Escape')
    return pages


@pytest.mark.parametrize('role', ['manager', 'accountant', 'gatekeeper'])
def test_preferences_change_language(server, page, role):
    login_, password = server.data['users'][role]
    login(page, server, login_, password)
    assert page.locator('html').get_attribute('lang') == 'fr'

    for code in LANGUAGES:
        pages = change_language(page, code)
        # the user's applications are among the pages
        assert len(pages) >= 2, pages
        assert not js_errors(page), (code, js_errors(page))
        if code == 'ar':
            # the language is the user's: it stays after logging in again
            user_menu_item(page, -1).click()
            # sao asks to close the tabs (the landing's) before logging out
            page.locator('.modal-footer .btn-primary:visible').click()
            page.locator('.login-dialog').wait_for()
            # a fresh sao (after logging out without reloading, sao does
            # not open the preferences any more)
            page.reload()
            login(page, server, login_, password)
            assert page.locator('html').get_attribute('lang') == code
            assert not js_errors(page), js_errors(page)
    assert not server_errors(server), server_errors(server)
