# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The groups of a report or wizard are those of its own actions.

Tryton checks the groups of the action the client names (``action_id`` in
the report's data or the wizard's context) among the actions of the report
or wizard; an action of another report or wizard matches none of them and
its empty set of groups (and of models, for a wizard) let anyone through.
Such an action_id is ignored here: the groups are then those of every action
of the report or wizard."""
from trytond.cache import Cache
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access


class ActionGroupsMixin:
    __slots__ = ()

    @classmethod
    def get_groups(cls, name, action_id=None):
        if action_id and not cls._is_action_of(name, action_id):
            action_id = None
        return super().get_groups(name, action_id=action_id)

    @classmethod
    def _is_action_of(cls, name, action_id):
        "Tell whether action_id is an action of the report or wizard name"
        key = (name, action_id)
        result = cls._action_of_cache.get(key)
        if result is None:
            with without_check_access():
                result = bool(cls.search([
                            (cls._action_name, '=', name),
                            ('id', '=', action_id),
                            ], limit=1))
            cls._action_of_cache.set(key, result)
        return result

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._action_of_cache.clear()


class ActionReport(ActionGroupsMixin, metaclass=PoolMeta):
    __name__ = 'ir.action.report'
    _action_of_cache = Cache(__name__ + '._is_action_of', context=False)


class ActionWizard(ActionGroupsMixin, metaclass=PoolMeta):
    __name__ = 'ir.action.wizard'
    _action_of_cache = Cache(__name__ + '._is_action_of', context=False)

    @classmethod
    def get_models(cls, name, action_id=None):
        if action_id and not cls._is_action_of(name, action_id):
            action_id = None
        return super().get_models(name, action_id=action_id)
