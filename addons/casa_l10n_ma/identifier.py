# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Moroccan identifiers of companies and persons.

The ICE is Tryton's tax identifier type `ma_vat` ("Moroccan Tax Number")."""
import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ma import ice as stdnum_ice

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import PoolMeta

IDENTIFIER_TYPES = [
    ('ma_if', "Moroccan Tax Identifier (IF)"),
    ('ma_rc', "Moroccan Trade Register Number (RC)"),
    ('ma_cnss', "Moroccan Social Security Number (CNSS)"),
    ('ma_tp', "Moroccan Business Tax Number (TP, patente)"),
    ('ma_cin', "Moroccan National Identity Card (CIN)"),
    ]

# the format of each identifier, after compaction
FORMATS = {
    'ma_if': re.compile(r'^\d{7,8}$'),
    'ma_rc': re.compile(r'^\d{1,7}$'),
    'ma_cnss': re.compile(r'^(\d{7}|\d{9})$'),
    'ma_tp': re.compile(r'^\d{8}$'),
    'ma_cin': re.compile(r'^[A-Z]{1,2}\d{1,6}$'),
    }


def compact(type_, code):
    "Remove spaces, dots, dashes and slashes; upper case"
    code = re.sub(r'[\s.\-/]', '', code or '').upper()
    if type_ == 'ma_vat':
        return stdnum_ice.compact(code)
    return code


def is_valid(type_, code):
    if type_ == 'ma_vat':
        try:
            stdnum_ice.validate(code)
        except StdnumError:
            return False
        return True
    return bool(FORMATS[type_].match(compact(type_, code)))


class Configuration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        known = {k for k, _ in cls.identifier_types.selection}
        cls.identifier_types.selection += [
            t for t in IDENTIFIER_TYPES if t[0] not in known]

    def get_identifier_types(self):
        "The Moroccan identifiers are always available"
        types = super().get_identifier_types()
        present = {k for k, _ in types}
        names = dict(self.fields_get(
                ['identifier_types'])['identifier_types']['selection'])
        for key in ['ma_vat'] + [k for k, _ in IDENTIFIER_TYPES]:
            if key not in present:
                types.append((key, names[key]))
        return types


class Identifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    @classmethod
    def _moroccan_types(cls):
        return {'ma_vat'} | set(FORMATS)

    @fields.depends('type', 'code')
    def on_change_with_code(self):
        if self.type in self._moroccan_types() and self.code:
            return compact(self.type, self.code)
        return super().on_change_with_code()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('type') in cls._moroccan_types() and values.get('code'):
            values['code'] = compact(values['type'], values['code'])
            values['code_compact'] = values['code']
        return values

    @fields.depends('type', 'party', 'code')
    def check_code(self):
        if self.type in self._moroccan_types():
            if not is_valid(self.type, self.code or ''):
                party = (self.party.rec_name
                    if self.party and self.party.id and self.party.id > 0
                    else '')
                raise InvalidIdentifierCode(gettext(
                        'casa_l10n_ma.msg_invalid_%s' % self.type,
                        code=self.code or '', party=party))
            return
        super().check_code()
