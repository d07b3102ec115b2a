"""Proving a database unchanged: dumps and checksums of every row."""

from __future__ import annotations

import hashlib

from crm.core import db as dbm


def dump(store: dbm.Store) -> str:
    """Every row of every table as SQL text: equal dumps mean an unchanged database."""
    return "\n".join(store.db.connection().iterdump())


def checksum(store: dbm.Store) -> str:
    return hashlib.sha256(dump(store).encode()).hexdigest()
