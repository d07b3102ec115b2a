"""The contact editor warns when a new contact's email or phone is already someone's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from qtkeys import type_text

from crm.core import contacts, models


def person(given: str, family: str = "", **fields) -> int:
    data = contacts.ContactData(given_name=given, family_name=family, **fields)
    return contacts.create_contact(data).id


def new_contact_dialog(window):
    view = window.show_page("contacts")
    window.menu_actions.new_contact.trigger()
    assert view.dialog is not None and view.dialog.isVisible()
    return view, view.dialog


def click_save(qtbot, dialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_existing_email_is_shown_and_save_anyway_adds_the_contact(window, qtbot, unchanged):
    maria = person("Maria", "Rossi", emails=["maria@acme.it"])
    _view, dialog = new_contact_dialog(window)
    type_text(dialog.given_name, "Mary")
    type_text(dialog.emails, "MARIA@acme.it")
    with unchanged():
        click_save(qtbot, dialog)
    assert dialog.isVisible() and dialog.duplicate_warning.isVisible()
    assert f"Maria Rossi (#{maria}): email maria@acme.it" in dialog.duplicate_label.text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Save &Anyway"
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert models.Contact.select().where(models.Contact.given_name == "Mary").count() == 1


def test_open_shows_the_existing_contact_and_adds_nothing(window, qtbot, unchanged):
    person("Luca", "Bianchi")
    maria = person("Maria", "Rossi", phones=["+39 340 967 6866"])
    view, dialog = new_contact_dialog(window)
    type_text(dialog.given_name, "Mary")
    type_text(dialog.phones, "+393409676866")
    with unchanged():
        click_save(qtbot, dialog)
        assert "phone +393409676866" in dialog.duplicate_label.text()
        [open_button] = dialog.open_buttons
        assert open_button.text() == "Open Maria Rossi"
        qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.current_page_name() == "contacts"
    assert view.selected_ids() == [maria]


def test_no_warning_for_new_details_and_none_when_editing(window, qtbot):
    maria = person("Maria", "Rossi", emails=["maria@acme.it"])
    view, dialog = new_contact_dialog(window)
    type_text(dialog.given_name, "Luca")
    type_text(dialog.emails, "luca@acme.it")
    click_save(qtbot, dialog)
    assert not dialog.isVisible() and dialog.duplicate_warning.isHidden()
    # Saving an existing contact does not compare it with itself.
    dialog = view.open_dialog(maria)
    type_text(dialog.job_title, "CEO")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert models.Contact.get_by_id(maria).title == "CEO"
