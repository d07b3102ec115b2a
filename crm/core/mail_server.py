"""The user's mail server: the ``smtp.*`` settings, and its password in the system keyring.

The host, port, security (``starttls``, ``ssl`` or ``none``), user name and sender
address are settings (:mod:`crm.core.settings`). The password is never written to
the database or a file: it goes to the system keyring through the ``keyring``
library, filed under the service ``Passaparola SMTP`` and the name ``user@host``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from crm.core import settings
from crm.core.errors import ValidationError

KEYRING_SERVICE = "Passaparola SMTP"
SECURITIES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str
    user: str
    sender: str

    @property
    def keyring_name(self) -> str:
        return f"{self.user}@{self.host}"


def server() -> Server:
    """The mail server as the settings have it (the host may be empty: not set up)."""
    return Server(
        host=str(settings.get("smtp.host")),
        port=int(settings.get("smtp.port")),
        security=str(settings.get("smtp.security")),
        user=str(settings.get("smtp.user")),
        sender=str(settings.get("smtp.from")),
    )


def sender_address() -> str:
    """The address e-mails come from: ``smtp.from``, else the profile's e-mail."""
    return server().sender or str(settings.profile().email or "")


def require_server() -> Server:
    """The server, refused with a way forward when it is not set up."""
    srv = server()
    if not srv.host:
        raise ValidationError(code="mail_server.mail_server_set_up", field="smtp.host")
    if not sender_address():
        raise ValidationError(code="mail_server.sender_address_set_smtp", field="smtp.from")
    return srv


def keyring_name(srv: Server | None = None) -> str:
    """Where the password is filed (``user@host``); refused while either is not set."""
    srv = srv or server()
    if not srv.host or not srv.user:
        raise ValidationError(code="mail_server.set_mail_server_smtp", field="smtp.user")
    return srv.keyring_name


def set_password(password: str, srv: Server | None = None) -> None:
    """Keep the mail password in the system keyring ("" removes it)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    name = keyring_name(srv)
    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, name, password)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, name)
    except KeyringError as exc:
        raise ValidationError(code="mail_server.keyring_refused", error=exc) from None


def password(srv: Server | None = None) -> str:
    """The mail password from the system keyring ("" when none is kept)."""
    import keyring
    from keyring.errors import KeyringError

    srv = srv or server()
    if not srv.host or not srv.user:
        return ""
    try:
        return keyring.get_password(KEYRING_SERVICE, srv.keyring_name) or ""
    except KeyringError as exc:
        raise ValidationError(code="mail_server.keyring_unreadable", error=exc) from None


def has_password(srv: Server | None = None) -> bool:
    try:
        return bool(password(srv))
    except ValidationError:
        return False
