// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The entry card: kinds, identifier recognised, vehicle categories,
// directions, the verdict shown and the record button.
import {i18n, t, state, $} from './state.js';
import {formatMoney, reasonText, fillWho} from './format.js';
import {gateDirection, direction, typedKind, currentPassage, samePassage} from
    './check.js';

export function renderCategories() {
    var select = $('category');
    var current = select.value;
    var categories = (state.session && state.session.vehicle_categories)
        || [];
    // rebuilt only when they change (or the language): an open list
    // stays open across the refreshes
    var signature = i18n.lang() + JSON.stringify(categories);
    if (select.getAttribute('data-signature') === signature) {
        return;
    }
    select.setAttribute('data-signature', signature);
    select.textContent = '';
    var none = document.createElement('option');
    none.value = '';
    none.textContent = t('category_none');
    select.appendChild(none);
    categories.forEach(function (category) {
        var option = document.createElement('option');
        option.value = category.code;
        option.textContent = category.name || category.code;
        select.appendChild(option);
    });
    select.value = current;
    if (select.value !== current) {
        select.value = '';
    }
    select.closest('.row-options').hidden = !categories.length;
}

export function renderEntry() {
    document.querySelectorAll('.kind').forEach(function (button) {
        var checked = button.getAttribute('data-kind') === state.kind;
        button.setAttribute('aria-checked', String(checked));
        button.tabIndex = checked ? 0 : -1;
    });
    $('ident').placeholder = t('placeholder_' + state.kind);
    var kind = $('ident').value.trim() ? typedKind() : state.kind;
    $('ident').setAttribute('data-kind', kind);
    document.querySelectorAll('.kind').forEach(function (button) {
        button.setAttribute('data-recognised', String(kind !== state.kind
            && button.getAttribute('data-kind') === kind));
    });
    var recognised = $('recognised');
    recognised.setAttribute('data-kind', kind);
    recognised.textContent = kind !== state.kind
        ? t('recognised', {kind: t('kind_' + kind)}) : '';
    var gate = gateDirection();
    var current = direction();
    document.querySelectorAll('.direction').forEach(function (button) {
        var value = button.getAttribute('data-direction');
        var checked = value === current;
        button.setAttribute('aria-checked', String(checked));
        button.tabIndex = checked ? 0 : -1;
        button.disabled = (gate === 'entry' && value === 'out')
            || (gate === 'exit' && value === 'in');
    });
    renderRecord();
}

function renderRecord() {
    var button = $('record');
    var passage = currentPassage();
    button.disabled = !passage;
    var verdict = state.verdict;
    var result = verdict && verdict.result;
    // a refused passage is recorded as a refusal: the button says so
    var refused = Boolean(passage && result
        && result.verdict === 'refused'
        && samePassage(verdict.passage, passage));
    button.textContent = t((refused ? 'record_refusal_' : 'record_')
        + (direction() === 'out' ? 'out' : 'in'));
    button.setAttribute('data-records', refused ? 'refusal'
        : 'passage');
    button.className = 'btn record' + (result && passage
        ? ' ' + result.verdict : '');
}

export function renderVerdict() {
    var node = $('verdict');
    var verdict = state.verdict;
    var word = '', reason = '', detail = '', who = null, fee = '',
        source = '';
    var kind = 'idle';
    if (!verdict) {
        reason = t('verdict_idle');
    } else if (verdict.pending) {
        kind = 'checking';
        reason = t('checking');
    } else if (verdict.error) {
        kind = 'error';
        reason = t(verdict.error.key, verdict.error.values);
        source = verdict.local ? t('local_verdict') : '';
    } else {
        var result = verdict.result;
        kind = result.verdict === 'allowed' ? 'allowed' : 'refused';
        word = t(kind);
        reason = reasonText(result);
        detail = result.detail || '';
        who = result.who;
        var amount = Number(result.fee || 0);
        if (kind === 'allowed') {
            fee = amount > 0 ? t('fee_due', {amount: formatMoney(
                result.fee, result.currency)}) : t('no_fee');
        }
        source = verdict.local ? t('local_verdict') : '';
    }
    node.className = 'verdict ' + kind;
    node.setAttribute('data-verdict', kind);
    node.setAttribute('data-reason', verdict && verdict.result
        ? verdict.result.reason : '');
    $('verdict-word').textContent = word;
    $('verdict-reason').textContent = reason;
    $('verdict-detail').textContent = detail;
    fillWho($('verdict-who'), who || null);
    $('verdict-fee').textContent = fee;
    $('verdict-source').textContent = source;
    renderRecord();
}
