"""The contact detail pane's lists: referrals received and given, open follow-ups."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidgetItem, QVBoxLayout, QWidget

from crm.gui import labels
from crm.gui.formatting import by_text, cell_text, money
from crm.gui.views.contacts.pane_widgets import FittedTree, cap_column, counted, section_title
from crm.gui.widgets import ERROR_COLOUR, plain_tip


def _column(parent: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class ReferralLists(QWidget):
    """Who referred this contact and whom they referred; activating a line asks for that person."""

    person_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _column(self)
        self.received_title = section_title(self.tr("Referrals received"))
        self.received = self._tree(self.tr("From"), max_rows=4)
        self.given_title = section_title(self.tr("Referrals given"))
        self.given = self._tree(self.tr("To"), max_rows=6)
        for widget in (self.received_title, self.received, self.given_title, self.given):
            layout.addWidget(widget)

    def _tree(self, other: str, max_rows: int) -> FittedTree:
        tree = FittedTree(
            [self.tr("Date"), other, self.tr("Status"), self.tr("Value"), self.tr("By")],
            max_rows=max_rows,
            stretch_column=1,
        )
        tree.itemActivated.connect(self._activated)
        return tree

    def show_lines(self, lines: dict[str, list[dict[str, Any]]]) -> None:
        """Fill both lists from the core's ``referral_lines``."""
        for tree, title, items, heading in (
            (self.received, self.received_title, lines["received"], self.tr("Referrals received")),
            (self.given, self.given_title, lines["given"], self.tr("Referrals given")),
        ):
            tree.clear()
            for line in items:
                item = self._item(line)
                if line["is_primary"] and tree is self.received:
                    item.setToolTip(1, self.tr("Primary referrer"))
                tree.addTopLevelItem(item)
            # Who recorded them, when anyone is named (rows from before names were kept: none).
            tree.setColumnHidden(4, not any(line.get("created_by") for line in items))
            tree.setVisible(bool(items))
            title.setText(counted(heading, len(items)))
            tree.fit()
            cap_column(tree, 4)

    @staticmethod
    def _item(line: dict[str, Any]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                cell_text(line["referred_on"].isoformat() if line["referred_on"] else ""),
                cell_text(line["other"]),
                labels.referral_status(line["status"]),
                cell_text(money(line["value"], line["currency"])),
                cell_text(line.get("created_by") or ""),
            ]
        )
        item.setToolTip(4, plain_tip(by_text(line.get("created_by") or "")))
        item.setData(0, Qt.ItemDataRole.UserRole, line["other_id"])
        item.setData(1, Qt.ItemDataRole.UserRole, line["id"])
        item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        other = item.data(0, Qt.ItemDataRole.UserRole)
        if other is not None:
            self.person_activated.emit(int(other))


class FollowupList(QWidget):
    """The contact's open follow-ups, overdue ones in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _column(self)
        self.title = section_title(self.tr("Open follow-ups"))
        self.tree = FittedTree([self.tr("Due"), self.tr("Kind"), self.tr("About")], 5)
        layout.addWidget(self.title)
        layout.addWidget(self.tree)

    def show_followups(self, items: list[dict[str, Any]]) -> None:
        self.tree.clear()
        for entry in items:
            item = QTreeWidgetItem(
                [
                    cell_text(entry["due"]),
                    labels.followup_kind(entry["kind"]),
                    cell_text(entry["title"]),
                ]
            )
            if entry["overdue"]:
                item.setForeground(0, QBrush(QColor(ERROR_COLOUR)))
                item.setToolTip(0, self.tr("Overdue"))
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(items))
        self.title.setText(counted(self.tr("Open follow-ups"), len(items)))
        self.tree.fit()
