// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The passage being typed: the kind recognised, the direction, the verdict
// (api/check online, verdict.js on the cached copy offline) and its record
// into the outbox.
import {uuid4} from '../../../base/static/offline/storage.js';
import {Verdict, KINDS, CHECK_DELAY} from './config.js';
import {t, state, $} from './state.js';
import {zone, errorMessage, reasonText, fillWithPlate} from './format.js';
import {api} from './server.js';
import {enqueue, syncOutbox} from './queue.js';
import {renderEntry, renderVerdict} from './entry.js';
import {toast, renderStatus} from './header.js';
import {renderPassages} from './passages.js';

// ---- the passage being typed ----
export function gateDirection() {
    var session = state.session;
    return (session && session.gate && session.gate.direction)
        || (state.cache && state.cache.gate_direction) || 'both';
}

export function direction() {
    var gate = gateDirection();
    if (gate === 'entry') {
        return 'in';
    }
    if (gate === 'exit') {
        return 'out';
    }
    return state.direction;
}

// the kind of identifier typed: a badge or a CIN typed in the plate's
// field is a badge or a CIN (normalise.js, as the server)
export function typedKind() {
    return window.casaNormalise.recognise($('ident').value, state.kind);
}

export function currentPassage() {
    var value = $('ident').value.trim();
    if (!value) {
        return null;
    }
    var passage = {direction: direction()};
    passage[typedKind()] = value;
    var category = $('category').value;
    if (category) {
        passage.vehicle_category = category;
    }
    return passage;
}

export function samePassage(a, b) {
    return Boolean(a && b) && JSON.stringify(a) === JSON.stringify(b);
}

function localVerdict(passage) {
    if (!state.cache) {
        return null;
    }
    var result = Verdict.decide(state.cache, passage, new Date(), {
        utcOffset: zone().utcOffset === null ? undefined
            : zone().utcOffset,
        gateDirection: gateDirection(),
        currency: state.session && state.session.currency
    });
    if (result.reason === 'blacklisted') {
        result.detail = blacklistReason(passage);
    }
    return result;
}

// the reason of the blacklist entry of the passage, as written by the
// office, from the cached copy
function blacklistReason(passage) {
    var detail = null;
    ((state.cache && state.cache.blacklist) || []).some(
        function (entry) {
            var value = window.casaNormalise.normaliseIdentifier(
                passage[entry.kind]);
            if (value && value === entry.value && entry.reason) {
                detail = entry.reason;
                return true;
            }
            return false;
        });
    return detail;
}

export function scheduleCheck(delay) {
    clearTimeout(state.checkTimer);
    var passage = currentPassage();
    if (!passage) {
        state.verdict = null;
        renderVerdict();
        return;
    }
    if (!state.verdict || !samePassage(state.verdict.passage, passage)) {
        state.verdict = {passage: passage, pending: true};
        renderVerdict();
    }
    state.checkTimer = setTimeout(check, delay === undefined
        ? CHECK_DELAY : delay);
}

function check() {
    var passage = currentPassage();
    if (!passage) {
        state.verdict = null;
        renderVerdict();
        return Promise.resolve();
    }
    var seq = ++state.checkSeq;
    function set(verdict) {
        if (seq === state.checkSeq) {
            verdict.passage = passage;
            state.verdict = verdict;
            renderVerdict();
        }
    }
    function local() {
        var result = localVerdict(passage);
        set(result ? {result: result, local: true}
            : {error: {key: 'no_cache'}, local: true});
    }
    if (!state.online || !state.key || state.keyRejected) {
        local();
        return Promise.resolve();
    }
    return api('POST', 'api/check', passage).then(function (response) {
        if (response.status === 200) {
            var result = response.data;
            if (result.reason === 'blacklisted' && !result.detail) {
                result.detail = blacklistReason(passage);
            }
            set({result: result, local: false});
        } else {
            set({error: {key: 'check_error', values: {
                message: errorMessage(response)}}});
        }
    }, local);
}

export function record() {
    var passage = currentPassage();
    if (!passage) {
        $('ident').focus();
        return;
    }
    // the verdict shown, or (typed faster than the check) the local one
    var verdict = state.verdict;
    var result = verdict && verdict.result
        && samePassage(verdict.passage, passage)
        ? verdict.result : localVerdict(passage);
    var payload = {
        uuid: uuid4(),
        direction: passage.direction,
        device_time: new Date().toISOString(),
        // recorded without the server: sent later
        offline: !state.online
    };
    KINDS.forEach(function (kind) {
        if (passage[kind]) {
            payload[kind] = passage[kind];
        }
    });
    if (passage.vehicle_category) {
        payload.vehicle_category = passage.vehicle_category;
    }
    if (result && result.verdict) {
        payload.device_verdict = result.verdict;
    }
    // kept for the list while waiting (not sent)
    enqueue(payload, result ? {
        reason: result.reason,
        reason_text: reasonText(result),
        name: result.who ? result.who.name : null,
        category: result.who ? result.who.category : null,
        fee: result.fee
    } : null);
    var label = payload.plate || payload.badge || payload.cin;
    var refusal = payload.device_verdict === 'refused';
    var told = state.online ? (refusal ? 'recorded_refusal' : 'recorded')
        : (refusal ? 'queued_refusal' : 'queued');
    toast(function (node) {
        fillWithPlate(node, t(told), label);
    }, state.online ? (refusal ? 'refused' : '') : 'queued');
    $('ident').value = '';
    $('category').value = '';
    state.verdict = null;
    clearTimeout(state.checkTimer);
    state.checkSeq++;
    renderEntry();
    renderVerdict();
    renderPassages();
    renderStatus();
    $('ident').focus();
    syncOutbox();
}
