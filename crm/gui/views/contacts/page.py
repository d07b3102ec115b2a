"""Contacts: the lazy table over the whole database, filters, detail pane, editor."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import contact_table
from crm.core.errors import ValidationError
from crm.gui.context import AppContext
from crm.gui.formatting import number
from crm.gui.views.base import View
from crm.gui.views.contacts.filters import ContactFilters
from crm.gui.views.contacts.loading import ListLoader, SearchOrder
from crm.gui.views.contacts.model import COL_NAME, ContactQuery, ContactTableModel
from crm.gui.views.contacts.table import ContactTable
from crm.gui.widgets import EmptyState, named
from crm.i18n import ngettext

if TYPE_CHECKING:
    from crm.gui.views.contacts.detail import ContactDetail
    from crm.gui.views.contacts.dialog import ContactDialog

# Start-up: this page paints its first rows through crm.core.contact_table (plain
# SQL); crm.core.contacts (peewee), the detail pane and the editor are imported
# when first used.


class ContactsView(View):
    depends_on = ("contacts", "referrals", "followups", "events")

    # The first-run page's buttons: the main window loads demo data / imports.
    demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: ContactDialog | None = None
        self._current_id: int | None = None
        self._selecting = False
        self._current_row = 0
        self._shown_query: ContactQuery | None = None
        # After a new sort order: the contact to select again once the whole list
        # has come, unless the user has moved from the row selected meanwhile.
        self._wanted: int | None = None
        self._auto_id: int | None = None
        # Kept across a reload of the same query: the selected ids, the scroll position.
        self._keep: tuple[ContactQuery, list[int], int] | None = None

        self.model = ContactTableModel(self)
        self.loader = ListLoader(self.model, self.ctx.gateway)
        self.model.runner = self.loader.run

        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.empty = self._build_empty()
        self.pages.addWidget(self.empty)
        self.main = QWidget()
        self.pages.addWidget(self.main)
        layout = QVBoxLayout(self.main)
        layout.setContentsMargins(6, 6, 6, 4)
        self.filters = self._build_filters()
        layout.addWidget(self.filters)
        self.table = self._build_table()
        self._detail: ContactDetail | None = None
        self.detail_holder = self._build_detail_holder()
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "contactsSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_holder)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.count_label = named(QLabel(), "contactCount")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        self.postal_button = named(QPushButton(self.tr("Labels && Envelopes…")), "contactsPostal")
        self.postal_button.setToolTip(
            self.tr("Address labels or envelopes for the selected contacts")
        )
        self.postal_button.clicked.connect(self.open_postal)
        bottom.addWidget(self.postal_button)
        layout.addLayout(bottom)

        self.setFocusProxy(self.table)
        self._restore_layout()

    def _build_empty(self) -> EmptyState:
        """The first-run page: demo data, an import, or the first contact."""
        empty = EmptyState(
            self.tr("Welcome to Passaparola"),
            self.tr(
                "Keep track of the people you meet, who introduced them, and the business "
                "their referrals bring. Start with demo data to look around, import your "
                "contacts, or add the first person yourself."
            ),
        )
        self.demo_button = empty.add_action(self.tr("Load &Demo Data…"))
        self.demo_button.clicked.connect(self.demo_requested)
        self.import_button = empty.add_action(self.tr("&Import Contacts…"))
        self.import_button.clicked.connect(self.import_requested)
        self.first_contact_button = empty.add_action(self.tr("&New Contact…"))
        self.first_contact_button.clicked.connect(self.new_contact)
        return empty

    def _build_filters(self) -> ContactFilters:
        filters = ContactFilters()
        filters.search_changed.connect(self._search)
        filters.changed.connect(self._filters_changed)
        filters.new_requested.connect(self.new_contact)
        filters.down_pressed.connect(self._down_from_search)
        # The filter widgets by the names the main window and the tests use.
        self.search = filters.search
        self.tag_filter, self.stage_filter = filters.tag_filter, filters.stage_filter
        self.channel_filter, self.archived_filter = filters.channel_filter, filters.archived_filter
        self.new_button = filters.new_button
        return filters

    def _build_table(self) -> ContactTable:
        table = ContactTable(self.model)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        # After setModel: the view and its selection clear themselves on a reset
        # first, then this selects the contact again.
        self.model.modelReset.connect(self._after_reset)
        self.model.completed.connect(self._after_complete)
        table.open_requested.connect(self.edit_current)
        table.archive_requested.connect(self._archive_selected)
        self.search_order = SearchOrder(self.model, table.horizontalHeader())
        self.loader.after_paint = table.after_next_paint
        return table

    def _build_detail_holder(self) -> QStackedWidget:
        """Where the detail pane goes; until it is built, what an empty pane shows.

        The pane is built when first used, after the table has painted
        (``detail``: its modules and its widgets cost ~6 ms of start-up).
        """
        holder = QStackedWidget()
        holder.setMinimumWidth(280)  # as ContactDetail
        self._waiting = QLabel(
            QCoreApplication.translate("ContactDetail", "Select a contact to see their details.")
        )
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._waiting.setWordWrap(True)
        self._waiting.setEnabled(False)
        holder.addWidget(self._waiting)
        return holder

    def title(self) -> str:
        return self.tr("Contacts")

    @property
    def detail(self) -> ContactDetail:
        """The detail pane, built on first use."""
        if self._detail is None:
            from crm.gui.views.contacts.detail import ContactDetail

            detail = ContactDetail(self.ctx)
            detail.edit_requested.connect(self.edit_contact)
            detail.archive_requested.connect(self.set_archived)
            self.detail_holder.addWidget(detail)
            self.detail_holder.setCurrentWidget(detail)
            self.detail_holder.removeWidget(self._waiting)
            self._waiting.deleteLater()
            # From now on the pane's own minimum, which follows what it shows.
            self.detail_holder.setMinimumWidth(0)
            self._detail = detail
        return self._detail

    # -- layout ---------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        splitter = s.value("contacts/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([700, 380])
        header = s.value("contacts/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
        self.search_order.show_indicator()  # saved while searching: none shown

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("contacts/splitter", self.splitter.saveState())
        s.setValue("contacts/header", self.table.horizontalHeader().saveState())

    # -- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        if not contact_table.has_contacts():
            self.pages.setCurrentWidget(self.empty)
            self.model.apply([], False)
            return
        self.pages.setCurrentWidget(self.main)
        self._reload_tags()
        if not self.model.loaded and not self.ctx.gateway.synchronous:
            # First paint: the first page of ids now, the whole ordered list on a
            # worker once it has painted (at 100,000 contacts that list takes
            # ~25 ms, and the worker loads peewee: started now, it would hold
            # the interpreter while the window paints).
            head = contact_table.query_id_array(
                **self.model.query.kwargs(), limit=self.model.page_size
            )
            self.model.apply(head, False, head=True)
            self.table.after_next_paint(self.loader.load_rest)
            return
        if self.model.loaded:
            scroll = self.table.verticalScrollBar().value()
            self._keep = (self.model.query, self.selected_ids(), scroll)
        self.model.requery(now=not self.model.loaded)

    def _keep_view(self) -> None:
        """After a reload of the same query: the rows selected before, the list where it was."""
        keep, self._keep = self._keep, None
        if keep is None or keep[0] != self.model.query:
            return
        _query, ids, scroll = keep
        selection = self.table.selectionModel()
        current = self._current_id
        for contact_id in ids:
            row = self.model.row_of(contact_id) if contact_id != current else None
            if row is not None:
                selection.select(
                    self.model.index(row, COL_NAME),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.table.updateGeometries()
        self.table.verticalScrollBar().setValue(scroll)

    def _reload_tags(self) -> None:
        self.filters.set_tags(contact_table.tag_choices())

    def _after_reset(self) -> None:
        self._select_after_reset()
        self._keep_view()

    def _select_after_reset(self) -> None:
        self._update_count()
        query, before = self.model.query, self._shown_query
        row = self.model.row_of(self._current_id) if self._current_id is not None else None
        defer, self._wanted = False, None
        if row is None and self.model.rowCount():
            # Nothing shown yet: the first row, so the keys work at once. The
            # contact shown is gone: after a change in the data (archived, say)
            # the one now in its place; for a new search, the first result.
            # Either way its details load after the table has painted.
            refreshed = self._current_id is not None and query == before
            row = min(self._current_row, self.model.rowCount() - 1) if refreshed else 0
            defer = True
            if self.model.head and before is not None and self._current_id is not None:
                resorted = replace(before, order=query.order, descending=query.descending)
                # Sorted anew: the contact shown may be past the first page; it is
                # selected again when the rest has come (_after_complete).
                self._wanted = self._current_id if resorted == query else None
        self._shown_query = query
        if row is None:
            self._current_id = None
            self.detail.show_contact(None)
            return
        # The data changed (the same query again): the pane reloads even when it
        # shows the same contact. A new query shows it as it is.
        self._select_row(row, defer=defer, reload=query == before, show=self._wanted is None)
        self._auto_id = self._current_id

    def _after_complete(self) -> None:
        """The rest of the list came: the count, and the contact a new sort order moved."""
        self._update_count()
        wanted, self._wanted = self._wanted, None
        if wanted is None or self._current_id != self._auto_id:
            return  # no contact to find again, or the user has moved since
        row = self.model.row_of(wanted)
        if row is None:
            self._show_detail_of_current()
            return
        self._select_row(row)
        self.table.scrollTo(
            self.model.index(row, COL_NAME), QAbstractItemView.ScrollHint.PositionAtCenter
        )

    def _update_count(self) -> None:
        if self.model.head:
            # The first page, painted before the whole list: its length is no count.
            self.count_label.clear()
            return
        n = self.model.rowCount()
        if self.model.capped:
            text = self.tr("Showing the first %1 matches: type more to narrow the search")
            text = text.replace("%1", number(n))
        elif n == 1:
            text = self.tr("1 contact")
        else:
            text = self.tr("%1 contacts").replace("%1", number(n))
        if self.model.query.filtered and not self.model.capped:
            text = (
                self.tr("1 contact matches")
                if n == 1
                else self.tr("%1 contacts match").replace("%1", number(n))
            )
        self.count_label.setText(text)

    def _select_row(
        self, row: int, *, defer: bool = False, reload: bool = False, show: bool = True
    ) -> None:
        """Make ``row`` the current, selected row and show its contact in the pane."""
        index = self.model.index(row, COL_NAME)
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._selecting = False
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self._current_id, self._current_row = self.model.id_at(row), row
        if not show:
            return
        if defer:
            self.table.after_next_paint(self._show_detail_of_current)
        elif self._current_id != self.detail.contact_id:
            self.detail.show_contact(self._current_id)
        elif reload:
            self.detail.reload()

    def _current_changed(self, current, _previous) -> None:
        contact_id = self.model.id_at(current.row()) if current.isValid() else None
        if contact_id is None or self._selecting:
            return
        # The user moved (keys, mouse): show that contact now.
        self._current_id, self._current_row = contact_id, current.row()
        if contact_id != self.detail.contact_id:
            self.detail.show_contact(contact_id)

    def _show_detail_of_current(self) -> None:
        if self._current_id != self.detail.contact_id:
            self.detail.show_contact(self._current_id)

    # -- search and filters ------------------------------------------------------------

    def _search(self, text: str) -> None:
        self.search_order.search(text)

    def _filters_changed(self) -> None:
        self.model.update_query(**self.filters.values())

    def clear_filters(self) -> None:
        """Back to every contact (keeping the sort order)."""
        self.filters.clear()

    def _down_from_search(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self._select_row(0)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- what the main window calls --------------------------------------------------------

    def show_contact(self, contact_id: int) -> None:
        """Select and show one contact (clearing filters that hide it)."""
        if self.pages.currentWidget() is self.empty:
            self.refresh()
        self._current_id = contact_id
        row = self.model.row_of(contact_id)
        if row is None:
            # Perhaps new or changed since the list was made: run the query again now.
            self.model.requery(now=True)
            row = self.model.row_of(contact_id)
        if row is None:
            self.clear_filters()
            from crm.core import contacts

            try:
                archived = contacts.get_contact(contact_id).archived
            except ValidationError as exc:
                self.ctx.gateway.show_error(exc.message)
                return
            self.filters.include_archived(archived)
            order, descending = self.search_order.column_order()
            self.model.set_query(
                ContactQuery(
                    order=order,
                    descending=descending,
                    include_archived=self.archived_filter.isChecked(),
                ),
                now=True,
            )
            self.search_order.show_indicator()
            row = self.model.row_of(contact_id)
        if row is not None:
            self._select_row(row)
            self.table.scrollTo(
                self.model.index(row, COL_NAME), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [cid for cid in (self.model.id_at(row) for row in rows) if cid is not None]

    def new_contact(self) -> None:
        """Open the editor for a new contact."""
        self.open_dialog(None)

    def edit_current(self) -> None:
        contact_id = self.model.id_at(self.table.currentIndex().row())
        if contact_id is not None:
            self.edit_contact(contact_id)

    def edit_contact(self, contact_id: int) -> None:
        self.open_dialog(contact_id)

    def make_dialog(self, contact_id: int | None = None) -> ContactDialog:
        """The editor for a contact (None: a new one), not shown yet."""
        from crm.gui.views.contacts.dialog import ContactDialog

        dialog = ContactDialog(self.ctx, contact_id, self)
        dialog.saved.connect(self.show_contact)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        return dialog

    def open_dialog(self, contact_id: int | None) -> ContactDialog:
        dialog = self.make_dialog(contact_id)
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ContactDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # -- archiving ---------------------------------------------------------------------------

    def _archive_selected(self) -> None:
        action = getattr(getattr(self.window(), "menu_actions", None), "archive", None)
        if action is not None:
            action.trigger()

    def set_archived(self, contact_id: int, archive: bool) -> None:
        """Archive (through the main window's undo stack when there is one) or bring back."""
        window = self.window()
        stack = getattr(window, "undo_stack", None)
        if archive and stack is not None:
            # Imported here: the main window module imports this one.
            from crm.gui.archiving import ArchiveCommand

            stack.push(ArchiveCommand(self.ctx, [contact_id], self.tr("Archive Contact")))
            return
        from crm.core import contacts

        try:
            contacts.set_archived(contact_id, archive)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        self.ctx.changed("contacts")

    def open_postal(self) -> None:
        """Labels or envelopes for the selected contacts."""
        ids = self.selected_ids()
        if not ids:
            self.ctx.gateway.show_error(self.tr("Select the contacts to print addresses for"))
            return
        from crm.gui.postal_dialog import open_postal

        what = ngettext("{n} selected contact", "{n} selected contacts", len(ids)).format(
            n=len(ids)
        )
        open_postal(self.ctx, self, {"contact_ids": ids}, what)
