"""What the app writes, told to the others on the same database.

Every write goes through the peewee database, so :func:`track` adds one query
hook there (rather than a line in every service): it sees each INSERT, UPDATE
and DELETE that succeeded and turns its table into a *kind*, the word the
desktop app's pages listen for ("contacts", "referrals", "followups", ...).

- On PostgreSQL the hook sends ``NOTIFY crm_changes, '<kind>:<ids>;<sender>'``
  on the connection that wrote, inside its transaction: the server delivers it
  to the listeners when, and only if, the transaction commits. ``<ids>`` are
  the rows changed by primary key when the statement says so (an UPDATE or
  DELETE of one row; up to MAX_IDS a kind and transaction), empty when
  unknown (an INSERT, a bulk change); each kind is told once a transaction
  once it is "any row". ``<sender>`` names this process (:data:`SENDER`), so
  its own listener skips what it wrote itself.
- On SQLite the kinds this process committed are counted per database, so a
  watcher (:mod:`crm.core.change_watch`) can tell the app's own changes from
  those of a ``crm`` command beside it.

The NOTIFY goes to the driver's cursor directly: it is not one of the
service's queries (peewee's log, and the query counts of the tests, never see it).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peewee import Database

CHANNEL = "crm_changes"
# A change the watcher cannot place: every page re-reads what it shows.
ALL = "all"
# Ids told per kind and transaction; past that the kind alone ("contacts:").
MAX_IDS = 8

TABLE_KINDS = {
    "contact": "contacts",
    "email_address": "contacts",
    "phone_number": "contacts",
    "tag": "contacts",
    "contact_tag": "contacts",
    "interaction": "contacts",
    "merge_record": "contacts",
    "organization": "organizations",
    "event": "events",
    "attendance": "events",
    "referral": "referrals",
    "referral_status_change": "referrals",
    "follow_up": "followups",
    "reward": "rewards",
    "voucher": "vouchers",
    "template": "settings",
    "profile": "settings",
    "setting": "settings",
    "crm_meta": ALL,
}

# Temporary tables (an import's lookup keys) are named so: writing them changes nothing.
TEMPORARY_PREFIX = "tmp_"

_WRITE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+(?:\"?\w+\"?\.)?\"?(\w+)\"?",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"^\s*(\w+)")
# peewee's one-row UPDATE/DELETE ends ``WHERE ("t"."id" = ?)``.
_BY_ID = re.compile(r"WHERE\s+\(\"?\w+\"?\.\"?id\"?\s*=\s*(?:\?|%s)\)\s*$", re.IGNORECASE)


def kind_of_table(table: str) -> str:
    """The kind a table's rows belong to; a table not known here is ``all``."""
    table = table.lower()
    if table.startswith("contact_fts"):
        return "contacts"
    return TABLE_KINDS.get(table, ALL)


@functools.lru_cache(maxsize=512)
def _statement(sql: str) -> tuple[str, bool] | None:
    """The kind a statement writes and whether it names one row by id (None: a read).

    Cached by the SQL text: a bulk write repeats the same statement.
    """
    first = _FIRST_WORD.match(sql)
    verb = first.group(1).upper() if first is not None else ""
    if verb not in ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"):
        return None
    match = _WRITE.search(sql)
    if match is None:
        return None
    if match.group(1).lower().startswith(TEMPORARY_PREFIX):
        return None  # a connection's own temporary table: no one else sees it
    by_id = verb in ("UPDATE", "DELETE") and _BY_ID.search(sql) is not None
    return kind_of_table(match.group(1)), by_id


def classify(sql: str, params: Sequence[Any] | None = ()) -> tuple[str, int | None] | None:
    """The kind and row id a statement writes, or None for a read.

    >>> classify('UPDATE "contact" SET "city" = ? WHERE ("contact"."id" = ?)', ["Rome", 7])
    ('contacts', 7)
    """
    if sql[:1] == "S" and sql.startswith("SELECT"):
        return None  # most statements, at once
    found = _statement(sql)
    if found is None:
        return None
    kind, by_id = found
    ident = None
    if by_id and params:
        last = params[-1]
        if isinstance(last, int) and not isinstance(last, bool):
            ident = last
    return kind, ident


