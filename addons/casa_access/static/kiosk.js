// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The gate kiosk (doc/kiosk.rst, API in doc/api.rst), an ES module built on
// casa_base's offline page toolkit (casa_base/doc/offline.rst): verdict as
// the gatekeeper types, one tap to record the passage, today's passages of
// the gate and the occupancy of the site, shift open/close; offline, the
// verdict comes from the cached copy of api/cache (refdata.js, verdict.js)
// and the passages wait in the outbox (outbox.js) until the server takes
// them: sent by api/passages/batch, 500 at most a request (sync.js), under
// the UUIDs they got when recorded (the server deduplicates).
//
// A refusal of one passage (a 4xx in its result) sets the passage aside
// as *rejected*: kept on the tablet with what the kiosk told (fee
// included) until the gatekeeper exports or acknowledges it.  A refusal of
// the whole request is of the whole kiosk (401/403 on the key or the gate,
// 404, 429, 5xx, no network): the outbox is kept as it is, a banner says
// why, and the kiosk tries again later (exponential backoff with jitter).
import {createStore, pagePrefix, uuid4} from
    '../../base/static/offline/storage.js';
import {Outbox} from '../../base/static/offline/outbox.js';
import {Sync, SyncFailure, failureKind, BATCH_MAX} from
    '../../base/static/offline/sync.js';
import {RefData} from '../../base/static/offline/refdata.js';
import {createI18n} from '../../base/static/offline/i18n.js';
import {keepPageOffline} from '../../base/static/offline/page.js';
import {createClient} from '../../base/static/offline/http.js';
import {download, toCSV} from '../../base/static/offline/export.js';

