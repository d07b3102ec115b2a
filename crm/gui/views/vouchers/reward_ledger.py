"""The Rewards panel's ledger tab: every reward with its filters, per-giver totals, points.

A child of :class:`crm.gui.views.vouchers.rewards.RewardsPanel`, shown as its "Ledger"
tab; the rules are :mod:`crm.core.rewards`'.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import rewards
from crm.core.errors import ValidationError
from crm.core.text import fold
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, day_text, money, money_totals, number
from crm.gui.person_picker import PersonPicker
from crm.gui.views.vouchers.reward_tables import (
    CONTACT_ROLE,
    GIVERS_SHOWN,
    ID_ROLE,
    L_AMOUNT,
    L_DATE,
    L_GIVER,
    L_KIND,
    L_REFERRAL,
    L_STATUS,
    STATUS_ROLE,
    T_GIVEN,
    T_GIVEN_VALUE,
    T_GIVER,
    T_PENDING,
    T_PENDING_VALUE,
    T_POINTS,
    Filling,
    make_table,
    table_item,
)
from crm.gui.widgets import plain_tip, select_row


class RewardLedgerTab(QWidget):
    """The reward ledger and the totals per giver; marking rewards given, redeeming points."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ledger_rows: list[dict[str, Any]] = []
        self._totals: list[dict[str, Any]] = []
        self._folded: list[str] = []
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_filters())
        # One above the other: both tables keep the full width for names and money.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_ledger_table())
        splitter.addWidget(self._build_totals())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        lay.addWidget(splitter, 1)
        lay.addLayout(self._build_buttons())

    def _build_filters(self) -> QHBoxLayout:
        """Show (pending, given, all) and the giver typed or picked."""
        bar = QHBoxLayout()
        show = QLabel(self.tr("&Show:"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("Pending"), "pending")
        self.status_filter.addItem(self.tr("Given"), "given")
        self.status_filter.addItem(self.tr("All"), None)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.load())
        show.setBuddy(self.status_filter)
        giver_label = QLabel(self.tr("&Giver:"))
        self.giver_filter = PersonPicker(self.tr("Type a name to see one giver's rewards"))
        self.giver_filter.setObjectName("giverFilter")
        self.giver_filter.picked.connect(lambda _id: self.load())
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
        return bar

    def _build_ledger_table(self) -> QTableWidget:
        self.ledger_table = make_table(
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
        return self.ledger_table

    def _build_totals(self) -> QWidget:
        """Per giver: counts, money per currency and points."""
        self.totals_table = make_table(
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
        return totals_box

    def _build_buttons(self) -> QHBoxLayout:
        self.redeem_points_button = QPushButton(self.tr("Redeem Points…"))
        self.redeem_points_button.setObjectName("redeemPoints")
        self.redeem_points_button.setToolTip(self.tr("Spend points of the giver selected below"))
        self.redeem_points_button.setEnabled(False)
        self.redeem_points_button.clicked.connect(self.redeem_points_clicked)
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
        return buttons

    def status(self) -> str | None:
        code = self.status_filter.currentData()
        return str(code) if code else None

    def load(self) -> None:
        """Read the ledger and the per-giver totals again, as filtered."""
        giver = self.giver_filter.contact_id
        rows = rewards.ledger(giver_id=giver, status=self.status())
        typed = fold(self.giver_filter.text().strip())
        if giver is None and typed:
            rows = [r for r in rows if typed in fold(r["contact"])]
        self._ledger_rows = rows
        with Filling(self.ledger_table) as table:
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
            name = table_item(cell_text(r["contact"]))
            name.setData(ID_ROLE, r["id"])
            name.setData(CONTACT_ROLE, r["contact_id"])
            name.setData(STATUS_ROLE, r["status"])
            if r["notes"]:
                name.setToolTip(plain_tip(r["notes"]))
            table.setItem(i, L_GIVER, name)
            table.setItem(i, L_KIND, table_item(labels.reward_kind(r["kind"])))
            table.setItem(i, L_AMOUNT, table_item(self._amount_text(r), align_right=True))
            table.setItem(i, L_STATUS, table_item(labels.reward_status(r["status"])))
            if r["referral_id"] is not None:
                referral = cell_text(r["referred"] or "")
            elif r["points"] < 0:
                referral = self.tr("Points redeemed")
            else:
                referral = self.tr("Added by hand")
            table.setItem(i, L_REFERRAL, table_item(referral))
            day = r["given_at"] if r["status"] == "given" and r["given_at"] else r["created"]
            table.setItem(i, L_DATE, table_item(day_text(day)))

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
        with Filling(self.totals_table) as table:
            self._fill_totals(table, shown)
        self._totals_selection_changed()

    def _fill_totals(self, table: QTableWidget, shown: list[dict[str, Any]]) -> None:
        table.setRowCount(len(shown))
        for i, t in enumerate(shown):
            name = table_item(cell_text(t["name"]))
            name.setData(CONTACT_ROLE, t["contact_id"])
            name.setData(ID_ROLE, t["points_balance"])
            table.setItem(i, T_GIVER, name)
            for column, count in ((T_PENDING, "pending_count"), (T_GIVEN, "given_count")):
                table.setItem(i, column, table_item(number(t[count]) if t[count] else "", True))
            table.setItem(i, T_PENDING_VALUE, table_item(money_totals(t["pending"]), True))
            table.setItem(i, T_GIVEN_VALUE, table_item(money_totals(t["given"]), True))
            points = number(t["points_balance"]) if t["points_balance"] else ""
            if t["points_pending"]:
                more = self.tr("+%1 pending").replace("%1", number(t["points_pending"]))
                points = f"{points} ({more})" if points else more
            table.setItem(i, T_POINTS, table_item(points, align_right=True))

    def _giver_text_changed(self, _text: str) -> None:
        # The totals follow the typing at once; the ledger when a giver is picked
        # (or the field is cleared), so typing never waits on a query.
        self._show_totals()
        if not self.giver_filter.text().strip() and self.giver_filter.contact_id is None:
            self.load()

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
                select_row(self.ledger_table, row)
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
                self.load()

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
