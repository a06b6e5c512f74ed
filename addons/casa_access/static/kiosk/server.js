// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The kiosk and its server: the HTTP client (key, language, time out),
// online / offline as the server answers, the key refused, the loads of the
// session, today's passages, the occupancy and the cached reference data
// (api/cache, for offline decisions).
import {RefData} from '../../../base/static/offline/refdata.js';
import {createClient} from '../../../base/static/offline/http.js';
import {CACHE_EVERY, CACHE_RETRY, TIMEOUT, BASE} from './config.js';
import {store, i18n, text, state} from './state.js';
import {holdQueue, sync, syncOutbox, tick} from './queue.js';
import {scheduleCheck} from './check.js';
import {renderSession, renderStatus} from './header.js';
import {renderOccupancy, renderPassages} from './passages.js';
import {showKeyScreen} from './key.js';

export var refdata = new RefData(store, 'cache', {
    maxAge: CACHE_EVERY, retry: CACHE_RETRY,
    load: function () {
        return api('GET', 'api/cache').then(function (response) {
            return response.status === 200 ? response.data : null;
        });
    }
});

// the copy of api/cache for offline decisions
Object.defineProperty(state, 'cache', {
    enumerable: true,
    get: function () {
        return refdata.get();
    }
});

// ---- HTTP ----
// {status, data}; rejects with a NetworkError when the server cannot be
// reached, does not answer in time or answers 5xx (http.js)
export var api = createClient({
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

export function setOnline(online) {
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

// ---- loads ----
export function loadSession() {
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

export function loadPassages() {
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

export function loadOccupancy() {
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

export function loadCache() {
    if (!state.key || state.keyRejected) {
        return Promise.resolve();
    }
    return refdata.load().then(renderStatus);
}

// the tablet can reload and decide without the server: its page kept
// by the service worker, its copy of the reference data stored
export function offlineReady() {
    return state.pageKept && Boolean(state.cache);
}

export function refreshAll() {
    return Promise.all([loadSession(), loadPassages(), loadOccupancy(),
        loadCache()]).then(function () {
            return syncOutbox();
        });
}
