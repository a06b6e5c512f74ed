// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The shift of the gatekeeper: open it, and close it in a dialog that asks
// the cash counted and shows expected, declared and difference.
import {store, say, text, raw, state, $} from './state.js';
import {formatMoney, errorMessage} from './format.js';
import {api, loadSession} from './server.js';
import {banner, toast, renderSession} from './header.js';

export function openShift() {
    if (!state.online) {
        banner(text('shift_offline'));
        return;
    }
    var button = $('shift-open');
    button.disabled = true;
    api('POST', 'api/shift/open', {}).then(function (response) {
        button.disabled = false;
        if (response.status === 201 || response.status === 200) {
            if (state.session) {
                state.session.shift = response.data.shift;
                store.set('session', state.session);
            }
            renderSession();
            toast(text('shift_opened'));
            loadSession();
        } else if (response.status !== 401) {
            banner(text('error', {message: errorMessage(response)}));
            loadSession();
        }
    }, function () {
        button.disabled = false;
        banner(text('shift_offline'));
    });
}

function showDialog(dialog) {
    if (dialog.showModal) {
        dialog.showModal();
    } else {
        dialog.setAttribute('open', '');
    }
}

export function hideDialog(dialog) {
    if (dialog.close) {
        dialog.close();
    } else {
        dialog.removeAttribute('open');
    }
}

export function askCloseShift() {
    if (!state.online) {
        banner(text('shift_offline'));
        return;
    }
    say($('declared-label'), text('declared_label', {
        currency: (state.session && state.session.currency) || 'MAD'}));
    $('declared-amount').value = '';
    $('close-note').value = '';
    say($('close-message'), null);
    $('close-ask').hidden = false;
    $('close-result').hidden = true;
    $('close-confirm').disabled = false;
    showDialog($('close-dialog'));
    $('declared-amount').focus();
}

// "1 234,50" / "1234.5" -> "1234.50"; null when not an amount
function parseAmount(text) {
    var value = String(text || '').replace(/[\s\u00a0\u202f]/g, '')
        .replace(/[٠-٩]/g, function (d) {
            return String(d.charCodeAt(0) - 0x0660);
        }).replace('٫', '.').replace(',', '.');
    if (!/^\d+(\.\d{1,2})?$/.test(value)) {
        return null;
    }
    return Number(value).toFixed(2);
}

export function closeShift(event) {
    event.preventDefault();
    var amount = parseAmount($('declared-amount').value);
    if (amount === null) {
        say($('close-message'), text('amount_invalid'));
        $('declared-amount').focus();
        return;
    }
    var body = {declared_amount: amount};
    var note = $('close-note').value.trim();
    if (note) {
        body.note = note;
    }
    $('close-confirm').disabled = true;
    api('POST', 'api/shift/close', body).then(function (response) {
        $('close-confirm').disabled = false;
        if (response.status === 200 || response.status === 201) {
            var shift = response.data.shift || {};
            var currency = (state.session && state.session.currency)
                || 'MAD';
            $('close-expected').textContent = formatMoney(
                shift.expected_amount, currency);
            $('close-declared').textContent = formatMoney(
                shift.declared_amount, currency);
            var difference = $('close-difference');
            difference.textContent = formatMoney(
                shift.difference, currency);
            var number = Number(shift.difference || 0);
            difference.className = number < 0 ? 'negative'
                : (number > 0 ? 'positive' : '');
            $('close-ask').hidden = true;
            $('close-result').hidden = false;
            $('close-ok').focus();
            if (state.session) {
                state.session.shift = null;
                store.set('session', state.session);
            }
            renderSession();
            loadSession();
        } else if (response.status !== 401) {
            say($('close-message'), raw(errorMessage(response)));
            loadSession();
        }
    }, function () {
        $('close-confirm').disabled = false;
        say($('close-message'), text('shift_offline'));
    });
}
