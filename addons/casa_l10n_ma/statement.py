# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The CPC (Compte de produits et charges) and the Bilan of the CGNC, per
business unit and for the company."""
import os
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Sum

from trytond.model import Model, sum_tree
from trytond.modules.casa_base.unit_lines import unit_lines, unit_profit_lines
from trytond.pool import Pool
from trytond.transaction import Transaction

# the sections of the CPC: (code, type template XML id, sign)
SECTIONS = [
    ('I', 'type_produits_exploitation', 1),
    ('II', 'type_charges_exploitation', -1),
    ('IV', 'type_produits_financiers', 1),
    ('V', 'type_charges_financieres', -1),
    ('VIII', 'type_produits_non_courants', 1),
    ('IX', 'type_charges_non_courantes', -1),
    ('XII', 'type_impots_resultats', -1),
    ]
# the results: (code, terms)
RESULTS = [
    ('III', [('I', 1), ('II', -1)]),
    ('VI', [('IV', 1), ('V', -1)]),
    ('VII', [('III', 1), ('VI', 1)]),
    ('X', [('VIII', 1), ('IX', -1)]),
    ('XI', [('VII', 1), ('X', 1)]),
    ('XIII', [('XI', 1), ('XII', -1)]),
    ]
ORDER = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI',
    'XII', 'XIII']
RESULT_CODES = {code for code, _ in RESULTS}


class CPC(Model):
    "The CPC computed from the posted entries"
    __name__ = 'casa.l10n_ma.cpc'
    __string__ = "CPC"

    @classmethod
    def type_sections(cls, company_id):
        """Return {account type id: (section code, sign)} for the income
        statement types of the company's CGNC chart"""
        pool = Pool()
        Type = pool.get('account.account.type')
        ModelData = pool.get('ir.model.data')
        templates = {
            ModelData.get_id('casa_l10n_ma', xml_id): (code, sign)
            for code, xml_id, sign in SECTIONS}
        types = Type.search([
                ('company', '=', company_id),
                ('statement', '=', 'income'),
                ])
        by_id = {t.id: t for t in types}
        result = {}
        for type_ in types:
            ancestor = type_
            while ancestor:
                if ancestor.template and ancestor.template.id in templates:
                    result[type_.id] = templates[ancestor.template.id]
                    break
                ancestor = by_id.get(ancestor.parent.id) if ancestor.parent \
                    else None
        return result

    @classmethod
    def unit_balances(cls, company_id, start_date, end_date, unit_ids=None):
        """Return {(unit id, account type id): credit - debit} of the profit
        and loss lines of the units in the range (entries of adjustment
        periods, such as the year-end, excluded)"""
        cursor = Transaction().connection.cursor()
        query, where, tables = unit_profit_lines()
        unit, line, move, account = (
            tables[n] for n in ['unit', 'line', 'move', 'account'])
        where &= ((unit.company == company_id)
            & (move.date >= start_date) & (move.date <= end_date))
        if unit_ids is not None:
            where &= unit.id.in_(list(unit_ids) or [-1])
        cursor.execute(*query.select(unit.id, account.type,
                Sum(line.credit - line.debit),
                where=where,
                group_by=[unit.id, account.type]))
        return {(u, t): Decimal(str(b or 0)) for u, t, b in cursor}

    @classmethod
    def company_balances(cls, company_id, start_date, end_date):
        """Return {account type id: credit - debit} of the posted entries of
        the period, whatever their unit"""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        Period = pool.get('account.period')
        move_line = MoveLine.__table__()
        move = Move.__table__()
        account = Account.__table__()
        period = Period.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*move_line
            .join(move, condition=move.id == move_line.move)
            .join(period, condition=period.id == move.period)
            .join(account, condition=account.id == move_line.account)
            .select(account.type,
                Sum(move_line.credit - move_line.debit),
                where=(move.company == company_id)
                & (move.state == 'posted')
                & (period.type == 'standard')
                & (move.date >= start_date) & (move.date <= end_date)
                & (account.type != Null),
                group_by=[account.type]))
        return {t: Decimal(str(b or 0)) for t, b in cursor}

    @classmethod
    def statement(cls, balances, sections, currency):
        """Return the CPC of balances {account type id: credit - debit}:
        {'types': {type id: amount}, 'sections': {code: amount}}, amounts of
        products and charges positive"""
        types = defaultdict(Decimal)
        totals = defaultdict(Decimal)
        for type_id, balance in balances.items():
            if type_id not in sections:
                continue
            code, sign = sections[type_id]
            amount = currency.round(balance * sign)
            types[type_id] += amount
            totals[code] += amount
        for code, terms in RESULTS:
            totals[code] = sum(
                (totals[c] * s for c, s in terms), Decimal(0))
        return {'types': dict(types),
            'sections': {c: totals[c] for c in ORDER}}

    @classmethod
    def compute(cls, company, start_date, end_date, units=None,
            consolidated=True):
        """Return the CPC of each unit and, when consolidated, of the
        company: {unit id or None (company): statement}"""
        sections = cls.type_sections(company.id)
        by_unit = defaultdict(dict)
        for (unit_id, type_id), balance in cls.unit_balances(
                company.id, start_date, end_date,
                [u.id for u in units] if units is not None else None
                ).items():
            by_unit[unit_id][type_id] = balance
        result = {
            unit_id: cls.statement(balances, sections, company.currency)
            for unit_id, balances in by_unit.items()}
        for unit in units or []:
            result.setdefault(
                unit.id, cls.statement({}, sections, company.currency))
        if consolidated:
            result[None] = cls.statement(
                cls.company_balances(company.id, start_date, end_date),
                sections, company.currency)
        return result


