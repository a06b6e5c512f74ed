// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Sending the outbox of an offline page (doc/offline.rst): in batches of at
// most BATCH_MAX events, in the order recorded, to a batch endpoint that
// answers a result per event.  Each result decides of its event:
//
//   done, duplicate  the server has it (stored now, or before: the same
//                    UUID): out of the outbox;
//   refused          a refusal of the event itself (a 4xx about it): set
//                    aside in the outbox's refused list with the reason;
//   retry            (a 5xx about it): kept, sent again later.
//
// A failure of the whole request (no network, 5xx, the server asking to
// wait, the device refused) keeps the outbox as it is and waits before the
// next try: exponential backoff with jitter (backoffDelay), or the
// server's Retry-After; release() (the server answers again) ends the wait.

export var BATCH_MAX = 500;

// the wait before the next try after failures of a kind: base doubling at
// each failure up to cap (ms); jitter spreads the devices of a site that
// lost the network together
export var BACKOFF = {
    offline: {base: 2000, cap: 30000},
    server: {base: 4000, cap: 60000},
    busy: {base: 15000, cap: 300000},
    refused: {base: 15000, cap: 300000},
    key: {base: 15000, cap: 300000}
};
export var JITTER = 0.3;

// the wait after the failure number attempt (0: the first) of the kind:
// min(cap, base x 2^attempt), less up to jitter of it at random
export function backoffDelay(attempt, schedule, jitter, random) {
    schedule = schedule || BACKOFF.offline;
    jitter = jitter === undefined ? JITTER : jitter;
    random = random || Math.random;
    var delay = Math.min(schedule.cap,
        schedule.base * Math.pow(2, Math.max(0, attempt)));
    return Math.round(delay * (1 - jitter * random()));
}

// what an HTTP status of an event's result means for it
export function outcomeOf(status) {
    if (status === 201) {
        return 'done';
    }
    if (status === 200) {
        return 'duplicate';
    }
    if (status >= 400 && status < 500) {
        return 'refused';
    }
    return 'retry';
}

// why a whole request failed, from its status (none: no answer)
export function failureKind(status) {
    if (!status) {
        return 'offline';
    }
    if (status === 401) {
        return 'key';
    }
    if (status === 408 || status === 429) {
        return 'busy';
    }
    if (status >= 500) {
        return 'server';
    }
    return 'refused';
}

// a failure of the whole request: kind (failureKind), status, message,
// retryAfter (seconds, from the server)
export function SyncFailure(kind, status, message, retryAfter) {
    this.name = 'SyncFailure';
    this.kind = kind;
    this.status = status || null;
    this.message = message || '';
    this.retryAfter = retryAfter || null;
}

// options: outbox, send(payloads) -> Promise of [{uuid, status, error,
// field, message, ...}] (a result per payload) or rejected with a
// SyncFailure; batchSize; onResult(item, result, outcome); onHold(hold or
// null); now() and random() (tests)
export function Sync(options) {
    this.outbox = options.outbox;
    this.send = options.send;
    this.batchSize = Math.min(options.batchSize || BATCH_MAX, BATCH_MAX);
    this.backoff = Object.assign({}, BACKOFF, options.backoff || {});
    this.jitter = options.jitter === undefined ? JITTER : options.jitter;
    this.onResult = options.onResult || function () {};
    this.onHold = options.onHold || function () {};
    this.now = options.now || Date.now;
    this.random = options.random || Math.random;
    this.running = null;
    this.hold = null;       // {kind, status, message}
    this.attempt = 0;       // failures in a row
    this.retryAt = 0;
}

// the outbox waits after a failure of the whole request
Sync.prototype.fail = function (failure) {
    var schedule = this.backoff[failure.kind] || this.backoff.server;
    var delay = backoffDelay(this.attempt, schedule, this.jitter,
        this.random);
    var after = Number(failure.retryAfter) * 1000;
    if (after > 0) {
        delay = Math.min(after, schedule.cap);
    }
    this.attempt++;
    this.retryAt = this.now() + delay;
    this.hold = {kind: failure.kind, status: failure.status,
        message: failure.message, retryAt: this.retryAt};
    this.onHold(this.hold);
};

// the server takes the outbox again: no more waiting
Sync.prototype.release = function () {
    var held = Boolean(this.hold);
    this.hold = null;
    this.attempt = 0;
    this.retryAt = 0;
    if (held) {
        this.onHold(null);
    }
};

Sync.prototype.waiting = function () {
    return this.retryAt > this.now();
};

// send the outbox, batch after batch, until it is empty or a request
// fails; force: now, whatever the wait.  Resolves to {sent, done,
// duplicate, refused, retry, failure}
Sync.prototype.run = function (force) {
    var self = this;
    if (self.running) {
        return self.running;
    }
    var report = {sent: 0, done: 0, duplicate: 0, refused: 0, retry: 0,
        failure: null};
    if (!force && self.waiting()) {
        return Promise.resolve(report);
    }
    function next() {
        var items = self.outbox.items().slice(0, self.batchSize);
        if (!items.length) {
            return report;
        }
        var byUuid = {};
        items.forEach(function (item) {
            byUuid[item.payload.uuid] = item;
        });
        report.sent += items.length;
        return self.send(items.map(function (item) {
            return item.payload;
        })).then(function (results) {
            var progress = 0;
            var retry = 0;
            (results || []).forEach(function (result, index) {
                var uuid = result.uuid || (items[index]
                    && items[index].payload.uuid);
                var item = byUuid[uuid];
                if (!item) {
                    return;
                }
                delete byUuid[uuid];
                var outcome = result.outcome || outcomeOf(result.status);
                if (outcome === 'done' || outcome === 'duplicate') {
                    if (self.outbox.remove(uuid)) {
                        progress++;
                    }
                } else if (outcome === 'refused') {
                    if (self.outbox.refuse(uuid, result)) {
                        progress++;
                    }
                } else {
                    retry++;
                }
                report[outcome]++;
                self.onResult(item, result, outcome);
            });
            // no result for an event: sent again later
            retry += Object.keys(byUuid).length;
            report.retry += Object.keys(byUuid).length;
            if (progress) {
                self.release();
            }
            if (retry) {
                self.fail(new SyncFailure('server', null, ''));
                return report;
            }
            // nothing stored (the browser's quota): stop there
            return progress ? next() : report;
        });
    }
    self.running = Promise.resolve().then(next).catch(function (error) {
        if (!(error instanceof SyncFailure)) {
            error = new SyncFailure('offline', null,
                String(error && error.message || error));
        }
        report.failure = error;
        self.fail(error);
        return report;
    }).then(function (result) {
        self.running = null;
        return result;
    });
    return self.running;
};
