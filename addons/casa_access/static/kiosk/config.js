// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The kiosk's constants and where it runs (doc/kiosk.rst): the languages,
// the kinds of identifier, the delays of its loops, the kiosk's base URL
// (/<db>/casa/access/), its database and the prefix of its storage.
import {pagePrefix} from '../../../base/static/offline/storage.js';

export var Verdict = window.casaVerdict;
export var LANGS = ['fr', 'ar', 'en'];
export var KINDS = ['plate', 'badge', 'cin'];
export var TIME_ZONE = Verdict.TIME_ZONE;

export var CHECK_DELAY = 250;          // ms after the last key stroke
export var SYNC_EVERY = 4000;          // ms: outbox sent / server pinged
export var REFRESH_EVERY = 15000;      // ms: passages, occupancy, shift
export var CACHE_EVERY = 5 * 60000;    // ms: offline copy
export var CACHE_RETRY = 15000;        // ms: offline copy missed, asked again
export var TIMEOUT = 8000;             // ms: a request without answer fails

// /<db>/casa/access/kiosk -> /<db>/casa/access/
var match = /^(.*\/casa\/access\/)/.exec(location.pathname);
export var BASE = match ? match[1] : location.pathname.replace(/[^/]*$/, '');
export var DATABASE = decodeURIComponent(BASE.split('/')[1] || '');
export var PREFIX = pagePrefix('casa_access', DATABASE);
