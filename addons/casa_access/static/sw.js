// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Service worker of the kiosk: the page and its files from the network
// when it answers (always the latest), from the copy kept here when it does
// not -- refused at once (server stopped) or not answered within
// NETWORK_WAIT (server hung, network swallowing the requests) -- so that a
// tablet reloading the kiosk during an outage still gets it, with its queue
// of passages and its copy of the reference data (localStorage).  The API
// (api/...) is never touched: it always goes to the network.
//
// kiosk.js registers it with the scope of the kiosk (/<db>/casa/access/),
// which the browser allows only when static/sw.js is served with the header
// "Service-Worker-Allowed: /<db>/casa/access/", and only on https or
// localhost; otherwise the kiosk works as before, online to load.
'use strict';

var CACHE = 'casa-access-kiosk-v1';
// /<db>/casa/access/
var BASE = new URL('../', self.location.href).href;
var FILES = ['kiosk', 'static/kiosk.css', 'static/normalise.js',
    'static/verdict.js', 'static/i18n.js', 'static/kiosk.js'];

function kept(url) {
    return url.indexOf(BASE) === 0
        && FILES.indexOf(url.slice(BASE.length).split('?')[0]) >= 0;
}

self.addEventListener('install', function (event) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
        return cache.addAll(FILES.map(function (file) {
            return BASE + file;
        }));
    }).then(function () {
        return self.skipWaiting();
    }));
});

self.addEventListener('activate', function (event) {
    event.waitUntil(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
            return name !== CACHE && name.indexOf('casa-access-kiosk-') === 0;
        }).map(function (name) {
            return caches.delete(name);
        }));
    }).then(function () {
        return self.clients.claim();
    }));
});

// the network's answer is awaited that long before the copy kept here
var NETWORK_WAIT = 3000;    // ms

self.addEventListener('fetch', function (event) {
    var request = event.request;
    if (request.method !== 'GET' || !kept(request.url)) {
        return;
    }
    var url = request.url.split('?')[0];
    var network = fetch(request).then(function (response) {
        if (response.ok) {
            var copy = response.clone();
            return caches.open(CACHE).then(function (cache) {
                return cache.put(url, copy);
            }).then(function () {
                return response;
            }, function () {
                return response;
            });
        }
        return response;
    });
    // the copy is kept even when the page got the kept one first
    event.waitUntil(network.catch(function () {}));
    event.respondWith(new Promise(function (resolve, reject) {
        function fromCache(error) {
            return caches.match(url).then(function (response) {
                if (response) {
                    resolve(response);
                } else if (error) {
                    reject(error);
                }
                // else: no copy, the network may still answer
            });
        }
        var timer = setTimeout(fromCache, NETWORK_WAIT);
        network.then(function (response) {
            clearTimeout(timer);
            resolve(response);
        }, function (error) {
            clearTimeout(timer);
            fromCache(error);
        });
    }));
});
