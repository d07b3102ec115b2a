"""Referrals: the page with its filters, recording a referral, moving its status.

The table's model is in :mod:`crm.gui.views.referrals.model`, the status bar above it
in :mod:`crm.gui.views.referrals.pipeline`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.core import models, referrals
from crm.core.errors import CrmError
from crm.core.undo_journal import Recorder, referral_watch
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import DATE_FORMAT, day_text, money, number, qdate, qtoday
from crm.gui.person_picker import PersonPicker
from crm.gui.undo import perform, push_recorded
from crm.gui.views.base import View
from crm.gui.views.referrals.dialog import ReferralDialog, event_label
from crm.gui.views.referrals.menus import build_context_menu, fill_move_menu
from crm.gui.views.referrals.model import (
    _GIVER_ID,
    _REFERRED_ID,
    _STATUS,
    ReferralTableModel,
)
from crm.gui.views.referrals.pipeline import PipelineBar
from crm.gui.views.referrals.won import WonDialog
from crm.gui.widgets import EmptyState


class ReferralsView(View):
    depends_on = ("contacts", "referrals", "events")

    # Period combo entries, in order; "custom" shows the from/to dates.
    PERIODS = ("all", "month", "quarter", "year", "custom")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: ReferralDialog | None = None
        self.won_dialog: WonDialog | None = None

        # -- actions row
        actions = self._build_actions()

        # -- filters row
        self._build_filter_fields()
        filters = self._build_filters()

        # -- the pipeline and the table
        self._build_table()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.pipeline)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.no_match)

        self.empty = EmptyState(
            self.tr("No referrals yet"),
            self.tr(
                "When someone introduces you to a new person, record it here: who referred whom, "
                "where, and how warm the introduction was."
            ),
        )
        self.empty.add_action(self.tr("Record a Referral…")).clicked.connect(self.record_referral)
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)

        self._add_shortcuts()

        self._restore_header()
        self._update_actions()

    def _build_actions(self) -> QHBoxLayout:
        """Record, move, show chain, open; the count on the far side."""
        self.record_button = QPushButton(self.tr("Record Referral…"))
        self.record_button.setObjectName("recordReferral")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.record_referral)
        self.move_button = QToolButton()
        self.move_button.setObjectName("moveTo")
        self.move_button.setText(self.tr("Move to"))
        # A split button keeps room for its arrow (an instant popup drew it over the end
        # of longer words: "Μεταφορά σε", "Преместване в"); either half opens the menu.
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.move_button.clicked.connect(self.move_button.showMenu)
        self.move_menu = QMenu(self.move_button)
        self.move_menu.aboutToShow.connect(lambda: fill_move_menu(self, self.move_menu))
        self.move_button.setMenu(self.move_menu)
        self.chain_button = QPushButton(self.tr("Show Chain"))
        self.chain_button.setObjectName("showChain")
        self.chain_button.clicked.connect(self.show_chain)
        self.open_button = QPushButton(self.tr("Open Contact"))
        self.open_button.clicked.connect(lambda: self.open_contact())
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        actions = QHBoxLayout()
        actions.addWidget(self.record_button)
        actions.addWidget(self.move_button)
        actions.addWidget(self.chain_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        return actions

    def _build_filter_fields(self) -> None:
        """The giver picker, the event, program and period combos, and the dates."""
        self.giver_filter = PersonPicker(self.tr("Referred by anyone"))
        self.giver_filter.setObjectName("giverFilter")
        self.giver_filter.setMinimumWidth(110)
        self.giver_filter.picked.connect(lambda _id: self.apply_filters())
        self.giver_filter.textChanged.connect(self._giver_text_changed)
        self.event_filter = QComboBox()
        self.event_filter.setObjectName("eventFilter")
        # Room for "Any event" in every language; an event's long title elides.
        self.event_filter.setMinimumContentsLength(max(8, len(self.tr("Any event"))))
        self.event_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_filter = QComboBox()
        self.program_filter.setObjectName("programFilter")
        # The program and period lists are short words: shown whole in every language.
        self.program_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.program_filter.addItem(self.tr("Any program"), None)
        for code in models.PROGRAMS:
            self.program_filter.addItem(labels.program(code), code)
        self.period_filter = QComboBox()
        self.period_filter.setObjectName("periodFilter")
        self.period_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, text in zip(
            self.PERIODS,
            (
                self.tr("All time"),
                self.tr("This month"),
                self.tr("This quarter"),
                self.tr("This year"),
                self.tr("From… to…"),
            ),
            strict=True,
        ):
            self.period_filter.addItem(text, code)
        today = qtoday()
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit(today)
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            edit.hide()
            edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.clear_button = QPushButton(self.tr("Clear Filters"))
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear_filters)
        for combo in (self.event_filter, self.program_filter, self.period_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

    def _build_filters(self) -> QHBoxLayout:
        """The filter row: each filter names itself, so the row needs no captions."""
        # Each filter names itself ("Referred by anyone", "Any event", "All time"),
        # so the row needs no captions and fits a narrow window.
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Filter:")))
        for name, widget in (
            (self.tr("Referred by"), self.giver_filter),
            (self.tr("Event"), self.event_filter),
            (self.tr("Program"), self.program_filter),
            (self.tr("Period"), self.period_filter),
        ):
            widget.setAccessibleName(name)
            widget.setToolTip(name)
            filters.addWidget(widget, 2 if widget is self.giver_filter else 1)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        filters.addWidget(self.clear_button)
        return filters

    def _build_table(self) -> None:
        """The pipeline bar and the referrals table with its actions."""
        self.pipeline = PipelineBar()
        self.pipeline.status_chosen.connect(lambda _s: self.apply_filters())
        self.model = ReferralTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("referralsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self._default_widths()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        open_action = QAction(self.tr("Open Contact"), self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(lambda: self.open_contact())
        self.table.addAction(open_action)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.no_match = QLabel(self.tr("No referrals match these filters."))
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()

    def _add_shortcuts(self) -> None:
        """Ctrl+Shift+R records a referral from anywhere on the page."""
        record = QAction(self.tr("Record Referral"), self)
        record.setShortcut(QKeySequence("Ctrl+Shift+R"))
        record.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        record.triggered.connect(self.record_referral)
        self.addAction(record)

    def _restore_header(self) -> None:
        """The columns as the user left them, and the table's sort to match."""
        header = self.table.horizontalHeader()
        state = self.ctx.settings.value("referrals/header")
        if isinstance(state, QByteArray):
            header.restoreState(state)
            self.model.order = (
                self.model.ORDER_KEYS[header.sortIndicatorSection()]
                if (0 <= header.sortIndicatorSection() < self.model.COLUMN_COUNT)
                else "date"
            )
            self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        else:
            header.setSortIndicator(ReferralTableModel.DATE, Qt.SortOrder.DescendingOrder)

    def _default_widths(self) -> None:
        fm = self.table.fontMetrics()
        bold = self.table.horizontalHeader().fontMetrics()
        samples = (
            "Χαρίκλεια Αντωνίου-Παπα",
            "Χαρίκλεια Αντωνίου-Παπα",
            day_text(dt.date(2025, 12, 28)),
            max((labels.program(p) for p in models.PROGRAMS), key=fm.horizontalAdvance),
            "●●●●●",
            "■ "
            + max(
                (labels.referral_status(s) for s in models.REFERRAL_STATUSES),
                key=fm.horizontalAdvance,
            ),
            money(1_234_567, "EUR"),
        )
        for column, sample in enumerate(samples):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(fm.horizontalAdvance(sample), bold.horizontalAdvance(title) + 16)
            self.table.setColumnWidth(column, width + 20)

    # -- page API -------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Referrals")

    def focus_search(self) -> None:
        self.giver_filter.setFocus()
        self.giver_filter.selectAll()

    def save_layout(self) -> None:
        self.ctx.settings.setValue("referrals/header", self.table.horizontalHeader().saveState())

    def refresh(self) -> None:
        self._fill_events()
        has_any = referrals.any_recorded()
        self.stack.setCurrentIndex(0 if has_any else 1)
        self._reload()

    # -- filters ----------------------------------------------------------------------

    def _fill_events(self) -> None:
        current = self.event_filter.currentData()
        self.event_filter.blockSignals(True)
        self.event_filter.clear()
        self.event_filter.addItem(self.tr("Any event"), None)
        for eid, title, starts in referrals.event_choices():
            self.event_filter.addItem(event_label(title, starts), eid)
        index = self.event_filter.findData(current) if current is not None else 0
        self.event_filter.setCurrentIndex(max(0, index))
        self.event_filter.blockSignals(False)

    def filters(self, with_status: bool = True) -> dict[str, Any]:
        """The filters as keyword arguments of referrals.query_ids."""
        out: dict[str, Any] = {}
        if with_status and self.pipeline.current() is not None:
            out["status"] = self.pipeline.current()
        if self.giver_filter.contact_id is not None:
            out["giver_id"] = self.giver_filter.contact_id
        if self.event_filter.currentData() is not None:
            out["event_id"] = self.event_filter.currentData()
        if self.program_filter.currentData() is not None:
            out["program"] = self.program_filter.currentData()
        period = self.period_filter.currentData()
        if period == "custom":
            out["date_from"] = self.date_from.date().toPython()
            out["date_to"] = self.date_to.date().toPython()
        elif period and period != "all":
            out["date_from"], out["date_to"] = referrals.period_range(period)
        return out

    def _giver_text_changed(self, text: str) -> None:
        # The clear button empties the field without an edit: drop the filter too.
        if not text and self.giver_filter.contact_id is not None:
            self.giver_filter.clear_contact()

    def apply_filters(self) -> None:
        custom = self.period_filter.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self._reload()

    def set_status_filter(self, status: str | None) -> None:
        self.pipeline.set_current(status)
        self.apply_filters()

    def set_period(
        self, period: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> None:
        if date_from is not None:
            self.date_from.setDate(qdate(date_from))
        if date_to is not None:
            self.date_to.setDate(qdate(date_to))
        self.period_filter.setCurrentIndex(self.PERIODS.index(period))

    def clear_filters(self) -> None:
        for combo in (self.event_filter, self.program_filter, self.period_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.giver_filter.blockSignals(True)
        self.giver_filter.clear_contact()
        self.giver_filter.blockSignals(False)
        self.pipeline.set_current(None)
        self.apply_filters()

    def _reload(self) -> None:
        selected = self.selected_id()
        self.pipeline.set_totals(referrals.pipeline_totals(**self.filters(with_status=False)))
        self.model.reload(self.filters())
        n = len(self.model.ids)
        self.count_label.setText(
            self.tr("1 referral") if n == 1 else self.tr("%1 referrals").replace("%1", number(n))
        )
        self.no_match.setVisible(n == 0)
        if selected is not None:
            self.select_referral(selected)
        self._update_actions()

    # -- selection --------------------------------------------------------------------

    def visible_ids(self) -> list[int]:
        return list(self.model.ids)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_referral(self, referral_id: int) -> bool:
        row = self.model.row_of(referral_id)
        if row < 0:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        # Not QTableView.selectRow: right to left it looks for a column past the
        # viewport's edge and selects nothing.
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def selected_row(self) -> tuple[Any, ...] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        has = self.selected_id() is not None
        for widget in (self.move_button, self.chain_button, self.open_button):
            widget.setEnabled(has)

    # -- recording ----------------------------------------------------------------------

    def make_dialog(self, **prefill: Any) -> ReferralDialog:
        """The record-a-referral dialog, wired to this page (tests drive it directly)."""
        if "giver_id" not in prefill and self.giver_filter.contact_id is not None:
            prefill["giver_id"] = self.giver_filter.contact_id
        if "event_id" not in prefill and self.event_filter.currentData() is not None:
            prefill["event_id"] = self.event_filter.currentData()
        dialog = ReferralDialog(self, **prefill)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        return dialog

    def record_referral(self) -> ReferralDialog:
        dialog = self.make_dialog()
        dialog.open()
        return dialog

    def _saved(self, referral_id: int, created_contact_id: int) -> None:
        if created_contact_id:
            self.ctx.changed("contacts")
        self.ctx.changed("referrals")
        if not self.select_referral(referral_id):
            # Filters hide the new referral: show everything so it can be seen.
            self.clear_filters()
            self.select_referral(referral_id)

    # -- moving along the pipeline ----------------------------------------------------------

    def move_to(
        self, status: str, referral_id: int | None = None, *, reopen: bool = False
    ) -> WonDialog | None:
        """Move the selected (or given) referral; won first asks for the value."""
        ref_id = referral_id if referral_id is not None else self.selected_id()
        if ref_id is None:
            return None
        text = self.tr("Move Referral to %1").replace("%1", labels.referral_status(status))
        changed = ("referrals", "followups", "contacts")
        if status == "won":
            # The dialog writes; the step is what changed between opening and saving.
            recorder = Recorder(referral_watch(ref_id))
            dialog = WonDialog(ref_id, self, reopen=reopen)
            dialog.saved.connect(lambda _id: push_recorded(self.ctx, self, text, recorder, changed))
            dialog.saved.connect(lambda _id: self.ctx.changed("referrals"))
            self.won_dialog = dialog
            dialog.open()
            return dialog
        try:
            move = partial(referrals.change_status, ref_id, status, reopen=reopen)
            perform(self.ctx, self, text, move, referral_watch(ref_id), changed)
        except CrmError as exc:
            self.ctx.gateway.show_error(exc.message)
            return None
        self.ctx.changed("referrals")
        return None

    # -- context menu, navigation ----------------------------------------------------------

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self._select_row(index.row())
        menu = build_context_menu(self)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.open_contact(giver=index.column() == ReferralTableModel.GIVER)

    def open_contact(self, giver: bool = False) -> None:
        row = self.selected_row()
        if row is not None and row[_STATUS]:
            self.ctx.navigate.emit("contact", row[_GIVER_ID] if giver else row[_REFERRED_ID])

    def show_chain(self) -> None:
        row = self.selected_row()
        if row is not None and row[_STATUS]:
            self.ctx.navigate.emit("chain", row[_REFERRED_ID])