class Bilan(Model):
    "The Bilan (balance sheet) of the CGNC from the posted entries"
    __name__ = 'casa.l10n_ma.bilan'
    __string__ = "Bilan"

    @classmethod
    def compute(cls, company, date, unit=None):
        """Return {'actif': [(type, depth, amount)], 'passif': [...],
        'total_actif': amount, 'total_passif': amount} at the date, the
        amounts of both sides positive; of the company or, when given, of
        the unit (the lines distributed to its analytic account and those
        of its entries distributed to no unit)"""
        pool = Pool()
        Type = pool.get('account.account.type')
        ModelData = pool.get('ir.model.data')
        roots = {}
        for side in ['actif', 'passif']:
            template = ModelData.get_id('casa_l10n_ma', 'type_%s' % side)
            roots[side] = Type.search([
                    ('company', '=', company.id),
                    ('template', '=', template),
                    ], limit=1)
        if unit is None:
            with Transaction().set_context(
                    date=date, posted=True, company=company.id):
                types = Type.browse(Type.search([
                            ('company', '=', company.id),
                            ]))
                amounts = {t.id: t.amount for t in types}
        else:
            amounts = cls.unit_amounts(company, date, unit)
        result = {}
        for side in ['actif', 'passif']:
            rows = []
            result['total_%s' % side] = Decimal(0)
            for root in roots[side]:
                cls._walk(root, 0, rows, amounts)
                result['total_%s' % side] = amounts.get(root.id, Decimal(0))
            result[side] = rows
        return result

    @classmethod
    def unit_amounts(cls, company, date, unit):
        """Return {type id: amount} of the unit at the date, as
        account.account.type computes its amount"""
        pool = Pool()
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        FiscalYear = pool.get('account.fiscalyear')
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        source = unit_lines(company.id, [unit.id])
        line = MoveLine.__table__()
        move = Move.__table__()
        period = Period.__table__()
        fiscalyear = FiscalYear.__table__()
        fiscalyears = FiscalYear.search([
                ('company', '=', company.id),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        fiscalyear_id = fiscalyears[0].id if fiscalyears else -1
        cursor = Transaction().connection.cursor()
        cursor.execute(*source
            .join(line, condition=line.id == source.move_line)
            .join(move, condition=move.id == line.move)
            .join(period, condition=period.id == move.period)
            .join(fiscalyear, condition=fiscalyear.id == period.fiscalyear)
            .select(line.account, fiscalyear.id,
                Sum(source.credit - source.debit),
                where=(move.date <= date),
                group_by=[line.account, fiscalyear.id]))
        rows = list(cursor)
        accounts = {a.id: a for a in Account.browse(
                list({r[0] for r in rows}))}
        balances = defaultdict(Decimal)
        for account_id, fy_id, balance in rows:
            if fy_id != fiscalyear_id and not accounts[account_id].deferral:
                continue
            balances[account_id] += Decimal(str(balance or 0))
        values = defaultdict(Decimal)
        for account_id, balance in balances.items():
            account = accounts[account_id]
            if not account.type:
                continue
            if account.debit_type and balance < 0:
                values[account.debit_type.id] += balance
            elif account.credit_type and balance > 0:
                values[account.credit_type.id] += balance
            else:
                values[account.type.id] += balance
        types = Type.search([('company', '=', company.id)])
        result = sum_tree(types, values)
        for type_ in types:
            result[type_.id] = company.currency.round(result[type_.id])
            if type_.statement == 'balance' and type_.assets:
                result[type_.id] *= -1
        return result

    @classmethod
    def type_codes(cls, company):
        """Return {account type id: number} of the lines of the Bilan: the
        CGNC number of the accounts they hold (the class for a mass, 2
        digits for a heading, 3 for an item: 34 Créances de l'actif
        circulant, 342 Clients et comptes rattachés), the longest prefix of
        the codes of the balance sheet accounts of the type and of its
        children — amortisation and provision accounts (28, 29, 39, 59),
        deducted in the line of what they cover, left out — '' when they
        share none"""
        pool = Pool()
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        types = Type.search([('company', '=', company.id)])
        codes = defaultdict(list)
        for account in Account.search([
                    ('company', '=', company.id),
                    ('type', '!=', None),
                    ('code', '!=', None),
                    ]):
            code = account.code
            if code[:1] in {'2', '3', '5'} and code[1:2] in {'8', '9'}:
                continue
            codes[account.type.id].append(code)
        children = defaultdict(list)
        for type_ in types:
            if type_.parent and type_.statement == 'balance':
                children[type_.parent.id].append(type_.id)

        def subtree(type_id):
            result = list(codes[type_id])
            for child in children[type_id]:
                result.extend(subtree(child))
            return result
        return {t.id: os.path.commonprefix(subtree(t.id)) for t in types
            if t.statement == 'balance'}

    @classmethod
    def _walk(cls, type_, depth, rows, amounts):
        rows.append((type_, depth, amounts.get(type_.id, Decimal(0))))
        for child in sorted(type_.childs,
                key=lambda t: (t.sequence or 0, t.name)):
            if child.statement == 'balance':
                cls._walk(child, depth + 1, rows, amounts)
