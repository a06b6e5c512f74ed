# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Normalisation of plates, badges and CIN numbers.

The kiosk's offline mode does exactly the same in ``static/normalise.js``
(see ``doc/api.rst``): keep the two in step.
"""
import re
import unicodedata

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
    """Return the key under which a plate, badge or CIN is matched:
    ``12345-أ-6``, ``12345 | A | 6`` and ``12345a6`` all give ``12345A6``"""
    if not value:
        return None
    value = unicodedata.normalize('NFKC', value).upper()
    value = value.translate(_TABLE)
    value = _DROP.sub('', value)
    return value or None
