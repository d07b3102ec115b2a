"""The main window: navigation, status bar, remembered layout, menus, screenshots."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings

from crm.cli import main
from crm.core import clock, contacts, followups, referrals
from crm.gui.about import about_text
from crm.gui.app import build_window
from crm.gui.pages import NAV_PAGES


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def test_navigation_shows_each_page(window, qtbot):
    for row, name in enumerate(NAV_PAGES):
        window.nav.setCurrentRow(row)
        assert window.current_page_name() == name
        assert window.stack.currentWidget().isVisible()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Contacts",
        "Organizations",
        "Referrals",
        "Events",
        "Follow-ups",
        "Vouchers & Letters",
        "Dashboard",
    ]


def test_view_shortcuts_switch_pages(window):
    window.findChild(type(window.menu_actions.new_contact), "show_events").trigger()
    assert window.current_page_name() == "events"
    assert window.nav.currentRow() == NAV_PAGES.index("events")


def test_status_bar_counts_followups_due_today_and_overdue(window, store):
    a = person("Ελένη", "Νικολάου")
    today = clock.today()
    followups.create_followup(a, today)
    followups.create_followup(a, today - dt.timedelta(days=3))
    followups.create_followup(a, today - dt.timedelta(days=1))
    window.ctx.changed("followups")
    assert window.due_label.text() == "Follow-ups: 1 due today, 2 overdue"


def test_layout_and_last_page_are_remembered(qtbot, store, qsettings):
    first = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(first)
    first.show()
    first.resize(1000, 700)
    first.splitter.setSizes([230, 770])
    first.show_page("followups")
    first.close()
    second = build_window(
        store, QSettings(qsettings.fileName(), QSettings.Format.IniFormat), synchronous=True
    )
    qtbot.addWidget(second)
    second.show()
    assert second.current_page_name() == "followups"
    # The offscreen screen is small, so Qt may narrow the width to the minimum;
    # the height shows the saved geometry came back.
    assert second.size().height() == 700 and second.size().width() >= 900
    assert abs(second.splitter.sizes()[0] - 230) <= 2


def test_about_names_versions_and_database(window, store):
    text = about_text(window.ctx)
    assert str(store.path) in text
    for part in ("Qt 6.", "Python 3.", "SQLite 3."):
        assert part in text


def test_referral_updates_the_status_bar(window):
    a, b = person("Anna"), person("Marco")
    referrals.record_referral(a, b, referred_on=clock.today() - dt.timedelta(days=5))
    window.ctx.changed("referrals")
    assert window.due_label.text() == "Follow-ups: 0 due today, 1 overdue"


def test_screenshot_command_writes_a_png_of_each_view(tmp_path, capsys):
    db = tmp_path / "shots.sqlite3"
    assert main(["--db", str(db), "demo", "--contacts", "300"]) == 0
    for view in ("contacts", "chain", "briefing", "settings"):
        out = tmp_path / f"{view}.png"
        assert main(["--db", str(db), "screenshot", view, "-o", str(out), "--size", "900x600"]) == 0
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    assert main(["--db", str(db), "screenshot", "nowhere", "-o", str(tmp_path / "x.png")]) == 2
    assert "Unknown view 'nowhere'" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(db),
                "screenshot",
                "contacts",
                "-o",
                str(tmp_path / "x.png"),
                "--size",
                "big",
            ]
        )
        == 2
    )
    assert "Size 'big' is not WIDTHxHEIGHT" in capsys.readouterr().err


def test_type_text_types_greek_and_arabic(qtbot):
    from PySide6.QtWidgets import QLineEdit
    from qtkeys import type_text

    edit = QLineEdit()
    qtbot.addWidget(edit)
    type_text(edit, "Παπαδόπουλος عزيزي")
    assert edit.text() == "Παπαδόπουλος عزيزي"


def test_archive_and_undo_report_in_words(window):
    a = person("Anna", "Bianchi")
    page = window.page("contacts")
    page.refresh()
    page.show_contact(a)
    window.menu_actions.archive.trigger()
    assert window.statusBar().currentMessage().startswith("Archived 1 contact. Undo with")
    assert window.menu_actions.undo.text().replace("&", "") == "Undo Archive 1 contact"
    window.menu_actions.undo.trigger()
    assert contacts.get_contact(a).archived is False
