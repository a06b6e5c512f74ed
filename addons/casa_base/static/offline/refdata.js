// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Reference data kept on the device for offline decisions (doc/offline.rst):
// the last copy the server gave (authorisations, tariffs, price lists...),
// stored with the time it was fetched, fetched again when older than
// maxAge, and asked again no sooner than retry after a miss.  Offline, the
// page decides from the copy it has.

export function RefData(store, name, options) {
    this.store = store;
    this.name = name;
    this.fetch = options.load;      // () -> Promise of the data or null
    this.maxAge = options.maxAge || 5 * 60000;
    this.retry = options.retry || 15000;
    this.now = options.now || Date.now;
    this.data = store.get(name, null);
    this.loading = null;
    this.triedAt = 0;
}

RefData.prototype.get = function () {
    return this.data;
};

// the copy is missing or old, and was not asked for a moment ago
RefData.prototype.wanted = function () {
    if (this.loading) {
        return false;
    }
    var fetched = this.data && Date.parse(this.data.fetched_at);
    if (fetched && this.now() - fetched < this.maxAge) {
        return false;
    }
    return this.now() - this.triedAt >= this.retry;
};

// ask the server for a new copy: the previous one stays when it cannot
RefData.prototype.load = function () {
    var self = this;
    if (self.loading) {
        return self.loading;
    }
    self.triedAt = self.now();
    self.loading = Promise.resolve().then(self.fetch).then(function (data) {
        if (data) {
            data.fetched_at = new Date(self.now()).toISOString();
            self.data = data;
            self.store.set(self.name, data);
        }
        return self.data;
    }, function () {
        return self.data;
    }).then(function (data) {
        self.loading = null;
        return data;
    });
    return self.loading;
};

RefData.prototype.clear = function () {
    this.data = null;
    this.store.remove(this.name);
};
