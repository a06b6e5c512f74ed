# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond import config
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    "The languages of the preferences: the database's first (French)"
    __name__ = 'res.user'

    @classmethod
    def get_preferences_fields_view(cls):
        result = super().get_preferences_fields_view()
        language = result['fields'].get('language')
        if language and language.get('type') == 'selection':
            default = config.get('database', 'language')
            language['selection'] = sorted(language['selection'],
                key=lambda s: (s[0] != default, s[1] or ''))
            # in this order: the client sorts a selection by its labels
            # unless told not to
            language['sort'] = False
        return result
