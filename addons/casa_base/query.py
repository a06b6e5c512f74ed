# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Hot queries built once per process.

Building a python-sql query costs more than running a simple one.  A query
whose *shape* is fixed (same tables, same conditions, only other values) is
built once with marks in place of the values; later calls only put the
values in the parameters.  Used on the kiosk's hot path (casa_access)."""
from trytond.transaction import Transaction

_templates = {}


class _Mark:
    "Stands for a value while the query is built"
    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return '<%s>' % self.name


def execute(cursor, shape, build, **values):
    """Execute on the cursor the query that build(**marks) returns for the
    shape (a hashable naming the query and whatever changes its SQL text),
    with the values.  build must use each mark as a plain value (a
    comparison operand, a Literal, an inserted value), never to decide the
    structure of the query: what decides it belongs in the shape."""
    key = (shape, Transaction().database.__class__.__module__)
    template = _templates.get(key)
    if template is None:
        marks = {name: _Mark(name) for name in values}
        sql, params = tuple(build(**marks))
        spec = tuple(
            (p.name, None) if isinstance(p, _Mark) else (None, p)
            for p in params)
        template = _templates[key] = (sql, spec)
    sql, spec = template
    cursor.execute(sql, [
            values[name] if name is not None else constant
            for name, constant in spec])
