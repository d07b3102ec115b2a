"""One clock for every rule that depends on "today".

Everything that asks what day or time it is (due dates, cooldowns, expiry, history
lines, backup stamps) asks here, never ``date.today()`` or ``datetime.now()``, so a
test, a demo or a reproducible screenshot can set the date once for the whole app.

The clock is set either in process (:func:`set_now`) or for a whole process tree with
the ``CRM_NOW`` environment variable (an ISO date or date and time), which is how the
test suite pins the date for the ``crm`` commands it runs. A set clock keeps ticking
from the moment it was set, so timestamps stay ordered and unique.
"""

from __future__ import annotations

import datetime as dt
import os
import time

ENV = "CRM_NOW"

_base: dt.datetime | None = None
_set_at = 0.0


def parse(text: str) -> dt.datetime:
    """An ISO date (taken at 09:00) or date and time, as the clock's start."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(9, 0))
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"{ENV}={text!r} is not an ISO date or date and time") from exc


def set_now(moment: dt.datetime | dt.date | None) -> None:
    """Start the clock at ``moment`` (a date starts at 09:00); ``None`` follows the system."""
    global _base, _set_at
    if moment is not None and not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9, 0))
    _base = moment
    _set_at = time.monotonic()


def is_set() -> bool:
    return _base is not None


def now() -> dt.datetime:
    """The current local time (naive), from the set clock or the system."""
    if _base is None:
        return dt.datetime.now()
    return _base + dt.timedelta(seconds=time.monotonic() - _set_at)


def today() -> dt.date:
    return now().date()


def utcnow() -> dt.datetime:
    """The current time in UTC (aware), for stamps written into files."""
    return now().astimezone(dt.UTC)


def timestamp() -> float:
    """The current time as a POSIX timestamp, for file times set to the app's clock."""
    return now().timestamp()


def _from_environment() -> None:
    text = os.environ.get(ENV, "").strip()
    if text:
        set_now(parse(text))


_from_environment()
