"""E-mail through a real SMTP server on 127.0.0.1: letters, birthday greetings and vouchers."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from mailpeople import make_people, pending_letter

from crm.core import interactions, mail_items, mail_server, models, settings, vouchers
from crm.core.errors import ValidationError
from crm.documents import mailing

pytest_plugins = ["mailserver"]  # the smtp and memory_keyring fixtures


def pdf_text(part: email.message.EmailMessage, tmp_path: Path | None = None) -> str:
    """The attachment is a PDF pypdf opens; its text as pdftotext reads it (or pypdf's)."""
    assert part.get_content_type() == "application/pdf"
    data = part.get_content()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    if tmp_path is None or shutil.which("pdftotext") is None:
        return "\n".join(p.extract_text() for p in reader.pages)
    path = tmp_path / "attachment.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def by_recipient(handler) -> dict[str, email.message.EmailMessage]:
    return {rcpt[0]: msg for rcpt, msg in handler.received}


def test_a_pending_letter_and_birthday_greetings_arrive_in_each_language(smtp):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    pending_letter(ids["bg"], ids["it"])
    report = mailing.run(mail_items.letter_items() + mail_items.birthday_items(14))
    assert (report["sent"], report["failed"], report["skipped"]) == (7, 0, 0)
    letters = [m for _r, m in smtp.received if "thank-you-letter.pdf" in _files(m)]
    cards = [m for _r, m in smtp.received if "birthday-card.pdf" in _files(m)]
    assert len(letters) == 2 and len(cards) == 5
    greek = next(m for m in letters if m["To"].addresses[0].addr_spec == "giorgos@example.gr")
    assert greek["Subject"] == "Ένα μεγάλο ευχαριστώ για τη σύστασή σας"
    assert greek["From"].addresses[0].addr_spec == "elena@rossi.example"
    body = greek.get_body(("plain",)).get_content()
    assert body.startswith("Αγαπητέ Γιώργο,") and "John Smith" in body
    assert "Elena Rossi\nRossi Consulting" in body
    attached = next(greek.iter_attachments())
    assert "Γιώργος" in pdf_text(attached)
    bulgarian = next(m for m in letters if m["To"].addresses[0].addr_spec == "maria@example.bg")
    assert bulgarian["Subject"] == "Благодаря Ви за препоръката"
    assert bulgarian.get_body(("plain",)).get_content().startswith("Скъпа Мария,")
    arabic = next(m for m in cards if m["To"].addresses[0].addr_spec == "sara@example.ae")
    assert arabic["Subject"] == "كل عام وأنتم بخير، سارة"
    assert arabic["To"].addresses[0].display_name == "سارة المنصوري"
    assert arabic.get_body(("plain",)).get_content().startswith("عزيزتي سارة،")
    assert arabic["Content-Language"] == "ar"
    pdf_text(next(arabic.iter_attachments()))
    greek_card = next(m for m in cards if m["To"].addresses[0].addr_spec == "giorgos@example.gr")
    assert greek_card["Subject"] == "Χρόνια πολλά, Γιώργο!"
    # Logged in the history with the message key; the letter's reward is given.
    sent = [i for i in interactions.history(ids["el"]) if i.kind == "email_sent"]
    assert {i.message_key for i in sent} == {"letter:1", "birthday:1:2026-12-08"}
    assert models.Reward.get(models.Reward.contact == ids["el"]).status == "given"
    assert mail_items.letter_items() == []


def _files(msg) -> list[str]:
    return [a.get_filename() for a in msg.iter_attachments()]


def test_a_refusal_from_the_server_is_reported_per_recipient_and_resume_does_not_resend(smtp):
    ids = make_people()
    smtp.refuse = {"maria@example.bg"}
    first = mailing.run(mail_items.birthday_items(14))
    failed = [r for r in first["results"] if r["status"] == "failed"]
    assert [r["email"] for r in failed] == ["maria@example.bg"]
    assert failed[0]["reason"] == "550 5.1.1 Mailbox unavailable: no such user here"
    assert first["sent"] == 4 and len(smtp.received) == 4
    assert not [i for i in interactions.history(ids["bg"]) if i.kind == "email_sent"]
    smtp.refuse = set()
    again = mailing.run(mail_items.birthday_items(14))
    assert again["sent"] == 1 and again["skipped"] == 4
    assert {r["reason"] for r in again["results"] if r["status"] == "skipped"} == {"already_sent"}
    assert len(smtp.received) == 5
    assert smtp.received[-1][0] == ["maria@example.bg"]


def test_people_without_consent_or_address_are_skipped(smtp):
    ids = make_people(consent=False)
    models.Contact.update(marketing_consent=True).where(
        models.Contact.id.in_([ids["it"], ids["en"]])
    ).execute()
    models.Contact.update(email="").where(models.Contact.id == ids["en"]).execute()
    report = mailing.run(mail_items.birthday_items(14))
    reasons = {r["name"]: (r["status"], r["reason"]) for r in report["results"]}
    assert reasons["Giulia Bianchi"] == ("sent", "")
    assert reasons["John Smith"] == ("skipped", "no_email")
    assert reasons["Γιώργος Παπαδόπουλος"] == ("skipped", "no_consent")
    assert [r[0] for r, _m in [(x, 0) for x in smtp.received]] == [["giulia@example.it"]]
    overridden = mail_items.birthday_items(14, allow_without_consent=True)
    assert sum(1 for i in overridden if i["skip"] is None) == 3


def test_one_letter_without_consent_is_refused_and_nothing_changes(smtp, unchanged):
    ids = make_people(consent=False)
    referral = pending_letter(ids["el"], ids["en"])
    with unchanged(), pytest.raises(ValidationError, match="No marketing consent from"):
        mail_items.letter_items(referral)
    assert smtp.received == []


def test_drafts_are_parseable_eml_files(store, tmp_path):
    ids = make_people()
    pending_letter(ids["ar"], ids["en"])
    report = mailing.run(mail_items.letter_items(), drafts=tmp_path / "drafts")
    assert report["sent"] == 1
    (path,) = (tmp_path / "drafts").glob("*.eml")
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == "sara@example.ae"
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "شكراً لتعريفي بـJohn Smith"
    text = pdf_text(next(msg.iter_attachments()), tmp_path)
    # Arabic is drawn in visual order: pdftotext may give the words back either way.
    assert "سارة" in text or "سارة"[::-1] in text
    line = next(i for i in interactions.history(ids["ar"]) if i.kind == "email_sent")
    assert "draft" in line.summary and line.message_key == "letter:1"


def test_a_dry_run_sends_and_changes_nothing(smtp, unchanged):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    with unchanged():
        report = mailing.run(mail_items.letter_items(), dry_run=True)
    assert report["would_send"] == 1 and report["sent"] == 0
    assert smtp.received == []


def test_vouchers_go_to_their_holders_with_the_voucher_attached(smtp):
    ids = make_people()
    vouchers.issue([ids["el"], ids["bg"]], value=30, batch="Winter", expires=dt.date(2027, 3, 31))
    report = mailing.run(mail_items.voucher_items("Winter"))
    assert report["sent"] == 2
    greek = by_recipient(smtp)["giorgos@example.gr"]
    assert greek["Subject"] == "Μια δωροεπιταγή για να τη χαρίσετε σε έναν φίλο"
    code = models.Voucher.get(models.Voucher.holder == ids["el"]).code
    body = greek.get_body(("plain",)).get_content()
    assert code in body and "31 Μαρτίου 2027" in body
    (part,) = list(greek.iter_attachments())
    assert part.get_filename() == f"voucher-{code}.pdf"
    assert code in pdf_text(part)
    again = mailing.run(mail_items.voucher_items("Winter"))
    assert again["sent"] == 0 and again["skipped"] == 2


def test_the_password_comes_from_the_keyring_and_a_wrong_one_is_refused(smtp, unchanged):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    assert mail_server.has_password()
    mail_server.set_password("wrong")
    with unchanged(), pytest.raises(ValidationError, match="refused the user name or password"):
        mailing.run(mail_items.letter_items())
    assert smtp.received == []
    # Nothing of the password is in the database.
    assert "wrong" not in str(settings.all_settings())


def test_no_server_set_up_is_refused_with_the_way_forward(store, unchanged):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    with unchanged(), pytest.raises(ValidationError, match="No mail server is set up"):
        mailing.run(mail_items.letter_items())


def test_an_unreachable_server_is_refused(store, memory_keyring, unchanged):
    from mailserver import free_port

    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    settings.set_value("smtp.host", "127.0.0.1")
    settings.set_value("smtp.port", free_port())
    settings.set_value("smtp.security", "none")
    settings.set_value("smtp.from", "elena@rossi.example")
    with unchanged(), pytest.raises(ValidationError, match="Could not connect"):
        mailing.run(mail_items.letter_items())


def test_a_cancelled_batch_keeps_what_was_sent_and_resumes(smtp):
    make_people()
    seen: list[int] = []

    def progress(done: int, total: int, text: str) -> bool:
        seen.append(done)
        return done == 2  # cancel after two

    report = mailing.run(mail_items.birthday_items(14), progress=progress)
    assert report["cancelled"] and report["sent"] == 2
    rest = mailing.run(mail_items.birthday_items(14))
    assert rest["sent"] == 3 and rest["skipped"] == 2
    assert len(smtp.received) == 5


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("smtp.security", "tls", "must be one of starttls, ssl, none"),
        ("smtp.port", "0", "between 1 and 65535"),
        ("smtp.from", "not an address", "is not valid"),
        ("smtp.host", "mail example.com", "has spaces"),
    ],
)
def test_bad_mail_settings_are_refused(store, unchanged, key, value, message):
    with unchanged(), pytest.raises(ValidationError, match=message):
        settings.set_value(key, value)


