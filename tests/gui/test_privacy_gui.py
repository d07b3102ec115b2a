"""A person's data from the app: export to a folder, and erasure after typing their name."""

from __future__ import annotations

import json

import pytest
from dbtools import dump
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from qtkeys import type_text

from crm.core import clock, contacts, models, referrals
from crm.core.contacts import ContactData
from crm.gui.views.data.privacy import matches_confirmation


@pytest.fixture
def maria(store) -> int:
    cid = contacts.create_contact(
        ContactData(
            given_name="Μαρία",
            family_name="Παπαδοπούλου",
            emails=["maria@akmi.gr"],
            phones=["+30 691 234 5678"],
            city="Αθήνα",
            notes="Met at the chamber evening",
        )
    ).id
    friend = contacts.create_contact(ContactData(given_name="Niccolò", family_name="Conti")).id
    referrals.record_referral(cid, friend, status="won", value="1200")
    return cid


def select(window, contact_id: int) -> None:
    window.go("contact", contact_id)
    assert window.pages["contacts"].detail.contact_id == contact_id


def test_export_person_writes_json_and_vcard(window, maria, tmp_path, monkeypatch):
    select(window, maria)
    folder = tmp_path / "export"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.menu_actions.export_person.trigger()
    data_file, card_file = folder / f"person-{maria}.json", folder / f"person-{maria}.vcf"
    assert window.statusBar().currentMessage() == f"Wrote {data_file} and {card_file}"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    for held in ("Μαρία", "Παπαδοπούλου", "maria@akmi.gr", "Αθήνα", "Niccolò Conti"):
        assert held in text
    card = card_file.read_text(encoding="utf-8")
    assert card.startswith("BEGIN:VCARD") and "Παπαδοπούλου" in card


def test_export_person_cancelled_folder_writes_nothing(window, maria, tmp_path, monkeypatch):
    select(window, maria)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    window.menu_actions.export_person.trigger()
    assert window.statusBar().currentMessage() == ""
    assert list(tmp_path.glob("**/person-*")) == []


def test_privacy_actions_need_a_contact_selected(window, store):
    window.show_page("referrals")
    window.menu_actions.erase_person.trigger()
    assert window.statusBar().currentMessage() == "Select a contact on the Contacts page first"
    assert window.erase_dialog is None


def test_erase_needs_the_name_or_erase_typed(window, qtbot, maria, store):
    select(window, maria)
    window.menu_actions.erase_person.trigger()
    dialog = window.erase_dialog
    assert dialog.isVisible()
    assert dialog.findChild(type(dialog.prompt), "eraseHeading").text() == (
        f"Erase Μαρία Παπαδοπούλου (#{maria})?"
    )
    assert not dialog.erase_button.isEnabled()
    QTest.keyClicks(dialog.confirm_edit, "erase")  # not the word in capitals
    assert not dialog.erase_button.isEnabled()
    dialog.confirm_edit.clear()
    type_text(dialog.confirm_edit, "μαρια παπαδοπουλου")  # case and accents do not matter
    assert dialog.erase_button.isEnabled()
    dialog.confirm_edit.clear()
    QTest.keyClicks(dialog.confirm_edit, "ERASE")
    assert dialog.erase_button.isEnabled()

    before_stats = referrals_summary()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    contact = models.Contact.get_by_id(maria)
    assert contact.given_name == "Erased person" and contact.erased_at is not None
    everything = dump(store)
    for trace in ("Μαρία", "Παπαδοπούλου", "maria@akmi.gr", "306912345678", "chamber evening"):
        assert trace not in everything
    assert referrals_summary() == before_stats  # the won referral still counts
    assert window.statusBar().currentMessage() == (
        f"Erased #{maria}; their referrals, rewards and vouchers stay, anonymous"
    )
    # The contacts page follows: the erased person is archived, out of the list.
    assert window.pages["contacts"].model.row_of(maria) is None


def test_cancelling_the_erasure_changes_nothing(window, qtbot, maria, unchanged):
    select(window, maria)
    with unchanged():
        window.menu_actions.erase_person.trigger()
        dialog = window.erase_dialog
        QTest.keyClicks(dialog.confirm_edit, "ERASE")
        dialog.reject()
    assert models.Contact.get_by_id(maria).given_name == "Μαρία"


def test_an_erased_person_cannot_be_erased_again(window, maria):
    from crm.core import erasure

    erasure.erase(maria)
    window.show_page("contacts").archived_filter.setChecked(True)
    select(window, maria)
    window.menu_actions.erase_person.trigger()
    dialog = window.erase_dialog
    assert dialog.error.text() == "This person was already erased."
    assert not dialog.confirm_edit.isEnabled()
    assert not dialog.erase_button.isEnabled()
    dialog.reject()


def test_the_contacts_table_offers_both_actions_on_right_click(window, maria):
    table = window.show_page("contacts").table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.objectName() for a in table.actions()] == ["exportPerson", "erasePerson"]


