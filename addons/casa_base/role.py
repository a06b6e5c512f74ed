# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The landing of each role: the actions its users open at login.

user_role gives a role groups only; a role here also has login actions,
which the users of the role get in their own ``actions`` (the field the
clients read at login), kept in step as user_role keeps the groups: when a
user's roles change, when a role's actions change."""
import datetime as dt

from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta


class Role(metaclass=PoolMeta):
    __name__ = 'res.role'
    actions = fields.Many2Many(
        'res.role-ir.action', 'role', 'action', "Actions",
        help="The actions the users of the role open at login.")


class RoleAction(ModelSQL):
    __name__ = 'res.role-ir.action'
    role = fields.Many2One(
        'res.role', "Role", ondelete='CASCADE', required=True)
    action = fields.Many2One(
        'ir.action', "Action", ondelete='CASCADE', required=True)

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Action = pool.get('ir.action')
        values = super().preprocess_values(mode, values)
        if values.get('action') is not None:
            values['action'] = Action.get_action_id(values['action'])
        return values

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        # the users of the roles open the new actions at their next login
        # (the XML of a module adds the links without writing the role)
        users = {u.user for r in records for u in r.role.users}
        if users:
            User.sync_roles(User.browse(users))

    @classmethod
    def on_delete(cls, records):
        pool = Pool()
        User = pool.get('res.user')
        callback = super().on_delete(records)
        users = {u.user for r in records for u in r.role.users}
        if users:
            callback.append(lambda: User.sync_roles(User.browse(users)))
        return callback


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def sync_roles(cls, users=None, date=None, clear=False):
        """Give the users the login actions of their valid roles, in place
        of those of any role they had; the actions they chose themselves
        stay"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        RoleAction = pool.get('res.role-ir.action')
        super().sync_roles(users=users, date=date, clear=clear)

        admin_id = ModelData.get_id('res', 'user_admin')
        if date is None:
            date = dt.datetime.now()
        if users is None:
            users = cls.search([])
        role_actions = {r.action.id for r in RoleAction.search([])}
        to_write = []
        for user in users:
            if user.id == admin_id:
                continue
            if not user.roles and not clear:
                continue
            new = []
            for user_role in user.roles:
                if user_role.valid(date):
                    new.extend(a.id for a in user_role.role.actions
                        if a.id not in new)
            old = [a.id for a in user.actions]
            kept = [a for a in old if a not in role_actions]
            if set(kept + new) != set(old):
                to_write.append([user])
                to_write.append({'actions': [
                            ('remove', list(set(old) - set(kept + new))),
                            ('add', [a for a in new if a not in old]),
                            ]})
        if to_write:
            cls.write(*to_write)
