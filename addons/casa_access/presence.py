# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Who is inside: the last allowed passage of each person or vehicle at a
site, when it is an entry."""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Max

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction


def inside_query():
    "The last allowed passage of each identity per site, when it is an entry"
    Passage = Pool().get('casa.access.passage')
    passage = Passage.__table__()
    last_passage = Passage.__table__()
    last = last_passage.select(
        Max(last_passage.id).as_('id'),
        where=(last_passage.verdict == 'allowed')
        & (last_passage.identity != Null),
        group_by=[last_passage.site, last_passage.identity])
    return passage.join(last, condition=passage.id == last.id), passage


class Presence(ModelSQL, ModelView):
    "Someone or a vehicle inside a site, and since when"
    __name__ = 'casa.access.presence'
    __string__ = "Presence"
    _business_unit_field = 'business_unit'

    company = fields.Many2One('company.company', "Company", readonly=True)
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True)
    site = fields.Many2One('casa.access.site', "Site", readonly=True)
    gate = fields.Many2One('casa.access.gate', "Entry Gate", readonly=True)
    name = fields.Char("Name", readonly=True)
    plate = fields.Char("Plate", readonly=True)
    badge = fields.Char("Badge", readonly=True)
    cin = fields.Char("CIN", readonly=True)
    category = fields.Many2One(
        'casa.access.category', "Category", readonly=True)
    vehicle_category = fields.Many2One(
        'casa.access.vehicle_category', "Vehicle Category", readonly=True)
    since = fields.Timestamp("Inside Since", readonly=True)
    duration = fields.Function(
        fields.TimeDelta("Duration"), 'get_duration')
    overstay = fields.Function(
        fields.Boolean("Overstay"), 'get_overstay', searcher='search_overstay')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('since', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, passage = inside_query()
        return query.select(
            passage.id.as_('id'),
            passage.create_uid.as_('create_uid'),
            passage.create_date.as_('create_date'),
            passage.company.as_('company'),
            passage.business_unit.as_('business_unit'),
            passage.site.as_('site'),
            passage.gate.as_('gate'),
            passage.name.as_('name'),
            passage.plate.as_('plate'),
            passage.badge.as_('badge'),
            passage.cin.as_('cin'),
            passage.category.as_('category'),
            passage.vehicle_category.as_('vehicle_category'),
            passage.timestamp.as_('since'),
            where=passage.direction == 'in')

    def get_duration(self, name):
        return dt.datetime.now() - self.since

    def get_overstay(self, name):
        if not self.category:
            return False
        threshold = self.category.overstay_threshold(dt.datetime.now())
        return threshold is not None and self.since < threshold

    @classmethod
    def search_overstay(cls, name, clause):
        pool = Pool()
        Category = pool.get('casa.access.category')
        _, operator, value = clause
        now = dt.datetime.now()
        with Transaction().set_context(active_test=False):
            categories = Category.search([('overstay_limit', '!=', None)])
        overstaying = ['OR'] + [[
                ('category', '=', c.id),
                ('since', '<', c.overstay_threshold(now)),
                ] for c in categories]
        if not categories:
            overstaying = [('id', '=', -1)]
        positive = (operator == '=') == bool(value)
        return overstaying if positive else ['NOT', overstaying]


class Occupancy(ModelSQL, ModelView):
    "How many are inside each site, by category"
    __name__ = 'casa.access.occupancy'
    __string__ = "Site Occupancy"
    _business_unit_field = 'business_unit'

    company = fields.Many2One('company.company', "Company", readonly=True)
    business_unit = fields.Many2One(
        'casa.business_unit', "Business Unit", readonly=True)
    site = fields.Many2One('casa.access.site', "Site", readonly=True)
    category = fields.Many2One(
        'casa.access.category', "Category", readonly=True)
    inside = fields.Integer("Inside", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('site', 'ASC'), ('inside', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, passage = inside_query()
        return query.select(
            Max(passage.id).as_('id'),
            Max(passage.create_uid).as_('create_uid'),
            Max(passage.create_date).as_('create_date'),
            passage.company.as_('company'),
            passage.business_unit.as_('business_unit'),
            passage.site.as_('site'),
            passage.category.as_('category'),
            Count(passage.id).as_('inside'),
            where=passage.direction == 'in',
            group_by=[
                passage.company, passage.business_unit, passage.site,
                passage.category])
