# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The general ledger (grand livre) and the VAT return (déclaration de TVA)
per business unit and for the company.

The lines of a unit are casa_base's (unit_lines): its profit and loss is the
analytic lines on its analytic account, its balance sheet the lines of its
entries on the other accounts; its VAT the tax lines of its entries.  The
company's figures take every posted line."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum

from trytond.model import Model
from trytond.modules.casa_base.unit_lines import company_lines, unit_lines
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


def _decimal(value):
    return Decimal(str(value or 0))


def period_range(fiscalyear, start_period, end_period):
    """Return (ids of the periods before the range in the fiscal year, ids
    of the periods of the range) as Tryton's general ledger takes them"""
    pool = Pool()
    LedgerAccount = pool.get('account.general_ledger.account')
    with Transaction().set_context(
            fiscalyear=fiscalyear.id,
            start_period=start_period.id if start_period else None,
            end_period=end_period.id if end_period else None,
            from_date=None, to_date=None):
        before = set(LedgerAccount.get_period_ids('start_balance'))
        until = set(LedgerAccount.get_period_ids('end_balance'))
    return sorted(before), sorted(until - before)


class GeneralLedger(Model):
    "The general ledger of the posted entries"
    __name__ = 'casa.l10n_ma.general_ledger'
    __string__ = "General Ledger"

    @classmethod
    def _tables(cls, source):
        pool = Pool()
        tables = {
            'source': source,
            'line': pool.get('account.move.line').__table__(),
            'move': pool.get('account.move').__table__(),
            'period': pool.get('account.period').__table__(),
            'fiscalyear': pool.get('account.fiscalyear').__table__(),
            'account': pool.get('account.account').__table__(),
            }
        s, line, move, period, fiscalyear, account = (
            tables[n] for n in [
                'source', 'line', 'move', 'period', 'fiscalyear',
                'account'])
        query = (s
            .join(line, condition=line.id == s.move_line)
            .join(move, condition=move.id == line.move)
            .join(period, condition=period.id == move.period)
            .join(fiscalyear, condition=fiscalyear.id == period.fiscalyear)
            .join(account, condition=account.id == line.account))
        return query, tables

    @classmethod
    def _account_where(cls, account, from_code, to_code):
        where = Literal(True)
        if from_code:
            where &= account.code >= from_code
        if to_code:
            where &= account.code <= to_code
        return where

    @classmethod
    def compute(cls, company, fiscalyear, start_period, end_period,
            units=None, consolidated=True, from_code=None, to_code=None):
        """Return {unit id or None (company): [account block]}, a block
        being a dict with 'account', 'opening', 'lines', 'debit', 'credit'
        and 'closing'; a line is a dict with 'date', 'journal', 'move',
        'description', 'party', 'debit', 'credit' and 'balance' (running).
        The opening balance is Tryton's: the periods of the fiscal year
        before the range and, for balance sheet accounts, the previous
        years."""
        sources = []
        if units is None or units:
            sources.append(unit_lines(company.id,
                    [u.id for u in units] if units is not None else None))
        if consolidated:
            sources.append(company_lines(company.id))
        before, in_range = period_range(fiscalyear, start_period, end_period)
        openings = defaultdict(Decimal)
        lines = defaultdict(list)
        for source in sources:
            for key, value in cls._openings(company, fiscalyear, before,
                    source, from_code, to_code).items():
                openings[key] += value
            for key, value in cls._lines(company, in_range,
                    source, from_code, to_code).items():
                lines[key].extend(value)
        return cls._blocks(company, units, consolidated, openings, lines)

    @classmethod
    def _openings(cls, company, fiscalyear, before, source, from_code,
            to_code):
        "Return {(unit, account id): opening balance (debit - credit)}"
        pool = Pool()
        Account = pool.get('account.account')
        cursor = Transaction().connection.cursor()
        query, tables = cls._tables(source)
        s, period, fy, account = (
            tables[n] for n in ['source', 'period', 'fiscalyear', 'account'])
        where = cls._account_where(account, from_code, to_code)
        where &= (fy.company == company.id) & (
            ((fy.id == fiscalyear.id) & period.id.in_(before or [-1]))
            | (fy.end_date < fiscalyear.start_date))
        cursor.execute(*query.select(
                s.unit, account.id, fy.id,
                Sum(s.debit - s.credit),
                where=where,
                group_by=[s.unit, account.id, fy.id]))
        rows = list(cursor)
        deferral = {a.id: a.deferral for a in Account.browse(
                list({r[1] for r in rows}))}
        result = defaultdict(Decimal)
        for unit_id, account_id, fiscalyear_id, balance in rows:
            if fiscalyear_id != fiscalyear.id and not deferral[account_id]:
                continue
            result[(unit_id, account_id)] += _decimal(balance)
        return result

    @classmethod
    def _lines(cls, company, in_range, source, from_code, to_code):
        "Return {(unit, account id): [line values]} of the range"
        pool = Pool()
        Journal = pool.get('account.journal')
        Party = pool.get('party.party')
        cursor = Transaction().connection.cursor()
        query, tables = cls._tables(source)
        s, line, move, account = (
            tables[n] for n in ['source', 'line', 'move', 'account'])
        where = cls._account_where(account, from_code, to_code)
        where &= (move.company == company.id) & move.period.in_(
            in_range or [-1])
        cursor.execute(*query.select(
                s.unit, account.id, move.date, move.journal, move.number,
                line.description, move.description, line.party,
                s.debit, s.credit, move.origin, line.id,
                where=where,
                order_by=[move.date, move.number, move.id, line.id]))
        rows = list(cursor)
        journals = {j.id: j for j in Journal.browse(
                list({r[3] for r in rows}))}
        parties = {p.id: p for p in Party.browse(
                list({r[7] for r in rows if r[7]}))}
        origins = cls._origin_names({r[10] for r in rows if r[10]})
        result = defaultdict(list)
        for (unit_id, account_id, date, journal, number, description,
                move_description, party, debit, credit, origin,
                _) in rows:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            result[(unit_id, account_id)].append({
                    'date': date,
                    'journal': journals[journal].rec_name,
                    'move': number or '',
                    'description': (description or move_description
                        or origins.get(origin) or ''),
                    'party': parties[party].rec_name if party else '',
                    'debit': _decimal(debit),
                    'credit': _decimal(credit),
                    })
        return result

    @classmethod
    def _origin_names(cls, origins):
        """Return {'model,id': record name} of the entries' origins (the
        invoice number of an invoice's entry)"""
        pool = Pool()
        by_model = defaultdict(set)
        for origin in origins:
            model, _, id_ = origin.partition(',')
            if id_.lstrip('-').isdigit() and int(id_) >= 0:
                by_model[model].add(int(id_))
        names = {}
        # the names of the origins of lines the ledger shows anyway
        with without_check_access():
            for model, ids in by_model.items():
                try:
                    Model = pool.get(model)
                except KeyError:
                    continue
                # a deleted origin has no name
                for record in Model.search([('id', 'in', list(ids))]):
                    names['%s,%s' % (model, record.id)] = record.rec_name
        return names

    @classmethod
    def _blocks(cls, company, units, consolidated, openings, lines):
        pool = Pool()
        Account = pool.get('account.account')
        currency = company.currency
        accounts = {a.id: a for a in Account.browse(list(
                    {a for _, a in openings} | {a for _, a in lines}))}
        keys = [u.id for u in units or []]
        if units is None:
            keys = sorted({u for u, _ in openings} | {u for u, _ in lines}
                - {None})
        if consolidated:
            keys.append(None)
        result = {}
        for unit_id in keys:
            blocks = []
            account_ids = {a for u, a in openings if u == unit_id} | {
                a for u, a in lines if u == unit_id}
            for account_id in sorted(account_ids,
                    key=lambda a: (accounts[a].code or '', a)):
                opening = currency.round(
                    openings.get((unit_id, account_id), Decimal(0)))
                balance = opening
                block_lines = []
                for values in lines.get((unit_id, account_id), []):
                    values = values.copy()
                    values['debit'] = currency.round(values['debit'])
                    values['credit'] = currency.round(values['credit'])
                    balance += values['debit'] - values['credit']
                    values['balance'] = balance
                    block_lines.append(values)
                if not block_lines and currency.is_zero(opening):
                    continue
                blocks.append({
                        'account': accounts[account_id],
                        'opening': opening,
                        'lines': block_lines,
                        'debit': sum(
                            (l['debit'] for l in block_lines), Decimal(0)),
                        'credit': sum(
                            (l['credit'] for l in block_lines), Decimal(0)),
                        'closing': balance,
                        })
            result[unit_id] = blocks
        return result

    @classmethod
    def totals(cls, blocks):
        "Return the totals (opening, debit, credit, closing) of blocks"
        return tuple(
            sum((b[k] for b in blocks), Decimal(0))
            for k in ['opening', 'debit', 'credit', 'closing'])


