// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The header and the banners: gate, site, unit, gatekeeper, the shift's
// state, online / offline, the passages waiting, why the outbox is held;
// the passing messages (banner, toast).
import {t, say, state, $, queue} from './state.js';
import {formatMoney, formatTime} from './format.js';
import {offlineReady} from './server.js';
import {renderCategories, renderEntry} from './entry.js';

export function banner(fill) {
    var node = $('banner');
    say(node, fill);
    node.hidden = !fill;
    clearTimeout(state.bannerTimer);
    if (fill) {
        state.bannerTimer = setTimeout(function () {
            node.hidden = true;
            say(node, null);
        }, 8000);
    }
}

export function toast(fill, className) {
    var node = $('toast');
    say(node, fill);
    node.className = 'toast' + (className ? ' ' + className : '');
    clearTimeout(state.toastTimer);
    state.toastTimer = setTimeout(function () {
        say(node, null);
    }, 5000);
}

export function renderSession() {
    var session = state.session;
    $('gate-name').textContent = session && session.gate
        ? (session.gate.name || session.gate.code) : '—';
    function labelled(label, value) {
        return value ? t('label_value', {label: t(label), value: value})
            : '';
    }
    $('site-name').textContent = labelled('site',
        session && session.site && session.site.name);
    $('bu-name').textContent = labelled('business_unit',
        session && session.business_unit && session.business_unit.name);
    $('gatekeeper-name').textContent = labelled('gatekeeper',
        session && session.gatekeeper && session.gatekeeper.name);
    var shift = session ? session.shift : null;
    var parts = [];
    if (shift) {
        parts.push(t('shift_info', {number: shift.number || shift.id,
            time: formatTime(shift.opened_at)}));
        if (shift.passages !== undefined && shift.passages !== null) {
            parts.push(t('shift_passages', {n: shift.passages}));
        }
        parts.push(t('shift_expected', {amount: formatMoney(
            shift.expected_amount, session.currency)}));
    } else {
        parts.push(t('shift_none'));
    }
    $('shift-state').textContent = parts.join(' · ');
    $('shift').setAttribute('data-state', shift ? 'open' : 'closed');
    $('shift-hint').textContent = session && !shift ? t('shift_needed')
        : '';
    $('shift-open').hidden = Boolean(shift) || !session;
    $('shift-close').hidden = !shift;
    $('shift-open').disabled = !state.online;
    $('shift-close').disabled = !state.online;
    renderCategories();
    renderEntry();
}

export function renderStatus() {
    var net = $('net-status');
    net.className = 'net ' + (state.online ? 'online' : 'offline');
    net.setAttribute('data-online', String(state.online));
    $('net-label').textContent = state.online ? t('online')
        : t('offline');
    var count = queue().length;
    var pending = $('pending-count');
    pending.setAttribute('data-count', String(count));
    pending.textContent = t('pending', {n: count});
    pending.hidden = count === 0;
    net.setAttribute('data-offline-ready', String(offlineReady()));
    $('shift-open').disabled = !state.online;
    $('shift-close').disabled = !state.online;
    renderHold();
}

// the queue kept and why, while something holds it (a refusal of the
// kiosk is told even with nothing queued)
export function renderHold() {
    var node = $('hold-banner');
    var hold = state.hold;
    var count = queue().length;
    var shown = Boolean(hold) && (count > 0 || hold.kind === 'refused');
    node.hidden = !shown;
    if (!shown) {
        node.removeAttribute('data-reason');
        return;
    }
    node.setAttribute('data-reason', hold.kind);
    var text = t('hold_' + hold.kind, {
        message: hold.message || (hold.status ? 'HTTP ' + hold.status
            : '')});
    if (count) {
        text += ' ' + t(count === 1 ? 'hold_kept_one' : 'hold_kept',
            {n: count});
    }
    // told again only when it changes (role=alert)
    if ($('hold-text').textContent !== text) {
        $('hold-text').textContent = text;
    }
}