(function () {
    'use strict';

    var Verdict = window.casaVerdict;
    var LANGS = ['fr', 'ar', 'en'];
    var KINDS = ['plate', 'badge', 'cin'];
    var TIME_ZONE = Verdict.TIME_ZONE;

    var CHECK_DELAY = 250;          // ms after the last key stroke
    var SYNC_EVERY = 4000;          // ms: outbox sent / server pinged
    var REFRESH_EVERY = 15000;      // ms: passages, occupancy, shift
    var CACHE_EVERY = 5 * 60000;    // ms: offline copy
    var CACHE_RETRY = 15000;        // ms: offline copy missed, asked again
    var TIMEOUT = 8000;             // ms: a request without answer fails

    // /<db>/casa/access/kiosk -> /<db>/casa/access/
    var match = /^(.*\/casa\/access\/)/.exec(location.pathname);
    var BASE = match ? match[1] : location.pathname.replace(/[^/]*$/, '');
    var DATABASE = decodeURIComponent(BASE.split('/')[1] || '');
    var PREFIX = pagePrefix('casa_access', DATABASE);

    // ---- storage (per database), texts, outbox, reference data ----
    var store = createStore(PREFIX);
    var i18n = createI18n({texts: window.CASA_I18N, langs: LANGS,
        store: store});
    var t = i18n.t, say = i18n.say, text = i18n.text, raw = i18n.raw;
    // the passages not yet taken by the server, and those it refused
    var outbox = new Outbox(store, {name: 'queue', refusedName: 'rejected'});
    var refdata = new RefData(store, 'cache', {
        maxAge: CACHE_EVERY, retry: CACHE_RETRY,
        load: function () {
            return api('GET', 'api/cache').then(function (response) {
                return response.status === 200 ? response.data : null;
            });
        }
    });

    var state = {
        key: store.get('key', null),
        kind: store.get('kind', 'plate'),
        direction: store.get('direction', 'in'),
        session: store.get('session', null),
        passages: store.get('passages', []),
        occupancy: store.get('occupancy', null),
        online: true,
        keyRejected: false,
        serverError: false,
        verdict: null,      // {passage, result | error | pending, local}
        checkSeq: 0,
        checkTimer: null,
        // the service worker keeps every file of the page
        pageKept: false,
        started: false,
        passagesAt: store.get('passagesAt', null)
    };
    // the copy of api/cache for offline decisions
    Object.defineProperty(state, 'cache', {
        enumerable: true,
        get: function () {
            return refdata.get();
        }
    });
    // why the outbox waits: {kind: offline | server | key | refused |
    // busy, status, message}, null when nothing holds it
    Object.defineProperty(state, 'hold', {
        enumerable: true,
        get: function () {
            return sync.hold;
        }
    });
    if (KINDS.indexOf(state.kind) < 0) {
        state.kind = 'plate';
    }


    function $(id) {
        return document.getElementById(id);
    }

    // ---- translations ----
    function locale() {
        return i18n.locale();
    }

    function formatMoney(amount, currency) {
        var number = Number(amount || 0);
        currency = currency || (state.session && state.session.currency)
            || 'MAD';
        try {
            return new Intl.NumberFormat(locale(), {
                style: 'currency', currency: currency,
                minimumFractionDigits: 2, maximumFractionDigits: 2
            }).format(number);
        } catch (e) {
            return number.toFixed(2) + ' ' + currency;
        }
    }

    function formatTime(value) {
        if (!value) {
            return '';
        }
        var date = new Date(value);
        if (isNaN(date.getTime())) {
            return String(value);
        }
        return Verdict.localParts(date, zone()).time.slice(0, 5);
    }

    // the site's date of a time: dd/mm/yyyy (fr, ar-MA, en-GB alike)
    function formatDate(value) {
        return Verdict.localParts(new Date(value), zone()).date.split('-')
            .reverse().join('/');
    }

    // the time zone of the site: the UTC offset the server tells (minutes
    // east of UTC), else Africa/Casablanca by the browser's data
    function zone() {
        var offset = null;
        [state.session, state.cache].some(function (source) {
            if (source && source.utc_offset !== undefined
                    && source.utc_offset !== null) {
                offset = Number(source.utc_offset);
                return true;
            }
            return false;
        });
        return {utcOffset: offset, timeZone: TIME_ZONE};
    }

    function applyLang() {
        i18n.apply();
        document.querySelectorAll('.lang').forEach(function (button) {
            var code = button.getAttribute('data-lang');
            button.setAttribute('aria-pressed', String(code === i18n.lang()));
            button.title = i18n.texts[code]._name;
            button.setAttribute('aria-label', i18n.texts[code]._name);
        });
        $('langs').setAttribute('aria-label', t('language'));
        document.title = t('app_title');
    }

    function setLang(lang) {
        if (!i18n.setLang(lang)) {
            return;
        }
        applyLang();
        renderAll();
        if (state.started && state.key) {
            // the server's texts (reasons) follow Accept-Language
            scheduleCheck(0);
            loadPassages();
            loadOccupancy();
            loadSession();
        }
    }

    // ---- HTTP ----
    // {status, data}; rejects with a NetworkError when the server cannot be
    // reached, does not answer in time or answers 5xx (http.js)
    var api = createClient({
        base: BASE,
        timeout: TIMEOUT,
        key: function () {
            return state.key;
        },
        lang: function () {
            return i18n.lang();
        },
        onReachable: function (status, currentKey) {
            noteReachable(status, currentKey);
        },
        onUnreachable: function (error) {
            noteUnreachable(error);
        }
    });

    function noteReachable(status, currentKey) {
        state.serverError = false;
        if (status === 401 && state.key && currentKey) {
            onUnauthorized();
        }
        setOnline(true);
    }

    function noteUnreachable(error) {
        state.serverError = Boolean(error.status);
        setOnline(false);
    }

    function setOnline(online) {
        if (state.online === online) {
            renderStatus();
            return;
        }
        state.online = online;
        renderStatus();
        renderOccupancy();
        if (online && state.started) {
            // back: fresh lists and verdict, queue sent
            refreshAll();
            scheduleCheck(0);
        } else if (!online) {
            scheduleCheck(0);
        }
    }

    function onUnauthorized() {
        if (state.keyRejected) {
            return;
        }
        state.keyRejected = true;
        showKeyScreen(text('key_refused'), true);
    }

    function errorMessage(response) {
        var data = response && response.data || {};
        return data.message || data.error || ('HTTP ' + response.status);
    }

    // ---- loads ----
    function loadSession() {
        if (!state.key || state.keyRejected) {
            return Promise.resolve();
        }
        return api('GET', 'api/session').then(function (response) {
            if (response.status === 200) {
                state.session = response.data;
                store.set('session', state.session);
                renderSession();
                // the server takes this kiosk again (a server asking to
                // wait is waited for)
                if (sync.hold && sync.hold.kind !== 'busy') {
                    sync.release();
                    tick();
                }
            } else if (response.status !== 401) {
                // the kiosk refused (gate archived, user out of the unit)
                holdQueue(response);
            }
        }, function () { /* offline: last known session */ });
    }

    function loadPassages() {
        if (!state.key || state.keyRejected) {
            return Promise.resolve();
        }
        return api('GET', 'api/passages?limit=200').then(function (response) {
            if (response.status === 200) {
                state.passages = response.data.passages || [];
                state.passagesAt = new Date().toISOString();
                store.set('passages', state.passages);
                store.set('passagesAt', state.passagesAt);
                renderPassages();
            }
        }, function () { /* offline */ });
    }

    function loadOccupancy() {
        if (!state.key || state.keyRejected) {
            return Promise.resolve();
        }
        return api('GET', 'api/occupancy').then(function (response) {
            if (response.status === 200) {
                state.occupancy = response.data;
                store.set('occupancy', state.occupancy);
                renderOccupancy();
            }
        }, function () { /* offline */ });
    }

    function loadCache() {
        if (!state.key || state.keyRejected) {
            return Promise.resolve();
        }
        return refdata.load().then(renderStatus);
    }

    // the tablet can reload and decide without the server: its page kept
    // by the service worker, its copy of the reference data stored
    function offlineReady() {
        return state.pageKept && Boolean(state.cache);
    }

    function refreshAll() {
        return Promise.all([loadSession(), loadPassages(), loadOccupancy(),
            loadCache()]).then(function () {
                return syncOutbox();
            });
    }

    // ---- outbox of passages not yet received by the server ----
    function queue() {
        return outbox.items();
    }

    function rejected() {
        return outbox.refused();
    }

    // shown is what the kiosk told (verdict, reason, who, fee): kept for
    // the list while the passage waits, never sent
    function enqueue(payload, shown) {
        outbox.add(payload, {shown: shown || null});
    }

    // the gatekeeper has dealt with them: off the tablet
    function acknowledge(keep) {
        outbox.acknowledge(keep);
        renderPassages();
    }

    function acknowledgeRejected(uuid) {
        acknowledge(function (item) {
            return item.payload.uuid !== uuid;
        });
    }

    function acknowledgeExported() {
        acknowledge(function (item) {
            return !item.exported_at;
        });
    }

    // ---- why the outbox waits ----
    // the server (or the network) does not take this kiosk's passages
    // (the answer of a request about the whole kiosk): they stay queued
    function holdQueue(response) {
        sync.fail(new SyncFailure(failureKind(response.status),
            response.status, errorMessage(response), response.retryAfter));
    }

    function keepPassage(passage) {
        if (!passage || !passage.uuid) {
            return;
        }
        state.passages = [passage].concat(state.passages.filter(function (p) {
            return p.uuid !== passage.uuid;
        }));
        store.set('passages', state.passages);
    }

    // one request of api/passages/batch: a result per passage, in the
    // order sent; a refusal of the whole request is a SyncFailure
    function sendBatch(payloads) {
        return api('POST', 'api/passages/batch', {passages: payloads}).then(
            function (response) {
                if (response.status === 200) {
                    return response.data.results || [];
                }
                throw new SyncFailure(failureKind(response.status),
                    response.status, errorMessage(response),
                    response.retryAfter);
            }, function (error) {
                throw new SyncFailure(error.status ? 'server' : 'offline',
                    error.status, error.message);
            });
    }

    var sync = new Sync({
        outbox: outbox,
        send: sendBatch,
        batchSize: BATCH_MAX,
        onResult: function (item, result, outcome) {
            if (outcome === 'done' || outcome === 'duplicate') {
                keepPassage(result.passage);
            }
        },
        onHold: function () {
            renderHold();
        }
    });

    // send the outbox in batches, in order: each passage taken (201, 200)
    // or refused (a 4xx in its result: kept aside as rejected, never sent
    // again); a refusal of the whole request (the kiosk's key or gate,
    // network or server error) keeps the outbox intact, to try again after
    // the backoff (force: now, whatever the wait)
    function syncOutbox(force) {
        if (!state.key || state.keyRejected) {
            return Promise.resolve();
        }
        return sync.run(force).then(function (report) {
            renderStatus();
            renderPassages();
            if (report.done + report.duplicate + report.refused) {
                return Promise.all([loadPassages(), loadOccupancy(),
                    loadSession()]);
            }
        }, function (error) {
            console.error(error);
        });
    }

    function tick() {
        if (!state.started || !state.key || state.keyRejected) {
            return;
        }
        if (queue().length && !sync.waiting()) {
            syncOutbox();
        } else if (!state.online) {
            // the server back: the session tells, and releases the outbox
            loadSession();
        }
        if (state.online && refdata.wanted()) {
            loadCache();
        }
    }

    // ---- the passage being typed ----
    function gateDirection() {
        var session = state.session;
        return (session && session.gate && session.gate.direction)
            || (state.cache && state.cache.gate_direction) || 'both';
    }

    function direction() {
        var gate = gateDirection();
        if (gate === 'entry') {
            return 'in';
        }
        if (gate === 'exit') {
            return 'out';
        }
        return state.direction;
    }

    // the kind of identifier typed: a badge or a CIN typed in the plate's
    // field is a badge or a CIN (normalise.js, as the server)
    function typedKind() {
        return window.casaNormalise.recognise($('ident').value, state.kind);
    }

    function currentPassage() {
        var value = $('ident').value.trim();
        if (!value) {
            return null;
        }
        var passage = {direction: direction()};
        passage[typedKind()] = value;
        var category = $('category').value;
        if (category) {
            passage.vehicle_category = category;
        }
        return passage;
    }

    function samePassage(a, b) {
        return Boolean(a && b) && JSON.stringify(a) === JSON.stringify(b);
    }

    function localVerdict(passage) {
        if (!state.cache) {
            return null;
        }
        var result = Verdict.decide(state.cache, passage, new Date(), {
            utcOffset: zone().utcOffset === null ? undefined
                : zone().utcOffset,
            gateDirection: gateDirection(),
            currency: state.session && state.session.currency
        });
        if (result.reason === 'blacklisted') {
            result.detail = blacklistReason(passage);
        }
        return result;
    }

    // the reason of the blacklist entry of the passage, as written by the
    // office, from the cached copy
    function blacklistReason(passage) {
        var detail = null;
        ((state.cache && state.cache.blacklist) || []).some(
            function (entry) {
                var value = window.casaNormalise.normaliseIdentifier(
                    passage[entry.kind]);
                if (value && value === entry.value && entry.reason) {
                    detail = entry.reason;
                    return true;
                }
                return false;
            });
        return detail;
    }

    function scheduleCheck(delay) {
        clearTimeout(state.checkTimer);
        var passage = currentPassage();
        if (!passage) {
            state.verdict = null;
            renderVerdict();
            return;
        }
        if (!state.verdict || !samePassage(state.verdict.passage, passage)) {
            state.verdict = {passage: passage, pending: true};
            renderVerdict();
        }
        state.checkTimer = setTimeout(check, delay === undefined
            ? CHECK_DELAY : delay);
    }

    function check() {
        var passage = currentPassage();
        if (!passage) {
            state.verdict = null;
            renderVerdict();
            return Promise.resolve();
        }
        var seq = ++state.checkSeq;
        function set(verdict) {
            if (seq === state.checkSeq) {
                verdict.passage = passage;
                state.verdict = verdict;
                renderVerdict();
            }
        }
        function local() {
            var result = localVerdict(passage);
            set(result ? {result: result, local: true}
                : {error: {key: 'no_cache'}, local: true});
        }
        if (!state.online || !state.key || state.keyRejected) {
            local();
            return Promise.resolve();
        }
        return api('POST', 'api/check', passage).then(function (response) {
            if (response.status === 200) {
                var result = response.data;
                if (result.reason === 'blacklisted' && !result.detail) {
                    result.detail = blacklistReason(passage);
                }
                set({result: result, local: false});
            } else {
                set({error: {key: 'check_error', values: {
                    message: errorMessage(response)}}});
            }
        }, local);
    }

    function record() {
        var passage = currentPassage();
        if (!passage) {
            $('ident').focus();
            return;
        }
        // the verdict shown, or (typed faster than the check) the local one
        var verdict = state.verdict;
        var result = verdict && verdict.result
            && samePassage(verdict.passage, passage)
            ? verdict.result : localVerdict(passage);
        var payload = {
            uuid: uuid4(),
            direction: passage.direction,
            device_time: new Date().toISOString(),
            // recorded without the server: sent later
            offline: !state.online
        };
        KINDS.forEach(function (kind) {
            if (passage[kind]) {
                payload[kind] = passage[kind];
            }
        });
        if (passage.vehicle_category) {
            payload.vehicle_category = passage.vehicle_category;
        }
        if (result && result.verdict) {
            payload.device_verdict = result.verdict;
        }
        // kept for the list while waiting (not sent)
        enqueue(payload, result ? {
            reason: result.reason,
            reason_text: reasonText(result),
            name: result.who ? result.who.name : null,
            category: result.who ? result.who.category : null,
            fee: result.fee
        } : null);
        var label = payload.plate || payload.badge || payload.cin;
        var refusal = payload.device_verdict === 'refused';
        var told = state.online ? (refusal ? 'recorded_refusal' : 'recorded')
            : (refusal ? 'queued_refusal' : 'queued');
        toast(function (node) {
            fillWithPlate(node, t(told), label);
        }, state.online ? (refusal ? 'refused' : '') : 'queued');
        $('ident').value = '';
        $('category').value = '';
        state.verdict = null;
        clearTimeout(state.checkTimer);
        state.checkSeq++;
        renderEntry();
        renderVerdict();
        renderPassages();
        renderStatus();
        $('ident').focus();
        syncOutbox();
    }

    // ---- shift ----
    function openShift() {
        if (!state.online) {
            banner(text('shift_offline'));
            return;
        }
        var button = $('shift-open');
        button.disabled = true;
        api('POST', 'api/shift/open', {}).then(function (response) {
            button.disabled = false;
            if (response.status === 201 || response.status === 200) {
                if (state.session) {
                    state.session.shift = response.data.shift;
                    store.set('session', state.session);
                }
                renderSession();
                toast(text('shift_opened'));
                loadSession();
            } else if (response.status !== 401) {
                banner(text('error', {message: errorMessage(response)}));
                loadSession();
            }
        }, function () {
            button.disabled = false;
            banner(text('shift_offline'));
        });
    }

    function showDialog(dialog) {
        if (dialog.showModal) {
            dialog.showModal();
        } else {
            dialog.setAttribute('open', '');
        }
    }

    function hideDialog(dialog) {
        if (dialog.close) {
            dialog.close();
        } else {
            dialog.removeAttribute('open');
        }
    }

    function askCloseShift() {
        if (!state.online) {
            banner(text('shift_offline'));
            return;
        }
        say($('declared-label'), text('declared_label', {
            currency: (state.session && state.session.currency) || 'MAD'}));
        $('declared-amount').value = '';
        $('close-note').value = '';
        say($('close-message'), null);
        $('close-ask').hidden = false;
        $('close-result').hidden = true;
        $('close-confirm').disabled = false;
        showDialog($('close-dialog'));
        $('declared-amount').focus();
    }

    // "1 234,50" / "1234.5" -> "1234.50"; null when not an amount
    function parseAmount(text) {
        var value = String(text || '').replace(/[\s\u00a0\u202f]/g, '')
            .replace(/[٠-٩]/g, function (d) {
                return String(d.charCodeAt(0) - 0x0660);
            }).replace('٫', '.').replace(',', '.');
        if (!/^\d+(\.\d{1,2})?$/.test(value)) {
            return null;
        }
        return Number(value).toFixed(2);
    }

    function closeShift(event) {
        event.preventDefault();
        var amount = parseAmount($('declared-amount').value);
        if (amount === null) {
            say($('close-message'), text('amount_invalid'));
            $('declared-amount').focus();
            return;
        }
        var body = {declared_amount: amount};
        var note = $('close-note').value.trim();
        if (note) {
            body.note = note;
        }
        $('close-confirm').disabled = true;
        api('POST', 'api/shift/close', body).then(function (response) {
            $('close-confirm').disabled = false;
            if (response.status === 200 || response.status === 201) {
                var shift = response.data.shift || {};
                var currency = (state.session && state.session.currency)
                    || 'MAD';
                $('close-expected').textContent = formatMoney(
                    shift.expected_amount, currency);
                $('close-declared').textContent = formatMoney(
                    shift.declared_amount, currency);
                var difference = $('close-difference');
                difference.textContent = formatMoney(
                    shift.difference, currency);
                var number = Number(shift.difference || 0);
                difference.className = number < 0 ? 'negative'
                    : (number > 0 ? 'positive' : '');
                $('close-ask').hidden = true;
                $('close-result').hidden = false;
                $('close-ok').focus();
                if (state.session) {
                    state.session.shift = null;
                    store.set('session', state.session);
                }
                renderSession();
                loadSession();
            } else if (response.status !== 401) {
                say($('close-message'), raw(errorMessage(response)));
                loadSession();
            }
        }, function () {
            $('close-confirm').disabled = false;
            say($('close-message'), text('shift_offline'));
        });
    }

    // ---- messages ----
    function banner(fill) {
        var node = $('banner');
        say(node, fill);
        node.hidden = !fill;
        clearTimeout(state.bannerTimer);
        if (fill) {
            state.bannerTimer = setTimeout(function () {
                node.hidden = true;
                say(node, null);
            }, 8000);
        }
    }

    function toast(fill, className) {
        var node = $('toast');
        say(node, fill);
        node.className = 'toast' + (className ? ' ' + className : '');
        clearTimeout(state.toastTimer);
        state.toastTimer = setTimeout(function () {
            say(node, null);
        }, 5000);
    }

    // ---- rendering ----
    function renderAll() {
        renderSession();
        renderStatus();
        renderEntry();
        renderVerdict();
        renderOccupancy();
        renderPassages();
    }

    function renderSession() {
        var session = state.session;
        $('gate-name').textContent = session && session.gate
            ? (session.gate.name || session.gate.code) : '—';
        function labelled(label, value) {
            return value ? t('label_value', {label: t(label), value: value})
                : '';
        }
        $('site-name').textContent = labelled('site',
            session && session.site && session.site.name);
        $('bu-name').textContent = labelled('business_unit',
            session && session.business_unit && session.business_unit.name);
        $('gatekeeper-name').textContent = labelled('gatekeeper',
            session && session.gatekeeper && session.gatekeeper.name);
        var shift = session ? session.shift : null;
        var parts = [];
        if (shift) {
            parts.push(t('shift_info', {number: shift.number || shift.id,
                time: formatTime(shift.opened_at)}));
            if (shift.passages !== undefined && shift.passages !== null) {
                parts.push(t('shift_passages', {n: shift.passages}));
            }
            parts.push(t('shift_expected', {amount: formatMoney(
                shift.expected_amount, session.currency)}));
        } else {
            parts.push(t('shift_none'));
        }
        $('shift-state').textContent = parts.join(' · ');
        $('shift').setAttribute('data-state', shift ? 'open' : 'closed');
        $('shift-hint').textContent = session && !shift ? t('shift_needed')
            : '';
        $('shift-open').hidden = Boolean(shift) || !session;
        $('shift-close').hidden = !shift;
        $('shift-open').disabled = !state.online;
        $('shift-close').disabled = !state.online;
        renderCategories();
        renderEntry();
    }

    function renderStatus() {
        var net = $('net-status');
        net.className = 'net ' + (state.online ? 'online' : 'offline');
        net.setAttribute('data-online', String(state.online));
        $('net-label').textContent = state.online ? t('online')
            : t('offline');
        var count = queue().length;
        var pending = $('pending-count');
        pending.setAttribute('data-count', String(count));
        pending.textContent = t('pending', {n: count});
        pending.hidden = count === 0;
        net.setAttribute('data-offline-ready', String(offlineReady()));
        $('shift-open').disabled = !state.online;
        $('shift-close').disabled = !state.online;
        renderHold();
    }

    function renderCategories() {
        var select = $('category');
        var current = select.value;
        var categories = (state.session && state.session.vehicle_categories)
            || [];
        // rebuilt only when they change (or the language): an open list
        // stays open across the refreshes
        var signature = i18n.lang() + JSON.stringify(categories);
        if (select.getAttribute('data-signature') === signature) {
            return;
        }
        select.setAttribute('data-signature', signature);
        select.textContent = '';
        var none = document.createElement('option');
        none.value = '';
        none.textContent = t('category_none');
        select.appendChild(none);
        categories.forEach(function (category) {
            var option = document.createElement('option');
            option.value = category.code;
            option.textContent = category.name || category.code;
            select.appendChild(option);
        });
        select.value = current;
        if (select.value !== current) {
            select.value = '';
        }
        select.closest('.row-options').hidden = !categories.length;
    }

    function renderEntry() {
        document.querySelectorAll('.kind').forEach(function (button) {
            var checked = button.getAttribute('data-kind') === state.kind;
            button.setAttribute('aria-checked', String(checked));
            button.tabIndex = checked ? 0 : -1;
        });
        $('ident').placeholder = t('placeholder_' + state.kind);
        var kind = $('ident').value.trim() ? typedKind() : state.kind;
        $('ident').setAttribute('data-kind', kind);
        document.querySelectorAll('.kind').forEach(function (button) {
            button.setAttribute('data-recognised', String(kind !== state.kind
                && button.getAttribute('data-kind') === kind));
        });
        var recognised = $('recognised');
        recognised.setAttribute('data-kind', kind);
        recognised.textContent = kind !== state.kind
            ? t('recognised', {kind: t('kind_' + kind)}) : '';
        var gate = gateDirection();
        var current = direction();
        document.querySelectorAll('.direction').forEach(function (button) {
            var value = button.getAttribute('data-direction');
            var checked = value === current;
            button.setAttribute('aria-checked', String(checked));
            button.tabIndex = checked ? 0 : -1;
            button.disabled = (gate === 'entry' && value === 'out')
                || (gate === 'exit' && value === 'in');
        });
        renderRecord();
    }

    function renderRecord() {
        var button = $('record');
        var passage = currentPassage();
        button.disabled = !passage;
        var verdict = state.verdict;
        var result = verdict && verdict.result;
        // a refused passage is recorded as a refusal: the button says so
        var refused = Boolean(passage && result
            && result.verdict === 'refused'
            && samePassage(verdict.passage, passage));
        button.textContent = t((refused ? 'record_refusal_' : 'record_')
            + (direction() === 'out' ? 'out' : 'in'));
        button.setAttribute('data-records', refused ? 'refusal'
            : 'passage');
        button.className = 'btn record' + (result && passage
            ? ' ' + result.verdict : '');
    }

    function reasonText(result) {
        // the server's sentence, or the kiosk's own offline
        if (result.reason_text && !result.offline) {
            return result.reason_text;
        }
        return t('reason_' + result.reason);
    }

    // an identifier, in the order typed, its Arabic letter included
    function plateNode(id) {
        var span = document.createElement('span');
        span.className = 'plate';
        span.dir = 'ltr';
        span.textContent = id;
        return span;
    }

    // fill node with the text, its {id} an identifier (plateNode)
    function fillWithPlate(node, template, id) {
        var parts = template.split('{id}');
        node.textContent = parts[0];
        if (parts.length > 1) {
            node.appendChild(plateNode(id));
            node.appendChild(document.createTextNode(parts.slice(1).join(
                '{id}')));
        }
    }

    function fillWho(node, who) {
        node.textContent = '';
        if (!who) {
            return;
        }
        var parts = [];
        if (who.name) {
            parts.push(who.name);
        }
        if (who.category_name || who.category) {
            parts.push(who.category_name || who.category);
        }
        var id = who.plate || who.badge;
        node.textContent = parts.join(' · ') + (id && parts.length
            ? ' · ' : '');
        if (id) {
            node.appendChild(plateNode(id));
        }
    }

    function renderVerdict() {
        var node = $('verdict');
        var verdict = state.verdict;
        var word = '', reason = '', detail = '', who = null, fee = '',
            source = '';
        var kind = 'idle';
        if (!verdict) {
            reason = t('verdict_idle');
        } else if (verdict.pending) {
            kind = 'checking';
            reason = t('checking');
        } else if (verdict.error) {
            kind = 'error';
            reason = t(verdict.error.key, verdict.error.values);
            source = verdict.local ? t('local_verdict') : '';
        } else {
            var result = verdict.result;
            kind = result.verdict === 'allowed' ? 'allowed' : 'refused';
            word = t(kind);
            reason = reasonText(result);
            detail = result.detail || '';
            who = result.who;
            var amount = Number(result.fee || 0);
            if (kind === 'allowed') {
                fee = amount > 0 ? t('fee_due', {amount: formatMoney(
                    result.fee, result.currency)}) : t('no_fee');
            }
            source = verdict.local ? t('local_verdict') : '';
        }
        node.className = 'verdict ' + kind;
        node.setAttribute('data-verdict', kind);
        node.setAttribute('data-reason', verdict && verdict.result
            ? verdict.result.reason : '');
        $('verdict-word').textContent = word;
        $('verdict-reason').textContent = reason;
        $('verdict-detail').textContent = detail;
        fillWho($('verdict-who'), who || null);
        $('verdict-fee').textContent = fee;
        $('verdict-source').textContent = source;
        renderRecord();
    }

    function renderOccupancy() {
        var occupancy = state.occupancy;
        $('occupancy-inside').textContent = occupancy
            ? String(occupancy.inside) : '—';
        var capacity = occupancy && occupancy.site
            && occupancy.site.capacity;
        $('occupancy-capacity').textContent = capacity
            ? t('occupancy_capacity', {capacity: capacity}) : '';
        var list = $('occupancy-categories');
        list.textContent = '';
        ((occupancy && occupancy.by_category) || []).forEach(
            function (category) {
                var item = document.createElement('li');
                item.setAttribute('data-code', category.code || '');
                item.appendChild(document.createTextNode(
                    (category.name || category.code || '—') + ' '));
                var count = document.createElement('b');
                count.textContent = String(category.count);
                item.appendChild(count);
                list.appendChild(item);
            });
        $('occupancy-stale').hidden = state.online || !occupancy;
    }

    // the name of an access category (the list of the server gives its
    // code), from the cached copy
    function categoryName(code) {
        var name = code;
        ((state.cache && state.cache.authorisations) || []).some(
            function (authorisation) {
                if (authorisation.category === code
                        && authorisation.category_name) {
                    name = authorisation.category_name;
                    return true;
                }
                return false;
            });
        return name;
    }

    function passageRow(entry) {
        var passage = entry.passage;
        var row = document.createElement('li');
        var verdict = passage.verdict || passage.device_verdict || '';
        row.className = 'passage ' + entry.status + (verdict
            ? ' ' + verdict : '');
        row.setAttribute('data-uuid', passage.uuid || '');
        row.setAttribute('data-status', entry.status);
        row.setAttribute('data-verdict', verdict);
        if (entry.status === 'rejected') {
            row.setAttribute('data-exported', String(Boolean(
                entry.exportedAt)));
        }

        var time = document.createElement('span');
        time.className = 'passage-time';
        var when = passage.timestamp || passage.device_time;
        time.textContent = formatTime(when);
        // a rejected passage stays beyond its day: its date with it
        var day = when && !isNaN(new Date(when).getTime())
            ? Verdict.localParts(new Date(when), zone()).date : null;
        if (day && day !== Verdict.localParts(new Date(), zone()).date) {
            time.textContent = formatDate(when) + ' ' + time.textContent;
        }
        row.appendChild(time);

        var main = document.createElement('span');
        main.className = 'passage-main';
        var id = document.createElement('span');
        id.className = 'passage-id';
        id.dir = 'ltr';
        id.textContent = passage.plate || passage.badge || passage.cin || '—';
        main.appendChild(id);
        var name = passage.name || '';
        var category = passage.category_name
            || categoryName(passage.category) || '';
        if (name || category) {
            main.appendChild(document.createTextNode(' · '
                + [name, category].filter(Boolean).join(' · ')));
        }
        row.appendChild(main);

        var dir = document.createElement('span');
        dir.className = 'passage-dir';
        dir.textContent = passage.direction === 'out' ? t('dir_out')
            : t('dir_in');
        row.appendChild(dir);

        var reason = document.createElement('span');
        reason.className = 'passage-reason';
        var verdictWord = document.createElement('span');
        verdictWord.className = 'passage-verdict';
        verdictWord.textContent = verdict ? t(verdict) : '';
        reason.appendChild(verdictWord);
        var reasonLabel = passage.reason_text
            || (passage.reason ? t('reason_' + passage.reason) : '');
        var texts = [];
        if (reasonLabel) {
            texts.push(reasonLabel);
        }
        if (Number(passage.fee || 0) > 0) {
            texts.push(formatMoney(passage.fee));
        }
        if (texts.length) {
            reason.appendChild(document.createTextNode(
                (verdict ? ' — ' : '') + texts.join(' · ')));
        }
        if (verdict || texts.length) {
            row.appendChild(reason);
        }

        if (entry.status !== 'done' || passage.offline) {
            var status = document.createElement('span');
            status.className = 'passage-status';
            if (entry.status === 'pending') {
                status.textContent = t('status_pending');
            } else if (entry.status === 'rejected') {
                status.textContent = '⚠ ' + t('label_value', {
                    label: t('status_rejected'), value: entry.message})
                    + (entry.exportedAt ? ' · ' + t('exported_at', {
                        time: formatTime(entry.exportedAt)}) : '');
                var ack = document.createElement('button');
                ack.type = 'button';
                ack.className = 'btn acknowledge';
                ack.textContent = t('acknowledge');
                ack.addEventListener('click', function () {
                    acknowledgeRejected(passage.uuid);
                });
                status.appendChild(ack);
            } else {
                status.textContent = t('status_offline');
            }
            row.appendChild(status);
        }
        return row;
    }

    function renderPassages() {
        var seen = {};
        var entries = [];
        var today = Verdict.localParts(new Date(), zone()).date;
        state.passages.forEach(function (passage) {
            // the copy kept offline may be of another day
            var time = passage.timestamp || passage.device_time;
            if (time && Verdict.localParts(new Date(time), zone()).date
                    !== today) {
                return;
            }
            seen[passage.uuid] = true;
            entries.push({passage: passage, status: 'done',
                time: passage.timestamp || passage.device_time || ''});
        });
        queue().forEach(function (item) {
            if (!seen[item.payload.uuid]) {
                seen[item.payload.uuid] = true;
                entries.push({
                    passage: Object.assign({}, item.shown || {},
                        item.payload),
                    status: 'pending', time: item.payload.device_time});
            }
        });
        // rejected ones of any day: until exported or acknowledged
        rejected().forEach(function (item) {
            if (!seen[item.payload.uuid]) {
                seen[item.payload.uuid] = true;
                entries.push({
                    passage: Object.assign({}, item.shown || {},
                        item.payload),
                    status: 'rejected', message: item.message,
                    exportedAt: item.exported_at || null,
                    time: item.payload.device_time});
            }
        });
        entries.sort(function (a, b) {
            var ta = Date.parse(a.time) || 0;
            var tb = Date.parse(b.time) || 0;
            return tb - ta;
        });
        var list = $('passages');
        list.textContent = '';
        entries.forEach(function (entry) {
            list.appendChild(passageRow(entry));
        });
        $('passages-empty').hidden = entries.length > 0;
        $('passages-updated').textContent = state.passagesAt
            ? t('updated_at', {time: formatTime(state.passagesAt)}) : '';
        renderRejected();
    }

    function renderRejected() {
        var items = rejected();
        var exported = items.filter(function (item) {
            return item.exported_at;
        }).length;
        $('rejected-panel').hidden = !items.length;
        $('rejected-summary').textContent = items.length
            ? t('rejected_summary', {n: items.length}) : '';
        var button = $('acknowledge-exported');
        button.hidden = !exported;
        button.textContent = t('acknowledge_exported', {n: exported});
    }

    // the queue kept and why, while something holds it (a refusal of the
    // kiosk is told even with nothing queued)
    function renderHold() {
        var node = $('hold-banner');
        var hold = state.hold;
        var count = queue().length;
        var shown = Boolean(hold) && (count > 0 || hold.kind === 'refused');
        node.hidden = !shown;
        if (!shown) {
            node.removeAttribute('data-reason');
            return;
        }
        node.setAttribute('data-reason', hold.kind);
        var text = t('hold_' + hold.kind, {
            message: hold.message || (hold.status ? 'HTTP ' + hold.status
                : '')});
        if (count) {
            text += ' ' + t(count === 1 ? 'hold_kept_one' : 'hold_kept',
                {n: count});
        }
        // told again only when it changes (role=alert)
        if ($('hold-text').textContent !== text) {
            $('hold-text').textContent = text;
        }
    }

    // ---- export of the rejected passages (to hand them to the office) --
    var EXPORT_COLUMNS = ['uuid', 'device_time', 'direction', 'plate',
        'badge', 'cin', 'vehicle_category', 'offline', 'device_verdict',
        'reason', 'name', 'fee', 'currency', 'status', 'error', 'field',
        'message', 'rejected_at', 'gate', 'site'];

    function exportRows(items) {
        var session = state.session || {};
        return items.map(function (item) {
            var payload = item.payload;
            var shown = item.shown || {};
            var fee = shown.fee === undefined || shown.fee === null
                ? null : Number(shown.fee).toFixed(2);
            return {
                uuid: payload.uuid,
                device_time: payload.device_time || null,
                direction: payload.direction || null,
                plate: payload.plate || null,
                badge: payload.badge || null,
                cin: payload.cin || null,
                vehicle_category: payload.vehicle_category || null,
                offline: Boolean(payload.offline),
                device_verdict: payload.device_verdict || null,
                reason: shown.reason || null,
                name: shown.name || null,
                fee: fee,
                currency: session.currency || 'MAD',
                status: item.status,
                error: item.error,
                field: item.field,
                message: item.message,
                rejected_at: item.rejected_at,
                gate: session.gate ? session.gate.name : null,
                site: session.site ? session.site.name : null
            };
        });
    }

    // every rejected passage kept, in a file; they stay on the tablet,
    // marked exported, until acknowledged
    function exportRejected(format) {
        var items = rejected();
        if (!items.length) {
            return;
        }
        var rows = exportRows(items);
        var session = state.session || {};
        var now = new Date().toISOString();
        var name = 'rejected-passages-' + ((session.gate
            && session.gate.code) || 'kiosk').replace(/[^\w-]+/g, '_')
            + '-' + now.replace(/[-:]/g, '').slice(0, 15);
        if (format === 'csv') {
            download(name + '.csv', 'text/csv;charset=utf-8',
                toCSV(EXPORT_COLUMNS, rows));
        } else {
            download(name + '.json', 'application/json', JSON.stringify({
                exported_at: now,
                database: DATABASE,
                gate: session.gate || null,
                site: session.site || null,
                business_unit: session.business_unit || null,
                gatekeeper: session.gatekeeper || null,
                passages: rows
            }, null, 2));
        }
        var exported = {};
        rows.forEach(function (row) {
            exported[row.uuid] = true;
        });
        outbox.markExported(Object.keys(exported), now);
        renderPassages();
    }

    // ---- key ----
    function showKeyScreen(message, refused) {
        $('app').hidden = true;
        $('key-screen').hidden = false;
        var input = $('key-input');
        input.value = '';
        say($('key-message'), message || null);
        $('key-message').className = 'message';
        $('key-cancel').hidden = !state.key || refused;
        var count = queue().length;
        $('key-pending').hidden = !count;
        say($('key-pending'), count
            ? text('change_key_pending', {n: count}) : null);
        input.focus();
    }

    function submitKey(event) {
        event.preventDefault();
        var key = $('key-input').value.trim();
        var message = $('key-message');
        if (!key) {
            say(message, text('key_required'));
            return;
        }
        message.className = 'message info';
        say(message, text('key_checking'));
        $('key-submit').disabled = true;
        api('GET', 'api/session', undefined, key).then(function (response) {
            $('key-submit').disabled = false;
            if (response.status === 200) {
                useKey(key, response.data);
            } else {
                message.className = 'message';
                say(message, response.status === 401
                    ? text('key_refused') : raw(errorMessage(response)));
            }
        }, function () {
            $('key-submit').disabled = false;
            // kept: checked when the server answers again
            useKey(key, null);
            banner(text('key_unreachable'));
        });
    }

    function useKey(key, session) {
        var changed = key !== state.key;
        state.key = key;
        state.keyRejected = false;
        // a new chance for the queue
        sync.release();
        store.set('key', key);
        if (changed) {
            // another key may be another gate: its copy is not this one's
            refdata.clear();
            state.passages = [];
            state.occupancy = null;
            state.session = null;
            ['passages', 'occupancy', 'session', 'passagesAt'
                ].forEach(store.remove);
        }
        if (session) {
            state.session = session;
            store.set('session', session);
        }
        $('key-screen').hidden = true;
        $('app').hidden = false;
        start();
    }

    // ---- start ----
    function bind() {
        document.querySelectorAll('.lang').forEach(function (button) {
            button.addEventListener('click', function () {
                setLang(button.getAttribute('data-lang'));
            });
        });
        $('key-form').addEventListener('submit', submitKey);
        $('key-cancel').addEventListener('click', function () {
            $('key-screen').hidden = true;
            $('app').hidden = false;
            $('ident').focus();
        });
        $('change-key').addEventListener('click', function () {
            showKeyScreen('', false);
        });

        var ident = $('ident');
        ident.addEventListener('input', function () {
            renderEntry();
            scheduleCheck();
        });
        ident.addEventListener('keydown', function (event) {
            if (event.key === 'Enter' && !event.isComposing) {
                event.preventDefault();
                record();
            } else if (event.key === 'Escape') {
                ident.value = '';
                scheduleCheck(0);
            }
        });
        $('ident-clear').addEventListener('click', function () {
            ident.value = '';
            scheduleCheck(0);
            ident.focus();
        });
        $('category').addEventListener('change', function () {
            scheduleCheck(0);
        });
        radioGroup('.kind', 'data-kind', function (value) {
            state.kind = value;
            store.set('kind', value);
            renderEntry();
            scheduleCheck(0);
            ident.focus();
        });
        radioGroup('.direction', 'data-direction', function (value) {
            state.direction = value;
            store.set('direction', value);
            renderEntry();
            scheduleCheck(0);
        });
        $('record').addEventListener('click', record);
        $('hold-retry').addEventListener('click', function () {
            syncOutbox(true);
            loadSession();
        });
        $('export-csv').addEventListener('click', function () {
            exportRejected('csv');
        });
        $('export-json').addEventListener('click', function () {
            exportRejected('json');
        });
        $('acknowledge-exported').addEventListener('click',
            acknowledgeExported);

        $('shift-open').addEventListener('click', openShift);
        $('shift-close').addEventListener('click', askCloseShift);
        $('close-form').addEventListener('submit', closeShift);
        $('close-cancel').addEventListener('click', function () {
            hideDialog($('close-dialog'));
        });
        $('close-ok').addEventListener('click', function () {
            hideDialog($('close-dialog'));
        });

        window.addEventListener('online', function () {
            tick();
            loadSession();
        });
        window.addEventListener('offline', function () {
            setOnline(false);
        });
        // another tab of the kiosk changed the queue
        window.addEventListener('storage', function (event) {
            if (event.key && event.key.indexOf(PREFIX) === 0) {
                renderStatus();
                renderPassages();
            }
        });
        document.addEventListener('visibilitychange', function () {
            if (!document.hidden && state.started) {
                refreshAll();
            }
        });
    }

    // buttons with role=radio: click, and arrow keys move the choice
    function radioGroup(selector, attribute, choose) {
        var buttons = Array.prototype.slice.call(
            document.querySelectorAll(selector));
        buttons.forEach(function (button, index) {
            button.addEventListener('click', function () {
                choose(button.getAttribute(attribute));
            });
            button.addEventListener('keydown', function (event) {
                var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1,
                    ArrowUp: -1}[event.key];
                if (!step) {
                    return;
                }
                if (document.documentElement.dir === 'rtl'
                        && (event.key === 'ArrowRight'
                            || event.key === 'ArrowLeft')) {
                    step = -step;
                }
                event.preventDefault();
                var enabled = buttons.filter(function (b) {
                    return !b.disabled;
                });
                var position = enabled.indexOf(button);
                var target = enabled[(position + step + enabled.length)
                    % enabled.length];
                choose(target.getAttribute(attribute));
                target.focus();
            });
        });
    }

    function start() {
        renderAll();
        $('ident').focus();
        refreshAll();
        if (state.started) {
            return;
        }
        state.started = true;
        setInterval(tick, SYNC_EVERY);
        setInterval(function () {
            if (state.online && state.key && !state.keyRejected) {
                loadPassages();
                loadOccupancy();
                loadSession();
            }
        }, REFRESH_EVERY);
    }

    // the page kept by the browser to load without the server (sw.js, on
    // the toolkit's sw-helper.js): possible only when the server allows the
    // kiosk's scope for static/sw.js (header Service-Worker-Allowed) on
    // https or localhost
    function keepOffline() {
        keepPageOffline('static/sw.js', BASE, function (kept) {
            state.pageKept = kept;
            renderStatus();
        });
    }

    function init() {
        applyLang();
        bind();
        keepOffline();
        if (!state.key) {
            showKeyScreen('', false);
            return;
        }
        $('app').hidden = false;
        start();
    }

    // for the tests and the curious: the state and a few actions
    window.casaKiosk = {
        state: state,
        queue: queue,
        rejected: rejected,
        sync: function () {
            return syncOutbox(true);
        },
        refresh: refreshAll,
        offlineReady: offlineReady,
        base: BASE,
        prefix: PREFIX
    };

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
}());
