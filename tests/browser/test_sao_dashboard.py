import pytest
from sao_ui import active_tab, list_rows, login, open_menu, row_texts, server_errors

pytestmark = pytest.mark.browser


def test_explore(server, page):
    data = server.data
    import json
    print(json.dumps(data, indent=1, ensure_ascii=False))
    manager, labels = data['manager'], data['labels']
    login(page, server, manager['login'], manager['password'])
    open_menu(page, labels['dashboard_menu'])
    tab = active_tab(page)
    rows = list_rows(tab)
    rows.filter(has_text=data['period']).first.wait_for()
    page.wait_for_timeout(2000)
    open('/tmp/explore/list.html', 'w').write(tab.inner_html())
    for r in rows.all():
        print(repr(r.inner_text()))
    page.screenshot(path='/tmp/explore/list.png', full_page=True)
    print(page.locator('#tabs').inner_html()[:3000])
    tab.locator('button[title]').evaluate_all('bs => bs.map(b => b.title)')
    print(tab.locator('button').evaluate_all('bs => bs.map(b => [b.title, b.innerText, b.id, b.name])'))
    print(page.js_errors, server_errors(server))
