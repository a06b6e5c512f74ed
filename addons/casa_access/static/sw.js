// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Service worker of the kiosk, on casa_base's offline toolkit
// (casa_base/doc/offline.rst): the page and every file it loads -- its own
// and the toolkit's modules -- from the network when it answers, from the
// copy kept here when it does not (refused, or no answer within 3 s), so
// that a tablet reloading the kiosk during an outage still gets it, with
// its outbox of passages and its copy of the reference data
// (localStorage).  The API (api/...) is never touched.
//
// static/kiosk/main.js registers it with the scope of the kiosk
// (/<db>/casa/access/), which the browser allows only when static/sw.js is
// served with the header "Service-Worker-Allowed: /<db>/casa/access/",
// and only on https or localhost; otherwise the kiosk works as before,
// online to load.
'use strict';

importScripts('../../base/static/offline/sw-helper.js');

// the page's own files, relative to /<db>/casa/access/ (every module of
// static/kiosk/: tests/browser/test_offline_toolkit.py checks the list),
// and the toolkit's
var KIOSK = ['kiosk', 'static/kiosk.css', 'static/normalise.js',
    'static/verdict.js', 'static/i18n.js',
    'static/kiosk/config.js', 'static/kiosk/state.js',
    'static/kiosk/format.js', 'static/kiosk/server.js',
    'static/kiosk/queue.js', 'static/kiosk/check.js',
    'static/kiosk/entry.js', 'static/kiosk/header.js',
    'static/kiosk/passages.js', 'static/kiosk/rejected.js',
    'static/kiosk/shift.js', 'static/kiosk/key.js', 'static/kiosk/main.js'];
var TOOLKIT = ['storage.js', 'outbox.js', 'sync.js', 'refdata.js',
    'i18n.js', 'page.js', 'http.js', 'export.js'];

self.casaOffline.keepFiles({
    cache: 'casa-access-kiosk-v4',
    files: KIOSK.map(function (file) {
        return '../' + file;
    }).concat(TOOLKIT.map(function (file) {
        return '../../base/static/offline/' + file;
    }))
});
