// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The outbox of passages not yet taken by the server, sent by
// api/passages/batch (500 at most a request) with backoff after a failure
// of the whole request (sync.js); the loop that sends it and pings the
// server while offline.
import {BATCH_MAX, failureKind, Sync, SyncFailure} from
    '../../../base/static/offline/sync.js';
import {store, outbox, state, queue} from './state.js';
import {errorMessage} from './format.js';
import {refdata, api, loadSession, loadPassages, loadOccupancy, loadCache} from
    './server.js';
import {renderStatus, renderHold} from './header.js';
import {renderPassages} from './passages.js';

// shown is what the kiosk told (verdict, reason, who, fee): kept for
// the list while the passage waits, never sent
export function enqueue(payload, shown) {
    outbox.add(payload, {shown: shown || null});
}

// ---- why the outbox waits ----
// the server (or the network) does not take this kiosk's passages
// (the answer of a request about the whole kiosk): they stay queued
export function holdQueue(response) {
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

export var sync = new Sync({
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
export function syncOutbox(force) {
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

export function tick() {
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

// why the outbox waits: {kind: offline | server | key | refused |
// busy, status, message}, null when nothing holds it
Object.defineProperty(state, 'hold', {
    enumerable: true,
    get: function () {
        return sync.hold;
    }
});
