"""E-mails with their PDF: compose them, and send them through the user's server or as drafts.

Items come from :mod:`crm.core.mail_items`. Each becomes an
:class:`email.message.EmailMessage`: a plain-text body in the contact's language and
the document (thank-you letter, birthday card, voucher) attached as a PDF drawn in
memory. :func:`run` works a batch: it skips what the items say to skip, hands each
other message to a transport (:class:`SmtpTransport` for the server in the settings,
:class:`DraftsTransport` for ``.eml`` files in a folder), records each one sent as it
goes (so a batch stopped half way, cancelled or failed, resumes without sending
twice) and reports per recipient: ``sent``, ``skipped`` (why) or ``failed`` (the
server's answer). A dry run only reports what would be sent.
"""

from __future__ import annotations

import base64
import io
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

from crm.core import letters, mail_items, mail_server
from crm.core.errors import ValidationError
from crm.i18n import _

TIMEOUT = 30
_FILE_NAMES = {"letter": "thank-you-letter", "birthday": "birthday-card", "voucher": "voucher"}


# -- composing --------------------------------------------------------------------------


def attachment(item: Mapping[str, Any]) -> bytes:
    """The item's document as PDF bytes, drawn in memory."""
    buffer = io.BytesIO()
    if item["kind"] == "letter":
        from crm.documents import letters as letter_pdf

        letter_pdf.render(item["document"], buffer)  # type: ignore[arg-type]
    elif item["kind"] == "birthday":
        from crm.documents import birthday_card

        birthday_card.render(item["document"], buffer, layout="postcard")
    else:
        from crm.documents import voucher_words, vouchers_pdf

        voucher = item["document"]
        texts = voucher_words.stored_texts([voucher.get("language") or "en"])
        vouchers_pdf.render([voucher], buffer, per_page=1,
                            sender=voucher_words.Sender.from_profile(), texts=texts)  # fmt: skip
    return buffer.getvalue()


def file_name(item: Mapping[str, Any]) -> str:
    """An ASCII file name for the attachment (mail programs and phones all show it)."""
    extra = f"-{item['code']}" if item.get("code") else ""
    return re.sub(r"[^A-Za-z0-9._-]", "", f"{_FILE_NAMES[item['kind']]}{extra}.pdf")


def compose(item: Mapping[str, Any], sender: tuple[str, str], pdf: bytes) -> EmailMessage:
    """The e-mail for one item: plain-text body, PDF attached; ``sender`` is (name, address)."""
    name, address = sender
    msg = EmailMessage()
    msg["From"] = formataddr((name, address)) if name else address
    # Names and subjects are data: one line each, whatever they hold.
    msg["To"] = formataddr((" ".join(str(item["name"]).split()), str(item["email"])))
    msg["Subject"] = " ".join(str(item["subject"]).split())
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    msg.set_content(str(item["body"]), charset="utf-8")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name(item))
    msg["Content-Language"] = str(item["language"])  # after: set_content drops Content-*
    return msg


def sender_identity() -> tuple[str, str]:
    """(name, address) the e-mails come from: the profile's company or name, the sender."""
    who = letters.sender()
    return str(who["company"] or who["name"] or ""), mail_server.sender_address()


# -- transports ---------------------------------------------------------------------------


class Transport(Protocol):
    drafts: bool

    def send(self, msg: EmailMessage, item: Mapping[str, Any]) -> None: ...

    def close(self) -> None: ...


class SendError(Exception):
    """One message was not accepted; the text is the server's answer."""


