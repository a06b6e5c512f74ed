// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The verdict of a passage computed in the kiosk when the server cannot be
// reached, from the cached copy of GET api/cache: the mirror of the
// server's casa_access.verdict.decide (doc/api.rst).
//
//   1. the presented identifiers are normalised (normalise.js);
//   2. an entry-only gate and direction "out", or an exit-only gate and
//      direction "in": refused, wrong_direction;
//   3. a blacklist entry of the same kind and value whose "until" is null
//      or today or later: refused, blacklisted;
//   4. the authorisations whose plate, badge or cin equals a presented
//      identifier; none: an open site lets in (open_site), otherwise
//      refused, unknown;
//   5. the first of them valid today (valid_from <= today <= valid_to, null
//      bounds open) and inside one of its windows (weekday 0 = Monday or
//      null for every day, local time between start and end inclusive; no
//      window = any time): allowed, authorised; none: refused with the
//      reason of the closest one, as the server ranks them (expired, then
//      not_yet_valid, then outside_hours: the latest wins, the first of
//      equals).
//
// The fee, on the way in only and when allowed: nothing for a category of
// fee_exempt_categories, else the tariff of the authorisation's vehicle
// category or, without one, of the vehicle category chosen at the gate
// (open site: the chosen one); no tariff, nothing.
//
// Dates and times are those of the site: at the UTC offset the server
// tells (utc_offset of api/cache, minutes east of UTC) when it does, else
// in Africa/Casablanca by the browser's time zone data.
// Runs in the browser (window.casaVerdict) and in node (module.exports).
(function (root) {
    'use strict';

    var TIME_ZONE = 'Africa/Casablanca';
    var KINDS = ['plate', 'badge', 'cin'];

    var normalise = (typeof module !== 'undefined' && module.exports
        && typeof require === 'function')
        ? require('./normalise.js').normaliseIdentifier
        : root.casaNormalise.normaliseIdentifier;

    function pad(n) {
        return (n < 10 ? '0' : '') + n;
    }

    function utcParts(date) {
        return {
            date: date.getUTCFullYear() + '-' + pad(date.getUTCMonth() + 1)
                + '-' + pad(date.getUTCDate()),
            weekday: (date.getUTCDay() + 6) % 7,
            time: pad(date.getUTCHours()) + ':' + pad(date.getUTCMinutes())
                + ':' + pad(date.getUTCSeconds())
        };
    }

    // {date: 'YYYY-MM-DD', weekday: 0 (Monday) .. 6, time: 'HH:MM:SS'} of the
    // instant at the site.  zone is {utcOffset: minutes east of UTC, as the
    // server tells it} or {timeZone: name} (the browser's own time zone
    // data, which may be wrong for Morocco: some builds of Chromium put
    // Casablanca at UTC+0 from late 2026), Africa/Casablanca by default
    function localParts(now, zone) {
        now = now || new Date();
        if (typeof zone === 'string') {
            zone = {timeZone: zone};
        }
        zone = zone || {};
        var offset = zone.utcOffset;
        if (offset !== null && offset !== undefined && offset !== ''
                && isFinite(Number(offset))) {
            return utcParts(new Date(now.getTime() + Number(offset) * 60000));
        }
        try {
            var format = new Intl.DateTimeFormat('en-US', {
                timeZone: zone.timeZone || TIME_ZONE,
                year: 'numeric', month: '2-digit', day: '2-digit',
                hour: '2-digit', minute: '2-digit', second: '2-digit',
                weekday: 'short',
                hourCycle: 'h23'
            });
            var parts = {};
            format.formatToParts(now).forEach(function (part) {
                parts[part.type] = part.value;
            });
            var weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
            var hour = parts.hour === '24' ? '00' : parts.hour;
            return {
                date: parts.year + '-' + parts.month + '-' + parts.day,
                weekday: weekdays.indexOf(parts.weekday),
                time: hour + ':' + parts.minute + ':' + parts.second
            };
        } catch (e) {
            // the device's own time
            return utcParts(new Date(now.getTime()
                - now.getTimezoneOffset() * 60000));
        }
    }

    // 'H:MM', 'HH:MM' or 'HH:MM:SS' as 'HH:MM:SS', comparable as strings
    function hhmmss(value) {
        var match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(
            String(value || ''));
        if (!match) {
            return null;
        }
        return pad(parseInt(match[1], 10)) + ':' + match[2] + ':'
            + (match[3] || '00');
    }

    function day(value) {
        // dates of the cache are 'YYYY-MM-DD' (a datetime is cut to its date)
        return value ? String(value).slice(0, 10) : null;
    }

    function validOn(authorisation, today) {
        var from = day(authorisation.valid_from);
        var to = day(authorisation.valid_to);
        if (from && from > today) {
            return 'not_yet_valid';
        }
        if (to && to < today) {
            return 'expired';
        }
        return null;
    }

    function inWindow(authorisation, local) {
        var windows = authorisation.windows || [];
        if (!windows.length) {
            return true;
        }
        return windows.some(function (window_) {
            if (window_.weekday !== null && window_.weekday !== undefined
                    && window_.weekday !== ''
                    && Number(window_.weekday) !== local.weekday) {
                return false;
            }
            var start = hhmmss(window_.start) || '00:00:00';
            var end = hhmmss(window_.end) || '23:59:59';
            return start <= local.time && local.time <= end;
        });
    }

    function money(value) {
        var number = Number(value);
        if (value === null || value === undefined || value === ''
                || isNaN(number)) {
            return '0.00';
        }
        return number.toFixed(2);
    }

    function tariff(cache, vehicleCategory) {
        var amount = '0.00';
        if (vehicleCategory) {
            (cache.tariffs || []).some(function (line) {
                if (line.vehicle_category === vehicleCategory) {
                    amount = money(line.amount);
                    return true;
                }
                return false;
            });
        }
        return amount;
    }

    // the server ranks the refusals of the authorisations: the closest to
    // allowed is told
    var REFUSAL_RANK = ['wrong_site', 'expired', 'not_yet_valid',
        'outside_hours'];

    function who(authorisation) {
        return {
            name: authorisation.name || null,
            category: authorisation.category || null,
            category_name: authorisation.category_name || null,
            plate: authorisation.plate || null,
            badge: authorisation.badge || null
        };
    }

    // the verdict of the passage {plate, badge, cin, vehicle_category,
    // direction} from the cache, at the instant now (a Date, default now):
    // {verdict, reason, who, authorisation, fee, currency, offline: true}
    function decide(cache, passage, now, options) {
        options = options || {};
        cache = cache || {};
        var local = localParts(now, {
            utcOffset: options.utcOffset !== undefined
                ? options.utcOffset : cache.utc_offset,
            timeZone: options.timeZone
        });
        var today = local.date;
        var direction = passage.direction === 'out' ? 'out' : 'in';
        var result = {
            verdict: 'refused', reason: 'unknown', who: null,
            authorisation: null, fee: '0.00',
            currency: options.currency || cache.currency || 'MAD',
            offline: true
        };
        function done(verdict, reason) {
            result.verdict = verdict;
            result.reason = reason;
            return result;
        }

        // 1. normalised identifiers
        var presented = {};
        KINDS.forEach(function (kind) {
            var value = normalise(passage[kind]);
            if (value) {
                presented[kind] = value;
            }
        });

        // 2. direction of the gate
        var gateDirection = cache.gate_direction || options.gateDirection;
        if ((gateDirection === 'entry' && direction === 'out')
                || (gateDirection === 'exit' && direction === 'in')) {
            return done('refused', 'wrong_direction');
        }

        // 3. blacklist
        var blacklisted = (cache.blacklist || []).some(function (entry) {
            return presented[entry.kind] !== undefined
                && presented[entry.kind] === entry.value
                && (!entry.until || day(entry.until) >= today);
        });
        if (blacklisted) {
            return done('refused', 'blacklisted');
        }

        // 4. authorisations of the identifiers
        // in the order of the server: by id
        var matches = (cache.authorisations || []).filter(function (a) {
            return KINDS.some(function (kind) {
                return a[kind] && presented[kind] !== undefined
                    && a[kind] === presented[kind];
            });
        }).sort(function (a, b) {
            return (a.id || 0) - (b.id || 0);
        });
        if (!matches.length) {
            if (cache.admission === 'open') {
                if (direction === 'in') {
                    result.fee = tariff(cache, passage.vehicle_category);
                }
                return done('allowed', 'open_site');
            }
            return done('refused', 'unknown');
        }

        // 5. the first valid now, else the closest
        var best = null;
        var reason = null;
        for (var i = 0; i < matches.length; i++) {
            var authorisation = matches[i];
            var refusal = validOn(authorisation, today)
                || (inWindow(authorisation, local) ? null : 'outside_hours');
            if (!refusal) {
                best = authorisation;
                reason = null;
                break;
            }
            if (best === null || REFUSAL_RANK.indexOf(refusal)
                    > REFUSAL_RANK.indexOf(reason)) {
                best = authorisation;
                reason = refusal;
            }
        }
        result.who = who(best);
        result.authorisation = best.id;
        if (reason) {
            return done('refused', reason);
        }
        var exempt = (cache.fee_exempt_categories || []).indexOf(
            best.category) >= 0;
        if (direction === 'in' && !exempt) {
            result.fee = tariff(cache,
                best.vehicle_category || passage.vehicle_category);
        }
        return done('allowed', 'authorised');
    }

    var api = {
        decide: decide,
        localParts: localParts,
        TIME_ZONE: TIME_ZONE
    };
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = api;
    }
    if (root) {
        root.casaVerdict = api;
    }
}(typeof window !== 'undefined' ? window
    : (typeof globalThis !== 'undefined' ? globalThis : this)));
