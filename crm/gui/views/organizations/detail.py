"""The selected organization: its facts, its people and the referrals that came through them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.gui import labels
from crm.gui.formatting import cell_text, day_text, join_data, money
from crm.gui.widgets import heading_tips, heading_width, named

ID_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def kind_label(code: str) -> str:
    """The words for an organization's kind."""
    words = {"company": _tr("Company"), "community_partner": _tr("Community partner")}
    return words.get(code, code)


def won_text(values: dict[str, float]) -> str:
    """Won value per currency, largest first: "1,200 EUR + 300 USD"."""
    return " + ".join(money(value, currency) for currency, value in values.items())


def _tree(name: str, headings: list[str], widths: list[int]) -> QTreeWidget:
    """A list whose columns of width 0 share the room the others leave."""
    tree = named(QTreeWidget(), name)
    tree.setHeaderLabels(headings)
    heading_tips(tree)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    header = tree.header()
    header.setStretchLastSection(False)
    for column, width in enumerate(widths):
        if width:
            tree.setColumnWidth(column, max(width, heading_width(header, column)))
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return tree


class OrganizationDetail(QWidget):
    """One organization; double-clicking a person (or a referral) asks to open that contact."""

    contact_opened = Signal(int)
    merge_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_header())
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_people())
        split.addWidget(self._build_referrals())
        layout.addWidget(split, 1)

    def _build_header(self) -> QHBoxLayout:
        texts = QVBoxLayout()
        self.name_label = named(QLabel(), "organizationName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name_label.setFont(font)
        # A long company name wraps rather than widen the window past a small screen.
        self.name_label.setWordWrap(True)
        self.facts_label = named(QLabel(), "organizationFacts")
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.facts_label.setWordWrap(True)
        texts.addWidget(self.name_label)
        texts.addWidget(self.facts_label)
        header = QHBoxLayout()
        header.addLayout(texts, 1)
        self.merge_button = named(QPushButton(self.tr("Merge &Into…")), "mergeOrganization")
        self.merge_button.setToolTip(
            self.tr("This organization is another spelling of one you keep: move its people there")
        )
        self.merge_button.clicked.connect(self.merge_requested)
        header.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignTop)
        return header

    def _section(self, title: str, name: str, tree: QTreeWidget) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 6, 0, 0)
        heading = named(QLabel(title), name)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        box.addWidget(heading)
        box.addWidget(tree, 1)
        return holder

    def _build_people(self) -> QWidget:
        self.people = _tree(
            "organizationPeople",
            [self.tr("Name"), self.tr("Title"), self.tr("Gave"), self.tr("Got"), self.tr("Email")],
            [0, 0, 50, 50, 0],
        )
        self.people.setToolTip(self.tr("Double-click a person to open them on the Contacts page"))
        self.people.itemDoubleClicked.connect(
            lambda item, _col: self.contact_opened.emit(int(item.data(0, ID_ROLE)))
        )
        return self._section(self.tr("People"), "peopleHeading", self.people)

    def _build_referrals(self) -> QWidget:
        self.referrals = _tree(
            "organizationReferrals",
            [self.tr("Date"), self.tr("From"), self.tr("To"), self.tr("Status"), self.tr("Value")],
            [100, 0, 0, 80, 90],
        )
        self.referrals.setToolTip(self.tr("Double-click a referral to open the person referred"))
        self.referrals.itemDoubleClicked.connect(
            lambda item, _col: self.contact_opened.emit(int(item.data(1, ID_ROLE)))
        )
        return self._section(self.tr("Referrals"), "referralsHeading", self.referrals)

    # -- showing ---------------------------------------------------------------------

    def show_organization(self, data: dict[str, Any]) -> None:
        self.data = data
        self.name_label.setText(data["name"])
        won = won_text(data["won_value"])
        facts = [kind_label(data["kind"]), data["city"], data["website"]]
        counts = self.tr("%1 people, %2 referrals, %3 won").replace("%1", str(len(data["people"])))
        counts = counts.replace("%2", str(len(data["referrals"]))).replace("%3", str(data["won"]))
        if won:
            counts += self.tr(" worth %1").replace("%1", won)
        self.facts_label.setText(join_data([*facts, counts], " · "))
        self.facts_label.setToolTip(data["notes"])
        self._fill_people(data["people"])
        self._fill_referrals(data["referrals"])

    def _fill_people(self, people: list[dict[str, Any]]) -> None:
        self.people.clear()
        for p in people:
            name = p["name"] + (self.tr(" (archived)") if p["archived"] else "")
            item = QTreeWidgetItem(
                [
                    cell_text(name),
                    cell_text(p["title"]),
                    str(p["referrals_given"]),
                    str(p["referrals_received"]),
                    cell_text(p["email"]),
                ]
            )
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
            item.setData(0, ID_ROLE, p["id"])
            self.people.addTopLevelItem(item)

    def _fill_referrals(self, refs: list[dict[str, Any]]) -> None:
        self.referrals.clear()
        for r in refs:
            value = money(r["value"], r["currency"]) if r["value"] is not None else ""
            item = QTreeWidgetItem(
                [
                    day_text(r["referred_on"]),
                    cell_text(r["giver"]),
                    cell_text(r["referred"]),
                    labels.referral_status(r["status"]),
                    value,
                ]
            )
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, ID_ROLE, r["giver_id"])
            item.setData(1, ID_ROLE, r["referred_id"])
            self.referrals.addTopLevelItem(item)
