"""A team database's address: checked as typed, remembered without its password, tried.

The desktop app's File → Open Team Database… asks for a
``postgresql://user@host/dbname`` address; these say what is wrong with one in
words (before anything connects), write it for a list of recent databases
without the password, and try a connection so a failure is a sentence
(the server down, no such database, a refused user), not a traceback.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from crm.core.db import Target
from crm.core.errors import DatabaseError, ValidationError
from crm.i18n import N_, _

# A team database's address, its parts named in the reader's language when shown
# (_(EXAMPLE): postgresql://χρήστης@διακομιστής/βάση).
EXAMPLE = N_("postgresql://user@host/dbname")
SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT = 5


def check_url(text: str) -> str:
    """The address, trimmed; a ValidationError (field ``url``) says what is wrong."""
    url = text.strip()
    if not url:
        raise ValidationError(code="team_db.type_address_team_database", field="url")
    if re.search(r"\s", url):
        raise ValidationError(code="team_db.address_contain_spaces", field="url")
    scheme, sep, _rest = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise ValidationError(code="team_db.team_database_address_starts", field="url")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raw = parts.netloc.rpartition(":")[2]
        raise ValidationError(code="team_db.port_after_server_s_2", field="url", raw=raw) from None
    if port is not None and not 0 < port < 65536:
        raise ValidationError(code="team_db.port_after_server_s", field="url", port=port)
    if not parts.hostname:
        raise ValidationError(code="team_db.address_names_server_after", field="url")
    name = parts.path.strip("/")
    if not name:
        raise ValidationError(code="team_db.address_names_database_add", field="url")
    if "/" in name:
        raise ValidationError(code="team_db.address_names_database_after", field="url", name=name)
    return url


def without_password(url: str) -> str:
    """The address as remembered and shown: the same, minus any password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def remembered(target: Target) -> str:
    """How a database goes in the list of recent ones: a file's full path, or the address."""
    if target.path is not None:
        return str(target.path.expanduser().resolve())
    return without_password(target.url)


def _explain(message: str, url: str) -> DatabaseError:
    """The driver's message, as a refusal in a sentence for the user."""
    parts = urlsplit(url)
    where = parts.hostname or _("the server")
    if parts.port:
        where += f":{parts.port}"
    name = parts.path.strip("/")
    user = parts.username or ""
    lowered = message.lower()
    if "connection refused" in lowered or "no route to host" in lowered:
        return DatabaseError(code="team_db.no_server_answers", where=where)
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return DatabaseError(code="team_db.no_such_host", host=parts.hostname)
    if "timeout expired" in lowered or "timed out" in lowered:
        return DatabaseError(code="team_db.timed_out", where=where, seconds=CONNECT_TIMEOUT)
    if "database" in lowered and "does not exist" in lowered:
        return DatabaseError(code="team_db.no_such_database", where=where, name=name)
    if "role" in lowered and "does not exist" in lowered:
        return DatabaseError(code="team_db.no_such_user", where=where, user=user)
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return DatabaseError(code="team_db.password_refused", where=where, user=user)
    if "no pg_hba.conf entry" in lowered:
        return DatabaseError(code="team_db.host_not_allowed", where=where, user=user)
    first = message.strip().splitlines()[0] if message.strip() else _("unknown error")
    return DatabaseError(code="team_db.cannot_connect", where=where, first=first)


def try_connect(url: str) -> None:
    """Connect once and hang up; a DatabaseError says in words why it failed."""
    try:
        import psycopg
    except ImportError as exc:
        raise DatabaseError(code="team_db.team_database_needs_postgresql") from exc
    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error as exc:
        raise _explain(str(exc), url) from None
