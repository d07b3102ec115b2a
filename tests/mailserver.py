"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd), and an in-memory keyring."""

from __future__ import annotations

import asyncio
import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend

from crm.core import settings

USER, PASSWORD = "elena", "s3cret-παράθυρο"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this test only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class Handler:
    """Keeps what arrives; answers 550 for the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.delay = 0.0  # seconds before accepting each message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_files(tmp_path, monkeypatch) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 that this test's clients trust (openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # ssl.create_default_context() trusts it
    return cert, key


def tls_server(handler: Handler, cert: str, key: str, *, implicit: bool) -> tuple[Controller, int]:
    """A server speaking STARTTLS, or (``implicit``) TLS from the first byte."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port = free_port()
    tls = {"ssl_context": context} if implicit else {"tls_context": context}
    # aiosmtpd does not count implicit TLS as TLS for auth_require_tls: it would hide AUTH.
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=_authenticate,
        auth_require_tls=not implicit, **tls,
    )  # fmt: skip
    controller.start()
    return controller, port


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def smtp(store, memory_keyring) -> Iterator[Handler]:
    """The server, started for one test, with the settings pointing at it."""
    handler = Handler()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=_authenticate,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    settings.set_value("smtp.host", "127.0.0.1")
    settings.set_value("smtp.port", port)
    settings.set_value("smtp.security", "none")
    settings.set_value("smtp.user", USER)
    settings.set_value("smtp.from", "elena@rossi.example")
    keyring.set_password("Passaparola SMTP", f"{USER}@127.0.0.1", PASSWORD)
    try:
        yield handler
    finally:
        controller.stop()
