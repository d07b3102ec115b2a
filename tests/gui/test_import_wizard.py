"""The import wizard: real files from Outlook, LinkedIn and Apple through every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtTest import QTest

from crm.core import contacts, models, settings
from crm.gui import gateway
from crm.gui.views.contacts.model import COL_NAME
from crm.gui.views.data.import_preview import (
    COL_ACTION,
    COL_DETAILS,
    COL_LINE,
    REJECT_BACKGROUND,
    WARN_BACKGROUND,
)
from crm.gui.views.data.import_preview import COL_NAME as PREVIEW_NAME
from crm.gui.views.data.import_wizard import PAGE_COLUMNS, PAGE_FILE, PAGE_PREVIEW, PAGE_REPORT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "interchange"
OUTLOOK_GREEK = FIXTURES / "outlook_greek.csv"  # cp1253, ';', DMY dates
LINKEDIN = FIXTURES / "linkedin_connections.csv"  # a "Notes:" preamble before the header
APPLE = FIXTURES / "apple_contacts.vcf"
# As the contacts table shows them: family name first.
OUTLOOK_NAMES = ["Αλεξίου, Άννα", "Βασιλείου, Άγγελος", "Ιωάννου, Σοφία"]


@pytest.fixture
def greek_profile(store):
    # Outlook writes Greek numbers without +30: the profile's region reads them.
    settings.update_profile(default_region="GR")


def open_wizard(window, qtbot):
    window.menu_actions.import_contacts.trigger()
    wizard = window.import_wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.windowTitle() == "Import Contacts"
    assert wizard.pages.currentIndex() == PAGE_FILE
    assert not wizard.next_button.isEnabled()
    return wizard


def choose(wizard, qtbot, path: Path) -> None:
    """Type the file's path and press Enter, as a user would."""
    wizard.path_edit.clear()
    QTest.keyClicks(wizard.path_edit, str(path))
    QTest.keyClick(wizard.path_edit, Qt.Key.Key_Return)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def preview_rows(wizard) -> list[tuple]:
    model = wizard.preview_model
    return [
        tuple(model.index(r, c).data() for c in (COL_LINE, PREVIEW_NAME, COL_ACTION, COL_DETAILS))
        for r in range(model.rowCount())
    ]


def table_names(window) -> list[str]:
    view = window.show_page("contacts")
    model = view.model
    return sorted(model.index(r, COL_NAME).data() for r in range(model.rowCount()))


def test_outlook_greek_file_through_every_step(window, qtbot, greek_profile, store):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, OUTLOOK_GREEK)
    assert wizard.file_error.text() == ""
    assert wizard.file_info.text() == (
        "A CSV file from Outlook, read as cp1253, columns separated by semicolons. "
        "3 contacts found."
    )
    click(qtbot, wizard.next_button)

    # The columns, with examples decoded from cp1253, and what each is read as.
    assert wizard.pages.currentIndex() == PAGE_COLUMNS
    table = wizard.columns.column_table
    columns = [table.item(r, 0).text() for r in range(table.rowCount())]
    mapped = dict(zip(columns, wizard.columns.mapping(), strict=True))
    assert mapped["First Name"] == "given_name"
    assert mapped["Last Name"] == "family_name"
    assert mapped["Company"] == "organization"
    assert mapped["Title"] == ""  # Mr./Mrs., not the job: Outlook has "Job Title"
    examples = table.item(columns.index("First Name"), 1).text()
    assert examples == "\u2068Άννα\u2069 · \u2068Άγγελος\u2069 · \u2068Σοφία\u2069"
    combo = table.cellWidget(columns.index("Company"), 2)
    assert combo.currentText() == "Organization"
    assert wizard.columns.date_order.currentData() == "DMY"
    click(qtbot, wizard.next_button)

    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    assert wizard.summary.text() == ("3 records: 3 new, 0 to add to, 0 already here, 0 rejected")
    assert [(r[0], r[1], r[2]) for r in preview_rows(wizard)] == [
        (2, "Άννα Αλεξίου", "New contact"),
        (4, "Άγγελος Βασιλείου", "New contact"),
        (5, "Σοφία Ιωάννου", "New contact"),
    ]
    assert contacts.count(include_archived=True) == 0  # the preview wrote nothing
    click(qtbot, wizard.import_button)

    assert wizard.pages.currentIndex() == PAGE_REPORT
    assert wizard.report_text.text() == (
        "New contacts imported: 3\n"
        "Contacts already here that got something new: 0\n"
        "Already here, skipped: 0\n"
        "Rejected: 0"
    )
    assert wizard.close_button.text() == "Close"
    assert table_names(window) == OUTLOOK_NAMES
    anna = models.Contact.get(models.Contact.given_name == "Άννα")
    assert anna.organization.name == "Ερμής Ο.Ε."
    assert anna.city == "Μαρούσι"
    history = [
        i.summary for i in models.Interaction.select().where(models.Interaction.contact == anna)
    ]
    assert "Imported from outlook_greek.csv" in history


