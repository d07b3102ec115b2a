"""Labels and envelopes from the Events, Vouchers and Contacts pages: who is left out,
the preview, and Save as PDF; nothing in the database changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from postal_people import event_with, greek_sender, layout_text, person
from pypdf import PdfReader

from crm.core import events, models, referrals, vouchers

# Screenshots to look at, when CRM_TEST_SHOTS names a folder.
SHOTS = os.environ.get("CRM_TEST_SHOTS", "")


def shot(widget, name: str, qtbot=None) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    if qtbot is not None:
        qtbot.wait(400)  # the PDF view draws its pages after it is shown
    widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def attended(store):
    greek_sender()
    event_id, ids = event_with(["el", "bg", "it", "ar"])
    events.attend(event_id, person("el", street="", family_name="Χωρίς"))
    return event_id, ids


def test_labels_for_an_events_attendees_preview_and_save(
    window, attended, tmp_path, unchanged, qtbot
):
    event_id, _ids = attended
    window.show_page("events")
    window.go("event", event_id)
    page = window.page("events")
    with unchanged():
        page.postal_button.click()
        dialog = page.postal_dialog
        text = dialog.summary.text()
        assert text.startswith("4 addresses to print.")
        assert "Γιώργος Χωρίς: no postal address" in text
        dialog.start.setValue(3)
        shot(dialog, "dialog")
        dialog.preview()
        preview = dialog.last_preview
        assert preview.document.pageCount() == 1
        shot(preview, "preview-labels", qtbot)
        target = tmp_path / "labels.pdf"
        preview.save_to(str(target))
    assert preview.last_result["printed"] == 4 and preview.last_result["start"] == 3
    assert "1504 София" in layout_text(target)
    preview.close()
    dialog.close()


def test_envelopes_for_a_batch_and_the_pending_letters(window, store, tmp_path, qtbot):
    greek_sender()
    holder = person("it")
    vouchers.issue([holder], value=10, expires="2027-03-31", batch="2026-Q4")
    giver = person("ar")
    ref = referrals.record_referral(giver, person("bg"))
    models.Reward.get_or_create(referral=ref, contact=giver, kind="thank_you_letter")
    window.show_page("vouchers")
    page = window.page("vouchers")
    page.refresh()
    page.batch_postal_button.click()
    dialog = page.postal_dialog
    dialog.envelopes_radio.setChecked(True)
    assert not dialog.start.isVisible() and dialog.envelope_size.isVisible()
    dialog.envelope_size.setCurrentIndex(dialog.envelope_size.findData("c5"))
    shot(dialog, "dialog-envelopes")
    dialog.preview()
    dialog.last_preview.save_to(str(tmp_path / "batch.pdf"))
    assert dialog.last_preview.last_result["size"] == "c5"
    assert "50123 Firenze FI" in layout_text(tmp_path / "batch.pdf")
    dialog.last_preview.close()
    dialog.close()
    page.letters_postal_button.click()
    dialog = page.postal_dialog
    assert dialog.summary.text() == "1 address to print."
    dialog.envelopes_radio.setChecked(True)
    dialog.preview()
    shot(dialog.last_preview, "preview-envelope-ar", qtbot)
    path = tmp_path / "letters.pdf"
    dialog.last_preview.save_to(str(path))
    assert len(PdfReader(path).pages) == 1
    dialog.last_preview.close()
    dialog.close()


def test_selected_contacts_without_consent_need_the_box(window, store, tmp_path):
    greek_sender()
    yes, no = person("bg"), person("it", consent=False)
    view = window.show_page("contacts")
    view.refresh()
    view.table.selectAll()
    assert sorted(view.selected_ids()) == [yes, no]
    view.open_postal()
    dialog = view.postal_dialog
    assert "Niccolò Ferrà: no marketing consent" in dialog.summary.text()
    dialog.without_consent.setChecked(True)
    assert dialog.summary.text() == "2 addresses to print."
    dialog.sheet.setCurrentIndex(dialog.sheet.findData("letter-3x10"))
    assert dialog.start.maximum() == 30
    dialog.close()


def test_nothing_selected_is_said(window, store, errors):
    view = window.show_page("contacts")
    view.table.clearSelection()
    view.open_postal()
    assert errors.messages() == ["Select the contacts to print addresses for"]


def ink(path: Path, tmp_path: Path):
    """The box around everything drawn on page 1, in pixels at 30 dpi."""
    import subprocess

    from PIL import Image, ImageOps

    stem = tmp_path / path.stem
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-singlefile", str(path), str(stem)], check=True
    )
    with Image.open(f"{stem}.png") as image:
        return image.size, ImageOps.invert(image.convert("L")).point(
            lambda v: 255 if v > 60 else 0
        ).getbbox()


def test_printing_labels_puts_the_sheet_on_the_paper_at_full_size(window, attended, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from crm.core import postal
    from crm.documents import postal_pdf

    event_id, _ids = attended
    window.show_page("events")
    window.go("event", event_id)
    page = window.page("events")
    page.postal_button.click()
    dialog = page.postal_dialog
    dialog.preview()
    preview = dialog.last_preview
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    preview.prepare_printer(printer)
    preview.print_to(printer)
    assert preview.info.text() == "Sent 1 page to the printer"
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box[2])), round(float(box[3]))) == (595, 842)  # A4
    # The printed sheet has the addresses where the PDF has them: at 100 %, edge to edge.
    reference = tmp_path / "reference.pdf"
    data = postal.recipients(event_id=event_id)
    postal_pdf.print_labels(data, reference, sheet_key="a4-3x7")
    (size, printed), (ref_size, expected) = ink(out, tmp_path), ink(reference, tmp_path)
    assert all(abs(a - b) <= 1 for a, b in zip(size, ref_size, strict=True))
    assert all(abs(a - b) <= 2 for a, b in zip(printed, expected, strict=True)), (printed, expected)
    preview.close()
    dialog.close()