def _answer(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


def _login(conn: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with AUTH PLAIN when offered (UTF-8, RFC 4616), else as smtplib chooses."""
    conn.ehlo_or_helo_if_needed()
    offered = conn.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" not in offered:
        if not (user + password).isascii():
            raise ValidationError(code="mailing.mail_server_offers_login", field="smtp.user")
        conn.login(user, password)
        return
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, text = conn.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


class SmtpTransport:
    """The user's mail server, one connection for the batch (reopened if it drops)."""

    drafts = False

    def __init__(self, server: mail_server.Server, password: str) -> None:
        self.server = server
        self.password = password
        self.conn: smtplib.SMTP | None = None
        self.connect()

    def connect(self) -> None:
        srv = self.server
        where = f"{srv.host}:{srv.port}"
        try:
            if srv.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    srv.host, srv.port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(srv.host, srv.port, timeout=TIMEOUT)
                if srv.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if srv.user:
                _login(conn, srv.user, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise ValidationError(
                code="mailing.mail_server_refused_user",
                field="smtp.user",
                where=where,
                answer=_answer(exc.smtp_code, exc.smtp_error),
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise ValidationError(
                code="mailing.mail_server_does_offer", field="smtp.security", where=where
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ValidationError(
                code="mailing.could_connect_mail_server", field="smtp.host", where=where, error=exc
            ) from None
        self.conn = conn

    def send(self, msg: EmailMessage, item: Mapping[str, Any]) -> None:
        if self.conn is None:
            self.connect()
        assert self.conn is not None
        try:
            refused = self.conn.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise SendError(_answer(code, text)) from None
        except smtplib.SMTPResponseException as exc:
            self._reset()
            raise SendError(_answer(exc.smtp_code, exc.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.conn = None  # dropped: the next message connects again
            raise SendError(
                _("The connection to the mail server failed: {error}").format(error=exc)
            ) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise SendError(_answer(code, text))

    def _reset(self) -> None:
        try:
            assert self.conn is not None
            self.conn.rset()
        except (OSError, smtplib.SMTPException):
            self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None


class DraftsTransport:
    """One ``.eml`` file per message in a folder, for the user's own mail program."""

    drafts = True

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        if self.folder.exists() and not self.folder.is_dir():
            raise ValidationError(code="mailing.file_folder", field="drafts", folder=self.folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError(
                code="mailing.drafts_folder_made",
                field="drafts",
                folder=self.folder,
                error=exc.strerror,
            ) from None
        self.written: list[Path] = []

    def send(self, msg: EmailMessage, item: Mapping[str, Any]) -> None:
        msg["X-Unsent"] = "1"  # Outlook and others open it as a message to send
        stem = re.sub(r"[^A-Za-z0-9-]", "-", str(item["key"]))
        path = self.folder / f"{stem}.eml"
        try:
            path.write_bytes(bytes(msg))
        except OSError as exc:
            raise SendError(
                _("Could not write {path}: {error}").format(path=path, error=exc.strerror)
            ) from None
        self.written.append(path)

    def close(self) -> None:
        pass


def open_transport(drafts: str | Path | None) -> Transport:
    """The drafts folder when given, else the mail server in the settings."""
    if drafts is not None:
        return DraftsTransport(drafts)
    srv = mail_server.require_server()
    return SmtpTransport(srv, mail_server.password(srv) if srv.user else "")


# -- a batch -----------------------------------------------------------------------------

Progress = Callable[[int, int, str], Any]


def _result(item: Mapping[str, Any], status: str, reason: str = "") -> dict[str, Any]:
    return {"key": item["key"], "kind": item["kind"], "contact_id": item["contact_id"],
            "name": item["name"], "email": item["email"], "language": item["language"],
            "status": status, "reason": reason}  # fmt: skip


def run(
    items: Sequence[Mapping[str, Any]],
    *,
    drafts: str | Path | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    transport: Transport | None = None,
) -> dict[str, Any]:
    """Send (or write, or with ``dry_run`` only list) these items; the per-recipient report.

    ``progress(done, total, text)`` may return True to stop after the message in hand:
    the report then says ``cancelled`` and lists only what was done.
    """
    results = [_result(i, "skipped", i["skip"]) for i in items if i["skip"] is not None]
    todo = [i for i in items if i["skip"] is None]
    report: dict[str, Any] = {"dry_run": dry_run, "drafts": str(drafts) if drafts else None,
                              "cancelled": False, "results": results}  # fmt: skip
    if dry_run or not todo:
        results.extend(_result(i, "would_send" if dry_run else "sent") for i in todo)
        return _counted(report)
    own = transport is None
    transport = transport or open_transport(drafts)
    identity = sender_identity()
    try:
        for done, item in enumerate(todo):
            if progress is not None and progress(done, len(todo), str(item["name"])):
                report["cancelled"] = True
                break
            try:
                msg = compose(item, identity, attachment(item))
                transport.send(msg, item)
            except SendError as exc:
                results.append(_result(item, "failed", str(exc)))
                continue
            except ValueError as exc:  # an address the e-mail headers cannot carry
                results.append(_result(item, "failed", str(exc)))
                continue
            mail_items.record_sent(item, draft=transport.drafts)
            results.append(_result(item, "sent"))
        else:
            if progress is not None:
                progress(len(todo), len(todo), "")
    finally:
        if own:
            transport.close()
    return _counted(report)


def _counted(report: dict[str, Any]) -> dict[str, Any]:
    for status in ("sent", "skipped", "failed", "would_send"):
        report[status] = sum(1 for r in report["results"] if r["status"] == status)
    return report
