"""peewee without the PostgreSQL driver, until a PostgreSQL database is opened (nor OpenSSL).

``import peewee`` imports psycopg when it is installed (the ``team`` extra),
and psycopg brings libpq, OpenSSL, asyncio and sockets: ~20 MB of resident
memory, a quarter of the desktop app's, for a driver a SQLite file never
uses. :func:`install` makes the next import of peewee skip the drivers;
:func:`enable_postgres` (called when a ``postgresql://`` URL is opened) hands
peewee the driver afterwards, as if it had found it at import.
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

# What peewee tries to import for PostgreSQL (psycopg2cffi, psycopg2, psycopg 3).
_DRIVERS = ("psycopg2cffi", "psycopg2", "psycopg")


# A finder and a loader as the import system asks for them (importlib.abc's base
# classes would import importlib.resources and more at the app's start).
class _WithoutDrivers:
    """Runs peewee's module with the PostgreSQL drivers out of sight."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hidden = [name for name in _DRIVERS if name not in sys.modules]
        # peewee hashes constraint names with hashlib's md5. When it is the first to
        # import hashlib, it gets one without OpenSSL (libcrypto: ~3.4 MB resident),
        # with Python's own md5; whoever imports hashlib next gets the usual one.
        own_hashlib = "hashlib" not in sys.modules and "_hashlib" not in sys.modules
        if own_hashlib:
            hidden.append("_hashlib")
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # "import" raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            for name in hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
            if own_hashlib:
                sys.modules.pop("hashlib", None)


class _Finder:
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "peewee":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("Loader", _WithoutDrivers(spec.loader))
        return spec


_finder = _Finder()


def install() -> None:
    """Import peewee without its PostgreSQL drivers from now on (no effect once it is loaded)."""
    if "peewee" not in sys.modules and _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def enable_postgres() -> None:
    """Give an already imported peewee the psycopg 3 driver it was kept from (if installed)."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    peewee = sys.modules.get("peewee")
    if peewee is None or getattr(peewee, "psycopg", None) is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg = psycopg  # type: ignore[attr-defined]
    peewee.TransactionStatus = TransactionStatus  # type: ignore[attr-defined]
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb  # type: ignore[attr-defined]
    # Set in the class body only when the driver was there at import.
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
