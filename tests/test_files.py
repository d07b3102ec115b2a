"""Every writer refuses a target that is not an ordinary file, before changing anything.

Writers rename a finished temporary file onto the target; renaming onto a
device or a pipe would replace the device itself (``crm backup /dev/null`` run
as root once turned /dev/null into a file). A named pipe in the test's folder
stands in for the device here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat

import pytest

from crm.core import backups, clock, contacts, vouchers
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError
from crm.core.files import output_file

MESSAGE = re.escape("is not an ordinary file (a device or a pipe)")


@pytest.fixture
def pipe(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def still_a_pipe(path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


def test_output_file_accepts_new_and_regular_files_and_refuses_the_rest(tmp_path, pipe):
    assert output_file(tmp_path / "new.csv") == tmp_path / "new.csv"
    (tmp_path / "old.csv").write_text("x")
    assert output_file(tmp_path / "old.csv") == tmp_path / "old.csv"
    with pytest.raises(ValidationError, match=MESSAGE):
        output_file(pipe)
    with pytest.raises(ValidationError, match="is a folder"):
        output_file(tmp_path)
    with pytest.raises(ValidationError, match="does not exist"):
        output_file(tmp_path / "nowhere" / "x.csv")


def test_backup_onto_a_pipe_is_refused(store, pipe, unchanged):
    with unchanged(), pytest.raises(ValidationError, match=MESSAGE):
        backups.backup(store, pipe)
    assert still_a_pipe(pipe)


def test_exports_onto_a_pipe_are_refused(store, pipe, unchanged):
    from crm.interchange import exports, ics, vcard

    contacts.create_contact(ContactData(given_name="Άννα", family_name="Αλεξίου"))
    with unchanged():
        for write in (
            exports.export_csv,
            exports.export_referrals_csv,
            ics.export_ics,
            vcard.export,
        ):
            with pytest.raises(ValidationError, match=MESSAGE):
                write(pipe)
    assert still_a_pipe(pipe)


def test_printing_vouchers_onto_a_pipe_is_refused_and_marks_nothing(store, pipe, unchanged):
    from crm.documents import vouchers_pdf

    holder = contacts.create_contact(
        ContactData(
            given_name="Giulia",
            family_name="Rossi",
            marketing_consent=True,
            consent_date=dt.date(2026, 1, 5),
        )
    )
    vouchers.issue(
        [holder.id], value="50", expires=clock.today() + dt.timedelta(days=90), batch="B1"
    )
    with unchanged(), pytest.raises(ValidationError, match=MESSAGE):
        vouchers_pdf.print_batch("B1", pipe)
    assert still_a_pipe(pipe)


# -- files with personal data are their owner's alone -------------------------------


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _people() -> tuple[int, int, int]:
    """A giver (with a postal address and consent), their referral, and an event they attended."""
    from crm.core import events, followups, models, referrals

    giver = contacts.create_contact(
        ContactData(
            given_name="Giulia",
            family_name="Rossi",
            street="Via Roma 1",
            city="Firenze",
            country="IT",
            marketing_consent=True,
            consent_date=dt.date(2026, 1, 5),
        )
    ).id
    referred = contacts.create_contact(ContactData(given_name="Zoë", family_name="Müller")).id
    ref = referrals.record_referral(giver, referred)
    models.Reward.create(contact=giver, referral=ref.id, kind="thank_you_letter")
    followups.create_followup(giver, dt.date(2026, 12, 10), kind="call", title="Call Giulia")
    event = events.create_event("Breakfast", dt.date(2026, 12, 3)).id
    events.attend(event, giver, role="member")
    return giver, ref.id, event


def _write_every_kind(folder) -> list:
    """Every file the app writes about people, written once into ``folder``."""
    from crm.documents import briefing_pdf, letters, vouchers_pdf
    from crm.interchange import exports, ics, person_export, vcard

    giver, referral, event = _people()
    vouchers.issue([giver], value="50", expires=clock.today() + dt.timedelta(days=90), batch="B1")
    exports.export_csv(folder / "contacts.csv")
    exports.export_referrals_csv(folder / "referrals.csv")
    ics.export_ics(folder / "calendar.ics")
    vcard.export(folder / "contacts.vcf")
    letters.thank_you_letter(referral, folder / "letter.pdf")
    vouchers_pdf.print_batch("B1", folder / "vouchers.pdf")
    briefing_pdf.event_briefing_pdf(event, folder / "briefing.pdf")
    written = person_export.export_person(giver, folder / "person")
    return [
        *(
            folder / name
            for name in (
                "contacts.csv",
                "referrals.csv",
                "calendar.ics",
                "contacts.vcf",
                "letter.pdf",
                "vouchers.pdf",
                "briefing.pdf",
            )
        ),
        *written,
    ]


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_file_with_personal_data_is_its_owners_alone_whatever_the_umask(
    store, tmp_path, umask
):
    folder = tmp_path / "out"
    folder.mkdir()
    written = _write_every_kind(folder)
    written.append(backups.backup(store, folder / "copy.sqlite3"))
    written.append(backups.automatic_backup(store, reason="manual"))
    assert len(written) == 11
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: "0o600" for p in written}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_file_replaced_by_an_export_becomes_private_too(store, tmp_path, umask):
    from crm.interchange import exports

    target = tmp_path / "contacts.csv"
    target.write_text("old")
    target.chmod(0o644)
    exports.export_csv(target)
    assert _mode(target) == 0o600
    assert target.read_text(encoding="utf-8-sig").startswith("id,")
