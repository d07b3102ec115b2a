"""Referrals: the pipeline, filters, recording a referral, moving its status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
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
from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.views.referral_dialog import (
    DATE_FORMAT,
    STATUS_COLOURS,
    ContactPicker,
    ReferralDialog,
    WonDialog,
    day_text,
    event_label,
    money,
    money_totals,
    number,
    program_text,
    status_colour,
    status_text,
    temperature_text,
)
from crm.gui.widgets import EmptyState

# Row tuple positions (referrals.ROW_COLUMNS).
_ID, _GIVER_ID, _GIVER, _REFERRED_ID, _REFERRED, _DATE = range(6)
_PROGRAM, _TEMPERATURE, _STATUS, _VALUE, _CURRENCY = range(6, 11)
_EVENT_ID, _EVENT, _PRIMARY, _SUSPICION = range(11, 15)
_NO_PARENT = QModelIndex()


class ReferralTableModel(QAbstractTableModel):
    """Holds the ids that pass the filters; fetches rows a page at a time (one query each)."""

    GIVER, REFERRED, DATE, PROGRAM, TEMPERATURE, STATUS, VALUE, EVENT = range(8)
    COLUMN_COUNT = 8
    # The core's order keys, per column.
    ORDER_KEYS = ("giver", "referred", "date", "program", "temperature", "status", "value", "event")
    PAGE_SIZE = 200
    MAX_PAGES = 40  # pages kept in memory; older ones are fetched again when needed

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ids: list[int] = []
        self.filters: dict[str, Any] = {}
        self.order = "date"
        self.descending = True
        self._pages: dict[int, list[tuple[Any, ...]]] = {}
        self.queries = 0  # page fetches, for tests and curiosity
        # Nothing is read until the page is first shown (not at start-up).
        self.active = False

    # -- loading ---------------------------------------------------------------

    def reload(self, filters: dict[str, Any] | None = None) -> None:
        if filters is not None:
            self.filters = dict(filters)
        self.active = True
        self.beginResetModel()
        self.ids = referrals.query_ids(**self.filters, order=self.order, descending=self.descending)
        self._pages.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self.order = self.ORDER_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.active:
            self.reload()

    def row_data(self, row: int) -> tuple[Any, ...] | None:
        if not 0 <= row < len(self.ids):
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if len(self._pages) >= self.MAX_PAGES:
                self._pages.pop(next(iter(self._pages)))
            start = page * self.PAGE_SIZE
            chunk = self.ids[start : start + self.PAGE_SIZE]
            fetched = {r[_ID]: r for r in referrals.rows_for_ids(chunk)}
            # A referral deleted since the ids were read shows as an empty row.
            rows = [fetched.get(i, (i,) + ("",) * 14) for i in chunk]
            self._pages[page] = rows
            self.queries += 1
        return rows[row - page * self.PAGE_SIZE]

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, referral_id: int) -> int:
        try:
            return self.ids.index(referral_id)
        except ValueError:
            return -1

    # -- Qt model API -------------------------------------------------------------

    def rowCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Referred by"),
            self.tr("Person referred"),
            self.tr("Date"),
            self.tr("Program"),
            self.tr("Temperature"),
            self.tr("Status"),
            self.tr("Value"),
            self.tr("Event"),
        )[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == self.ID_ROLE:
            return self.id_at(index.row())
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        row = self.row_data(index.row())
        if row is None or row[_STATUS] == "":
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == self.VALUE:
                return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return status_colour(row[_STATUS]).darker(115) if col == self.STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TEMPERATURE:
                return f"{row[_TEMPERATURE]}/5 — {temperature_text(row[_TEMPERATURE])}"
            if col == self.REFERRED and row[_SUSPICION]:
                return self.tr("Check: %1").replace("%1", row[_SUSPICION])
            if col == self.REFERRED and not row[_PRIMARY]:
                return self.tr("Not the primary referrer of this person")
            return None
        if col == self.GIVER:
            return row[_GIVER]
        if col == self.REFERRED:
            return f"⚠ {row[_REFERRED]}" if row[_SUSPICION] else row[_REFERRED]
        if col == self.DATE:
            return day_text(row[_DATE])
        if col == self.PROGRAM:
            return program_text(row[_PROGRAM])
        if col == self.TEMPERATURE:
            t = int(row[_TEMPERATURE])
            return "●" * t + "○" * (5 - t)
        if col == self.STATUS:
            return status_text(row[_STATUS])
        if col == self.VALUE:
            return money(row[_VALUE], row[_CURRENCY]) if row[_VALUE] is not None else ""
        if col == self.EVENT:
            return row[_EVENT]
        return None


class PipelineBar(QWidget):
    """A segmented status filter: All, then one button per status with count and value."""

    status_chosen = Signal(object)  # a status code, or None for all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str | None, QToolButton] = {}
        for code in (None, *models.REFERRAL_STATUSES):
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"pipeline_{code or 'all'}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(
                button.sizePolicy().Policy.Expanding, button.sizePolicy().Policy.Preferred
            )
            # A narrow window squeezes the buttons rather than the whole page.
            button.setMinimumWidth(56)
            colour = status_colour(code).darker(125).name() if code else "#9aa5b1"
            checked = STATUS_COLOURS[code] if code else "#e4e7eb"
            button.setStyleSheet(
                "QToolButton { border: 1px solid palette(mid); border-top: 4px solid "
                f"{colour}; border-radius: 4px; padding: 4px 8px; background: palette(base); }}"
                f"QToolButton:checked {{ background: {checked}; font-weight: 600; }}"
                "QToolButton:hover:!checked { background: palette(alternate-base); }"
            )
            button.clicked.connect(lambda _c=False, s=code: self.status_chosen.emit(s))
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button, 1)
        self.buttons[None].setChecked(True)

    def set_totals(self, totals: dict[str, dict[str, Any]]) -> None:
        all_count = sum(t["count"] for t in totals.values())
        self.buttons[None].setText(self.tr("All") + "\n" + number(all_count))
        for code, button in self.buttons.items():
            if code is None:
                continue
            entry = totals.get(code, {"count": 0, "values": {}})
            count = number(int(entry["count"]))
            value = money_totals(entry["values"])
            short = money_totals(entry["values"], short=True, most=1)
            button.setText(f"{status_text(code)} · {count}\n{short or '—'}")
            button.setToolTip(
                self.tr("%1: %2 referrals, %3")
                .replace("%1", status_text(code))
                .replace("%2", count)
                .replace("%3", value or self.tr("no value recorded"))
            )

    def set_current(self, status: str | None) -> None:
        self.buttons[status].setChecked(True)

    def current(self) -> str | None:
        return next(code for code, b in self.buttons.items() if b.isChecked())


class ReferralsView(View):
    depends_on = ("contacts", "referrals", "events")

    # Period combo entries, in order; "custom" shows the from/to dates.
    PERIODS = ("all", "month", "quarter", "year", "custom")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: ReferralDialog | None = None
        self.won_dialog: WonDialog | None = None

        # -- actions row
        self.record_button = QPushButton(self.tr("Record Referral…"))
        self.record_button.setObjectName("recordReferral")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.record_referral)
        self.move_button = QToolButton()
        self.move_button.setObjectName("moveTo")
        self.move_button.setText(self.tr("Move to"))
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(self.move_button)
        self.move_menu.aboutToShow.connect(lambda: self._fill_move_menu(self.move_menu))
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

        # -- filters row
        self.giver_filter = ContactPicker(self.tr("Referred by anyone"))
        self.giver_filter.setObjectName("giverFilter")
        self.giver_filter.setMinimumWidth(110)
        self.giver_filter.picked.connect(lambda _id: self.apply_filters())
        self.giver_filter.textChanged.connect(self._giver_text_changed)
        self.event_filter = QComboBox()
        self.event_filter.setObjectName("eventFilter")
        self.event_filter.setMinimumContentsLength(8)
        self.event_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_filter = QComboBox()
        self.program_filter.setObjectName("programFilter")
        self.program_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.program_filter.setMinimumContentsLength(6)
        self.program_filter.addItem(self.tr("Any program"), None)
        for code in models.PROGRAMS:
            self.program_filter.addItem(program_text(code), code)
        self.period_filter = QComboBox()
        self.period_filter.setObjectName("periodFilter")
        self.period_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.period_filter.setMinimumContentsLength(6)
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
        today = QDate.currentDate()
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

        # -- the pipeline and the table
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

        record = QAction(self.tr("Record Referral"), self)
        record.setShortcut(QKeySequence("Ctrl+Shift+R"))
        record.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        record.triggered.connect(self.record_referral)
        self.addAction(record)

        state = ctx.settings.value("referrals/header")
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
        self._update_actions()

    def _default_widths(self) -> None:
        fm = self.table.fontMetrics()
        bold = self.table.horizontalHeader().fontMetrics()
        samples = (
            "Χαρίκλεια Αντωνίου-Παπα",
            "Χαρίκλεια Αντωνίου-Παπα",
            day_text(dt.date(2025, 12, 28)),
            max((program_text(p) for p in models.PROGRAMS), key=fm.horizontalAdvance),
            "●●●●●",
            "■ "
            + max((status_text(s) for s in models.REFERRAL_STATUSES), key=fm.horizontalAdvance),
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
        has_any = models.Referral.select().exists()
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
            self.date_from.setDate(QDate(date_from))
        if date_to is not None:
            self.date_to.setDate(QDate(date_to))
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

    def _selected_row(self) -> tuple[Any, ...] | None:
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

    def _fill_move_menu(self, menu: QMenu) -> None:
        menu.clear()
        row = self._selected_row()
        if row is None or not row[_STATUS]:
            menu.addAction(self.tr("Select a referral first")).setEnabled(False)
            return
        current = row[_STATUS]
        closed = current in models.CLOSED_STATUSES
        for code in models.REFERRAL_STATUSES:
            text = status_text(code) + ("…" if code == "won" else "")
            action = menu.addAction(text)
            action.setObjectName(f"move_{code}")
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setEnabled(code != current)
            action.triggered.connect(lambda _c=False, s=code: self.move_to(s))
        if closed:
            menu.addSeparator()
            reopen = menu.addMenu(self.tr("Reopen as"))
            for code in (*models.OPEN_STATUSES, "won" if current == "lost" else "lost"):
                action = reopen.addAction(status_text(code) + ("…" if code == "won" else ""))
                action.setObjectName(f"reopen_{code}")
                action.triggered.connect(lambda _c=False, s=code: self.move_to(s, reopen=True))

    def move_to(
        self, status: str, referral_id: int | None = None, *, reopen: bool = False
    ) -> WonDialog | None:
        """Move the selected (or given) referral; won first asks for the value."""
        ref_id = referral_id if referral_id is not None else self.selected_id()
        if ref_id is None:
            return None
        if status == "won":
            dialog = WonDialog(ref_id, self, reopen=reopen)
            dialog.saved.connect(lambda _id: self.ctx.changed("referrals"))
            self.won_dialog = dialog
            dialog.open()
            return dialog
        try:
            referrals.change_status(ref_id, status, reopen=reopen)
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
        menu = self.build_context_menu()
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self)
        row = self._selected_row()
        if row is not None and row[_STATUS]:
            menu.addAction(
                self.tr("Open %1").replace("%1", row[_REFERRED]), lambda: self.open_contact()
            )
            menu.addAction(
                self.tr("Open %1").replace("%1", row[_GIVER]),
                lambda: self.open_contact(giver=True),
            )
            menu.addAction(self.tr("Show Chain"), self.show_chain)
            menu.addSeparator()
            self._fill_move_menu(menu.addMenu(self.tr("Move to")))
            menu.addSeparator()
        menu.addAction(self.tr("Record Referral…"), self.record_referral)
        return menu

    def _double_clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.open_contact(giver=index.column() == ReferralTableModel.GIVER)

    def open_contact(self, giver: bool = False) -> None:
        row = self._selected_row()
        if row is not None and row[_STATUS]:
            self.ctx.navigate.emit("contact", row[_GIVER_ID] if giver else row[_REFERRED_ID])

    def show_chain(self) -> None:
        row = self._selected_row()
        if row is not None and row[_STATUS]:
            self.ctx.navigate.emit("chain", row[_REFERRED_ID])