def test_confirmation_rule():
    assert matches_confirmation("ERASE", "Anna")
    assert matches_confirmation("  anna   rossi ", "Anna Rossi")
    assert matches_confirmation("ΜΑΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ", "Μαρία Παπαδοπούλου")
    assert not matches_confirmation("Anna", "Anna Rossi")
    assert not matches_confirmation("", "")
    assert not matches_confirmation("erase", "Anna")


def referrals_summary() -> tuple[int, str]:
    r = models.Referral
    rows = list(r.select(r.status, r.value))
    return len(rows), ",".join(f"{x.status}:{x.value}" for x in rows)


# -- marketing consent: letters and vouchers, overridden per document ---------------------


def giver_and_letter(consent: bool, given: str = "Ελένη", family: str = "Νικολάου") -> int:
    """A giver (with or without consent) who has a thank-you letter pending; the referral id."""
    giver = contacts.create_contact(
        ContactData(given_name=given, family_name=family, language="el", marketing_consent=consent)
    ).id
    friend = contacts.create_contact(ContactData(given_name="Marco", family_name=given)).id
    ref = referrals.record_referral(giver, friend, status="won", value="900")
    models.Reward.get_or_create(
        referral=ref, contact=giver, kind="thank_you_letter", status="pending"
    )
    return ref.id


def documents_page(window):
    page = window.show_page("vouchers")
    page.refresh()
    return page


def test_a_letter_without_consent_is_refused_until_overridden_for_it(
    window, qtbot, store, tmp_path, unchanged
):
    rid = giver_and_letter(consent=False)
    page = documents_page(window)
    page.letters_table.selectRow(0)
    with unchanged():
        page.preview_letter()
        box = page.consent_box
        assert box.isVisible()
        assert box.text().startswith("No marketing consent from: Ελένη Νικολάου (#")
        assert "--without-consent" not in box.text()  # the command line's way, not the app's
        go = box.buttons()[0]
        assert go.text() == "Continue" and not go.isEnabled()
        box.checkBox().setChecked(True)
        assert box.checkBox().text() == "Print this document without their consent"
        qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    preview = page.last_preview
    assert preview.document.pageCount() == 1
    preview.save_to(str(tmp_path / "letter.pdf"))
    assert models.Reward.get(models.Reward.referral == rid).status == "given"


def test_refusing_the_override_prints_nothing(window, qtbot, store, unchanged):
    giver_and_letter(consent=False)
    page = documents_page(window)
    page.letters_table.selectRow(0)
    with unchanged():
        page.preview_letter()
        box = page.consent_box
        box.checkBox().setChecked(True)
        box.reject()
    assert page.last_preview is None


def test_the_letter_batch_leaves_out_givers_without_consent_unless_included(
    window, store, tmp_path
):
    giver_and_letter(consent=True, given="Anna", family="Rossi")
    giver_and_letter(consent=False, given="Иван", family="Петров")
    page = documents_page(window)
    assert page.letters_table.rowCount() == 2
    assert page.consent_note.text() == (
        "1 letter is left out of Preview All Pending: no marketing consent from Иван Петров."
    )
    assert not page.include_without_consent.isHidden()
    page.preview_all_letters()
    assert page.last_preview.document.pageCount() == 1
    page.last_preview.reject()
    page.include_without_consent.setChecked(True)
    page.preview_all_letters()
    assert page.last_preview.document.pageCount() == 2
    page.last_preview.save_to(str(tmp_path / "letters.pdf"))
    assert models.Reward.select().where(models.Reward.status == "given").count() >= 2
    assert page.letters_table.rowCount() == 0
    assert page.consent_note.isHidden()


def test_vouchers_for_a_holder_without_consent_are_issued_and_printed_when_ticked(
    window, qtbot, store, tmp_path
):
    import datetime as dt

    from PySide6.QtWidgets import QListWidgetItem

    holder = contacts.create_contact(ContactData(given_name="Γιάννης", family_name="Κ.")).id
    page = documents_page(window)
    page.issue_vouchers()
    dialog = page.issue_dialog
    item = QListWidgetItem("Γιάννης Κ.")
    item.setData(Qt.ItemDataRole.UserRole, holder)
    dialog._add_holder(item)
    dialog.batch.setText("Spring")
    dialog.expires.setDate(clock.today() + dt.timedelta(days=90))
    dialog.issue()
    assert dialog.error.text() == (
        f"No marketing consent from: Γιάννης Κ. (#{holder}). "
        "Record their consent, or tick the box to issue this batch anyway."
    )
    assert not dialog.without_consent.isHidden()
    assert models.Voucher.select().count() == 0
    dialog.without_consent.setChecked(True)
    dialog.issue()
    assert models.Voucher.get().holder_id == holder

    # Printing the batch asks again: it is another document.
    page.batch_combo.setCurrentIndex(page.batch_combo.findData("Spring"))
    page.preview_vouchers()
    box = page.consent_box
    box.checkBox().setChecked(True)
    qtbot.mouseClick(box.buttons()[0], Qt.MouseButton.LeftButton)
    page.last_preview.save_to(str(tmp_path / "vouchers.pdf"))
    assert models.Voucher.get().printed_at is not None