# the rows of the VAT return: (key, tax code, kind)
VAT_RATES = ['20', '14', '10', '7']


class VATReturn(Model):
    "The VAT return summary from the tax codes of the CGNC chart"
    __name__ = 'casa.l10n_ma.vat_return'
    __string__ = "VAT Return"

    @classmethod
    def compute(cls, company, period_ids, units=None, consolidated=True):
        """Return {unit id or None (company): summary} of the periods, a
        summary being {'rates': [(rate, base, tax)], 'exempt': base,
        'turnover': base, 'invoiced': tax, 'charges': tax, 'assets': tax,
        'recoverable': tax, 'due': amount, 'credit': amount}"""
        result = {}
        for unit in units or []:
            result[unit.id] = cls._summary(company, period_ids, [unit.id])
        if consolidated:
            result[None] = cls._summary(company, period_ids, None)
        return result

    @classmethod
    def _summary(cls, company, period_ids, unit_ids):
        pool = Pool()
        TaxCode = pool.get('account.tax.code')
        with Transaction().set_context(
                periods=list(period_ids) or [-1], company=company.id,
                _casa_business_units=unit_ids):
            codes = TaxCode.search([('company', '=', company.id)])
            amounts = {c.code: c.amount for c in TaxCode.browse(codes)
                if c.code}

        def amount(code):
            return company.currency.round(amounts.get(code) or Decimal(0))
        due = amount('TVA-DUE')
        return {
            'rates': [(rate, amount('CA-%s' % rate), amount('TVA-F-%s' % rate))
                for rate in VAT_RATES],
            'exempt': amount('CA-EXO'),
            'turnover': amount('CA'),
            'invoiced': amount('TVA-F'),
            'charges': amount('TVA-RC'),
            'assets': amount('TVA-RI'),
            'recoverable': amount('TVA-R'),
            'due': max(due, Decimal(0)),
            'credit': max(-due, Decimal(0)),
            }
