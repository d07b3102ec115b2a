"""The main window: navigation, the commands behind the menus, status bar, remembered layout.

Which pages there are is in crm.gui.pages, the menu bar in crm.gui.menus, and
the File menu's work on the whole database in crm.gui.database_actions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm import APP_NAME
from crm.core import users
from crm.core.errors import CrmError
from crm.gui.archiving import ArchiveCommand
from crm.gui.backup_schedule import BackupSchedule
from crm.gui.context import AppContext
from crm.gui.first_paint import after_first_paint
from crm.gui.gateway import Progress
from crm.gui.icon import ensure_app_icon
from crm.gui.live_updates import LiveUpdates
from crm.gui.menus import MenuActions, build_menus
from crm.gui.nav_icons import set_icons
from crm.gui.pages import ALL_PAGES, DATA_PAGES, NAV_PAGES, PAGE_CLASSES, Pages
from crm.gui.views.base import View
from crm.gui.widgets import fit_to_screen
from crm.i18n import ngettext

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from crm.gui.notifier import FollowupNotifier
    from crm.gui.settings_dialog import SettingsDialog
    from crm.gui.views.chain.page import ChainView
    from crm.gui.views.contacts.page import ContactsView
    from crm.gui.views.data.import_wizard import ImportWizard
    from crm.gui.views.data.privacy import EraseDialog
    from crm.gui.views.events.briefing import BriefingView
    from crm.gui.views.events.page import EventsView
    from crm.gui.views.vouchers.page import VouchersView

# The core services (peewee) are imported where they are used, as the pages are
# (crm.gui.pages): the contacts table paints its first page with plain SQL
# (crm.core.contact_table) before they load.


class MainWindow(QMainWindow):
    """The pages beside their navigation, the menu bar, the status bar."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"{APP_NAME} — {ctx.store.target.describe()}")
        self.setMinimumSize(QSize(900, 560))
        self.pages: Pages = Pages(self._build_page)
        self._placeholders: dict[str, QWidget] = {}
        self.stack = QStackedWidget()
        self._build_navigation()

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
        # Who this window works for: what history lines and follow-ups record.
        self.user_label = QLabel(self.tr("Working as %1").replace("%1", users.current() or "?"))
        self.user_label.setObjectName("userLabel")
        self.user_label.setContentsMargins(16, 0, 4, 0)
        self.statusBar().addPermanentWidget(self.user_label)
        self.menu_actions: MenuActions = build_menus(self)

        ctx.data_changed.connect(self._data_changed)
        ctx.navigate.connect(self.go)
        self._start_timers()
        self.settings_dialog: SettingsDialog | None = None
        self.import_wizard: ImportWizard | None = None
        self.erase_dialog: EraseDialog | None = None
        self.backup_schedule = BackupSchedule(ctx, self)
        self.backup_schedule.start()
        self._restore_layout()

    def _build_navigation(self) -> None:
        """A placeholder per page in the stack, and the page list beside it."""
        for name in ALL_PAGES:
            placeholder = QWidget()
            self._placeholders[name] = placeholder
            self.stack.addWidget(placeholder)
        titles = self.page_titles()
        self.nav = self._nav_list("navigation", NAV_PAGES, titles)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.data_nav = self._data_navigation(titles)
        for nav_list in (self.nav, self.data_nav):
            nav_list.itemClicked.connect(
                lambda item: self.show_page(item.data(Qt.ItemDataRole.UserRole))
            )

    def _start_timers(self) -> None:
        """The due count every minute; the first count and the notifier after the first paint."""
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(60_000)
        self._due_timer.timeout.connect(self.update_due)
        self._due_timer.start()
        # After the first paint: the app icon, the count (it scans the open follow-ups), the
        # notifier (a tray icon, where there is one). Others' changes show by themselves.
        self._due_generation = 0
        self._notifier: FollowupNotifier | None = None
        self.live = LiveUpdates(self.ctx, self)
        after_first_paint(self, lambda: set_icons(self.nav, self.data_nav), delay_ms=0)
        after_first_paint(
            self, ensure_app_icon, self.update_due, self._start_notifier, self.live.start
        )

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
            "organizations": self.tr("Organizations"),
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

    def _nav_list(
        self, object_name: str, names: tuple[str, ...], titles: dict[str, str]
    ) -> QListWidget:
        """A list of pages by their icon and title; each item holds its page's name."""
        nav = QListWidget()
        nav.setObjectName(object_name)
        nav.setIconSize(QSize(20, 20))
        for name in names:
            item = QListWidgetItem(titles[name])  # its icon after the first paint (nav_icons)
            item.setData(Qt.ItemDataRole.UserRole, name)
            nav.addItem(item)
        return nav

    def _data_navigation(self, titles: dict[str, str]) -> QListWidget:
        data_nav = self._nav_list("dataNavigation", DATA_PAGES, titles)
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
            contacts = cast("ContactsView", page)
            contacts.demo_requested.connect(self.menu_actions.demo.trigger)
            contacts.import_requested.connect(self.import_contacts)
            # Right-click a contact: the person's data, export or erase.
            table = contacts.table
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            table.addActions([self.menu_actions.export_person, self.menu_actions.erase_person])
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
            cast("ContactsView", self.show_page("contacts")).show_contact(ident)
        elif what == "chain":
            cast("ChainView", self.show_page("chain")).show_contact(ident)
        elif what == "event":
            cast("EventsView", self.show_page("events")).show_event(ident)
        elif what == "briefing":
            cast("BriefingView", self.show_page("briefing")).show_event(ident)
        elif what == "campaign":
            cast("VouchersView", self.show_page("vouchers")).show_campaign(ident)
        elif what in PAGE_CLASSES:
            self.show_page(what)

    # -- actions ----------------------------------------------------------------

    def new_contact(self) -> None:
        cast("ContactsView", self.show_page("contacts")).new_contact()

    def find_in_page(self) -> None:
        """Edit → Find: the current page's search field."""
        page = self.stack.currentWidget()
        if isinstance(page, View):
            page.focus_search()

    def archive_selected(self) -> None:
        ids = cast("ContactsView", self.pages["contacts"]).selected_ids()
        if self.current_page_name() != "contacts" or not ids:
            self.statusBar().showMessage(self.tr("Select contacts to archive first"), 4000)
            return
        n = len(ids)
        count = ngettext("{n} contact", "{n} contacts", n).format(n=n)
        self.undo_stack.push(
            ArchiveCommand(self.ctx, ids, self.tr("Archive %1").replace("%1", count))
        )
        shortcut = self.menu_actions.undo.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText
        )
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

    def _import_wizard_closed(self, wizard: ImportWizard) -> None:
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
            contact_id = cast("ContactsView", self.pages["contacts"]).detail.contact_id
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

    def print_to(self, printer: QPrinter) -> None:
        """Print the current page as it looks, scaled to the paper."""
        from crm.gui.printing import print_widget

        page = self.stack.currentWidget()
        if page is not None:
            print_widget(page, printer)

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

        def count(_progress: Progress) -> tuple[int, int]:
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
        fit_to_screen(self)  # a small screen, or one smaller than where it was saved
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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        self.save_layout()
        # After changes, a rolling backup of what the session did (waits for it).
        self.backup_schedule.back_up_before_closing()
        self.ctx.gateway.wait(10_000)
        super().closeEvent(event)
