"""Rewards: the ledger with per-giver totals, the reward policy, and what the program returns.

A panel (not a page of its own): the Vouchers & Letters page shows it as a tab.
The rules live in :mod:`crm.core.rewards`, :mod:`crm.core.reward_policy` and
:mod:`crm.core.reward_roi`; this only shows and words them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import models, referrals, reward_policy, reward_roi, rewards
from crm.core.errors import ValidationError
from crm.core.text import fold
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.views.contact_model import isolate
from crm.gui.views.referral_dialog import (
    INVALID_STYLE,
    ContactPicker,
    _error_label,
    _mark_invalid,
    day_text,
    money,
    money_totals,
    number,
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CONTACT_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

# Ledger columns.
L_GIVER, L_KIND, L_AMOUNT, L_STATUS, L_REFERRAL, L_DATE = range(6)
# Totals columns.
T_GIVER, T_PENDING, T_PENDING_VALUE, T_GIVEN, T_GIVEN_VALUE, T_POINTS = range(6)
# ROI columns.
R_GROUP, R_WON, R_COST, R_ROI, R_WON_COUNT, R_REWARDS = range(6)

# A table shows at most this many givers; a name typed finds the others.
GIVERS_SHOWN = 500

WATCHED = ("rewards", "referrals", "vouchers", "contacts", "settings", "all")


def _table(headers: list[str], stretch: tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


class _Filling:
    """Fill a table in one go: sizing columns to their contents once, not once per cell."""

    def __init__(self, table: QTableWidget) -> None:
        self.table = table
        self.header = table.horizontalHeader()
        self.modes: list[QHeaderView.ResizeMode] = []

    def __enter__(self) -> QTableWidget:
        self.table.setUpdatesEnabled(False)
        self.table.setSortingEnabled(False)
        self.modes = [self.header.sectionResizeMode(c) for c in range(self.header.count())]
        for c in range(self.header.count()):
            self.header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        return self.table

    def __exit__(self, *_exc: object) -> None:
        for c, mode in enumerate(self.modes):
            self.header.setSectionResizeMode(c, mode)
        self.table.setUpdatesEnabled(True)


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    """A cell; right-aligned ones hold numbers and money, kept in one piece in Arabic."""
    item = QTableWidgetItem(isolate(text) if align_right else text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _date(text: str | None) -> str:
    if not text:
        return ""
    return day_text(dt.date.fromisoformat(text[:10]))


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    locale = QLocale()
    # The C locale leaves out the thousands separator unless asked.
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale.toString(value * 100, "f", 0) + "\u00a0%"


class RewardsPanel(QWidget):
    """The reward ledger, per-giver totals, the policy editor and the ROI table."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(INVALID_STYLE)
        self._stale = {"ledger": True, "policy": True, "roi": True}
        self._ledger_rows: list[dict[str, Any]] = []
        self._totals: list[dict[str, Any]] = []
        self._folded: list[str] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._ledger_page(), self.tr("Ledger"))
        self.tabs.addTab(self._policy_page(), self.tr("Policy"))
        self.tabs.addTab(self._roi_page(), self.tr("Return on Rewards"))
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        layout.addWidget(self.tabs)
        ctx.data_changed.connect(self._on_data_changed)

    # -- refreshing --------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload from the database: the page shown now, the others when they are shown."""
        for key in self._stale:
            self._stale[key] = True
        self._load_current()

    def _load_current(self) -> None:
        page = ("ledger", "policy", "roi")[max(self.tabs.currentIndex(), 0)]
        if not self._stale[page]:
            return
        self._stale[page] = False
        {"ledger": self.load_ledger, "policy": self.load_policy, "roi": self.load_roi}[page]()

    def _on_data_changed(self, what: str) -> None:
        if what not in WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            for key in self._stale:
                self._stale[key] = True

    def showEvent(self, event: QShowEvent) -> None:
        self._load_current()
        super().showEvent(event)

    # -- the ledger --------------------------------------------------------------------

    def _ledger_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)

        bar = QHBoxLayout()
        show = QLabel(self.tr("&Show:"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("Pending"), "pending")
        self.status_filter.addItem(self.tr("Given"), "given")
        self.status_filter.addItem(self.tr("All"), None)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.load_ledger())
        show.setBuddy(self.status_filter)
        giver_label = QLabel(self.tr("&Giver:"))
        self.giver_filter = ContactPicker(self.tr("Type a name to see one giver's rewards"))
        self.giver_filter.setObjectName("giverFilter")
        self.giver_filter.picked.connect(lambda _id: self.load_ledger())
        self.giver_filter.textChanged.connect(self._giver_text_changed)
        giver_label.setBuddy(self.giver_filter)
        self.ledger_count = QLabel()
        bar.addWidget(show)
        bar.addWidget(self.status_filter)
        bar.addSpacing(12)
        bar.addWidget(giver_label)
        bar.addWidget(self.giver_filter, 1)
        bar.addSpacing(12)
        bar.addWidget(self.ledger_count)
        lay.addLayout(bar)

        self.ledger_table = _table(
            [
                self.tr("Giver"),
                self.tr("Kind"),
                self.tr("Amount"),
                self.tr("Status"),
                self.tr("For referring"),
                self.tr("Date"),
            ],
            stretch=(L_GIVER, L_REFERRAL),
        )
        self.ledger_table.setObjectName("ledger")
        self.ledger_table.doubleClicked.connect(
            lambda index: self._open_contact(self.ledger_table, index.row())
        )
        self.ledger_table.itemSelectionChanged.connect(self._ledger_selection_changed)

        self.totals_table = _table(
            [
                self.tr("Giver"),
                self.tr("Pending"),
                self.tr("Pending value"),
                self.tr("Given"),
                self.tr("Given value"),
                self.tr("Points"),
            ],
            stretch=(T_GIVER,),
        )
        self.totals_table.setObjectName("totals")
        self.totals_table.itemSelectionChanged.connect(self._totals_selection_changed)
        self.totals_table.doubleClicked.connect(lambda index: self._filter_to_giver(index.row()))
        totals_box = QWidget()
        totals_lay = QVBoxLayout(totals_box)
        totals_lay.setContentsMargins(0, 0, 0, 0)
        totals_title = QLabel(self.tr("Per giver"))
        bold = totals_title.font()
        bold.setBold(True)
        totals_title.setFont(bold)
        self.totals_note = QLabel()
        self.totals_note.setObjectName("totalsNote")
        title_row = QHBoxLayout()
        title_row.addWidget(totals_title)
        title_row.addWidget(self.totals_note, 1)
        totals_lay.addLayout(title_row)
        totals_lay.addWidget(self.totals_table, 1)
        self.redeem_points_button = QPushButton(self.tr("Redeem Points…"))
        self.redeem_points_button.setObjectName("redeemPoints")
        self.redeem_points_button.setToolTip(self.tr("Spend points of the giver selected below"))
        self.redeem_points_button.setEnabled(False)
        self.redeem_points_button.clicked.connect(self.redeem_points_clicked)

        # One above the other: both tables keep the full width for names and money.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.ledger_table)
        splitter.addWidget(totals_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        lay.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.ledger_note = QLabel(
            self.tr(
                "Rewards come from the policy when a referral is received or won. "
                "Mark one given when the giver has it; their history notes it."
            )
        )
        self.ledger_note.setWordWrap(True)
        buttons.addWidget(self.ledger_note, 1)
        self.open_button = QPushButton(self.tr("Open Contact"))
        self.open_button.setObjectName("openContact")
        self.open_button.clicked.connect(
            lambda: self._open_contact(self.ledger_table, self.ledger_table.currentRow())
        )
        self.give_button = QPushButton(self.tr("&Mark Given"))
        self.give_button.setObjectName("markGiven")
        self.give_button.clicked.connect(self.mark_given)
        buttons.addWidget(self.redeem_points_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.give_button)
        lay.addLayout(buttons)
        return page

    def status(self) -> str | None:
        code = self.status_filter.currentData()
        return str(code) if code else None

    def load_ledger(self) -> None:
        self._stale["ledger"] = False
        giver = self.giver_filter.contact_id
        rows = rewards.ledger(giver_id=giver, status=self.status())
        typed = fold(self.giver_filter.text().strip())
        if giver is None and typed:
            rows = [r for r in rows if typed in fold(r["contact"])]
        self._ledger_rows = rows
        with _Filling(self.ledger_table) as table:
            self._fill_ledger(table, rows)
        n = len(rows)
        if n >= rewards.LEDGER_LIMIT:
            self.ledger_count.setText(self.tr("The latest %1 rewards").replace("%1", number(n)))
        else:
            self.ledger_count.setText(
                self.tr("1 reward") if n == 1 else self.tr("%n rewards", "", n)
            )
        self._load_totals()
        self._ledger_selection_changed()

    def _fill_ledger(self, table: QTableWidget, rows: list[dict[str, Any]]) -> None:
        table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            name = _item(isolate(r["contact"]))
            name.setData(ID_ROLE, r["id"])
            name.setData(CONTACT_ROLE, r["contact_id"])
            name.setData(STATUS_ROLE, r["status"])
            if r["notes"]:
                name.setToolTip(r["notes"])
            table.setItem(i, L_GIVER, name)
            table.setItem(i, L_KIND, _item(labels.reward_kind(r["kind"])))
            table.setItem(i, L_AMOUNT, _item(self._amount_text(r), align_right=True))
            table.setItem(i, L_STATUS, _item(labels.reward_status(r["status"])))
            if r["referral_id"] is not None:
                referral = isolate(r["referred"] or "")
            elif r["points"] < 0:
                referral = self.tr("Points redeemed")
            else:
                referral = self.tr("Added by hand")
            table.setItem(i, L_REFERRAL, _item(referral))
            day = r["given_at"] if r["status"] == "given" and r["given_at"] else r["created"]
            table.setItem(i, L_DATE, _item(_date(day)))

    def _amount_text(self, row: dict[str, Any]) -> str:
        points = row["points"]
        if points:
            # The count with the locale's separators; a redemption says its sign itself.
            many = self.tr("%1 points").replace("%1", number(abs(points)))
            text = self.tr("1 point") if abs(points) == 1 else many
            return text if points > 0 else "\u2212" + text
        if not row["amount"]:
            return "—"
        return money(row["amount"], row["currency"])

    def _load_totals(self) -> None:
        self._totals = rewards.totals_by_giver()
        self._folded = [fold(t["name"]) for t in self._totals]
        self._show_totals()

    def _show_totals(self) -> None:
        typed = fold(self.giver_filter.text().strip())
        giver = self.giver_filter.contact_id
        shown = [
            t
            for t, folded in zip(self._totals, self._folded, strict=True)
            if (giver is not None and t["contact_id"] == giver)
            or (giver is None and (not typed or typed in folded))
        ]
        if len(shown) > GIVERS_SHOWN:
            self.totals_note.setText(
                self.tr("— the %1 with the most pending of %2 givers; type a name to find others")
                .replace("%1", number(GIVERS_SHOWN))
                .replace("%2", number(len(shown)))
            )
            shown = shown[:GIVERS_SHOWN]
        else:
            self.totals_note.clear()
        with _Filling(self.totals_table) as table:
            self._fill_totals(table, shown)
        self._totals_selection_changed()

    def _fill_totals(self, table: QTableWidget, shown: list[dict[str, Any]]) -> None:
        table.setRowCount(len(shown))
        for i, t in enumerate(shown):
            name = _item(isolate(t["name"]))
            name.setData(CONTACT_ROLE, t["contact_id"])
            name.setData(ID_ROLE, t["points_balance"])
            table.setItem(i, T_GIVER, name)
            for column, count in ((T_PENDING, "pending_count"), (T_GIVEN, "given_count")):
                table.setItem(i, column, _item(number(t[count]) if t[count] else "", True))
            table.setItem(i, T_PENDING_VALUE, _item(money_totals(t["pending"]), True))
            table.setItem(i, T_GIVEN_VALUE, _item(money_totals(t["given"]), True))
            points = number(t["points_balance"]) if t["points_balance"] else ""
            if t["points_pending"]:
                more = self.tr("+%1 pending").replace("%1", number(t["points_pending"]))
                points = f"{points} ({more})" if points else more
            table.setItem(i, T_POINTS, _item(points, align_right=True))

    def _giver_text_changed(self, _text: str) -> None:
        # The totals follow the typing at once; the ledger when a giver is picked
        # (or the field is cleared), so typing never waits on a query.
        self._show_totals()
        if not self.giver_filter.text().strip() and self.giver_filter.contact_id is None:
            self.load_ledger()

    def _filter_to_giver(self, row: int) -> None:
        item = self.totals_table.item(row, T_GIVER)
        if item is None:
            return
        contact_id = item.data(CONTACT_ROLE)
        name = next((t["name"] for t in self._totals if t["contact_id"] == contact_id), "")
        self.giver_filter.set_contact(contact_id, name)

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.ledger_table.selectedIndexes()})

    def _ledger_selection_changed(self) -> None:
        rows = self._selected_rows()
        pending = [r for r in rows if self._ledger_rows[r]["status"] == "pending"]
        self.give_button.setEnabled(bool(pending))
        self.open_button.setEnabled(len(rows) == 1)

    def _totals_selection_changed(self) -> None:
        row = self.totals_table.currentRow()
        item = self.totals_table.item(row, T_GIVER) if row >= 0 else None
        has_points = item is not None and item.isSelected() and bool(item.data(ID_ROLE))
        self.redeem_points_button.setEnabled(has_points)

    def select_reward(self, reward_id: int) -> bool:
        """Select the ledger row of a reward (True when it is listed)."""
        for row in range(self.ledger_table.rowCount()):
            item = self.ledger_table.item(row, L_GIVER)
            if item is not None and item.data(ID_ROLE) == reward_id:
                self.ledger_table.selectRow(row)
                return True
        return False

    def mark_given(self) -> None:
        """Mark the selected rewards given; a refusal is shown and stops there."""
        rows = self._selected_rows()
        if not rows:
            self.ctx.gateway.show_error(self.tr("Select a pending reward first"))
            return
        done = 0
        try:
            for row in rows:
                rewards.mark_given(self._ledger_rows[row]["id"])
                done += 1
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
        finally:
            if done:
                self.ctx.changed("rewards")
            else:
                self.load_ledger()

    def _open_contact(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.ctx.navigate.emit("contact", int(item.data(CONTACT_ROLE)))

    def redeem_points_clicked(self) -> None:
        row = self.totals_table.currentRow()
        item = self.totals_table.item(row, T_GIVER) if row >= 0 else None
        if item is None:
            return
        balance = int(item.data(ID_ROLE) or 0)
        points, ok = QInputDialog.getInt(
            self,
            self.tr("Redeem Points"),
            self.tr("Points %1 redeems (of %2):")
            .replace("%1", item.text())
            .replace("%2", number(balance)),
            min(balance, 100),
            1,
            max(balance, 1),
        )
        if ok:
            self.redeem_points(int(item.data(CONTACT_ROLE)), points)

    def redeem_points(self, contact_id: int, points: int, note: str = "") -> bool:
        try:
            rewards.redeem_points(contact_id, points, note)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return False
        self.ctx.changed("rewards")
        return True

    # -- the policy --------------------------------------------------------------------

    def _policy_page(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        intro = QLabel(
            self.tr(
                "The reward each referral earns on its own. You can still add or change "
                "rewards by hand; a new policy applies to referrals from now on."
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.fields: dict[str, QWidget] = {}

        self.trigger_combo = QComboBox()
        self.trigger_combo.addItem(self.tr("When a referral is received"), "received")
        self.trigger_combo.addItem(self.tr("When a referral is won"), "won")
        self._field(form, "trigger", self.tr("&Reward:"), self.trigger_combo)

        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("A fixed amount"), "fixed")
        self.mode_combo.addItem(self.tr("A percentage of the won value"), "percent")
        self._field(form, "amount_mode", self.tr("&Amount:"), self.mode_combo)

        self.fixed_edit = QLineEdit()
        self.fixed_edit.setPlaceholderText("25")
        self._field(
            form,
            "fixed_amount",
            self.tr("&Fixed amount:"),
            self.fixed_edit,
            self.tr("in the referral's currency"),
        )
        self.percent_edit = QLineEdit()
        self.percent_edit.setPlaceholderText("5")
        self._field(form, "percent", self.tr("&Percentage:"), self.percent_edit, "%")
        self.cap_edit = QLineEdit()
        self.cap_edit.setPlaceholderText(self.tr("no cap"))
        self._field(
            form,
            "cap",
            self.tr("At &most:"),
            self.cap_edit,
            self.tr("leave empty for no cap"),
        )

        self.sides_combo = QComboBox()
        self.sides_combo.addItem(self.tr("The giver"), "one")
        self.sides_combo.addItem(self.tr("The giver and the friend they referred"), "two")
        self._field(form, "sides", self.tr("&Who:"), self.sides_combo)

        self.kind_combo = QComboBox()
        for code in models.REWARD_KINDS:
            self.kind_combo.addItem(labels.reward_kind(code), code)
        self._field(form, "kind", self.tr("&Kind:"), self.kind_combo)

        self.limit_count = QSpinBox()
        self.limit_count.setRange(0, 1000)
        self.limit_count.setSpecialValueText(self.tr("No limit"))
        self.limit_days = QSpinBox()
        self.limit_days.setRange(1, 3650)
        self.limit_days.setSuffix(" " + self.tr("days"))
        limit = QWidget()
        limit_lay = QHBoxLayout(limit)
        limit_lay.setContentsMargins(0, 0, 0, 0)
        limit_lay.addWidget(self.limit_count)
        self.limit_every = QLabel(self.tr("rewards per giver every"))
        limit_lay.addWidget(self.limit_every)
        limit_lay.addWidget(self.limit_days)
        limit_lay.addStretch(1)
        limit_label = QLabel(self.tr("&Limit:"))
        limit_label.setBuddy(self.limit_count)
        form.addRow(limit_label, limit)
        self.fields["limit_count"] = self.limit_count
        self.fields["limit_days"] = self.limit_days
        outer.addLayout(form)

        self.policy_hint = QLabel()
        self.policy_hint.setWordWrap(True)
        self.policy_hint.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.policy_hint)
        self.policy_error = _error_label()
        self.policy_error.setObjectName("policyError")
        outer.addWidget(self.policy_error)

        buttons = QHBoxLayout()
        self.policy_saved = QLabel()
        buttons.addWidget(self.policy_saved, 1)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.clicked.connect(self.load_policy)
        self.save_policy_button = QPushButton(self.tr("&Save Policy"))
        self.save_policy_button.setObjectName("savePolicy")
        self.save_policy_button.clicked.connect(self.save_policy)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_policy_button)
        outer.addLayout(buttons)
        outer.addStretch(1)

        for combo in (self.trigger_combo, self.mode_combo):
            combo.currentIndexChanged.connect(lambda _i: self._policy_shape())
        self.limit_count.valueChanged.connect(lambda _v: self._policy_shape())
        for widget in self.fields.values():
            signal = getattr(widget, "textEdited", None) or getattr(widget, "activated", None)
            if signal is not None:
                signal.connect(lambda *_a: self._clear_policy_error())
        return page

    def _field(
        self, form: QFormLayout, key: str, text: str, widget: QWidget, after: str = ""
    ) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.fields[key] = widget
        if isinstance(widget, QLineEdit):
            widget.setMaximumWidth(widget.fontMetrics().horizontalAdvance("0" * 14) + 16)
        if not after:
            form.addRow(label, widget)
            return
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget)
        note = QLabel(after)
        note.setEnabled(False)  # a quieter grey: a hint, not a value
        row.addWidget(note)
        row.addStretch(1)
        form.addRow(label, box)

    @staticmethod
    def _select(combo: QComboBox, code: str) -> None:
        combo.setCurrentIndex(max(combo.findData(code), 0))

    def load_policy(self) -> None:
        self._stale["policy"] = False
        policy = reward_policy.get_policy()
        self._select(self.trigger_combo, policy.trigger)
        self._select(self.mode_combo, policy.amount_mode)
        self.fixed_edit.setText(str(policy.fixed_amount))
        self.percent_edit.setText(str(policy.percent))
        self.cap_edit.setText(str(policy.cap) if policy.cap is not None else "")
        self._select(self.sides_combo, policy.sides)
        self._select(self.kind_combo, policy.kind)
        self.limit_count.setValue(policy.limit_count)
        self.limit_days.setValue(policy.limit_days)
        self._clear_policy_error()
        self.policy_saved.clear()
        self._policy_shape()

    def policy_values(self) -> dict[str, Any]:
        """What the form holds, in the core's terms."""
        return {
            "trigger": self.trigger_combo.currentData(),
            "amount_mode": self.mode_combo.currentData(),
            "fixed_amount": self.fixed_edit.text(),
            "percent": self.percent_edit.text(),
            "cap": self.cap_edit.text(),
            "sides": self.sides_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "limit_count": self.limit_count.value(),
            "limit_days": self.limit_days.value(),
        }

    def _policy_shape(self) -> None:
        """Only the fields the chosen amount uses are open; say what the choice means."""
        percent = self.mode_combo.currentData() == "percent"
        self.fixed_edit.setEnabled(not percent)
        self.percent_edit.setEnabled(percent)
        self.cap_edit.setEnabled(percent)
        limited = self.limit_count.value() > 0
        self.limit_days.setEnabled(limited)
        self.limit_every.setEnabled(limited)
        if percent and self.trigger_combo.currentData() == "received":
            hint = self.tr(
                "A referral just received has no won value yet: a percentage gives a reward "
                "of 0 until you change it by hand. Reward won referrals for a percentage."
            )
        else:
            hint = ""
        self.policy_hint.setText(hint)
        self.policy_hint.setVisible(bool(hint))

    def save_policy(self) -> bool:
        """Save the policy; a refusal is shown under the form, at the field it concerns."""
        self._clear_policy_error()
        try:
            reward_policy.set_policy(**self.policy_values())
        except ValidationError as exc:
            self.show_policy_error(exc.message, exc.field)
            return False
        self.ctx.changed("settings")  # reloads the form from what was stored
        self.load_policy()
        self.policy_saved.setText(self.tr("Saved. New referrals are rewarded this way."))
        return True

    def show_policy_error(self, message: str, field: str | None) -> None:
        self.policy_error.setText(message)
        self.policy_error.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            _mark_invalid(widget, True)
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _clear_policy_error(self) -> None:
        self.policy_error.hide()
        self.policy_error.clear()
        for widget in self.fields.values():
            if widget.property("invalid"):
                _mark_invalid(widget, False)

    # -- return on rewards ---------------------------------------------------------------

    def _roi_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        group_label = QLabel(self.tr("&Per:"))
        self.roi_group = QComboBox()
        self.roi_group.setObjectName("roiGroup")
        self.roi_group.addItem(self.tr("Giver"), "giver")
        self.roi_group.addItem(self.tr("Program"), "program")
        self.roi_group.addItem(self.tr("Month"), "period")
        group_label.setBuddy(self.roi_group)
        period_label = QLabel(self.tr("P&eriod:"))
        self.roi_period = QComboBox()
        self.roi_period.setObjectName("roiPeriod")
        self.roi_period.addItem(self.tr("All time"), "all")
        self.roi_period.addItem(self.tr("This year"), "year")
        self.roi_period.addItem(self.tr("This quarter"), "quarter")
        self.roi_period.addItem(self.tr("This month"), "month")
        period_label.setBuddy(self.roi_period)
        for combo in (self.roi_group, self.roi_period):
            combo.currentIndexChanged.connect(lambda _i: self.load_roi())
        bar.addWidget(group_label)
        bar.addWidget(self.roi_group)
        bar.addSpacing(12)
        bar.addWidget(period_label)
        bar.addWidget(self.roi_period)
        bar.addStretch(1)
        lay.addLayout(bar)

        self.roi_table = _table(
            [
                self.tr("Giver"),
                self.tr("Won value"),
                self.tr("Reward cost"),
                self.tr("ROI"),
                self.tr("Won"),
                self.tr("Rewards"),
            ],
            stretch=(R_GROUP,),
        )
        self.roi_table.setObjectName("roi")
        self.roi_note = QLabel()
        self.roi_note.setObjectName("roiNote")
        self.roi_note.hide()
        lay.addWidget(self.roi_note)
        self.roi_table.doubleClicked.connect(lambda index: self._open_roi(index.row()))
        lay.addWidget(self.roi_table, 1)
        note = QLabel(
            self.tr(
                "ROI is what referred business won brought in, less what its rewards cost, "
                "for each unit spent: (won value − reward cost) ÷ reward cost. Business counts "
                "in the period its referral came in, a reward's cost in the period it was earned. "
                "Currencies are never added together."
            )
        )
        note.setWordWrap(True)
        lay.addWidget(note)
        return page

    def load_roi(self) -> None:
        self._stale["roi"] = False
        group = self.roi_group.currentData()
        start, end = referrals.period_range(self.roi_period.currentData())
        rows = reward_roi.roi(start, end, group_by=group)
        if group == "period":  # the latest month first, the totals still last
            months = sorted(
                (r for r in rows if not r["total"]), key=lambda r: r["group"], reverse=True
            )
            rows = months + [r for r in rows if r["total"]]
        givers = sum(1 for r in rows if not r["total"])
        if group == "giver" and givers > GIVERS_SHOWN:
            self.roi_note.setText(
                self.tr("The %1 rows that brought the most, of %2; the totals count them all.")
                .replace("%1", number(GIVERS_SHOWN))
                .replace("%2", number(givers))
            )
            rows = rows[:GIVERS_SHOWN] + [r for r in rows if r["total"]]
        else:
            self.roi_note.clear()
        self.roi_note.setVisible(bool(self.roi_note.text()))
        header = {
            "giver": self.tr("Giver"),
            "program": self.tr("Program"),
            "period": self.tr("Month"),
        }
        self.roi_table.setHorizontalHeaderItem(R_GROUP, QTableWidgetItem(header[group]))
        with _Filling(self.roi_table) as table:
            table.setRowCount(len(rows))
            bold = QFont(table.font())
            bold.setBold(True)
            for i, r in enumerate(rows):
                if r["total"]:
                    label = self.tr("Total")
                elif group == "giver":
                    label = isolate(r["label"])
                elif group == "program":
                    label = labels.program(r["group"]) if r["group"] else self.tr("Added by hand")
                else:
                    year, month = (int(p) for p in str(r["group"]).split("-"))
                    label = QLocale().toString(QDate(year, month, 1), "MMM yyyy")
                cells = [
                    _item(label),
                    _item(money(r["won_value"], r["currency"]), align_right=True),
                    _item(money(r["cost"], r["currency"]), align_right=True),
                    _item(_percent(r["roi"]), align_right=True),
                    _item(number(r["won"]), align_right=True),
                    _item(number(r["rewards"]), align_right=True),
                ]
                cells[0].setData(CONTACT_ROLE, r["group"] if group == "giver" else None)
                for column, cell in enumerate(cells):
                    if r["total"]:
                        cell.setFont(bold)
                    if column == R_ROI and r["roi"] is None:
                        cell.setToolTip(self.tr("Nothing was spent on rewards here"))
                    if column == R_ROI and r["roi"] is not None and r["roi"] < 0:
                        cell.setForeground(Qt.GlobalColor.darkRed)
                    table.setItem(i, column, cell)

    def _open_roi(self, row: int) -> None:
        item = self.roi_table.item(row, R_GROUP)
        if item is not None and item.data(CONTACT_ROLE):
            self.ctx.navigate.emit("contact", int(item.data(CONTACT_ROLE)))