# Who sent a notification: this process, told apart from every other one
# (a server process id could be reused by a colleague's next connection). Random
# bytes as a uuid4's, without importing uuid (and platform) at start-up.
SENDER = os.urandom(6).hex()


def payload(kind: str, ids: Sequence[int] = (), sender: str = "") -> str:
    """``contacts:3,7``, or ``contacts:`` when the rows are not known; ``;sender`` after."""
    text = f"{kind}:{','.join(str(i) for i in ids)}"
    return f"{text};{sender}" if sender else text


def parse_payload(text: str) -> tuple[str, frozenset[int], str]:
    """The kind, ids (none: any row of that kind) and sender ("" if not said) of a notification."""
    body, _, sender = text.partition(";")
    kind, _, rest = body.partition(":")
    ids = frozenset(int(part) for part in rest.split(",") if part.strip().isdigit())
    return (kind.strip() or ALL), ids, sender.strip()


# -- what this process committed -------------------------------------------------------

_own_lock = threading.Lock()
# By database (database_key) and kind.
_own_counts: dict[tuple[str, str], int] = {}


def database_key(name: str) -> str:
    """One name per database, however it was written: a file's real path, or the URL."""
    if "://" in name or name in ("", ":memory:"):
        return name
    return os.path.realpath(name)


def own_counts(key: str) -> dict[str, int]:
    """How many transactions this process committed to a database, per kind (only grows)."""
    with _own_lock:
        return {kind: n for (where, kind), n in _own_counts.items() if where == key}


def _committed(key: str, kinds: set[str]) -> None:
    with _own_lock:
        for kind in kinds:
            _own_counts[key, kind] = _own_counts.get((key, kind), 0) + 1


class _Tracker:
    """The query hook of one database: notes each write; on PostgreSQL, notifies."""

    def __init__(self, database: Database, notify: bool) -> None:
        self.database = database
        self.notify = notify
        self.key = database_key(str(database.database or ""))
        self._local = threading.local()

    def __call__(self, event: Any) -> None:
        if event.exception is not None:
            return
        written = classify(event.sql, event.params)
        if written is None:
            return
        kind, ident = written
        if not self.notify:
            ident = None  # only the kinds are counted here: no ids to tell
        database = self.database
        transactions = getattr(getattr(database, "_state", None), "transactions", None)
        outer = transactions[0] if transactions else None
        local = self._local
        if outer is None:
            # A statement committed on its own.
            self._tell(kind, ident, {})
            _committed(self.key, {kind})
            return
        if getattr(local, "outer", None) is outer:
            if local.told.get(kind, ()) is None:
                return  # this transaction already told "any row" of this kind
        else:
            # The first write of this transaction: counted when it commits (a
            # rollback drops the callback, and the server drops the notifications).
            told: dict[str, set[int] | None] = {}
            local.outer, local.told = outer, told
            key = self.key
            database.after_commit(lambda: _committed(key, set(told)))
        self._tell(kind, ident, local.told)

    def _tell(self, kind: str, ident: int | None, told: dict[str, set[int] | None]) -> None:
        """Notify ``kind`` (and the row) unless this transaction already said so.

        ``told`` maps each kind told in the transaction to its ids, None once
        it was told without ids ("any row").
        """
        if kind in told:
            seen = told[kind]
            if seen is None or (ident is not None and ident in seen):
                return
            if ident is None or len(seen) >= MAX_IDS:
                told[kind] = None
                ident = None
            else:
                seen.add(ident)
        else:
            told[kind] = None if ident is None else {ident}
        if self.notify:
            self._send(payload(kind, [] if ident is None else [ident], SENDER))

    def _send(self, text: str) -> None:
        cursor = self.database.connection().cursor()
        try:
            cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, text))
        finally:
            cursor.close()


def track(database: Database) -> None:
    """Hook ``database`` so its writes are noted (and, on PostgreSQL, notified). Idempotent."""
    hooks = database.query_hooks
    if any(isinstance(hook, _Tracker) for hook in hooks):
        return
    from peewee import PostgresqlDatabase

    hooks.append(_Tracker(database, notify=isinstance(database, PostgresqlDatabase)))
