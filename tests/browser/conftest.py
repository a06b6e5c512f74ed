# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Browser tests: headless Chromium driven by Playwright against a trytond
serving sao.

Tests marked ``browser`` are skipped when Chromium is missing.  Every test
using the ``page`` fixture leaves a screenshot of its page in
var/test-artifacts/ (<test name>.png, overwritten at each run) and, when it
fails, the page's HTML beside it.
"""
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / 'var' / 'test-artifacts'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
    ]
# each step of the browser waits at most this long (milliseconds)
TIMEOUT = 30_000



def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'browser: drives the web client sao in headless Chromium '
        '(skipped when Chromium is missing)')


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"browser test: no Chromium at {CHROMIUM} "
        "(scripts/ensure-browser.sh installs it)")
    for item in items:
        if item.get_closest_marker('browser'):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    "Keep each phase's report on the item, for the page fixture"
    report = yield
    setattr(item, 'rep_' + report.when, report)
    return report


def artifact_path(item, suffix):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r'[^\w.-]+', '_', item.name).strip('_')
    return ARTIFACTS / f'{name}{suffix}'


@pytest.fixture(scope='session')
def artifacts():
    "The directory of the screenshots and logs of the tests"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(request, browser):
    """A fresh page (own cookies and local storage) in French; its
    JavaScript errors are collected in page.js_errors"""
    context = browser.new_context(
        locale='fr-FR', viewport={'width': 1400, 'height': 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda error: page.js_errors.append(str(error)))
    try:
        yield page
    finally:
        item = request.node
        failed = any(getattr(item, 'rep_' + when, None) is not None
            and getattr(item, 'rep_' + when).failed
            for when in ['setup', 'call'])
        try:
            page.screenshot(
                path=str(artifact_path(item, '.png')), full_page=True)
            html = artifact_path(item, '.html')
            if failed:
                html.write_text(page.content(), encoding='utf-8')
            else:
                html.unlink(missing_ok=True)
        finally:
            context.close()
