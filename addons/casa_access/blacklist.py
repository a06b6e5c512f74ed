# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, Index, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

from .authorisation import KEY_LENGTHS
from .exceptions import AuthorisationError
from .normalise import normalise_identifier


class Blacklist(DeactivableMixin, ModelSQL, ModelView):
    """A person, plate or badge refused at every site of the company, whatever
    their authorisations say"""
    __name__ = 'casa.access.blacklist'
    __string__ = "Blacklist Entry"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    kind = fields.Selection([
            ('plate', "Plate"),
            ('badge', "Badge"),
            ('cin', "CIN"),
            ], "Kind", required=True)
    value = fields.Char("Value", required=True)
    key = fields.Char("Key", readonly=True)
    reason = fields.Char("Reason", required=True)
    until = fields.Date(
        "Until", help="The last day of the ban (empty: until lifted).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.key, Index.Equality(cardinality='high')),
                (t.kind, Index.Equality(cardinality='low'))))
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'value' in values:
            values['key'] = normalise_identifier(values['value'])
        return values

    def get_rec_name(self, name):
        return '%s %s' % (self.value, self.reason)

    @classmethod
    def validate_fields(cls, entries, field_names):
        super().validate_fields(entries, field_names)
        for entry in entries:
            key = normalise_identifier(entry.value) or ''
            low, high = KEY_LENGTHS[entry.kind]
            if not (low <= len(key) <= high):
                raise AuthorisationError(gettext(
                        'casa_access.msg_blacklist_value_invalid',
                        value=entry.value))
