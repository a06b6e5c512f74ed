// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The gate kiosk (doc/kiosk.rst, API in doc/api.rst), the entry of its ES
// modules on casa_base's offline page toolkit (casa_base/doc/offline.rst):
// the language, the events of the page bound to the modules' actions, the
// loops started, the page kept offline by the service worker (sw.js), and
// window.casaKiosk for the tests.
import {keepPageOffline} from '../../../base/static/offline/page.js';
import {SYNC_EVERY, REFRESH_EVERY, BASE, PREFIX} from './config.js';
import {store, i18n, t, state, $, queue, rejected} from './state.js';
import {setOnline, loadSession, loadPassages, loadOccupancy, offlineReady,
    refreshAll} from './server.js';
import {syncOutbox, tick} from './queue.js';
import {scheduleCheck, record} from './check.js';
import {renderEntry, renderVerdict} from './entry.js';
import {renderSession, renderStatus} from './header.js';
import {renderOccupancy, renderPassages} from './passages.js';
import {acknowledgeExported, exportRejected} from './rejected.js';
import {openShift, hideDialog, askCloseShift, closeShift} from './shift.js';
import {showKeyScreen, submitKey} from './key.js';

function applyLang() {
    i18n.apply();
    document.querySelectorAll('.lang').forEach(function (button) {
        var code = button.getAttribute('data-lang');
        button.setAttribute('aria-pressed', String(code === i18n.lang()));
        button.title = i18n.texts[code]._name;
        button.setAttribute('aria-label', i18n.texts[code]._name);
    });
    $('langs').setAttribute('aria-label', t('language'));
    document.title = t('app_title');
}

function setLang(lang) {
    if (!i18n.setLang(lang)) {
        return;
    }
    applyLang();
    renderAll();
    if (state.started && state.key) {
        // the server's texts (reasons) follow Accept-Language
        scheduleCheck(0);
        loadPassages();
        loadOccupancy();
        loadSession();
    }
}

function renderAll() {
    renderSession();
    renderStatus();
    renderEntry();
    renderVerdict();
    renderOccupancy();
    renderPassages();
}

function bind() {
    document.querySelectorAll('.lang').forEach(function (button) {
        button.addEventListener('click', function () {
            setLang(button.getAttribute('data-lang'));
        });
    });
    $('key-form').addEventListener('submit', submitKey);
    $('key-cancel').addEventListener('click', function () {
        $('key-screen').hidden = true;
        $('app').hidden = false;
        $('ident').focus();
    });
    $('change-key').addEventListener('click', function () {
        showKeyScreen('', false);
    });

    var ident = $('ident');
    ident.addEventListener('input', function () {
        renderEntry();
        scheduleCheck();
    });
    ident.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && !event.isComposing) {
            event.preventDefault();
            record();
        } else if (event.key === 'Escape') {
            ident.value = '';
            scheduleCheck(0);
        }
    });
    $('ident-clear').addEventListener('click', function () {
        ident.value = '';
        scheduleCheck(0);
        ident.focus();
    });
    $('category').addEventListener('change', function () {
        scheduleCheck(0);
    });
    radioGroup('.kind', 'data-kind', function (value) {
        state.kind = value;
        store.set('kind', value);
        renderEntry();
        scheduleCheck(0);
        ident.focus();
    });
    radioGroup('.direction', 'data-direction', function (value) {
        state.direction = value;
        store.set('direction', value);
        renderEntry();
        scheduleCheck(0);
    });
    $('record').addEventListener('click', record);
    $('hold-retry').addEventListener('click', function () {
        syncOutbox(true);
        loadSession();
    });
    $('export-csv').addEventListener('click', function () {
        exportRejected('csv');
    });
    $('export-json').addEventListener('click', function () {
        exportRejected('json');
    });
    $('acknowledge-exported').addEventListener('click',
        acknowledgeExported);

    $('shift-open').addEventListener('click', openShift);
    $('shift-close').addEventListener('click', askCloseShift);
    $('close-form').addEventListener('submit', closeShift);
    $('close-cancel').addEventListener('click', function () {
        hideDialog($('close-dialog'));
    });
    $('close-ok').addEventListener('click', function () {
        hideDialog($('close-dialog'));
    });

    window.addEventListener('online', function () {
        tick();
        loadSession();
    });
    window.addEventListener('offline', function () {
        setOnline(false);
    });
    // another tab of the kiosk changed the queue
    window.addEventListener('storage', function (event) {
        if (event.key && event.key.indexOf(PREFIX) === 0) {
            renderStatus();
            renderPassages();
        }
    });
    document.addEventListener('visibilitychange', function () {
        if (!document.hidden && state.started) {
            refreshAll();
        }
    });
}

// buttons with role=radio: click, and arrow keys move the choice
function radioGroup(selector, attribute, choose) {
    var buttons = Array.prototype.slice.call(
        document.querySelectorAll(selector));
    buttons.forEach(function (button, index) {
        button.addEventListener('click', function () {
            choose(button.getAttribute(attribute));
        });
        button.addEventListener('keydown', function (event) {
            var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1,
                ArrowUp: -1}[event.key];
            if (!step) {
                return;
            }
            if (document.documentElement.dir === 'rtl'
                    && (event.key === 'ArrowRight'
                        || event.key === 'ArrowLeft')) {
                step = -step;
            }
            event.preventDefault();
            var enabled = buttons.filter(function (b) {
                return !b.disabled;
            });
            var position = enabled.indexOf(button);
            var target = enabled[(position + step + enabled.length)
                % enabled.length];
            choose(target.getAttribute(attribute));
            target.focus();
        });
    });
}

export function start() {
    renderAll();
    $('ident').focus();
    refreshAll();
    if (state.started) {
        return;
    }
    state.started = true;
    setInterval(tick, SYNC_EVERY);
    setInterval(function () {
        if (state.online && state.key && !state.keyRejected) {
            loadPassages();
            loadOccupancy();
            loadSession();
        }
    }, REFRESH_EVERY);
}

// the page kept by the browser to load without the server (sw.js, on
// the toolkit's sw-helper.js): possible only when the server allows the
// kiosk's scope for static/sw.js (header Service-Worker-Allowed) on
// https or localhost
function keepOffline() {
    keepPageOffline('static/sw.js', BASE, function (kept) {
        state.pageKept = kept;
        renderStatus();
    });
}

function init() {
    applyLang();
    bind();
    keepOffline();
    if (!state.key) {
        showKeyScreen('', false);
        return;
    }
    $('app').hidden = false;
    start();
}

// for the tests and the curious: the state and a few actions
window.casaKiosk = {
    state: state,
    queue: queue,
    rejected: rejected,
    sync: function () {
        return syncOutbox(true);
    },
    refresh: refreshAll,
    offlineReady: offlineReady,
    base: BASE,
    prefix: PREFIX
};

if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
} else {
    init();
}
