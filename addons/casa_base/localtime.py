# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Local time: the company's (Africa/Casablanca by default).

Timestamps are stored in UTC.  Every "today", every date taken from a
timestamp (a posting date, a period, "today's passages") is the local one:
a shift closed at 00:30 in Casablanca on the 1st is booked on the 1st, not
on the last day of the previous month.

    from trytond.modules.casa_base.localtime import (
        local_today, local_now, local_date, utc_bounds)
"""
import datetime as dt
from zoneinfo import ZoneInfo

from trytond.pool import Pool
from trytond.transaction import Transaction

DEFAULT_TIMEZONE = 'Africa/Casablanca'


def timezone(company=None):
    "The time zone of the company (of the context when not given)"
    if company is None:
        company_id = Transaction().context.get('company')
        if company_id:
            company = Pool().get('company.company')(company_id)
    name = getattr(company, 'timezone', None) or DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local_now(company=None):
    "The local date and time, naive"
    return dt.datetime.now(timezone(company)).replace(tzinfo=None)


def local_today(company=None):
    "The local date"
    return local_now(company).date()


def to_local(timestamp, company=None):
    "The naive local date and time of a naive UTC timestamp"
    if timestamp is None:
        return None
    return timestamp.replace(tzinfo=dt.timezone.utc).astimezone(
        timezone(company)).replace(tzinfo=None)


def local_date(timestamp, company=None):
    "The local date of a naive UTC timestamp"
    local = to_local(timestamp, company)
    return local.date() if local else None


def utc_bounds(date, company=None):
    """The naive UTC timestamps [start, end) of the local date: to select
    the records of a local day"""
    zone = timezone(company)
    start = dt.datetime.combine(date, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(
        date + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return (
        start.astimezone(dt.timezone.utc).replace(tzinfo=None),
        end.astimezone(dt.timezone.utc).replace(tzinfo=None))
