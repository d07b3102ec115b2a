"""Organizations: the list with people, referrals and won value; the selected one beside it.

The selected organization's people and referrals are a child widget
(:mod:`.detail`); Merge Into… asks which organization to keep (:mod:`.merge_dialog`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import organization_merge, organizations
from crm.core.errors import CrmError
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, collator, number
from crm.gui.views.base import View
from crm.gui.views.organizations.detail import OrganizationDetail, kind_label, won_text
from crm.gui.views.organizations.merge_dialog import MergeIntoDialog
from crm.gui.widgets import EmptyState, SearchBox, heading_tips, named

COL_NAME, COL_KIND, COL_CITY, COL_PEOPLE, COL_REFERRALS, COL_WON = range(6)
ID_ROLE = Qt.ItemDataRole.UserRole


class _Item(QTreeWidgetItem):
    """A row that sorts its count columns as numbers."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, ID_ROLE + 1), other.data(column, ID_ROLE + 1)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return collator().compare(self.text(column), other.text(column)) < 0


class OrganizationsView(View):
    """Companies and community partners with the people and business that came through them."""

    depends_on = ("contacts", "referrals", "organizations")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[dict[str, Any]] = []
        self.org_id: int | None = None
        self.merge_dialog: MergeIntoDialog | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            self.tr("No organizations yet"),
            self.tr(
                "Type an organization on a contact and it shows up here, with its people, "
                "the referrals they gave and received, and the business won through them."
            ),
        )
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "organizationsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([660, 400])
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)
        layout.addWidget(self.stack, 1)
        self.status = named(QLabel(), "organizationStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.search_box = named(
            SearchBox(self.tr("Search organizations by name or city…")), "organizationSearch"
        )
        self.search_box.search.connect(lambda _text: self.refresh())
        self.count_label = named(QLabel(), "organizationCount")
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        return top

    def _build_list(self) -> QTreeWidget:
        self.table = named(QTreeWidget(), "organizationsTable")
        self.table.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Kind"),
                self.tr("City"),
                self.tr("People"),
                self.tr("Referrals"),
                self.tr("Won value"),
            ]
        )
        heading_tips(self.table)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        # The name takes what the counts leave, so the won value is never pushed out of sight.
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # Narrow figures so the name keeps most of the width on a 1100-pixel window.
        widths = ((COL_KIND, 80), (COL_CITY, 80), (COL_PEOPLE, 50), (COL_REFERRALS, 62))
        for column, width in (*widths, (COL_WON, 112)):
            # Not widened to a longer translated heading: at 1024 pixels the names would
            # have no room left (the headings of these figures are cut in Greek).
            self.table.setColumnWidth(column, width)
        self.table.setMinimumWidth(500)
        self.table.currentItemChanged.connect(lambda _c, _p: self._show_current())
        return self.table

    def _build_detail(self) -> QStackedWidget:
        self.detail = OrganizationDetail()
        self.detail.contact_opened.connect(lambda cid: self.ctx.navigate.emit("contact", cid))
        self.detail.merge_requested.connect(self.merge_into)
        self.no_selection = named(
            QLabel(self.tr("Select an organization to see its people and referrals.")),
            "noOrganization",
        )
        self.no_selection.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_selection.setWordWrap(True)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.no_selection)
        self.detail_stack.addWidget(self.detail)
        return self.detail_stack

    def title(self) -> str:
        return self.tr("Organizations")

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (keeping the selected organization) and the detail."""
        search = self.search_box.text()
        self.items = organizations.list_organizations(search)
        self.table.setSortingEnabled(False)
        self.table.clear()
        for org in self.items:
            self.table.addTopLevelItem(self._row(org))
        self.table.setSortingEnabled(True)
        n = len(self.items)
        self.count_label.setText(
            self.tr("1 organization")
            if n == 1
            else self.tr("%1 organizations").replace("%1", number(n))
        )
        has_any = bool(self.items) or bool(search.strip())
        self.stack.setCurrentWidget(self.splitter if has_any else self.empty)
        self._reselect()

    def _row(self, org: dict[str, Any]) -> QTreeWidgetItem:
        won = won_text(org["won_value"])
        # The largest currency in the cell, every one in its tooltip.
        largest = won_text(dict(list(org["won_value"].items())[:1]))
        item = _Item(
            [
                cell_text(org["name"]),
                kind_label(org["kind"]),
                cell_text(org["city"]),
                number(org["people"]),
                number(org["referrals"]),
                largest + (" + …" if len(org["won_value"]) > 1 else ""),
            ]
        )
        item.setData(COL_NAME, ID_ROLE, org["id"])
        item.setData(COL_PEOPLE, ID_ROLE + 1, org["people"])
        item.setData(COL_REFERRALS, ID_ROLE + 1, org["referrals"])
        item.setData(COL_WON, ID_ROLE + 1, sum(org["won_value"].values()))
        for column in (COL_PEOPLE, COL_REFERRALS, COL_WON):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        item.setToolTip(COL_NAME, org["name"])
        item.setToolTip(COL_WON, won)
        return item

    def _reselect(self) -> None:
        """Select the organization shown before, else the first: the detail is never blank."""
        first = self.table.topLevelItem(0)
        if self.org_id is None and first is not None:
            self.org_id = int(first.data(COL_NAME, ID_ROLE))
        for row in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(row)
            if item is not None and item.data(COL_NAME, ID_ROLE) == self.org_id:
                self.table.setCurrentItem(item)  # shows it (currentItemChanged)
                return
        self.org_id = None
        self._show_current()

    def _show_current(self) -> None:
        item = self.table.currentItem()
        if item is None:
            self.detail_stack.setCurrentWidget(self.no_selection)
            return
        self.org_id = int(item.data(COL_NAME, ID_ROLE))
        self.detail.show_organization(organizations.organization_details(self.org_id))
        self.detail_stack.setCurrentWidget(self.detail)

    def show_organization(self, org_id: int) -> None:
        """Select ``org_id`` (clearing the search when it hides it)."""
        self.org_id = org_id
        if self.search_box.text():
            self.search_box.clear()
        self.refresh()

    # -- merging ---------------------------------------------------------------------------

    def merge_into(self) -> None:
        """Ask which organization keeps the selected one's people, then merge."""
        if self.detail.data is None:
            return
        other = self.detail.data
        dialog = MergeIntoDialog(other, organizations.list_organizations(limit=100_000), self)
        dialog.geometry_settings = self.ctx.settings
        dialog.accepted.connect(lambda: self._merge(dialog.keep_id(), other["id"], other["name"]))
        self.merge_dialog = dialog
        dialog.open()

    def _merge(self, keep_id: int | None, other_id: int, other_name: str) -> None:
        if keep_id is None:
            return
        try:
            result = organization_merge.merge_organizations(keep_id, other_id)
        except CrmError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        n = len(result["moved"])
        text = (
            self.tr("Merged %1 into %2, moving 1 person.")
            if n == 1
            else self.tr("Merged %1 into %2, moving %3 people.").replace("%3", str(n))
        )
        self.status.setText(text.replace("%1", other_name).replace("%2", result["kept_name"]))
        self.org_id = keep_id
        self.ctx.changed("contacts")