def test_importing_the_same_file_again_adds_nobody(window, qtbot, greek_profile, store):
    for attempt in range(2):
        wizard = open_wizard(window, qtbot)
        choose(wizard, qtbot, OUTLOOK_GREEK)
        click(qtbot, wizard.next_button)
        click(qtbot, wizard.next_button)
        if attempt == 0:
            click(qtbot, wizard.import_button)
            click(qtbot, wizard.close_button)
            assert window.import_wizard is None
    assert wizard.summary.text() == "3 records: 0 new, 0 to add to, 3 already here, 0 rejected"
    assert {r[2] for r in preview_rows(wizard)} == {"Already here"}
    assert not wizard.import_button.isEnabled()
    assert wizard.preview_status.text() == "There is nothing new to import from this file."
    assert contacts.count(include_archived=True) == 3
    assert table_names(window) == OUTLOOK_NAMES


def test_a_wrong_encoding_shows_the_error_and_the_right_one_reads(
    window, qtbot, greek_profile, unchanged
):
    wizard = open_wizard(window, qtbot)
    with unchanged():
        wizard.encoding_combo.setCurrentIndex(wizard.encoding_combo.findData("utf-8"))
        choose(wizard, qtbot, OUTLOOK_GREEK)
        # "κα" in the Title column of line 2: 0xEA is κ in cp1253.
        assert wizard.file_error.text() == (
            "line 2, column 2: the byte 0xEA cannot be read as utf-8; "
            "is the file in another encoding?"
        )
        assert wizard.source is None
        assert not wizard.next_button.isEnabled()
        # Choosing the encoding again reads the file again.
        wizard.encoding_combo.setCurrentIndex(wizard.encoding_combo.findData("cp1253"))
        wizard.encoding_combo.activated.emit(wizard.encoding_combo.currentIndex())
    assert wizard.file_error.text() == ""
    assert wizard.file_info.text().startswith("A CSV file from Outlook, read as cp1253")
    assert wizard.next_button.isEnabled()
    assert [r.given_name for r in wizard.source.records] == ["Άννα", "Άγγελος", "Σοφία"]


