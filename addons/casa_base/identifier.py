# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""One normalisation and validation of the identifiers of the product:
plates, badges, CIN, ICE, IF, RC, CNSS, TP and RIB.

- ``normalise_identifier`` gives the key under which a plate, a badge or a
  CIN is matched, whatever the way it is typed: ``12345-أ-6``,
  ``12345 | A | 6`` and ``12345a6`` all give ``12345A6`` (Arabic plate
  letters and Arabic-Indic digits are read as Latin).  The kiosk's offline
  mode does the same in ``casa_access/static/normalise.js``: keep the two in
  step.
- ``recognise(value, kind)`` tells whether what is typed at a gate is a
  plate, a badge or a CIN, whatever the field it was typed in (the kiosk
  does the same in ``casa_access/static/normalise.js``).
- ``compact(kind, code)`` and ``is_valid(kind, code)`` for the Moroccan
  identifiers (``ma_vat`` is the ICE, Tryton's "Moroccan Tax Number").
"""
import re
import unicodedata

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ma import ice as stdnum_ice

_DIGITS = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
_LETTERS = {
    'ا': 'A', 'أ': 'A', 'إ': 'A', 'آ': 'A',
    'ب': 'B',
    'د': 'D',
    'ه': 'H', 'ة': 'H',
    'و': 'W',
    'ط': 'T',
    'ج': 'J',
    'م': 'M',
    'ش': 'CH',
    'ـ': '',
    }
_TABLE = str.maketrans({**_DIGITS, **_LETTERS})
_DROP = re.compile(r'[^A-Z0-9]')


def normalise_identifier(value):
    """Return the key under which a plate, badge or CIN is matched, or None
    when nothing is left"""
    if not value:
        return None
    value = unicodedata.normalize('NFKC', value).upper()
    value = value.translate(_TABLE)
    value = _DROP.sub('', value)
    return value or None


# what a gatekeeper types, read by recognise(): upper case, Arabic-Indic
# digits as Latin, spaces around dashes dropped, other spaces single
_PLATE_LETTERS = ''.join(k for k in _LETTERS if k != 'ـ')
# a Moroccan plate: digits, its (Arabic) letter, digits; or a temporary WW
_PLATE = re.compile(
    r'^\d{1,6} ?[-|/]? ?(?:[A-Z]{1,2}|[%s]ـ?) ?[-|/]? ?\d{1,3}$|^WW[ -]?\d'
    % _PLATE_LETTERS)
_ARABIC_LETTER = re.compile('[%s]' % _PLATE_LETTERS)
# a badge of the units: letters, a dash, digits (B-0042, M-0007)
_BADGE = re.compile(r'^[A-Z]{1,3}-\d{1,8}$')
# a CIN: one or two letters then up to 6 digits (BE123456, BE 123456)
_CIN = re.compile(r'^[A-Z]{1,2} ?\d{1,6}$')
IDENTIFIER_KINDS = ('plate', 'badge', 'cin')


def _typed(value):
    value = unicodedata.normalize('NFKC', value or '').upper()
    value = value.translate(str.maketrans(_DIGITS)).strip()
    value = re.sub(r'\s+', ' ', value)
    return re.sub(r' ?- ?', '-', value)


def recognise(value, kind='plate'):
    """The kind of identifier ('plate', 'badge' or 'cin') of the text typed
    at a gate in the field of the kind: a plate with its Arabic letter or
    of the form digits-letter-digits (or a temporary WW plate) is a plate,
    letters-dash-digits (B-0042) a badge, one or two letters and up to 6
    digits (BE 123456) a CIN -- except in the badge field, where it is a
    badge typed without its dash (B0042); anything else is of the kind of
    the field."""
    if kind not in IDENTIFIER_KINDS:
        kind = 'plate'
    text = _typed(value)
    if not text:
        return kind
    if _ARABIC_LETTER.search(text) or _PLATE.match(text):
        return 'plate'
    if _BADGE.match(text):
        return 'badge'
    if _CIN.match(text) and kind != 'badge':
        return 'cin'
    return kind


def recognise_identifiers(identifiers):
    """{kind: value} of the identifiers given {field: value}, each under
    the kind recognise() tells; one recognised as a kind given too stays in
    its field"""
    moved = {f: recognise(v, f) for f, v in identifiers.items()}
    result = {f: v for f, v in identifiers.items() if moved[f] == f}
    for field, value in identifiers.items():
        kind = moved[field]
        if kind != field:
            result[kind if kind not in result else field] = value
    return result


# the format of each Moroccan identifier, after compaction
FORMATS = {
    'ma_if': re.compile(r'^\d{7,8}$'),
    'ma_rc': re.compile(r'^\d{1,7}$'),
    'ma_cnss': re.compile(r'^(\d{7}|\d{9})$'),
    'ma_tp': re.compile(r'^\d{8}$'),
    'ma_cin': re.compile(r'^[A-Z]{1,2}\d{1,6}$'),
    'ma_rib': re.compile(r'^\d{24}$'),
    }
KINDS = ['ma_vat'] + list(FORMATS)


def compact(kind, code):
    """The identifier without spaces, dots, dashes, slashes nor bars, in
    upper case, Arabic-Indic digits read as Latin"""
    if kind in ('ma_cin', 'plate', 'badge'):
        return normalise_identifier(code) or ''
    code = unicodedata.normalize('NFKC', code or '').translate(_TABLE)
    code = re.sub(r'[\s.\-/|_]', '', code).upper()
    if kind == 'ma_vat':
        return stdnum_ice.compact(code)
    return code


def rib_key(bank, city, account):
    "The 2-digit key of a Moroccan RIB (97 - 100 × number mod 97)"
    return '%02d' % (97 - (int(bank + city + account) * 100) % 97)


def is_valid(kind, code):
    "Tell whether the identifier of the kind is valid"
    code = compact(kind, code)
    if kind == 'ma_vat':
        try:
            stdnum_ice.validate(code)
        except StdnumError:
            return False
        return True
    if not FORMATS[kind].match(code):
        return False
    if kind == 'ma_rib':
        return rib_key(code[:3], code[3:6], code[6:22]) == code[22:]
    return True
