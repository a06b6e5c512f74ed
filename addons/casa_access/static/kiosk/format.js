// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// How the kiosk writes things: amounts, times and dates at the site's UTC
// offset, the reasons of the verdicts, identifiers left to right, who an
// authorisation names, the server's error messages.
import {Verdict, TIME_ZONE} from './config.js';
import {i18n, t, state} from './state.js';

function locale() {
    return i18n.locale();
}

export function formatMoney(amount, currency) {
    var number = Number(amount || 0);
    currency = currency || (state.session && state.session.currency)
        || 'MAD';
    try {
        return new Intl.NumberFormat(locale(), {
            style: 'currency', currency: currency,
            minimumFractionDigits: 2, maximumFractionDigits: 2
        }).format(number);
    } catch (e) {
        return number.toFixed(2) + ' ' + currency;
    }
}

export function formatTime(value) {
    if (!value) {
        return '';
    }
    var date = new Date(value);
    if (isNaN(date.getTime())) {
        return String(value);
    }
    return Verdict.localParts(date, zone()).time.slice(0, 5);
}

// the site's date of a time: dd/mm/yyyy (fr, ar-MA, en-GB alike)
export function formatDate(value) {
    return Verdict.localParts(new Date(value), zone()).date.split('-')
        .reverse().join('/');
}

// the time zone of the site: the UTC offset the server tells (minutes
// east of UTC), else Africa/Casablanca by the browser's data
export function zone() {
    var offset = null;
    [state.session, state.cache].some(function (source) {
        if (source && source.utc_offset !== undefined
                && source.utc_offset !== null) {
            offset = Number(source.utc_offset);
            return true;
        }
        return false;
    });
    return {utcOffset: offset, timeZone: TIME_ZONE};
}

export function errorMessage(response) {
    var data = response && response.data || {};
    return data.message || data.error || ('HTTP ' + response.status);
}

export function reasonText(result) {
    // the server's sentence, or the kiosk's own offline
    if (result.reason_text && !result.offline) {
        return result.reason_text;
    }
    return t('reason_' + result.reason);
}

// an identifier, in the order typed, its Arabic letter included
function plateNode(id) {
    var span = document.createElement('span');
    span.className = 'plate';
    span.dir = 'ltr';
    span.textContent = id;
    return span;
}

// fill node with the text, its {id} an identifier (plateNode)
export function fillWithPlate(node, template, id) {
    var parts = template.split('{id}');
    node.textContent = parts[0];
    if (parts.length > 1) {
        node.appendChild(plateNode(id));
        node.appendChild(document.createTextNode(parts.slice(1).join(
            '{id}')));
    }
}

export function fillWho(node, who) {
    node.textContent = '';
    if (!who) {
        return;
    }
    var parts = [];
    if (who.name) {
        parts.push(who.name);
    }
    if (who.category_name || who.category) {
        parts.push(who.category_name || who.category);
    }
    var id = who.plate || who.badge;
    node.textContent = parts.join(' · ') + (id && parts.length
        ? ' · ' : '');
    if (id) {
        node.appendChild(plateNode(id));
    }
}

// the name of an access category (the list of the server gives its
// code), from the cached copy
export function categoryName(code) {
    var name = code;
    ((state.cache && state.cache.authorisations) || []).some(
        function (authorisation) {
            if (authorisation.category === code
                    && authorisation.category_name) {
                name = authorisation.category_name;
                return true;
            }
            return false;
        });
    return name;
}
