"""The desktop window opens on a real database and shows what it holds."""

from __future__ import annotations

from crm.core import contacts, referrals
from crm.gui.app import MainWindow


def test_main_window_shows_the_database_and_its_counts(qtbot, store, tmp_path):
    a = contacts.create_contact(contacts.ContactData(given_name="Ελένη", family_name="Νικολάου"))
    b = contacts.create_contact(contacts.ContactData(given_name="Петър", family_name="Петров"))
    referrals.record_referral(a.id, b.id)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    text = window.summary.text()
    assert str(store.path) in text
    assert "2 contacts, 1 referrals, 0 events" in text
    assert "Follow-ups due today: 0, overdue: 0" in text
    assert str(store.path) in window.windowTitle()
    window.grab().save(str(tmp_path / "main.png"))
    assert (tmp_path / "main.png").stat().st_size > 1000
