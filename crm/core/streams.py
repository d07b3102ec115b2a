"""Reading many rows without holding them: a cursor that fetches as it is read.

On SQLite a cursor already steps through its rows as they are read. On
PostgreSQL a plain (client-side) cursor receives the whole result at once, so
:func:`cursor` opens a named, server-side one there and fetches it a batch at a
time. A large read runs inside a transaction (:func:`crm.core.db.read_snapshot`):
a server-side cursor lives as long as its transaction, and outside one the
rows come the plain way.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator, Sequence
from typing import Any

BATCH = 2000
_names = itertools.count(1)


@contextlib.contextmanager
def cursor(sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
    """The open cursor of ``sql`` (written with ``?``): iterate it; closed at the end."""
    from peewee import SqliteDatabase

    from crm.core import models, postgres

    database = models.database_proxy.obj
    if isinstance(database, SqliteDatabase) or not database.in_transaction():
        # Outside a transaction PostgreSQL has no server-side cursor: a small read.
        found = database.execute_sql(sql, list(params))
    else:
        # Logged and traced as peewee's own statements are (the tests count them).
        logger = logging.getLogger("peewee")
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug((sql, list(params)))
        trace = getattr(database, "trace", None)
        if trace is not None:
            trace(sql)
        conn = database.connection()
        conn = getattr(conn, "_conn", conn)  # past crm.core.postgres.RawConnection
        found = conn.cursor(name=f"crm_stream_{next(_names)}")
        found.itersize = BATCH
        found.execute(postgres.translate(sql), list(params))
    try:
        yield found
    finally:
        found.close()


def rows(sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` (written with ``?``) as they are read, never all at once."""
    with cursor(sql, params) as found:
        yield from found
