"""Who is at the keyboard: the name that history lines, referrals, follow-ups and rewards record.

One name per process, as the clock is one per process: ``crm --user NAME`` sets it,
the desktop app takes the operating system's login, and everything the services
write in that process is stamped with it (``created_by``, ``changed_by``).
"""

from __future__ import annotations

import getpass

from crm.core.errors import ValidationError
from crm.i18n import _

# As long as the columns that store it.
MAX_LENGTH = 64

_current: str | None = None


def os_login() -> str:
    """The operating system's login name ("" when it cannot be told)."""
    try:
        return clean(getpass.getuser())
    except Exception:  # no login name in the environment, or an odd one
        return ""


def clean(name: str) -> str:
    """A user name as stored: one line, trimmed, at most 64 characters; refused otherwise."""
    text = " ".join(str(name).split())
    if not text:
        raise ValidationError(_("A user name cannot be empty"), "user")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("A user name has at most {n} characters, not {length}").format(
                n=MAX_LENGTH, length=len(text)
            ),
            "user",
        )
    if not text.isprintable():
        raise ValidationError(_("A user name cannot hold control characters"), "user")
    return text


def current() -> str:
    """Who this process works for: the name set with :func:`set_current`, else the OS login."""
    global _current
    if _current is None:
        _current = os_login()
    return _current


def set_current(name: str | None) -> str:
    """Work as ``name`` from now on (None: the OS login again); returns the name as stored."""
    global _current
    _current = clean(name) if name is not None else os_login()
    return _current


def known_users() -> list[str]:
    """Everyone who has made, changed or been given something here, and this user; sorted.

    What the "Assigned to" field offers to complete.
    """
    from crm.core import models

    names: set[str] = {current()} - {""}
    f = models.FollowUp
    columns = (
        f.assigned_to,
        f.created_by,
        models.Referral.created_by,
        models.Interaction.created_by,
        models.Contact.changed_by,
    )
    for column in columns:
        query = column.model.select(column).where(column != "").distinct()
        names.update(str(row[0]) for row in models.rows(query))
    return sorted(names, key=str.casefold)
