// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The page kept by the browser to load without the server
// (doc/offline.rst): keepPageOffline() registers the page's service worker
// (built on sw-helper.js) and tells, once it is ready and whenever it
// changes, whether its cache holds every file it lists (the page's and the
// toolkit's).  Possible only on https or localhost, and when the server
// serves the worker with "Service-Worker-Allowed" for the page's scope.

// ask the worker for the files it keeps: [absolute URL]
function listedFiles(worker) {
    return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        var timer = setTimeout(function () {
            reject(new Error('no answer of the service worker'));
        }, 5000);
        channel.port1.onmessage = function (event) {
            clearTimeout(timer);
            resolve(event.data && event.data.files || []);
        };
        worker.postMessage({type: 'casa-offline-files'}, [channel.port2]);
    });
}

// whether every file the worker lists is in the browser's caches
export function pageKept(registration) {
    var worker = registration && (registration.active
        || registration.waiting || registration.installing);
    if (!worker || !window.caches) {
        return Promise.resolve(false);
    }
    return listedFiles(worker).then(function (files) {
        return Promise.all(files.map(function (url) {
            return caches.match(url);
        })).then(function (found) {
            return files.length > 0 && found.every(Boolean);
        });
    }).catch(function () {
        return false;
    });
}

// register the worker (URL relative to the page) for the scope; onKept
// (bool) is told whether the page is kept
export function keepPageOffline(worker, scope, onKept) {
    onKept = onKept || function () {};
    if (!('serviceWorker' in navigator) || !window.isSecureContext) {
        onKept(false);
        return Promise.resolve(null);
    }
    function check() {
        return navigator.serviceWorker.getRegistration(scope).then(
            pageKept).then(onKept);
    }
    navigator.serviceWorker.addEventListener('controllerchange', check);
    navigator.serviceWorker.ready.then(check);
    return navigator.serviceWorker.register(worker, {scope: scope})
        .then(function (registration) {
            registration.addEventListener('updatefound', function () {
                var installing = registration.installing;
                if (installing) {
                    installing.addEventListener('statechange', check);
                }
            });
            return registration;
        }, function (error) {
            console.info('no offline copy of the page', error);
            onKept(false);
            return null;
        });
}
