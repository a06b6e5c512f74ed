// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Storage of an offline page (doc/offline.rst): JSON values in
// localStorage under a prefix of its own (the page and the database), so
// that two pages or two databases of one browser never mix their data.
// A value the browser refuses to store (quota) makes set() answer false:
// the caller keeps what it had.

export function createStore(prefix, backend) {
    var storage = backend || window.localStorage;
    return {
        prefix: prefix,
        get: function (name, fallback) {
            try {
                var value = storage.getItem(prefix + name);
                return value === null ? fallback : JSON.parse(value);
            } catch (e) {
                return fallback;
            }
        },
        // false when the browser refused to store it (quota)
        set: function (name, value) {
            try {
                storage.setItem(prefix + name, JSON.stringify(value));
                return true;
            } catch (e) {
                console.error('storage', prefix + name, e);
                return false;
            }
        },
        remove: function (name) {
            try {
                storage.removeItem(prefix + name);
            } catch (e) { /* nothing to do */ }
        },
        // whether a storage event (another tab) is about this store
        owns: function (key) {
            return Boolean(key) && key.indexOf(prefix) === 0;
        }
    };
}

// the prefix of a page of a module on a database: "<page>:<database>:"
export function pagePrefix(page, database) {
    return page + ':' + database + ':';
}

// a version 4 UUID, the key of an event in the outbox; crypto.randomUUID
// needs a secure context (https or localhost), getRandomValues does not
export function uuid4() {
    if (window.crypto && crypto.randomUUID) {
        return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
    }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-'
        + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-'
        + hex.slice(20);
}
