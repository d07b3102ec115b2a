"""The main window: navigation, the commands behind the menus, status bar, remembered layout.

Which pages there are is in crm.gui.pages, the menu bar in crm.gui.menus, and
the File menu's work on the whole database in crm.gui.database_actions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from crm import APP_NAME
from crm.core.errors import CrmError
from crm.gui.backup_schedule import BackupSchedule
from crm.gui.context import AppContext
from crm.gui.menus import build_menus
from crm.gui.pages import ALL_PAGES, DATA_PAGES, NAV_PAGES, PAGE_CLASSES, Pages
from crm.gui.views.base import View

if TYPE_CHECKING:
    from crm.gui.notifier import FollowupNotifier

# The core services (peewee) are imported where they are used, as the pages are
# (crm.gui.pages): the contacts table paints its first page with plain SQL
# (crm.core.contact_table) before they load.


class ArchiveCommand(QUndoCommand):
    """Archive contacts; undo brings them back."""

    def __init__(self, ctx: AppContext, ids: list[int], text: str) -> None:
        super().__init__(text)
        self.ctx, self.ids = ctx, ids

    def redo(self) -> None:
        from crm.core import contacts

        for cid in self.ids:
            contacts.set_archived(cid, True)
        self.ctx.changed("contacts")

    def undo(self) -> None:
        from crm.core import contacts

        for cid in self.ids:
            contacts.set_archived(cid, False)
        self.ctx.changed("contacts")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"{APP_NAME} — {ctx.store.target.describe()}")
        self.setMinimumSize(QSize(900, 560))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(240)
        self.stack = QStackedWidget()
        self.pages: Pages = Pages(self._build_page)
        self._placeholders: dict[str, QWidget] = {}
        icons = {
            "contacts": QStyle.StandardPixmap.SP_DirHomeIcon,
            "referrals": QStyle.StandardPixmap.SP_ArrowRight,
            "events": QStyle.StandardPixmap.SP_FileDialogDetailedView,
            "followups": QStyle.StandardPixmap.SP_BrowserReload,
            "vouchers": QStyle.StandardPixmap.SP_DialogApplyButton,
            "dashboard": QStyle.StandardPixmap.SP_FileDialogInfoView,
        }
        for name in ALL_PAGES:
            placeholder = QWidget()
            self._placeholders[name] = placeholder
            self.stack.addWidget(placeholder)
        titles = self.page_titles()
        for name in NAV_PAGES:
            item = QListWidgetItem(self.style().standardIcon(icons[name]), titles[name])
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.data_nav = self._data_navigation(titles)
        for nav_list in (self.nav, self.data_nav):
            nav_list.itemClicked.connect(
                lambda item: self.show_page(item.data(Qt.ItemDataRole.UserRole))
            )

        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self._sidebar())
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.statusBar().addPermanentWidget(self.due_label)
        build_menus(self)

        ctx.data_changed.connect(self._data_changed)
        ctx.navigate.connect(self.go)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(60_000)
        self._due_timer.timeout.connect(self.update_due)
        self._due_timer.start()
        # After the first paint: the count scans the open follow-ups, and the
        # notifier (a tray icon, where there is one) starts.
        self._due_generation = 0
        QTimer.singleShot(250, self.update_due)
        self._notifier: FollowupNotifier | None = None
        QTimer.singleShot(250, self._start_notifier)
        self.settings_dialog = None
        self.import_wizard = None
        self.erase_dialog = None
        self.backup_schedule = BackupSchedule(ctx, self)
        self.backup_schedule.start()
        self._restore_layout()

    @property
    def notifier(self) -> FollowupNotifier:
        self._start_notifier()
        assert self._notifier is not None
        return self._notifier

    def _start_notifier(self) -> None:
        if self._notifier is None:
            from crm.gui.notifier import FollowupNotifier

            self._notifier = FollowupNotifier(self)

    # -- navigation -----------------------------------------------------------

    def page(self, name: str) -> View:
        return self.pages[name]

    def page_titles(self) -> dict[str, str]:
        return {
            "contacts": self.tr("Contacts"),
            "referrals": self.tr("Referrals"),
            "events": self.tr("Events"),
            "followups": self.tr("Follow-ups"),
            "vouchers": self.tr("Vouchers & Letters"),
            "dashboard": self.tr("Dashboard"),
            "chain": self.tr("Referral Chain"),
            "briefing": self.tr("Event Briefing"),
            "duplicates": self.tr("Duplicates"),
            "backups": self.tr("Backups"),
        }

    def _data_navigation(self, titles: dict[str, str]) -> QListWidget:
        icons = {
            "duplicates": QStyle.StandardPixmap.SP_FileDialogContentsView,
            "backups": QStyle.StandardPixmap.SP_DriveHDIcon,
        }
        data_nav = QListWidget()
        data_nav.setObjectName("dataNavigation")
        data_nav.setIconSize(QSize(20, 20))
        for name in DATA_PAGES:
            item = QListWidgetItem(self.style().standardIcon(icons[name]), titles[name])
            item.setData(Qt.ItemDataRole.UserRole, name)
            data_nav.addItem(item)
        # A row is its icon or its text, whichever is taller, plus the item's
        # margins (measured without sizeHintForRow, which lays out every item).
        row = max(data_nav.iconSize().height(), data_nav.fontMetrics().height()) + 2
        rows = row * len(DATA_PAGES)
        data_nav.setFixedHeight(rows + 2 * data_nav.frameWidth() + 4)
        # A current row from the start, unselected: a list without one makes its
        # first row current when it takes the focus, which would switch pages.
        data_nav.setCurrentRow(0)
        data_nav.clearSelection()
        data_nav.currentRowChanged.connect(self._data_nav_changed)
        return data_nav

    def _sidebar(self) -> QWidget:
        """The page list, then the Data group (duplicates, backups) at the bottom."""
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setMinimumWidth(150)
        sidebar.setMaximumWidth(240)
        self.nav.setMinimumWidth(0)
        self.nav.setMaximumWidth(16_777_215)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.nav, 1)
        heading = QLabel(self.tr("Data"))
        heading.setObjectName("dataHeading")
        heading.setContentsMargins(6, 4, 6, 0)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(self.data_nav)
        return sidebar

    def _build_page(self, name: str) -> View:
        module_name, class_name = PAGE_CLASSES[name]
        module = importlib.import_module(module_name)
        page: View = getattr(module, class_name)(self.ctx)
        placeholder = self._placeholders.pop(name)
        index = self.stack.indexOf(placeholder)
        current = self.stack.currentWidget() is placeholder
        self.stack.insertWidget(index, page)
        if current:
            self.stack.setCurrentWidget(page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if name == "contacts":
            page.demo_requested.connect(self.demo_action.trigger)  # type: ignore[attr-defined]
            page.import_requested.connect(self.import_contacts)  # type: ignore[attr-defined]
            # Right-click a contact: the person's data, export or erase.
            table = page.table  # type: ignore[attr-defined]
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            table.addActions([self.export_person_action, self.erase_person_action])
        return page

    def current_page_name(self) -> str:
        widget = self.stack.currentWidget()
        return next(name for name, page in self.pages.items() if page is widget)

    def show_page(self, name: str) -> View:
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        if name in NAV_PAGES:
            row = NAV_PAGES.index(name)
            if self.nav.currentRow() != row:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
            self.nav.item(row).setSelected(True)
        else:
            self.nav.clearSelection()
        # The list that holds the page shows it selected; the other keeps its current
        # row (so taking the focus never switches pages) with nothing selected, and
        # a click on that row still switches (itemClicked).
        self.data_nav.blockSignals(True)
        if name in DATA_PAGES:
            self.data_nav.setCurrentRow(DATA_PAGES.index(name))
            self.data_nav.item(DATA_PAGES.index(name)).setSelected(True)
        else:
            self.data_nav.clearSelection()
        self.data_nav.blockSignals(False)
        self.ctx.settings.setValue("main/lastPage", name if name in NAV_PAGES else "contacts")
        return page

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(NAV_PAGES):
            self.show_page(NAV_PAGES[row])

    def _data_nav_changed(self, row: int) -> None:
        if 0 <= row < len(DATA_PAGES):
            self.show_page(DATA_PAGES[row])

    def go(self, what: str, ident: int) -> None:
        """Follow a link from any view: a contact, a chain, an event, a briefing."""
        if what == "contact":
            self.show_page("contacts")
            self.pages["contacts"].show_contact(ident)  # type: ignore[attr-defined]
        elif what == "chain":
            self.show_page("chain")
            self.pages["chain"].show_contact(ident)  # type: ignore[attr-defined]
        elif what == "event":
            self.show_page("events")
            self.pages["events"].show_event(ident)  # type: ignore[attr-defined]
        elif what == "briefing":
            self.show_page("briefing")
            self.pages["briefing"].show_event(ident)  # type: ignore[attr-defined]
        elif what in PAGE_CLASSES:
            self.show_page(what)

    # -- actions ----------------------------------------------------------------

    def new_contact(self) -> None:
        self.show_page("contacts")
        self.pages["contacts"].new_contact()  # type: ignore[attr-defined]

    def find(self) -> None:
        self.stack.currentWidget().focus_search()  # type: ignore[attr-defined]

    def archive_selected(self) -> None:
        view = self.pages["contacts"]
        ids: list[int] = view.selected_ids()  # type: ignore[attr-defined]
        if self.current_page_name() != "contacts" or not ids:
            self.statusBar().showMessage(self.tr("Select contacts to archive first"), 4000)
            return
        n = len(ids)
        count = self.tr("1 contact") if n == 1 else self.tr("%1 contacts").replace("%1", str(n))
        self.undo_stack.push(
            ArchiveCommand(self.ctx, ids, self.tr("Archive %1").replace("%1", count))
        )
        shortcut = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.statusBar().showMessage(
            self.tr("Archived %1. Undo with %2").replace("%1", count).replace("%2", shortcut), 8000
        )

    def import_contacts(self) -> None:
        """Open the import wizard (one at a time)."""
        from crm.gui.views.data.import_wizard import ImportWizard

        if self.import_wizard is not None:
            self.import_wizard.raise_()
            self.import_wizard.activateWindow()
            return
        wizard = ImportWizard(self.ctx, self)
        wizard.finished.connect(lambda _r: self._import_wizard_closed(wizard))
        self.import_wizard = wizard
        wizard.open()

    def _import_wizard_closed(self, wizard) -> None:
        if self.import_wizard is wizard:
            self.import_wizard = None
        wizard.deleteLater()

    def export_data(self, kind: str, path: str | None = None) -> None:
        """Export to a file the user picks: vcard4, vcard3, csv, ics or referrals."""
        from crm.gui.views.data.exporting import export_file

        export_file(self.ctx, kind, self, path, report=self._exported)

    def _exported(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _person_for_privacy(self) -> int | None:
        contact_id = None
        if self.current_page_name() == "contacts":
            contact_id = self.pages["contacts"].detail.contact_id  # type: ignore[attr-defined]
        if contact_id is None:
            self.statusBar().showMessage(
                self.tr("Select a contact on the Contacts page first"), 6000
            )
        return contact_id

    def export_person(self) -> None:
        """Write everything held on the selected contact to a folder (JSON and vCard)."""
        from crm.gui.views.data.privacy import export_person_data

        contact_id = self._person_for_privacy()
        if contact_id is not None:
            export_person_data(self.ctx, contact_id, self, report=self._exported)

    def erase_person(self) -> None:
        """Erase the selected contact after a typed confirmation."""
        from crm.gui.views.data.privacy import EraseDialog

        contact_id = self._person_for_privacy()
        if contact_id is None:
            return
        try:
            dialog = EraseDialog(self.ctx, contact_id, self)
        except CrmError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        erased = self.tr("Erased #%1; their referrals, rewards and vouchers stay, anonymous")
        dialog.erased.connect(lambda _info: self._exported(erased.replace("%1", str(contact_id))))
        dialog.finished.connect(dialog.deleteLater)
        self.erase_dialog = dialog
        dialog.open()

    def load_demo(self) -> None:
        from crm.gui.database_actions import load_demo

        load_demo(self)

    def backup_now(self) -> None:
        from crm.gui.database_actions import back_up_now

        back_up_now(self)

    def restore_backup(self) -> None:
        from crm.gui.database_actions import restore_backup

        restore_backup(self)

    def print_page(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer) -> None:
        """Print the current page as it looks, scaled to the paper."""
        from PySide6.QtGui import QPainter

        page = self.stack.currentWidget()
        painter = QPainter(printer)
        try:
            area = printer.pageRect(printer.Unit.DevicePixel)
            scale = min(area.width() / max(page.width(), 1), area.height() / max(page.height(), 1))
            painter.scale(scale, scale)
            page.render(painter)
        finally:
            painter.end()

    def open_settings(self) -> None:
        from crm.gui.settings_dialog import SettingsDialog

        # Opened window-modal without blocking, so tests can drive it.
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
        dialog = SettingsDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.ctx.changed("settings"))
        self.settings_dialog = dialog
        dialog.open()

    def about(self) -> None:
        from crm.gui.about import AboutDialog

        # Window-modal without blocking, as Preferences is, so tests can read it.
        dialog = AboutDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- status, layout -----------------------------------------------------------

    def _data_changed(self, what: str) -> None:
        if what in ("all", "followups", "contacts", "referrals", "events"):
            self.update_due()

    def update_due(self) -> None:
        # On the worker: at 100,000 contacts the counts take ~50 ms, three frames.
        self._due_generation += 1
        generation = self._due_generation

        def count(_progress) -> tuple[int, int]:
            from crm.core import followups

            return followups.due_counts()

        def show(counts: tuple[int, int]) -> None:
            if generation != self._due_generation:
                return  # a later count is on its way
            today, overdue = counts
            self.due_label.setText(
                self.tr("Follow-ups: %1 due today, %2 overdue")
                .replace("%1", str(today))
                .replace("%2", str(overdue))
            )

        self.ctx.gateway.run(count, on_done=show)

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        geometry = s.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        splitter = s.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([180, 1020])
        last = s.value("main/lastPage", "contacts")
        self.show_page(last if last in NAV_PAGES else "contacts")

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/splitter", self.splitter.saveState())
        for page in list(self.pages.values()):
            save = getattr(page, "save_layout", None)
            if save is not None:
                save()
        s.sync()

    def closeEvent(self, event) -> None:
        self.save_layout()
        # After changes, a rolling backup of what the session did (waits for it).
        self.backup_schedule.back_up_before_closing()
        self.ctx.gateway.wait(10_000)
        super().closeEvent(event)


def about_text(ctx: AppContext) -> str:
    """The About facts as plain text: name, version, database, Qt, PySide6, Python, SQLite."""
    from crm.gui.about import about_text as text

    return text(ctx)
