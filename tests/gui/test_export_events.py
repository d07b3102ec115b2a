"""File > Export > Calendar Events with Alarms: follow-ups as events an hour's alarm ahead."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from crm.core import contacts, referrals


def test_the_menu_exports_follow_ups_as_events_with_alarms(window, store, tmp_path, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    anna = contacts.create_contact(contacts.ContactData(given_name="Άννα", family_name="Αλεξίου"))
    luca = contacts.create_contact(contacts.ContactData(given_name="Luca", family_name="Bianchi"))
    referrals.record_referral(anna.id, luca.id)  # plans a follow-up
    target = tmp_path / "events.ics"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda parent, title, start, filters: (str(target), "")
    )
    window.findChild(QAction, "export_ics_events").trigger()
    cal = Calendar.from_ical(target.read_bytes())
    assert cal.walk("VTODO") == []
    [event] = cal.walk("VEVENT")
    assert "Luca Bianchi" in str(event["SUMMARY"])
    assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [-dt.timedelta(hours=1)]
    assert window.statusBar().currentMessage() == f"Wrote 1 follow-up or event to {target}"
