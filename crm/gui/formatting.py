"""How the interface shows values: dates, and (later) money, numbers and colours.

One module for every page, so that a date or an amount reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from crm.core import clock


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def qtoday() -> QDate:
    """Today on the app's clock, for date pickers."""
    return qdate(clock.today())
