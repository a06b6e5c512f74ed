// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The passages the server refused: counted, exported (CSV or JSON, for the
// office), acknowledged off the tablet.
import {download, toCSV} from '../../../base/static/offline/export.js';
import {DATABASE} from './config.js';
import {t, outbox, state, $, rejected} from './state.js';
import {renderPassages} from './passages.js';

// the gatekeeper has dealt with them: off the tablet
function acknowledge(keep) {
    outbox.acknowledge(keep);
    renderPassages();
}

export function acknowledgeRejected(uuid) {
    acknowledge(function (item) {
        return item.payload.uuid !== uuid;
    });
}

export function acknowledgeExported() {
    acknowledge(function (item) {
        return !item.exported_at;
    });
}

export function renderRejected() {
    var items = rejected();
    var exported = items.filter(function (item) {
        return item.exported_at;
    }).length;
    $('rejected-panel').hidden = !items.length;
    $('rejected-summary').textContent = items.length
        ? t('rejected_summary', {n: items.length}) : '';
    var button = $('acknowledge-exported');
    button.hidden = !exported;
    button.textContent = t('acknowledge_exported', {n: exported});
}

// ---- export of the rejected passages (to hand them to the office) --
var EXPORT_COLUMNS = ['uuid', 'device_time', 'direction', 'plate',
    'badge', 'cin', 'vehicle_category', 'offline', 'device_verdict',
    'reason', 'name', 'fee', 'currency', 'status', 'error', 'field',
    'message', 'rejected_at', 'gate', 'site'];

function exportRows(items) {
    var session = state.session || {};
    return items.map(function (item) {
        var payload = item.payload;
        var shown = item.shown || {};
        var fee = shown.fee === undefined || shown.fee === null
            ? null : Number(shown.fee).toFixed(2);
        return {
            uuid: payload.uuid,
            device_time: payload.device_time || null,
            direction: payload.direction || null,
            plate: payload.plate || null,
            badge: payload.badge || null,
            cin: payload.cin || null,
            vehicle_category: payload.vehicle_category || null,
            offline: Boolean(payload.offline),
            device_verdict: payload.device_verdict || null,
            reason: shown.reason || null,
            name: shown.name || null,
            fee: fee,
            currency: session.currency || 'MAD',
            status: item.status,
            error: item.error,
            field: item.field,
            message: item.message,
            rejected_at: item.rejected_at,
            gate: session.gate ? session.gate.name : null,
            site: session.site ? session.site.name : null
        };
    });
}

// every rejected passage kept, in a file; they stay on the tablet,
// marked exported, until acknowledged
export function exportRejected(format) {
    var items = rejected();
    if (!items.length) {
        return;
    }
    var rows = exportRows(items);
    var session = state.session || {};
    var now = new Date().toISOString();
    var name = 'rejected-passages-' + ((session.gate
        && session.gate.code) || 'kiosk').replace(/[^\w-]+/g, '_')
        + '-' + now.replace(/[-:]/g, '').slice(0, 15);
    if (format === 'csv') {
        download(name + '.csv', 'text/csv;charset=utf-8',
            toCSV(EXPORT_COLUMNS, rows));
    } else {
        download(name + '.json', 'application/json', JSON.stringify({
            exported_at: now,
            database: DATABASE,
            gate: session.gate || null,
            site: session.site || null,
            business_unit: session.business_unit || null,
            gatekeeper: session.gatekeeper || null,
            passages: rows
        }, null, 2));
    }
    var exported = {};
    rows.forEach(function (row) {
        exported[row.uuid] = true;
    });
    outbox.markExported(Object.keys(exported), now);
    renderPassages();
}