def test_cancel_during_the_import_leaves_the_database_unchanged(
    window, qtbot, greek_profile, unchanged, monkeypatch
):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, OUTLOOK_GREEK)
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)
    seen = []

    def update(self, done, total, text=""):
        # The user presses Cancel on the progress dialog while the rows are written.
        seen.append((done, total))
        return done > total // 2

    monkeypatch.setattr(gateway.Progress, "update", update)
    with unchanged():
        click(qtbot, wizard.import_button)
    assert any(done > total // 2 for done, total in seen)
    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    assert wizard.preview_status.text() == "Import cancelled: nothing was changed."
    assert wizard.import_button.isEnabled()
    assert contacts.count(include_archived=True) == 0


def test_changing_a_column_and_saving_a_preset(window, qtbot, greek_profile, store):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, OUTLOOK_GREEK)
    click(qtbot, wizard.next_button)
    assert wizard.columns.save_preset("Outlook Ελλάδα")
    assert wizard.columns.preset_combo.currentText() == "Outlook Ελλάδα"
    wizard.columns.set_target("Company", "")  # ignore the company
    wizard.columns.set_target("Job Title", "notes")
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.import_button)
    anna = models.Contact.get(models.Contact.given_name == "Άννα")
    assert anna.organization is None
    assert anna.title == ""
    assert "Υπεύθυνη Λογιστηρίου" in anna.notes
    click(qtbot, wizard.close_button)

    # The preset brings the saved mapping back on another read of the file.
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, OUTLOOK_GREEK)
    click(qtbot, wizard.next_button)
    wizard.columns.set_target("Company", "")
    wizard.columns.apply_preset("Outlook Ελλάδα")
    columns = wizard.columns.layout_read.columns
    assert wizard.columns.mapping()[columns.index("Company")] == "organization"
    assert wizard.columns.columns_error.text() == ""


def test_a_preset_needs_a_name(window, qtbot, store, unchanged):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, OUTLOOK_GREEK)
    click(qtbot, wizard.next_button)
    with unchanged():
        assert not wizard.columns.save_preset("   ")
    assert wizard.columns.columns_error.text() == "A preset needs a name"


def test_linkedin_connections_skip_the_preamble_and_keep_the_url(window, qtbot, store):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, LINKEDIN)
    assert wizard.file_info.text() == (
        "A CSV file from LinkedIn connections, read as utf-8, columns separated by commas. "
        "3 contacts found."
    )
    click(qtbot, wizard.next_button)
    assert wizard.columns.layout_read.header_line == 4
    click(qtbot, wizard.next_button)
    assert [r[0] for r in preview_rows(wizard)] == [5, 6, 7]
    click(qtbot, wizard.import_button)
    luca = models.Contact.get(models.Contact.given_name == "Luca")
    assert luca.url == "https://www.linkedin.com/in/lucabianchi"


def test_a_vcard_goes_straight_to_the_preview_and_marks_rejected_rows(window, qtbot, store):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, APPLE)
    assert wizard.file_info.text().startswith("A vCard file, read as utf-8.")
    click(qtbot, wizard.next_button)
    assert wizard.pages.currentIndex() == PAGE_PREVIEW  # no columns to match in a vCard
    rows = wizard.plan.rows
    model = wizard.preview_model
    for i, row in enumerate(rows):
        background = model.index(i, COL_ACTION).data(Qt.ItemDataRole.BackgroundRole)
        if row.action == "reject":
            assert isinstance(background, QBrush) and background.color() == REJECT_BACKGROUND
            assert model.index(i, COL_DETAILS).data() == row.reason != ""
        else:
            assert background is None
    # Only the rejected rows, when asked.
    wizard.show_filter.setCurrentIndex(wizard.show_filter.findData("reject"))
    assert model.rowCount() == sum(1 for r in rows if r.action == "reject")
    click(qtbot, wizard.back_button)
    assert wizard.pages.currentIndex() == PAGE_FILE


def test_a_missing_file_is_refused_in_the_wizard(window, qtbot, tmp_path, unchanged):
    missing = tmp_path / "nothing-here.csv"
    wizard = open_wizard(window, qtbot)
    with unchanged():
        choose(wizard, qtbot, missing)
    assert wizard.file_error.text() == f"Cannot read '{missing}': there is no such file"
    assert not wizard.next_button.isEnabled()


