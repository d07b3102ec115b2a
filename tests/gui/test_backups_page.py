"""The Backups page and the automatic backups: daily, on close, restore after confirming."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QDesktopServices, QUndoCommand
from PySide6.QtWidgets import QMessageBox

from crm.core import backups, clock, contacts, db, settings
from crm.core.backups import daily_backup_due, parse_name
from crm.gui import backup_schedule
from crm.gui.app import build_window
from crm.gui.views.data.backups import COL_DATE, COL_REASON, COL_SIZE, COL_VERSION


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def names_in(store) -> list[str]:
    rows = store.db.execute_sql("SELECT given_name FROM contact ORDER BY id").fetchall()
    return [r[0] for r in rows]


def age(path, days: float) -> None:
    """Make a backup file look ``days`` old."""
    when = (clock.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def open_page(window):
    page = window.show_page("backups")
    assert window.current_page_name() == "backups"
    return page


def rows(page) -> list[list[str]]:
    tree = page.tree
    return [
        [tree.topLevelItem(i).text(c) for c in (COL_DATE, COL_REASON, COL_SIZE, COL_VERSION)]
        for i in range(tree.topLevelItemCount())
    ]


def test_backup_names_give_time_and_reason():
    assert parse_name("crm", "crm-20250102-030405-000123-before-upgrade-v1.sqlite3") == (
        dt.datetime(2025, 1, 2, 3, 4, 5, 123),
        "before-upgrade-v1",
    )
    assert parse_name("crm", "crm-20250102-030405-000000-daily.sqlite3")[1] == "daily"
    # Saved by hand from File → Back Up Now: no stamp, the date comes from the file.
    assert parse_name("crm", "crm-2025-01-02.sqlite3") == (None, "")
    assert parse_name("crm", "other-20250102-030405-000000-daily.sqlite3") == (None, "")


def test_page_lists_real_backups_with_date_reason_size_and_version(window, store, qtbot):
    person("Maria")
    first = backups.automatic_backup(store, reason="daily")
    second = backups.automatic_backup(store, reason="manual")
    # An old schema-1 file and one saved by hand under its own name.
    folder = backups.backups_dir(store)
    upgrade = folder / "crm-20240301-101112-000000-before-upgrade-v1.sqlite3"
    with sqlite3.connect(upgrade) as conn:
        conn.execute("CREATE TABLE crm_meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO crm_meta VALUES ('schema_version', '1')")
    conn.close()
    by_hand = folder / "crm-2024-02-01.sqlite3"
    by_hand.write_bytes(b"not a database at all")
    saved_on = dt.datetime(2024, 2, 1, 9, 30).timestamp()
    os.utime(by_hand, (saved_on, saved_on))

    page = open_page(window)
    shown = rows(page)
    assert [r[1] for r in shown] == [
        "Back Up Now",
        "Daily",
        "Before upgrading from version 1",
        "Saved by you",
    ]
    assert shown[2][0] == "2024-03-01 10:11:12"
    assert shown[3][0] == "2024-02-01 09:30:00"
    assert [r[3] for r in shown] == [
        str(db.SCHEMA_VERSION),
        str(db.SCHEMA_VERSION),
        "1",
        "not readable",
    ]
    assert shown[0][2] == QLocale().formattedDataSize(second.stat().st_size)
    assert page.tree.topLevelItem(0).data(COL_DATE, Qt.ItemDataRole.UserRole) == str(second)
    assert page.tree.topLevelItem(1).data(COL_DATE, Qt.ItemDataRole.UserRole) == str(first)
    assert page.folder_label.text() == f"Backups of this database in {folder}"
    assert page.keep_label.text().startswith("Passaparola keeps the newest 10 backups: one a day")
    assert page.restore_button.isEnabled()


def test_empty_folder_says_so_and_back_up_now_makes_the_first(window, store, qtbot):
    settings.set_value("backup_keep", 3)
    page = open_page(window)
    assert page.list_pages.currentWidget() is page.empty
    assert not page.restore_button.isEnabled()
    assert page.keep_label.text().startswith("Passaparola keeps the newest 3 backups")
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    made = backups.list_backups(store)
    assert len(made) == 1 and made[0].name.endswith("-manual.sqlite3")
    assert page.result_label.text() == f"Backed up to {made[0]}"
    assert page.list_pages.currentWidget() is page.tree
    assert [r[1] for r in rows(page)] == ["Back Up Now"]


def test_restore_through_the_page_after_confirming(window, store, qtbot):
    person("Before")
    saved = backups.automatic_backup(store, reason="manual")
    person("After")
    window.undo_stack.push(QUndoCommand("nothing"))
    page = open_page(window)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))

    box = page.restore_selected()
    assert box is not None and box.isVisible()
    assert box.text().startswith("Restore the backup of ")
    assert "current content is saved as a backup first" in box.informativeText()
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)

    assert names_in(store) == ["Before"]
    assert window.undo_stack.count() == 0
    # The content before the restore is kept, and the list shows that copy too.
    safety = [p for p in backups.list_backups(store) if p.name.endswith("-before-restore.sqlite3")]
    assert len(safety) == 1
    assert page.result_label.text().endswith(f"The content before it is in {safety[0]}")
    assert [r[1] for r in rows(page)] == ["Before a restore", "Back Up Now"]
    with sqlite3.connect(safety[0]) as conn:
        kept = [r[0] for r in conn.execute("SELECT given_name FROM contact ORDER BY id")]
    conn.close()
    assert kept == ["Before", "After"]
    assert saved.exists()


def test_cancelling_the_confirmation_changes_nothing(window, store, qtbot, unchanged):
    person("Before")
    backups.automatic_backup(store, reason="manual")
    person("After")
    page = open_page(window)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    with unchanged():
        box = page.restore_selected()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert len(backups.list_backups(store)) == 1
    assert names_in(store) == ["Before", "After"]


def test_a_damaged_backup_is_refused_with_the_database_unchanged(
    window, store, qtbot, errors, unchanged
):
    person("Kept")
    bad = backups.backups_dir(store)
    bad.mkdir(parents=True)
    (bad / "crm-20250101-000000-000000-manual.sqlite3").write_bytes(b"SQLite format 3\x00garbage")
    page = open_page(window)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    with unchanged():
        page.restore_selected()
        qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and "is not a Passaparola backup" in errors.messages()[0]


def test_open_folder_opens_the_backup_folder(window, store, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page = open_page(window)
    page.open_folder()
    assert opened == [str(backups.backups_dir(store))]
    assert backups.backups_dir(store).is_dir()


def test_change_opens_preferences_on_the_backups_tab(window):
    from crm.gui.settings_dialog import TAB_BACKUPS

    page = open_page(window)
    page.change_button.click()
    assert window.settings_dialog is not None
    assert window.settings_dialog.tabs.currentIndex() == TAB_BACKUPS
    window.settings_dialog.reject()


def test_data_pages_are_in_the_sidebar_and_the_view_menu(window):
    assert window.current_page_name() == "contacts"
    window.data_nav.setFocus()  # tabbing into the Data list does not leave the page
    assert window.current_page_name() == "contacts"
    window.data_nav.setCurrentRow(1)
    assert window.current_page_name() == "backups"
    assert window.nav.selectedItems() == []
    # The page's list stays current without a selection: a click on it switches back.
    contacts_item = window.nav.item(0)
    assert window.nav.currentItem() is contacts_item
    window.nav.itemClicked.emit(contacts_item)
    assert window.current_page_name() == "contacts"
    assert window.nav.selectedItems() == [contacts_item]
    assert window.data_nav.selectedItems() == []
    # Taking the focus does not switch pages (a list with no current row would).
    window.show_page("backups")
    window.nav.setFocus()
    assert window.current_page_name() == "backups"
    window.findChild(type(window.menu_actions.new_contact), "show_backups").trigger()
    assert window.current_page_name() == "backups"
    assert window.findChild(
        type(window.menu_actions.new_contact), "show_backups"
    ).shortcut().toString() == ("Ctrl+9")


# -- automatic backups --------------------------------------------------------------------


def test_closing_after_a_change_writes_an_automatic_backup(qtbot, store, qsettings):
    win = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(win)
    win.show()
    person("Νίκος")
    win.ctx.changed("contacts")
    win.close()
    made = backups.list_backups(store)
    assert len(made) == 1 and made[0].name.endswith("-close.sqlite3")
    assert backups.inspect_backup(made[0]) == db.SCHEMA_VERSION
    with sqlite3.connect(made[0]) as conn:
        assert conn.execute("SELECT given_name FROM contact").fetchall() == [("Νίκος",)]
    conn.close()


def test_closing_without_changes_writes_none(qtbot, store, qsettings):
    person("Νίκος")
    win = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(win)
    win.show()
    win.close()
    assert backups.list_backups(store) == []


def test_close_backups_rotate_by_backup_keep(qtbot, store, qsettings):
    settings.set_value("backup_keep", 2)
    for _ in range(3):
        backups.automatic_backup(store, reason="daily")
    win = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(win)
    win.show()
    win.ctx.changed("contacts")
    win.close()
    made = backups.list_backups(store)
    assert len(made) == 2 and made[0].name.endswith("-close.sqlite3")


def test_daily_backup_when_the_newest_is_over_a_day_old(window, store):
    schedule = window.backup_schedule
    assert not daily_backup_due(store)  # no contacts: nothing worth a copy yet
    assert not schedule.check_daily()
    person("Αλεξάνδρα")
    assert daily_backup_due(store)  # contacts and no backup at all
    old = backups.automatic_backup(store, reason="manual")
    age(old, 0.5)
    assert not schedule.check_daily()
    assert backups.list_backups(store) == [old]
    age(old, 1.5)
    assert schedule.check_daily()
    made = backups.list_backups(store)
    assert len(made) == 2 and made[0].name.endswith("-daily.sqlite3")
    assert not schedule.check_daily()  # the new one is recent


def test_daily_check_runs_after_start_up_and_every_hour(window, store, qtbot, monkeypatch):
    schedule = window.backup_schedule
    assert schedule.timer.isActive()
    assert schedule.timer.interval() == 60 * 60 * 1000
    person("Αλεξάνδρα")
    monkeypatch.setattr(backup_schedule, "STARTUP_DELAY_MS", 10)
    schedule.start()
    qtbot.waitUntil(lambda: len(backups.list_backups(store)) == 1, timeout=3000)
    assert backups.list_backups(store)[0].name.endswith("-daily.sqlite3")


def test_a_daily_backup_shows_on_the_page(window, store):
    person("Αλεξάνδρα")
    page = open_page(window)
    assert rows(page) == []
    window.backup_schedule.check_daily()
    assert [r[1] for r in rows(page)] == ["Daily"]
