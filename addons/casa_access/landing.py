# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The landing of the gatekeepers: their gates, each with the link to the
kiosk.

The kiosk is a page of its own (routes.py), under the database's path.  The
web client does not open it at login (a window the user did not open by a
click is blocked by the browsers), and the landing is a list (a wizard would
keep the menu from showing until closed): the gates of the gatekeeper's
units, the link beside each."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


def kiosk_path(database_name=None):
    "The path of the kiosk page of the database"
    if database_name is None:
        database_name = Transaction().database.name
    return '/%s/casa/access/kiosk' % database_name


class Gate(metaclass=PoolMeta):
    __name__ = 'casa.access.gate'

    kiosk = fields.Function(fields.Char(
            "Kiosk",
            help="The page of the gate kiosk: open it on the tablet or the "
            "phone of the gate, and give the key of the gate once."),
        'get_kiosk')

    def get_kiosk(self, name):
        return kiosk_path()