def test_report_lists_rejected_rows_and_shows_the_contacts(window, qtbot, store):
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, APPLE)
    click(qtbot, wizard.next_button)
    rejected = [(r.line, r.reason) for r in wizard.plan.rows if r.action == "reject"]
    click(qtbot, wizard.import_button)
    shown = [
        (
            int(wizard.rejected_list.topLevelItem(i).text(0)),
            wizard.rejected_list.topLevelItem(i).text(1),
        )
        for i in range(wizard.rejected_list.topLevelItemCount())
    ]
    assert shown == rejected
    first_new = wizard.report.new_ids[0]
    click(qtbot, wizard.show_contacts_button)
    assert window.current_page_name() == "contacts"
    assert window.pages["contacts"].detail.contact_id == first_new
    assert window.import_wizard is None


# -- File → Export ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first_bytes", "what"),
    [
        ("vcard4", b"BEGIN:VCARD\r\nVERSION:4.0", "2 contacts"),
        ("vcard3", b"BEGIN:VCARD\r\nVERSION:3.0", "2 contacts"),
        ("csv", b"\xef\xbb\xbfid,given_name,family_name", "2 contacts"),
        ("referrals", b"\xef\xbb\xbf", "1 referral"),
        ("ics", b"BEGIN:VCALENDAR", "follow-up"),
    ],
)
def test_file_export_writes_each_kind(
    window, store, tmp_path, monkeypatch, kind, first_bytes, what
):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    from crm.core import referrals

    anna = contacts.create_contact(contacts.ContactData(given_name="Άννα", family_name="Αλεξίου"))
    luca = contacts.create_contact(contacts.ContactData(given_name="Luca", family_name="Bianchi"))
    referrals.record_referral(anna.id, luca.id)  # also plans a follow-up (for the calendar)
    target = tmp_path / f"out.{kind}"
    asked = []

    def save_name(parent, title, start, filters):
        asked.append((title, start, filters))
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.findChild(QAction, f"export_{kind}").trigger()
    assert len(asked) == 1
    data = target.read_bytes()
    assert data.startswith(first_bytes)
    message = window.statusBar().currentMessage()
    assert message.startswith("Wrote ") and message.endswith(f" to {target}")
    assert what in message
    if kind != "ics":
        assert b"Bianchi" in data


def test_export_cancelled_in_the_file_dialog_writes_nothing(window, tmp_path, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    window.findChild(QAction, "export_csv").trigger()
    assert window.statusBar().currentMessage() == ""
    assert not list(tmp_path.glob("**/*.csv"))


@pytest.mark.parametrize("kind", ["vcard4", "vcard3", "csv"])
def test_cancel_while_exporting_contacts_keeps_the_old_file(
    window, store, tmp_path, monkeypatch, kind
):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    contacts.create_contact(contacts.ContactData(given_name="Luca", family_name="Bianchi"))
    target = tmp_path / "out" / f"contacts.{kind}"
    target.parent.mkdir()
    target.write_text("the previous export")
    reports: list[tuple[int, int]] = []

    def update(self, done, total, text=""):
        reports.append((done, total))
        return done == total  # the user presses Cancel as the last card is written

    monkeypatch.setattr(gateway.Progress, "update", update)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.findChild(QAction, f"export_{kind}").trigger()
    assert reports == [(0, 1), (1, 1)]
    assert target.read_text() == "the previous export"
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert not window.statusBar().currentMessage().startswith("Wrote ")


def test_cancel_while_reading_many_vcards_says_so_and_changes_nothing(
    window, qtbot, tmp_path, unchanged, monkeypatch
):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ρήγα;Ελένη;;;\r\nEND:VCARD\r\n"
    many = tmp_path / "many.vcf"
    many.write_text(card * 450, encoding="utf-8")

    def update(self, done, total, text=""):
        return done >= 400  # the user presses Cancel while the cards are read

    monkeypatch.setattr(gateway.Progress, "update", update)
    wizard = open_wizard(window, qtbot)
    with unchanged():
        choose(wizard, qtbot, many)
    assert wizard.source is None
    assert wizard.file_error.text() == "Reading the file was cancelled."
    assert wizard.pages.currentIndex() == PAGE_FILE


def test_the_preview_lists_each_value_kept_as_typed(window, qtbot, store, tmp_path):
    card = tmp_path / "phones.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dupont;Marie;;;\r\nFN:Marie Dupont\r\n"
        "TEL;TYPE=HOME:555-1234\r\nBDAY:23 février 1951\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, card)
    click(qtbot, wizard.next_button)
    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    assert wizard.summary.text() == (
        "1 record: 1 new, 0 to add to, 0 already here, 0 rejected, 2 values kept as typed"
    )
    ((line, name, action, details),) = preview_rows(wizard)
    assert (line, name, action) == (1, "Marie Dupont", "New contact")
    assert "warning: phone '555-1234': " in details
    assert "warning: birthday '23 février 1951': " in details
    background = wizard.preview_model.index(0, COL_ACTION).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == WARN_BACKGROUND
    click(qtbot, wizard.import_button)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == PAGE_REPORT)
    (marie,) = [contacts.details(r[0]) for r in contacts.list_rows(limit=10)]
    assert marie["notes"] == "Unverified phone: 555-1234 (home)\nBirthday: 23 février 1951"


