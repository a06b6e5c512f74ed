# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The offline page toolkit (static/offline/, doc/offline.rst) run in
headless Chromium: no node, no server (the modules are served from the
files by the browser's routing, under the URL casa_base serves them at).
Skipped when Chromium is missing."""
import json
import os
import unittest
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1]
STATIC = MODULE / 'static'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
    ]
ORIGIN = 'http://casa.test'
TOOLKIT = '/db/casa/base/static/offline/'
PAGE = '''<!DOCTYPE html><html lang="fr" dir="ltr"><meta charset="utf-8">
<title>t</title><p id="hello" data-i18n="hello"></p><p id="said"></p>'''

OUTBOX = '''async () => {
    const {createStore} = await import('%(t)sstorage.js');
    const {Outbox} = await import('%(t)soutbox.js');
    localStorage.clear();
    const store = createStore('test:db:');
    const other = createStore('test:other:');
    const outbox = new Outbox(store);
    const r = {};
    r.first = outbox.add({uuid: 'u1', n: 1}, {shown: 'x'});
    // the same event again (a double tap, a reload): not twice
    r.again = outbox.add({uuid: 'u1', n: 2});
    outbox.add({uuid: 'u2'});
    outbox.add({uuid: 'u3'});
    r.uuids = outbox.items().map(i => i.payload.uuid);
    r.kept = outbox.items()[0].payload.n;
    r.shown = outbox.items()[0].shown;
    try { outbox.add({n: 3}); r.noUuid = 'added'; }
    catch (e) { r.noUuid = 'refused'; }
    r.otherStore = new Outbox(other).size();
    outbox.remove(['u2']);
    r.refuse = outbox.refuse('u3', {status: 400, error: 'invalid_field',
        field: 'vehicle_category', message: 'Unknown'});
    r.afterRefuse = outbox.items().map(i => i.payload.uuid);
    r.refused = outbox.refused().map(i => [i.payload.uuid, i.status,
        i.field, i.message, i.exported_at]);
    // refused before: not queued again under its uuid
    r.refusedAgain = outbox.add({uuid: 'u3'});
    outbox.markExported(['u3']);
    r.exported = Boolean(outbox.refused()[0].exported_at);
    outbox.acknowledge(item => !item.exported_at);
    r.acknowledged = outbox.refused().length;
    r.stored = JSON.parse(localStorage.getItem('test:db:outbox'))
        .map(i => i.payload.uuid);
    return r;
}''' % {'t': TOOLKIT}

BACKOFF = '''async () => {
    const {backoffDelay, BACKOFF} = await import('%(t)ssync.js');
    const none = () => 0, all = () => 1;
    const schedule = [0, 1, 2, 3, 4, 5, 6].map(
        a => backoffDelay(a, BACKOFF.offline, 0.3, none));
    const jittered = [0, 1, 2, 3, 4, 5, 6].map(
        a => backoffDelay(a, BACKOFF.offline, 0.3, all));
    const busy = [0, 1, 2, 3, 4, 5].map(
        a => backoffDelay(a, BACKOFF.busy, 0.3, none));
    const spread = [];
    for (let i = 0; i < 200; i++) {
        spread.push(backoffDelay(2, BACKOFF.offline));
    }
    return {schedule, jittered, busy, min: Math.min(...spread),
        max: Math.max(...spread), distinct: new Set(spread).size};
}''' % {'t': TOOLKIT}

SYNC = '''async () => {
    const {createStore} = await import('%(t)sstorage.js');
    const {Outbox} = await import('%(t)soutbox.js');
    const {Sync, SyncFailure} = await import('%(t)ssync.js');
    localStorage.clear();
    const store = createStore('sync:db:');
    const outbox = new Outbox(store);
    for (let i = 0; i < 1203; i++) {
        outbox.add({uuid: 'e' + i, i: i});
    }
    let clock = 1000000;
    const batches = [];
    const server = new Set();
    // the server: idempotent by uuid; e7 refused, e9 a 5xx once
    let failed9 = false;
    const send = async payloads => {
        batches.push(payloads.length);
        return payloads.map((p, index) => {
            if (p.uuid === 'e7') {
                return {index, uuid: p.uuid, status: 400,
                    error: 'invalid_field', message: 'No such category'};
            }
            if (p.uuid === 'e9' && !failed9) {
                failed9 = true;
                return {index, uuid: p.uuid, status: 503};
            }
            const created = !server.has(p.uuid);
            server.add(p.uuid);
            return {index, uuid: p.uuid, status: created ? 201 : 200};
        });
    };
    const sync = new Sync({outbox, send, now: () => clock,
        random: () => 0});
    const r = {};
    r.first = await sync.run();
    r.left = outbox.items().map(i => i.payload.uuid);
    r.hold = sync.hold && sync.hold.kind;
    r.wait = sync.retryAt - clock;
    // while waiting: nothing sent
    r.skipped = (await sync.run()).sent;
    clock += r.wait;
    r.second = await sync.run();
    r.batches = batches.slice();
    r.leftAfter = outbox.size();
    r.refused = outbox.refused().map(i => [i.payload.uuid, i.status,
        i.message]);
    r.stored = server.size;
    // the same event queued again after it was taken: a duplicate
    outbox.add({uuid: 'e1'});
    r.duplicate = (await sync.run()).duplicate;
    r.stored2 = server.size;
    // a failure of the whole request: backoff, doubling, Retry-After
    const down = new Sync({outbox, now: () => clock, random: () => 0,
        send: async () => { throw new SyncFailure('offline'); }});
    outbox.add({uuid: 'x1'});
    const waits = [];
    for (let i = 0; i < 6; i++) {
        await down.run(true);
        waits.push(down.retryAt - clock);
    }
    r.waits = waits;
    r.downHold = down.hold.kind;
    r.kept = outbox.items().map(i => i.payload.uuid);
    const busy = new Sync({outbox, now: () => clock, random: () => 0,
        send: async () => {
            throw new SyncFailure('busy', 429, 'Too many', '42'); }});
    await busy.run();
    r.retryAfter = busy.retryAt - clock;
    down.release();
    r.released = [down.hold, down.retryAt, down.attempt];
    return r;
}''' % {'t': TOOLKIT}

REFDATA = '''async () => {
    const {createStore} = await import('%(t)sstorage.js');
    const {RefData} = await import('%(t)srefdata.js');
    localStorage.clear();
    const store = createStore('ref:db:');
    let clock = Date.parse('2026-12-03T10:00:00Z');
    let answer = {tariffs: [1]};
    let calls = 0;
    const ref = new RefData(store, 'cache', {maxAge: 60000, retry: 5000,
        now: () => clock, load: async () => {
            calls++;
            if (answer === 'down') { throw new Error('offline'); }
            return answer;
        }});
    const r = {};
    r.wantedEmpty = ref.wanted();
    await ref.load();
    r.data = ref.get().tariffs;
    r.fetched = ref.get().fetched_at;
    r.wantedFresh = ref.wanted();
    clock += 61000;
    r.wantedOld = ref.wanted();
    answer = 'down';
    await ref.load();
    // the previous copy stays, and is not asked again at once
    r.kept = ref.get().tariffs;
    r.wantedJustTried = ref.wanted();
    clock += 5000;
    r.wantedLater = ref.wanted();
    // another page of the same store reads the copy
    r.reread = new RefData(store, 'cache', {load: null}).get().tariffs;
    r.calls = calls;
    return r;
}''' % {'t': TOOLKIT}

I18N = '''async () => {
    const {createStore} = await import('%(t)sstorage.js');
    const {createI18n, isRTL} = await import('%(t)si18n.js');
    localStorage.clear();
    const store = createStore('i18n:db:');
    const texts = {
        fr: {_dir: 'ltr', hello: 'Bonjour', count: '{n} passages'},
        ar: {_dir: 'rtl', hello: 'مرحبا', count: '{n} مرور'},
        en: {hello: 'Hello', count: '{n} passages'}
    };
    const i18n = createI18n({texts, langs: ['fr', 'ar', 'en'], store});
    const said = document.getElementById('said');
    const seen = [];
    i18n.onChange(lang => seen.push(lang));
    i18n.apply();
    i18n.say(said, i18n.text('count', {n: 3}));
    const r = {first: [i18n.lang(), document.documentElement.dir,
        document.getElementById('hello').textContent, said.textContent]};
    r.changed = i18n.setLang('ar');
    r.arabic = [document.documentElement.lang,
        document.documentElement.dir,
        getComputedStyle(document.body).direction,
        document.getElementById('hello').textContent, said.textContent];
    r.same = i18n.setLang('ar');
    r.unknown = i18n.setLang('de');
    i18n.setLang('en');
    r.english = [document.documentElement.dir, said.textContent];
    r.stored = store.get('lang');
    // a new page of the store: the language remembered
    r.remembered = createI18n({texts, store}).lang();
    r.fallback = i18n.t('missing');
    r.seen = seen;
    r.rtl = ['ar', 'ar-MA', 'fr', 'en'].map(isRTL);
    i18n.say(said, null);
    r.cleared = said.textContent;
    return r;
}''' % {'t': TOOLKIT}

EXPORT = '''async () => {
    const {toCSV, csvCell} = await import('%(t)sexport.js');
    return {csv: toCSV(['plate', 'message', 'fee'], [
            {plate: '=1+1', message: 'Category "ovni", unknown', fee: '-3'},
            {plate: '-A', message: null, fee: 30}]),
        cells: [csvCell('@x'), csvCell('-12'), csvCell(undefined),
            csvCell('a\\nb')]};
}''' % {'t': TOOLKIT}

HTTP = '''async () => {
    const {createClient, NetworkError} = await import('%(t)shttp.js');
    const told = [];
    const api = createClient({base: '/db/api/', key: () => 'k1',
        lang: () => 'ar', timeout: 1000,
        onReachable: (status, current) => told.push(['up', status, current]),
        onUnreachable: error => told.push(['down', error.status])});
    const r = {};
    r.echo = await api('POST', 'echo', {a: 1});
    r.refused = (await api('GET', 'refused')).status;
    for (const route of ['boom', 'hang']) {
        try { await api('GET', route); r[route] = 'answered'; }
        catch (e) { r[route] = [e instanceof NetworkError, e.status]; }
    }
    r.other = (await api('GET', 'echo', undefined, 'k2')).data.key;
    r.told = told;
    return r;
}''' % {'t': TOOLKIT}


def run_in_chromium(scripts):
    """The results of the scripts (async functions) in a page of
    http://casa.test whose toolkit files come from static/.  In a thread of
    its own: Playwright's synchronous API refuses a thread with a running
    event loop (the browser tests' Playwright, in the same pytest run)"""
    from concurrent.futures import ThreadPoolExecutor

    def serve(route):
        url = route.request.url.split('?')[0]
        path = url[len(ORIGIN):]
        if path.startswith('/db/api/'):
            name = path[len('/db/api/'):]
            if name == 'hang':
                return   # never answered: the client's time limit
            request = route.request
            status = {'echo': 200, 'refused': 403, 'boom': 503}[name]
            route.fulfill(status=status, content_type='application/json',
                body=json.dumps({
                        'key': request.headers.get('authorization'),
                        'lang': request.headers.get('accept-language'),
                        'body': request.post_data,
                        'message': 'Down' if status == 503 else 'ok'}))
            return
        if path.startswith('/db/casa/base/static/'):
            file = STATIC / path[len('/db/casa/base/static/'):]
            if file.is_file():
                route.fulfill(status=200, body=file.read_bytes(),
                    content_type='text/javascript; charset=utf-8')
                return
            route.fulfill(status=404, body='')
            return
        route.fulfill(status=200, body=PAGE,
            content_type='text/html; charset=utf-8')

    def run():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # a French browser: the page's first language
                page = browser.new_page(locale='fr-FR')
                errors = []
                page.on('pageerror', lambda e: errors.append(str(e)))
                page.route(ORIGIN + '/**', serve)
                page.goto(ORIGIN + '/db/casa/test/page')
                results = [page.evaluate(script) for script in scripts]
                return results, errors
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


@unittest.skipUnless(os.path.exists(CHROMIUM),
    f"no Chromium at {CHROMIUM} (scripts/ensure-browser.sh installs it)")
class OfflineToolkitTestCase(unittest.TestCase):
    "storage, outbox, sync, refdata and i18n in Chromium"

    @classmethod
    def setUpClass(cls):
        (cls.outbox, cls.backoff, cls.sync, cls.refdata, cls.i18n,
            cls.export, cls.http), cls.errors = run_in_chromium(
                [OUTBOX, BACKOFF, SYNC, REFDATA, I18N, EXPORT, HTTP])

    def test_no_error(self):
        self.assertEqual(self.errors, [])

    def test_outbox_idempotent_by_uuid(self):
        "An event is in the outbox once under its UUID, in order"
        r = self.outbox
        self.assertEqual((r['first'], r['again']), (True, False))
        self.assertEqual(r['uuids'], ['u1', 'u2', 'u3'])
        # the first one kept, with what the page keeps beside it
        self.assertEqual((r['kept'], r['shown']), (1, 'x'))
        self.assertEqual(r['noUuid'], 'refused')
        # another prefix (page, database) sees nothing of it
        self.assertEqual(r['otherStore'], 0)

    def test_outbox_refused(self):
        "A refused event leaves the outbox with its reason, until acknowledged"
        r = self.outbox
        self.assertTrue(r['refuse'])
        self.assertEqual(r['afterRefuse'], ['u1'])
        self.assertEqual(r['refused'],
            [['u3', 400, 'vehicle_category', 'Unknown', None]])
        self.assertFalse(r['refusedAgain'])
        self.assertTrue(r['exported'])
        self.assertEqual(r['acknowledged'], 0)
        self.assertEqual(r['stored'], ['u1'])

    def test_backoff_schedule(self):
        "2 s doubling up to 30 s offline, less up to 30 % of it at random"
        r = self.backoff
        self.assertEqual(r['schedule'],
            [2000, 4000, 8000, 16000, 30000, 30000, 30000])
        self.assertEqual(r['jittered'],
            [1400, 2800, 5600, 11200, 21000, 21000, 21000])
        self.assertEqual(r['busy'],
            [15000, 30000, 60000, 120000, 240000, 300000])
        # the third try: 8 s, jittered between 5.6 s and 8 s
        self.assertGreaterEqual(r['min'], 5600)
        self.assertLessEqual(r['max'], 8000)
        self.assertGreater(r['distinct'], 20)

    def test_sync_batches(self):
        "1,203 events in batches of 500 at most, a result each"
        r = self.sync
        # the 5xx of e9 in the first batch: the others of the batch taken
        # (e7 refused), the rest waits, in order, e9 first
        self.assertEqual(r['first']['sent'], 500)
        self.assertEqual(r['first']['done'], 498)
        self.assertEqual(r['first']['refused'], 1)
        self.assertEqual(r['first']['retry'], 1)
        self.assertEqual(len(r['left']), 704)
        self.assertEqual(r['left'][:2], ['e9', 'e500'])
        self.assertEqual(r['hold'], 'server')
        self.assertEqual(r['wait'], 4000)
        self.assertEqual(r['skipped'], 0)
        # then the rest, 500 at most a request
        self.assertEqual(r['batches'], [500, 500, 204])
        self.assertEqual((r['second']['sent'], r['second']['done']),
            (704, 704))
        self.assertEqual(r['leftAfter'], 0)
        self.assertEqual(r['refused'], [['e7', 400, 'No such category']])
        self.assertEqual(r['stored'], 1202)
        # sent again: the server has it, it leaves the outbox
        self.assertEqual((r['duplicate'], r['stored2']), (1, 1202))

    def test_sync_backoff(self):
        "No network: the outbox kept, the waits doubling; Retry-After"
        r = self.sync
        self.assertEqual(r['waits'], [2000, 4000, 8000, 16000, 30000,
                30000])
        self.assertEqual(r['downHold'], 'offline')
        self.assertEqual(r['kept'], ['x1'])
        self.assertEqual(r['retryAfter'], 42000)
        self.assertEqual(r['released'], [None, 0, 0])

    def test_refdata(self):
        "The copy kept, fetched again when old, kept when the server is down"
        r = self.refdata
        self.assertTrue(r['wantedEmpty'])
        self.assertEqual(r['data'], [1])
        self.assertEqual(r['fetched'], '2026-12-03T10:00:00.000Z')
        self.assertFalse(r['wantedFresh'])
        self.assertTrue(r['wantedOld'])
        self.assertEqual(r['kept'], [1])
        self.assertFalse(r['wantedJustTried'])
        self.assertTrue(r['wantedLater'])
        self.assertEqual(r['reread'], [1])
        self.assertEqual(r['calls'], 2)

    def test_i18n_rtl(self):
        "Arabic switches the page right to left, the messages at once"
        r = self.i18n
        self.assertEqual(r['first'], ['fr', 'ltr', 'Bonjour', '3 passages'])
        self.assertTrue(r['changed'])
        self.assertEqual(r['arabic'],
            ['ar', 'rtl', 'rtl', 'مرحبا', '3 مرور'])
        self.assertFalse(r['same'])
        self.assertFalse(r['unknown'])
        # English has no _dir: left to right, as it is no RTL language
        self.assertEqual(r['english'], ['ltr', '3 passages'])
        self.assertEqual(r['stored'], 'en')
        self.assertEqual(r['remembered'], 'en')
        self.assertEqual(r['fallback'], 'missing')
        self.assertEqual(r['seen'], ['ar', 'en'])
        self.assertEqual(r['rtl'], [True, True, False, False])
        self.assertEqual(r['cleared'], '')

    def test_export_csv(self):
        "CSV for a spreadsheet: quoted, formulas defused, BOM and CRLF"
        self.assertEqual(self.export['csv'],
            '\ufeffplate,message,fee\r\n'
            '\'=1+1,"Category ""ovni"", unknown",-3\r\n'
            '\'-A,,30\r\n')
        self.assertEqual(self.export['cells'],
            ["'@x", '-12', '', '"a\nb"'])

    def test_http_client(self):
        "The key, the language, a 4xx read, a 5xx or no answer: offline"
        r = self.http
        self.assertEqual(r['echo']['status'], 200)
        self.assertEqual(r['echo']['data']['key'], 'Bearer k1')
        self.assertEqual(r['echo']['data']['lang'], 'ar')
        self.assertEqual(r['echo']['data']['body'], '{"a":1}')
        self.assertEqual(r['refused'], 403)
        self.assertEqual(r['boom'], [True, 503])
        self.assertEqual(r['hang'], [True, None])
        self.assertEqual(r['other'], 'Bearer k2')
        self.assertEqual(r['told'], [['up', 200, True], ['up', 403, True],
                ['down', 503], ['down', None], ['up', 200, False]])
