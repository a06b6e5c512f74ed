// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Normalisation of the identifiers a gate reads (plate, badge, CIN): the
// same algorithm as the server's casa_access.normalise.normalise_identifier
// (doc/api.rst, "Identifiers and normalisation"):
//
//   1. Unicode NFKC, then upper case;
//   2. Arabic-Indic (U+0660-0669) and extended Arabic-Indic (U+06F0-06F9)
//      digits become 0-9;
//   3. the Arabic letters of Moroccan plates become Latin letters
//      (ا أ إ آ → A, ب → B, د → D, ه ة → H, و → W, ط → T, ج → J, م → M,
//      ش → CH); the tatweel ـ is dropped;
//   4. every character other than A-Z and 0-9 is dropped.
//
// "12345-أ-6", "12345 | A | 6" and "12345a6" all give "12345A6"; nothing
// left (or nothing given) gives null, as None on the server.
// No dependency: runs in the browser (window.casaNormalise) and in node
// (module.exports).
(function (root) {
    'use strict';

    var LETTERS = {
        '\u0627': 'A',  // ا alef
        '\u0623': 'A',  // أ alef with hamza above
        '\u0625': 'A',  // إ alef with hamza below
        '\u0622': 'A',  // آ alef with madda above
        '\u0628': 'B',  // ب beh
        '\u062F': 'D',  // د dal
        '\u0647': 'H',  // ه heh
        '\u0629': 'H',  // ة teh marbuta
        '\u0648': 'W',  // و waw
        '\u0637': 'T',  // ط tah
        '\u062C': 'J',  // ج jeem
        '\u0645': 'M',  // م meem
        '\u0634': 'CH', // ش sheen
        '\u0640': ''    // ـ tatweel
    };

    function normaliseIdentifier(value) {
        if (value === null || value === undefined || value === '') {
            return null;
        }
        var text = String(value);
        if (text.normalize) {
            text = text.normalize('NFKC');
        }
        text = text.toUpperCase();
        var result = '';
        for (var i = 0; i < text.length; i++) {
            var ch = text.charAt(i);
            var code = text.charCodeAt(i);
            if (code >= 0x0660 && code <= 0x0669) {
                result += String.fromCharCode(0x30 + code - 0x0660);
            } else if (code >= 0x06F0 && code <= 0x06F9) {
                result += String.fromCharCode(0x30 + code - 0x06F0);
            } else if (Object.prototype.hasOwnProperty.call(LETTERS, ch)) {
                result += LETTERS[ch];
            } else if ((code >= 0x41 && code <= 0x5A)
                    || (code >= 0x30 && code <= 0x39)) {
                result += ch;
            }
            // anything else (spaces, dashes, dots, slashes, |, other
            // scripts, halves of surrogate pairs) is dropped
        }
        return result || null;
    }

    // What a gatekeeper types is a plate, a badge or a CIN whatever the
    // field: the same rules as the server's casa_base.identifier.recognise
    // (keep the two in step):
    //   - a plate with its Arabic letter, or digits-letter-digits
    //     (12345-A-6), or a temporary WW plate: a plate;
    //   - letters, a dash, digits (B-0042): a badge;
    //   - one or two letters then up to 6 digits (BE 123456): a CIN, except
    //     in the badge field (a badge typed without its dash: B0042);
    //   - anything else: of the kind of the field.
    var KINDS = ['plate', 'badge', 'cin'];
    var PLATE_LETTERS = Object.keys(LETTERS).filter(function (letter) {
        return letter !== '\u0640';
    }).join('');
    var PLATE = new RegExp('^\\d{1,6} ?[-|/]? ?(?:[A-Z]{1,2}|['
        + PLATE_LETTERS + ']\u0640?) ?[-|/]? ?\\d{1,3}$|^WW[ -]?\\d');
    var ARABIC_LETTER = new RegExp('[' + PLATE_LETTERS + ']');
    var BADGE = /^[A-Z]{1,3}-\d{1,8}$/;
    var CIN = /^[A-Z]{1,2} ?\d{1,6}$/;

    function typed(value) {
        var text = String(value === null || value === undefined ? ''
            : value);
        if (text.normalize) {
            text = text.normalize('NFKC');
        }
        text = text.toUpperCase().replace(/[\u0660-\u0669]/g, function (d) {
            return String(d.charCodeAt(0) - 0x0660);
        }).replace(/[\u06F0-\u06F9]/g, function (d) {
            return String(d.charCodeAt(0) - 0x06F0);
        });
        // Python's str.strip() and \s: Unicode spaces
        return text.replace(/^\s+|\s+$/g, '').replace(/\s+/g, ' ')
            .replace(/ ?- ?/g, '-');
    }

    function recognise(value, kind) {
        if (KINDS.indexOf(kind) < 0) {
            kind = 'plate';
        }
        var text = typed(value);
        if (!text) {
            return kind;
        }
        if (ARABIC_LETTER.test(text) || PLATE.test(text)) {
            return 'plate';
        }
        if (BADGE.test(text)) {
            return 'badge';
        }
        if (CIN.test(text) && kind !== 'badge') {
            return 'cin';
        }
        return kind;
    }

    var api = {normaliseIdentifier: normaliseIdentifier,
        recognise: recognise};
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = api;
    }
    if (root) {
        root.casaNormalise = api;
    }
}(typeof window !== 'undefined' ? window
    : (typeof globalThis !== 'undefined' ? globalThis : this)));