def test_the_columns_step_says_which_columns_are_not_used(window, qtbot, store, tmp_path):
    path = tmp_path / "club.csv"
    path.write_text(
        "First Name,Last Name,Shoe Size,E-mail Address,Favourite Colour\n"
        "Maria,Rossi,38,maria@example.it,green\n",
        encoding="utf-8",
    )
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, path)
    click(qtbot, wizard.next_button)
    assert wizard.pages.currentIndex() == PAGE_COLUMNS
    label = wizard.columns.unused_label
    assert label.isVisible()
    assert label.text() == "Not used: Shoe Size, Favourite Colour"
    # The label follows the targets as the user changes them.
    wizard.columns.set_target("Shoe Size", "notes")
    assert label.text() == "Not used: Favourite Colour"
    wizard.columns.set_target("Favourite Colour", "tags")
    assert label.text() == ""
    wizard.columns.set_target("E-mail Address", "")
    assert label.text() == "Not used: E-mail Address"


def close_call_file(tmp_path) -> Path:
    """A short cp1253 file whose Greek capitals read as Cyrillic ones in cp1251 just as well."""
    path = tmp_path / "close.csv"
    rows = "Name,Email\nΑΛΙ,ali@example.gr\nMaria Rossi,maria@example.it\n"
    path.write_bytes(rows.encode("cp1253"))
    return path


def test_a_close_call_shows_both_readings_and_the_user_chooses(window, qtbot, store, tmp_path):
    wizard = open_wizard(window, qtbot)
    choice = wizard.encoding_choice
    choose(wizard, qtbot, OUTLOOK_GREEK)  # long enough to be a clear call: nothing to choose
    assert not choice.isVisible()
    choose(wizard, qtbot, close_call_file(tmp_path))
    assert wizard.file_info.text().startswith("A CSV file from Other, read as cp1253")
    assert choice.isVisible()
    table = choice.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(2)]
    assert headers == ["Read as cp1253", "Read as cp1251"]
    columns = [[table.item(r, c).text() for r in range(table.rowCount())] for c in range(2)]
    assert columns == [["ΑΛΙ", "Maria Rossi"], ["БЛЙ", "Maria Rossi"]]
    used, other = choice.buttons
    assert (used.text(), used.isEnabled()) == ("cp1253 is in use", False)
    assert (other.text(), other.isEnabled()) == ("Use cp1251", True)
    qtbot.wait(50)  # laid out, for the screenshot
    wizard.grab().save(str(tmp_path / "close_call.png"))

    # The other reading: the file is read again in it, and the choice stays on screen.
    click(qtbot, other)
    assert wizard.encoding() == "cp1251"
    assert wizard.file_info.text().startswith("A CSV file from Other, read as cp1251")
    assert [r.full_name for r in wizard.source.records] == ["БЛЙ", "Maria Rossi"]
    used, other = choice.buttons
    assert (used.text(), used.isEnabled(), other.text(), other.isEnabled()) == (
        "Use cp1253",
        True,
        "cp1251 is in use",
        False,
    )
    click(qtbot, used)
    assert [r.full_name for r in wizard.source.records] == ["ΑΛΙ", "Maria Rossi"]
    assert contacts.count(include_archived=True) == 0  # choosing writes nothing


