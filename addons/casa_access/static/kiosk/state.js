// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// What the kiosk holds (no side effect but reading localStorage): its
// storage (per database), its texts (i18n right to left), its outbox of
// passages and the state of the screen.  The modules that own the cached
// reference data (server.js) and the sync (queue.js) add state.cache and
// state.hold.
import {createStore} from '../../../base/static/offline/storage.js';
import {Outbox} from '../../../base/static/offline/outbox.js';
import {createI18n} from '../../../base/static/offline/i18n.js';
import {LANGS, KINDS, PREFIX} from './config.js';

export var store = createStore(PREFIX);
export var i18n = createI18n({texts: window.CASA_I18N, langs: LANGS,
    store: store});
export var t = i18n.t, say = i18n.say, text = i18n.text, raw = i18n.raw;
// the passages not yet taken by the server, and those it refused
export var outbox = new Outbox(store,
    {name: 'queue', refusedName: 'rejected'});

export var state = {
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

if (KINDS.indexOf(state.kind) < 0) {
    state.kind = 'plate';
}

export function $(id) {
    return document.getElementById(id);
}

export function queue() {
    return outbox.items();
}

export function rejected() {
    return outbox.refused();
}
