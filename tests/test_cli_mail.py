"""``crm mail …`` and ``crm birthdays`` on a temp database, sending to a real local SMTP server."""

from __future__ import annotations

import email
import email.policy

import pypdf
import pytest
from clitools import Crm
from mailpeople import make_people, pending_letter

pytest_plugins = ["mailserver"]  # the smtp and memory_keyring fixtures


@pytest.fixture
def crm(db_path, capsys):
    return Crm(db_path, capsys)


def test_mail_letters_pending_sends_and_reports_per_recipient(smtp, crm):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    pending_letter(ids["it"], ids["en"])
    smtp.refuse = {"giulia@example.it"}
    report = crm.json("mail", "letters", "--pending", "--json")
    status = {r["email"]: (r["status"], r["reason"]) for r in report["results"]}
    assert status["giorgos@example.gr"] == ("sent", "")
    assert status["giulia@example.it"][0] == "failed"
    assert status["giulia@example.it"][1].startswith("550 ")
    assert [rcpt for rcpt, _m in smtp.received] == [["giorgos@example.gr"]]
    smtp.refuse = set()
    code, out, err = crm("mail", "letters", "--pending")
    assert code == 0
    assert "sent       Giulia Bianchi <giulia@example.it>  (thank-you letter" in out
    assert "Giorgos" not in out and "Sent 1, failed 0, skipped 0." in err
    assert len(smtp.received) == 2


def test_mail_letter_refuses_without_consent_and_changes_nothing(smtp, crm):
    ids = make_people(consent=False)
    referral = pending_letter(ids["bg"], ids["en"])
    crm.refused("mail", "letter", "--referral", str(referral), match="No marketing consent from")
    out = crm.ok("mail", "letter", "--referral", str(referral), "--without-consent")
    assert out.startswith("sent       Мария Иванова <maria@example.bg>")
    (_rcpt, msg) = smtp.received[0]
    assert msg["Subject"] == "Благодаря Ви за препоръката"


def test_mail_birthday_dry_run_then_drafts(store, crm, tmp_path):
    make_people()
    before = crm.dump()
    report = crm.json("mail", "birthday", "--due-within", "3", "--dry-run", "--json")
    assert [r["status"] for r in report["results"]] == ["would_send", "would_send"]
    assert crm.dump() == before
    drafts = tmp_path / "drafts"
    crm.ok("mail", "birthday", "--due-within", "3", "--drafts", str(drafts))
    files = sorted(drafts.glob("*.eml"))
    assert [f.name for f in files] == ["birthday-1-2026-12-08.eml", "birthday-2-2026-12-09.eml"]
    msg = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Честит рожден ден, Мария!"
    again = crm.json("mail", "birthday", "--due-within", "3", "--drafts", str(drafts), "--json")
    assert {r["reason"] for r in again["results"]} == {"already_sent"}


def test_mail_refusals(store, crm):
    make_people()
    pending_letter(1, 2)
    crm.refused("mail", "letters", "--pending", match="No mail server is set up")
    crm.refused("mail", "vouchers", "--batch", "Nope", match="No batch named 'Nope'")
    crm.refused("mail", "letter", "--referral", "99", match="No referral with id 99")
    crm.refused("mail", "birthday", "--due-within", "400", match="between 0 and 366")
    crm.refused("mail", "password", match="Set the mail server (smtp.host) and user")
    crm.refused("settings", "set", "smtp.security", "tls", match="starttls, ssl, none")


def test_settings_take_the_mail_server(store, crm):
    crm.ok("settings", "set", "smtp.host", "mail.example.com")
    crm.ok("settings", "set", "smtp.port", "465")
    crm.ok("settings", "set", "smtp.security", "ssl")
    values = crm.json("settings", "list", "--json")
    assert (values["smtp.host"], values["smtp.port"], values["smtp.security"]) == (
        "mail.example.com", 465, "ssl",
    )  # fmt: skip
    assert not any("password" in key for key in values)


def test_birthdays_lists_and_prints_cards(store, crm, tmp_path):
    ids = make_people()
    from crm.core import models

    models.Contact.update(marketing_consent=False).where(models.Contact.id == ids["ar"]).execute()
    out = crm.ok("birthdays", "--within", "7")
    assert out.splitlines()[0].startswith("2026-12-08  #1     Γιώργος Παπαδόπουλος  turns 51")
    assert "(no marketing consent)" in out.splitlines()[2]
    pdf = tmp_path / "cards.pdf"
    result = crm.json("birthdays", "--within", "7", "-o", str(pdf), "--layout", "folded", "--json")
    assert result["cards"]["cards"] == 4 and result["cards"]["pages"] == 8
    assert [s["contact_id"] for s in result["skipped_without_consent"]] == [ids["ar"]]
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Χρόνια πολλά, Γιώργο!" in text and "Скъпа Мария," in text
    assert "in occasione del Suo compleanno" in text and "Dear John," in text
    logged = models.Interaction.select().where(models.Interaction.kind == "card_printed")
    assert sorted(i.contact_id for i in logged) == sorted(
        [ids["el"], ids["bg"], ids["it"], ids["en"]]
    )
    crm.refused("birthdays", "-o", str(tmp_path / "cards.txt"), match="must end in .pdf")


def test_mail_password_goes_to_the_keyring_only(store, memory_keyring, crm, monkeypatch):
    import io

    import keyring

    crm.ok("settings", "set", "smtp.host", "mail.example.com")
    crm.ok("settings", "set", "smtp.user", "elena")
    before = crm.dump()
    monkeypatch.setattr("sys.stdin", io.StringIO("πάσγουορντ-1\n"))
    out = crm.ok("mail", "password")
    assert out == "Stored the password of elena@mail.example.com in the system keyring\n"
    assert keyring.get_password("Passaparola SMTP", "elena@mail.example.com") == "πάσγουορντ-1"
    assert crm.dump() == before  # nothing of it in the database
    crm.ok("mail", "password", "--clear")
    assert keyring.get_password("Passaparola SMTP", "elena@mail.example.com") is None


def test_a_drafts_path_that_is_a_file_is_refused(store, crm, tmp_path):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    afile = tmp_path / "afile"
    afile.write_text("x")
    crm.refused(
        "mail", "letters", "--pending", "--drafts", str(afile), match="is a file, not a folder"
    )


def test_birthdays_mail_sends_the_greetings_it_lists(smtp, crm, tmp_path):
    make_people()
    out = crm.ok("birthdays", "--within", "3", "--mail")
    assert out.count("\nsent       ") + out.startswith("sent") == 2
    assert sorted(r[0][0] for r in smtp.received) == ["giorgos@example.gr", "maria@example.bg"]
    result = crm.json("birthdays", "--within", "3", "--mail", "--json")
    assert {r["reason"] for r in result["mail"]["results"]} == {"already_sent"}


def test_birthdays_mail_without_a_server_is_refused_before_printing(store, crm, tmp_path):
    make_people()
    pdf = tmp_path / "cards.pdf"
    crm.refused("birthdays", "-o", str(pdf), "--mail", match="No mail server is set up")
    assert not pdf.exists()
    crm.refused("birthdays", "--dry-run", match="--drafts and --dry-run go with --mail")
