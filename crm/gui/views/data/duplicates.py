"""Duplicates: likely pairs, the two side by side, merge (with undo) or dismiss.

Pairs come from crm.core.duplicates.find on the gateway (about 2.5 s at
100,000 contacts, so it runs when the page is first shown and on Find Again,
not after every change). A merge removes the pairs that named the contact it
removed; Undo Last Merge takes back the newest merge and looks again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CancelledError, CrmError
from crm.gui import formatting as fmt
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, data_list, day_text, month_day_text, number
from crm.gui.undo import MergeCommand, push_command
from crm.gui.views.base import View
from crm.gui.widgets import EmptyState, heading_width, plain_tip

COL_SCORE, COL_A, COL_B, COL_WHY = range(4)
PAIR_ROLE = Qt.ItemDataRole.UserRole
DIFFERENT = QColor(255, 244, 214)
ERROR_STYLE = "color: #b00020;"


def _right_to_left(text: str) -> bool:
    """True when the first letter with a direction is Hebrew or Arabic."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


class DuplicatesView(View):
    """Review likely duplicate contacts and merge them."""

    # Finding pairs is too slow to repeat on every change: the page says the
    # list may be out of date instead (see _on_data_changed).
    depends_on = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.pairs: list[Any] = []
        self.comparison: dict[str, Any] | None = None
        self.last_merge: dict[str, Any] | None = None
        self._own_change = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 6)
        outer.addLayout(self._build_top())
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.empty = EmptyState(
            self.tr("No likely duplicates"),
            self.tr(
                "Contacts that share an email address or a phone number, or whose names are "
                "alike, show up here to be merged. Pairs you marked as not duplicates stay hidden."
            ),
        )
        self.pages.addWidget(self.empty)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.pages.addWidget(self.splitter)
        self.splitter.addWidget(self._build_pair_list())
        self.splitter.addWidget(self._build_compare())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        self.status = QLabel()
        self.status.setObjectName("duplicateStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self._enable()

    # -- building -----------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        return button

    def _build_top(self) -> QHBoxLayout:
        """How many pairs, and the buttons to look again or undo the last merge."""
        top = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("duplicateCount")
        self.count_label.setWordWrap(True)
        top.addWidget(self.count_label, 1)
        self.find_button = self._button(self.tr("&Find Again"), "findDuplicates", self.refresh)
        self.undo_button = self._button(
            self.tr("&Undo Last Merge"), "undoMerge", self.undo_last_merge
        )
        top.addWidget(self.find_button)
        top.addWidget(self.undo_button)
        return top

    def _build_pair_list(self) -> QTreeWidget:
        self.pair_list = QTreeWidget()
        self.pair_list.setObjectName("duplicatePairs")
        self.pair_list.setHeaderLabels(
            [self.tr("Score"), self.tr("Contact"), self.tr("Possible duplicate"), self.tr("Why")]
        )
        self.pair_list.setRootIsDecorated(False)
        self.pair_list.setUniformRowHeights(True)
        self.pair_list.setAlternatingRowColors(True)
        self.pair_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pair_list.header().setStretchLastSection(True)
        self.pair_list.setColumnWidth(COL_SCORE, max(60, heading_width(self.pair_list.header(), 0)))
        self.pair_list.setColumnWidth(COL_A, 220)
        self.pair_list.setColumnWidth(COL_B, 220)
        self.pair_list.currentItemChanged.connect(lambda _c, _p: self._show_current())
        return self.pair_list

    def _build_compare(self) -> QWidget:
        """Which one to keep, the actions, and the two contacts side by side."""
        compare = QWidget()
        layout = QVBoxLayout(compare)
        layout.setContentsMargins(0, 4, 0, 0)
        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel(self.tr("Keep:")))
        self.keep_a = QRadioButton()
        self.keep_a.setObjectName("keepA")
        self.keep_b = QRadioButton()
        self.keep_b.setObjectName("keepB")
        self.keep_group = QButtonGroup(self)
        self.keep_group.addButton(self.keep_a)
        self.keep_group.addButton(self.keep_b)
        keep_row.addWidget(self.keep_a)
        keep_row.addWidget(self.keep_b)
        keep_row.addStretch(1)
        self.merge_button = self._button(self.tr("&Merge"), "mergePair", self.merge_current)
        self.dismiss_button = self._button(
            self.tr("&Not Duplicates"), "dismissPair", self.dismiss_current
        )
        keep_row.addWidget(self.merge_button)
        keep_row.addWidget(self.dismiss_button)
        layout.addLayout(keep_row)
        self.fields = QTableWidget(0, 2)
        self.fields.setObjectName("sideBySide")
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fields.setWordWrap(False)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.fields.verticalHeader().setDefaultSectionSize(self.fields.fontMetrics().height() + 6)
        layout.addWidget(self.fields, 1)
        return compare

    def title(self) -> str:
        return self.tr("Duplicates")

    # -- words -------------------------------------------------------------------------

    def field_label(self, name: str) -> str:
        return {
            "given_name": self.tr("Given name"),
            "family_name": self.tr("Family name"),
            "organization": self.tr("Organization"),
            "title": self.tr("Job title"),
            "emails": self.tr("Emails"),
            "phones": self.tr("Phones"),
            "street": self.tr("Street"),
            "city": self.tr("City"),
            "postcode": self.tr("Postcode"),
            "region": self.tr("Region"),
            "country": self.tr("Country"),
            "language": self.tr("Letter language"),
            "birthday": self.tr("Birthday"),
            "channel": self.tr("First heard through"),
            "stage": self.tr("Stage"),
            "marketing_consent": self.tr("Marketing consent"),
            "consent_date": self.tr("Consent date"),
            "tags": self.tr("Tags"),
            "notes": self.tr("Notes"),
            "url": self.tr("Website"),
            "referrals_given": self.tr("Referrals given"),
            "referrals_received": self.tr("Referrals received"),
            "attendance": self.tr("Events attended"),
            "history": self.tr("History lines"),
            "followups": self.tr("Follow-ups"),
            "rewards": self.tr("Rewards"),
            "vouchers": self.tr("Vouchers held"),
        }.get(name, name)

    def value_text(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, list):
            return data_list(value)
        if name in ("birthday", "consent_date"):  # a day, as the language writes it
            return month_day_text(str(value)) if str(value).startswith("--") else day_text(value)
        if name == "country":  # codes, named in the interface language
            return fmt.territory_name(str(value)) or str(value)
        named = {"channel": labels.channel, "stage": labels.stage, "language": fmt.language_name}
        if name in named:
            return named[name](str(value))
        return cell_text(str(value).replace("\n", " ⏎ "))

    @staticmethod
    def person(contact_id: int, name: str) -> str:
        """``Name (#12)``, read in the name's own direction in any interface.

        The name is isolated, so an Arabic name does not carry "(#12)" to its
        other side; a mark of the name's direction in front makes the whole cell
        run that way, so "(#12)" follows a Latin name in an Arabic window too.
        """
        if not name:
            return f"#{contact_id}"
        mark = ""
        if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            mark = "\u200f" if _right_to_left(name) else "\u200e"
        return f"{mark}\u2068{name}\u2069 (#{contact_id})"

    # -- loading ---------------------------------------------------------------------------

    def refresh(self, status: str = "") -> None:
        """Look for likely pairs again (on the gateway, with progress and cancel)."""

        def work(progress):
            from crm.core import duplicates

            return duplicates.find(progress=progress.update)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, CancelledError):
                self.status.setText(self.tr("The search for duplicates was cancelled."))
            else:
                self.ctx.gateway.show_error(exc.message if isinstance(exc, CrmError) else str(exc))

        self.status.setText(self.tr("Looking for duplicates…"))
        self.ctx.gateway.run(
            work,
            on_done=lambda pairs: self.show_pairs(pairs, status),
            on_error=failed,
            label=self.tr("Looking for duplicates…"),
        )

    def show_pairs(self, pairs: list[Any], status: str = "") -> None:
        self.pairs = list(pairs)
        self.pair_list.clear()
        for pair in self.pairs:
            item = QTreeWidgetItem(
                [
                    str(pair.score),
                    self.person(pair.a_id, pair.a_name),
                    self.person(pair.b_id, pair.b_name),
                    cell_text("; ".join(pair.reasons)),
                ]
            )
            item.setData(COL_SCORE, PAIR_ROLE, (pair.a_id, pair.b_id))
            item.setTextAlignment(
                COL_SCORE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            item.setToolTip(COL_WHY, plain_tip("\n".join(pair.reasons)))
            self.pair_list.addTopLevelItem(item)
        n = len(self.pairs)
        self.count_label.setText(
            self.tr("No likely duplicates")
            if n == 0
            else self.tr("1 likely duplicate pair, best first")
            if n == 1
            else self.tr("%1 likely duplicate pairs, best first").replace("%1", number(n))
        )
        self.pages.setCurrentWidget(self.splitter if n else self.empty)
        self.status.setText(status)
        self._load_last_merge()
        if n:
            self._select_row(0)
        else:
            self.comparison = None
        self._enable()

    def _load_last_merge(self) -> None:
        from crm.core import merging

        self.last_merge = next((m for m in merging.merges(limit=20) if not m["undone_at"]), None)
        if self.last_merge is None:
            self.undo_button.setToolTip("")
        else:
            m = self.last_merge
            self.undo_button.setToolTip(
                self.tr("Bring back %1, merged into %2")
                .replace("%1", self.person(m["removed_id"], m["removed_name"]))
                .replace("%2", self.person(m["kept_id"], m["kept_name"]))
            )

    def current_pair(self) -> tuple[int, int] | None:
        item = self.pair_list.currentItem()
        return item.data(COL_SCORE, PAIR_ROLE) if item is not None else None

    def _show_current(self) -> None:
        pair = self.current_pair()
        self.comparison = None
        self.fields.setRowCount(0)
        if pair is None:
            self._enable()
            return
        from crm.core import merging

        try:
            self.comparison = merging.side_by_side(*pair)
        except CrmError as exc:
            self.status.setText(exc.message)
            self._enable()
            return
        self._fill_comparison(self.comparison)
        self._enable()

    def _fill_comparison(self, data: dict[str, Any]) -> None:
        a, b = data["a"], data["b"]
        self.keep_a.setText(self.person(a["id"], a.get("name", "")))
        self.keep_b.setText(self.person(b["id"], b.get("name", "")))
        # Keep the one with more history by default; the older one on a tie.
        weight = {side: sum(data["counts"][side].values()) for side in ("a", "b")}
        keep_b = weight["b"] > weight["a"] or (weight["b"] == weight["a"] and b["id"] < a["id"])
        (self.keep_b if keep_b else self.keep_a).setChecked(True)
        self.fields.setHorizontalHeaderLabels([f"#{a['id']}", f"#{b['id']}"])
        rows: list[tuple[str, str, str, bool]] = []
        for entry in data["fields"]:
            name = entry["field"]
            left, right = self.value_text(name, entry["a"]), self.value_text(name, entry["b"])
            if left or right:
                rows.append((name, left, right, bool(entry["same"]) or not (left and right)))
        for name in data["counts"]["a"]:
            left, right = str(data["counts"]["a"][name]), str(data["counts"]["b"][name])
            if left != "0" or right != "0":
                rows.append((name, left, right, True))
        self.fields.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for row, (name, left, right, same) in enumerate(rows):
            header = QTableWidgetItem(self.field_label(name))
            header.setData(PAIR_ROLE, name)
            self.fields.setVerticalHeaderItem(row, header)
            for column, text in ((0, left), (1, right)):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tip(text))
                if not same:
                    # Both have a value and they differ: the kept one's value stays.
                    item.setBackground(QBrush(DIFFERENT))
                self.fields.setItem(row, column, item)

    def compared_rows(self) -> dict[str, tuple[str, str]]:
        """What the side-by-side table shows: field label -> (a, b)."""
        out = {}
        for row in range(self.fields.rowCount()):
            label = _text(self.fields.verticalHeaderItem(row))
            out[label] = (_text(self.fields.item(row, 0)), _text(self.fields.item(row, 1)))
        return out

    def _enable(self) -> None:
        has_pair = self.comparison is not None
        for widget in (self.merge_button, self.dismiss_button, self.keep_a, self.keep_b):
            widget.setEnabled(has_pair)
        self.undo_button.setEnabled(self.last_merge is not None)

    def _on_data_changed(self, what: str) -> None:
        if self._own_change or what not in ("all", "contacts"):
            return
        if self.pairs:
            self.status.setText(
                self.tr("Contacts changed since this list was made: Find Again to update it.")
            )

    # -- actions ---------------------------------------------------------------------------

    def keep_and_other(self) -> tuple[int, int] | None:
        if self.comparison is None:
            return None
        a, b = self.comparison["a"]["id"], self.comparison["b"]["id"]
        return (a, b) if self.keep_a.isChecked() else (b, a)

    def _changed(self) -> None:
        self._own_change = True
        try:
            self.ctx.changed("contacts")
        finally:
            self._own_change = False

    def _current_row(self) -> int:
        item = self.pair_list.currentItem()
        return self.pair_list.indexOfTopLevelItem(item) if item is not None else -1

    def _select_row(self, row: int) -> None:
        item = self.pair_list.topLevelItem(row)
        if item is not None:
            self.pair_list.setCurrentItem(item)

    def merge_current(self) -> None:
        """Merge the pair shown, keeping the contact chosen; undo brings the other back."""
        choice, comparison = self.keep_and_other(), self.comparison
        if choice is None or comparison is None:
            return
        keep_id, other_id = choice
        names = {
            comparison["a"]["id"]: comparison["a"].get("name", ""),
            comparison["b"]["id"]: comparison["b"].get("name", ""),
        }

        work = MergeCommand.work(keep_id, other_id)  # on the worker; done() pushes the step

        def done(merge_id: int) -> None:
            push_command(self, MergeCommand(self.ctx, merge_id, keep_id, other_id, names))
            row = self._current_row()
            left = [p for p in self.pairs if other_id not in (p.a_id, p.b_id)]
            status = (
                self.tr("Merged %1 into %2. Undo Last Merge brings it back.")
                .replace("%1", self.person(other_id, names[other_id]))
                .replace("%2", self.person(keep_id, names[keep_id]))
            )
            self.show_pairs(left, status)
            if left:
                self._select_row(min(max(row, 0), len(left) - 1))
            self._changed()

        self.ctx.gateway.run(work, on_done=done, label=self.tr("Merging…"), cancellable=False)

    def dismiss_current(self) -> None:
        """Remember that the pair shown are two people; it is not listed again."""
        pair = self.current_pair()
        if pair is None:
            return
        from crm.core import duplicates

        try:
            duplicates.dismiss(*pair)
        except CrmError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        row = self._current_row()
        left = [p for p in self.pairs if (p.a_id, p.b_id) != tuple(pair)]
        self.show_pairs(left, self.tr("Marked as two different people."))
        if left:
            self._select_row(min(row, len(left) - 1))

    def undo_last_merge(self) -> None:
        """Take back the newest merge: the removed contact returns with everything it had."""
        self._load_last_merge()
        if self.last_merge is None:
            self._enable()
            return
        merge_id = self.last_merge["id"]

        def work(_progress):
            from crm.core import merging

            return merging.undo(merge_id)

        def done(result: dict[str, Any]) -> None:
            self._changed()
            m = self.last_merge or {}
            restored = self.person(result["restored_id"], m.get("removed_name", ""))
            self.refresh(self.tr("Brought back %1.").replace("%1", restored))

        def failed(exc: BaseException) -> None:
            self.ctx.gateway.show_error(exc.message if isinstance(exc, CrmError) else str(exc))
            self._load_last_merge()
            self._enable()

        self.ctx.gateway.run(
            work, on_done=done, on_error=failed, label=self.tr("Undoing the merge…")
        )

    def focus_search(self) -> None:
        self.pair_list.setFocus(Qt.FocusReason.ShortcutFocusReason)
