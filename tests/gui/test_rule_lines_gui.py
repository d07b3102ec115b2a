"""In the Greek interface, follow-up titles and history lines a rule made read in Greek."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from crm.core import clock, contacts, followups, interactions, models, referrals
from crm.gui.app import build_window, set_language
from crm.gui.views.contacts.history import HistorySection
from crm.gui.views.followups import team
from crm.gui.views.followups.table import COL_TITLE


def person(given: str, family: str = "") -> int:
    data = contacts.ContactData(given_name=given, family_name=family)
    return contacts.create_contact(data).id


@pytest.fixture
def greek_window(qapp_named, store, qsettings, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = QApplication.instance()
    set_language(app, "el")
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    set_language(app, "en")


def test_a_new_referral_s_followup_reads_greek_in_the_table_and_the_editor(greek_window):
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    item = models.FollowUp.get(models.FollowUp.contact == friend)
    followups.reschedule(item.id, clock.today())  # into the "today" section
    view = greek_window.show_page("followups")
    greek_window.ctx.changed("followups")
    model = view.models["today"]
    assert model.rowCount() == 1
    want = "Επικοινωνία με Alan Turing, σύσταση από Ada Lovelace"
    assert model.index(0, COL_TITLE).data() == want
    # The editor shows it so; saved untouched, the rule's code stays.
    dialog = team.edit_followup(view, item.id)
    assert dialog is not None and dialog.title_edit.text() == want
    dialog.notes.setPlainText("Μετά τις 10")
    dialog.accept()
    stored = followups.get_followup(item.id)
    assert stored.notes == "Μετά τις 10" and stored.message == item.message


def test_the_contact_history_reads_greek(greek_window, qtbot):
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    interactions.add_note(
        giver, "note", "Referred Alan Turing, she says", at=dt.datetime(2026, 1, 1)
    )
    section = HistorySection()
    qtbot.addWidget(section)
    section.show_contact(giver)
    texts = [section.tree.topLevelItem(i).text(2) for i in range(section.tree.topLevelItemCount())]
    assert "Σύστησε την επαφή Alan Turing" in texts
    assert "Η επαφή δημιουργήθηκε" in texts
    assert "Referred Alan Turing, she says" in texts  # typed by the user: as typed


def test_a_contact_s_edit_reads_greek_in_its_history(greek_window, qtbot):
    anna = person("Anna", "Bianchi")
    contacts.update_contact(anna, city="Πάτρα", stage="customer")
    section = HistorySection()
    qtbot.addWidget(section)
    section.show_contact(anna)
    texts = [section.tree.topLevelItem(i).text(2) for i in range(section.tree.topLevelItemCount())]
    assert "Πεδία που άλλαξαν: πόλη και στάδιο" in texts
    assert models.Interaction.get(models.Interaction.kind == "updated").summary == (
        "Changed city, stage"
    )