def test_a_birthday_greeting_sent_completes_its_follow_up(smtp):
    from crm.core import followups

    ids = make_people()
    followups.run_daily_rules(force=True)
    mailing.run(mail_items.birthday_items(3))
    still_open = {r["contact_id"] for r in followups.open_followups() if r["kind"] == "birthday"}
    assert ids["el"] not in still_open and ids["bg"] not in still_open
    assert {ids["ar"], ids["it"], ids["en"]} <= still_open
    done = [i for i in interactions.history(ids["el"]) if i.kind == "followup_done"]
    assert [d.summary for d in done] == ["Birthday: Γιώργος Παπαδόπουλος"]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_starttls_and_ssl_servers_take_the_login_and_the_mail(
    store, memory_keyring, tls_files, security
):
    from mailserver import PASSWORD, USER, Handler, tls_server

    handler = Handler()
    controller, port = tls_server(handler, *tls_files, implicit=security == "ssl")
    try:
        ids = make_people()
        pending_letter(ids["it"], ids["en"])
        for key, value in {"smtp.host": "127.0.0.1", "smtp.port": port,
                           "smtp.security": security, "smtp.user": USER,
                           "smtp.from": "elena@rossi.example"}.items():  # fmt: skip
            settings.set_value(key, value)
        mail_server.set_password(PASSWORD)
        report = mailing.run(mail_items.letter_items())
    finally:
        controller.stop()
    assert report["sent"] == 1
    (_rcpt, msg) = handler.received[0]
    assert msg["Subject"] == "Grazie per avermi presentato John Smith"


def test_a_server_without_starttls_is_refused_for_starttls(smtp, unchanged):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    settings.set_value("smtp.security", "starttls")
    with unchanged(), pytest.raises(ValidationError, match="does not offer STARTTLS"):
        mailing.run(mail_items.letter_items())
