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
