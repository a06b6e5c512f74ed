// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The key screen: first run, a key the server refuses, "change key".
import {store, say, text, raw, state, $, queue} from './state.js';
import {errorMessage} from './format.js';
import {refdata, api} from './server.js';
import {sync} from './queue.js';
import {banner} from './header.js';
import {start} from './main.js';

export function showKeyScreen(message, refused) {
    $('app').hidden = true;
    $('key-screen').hidden = false;
    var input = $('key-input');
    input.value = '';
    say($('key-message'), message || null);
    $('key-message').className = 'message';
    $('key-cancel').hidden = !state.key || refused;
    var count = queue().length;
    $('key-pending').hidden = !count;
    say($('key-pending'), count
        ? text('change_key_pending', {n: count}) : null);
    input.focus();
}

export function submitKey(event) {
    event.preventDefault();
    var key = $('key-input').value.trim();
    var message = $('key-message');
    if (!key) {
        say(message, text('key_required'));
        return;
    }
    message.className = 'message info';
    say(message, text('key_checking'));
    $('key-submit').disabled = true;
    api('GET', 'api/session', undefined, key).then(function (response) {
        $('key-submit').disabled = false;
        if (response.status === 200) {
            useKey(key, response.data);
        } else {
            message.className = 'message';
            say(message, response.status === 401
                ? text('key_refused') : raw(errorMessage(response)));
        }
    }, function () {
        $('key-submit').disabled = false;
        // kept: checked when the server answers again
        useKey(key, null);
        banner(text('key_unreachable'));
    });
}

function useKey(key, session) {
    var changed = key !== state.key;
    state.key = key;
    state.keyRejected = false;
    // a new chance for the queue
    sync.release();
    store.set('key', key);
    if (changed) {
        // another key may be another gate: its copy is not this one's
        refdata.clear();
        state.passages = [];
        state.occupancy = null;
        state.session = null;
        ['passages', 'occupancy', 'session', 'passagesAt'
            ].forEach(store.remove);
    }
    if (session) {
        state.session = session;
        store.set('session', session);
    }
    $('key-screen').hidden = true;
    $('app').hidden = false;
    start();
}
