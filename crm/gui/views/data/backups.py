"""Backups: this database's automatic and manual backups; back up now, restore one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import settings
from crm.core.backups import BackupInfo, automatic_backup, backups_dir, describe_backups
from crm.core.backups import restore as restore_backup
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, number
from crm.gui.views.base import View
from crm.gui.widgets import EmptyState

COL_DATE, COL_REASON, COL_SIZE, COL_VERSION = range(4)
PATH_ROLE = Qt.ItemDataRole.UserRole


def reason_label(code: str) -> str:
    """Why a backup was made, in words."""
    from PySide6.QtCore import QCoreApplication

    # Named _tr, an extraction keyword (babel.cfg): these words reach the catalog.
    def _tr(text: str) -> str:
        return QCoreApplication.translate("BackupsView", text)

    words = {
        "daily": _tr("Daily"),
        "close": _tr("On closing the app"),
        "manual": _tr("Back Up Now"),
        "before-restore": _tr("Before a restore"),
        "auto": _tr("Automatic"),
        "": _tr("Saved by you"),
    }
    if code in words:
        return words[code]
    if code.startswith("before-upgrade-v"):
        return _tr("Before upgrading from version %1").replace("%1", code.rsplit("v", 1)[1])
    return code.replace("-", " ").capitalize()


def _label(name: str, *, selectable: bool = False) -> QLabel:
    """A plain-text, wrapping label (database text is never markup)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class BackupsView(View):
    """The backups of the open database, newest first."""

    depends_on = ("backups", "settings")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.backups: list[BackupInfo] = []
        self.confirmation: QMessageBox | None = None
        self.confirm_button: QPushButton | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        self.server = EmptyState(
            self.tr("Backups work on a database file"),
            self.tr(
                "This database is on a server: back it up with the server's own tools "
                "(pg_dump for PostgreSQL)."
            ),
        )
        self.pages.addWidget(self.server)

        self.main = QWidget()
        self.pages.addWidget(self.main)
        layout = QVBoxLayout(self.main)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.addLayout(self._build_top())
        layout.addWidget(self._build_list(), 1)
        layout.addLayout(self._build_bottom())
        self.result_label = _label("backupResult", selectable=True)
        layout.addWidget(self.result_label)
        self.setFocusProxy(self.tree)

    # -- building -----------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        return button

    def _build_top(self) -> QHBoxLayout:
        """Where the backups are, and what can be done with them."""
        top = QHBoxLayout()
        self.folder_label = _label("backupFolder", selectable=True)
        top.addWidget(self.folder_label, 1)
        self.backup_button = self._button(self.tr("&Back Up Now"), "backUpNow", self.back_up_now)
        self.restore_button = self._button(
            self.tr("&Restore…"), "restoreBackup", self.restore_selected
        )
        self.folder_button = self._button(
            self.tr("Open &Folder"), "openBackupFolder", self.open_folder
        )
        for button in (self.backup_button, self.restore_button, self.folder_button):
            top.addWidget(button)
        return top

    def _build_list(self) -> QStackedWidget:
        """The backups, newest first, or a word when there are none yet."""
        self.list_pages = QStackedWidget()
        self.tree = QTreeWidget()
        self.tree.setObjectName("backupTable")
        self.tree.setHeaderLabels(
            [self.tr("Date"), self.tr("Reason"), self.tr("Size"), self.tr("Schema version")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSortingEnabled(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in (COL_DATE, COL_SIZE, COL_VERSION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.list_pages.addWidget(self.tree)
        self.empty = EmptyState(
            self.tr("No backups yet"),
            self.tr(
                "Passaparola backs up once a day while it runs and when you close it after "
                "changes. Back Up Now makes the first copy."
            ),
        )
        self.list_pages.addWidget(self.empty)
        return self.list_pages

    def _build_bottom(self) -> QHBoxLayout:
        """How many are kept, and the way to change it."""
        bottom = QHBoxLayout()
        self.keep_label = _label("backupKeep")
        bottom.addWidget(self.keep_label, 1)
        self.change_button = QPushButton(self.tr("&Change…"))
        self.change_button.setToolTip(self.tr("Backup folder and how many to keep"))
        self.change_button.clicked.connect(self.open_preferences)
        bottom.addWidget(self.change_button)
        return bottom

    def title(self) -> str:
        return self.tr("Backups")

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        store = self.ctx.store
        if not store.is_sqlite:
            self.pages.setCurrentWidget(self.server)
            return
        self.pages.setCurrentWidget(self.main)
        self.folder_label.setText(
            self.tr("Backups of this database in %1").replace(
                "%1", cell_text(str(backups_dir(store).resolve()))
            )
        )
        keep = int(settings.get("backup_keep"))
        self.keep_label.setText(
            (
                self.tr("Passaparola keeps the newest backup")
                if keep == 1
                else self.tr("Passaparola keeps the newest %1 backups").replace("%1", number(keep))
            )
            + self.tr(
                ": one a day while it runs, one when you close it after changes, and one "
                "before every upgrade and restore."
            )
        )
        # Each file is opened to read its schema version: off the UI thread.
        self.ctx.gateway.run(lambda _progress: describe_backups(store), on_done=self.show_backups)

    def show_backups(self, backups: list[BackupInfo]) -> None:
        selected = self.selected()
        self.backups = backups
        self.tree.clear()
        locale = QLocale()
        for info in backups:
            version = (
                self.tr("not readable") if info.schema_version is None else str(info.schema_version)
            )
            item = QTreeWidgetItem(
                [
                    self.when_text(info.taken_at),
                    reason_label(info.reason),
                    locale.formattedDataSize(info.size),
                    version,
                ]
            )
            item.setData(COL_DATE, PATH_ROLE, str(info.path))
            item.setToolTip(COL_DATE, str(info.path))
            item.setToolTip(COL_REASON, info.path.name)
            item.setTextAlignment(
                COL_SIZE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            self.tree.addTopLevelItem(item)
        self.list_pages.setCurrentWidget(self.tree if backups else self.empty)
        paths = [str(b.path) for b in backups]
        if backups:
            row = paths.index(str(selected.path)) if selected and str(selected.path) in paths else 0
            chosen = self.tree.topLevelItem(row)
            if chosen is not None:
                self.tree.setCurrentItem(chosen)
        self._selection_changed()

    @staticmethod
    def when_text(when: dt.datetime) -> str:
        return f"{when:%Y-%m-%d %H:%M:%S}"

    def selected(self) -> BackupInfo | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        path = item.data(COL_DATE, PATH_ROLE)
        return next((b for b in self.backups if str(b.path) == path), None)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # -- actions ----------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """A backup now, into the backup folder, rotated like the automatic ones."""
        store = self.ctx.store
        self.result_label.setText(self.tr("Backing up…"))

        def done(path: str) -> None:
            self.result_label.setText(self.tr("Backed up to %1").replace("%1", cell_text(path)))
            self.ctx.changed("backups")

        def failed(exc: BaseException) -> None:
            self.result_label.clear()
            self.ctx.gateway.show_error(str(exc))

        self.ctx.gateway.run(
            lambda _progress: str(automatic_backup(store, reason="manual")),
            on_done=done,
            on_error=failed,
            label=self.tr("Backing up…"),
            cancellable=False,
        )

    def restore_selected(self) -> QMessageBox | None:
        """Ask before replacing the database with the selected backup (non-blocking)."""
        info = self.selected()
        if info is None:
            self.result_label.setText(self.tr("Select a backup to restore first"))
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Restore Backup"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("Restore the backup of %1 (%2)?")
            .replace("%1", self.when_text(info.taken_at))
            .replace("%2", reason_label(info.reason))
        )
        box.setInformativeText(
            self.tr(
                "Everything in this database is replaced with the backup's content. "
                "The current content is saved as a backup first, so you can come back to it."
            )
        )
        self.confirm_button = box.addButton(
            self.tr("&Restore"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._confirmed(box, info))
        self.confirmation = box
        box.open()
        return box

    def _confirmed(self, box: QMessageBox, info: BackupInfo) -> None:
        accepted = box.clickedButton() is self.confirm_button
        if self.confirmation is box:
            self.confirmation = None
            self.confirm_button = None
        box.deleteLater()
        if accepted:
            self.restore(info)

    def restore(self, info: BackupInfo) -> None:
        """Replace the database's content with ``info``'s (the current content saved first)."""
        store = self.ctx.store
        path = str(info.path)

        def done(safety: str) -> None:
            stack = getattr(self.window(), "undo_stack", None)
            if stack is not None:
                stack.clear()  # undo steps refer to rows that may be gone
            self.result_label.setText(
                self.tr("Restored the backup of %1. The content before it is in %2")
                .replace("%1", self.when_text(info.taken_at))
                .replace("%2", cell_text(safety))
            )
            self.ctx.changed("all")

        self.ctx.gateway.run(
            lambda _progress: str(restore_backup(store, path)),
            on_done=done,
            label=self.tr("Restoring…"),
            cancellable=False,
        )

    def open_folder(self) -> None:
        folder = backups_dir(self.ctx.store)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.ctx.gateway.show_error(str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def open_preferences(self) -> None:
        window = self.window()
        opener = getattr(window, "open_settings", None)
        if opener is None:
            return
        opener()
        dialog = getattr(window, "settings_dialog", None)
        if dialog is not None:
            from crm.gui.settings_dialog import TAB_BACKUPS

            dialog.tabs.setCurrentIndex(TAB_BACKUPS)

    def focus_search(self) -> None:
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
