// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The service worker of an offline page (doc/offline.rst), loaded by the
// page's own worker with importScripts() (a classic script, not a module:
// the workers of every browser run it) and started with
//
//     casaOffline.keepFiles({cache: 'casa-<page>-v1', files: [...]});
//
// files are the URLs (absolute, or relative to the worker) of everything
// the page loads: its HTML, CSS, scripts and the toolkit's modules it
// imports.  They come from the network when it answers (always the
// latest, and the copy refreshed), from the copy kept here when it does not
// -- refused at once (server stopped) or not answered within wait ms
// (server hung, network swallowing the requests).  Nothing else (the API)
// is touched.  The page asks the list with a message
// {type: 'casa-offline-files'} (page.js).
'use strict';

self.casaOffline = (function () {
    function keepFiles(options) {
        var cache = options.cache;
        // the caches of older versions of the page, dropped at activation
        var family = options.family || cache.replace(/[^-]*$/, '');
        var wait = options.wait || 3000;
        var files = options.files.map(function (file) {
            return new URL(file, self.location.href).href;
        });

        function kept(url) {
            return files.indexOf(url.split(/[?#]/)[0]) >= 0;
        }

        self.addEventListener('install', function (event) {
            event.waitUntil(caches.open(cache).then(function (store) {
                return store.addAll(files);
            }).then(function () {
                return self.skipWaiting();
            }));
        });

        self.addEventListener('activate', function (event) {
            event.waitUntil(caches.keys().then(function (names) {
                return Promise.all(names.filter(function (name) {
                    return name !== cache && name.indexOf(family) === 0;
                }).map(function (name) {
                    return caches.delete(name);
                }));
            }).then(function () {
                return self.clients.claim();
            }));
        });

        self.addEventListener('message', function (event) {
            if (event.data && event.data.type === 'casa-offline-files'
                    && event.ports && event.ports[0]) {
                event.ports[0].postMessage({cache: cache, files: files});
            }
        });

        self.addEventListener('fetch', function (event) {
            var request = event.request;
            if (request.method !== 'GET' || !kept(request.url)) {
                return;
            }
            var url = request.url.split(/[?#]/)[0];
            var network = fetch(request).then(function (response) {
                if (response.ok) {
                    var copy = response.clone();
                    return caches.open(cache).then(function (store) {
                        return store.put(url, copy);
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
                var timer = setTimeout(fromCache, wait);
                network.then(function (response) {
                    clearTimeout(timer);
                    resolve(response);
                }, function (error) {
                    clearTimeout(timer);
                    fromCache(error);
                });
            }));
        });
        return files;
    }

    return {keepFiles: keepFiles};
}());
