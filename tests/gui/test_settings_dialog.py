"""Preferences: the sender profile, money and paper, rule numbers, backups; the core behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox
from qtkeys import type_text
from shots import shot

from crm.core import backups, clock, contacts, db, followups, models, referrals, settings
from crm.core.errors import ValidationError
from crm.gui.settings_dialog import TAB_MONEY, TAB_SENDER, SettingsDialog

TODAY = clock.today()


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def open_dialog(window) -> SettingsDialog:
    window.menu_actions.preferences.trigger()
    dialog = window.settings_dialog
    assert dialog.isVisible()
    return dialog


def replace(edit, text: str) -> None:
    edit.clear()
    type_text(edit, text)


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#1565c0"))
    assert image.save(str(path))
    return path


def test_preferences_round_trip(window, qtbot, png):
    dialog = open_dialog(window)
    inputs = dialog.inputs
    replace(inputs["name"], "Ελένη Παπαδοπούλου")
    replace(inputs["company"], "Παπαδοπούλου Ασφαλιστική")
    replace(inputs["city"], "Θεσσαλονίκη")
    replace(inputs["country"], "gr")
    replace(inputs["email"], "eleni@example.gr")
    replace(inputs["phone"], "210 724 3810")  # read in the phone region below
    inputs["logo_path"].setText(str(png))
    assert not inputs["logo_path"].thumb.pixmap().isNull()  # the preview shows it
    replace(inputs["currency"], "usd")
    inputs["page_size"].setCurrentIndex(inputs["page_size"].findData("Letter"))
    replace(inputs["default_region"], "GR")
    inputs["referral_cooldown_days"].setValue(60)
    inputs["followup_new_referral_days"].setValue(5)
    inputs["followup_met_days"].setValue(4)
    inputs["birthday_window_days"].setValue(21)
    inputs["backup_keep"].setValue(3)
    with qtbot.waitSignal(window.ctx.data_changed) as changed:
        save(qtbot, dialog)
    assert changed.args == ["settings"]
    assert not dialog.isVisible()

    prof = models.Profile.get_by_id(1)
    assert (prof.name, prof.company, prof.city, prof.country) == (
        "Ελένη Παπαδοπούλου",
        "Παπαδοπούλου Ασφαλιστική",
        "Θεσσαλονίκη",
        "GR",
    )
    assert (prof.email, prof.phone, prof.logo_path) == (
        "eleni@example.gr",
        "210 724 3810",
        str(png.resolve()),
    )
    assert (prof.currency, prof.page_size, prof.default_region) == ("USD", "Letter", "GR")
    # The reward policy's keys are tested with the rewards.
    stored = settings.all_settings().items()
    # The mail server's settings are tested with e-mail (tests/gui/test_mail_gui.py).
    assert {k: v for k, v in stored if not k.startswith(("reward_", "smtp."))} == {
        "referral_cooldown_days": 60,
        "followup_new_referral_days": 5,
        "followup_met_days": 4,
        "birthday_window_days": 21,
        "backup_keep": 3,
        "backup_dir": "",
        "briefing_language": "",
    }

    # The rules use the new numbers: a new referral's follow-up is five days out.
    giver, friend = person("Anna"), person("Marco")
    ref = referrals.record_referral(giver, friend, referred_on=TODAY)
    (auto,) = models.FollowUp.select().where(models.FollowUp.referral == ref.id)
    assert auto.due == TODAY + dt.timedelta(days=5)
    # ...and a contact's phone without a country code is read in the new region.
    assert contacts.normalize_phone("210 724 3810", "GR")[0] == "+302107243810"

    again = open_dialog(window)
    assert again is not dialog
    assert again.inputs["name"].text() == "Ελένη Παπαδοπούλου"
    assert again.inputs["country"].text() == "GR"
    assert again.inputs["currency"].text() == "USD"
    assert again.inputs["page_size"].currentData() == "Letter"
    assert again.inputs["followup_new_referral_days"].value() == 5
    assert again.inputs["birthday_window_days"].value() == 21
    assert again.inputs["logo_path"].text() == str(png.resolve())


def test_invalid_currency_and_region_are_refused_inline(window, qtbot, unchanged):
    dialog = open_dialog(window)
    replace(dialog.inputs["name"], "Marco Bianchi")
    replace(dialog.inputs["currency"], "XYZ")
    replace(dialog.inputs["default_region"], "ZZ")
    dialog.inputs["followup_met_days"].setValue(9)
    with unchanged():
        save(qtbot, dialog)
    assert dialog.isVisible()  # stays open to fix it
    assert dialog.error_text("currency") == "Currency 'XYZ' is not an ISO 4217 currency"
    assert dialog.error_text("default_region") == (
        "Phone region 'ZZ' is not a two-letter ISO country code"
    )
    assert dialog.errors["currency"].isVisibleTo(dialog)
    assert dialog.error_text("name") == ""
    assert dialog.tabs.currentIndex() == TAB_MONEY  # where the problems are
    assert settings.get("followup_met_days") == 3  # nothing was written
    assert models.Profile.get_by_id(1).name == ""

    # Typing a new value clears the complaint; a good one saves.
    replace(dialog.inputs["currency"], "BGN")
    assert dialog.error_text("currency") == ""
    replace(dialog.inputs["default_region"], "bg")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    prof = models.Profile.get_by_id(1)
    assert (prof.name, prof.currency, prof.default_region) == ("Marco Bianchi", "BGN", "BG")
    assert settings.get("followup_met_days") == 9


def test_bad_email_phone_and_logo_are_said_under_their_fields(window, qtbot, tmp_path, unchanged):
    not_image = tmp_path / "logo.png"
    not_image.write_text("not a picture")
    dialog = open_dialog(window)
    dialog.tabs.setCurrentIndex(TAB_MONEY)
    replace(dialog.inputs["email"], "eleni@")
    replace(dialog.inputs["phone"], "210 724 3810")  # no region set, no country code
    dialog.inputs["logo_path"].setText(str(not_image))
    dialog.inputs["signature_path"].setText(str(tmp_path / "missing.png"))
    with unchanged():
        dialog.accept()  # Enter in the dialog
    assert dialog.isVisible()
    assert dialog.error_text("email").startswith("Email 'eleni@' is not valid")
    assert dialog.error_text("phone").startswith("Phone '210 724 3810' has no country code")
    assert dialog.error_text("logo_path") == "Logo file 'logo.png' is not a PNG or JPEG image"
    assert dialog.error_text("signature_path") == (
        f"Signature file '{tmp_path / 'missing.png'}' does not exist"
    )
    assert dialog.tabs.currentIndex() == TAB_SENDER


def test_cancel_changes_nothing(window, qtbot, unchanged):
    dialog = open_dialog(window)
    with unchanged():
        replace(dialog.inputs["name"], "Someone Else")
        dialog.inputs["backup_keep"].setValue(50)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
            Qt.MouseButton.LeftButton,
        )
    assert not dialog.isVisible()


def test_backup_folder_keep_and_back_up_now(window, qtbot, tmp_path, store):
    folder = tmp_path / "my backups"
    dialog = open_dialog(window)
    assert dialog.backup_list.count() == 0
    assert dialog.backups_label.text().startswith("No automatic backups yet in ")
    dialog.inputs["backup_dir"].setText(str(folder))
    dialog.inputs["backup_keep"].setValue(2)
    save(qtbot, dialog)
    assert settings.get("backup_dir") == str(folder)
    assert backups.backups_dir(store) == folder

    dialog = open_dialog(window)
    for _ in range(3):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    newest = backups.list_backups(store)[0]
    assert newest.parent == folder and newest.name.endswith("-manual.sqlite3")
    assert dialog.backup_result.text() == f"Backed up to {newest}"
    assert dialog.backup_list.count() == 2  # rotated to the two newest
    assert dialog.backups_label.text() == f"2 automatic backups in {folder}"
    assert backups.inspect_backup(newest) == db.SCHEMA_VERSION


def test_backup_folder_that_is_a_file_is_refused(window, qtbot, tmp_path, unchanged):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    dialog = open_dialog(window)
    dialog.inputs["backup_dir"].setText(str(a_file))
    dialog.inputs["backup_keep"].setValue(5)
    with unchanged():
        save(qtbot, dialog)
    assert dialog.error_text("backup_dir") == f"'{a_file}' is a file, not a folder"
    replace(dialog.inputs["backup_dir"], "relative/folder")
    save(qtbot, dialog)
    assert "must be a full path" in dialog.error_text("backup_dir")


# -- the core behind the dialog, without widgets ---------------------------------------


def test_update_profile_checks_every_field_before_writing(store, unchanged):
    settings.update_profile(name="  Anna   Rossi ", currency="eur", country="it")
    prof = settings.profile()
    assert (prof.name, prof.currency, prof.country) == ("Anna Rossi", "EUR", "IT")
    with unchanged(), pytest.raises(ValidationError) as info:
        settings.update_profile(name="Someone", page_size="A5")
    assert (info.value.field, info.value.message) == (
        "page_size",
        "Page size must be one of A4, Letter, not 'A5'",
    )
    with unchanged(), pytest.raises(ValidationError, match="three-letter ISO code") as info:
        settings.update_profile(currency="EURO")
    assert info.value.field == "currency"
    with unchanged(), pytest.raises(ValidationError, match="Unknown profile field 'colour'"):
        settings.update_profile(colour="red")


def test_save_preferences_is_all_or_nothing(store, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        settings.save_preferences({"name": "Anna"}, {"followup_met_days": 400})
    assert info.value.field == "followup_met_days"
    with unchanged(), pytest.raises(ValidationError) as info:
        settings.save_preferences({"country": "XX"}, {"followup_met_days": 4})
    assert info.value.field == "country"
    settings.save_preferences({"name": "Anna"}, {"followup_met_days": 4})
    assert (settings.profile().name, settings.get("followup_met_days")) == ("Anna", 4)


def test_snooze_for_counts_from_today_or_from_the_due_day(store):
    anna = person("Anna")
    overdue = followups.create_followup(anna, TODAY - dt.timedelta(days=5)).id
    later = followups.create_followup(anna, TODAY + dt.timedelta(days=4)).id
    assert followups.snooze_for(overdue, 1).snoozed_until == TODAY + dt.timedelta(days=1)
    assert followups.snooze_for(later, 7).snoozed_until == TODAY + dt.timedelta(days=11)
    with pytest.raises(ValidationError, match="at least one day"):
        followups.snooze_for(later, 0)


def test_preferences_choose_the_briefing_language(window, qtbot, tmp_path):
    dialog = open_dialog(window)
    dialog.tabs.setCurrentIndex(TAB_MONEY)
    combo = dialog.inputs["briefing_language"]
    assert combo.currentData() == ""  # the interface language until one is chosen
    assert [combo.itemData(i) for i in range(combo.count())] == ["", *models.LANGUAGES]
    combo.setCurrentIndex(combo.findData("el"))
    shot(dialog, "briefing-language.png")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert settings.get("briefing_language") == "el"
    assert settings.briefing_language() == "el"
    # Opened again, the dialog shows the choice; "the interface language" clears it.
    dialog = open_dialog(window)
    combo = dialog.inputs["briefing_language"]
    assert combo.currentData() == "el"
    combo.setCurrentIndex(combo.findData(""))
    save(qtbot, dialog)
    assert settings.get("briefing_language") == ""
