# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""``export_data`` and ``copy`` answer like ``read``.

Tryton's ``export_data`` checks the record rules of every record it walks
through by evaluating their domain in Python (``eval_domain``).  Rules with
dotted paths (``sites.business_unit``) or ``where`` clauses (the models
reached through ``__access__``) are then taken as satisfied, and resources
(``ir.attachment``, ``ir.note``) are not checked against their resource at
all: a user could export by id what ``read`` refuses.

Installed once when casa_base is imported, for every model:

- the records given to ``export_data`` are read first (``read`` of their
  ids checks the model access, the rules in SQL and the resources);
- every record the export walks to (Many2One, One2Many…) is checked the same
  way, once per export, instead of the Python evaluation;
- ``copy`` reads the records it copies first (Tryton reads them without
  checking the access, and relies on the rules of the new records).
"""
import contextvars
import operator

from trytond.model import modelstorage
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import EvalEnvironment, ModelStorage
from trytond.transaction import Transaction

# the records already judged by the export running, {(model, id): bool}
_judged = contextvars.ContextVar('casa_export_judged', default=None)
_eval_domain = modelstorage.eval_domain
_export_data = ModelStorage.export_data.__func__
_copy = ModelStorage.copy.__func__


def _readable(Model, record_id):
    "Tell whether the user may read the record, as read would answer"
    try:
        Model.read([record_id], ['id'])
    except AccessError:
        return False
    return True


def eval_domain(domain, context, boolop=operator.and_):
    judged = _judged.get()
    if (judged is None or not isinstance(context, EvalEnvironment)
            or not isinstance(getattr(context._record, 'id', None), int)
            or context._record.id < 0):
        return _eval_domain(domain, context, boolop)
    Model, record_id = context._model, context._record.id
    key = (Model.__name__, record_id)
    if key not in judged:
        judged[key] = _readable(Model, record_id)
    return judged[key]


@classmethod
def export_data(cls, records, fields_names, header=False):
    if Transaction().check_access and records:
        cls.read([r.id for r in records], ['id'])
    token = _judged.set({})
    try:
        return _export_data(cls, records, fields_names, header=header)
    finally:
        _judged.reset(token)


@classmethod
def copy(cls, records, default=None):
    if Transaction().check_access and records:
        cls.read([r.id for r in records], ['id'])
    return _copy(cls, records, default=default)


def install():
    "Route Tryton's export and copy through the checks above (once)"
    if modelstorage.eval_domain is not eval_domain:
        modelstorage.eval_domain = eval_domain
    if ModelStorage.export_data.__func__ is not export_data.__func__:
        ModelStorage.export_data = export_data
    if ModelStorage.copy.__func__ is not copy.__func__:
        ModelStorage.copy = copy
