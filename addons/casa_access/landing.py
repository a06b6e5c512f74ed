# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The landing of the gatekeepers: the link to the kiosk of their gates.

The kiosk is a page of its own (routes.py), under the database's path: the
web client cannot open it itself at login (a new window not asked for by a
click is blocked by the browsers), so the gatekeeper lands on a form with
the link, their gates beside it."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateView, Wizard

from .res import APPLICATION


def kiosk_path(database_name=None):
    "The path of the kiosk page of the database"
    if database_name is None:
        database_name = Transaction().database.name
    return '/%s/casa/access/kiosk' % database_name


class KioskStart(ModelView):
    __name__ = 'casa.access.kiosk.start'
    __string__ = "Gate Kiosk"

    url = fields.Char(
        "Kiosk", readonly=True,
        help="The page of the gate kiosk: open it on the tablet or the "
        "phone of the gate, and give the key of the gate once.")
    gates = fields.Text(
        "Gates", readonly=True,
        help="The gates of your kiosk keys.")


class Kiosk(Wizard):
    __name__ = 'casa.access.kiosk'
    start = StateView('casa.access.kiosk.start',
        'casa_access.kiosk_start_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        pool = Pool()
        Application = pool.get('res.user.application')
        user = Transaction().user
        # the keys themselves are the administrators' (their secret key):
        # only the names of the gates are read
        with without_check_access():
            keys = Application.search([
                    ('user', '=', user),
                    ('application', '=', APPLICATION),
                    ('state', '=', 'validated'),
                    ('gate', '!=', None),
                    ])
            gates = sorted({k.gate.rec_name for k in keys})
        return {
            'url': kiosk_path(),
            'gates': '\n'.join(gates),
            }
