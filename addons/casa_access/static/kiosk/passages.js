// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The lists: who is on the site (occupancy) and today's passages of the
// gate, those taken by the server, waiting in the outbox or rejected.
import {Verdict} from './config.js';
import {t, state, $, queue, rejected} from './state.js';
import {formatMoney, formatTime, formatDate, zone, categoryName} from
    './format.js';
import {acknowledgeRejected, renderRejected} from './rejected.js';

export function renderOccupancy() {
    var occupancy = state.occupancy;
    $('occupancy-inside').textContent = occupancy
        ? String(occupancy.inside) : '—';
    var capacity = occupancy && occupancy.site
        && occupancy.site.capacity;
    $('occupancy-capacity').textContent = capacity
        ? t('occupancy_capacity', {capacity: capacity}) : '';
    var list = $('occupancy-categories');
    list.textContent = '';
    ((occupancy && occupancy.by_category) || []).forEach(
        function (category) {
            var item = document.createElement('li');
            item.setAttribute('data-code', category.code || '');
            item.appendChild(document.createTextNode(
                (category.name || category.code || '—') + ' '));
            var count = document.createElement('b');
            count.textContent = String(category.count);
            item.appendChild(count);
            list.appendChild(item);
        });
    $('occupancy-stale').hidden = state.online || !occupancy;
}

function passageRow(entry) {
    var passage = entry.passage;
    var row = document.createElement('li');
    var verdict = passage.verdict || passage.device_verdict || '';
    row.className = 'passage ' + entry.status + (verdict
        ? ' ' + verdict : '');
    row.setAttribute('data-uuid', passage.uuid || '');
    row.setAttribute('data-status', entry.status);
    row.setAttribute('data-verdict', verdict);
    if (entry.status === 'rejected') {
        row.setAttribute('data-exported', String(Boolean(
            entry.exportedAt)));
    }

    var time = document.createElement('span');
    time.className = 'passage-time';
    var when = passage.timestamp || passage.device_time;
    time.textContent = formatTime(when);
    // a rejected passage stays beyond its day: its date with it
    var day = when && !isNaN(new Date(when).getTime())
        ? Verdict.localParts(new Date(when), zone()).date : null;
    if (day && day !== Verdict.localParts(new Date(), zone()).date) {
        time.textContent = formatDate(when) + ' ' + time.textContent;
    }
    row.appendChild(time);

    var main = document.createElement('span');
    main.className = 'passage-main';
    var id = document.createElement('span');
    id.className = 'passage-id';
    id.dir = 'ltr';
    id.textContent = passage.plate || passage.badge || passage.cin || '—';
    main.appendChild(id);
    var name = passage.name || '';
    var category = passage.category_name
        || categoryName(passage.category) || '';
    if (name || category) {
        main.appendChild(document.createTextNode(' · '
            + [name, category].filter(Boolean).join(' · ')));
    }
    row.appendChild(main);

    var dir = document.createElement('span');
    dir.className = 'passage-dir';
    dir.textContent = passage.direction === 'out' ? t('dir_out')
        : t('dir_in');
    row.appendChild(dir);

    var reason = document.createElement('span');
    reason.className = 'passage-reason';
    var verdictWord = document.createElement('span');
    verdictWord.className = 'passage-verdict';
    verdictWord.textContent = verdict ? t(verdict) : '';
    reason.appendChild(verdictWord);
    var reasonLabel = passage.reason_text
        || (passage.reason ? t('reason_' + passage.reason) : '');
    var texts = [];
    if (reasonLabel) {
        texts.push(reasonLabel);
    }
    if (Number(passage.fee || 0) > 0) {
        texts.push(formatMoney(passage.fee));
    }
    if (texts.length) {
        reason.appendChild(document.createTextNode(
            (verdict ? ' — ' : '') + texts.join(' · ')));
    }
    if (verdict || texts.length) {
        row.appendChild(reason);
    }

    if (entry.status !== 'done' || passage.offline) {
        var status = document.createElement('span');
        status.className = 'passage-status';
        if (entry.status === 'pending') {
            status.textContent = t('status_pending');
        } else if (entry.status === 'rejected') {
            status.textContent = '⚠ ' + t('label_value', {
                label: t('status_rejected'), value: entry.message})
                + (entry.exportedAt ? ' · ' + t('exported_at', {
                    time: formatTime(entry.exportedAt)}) : '');
            var ack = document.createElement('button');
            ack.type = 'button';
            ack.className = 'btn acknowledge';
            ack.textContent = t('acknowledge');
            ack.addEventListener('click', function () {
                acknowledgeRejected(passage.uuid);
            });
            status.appendChild(ack);
        } else {
            status.textContent = t('status_offline');
        }
        row.appendChild(status);
    }
    return row;
}

export function renderPassages() {
    var seen = {};
    var entries = [];
    var today = Verdict.localParts(new Date(), zone()).date;
    state.passages.forEach(function (passage) {
        // the copy kept offline may be of another day
        var time = passage.timestamp || passage.device_time;
        if (time && Verdict.localParts(new Date(time), zone()).date
                !== today) {
            return;
        }
        seen[passage.uuid] = true;
        entries.push({passage: passage, status: 'done',
            time: passage.timestamp || passage.device_time || ''});
    });
    queue().forEach(function (item) {
        if (!seen[item.payload.uuid]) {
            seen[item.payload.uuid] = true;
            entries.push({
                passage: Object.assign({}, item.shown || {},
                    item.payload),
                status: 'pending', time: item.payload.device_time});
        }
    });
    // rejected ones of any day: until exported or acknowledged
    rejected().forEach(function (item) {
        if (!seen[item.payload.uuid]) {
            seen[item.payload.uuid] = true;
            entries.push({
                passage: Object.assign({}, item.shown || {},
                    item.payload),
                status: 'rejected', message: item.message,
                exportedAt: item.exported_at || null,
                time: item.payload.device_time});
        }
    });
    entries.sort(function (a, b) {
        var ta = Date.parse(a.time) || 0;
        var tb = Date.parse(b.time) || 0;
        return tb - ta;
    });
    var list = $('passages');
    list.textContent = '';
    entries.forEach(function (entry) {
        list.appendChild(passageRow(entry));
    });
    $('passages-empty').hidden = entries.length > 0;
    $('passages-updated').textContent = state.passagesAt
        ? t('updated_at', {time: formatTime(state.passagesAt)}) : '';
    renderRejected();
}