def test_the_preview_words_the_plan_in_the_interface_language(qapp_named, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from PySide6.QtWidgets import QApplication

    from crm.gui.app import set_language
    from crm.gui.views.data.import_preview import PreviewModel
    from crm.interchange.cleaning import clean
    from crm.interchange.records import Incoming

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    set_language(QApplication.instance(), "el")
    try:
        model = PreviewModel()
        # As the importer explains a record that adds to a stored contact.
        row = SimpleNamespace(
            line=3,
            action="update",
            reason="same email anna@example.gr as #12",
            changes=["given_name", "phone +302101234567", "tag VIP"],
            display="Anna",
        )
        warning = SimpleNamespace(line=3, field="birthday", value="32/13", reason="…")
        model.load([row], [warning])
        assert model.details(row) == (
            "ίδια ηλ. διεύθυνση anna@example.gr με την επαφή #12: προσθέτει όνομα, "
            "τηλέφωνο +302101234567, ετικέτα VIP; προειδοποίηση: γενέθλια «32/13»: …"
        )
        # The importer's own words (a rejection, a warning) follow the language too.
        assert clean(Incoming(line=4), None, None) == (  # type: ignore[arg-type]
            "Τίποτα για εισαγωγή: δεν υπάρχει όνομα, οργανισμός, διεύθυνση ηλεκτρονικού "
            "ταχυδρομείου ή τηλέφωνο"
        )
    finally:
        set_language(QApplication.instance(), "en")


def test_a_long_file_lists_its_first_records_and_counts_them_all(window, qtbot, store, tmp_path):
    """The preview of a file longer than a report keeps: every count, the first rows, rejections."""
    path = tmp_path / "many.csv"
    rows = ["First Name,Last Name,E-mail 1 - Value"]
    rows += [f"P{i},Long,p{i}@x.gr" for i in range(1, 1201)]
    rows += [",,not an address"] * 3  # nothing to import by: rejected, after the first 1,000
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    wizard = open_wizard(window, qtbot)
    choose(wizard, qtbot, path)
    click(qtbot, wizard.next_button)
    assert wizard.pages.currentIndex() == PAGE_COLUMNS
    click(qtbot, wizard.next_button)

    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    assert wizard.summary.text() == (
        "1,203 records: 1,200 new, 0 to add to, 0 already here, 3 rejected\n"
        "The list shows the first 1,000 records and the rejected ones."
    )
    shown = preview_rows(wizard)
    assert len(shown) == 1003 and shown[999][:3] == (1001, "P1000 Long", "New contact")
    assert [(line, action) for line, _n, action, _d in shown[1000:]] == [
        (1202, "Rejected"),
        (1203, "Rejected"),
        (1204, "Rejected"),
    ]
    assert contacts.count(include_archived=True) == 0  # the preview wrote nothing
    click(qtbot, wizard.import_button)

    assert wizard.pages.currentIndex() == PAGE_REPORT
    assert wizard.report_text.text() == (
        "New contacts imported: 1,200\n"
        "Contacts already here that got something new: 0\n"
        "Already here, skipped: 0\n"
        "Rejected: 3"
    )
    assert wizard.rejected_list.topLevelItemCount() == 3
    assert contacts.count(include_archived=True) == 1200
