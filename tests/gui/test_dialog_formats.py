"""The dialogs write their dates and numbers as the interface language does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from crm.gui.app import set_language
from crm.gui.formatting import FSI, PDI

# The tests' clock: 6 December 2026 (tests/conftest.py).
TODAY = {"el": "6 Δεκ 2026", "bg": "6 дек 2026", "it": "6 dic 2026", "ar": "6 ديسمبر 2026"}


@pytest.fixture
def speak(qapp_named):
    app = QApplication.instance()
    yield lambda code: set_language(app, code)
    set_language(app, "en")


def _reading(text: str, code: str) -> str:
    """An edit's text in reading order (Qt lays an Arabic date edit's sections out
    reversed: "2026 ديسمبر 6")."""
    text = text.replace(FSI, "").replace(PDI, "")
    return " ".join(reversed(text.split(" "))) if code == "ar" else text


@pytest.mark.parametrize("code", sorted(TODAY))
def test_the_follow_up_dialog_writes_the_due_day_in_the_language(speak, window, qtbot, code):
    from crm.gui.views.followups.dialogs import NewFollowupDialog

    speak(code)
    dialog = NewFollowupDialog(window.page("followups"), window)
    qtbot.addWidget(dialog)
    # Not "2026-12-06".
    assert _reading(dialog.due.text(), code) == TODAY[code]


@pytest.mark.parametrize("code", sorted(TODAY))
def test_the_voucher_dialog_writes_the_expiry_in_the_language(speak, window, qtbot, code):
    from crm.gui.views.vouchers.issue_dialog import IssueVouchersDialog

    speak(code)
    dialog = IssueVouchersDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    # A year from today; not "6/12/27" nor "12/6/27".
    assert _reading(dialog.expires.text(), code) == TODAY[code].replace("2026", "2027")


ENGLISH = {"el": "Αγγλικά", "bg": "Английски", "it": "Inglese", "ar": "الإنجليزية"}


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_languages_are_named_in_the_interface_language(speak, store, qsettings, qtbot, code):
    from crm import demo
    from crm.core import letters
    from crm.gui.app import build_window
    from crm.gui.formatting import language_name

    speak(code)
    demo.generate(store, contacts=60, seed=7)
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    assert language_name("en") == ENGLISH[code]
    # The pending letters' Language column: not "en", "it".
    page = window.show_page("vouchers")
    page.refresh()
    pending = letters.pending_list()
    assert pending
    table = page.letters_table
    shown = [table.item(row, 3).text() for row in range(table.rowCount())]
    assert shown == [language_name(letter["language"]) for letter in pending]
    assert all(len(name) > 2 for name in shown), shown
    if any(letter["language"] == "en" for letter in pending):
        assert ENGLISH[code] in shown


ITALY = {"el": "Ιταλία", "bg": "Италия", "it": "Italia", "ar": "إيطاليا"}


@pytest.mark.parametrize("code", sorted(ITALY))
def test_the_contact_pane_names_the_country_and_language(speak, window, code):
    from crm.core import contacts

    speak(code)
    data = contacts.ContactData(
        given_name="Rosaria",
        family_name="Gallo",
        street="Via Giuseppe Verdi 22",
        postcode="50140",
        city="Firenze",
        region="FI",
        country="IT",
        language="en",
    )
    contact = contacts.create_contact(data)
    window.go("contact", contact.id)
    facts = window.page("contacts").detail.fields
    # Not the code "IT" on the address's last line, nor the code "en".
    assert facts["address"].text().split("\n") == [
        "Via Giuseppe Verdi 22",
        "50140 Firenze",
        "FI",
        ITALY[code],
    ]
    assert facts["language"].text() == ENGLISH[code]


@pytest.mark.parametrize(("code", "shown"), [("el", "1.234"), ("ar", "1,234")])
def test_the_follow_up_counts_are_grouped_as_the_language_groups(
    speak, store, qsettings, qtbot, code, shown
):
    import datetime as dt

    from crm.core import contacts, models
    from crm.gui.app import build_window

    speak(code)
    anna = contacts.create_contact(contacts.ContactData(given_name="Anna", family_name="Rossi"))
    late = dt.date(2026, 11, 1)
    rows = [{"contact": anna.id, "kind": "call", "title": "Call", "due": late}] * 1234
    models.FollowUp.insert_many(rows).execute()
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    page = window.show_page("followups")
    page.refresh()
    overdue = page.tabs.tabText(1)
    # Not "1,234" (English grouping) in Greek.
    assert f"({shown})" in overdue, overdue


WORD = {"el": "ΔΙΑΓΡΑΦΗ", "bg": "ИЗТРИВАНЕ", "it": "CANCELLA", "ar": "حذف"}


@pytest.mark.parametrize("code", sorted(WORD))
def test_erasing_is_confirmed_with_the_languages_word(speak, window, qtbot, code):
    from crm.core import contacts
    from crm.gui.views.data.privacy import EraseDialog

    speak(code)
    anna = contacts.create_contact(contacts.ContactData(given_name="Anna", family_name="Rossi"))
    dialog = EraseDialog(window.ctx, anna.id, window)
    qtbot.addWidget(dialog)
    # The prompt names the language's word, not the English ERASE.
    assert WORD[code] in dialog.prompt.text() and "ERASE" not in dialog.prompt.text()
    dialog.confirm_edit.setText(WORD[code].lower() if code != "ar" else "حذ")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm_edit.setText(WORD[code])
    assert dialog.erase_button.isEnabled()
    dialog.confirm_edit.setText("ERASE")  # as the documentation says: still confirms
    assert dialog.erase_button.isEnabled()
    assert contacts.get_contact(anna.id).erased_at is None  # typing erased nothing


def test_the_quality_tab_words_its_reasons_in_the_language(speak):
    from crm.gui.views.vouchers.quality import giver_reason, referral_reason

    giver = {"referrals": 7, "converted": 1, "conversion_rate": 1 / 7}
    giver |= {"others_rate": 0.46, "open": 2}
    speak("el")
    # Was English in every language: "7 referrals, 1 won (14%); the other givers …".
    assert giver_reason(giver) == (
        "7 συστάσεις, 1 κερδισμένη (14%)· οι υπόλοιποι συστήνοντες μετατρέπουν "
        "το 46% των δικών τους (2 ακόμη ανοιχτές)"
    )
    shared = {"shared": {"phone": "+30 210 1234567"}, "reason": "giver and referred share …"}
    assert referral_reason(shared) == (
        "ο συστήνων και το πρόσωπο που συστήθηκε μοιράζονται το τηλέφωνο +30 210 1234567"
    )
    noted = {"shared": {}, "reason": "when recorded, giver and referred share the email a@b.gr"}
    assert referral_reason(noted) == (
        "κατά την καταχώριση: ο συστήνων και το πρόσωπο που συστήθηκε μοιράζονται "
        "τη διεύθυνση ηλεκτρονικού ταχυδρομείου a@b.gr"
    )
    speak("ar")
    assert giver_reason(giver).startswith("7 إحالات، واحدة رابحة")


@pytest.mark.parametrize(
    ("code", "daily"), [("el", "Ημερήσιο"), ("bg", "Ежедневно"), ("it", "Giornaliero")]
)
def test_a_backups_reason_is_worded_in_the_language(speak, code, daily):
    from crm.gui.views.data.backups import reason_label

    speak(code)
    # These words were never extracted into the catalog (a local t() is no keyword).
    assert reason_label("daily") == daily
    assert reason_label("before-upgrade-v7").endswith(" 7")
    assert "Before" not in reason_label("before-upgrade-v7")


@pytest.mark.parametrize("code", ["bg", "el", "it", "ar"])
def test_the_contact_editors_consent_box_shows_all_its_words(speak, window, qtbot, code):
    from PySide6.QtWidgets import QStyle

    speak(code)
    window.resize(1024, 640)
    dialog = window.page("contacts").make_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.consent
    style = box.style()
    room = box.contentsRect().width() - style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    room -= style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
    words = box.text().replace("&", "")
    # "Съгласен да получава маркетинг" lost its last word in a 230-pixel field.
    assert box.fontMetrics().horizontalAdvance(words) <= room + 1
    assert dialog.width() <= 1024
    dialog.close()


@pytest.mark.parametrize(
    ("code", "typed", "english"), [("it", "1.234,56", "12.50"), ("el", "1.234,56", "1,234.56")]
)
def test_the_won_dialog_reads_the_amount_as_the_language_writes_it(
    speak, window, qtbot, code, typed, english
):
    from decimal import Decimal

    from crm.core import contacts, referrals
    from crm.gui.views.referrals.won import WonDialog

    speak(code)
    ada = contacts.create_contact(contacts.ContactData(given_name="Ada", family_name="Rossi"))
    bob = contacts.create_contact(contacts.ContactData(given_name="Bob", family_name="Verdi"))
    ref = referrals.record_referral(ada.id, bob.id)
    dialog = WonDialog(ref.id, window)
    qtbot.addWidget(dialog)
    dialog.value.setText(english)
    dialog.save()
    # Refused with the language's example, and nothing changed.
    assert "1.234,56" in dialog.error.text() and english in dialog.error.text()
    assert referrals.get_referral(ref.id).status != "won"
    dialog.value.setText(typed)
    dialog.save()
    won = referrals.get_referral(ref.id)
    assert won.status == "won" and Decimal(str(won.value)) == Decimal("1234.56")


def test_the_duplicates_comparison_writes_days_and_countries_in_the_language(speak, window):
    speak("el")
    page = window.show_page("duplicates")
    compare = page.value_text
    # The consent day was shown as stored, 2026-02-26; the country as its code.
    assert "26 Φεβ 2026" in compare("consent_date", "2026-02-26")
    assert compare("country", "BG") == "Βουλγαρία"
    assert compare("language", "bg") == "Βουλγαρικά"


@pytest.mark.parametrize(
    ("code", "opening"),
    [("el", "Καμία συγκατάθεση μάρκετινγκ από: "), ("ar", "لا توجد موافقة على التسويق من: ")],
)
def test_a_refusal_for_want_of_consent_names_them_in_the_language(
    speak, window, qtbot, code, opening
):
    import datetime as dt

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidgetItem

    from crm.core import clock, contacts, models

    speak(code)
    holder = contacts.create_contact(contacts.ContactData(given_name="Γιάννης", family_name="Κ."))
    page = window.show_page("vouchers")
    page.issue_vouchers()
    dialog = page.issue_dialog
    item = QListWidgetItem("Γιάννης Κ.")
    item.setData(Qt.ItemDataRole.UserRole, holder.id)
    dialog._add_holder(item)
    dialog.batch.setText("Spring")
    dialog.expires.setDate(clock.today() + dt.timedelta(days=90))
    dialog.issue()
    # It was the core's English "No marketing consent from: …" in every language.
    assert dialog.error.text().startswith(opening), dialog.error.text()
    assert f"(#{holder.id})" in dialog.error.text()
    assert models.Voucher.select().count() == 0
    dialog.close()
