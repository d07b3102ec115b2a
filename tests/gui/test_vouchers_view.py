"""Vouchers & Letters: previews change nothing; saving and printing do the real thing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from crm.core import clock, contacts, erasure, letters, models, referrals, vouchers
from crm.gui import printing


def person(given: str, family: str, language: str = "en") -> int:
    # Letters and vouchers go to people who agreed to marketing.
    return contacts.create_contact(
        contacts.ContactData(
            given_name=given, family_name=family, language=language, marketing_consent=True
        )
    ).id


@pytest.fixture
def pending_letter(store) -> int:
    giver = person("Ελένη", "Νικολάου", "el")
    friend = person("Marco", "Rossi", "it")
    ref = referrals.record_referral(giver, friend, status="won", value="1200")
    # The default reward policy already gave the letter reward; one is all there is.
    models.Reward.get_or_create(
        referral=ref, contact=giver, kind="thank_you_letter", status="pending"
    )
    return ref.id


@pytest.fixture
def batch(store) -> str:
    holder = person("Иван", "Петров", "bg")
    vouchers.issue(
        holder_ids=[holder],
        value="50",
        currency="EUR",
        expires=clock.today() + dt.timedelta(days=120),
        batch="2026-Q4",
    )
    return "2026-Q4"


def open_page(window):
    window.show_page("vouchers")
    page = window.page("vouchers")
    page.refresh()
    return page


def test_pending_letters_are_listed(window, pending_letter):
    page = open_page(window)
    assert page.letters_table.rowCount() == 1
    assert page.letters_table.item(0, 0).text() == "Ελένη Νικολάου"
    assert page.letters_count.text() == "1 letter to print"


def test_an_erased_giver_has_no_letter_listed(window, pending_letter):
    page = open_page(window)
    assert page.letters_count.text() == "1 letter to print"
    giver = referrals.get_referral(pending_letter).giver_id
    erasure.erase(giver)
    page = open_page(window)
    # As `crm letters --pending` has it: nobody to write to, so nothing to print.
    assert page.letters_table.rowCount() == 0
    assert page.letters_count.text().startswith("No letters waiting")
    assert not letters.pending_data(allow_without_consent=True)["letters"]


def test_previewing_a_letter_changes_nothing_and_saving_marks_it_given(
    window, pending_letter, tmp_path, unchanged
):
    page = open_page(window)
    page.letters_table.selectRow(0)
    with unchanged():
        page.preview_letter()
    dialog = page.last_preview
    assert dialog.document.pageCount() == 1
    target = tmp_path / "letter.pdf"
    dialog.save_to(str(target))
    assert "Νικολάου" in PdfReader(str(target)).pages[0].extract_text()
    reward = models.Reward.get(models.Reward.referral == pending_letter)
    assert reward.status == "given"
    assert page.letters_table.rowCount() == 0  # the page heard the change


def test_voucher_batch_preview_and_print_to_a_pdf_printer(window, batch, tmp_path):
    page = open_page(window)
    assert page.batch_combo.currentData() == "2026-Q4"
    assert page.vouchers_table.rowCount() == 1
    page.per_page.setCurrentIndex(0)  # one per page
    page.preview_vouchers()
    dialog = page.last_preview
    assert dialog.document.pageCount() == 1
    assert models.Voucher.get().printed_at is None  # a preview prints nothing
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialog.print_to(printer)
    assert len(PdfReader(str(out)).pages) == 1
    assert models.Voucher.get().printed_at is not None
    assert dialog.info.text() == "Sent 1 page to the printer"


def test_empty_states(window):
    page = open_page(window)
    assert page.letters_table.rowCount() == 0
    assert not page.preview_all_button.isEnabled()
    assert not page.vouchers_empty.isHidden() and page.vouchers_table.isHidden()


def test_a_refused_save_shows_the_message_and_marks_nothing(
    window, pending_letter, tmp_path, errors
):
    page = open_page(window)
    page.letters_table.selectRow(0)
    page.preview_letter()
    page.last_preview.save_to(str(tmp_path / "no" / "such" / "folder" / "x.pdf"))
    assert errors.messages() and "does not exist" in errors.messages()[0]
    assert models.Reward.get().status == "pending"


def test_the_page_does_not_load_reportlab_until_a_document_is_made(tmp_path):
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from crm.core import db
from crm.gui.app import application, build_window
app = application([])
store = db.open_database({str(tmp_path / "x.sqlite3")!r})
window = build_window(store, QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat))
window.show_page("vouchers")
app.processEvents()
assert "reportlab" not in sys.modules, "reportlab loaded with the page"
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_briefing_prints_from_its_page(window, tmp_path):
    from crm.core import events

    event = events.create_event("Πρωινό BNI", "2026-12-03", kind="chapter_meeting")
    events.attend(event.id, person("Ελένη", "Νικολάου", "el"), role="member", met_in_person=True)
    window.go("briefing", event.id)
    page = window.page("briefing")
    page.print_briefing()
    dialog = page.last_preview
    assert dialog.document.pageCount() >= 1
    target = tmp_path / "briefing.pdf"
    dialog.save_to(str(target))
    text = PdfReader(str(target)).pages[0].extract_text()
    assert "Νικολάου" in text and "BNI" in text


def test_cancelling_a_voucher_print_marks_nothing_and_leaves_no_file(window, batch, tmp_path):
    from crm.core.errors import CancelledError
    from crm.gui.gateway import Progress

    progress = Progress()
    progress.cancel()
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(CancelledError):
        printing.save_vouchers(str(target), batch, 1, printing.cancellable(progress))
    assert not target.exists() and list(tmp_path.glob("*.tmp")) == []
    assert models.Voucher.get().printed_at is None


def test_templates_are_edited_in_their_language_and_checked(window, unchanged, qtbot):
    from qtkeys import type_text

    from crm.core import templates

    page = open_page(window).templates_tab
    page.template_kind.setCurrentIndex(page.template_kind.findData("thank_you_letter"))
    page.template_language.setCurrentIndex(page.template_language.findData("el"))
    assert "{giver_given_name}" in page.template_fields.text()
    assert (
        page.template_body.toPlainText()
        == templates.default_template("thank_you_letter", "el").body
    )
    page.template_body.setPlainText("")
    type_text(page.template_body, "Σας ευχαριστώ για τον {referred_nam}.")
    with unchanged():
        page.save_template()
    assert not page.template_error.isHidden()
    assert "referred_nam" in page.template_error.text()
    assert "{referred_name}" in page.template_error.text()  # the valid fields are named
    page.template_body.setPlainText("Σας ευχαριστώ για τον/την {referred_name}.")
    page.save_template()
    assert page.template_error.isHidden()
    saved = templates.get_template("thank_you_letter", "el")
    assert saved.body == "Σας ευχαριστώ για τον/την {referred_name}."
    page.reset_template()
    assert (
        templates.get_template("thank_you_letter", "el").body
        == templates.default_template("thank_you_letter", "el").body
    )


def test_cancelling_the_letter_batch_gives_no_reward_and_no_file(window, pending_letter, tmp_path):
    from crm.core.errors import CancelledError
    from crm.gui.gateway import Progress

    progress = Progress()
    progress.cancel()
    target = tmp_path / "letters.pdf"
    with pytest.raises(CancelledError):
        printing.save_letters(str(target), None, printing.cancellable(progress))
    assert not target.exists()
    assert models.Reward.get().status == "pending"


def test_issue_vouchers_to_chosen_clients_from_the_page(window, unchanged):
    from qtkeys import type_text

    holder = person("Γιώργος", "Παπαδόπουλος", "el")
    page = open_page(window)
    page.tabs.setCurrentIndex(1)
    page.issue_vouchers()
    dialog = page.issue_dialog
    type_text(dialog.search, "παπαδ")
    dialog.search.flush()
    assert dialog.matches.count() == 1
    dialog._add_holder(dialog.matches.item(0))
    assert dialog.pick_radio.isChecked() and dialog.holder_ids() == [holder]
    dialog.value.setText("-5")
    with unchanged():
        dialog.issue()
    assert not dialog.error.isHidden() and "negative" in dialog.error.text().lower()
    dialog.value.setText("40")
    dialog.batch.setText("Spring")
    dialog.issue()
    voucher = models.Voucher.get()
    assert (voucher.holder_id, voucher.batch, float(voucher.value)) == (holder, "Spring", 40.0)
    assert page.batch_combo.currentData() == "Spring"
    assert page.vouchers_table.rowCount() == 1


def test_issue_to_the_top_clients_needs_some(window, unchanged):
    page = open_page(window)
    page.issue_vouchers()
    dialog = page.issue_dialog
    assert dialog.top_list.count() == 0
    with unchanged():
        dialog.issue()
    assert "No client with marketing consent has a won referral in the last 12 months" in (
        dialog.error.text()
    )


def test_the_top_clients_listed_are_the_best_who_consented(window):
    best = person("Best", "Client")
    contacts.update_contact(best, marketing_consent=False)
    second = person("Second", "Client")
    for giver, value in ((best, "900"), (second, "500")):
        friend = person("Friend", f"of {giver}")
        referrals.record_referral(giver, friend, status="won", value=value)
    page = open_page(window)
    page.issue_vouchers()
    dialog = page.issue_dialog
    assert dialog.top_list.count() == 1
    assert "Second Client" in dialog.top_list.item(0).text()
    dialog.top_radio.setChecked(True)
    dialog.top_n.setValue(1)
    dialog.issue()
    assert [v["holder_id"] for v in vouchers.list_vouchers()] == [second]


def test_quality_tab_flags_a_shared_email_and_opens_the_contact(window):
    giver = contacts.create_contact(
        contacts.ContactData(given_name="Anna", family_name="Rossi", emails=["a@example.it"])
    ).id
    twin = contacts.create_contact(
        contacts.ContactData(given_name="Anna", family_name="R.", emails=["A@example.it"])
    ).id
    referrals.record_referral(giver, twin)
    page = open_page(window)
    panel = page.quality_panel
    assert panel.referrals.rowCount() == 1
    assert panel.referrals.item(0, 0).text() == "Anna Rossi"
    assert "email" in panel.referrals.item(0, 3).text()
    panel._open(panel.referrals, 0, 1)
    assert window.current_page_name() == "contacts"
    assert window.page("contacts").detail.contact_id == twin
