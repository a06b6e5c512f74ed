// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The outbox of an offline page (doc/offline.rst): the events recorded on
// the device and not yet taken by the server, in the order recorded, each
// keyed by the UUID of its payload (payload.uuid): adding an event whose
// UUID is there already changes nothing, so an event is never sent twice
// under two keys and the server, idempotent by UUID, stores it once.
//
// An event the server refuses (its own fault: a 4xx about it) leaves the
// outbox for the *refused* list with the server's reason, kept on the
// device until the user acknowledges it (after exporting it, say): never
// dropped on its own.
//
// Items are {payload: {uuid, ...}, queued_at, ...what the page keeps with
// it (not sent)}; refused ones add status, error, field, message,
// refused_at (as rejected_at too) and exported_at.

export function Outbox(store, options) {
    options = options || {};
    this.store = store;
    this.name = options.name || 'outbox';
    this.refusedName = options.refusedName || 'refused';
}

function uuidOf(item) {
    return item && item.payload && item.payload.uuid;
}

Outbox.prototype.items = function () {
    return this.store.get(this.name, []);
};

Outbox.prototype.size = function () {
    return this.items().length;
};

Outbox.prototype.has = function (uuid) {
    return this.items().some(function (item) {
        return uuidOf(item) === uuid;
    });
};

// add the event (its payload with its uuid); false when it is there
// already (or refused before) or the browser cannot store it
Outbox.prototype.add = function (payload, extra) {
    if (!payload || !payload.uuid) {
        throw new Error('outbox: an event needs a uuid');
    }
    var items = this.items();
    var uuid = payload.uuid;
    if (items.some(function (item) { return uuidOf(item) === uuid; })
            || this.refused().some(function (item) {
                return uuidOf(item) === uuid;
            })) {
        return false;
    }
    items.push(Object.assign({}, extra || {}, {payload: payload,
        queued_at: new Date().toISOString()}));
    return this.store.set(this.name, items);
};

// take the events of the uuids out of the outbox (the server has them)
Outbox.prototype.remove = function (uuids) {
    var gone = {};
    [].concat(uuids).forEach(function (uuid) {
        gone[uuid] = true;
    });
    return this.store.set(this.name, this.items().filter(function (item) {
        return !gone[uuidOf(item)];
    }));
};

Outbox.prototype.refused = function () {
    return this.store.get(this.refusedName, []);
};

// the event set aside as refused with the server's reason {status, error,
// field, message}: newest first; false (and left in the outbox) when the
// browser cannot store it
Outbox.prototype.refuse = function (uuid, reason) {
    var item = this.items().filter(function (other) {
        return uuidOf(other) === uuid;
    })[0];
    if (!item) {
        return false;
    }
    reason = reason || {};
    var now = new Date().toISOString();
    var refused = this.refused().filter(function (other) {
        return uuidOf(other) !== uuid;
    });
    refused.unshift(Object.assign({}, item, {
        status: reason.status || null,
        error: reason.error || null,
        field: reason.field || null,
        message: reason.message || null,
        refused_at: now,
        rejected_at: now,
        exported_at: null
    }));
    if (!this.store.set(this.refusedName, refused)) {
        return false;
    }
    return this.remove(uuid);
};

// the refused events kept (keep(item) true) or off the device
Outbox.prototype.acknowledge = function (keep) {
    return this.store.set(this.refusedName, this.refused().filter(keep));
};

Outbox.prototype.markExported = function (uuids, when) {
    var exported = {};
    uuids.forEach(function (uuid) {
        exported[uuid] = true;
    });
    when = when || new Date().toISOString();
    return this.store.set(this.refusedName, this.refused().map(
        function (item) {
            if (exported[uuidOf(item)] && !item.exported_at) {
                return Object.assign({}, item, {exported_at: when});
            }
            return item;
        }));
};
