"""The chain page: a contact's ancestors above and descendants below, as a tree and a graph.

The chain is read by ``data``, shown by the tree model in ``tree`` and the picture in
``graph``; this module holds the page around them: header, breadcrumb, tabs, loading
and actions.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CrmError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import (
    STATUS_COLOURS,
    cell_text,
    isolate,
    money,
    number,
    status_colour,
)
from crm.gui.person_picker import PersonPicker
from crm.gui.views.base import View
from crm.gui.views.chain.data import ChainData, load_chain
from crm.gui.views.chain.graph import ChainGraphView
from crm.gui.views.chain.tree import ChainTreeModel
from crm.gui.views.referrals.dialog import ReferralDialog
from crm.gui.widgets import EmptyState
from crm.i18n import ngettext


class ChainView(View):
    depends_on = ("contacts", "referrals")

    TREE, GRAPH = 0, 1

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.contact_id: int | None = None
        self.chain: ChainData | None = None
        self.history: list[int] = []
        self._request = 0
        self.dialog: ReferralDialog | None = None

        top = self._build_header()
        self.tabs = self._build_tabs(ctx)
        self.body = self._build_body()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.body, 1)
        self._update_header()

    # -- building ---------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        """Back, the name, the picker and the actions; the breadcrumb and summary below."""
        self.back_button = QToolButton()
        self.back_button.setObjectName("chainBack")
        self.back_button.setArrowType(
            Qt.ArrowType.RightArrow
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.ArrowType.LeftArrow
        )
        self.back_button.setToolTip(self.tr("Back to the previous chain"))
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_button.clicked.connect(self.go_back)
        self.picker = PersonPicker(self.tr("Show the chain of… (type a name)"))
        self.picker.setObjectName("chainPicker")
        self.picker.setMaximumWidth(360)
        self.picker.setMinimumWidth(140)
        self.picker.picked.connect(self._picked)
        self.name_label = QLabel()
        self.name_label.setObjectName("chainName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.name_label.setFont(font)
        # A long name is cut rather than widening the whole page.
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name_label.setMinimumWidth(120)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("chainSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.breadcrumb = QLabel()
        self.breadcrumb.setObjectName("chainBreadcrumb")
        self.breadcrumb.setTextFormat(Qt.TextFormat.RichText)
        self.breadcrumb.setWordWrap(True)
        self.breadcrumb.linkActivated.connect(lambda link: self.show_contact(int(link)))
        self.open_button = QPushButton(self.tr("Open Contact"))
        self.open_button.setObjectName("chainOpenContact")
        self.open_button.clicked.connect(self.open_current)
        self.refer_button = QPushButton(self.tr("Record Referral…"))
        self.refer_button.setObjectName("chainRecordReferral")
        self.refer_button.clicked.connect(self.record_referral)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.picker, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.refer_button)
        return top

    def _build_tree(self, ctx: AppContext) -> QTreeView:
        self.tree_model = ChainTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("chainTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.doubleClicked.connect(self._tree_double_clicked)
        enter = QAction(self.tr("Open"), self.tree)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(lambda: self._tree_double_clicked(self.tree.currentIndex()))
        self.tree.addAction(enter)
        header = self.tree.header()
        header.setStretchLastSection(False)
        em = self.fontMetrics().horizontalAdvance("M")
        for column, width in enumerate((26, 10, 9, 12, 5)):
            self.tree.setColumnWidth(column, width * em)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        state = ctx.settings.value("chain/treeHeader")
        if isinstance(state, QByteArray):
            header.restoreState(state)
        return self.tree

    def _build_graph(self) -> QWidget:
        """The picture with its zoom buttons and legend, then the hint, above it."""
        self.graph = ChainGraphView()
        self.graph.contact_clicked.connect(lambda cid: self.ctx.navigate.emit("contact", cid))
        self.graph.contact_double_clicked.connect(self.show_contact)
        graph_page = QWidget()
        graph_layout = QVBoxLayout(graph_page)
        graph_layout.setContentsMargins(0, 4, 0, 0)
        tools = QHBoxLayout()
        for text, tip, slot, name in (
            ("−", self.tr("Zoom out (Ctrl+wheel)"), self.graph.zoom_out, "zoomOut"),
            ("+", self.tr("Zoom in (Ctrl+wheel)"), self.graph.zoom_in, "zoomIn"),
            (self.tr("Fit"), self.tr("Show the whole picture"), self.graph.fit_all, "zoomFit"),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            tools.addWidget(button)
        self.graph_hint = QLabel(
            self.tr("Click a person to open them, double-click to centre the chain there.")
        )
        self.graph_hint.setObjectName("graphHint")
        self.graph_hint.setWordWrap(True)
        tools.addStretch(1)
        tools.addWidget(self._legend())
        graph_layout.addLayout(tools)
        # The hint on a line of its own, the full width: beside the legend, a long
        # language squeezed it into a column of single words.
        graph_layout.addWidget(self.graph_hint)
        graph_layout.addWidget(self.graph, 1)
        return graph_page

    def _build_tabs(self, ctx: AppContext) -> QTabWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("chainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_tree(ctx), self.tr("Tree"))
        self.tabs.addTab(self._build_graph(), self.tr("Graph"))
        saved = ctx.settings.value("chain/mode", "graph")
        self.tabs.setCurrentIndex(self.TREE if saved == "tree" else self.GRAPH)
        self.tabs.currentChanged.connect(self._tab_changed)
        return self.tabs

    def _build_body(self) -> QStackedWidget:
        """The tabs, or a word when there is no chain to show."""
        self.empty = EmptyState(self.tr("No chain yet"), "")
        self.empty.add_action(self.tr("Record a Referral…")).clicked.connect(self.record_referral)
        self.nothing = EmptyState(
            self.tr("Whose chain?"),
            self.tr(
                "Open a chain from a contact or a referral, or type a name above: you will see "
                "who referred them and everyone who came through them."
            ),
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.nothing)
        self.body.setCurrentWidget(self.nothing)
        return self.body

    def _legend(self) -> QLabel:
        parts = [
            f'<span style="color:{status_colour(code).darker(125).name()};">■</span>'
            f"&nbsp;{html.escape(labels.referral_status(code))}"
            for code in STATUS_COLOURS
        ]
        legend = QLabel("&nbsp;&nbsp; ".join(parts))
        legend.setObjectName("chainLegend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        return legend

    # -- page API ---------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Referral Chain")

    def focus_search(self) -> None:
        self.picker.setFocus()
        self.picker.selectAll()

    def save_layout(self) -> None:
        self.ctx.settings.setValue("chain/treeHeader", self.tree.header().saveState())

    def refresh(self) -> None:
        if self.contact_id is not None:
            self._load(self.contact_id)

    def _tab_changed(self, index: int) -> None:
        self.ctx.settings.setValue("chain/mode", "tree" if index == self.TREE else "graph")

    def set_mode(self, mode: str) -> None:
        self.tabs.setCurrentIndex(self.TREE if mode == "tree" else self.GRAPH)

    # -- loading ---------------------------------------------------------------------------

    def show_contact(self, contact_id: int) -> None:
        """Show the chain around one contact."""
        if self.contact_id is not None and self.contact_id != contact_id:
            self.history.append(self.contact_id)
            del self.history[:-50]
        self.contact_id = contact_id
        self._stale = False
        self._load(contact_id)

    def _picked(self, contact_id: int) -> None:
        if contact_id:
            self.show_contact(contact_id)

    def go_back(self) -> None:
        if self.history:
            self.contact_id = self.history.pop()
            self._load(self.contact_id)

    def _load(self, contact_id: int) -> None:
        self._request += 1
        request = self._request

        def done(data: ChainData) -> None:
            if request == self._request:
                self._show(data)

        def failed(exc: BaseException) -> None:
            if request != self._request:
                return
            message = exc.message if isinstance(exc, CrmError) else str(exc)
            self.ctx.gateway.show_error(message)

        # Reading 20,000 descendants takes a moment: off the UI thread.
        self.ctx.gateway.run(lambda _p: load_chain(contact_id), on_done=done, on_error=failed)

    def _show(self, data: ChainData) -> None:
        self.chain = data
        self.tree_model.set_chain(data)
        self.graph.set_chain(data)
        if data.empty:
            self.empty.body.setText(
                self.tr(
                    "Nobody in your contacts referred %1, and %1 has not referred anyone yet."
                ).replace("%1", data.name)
            )
            self.body.setCurrentWidget(self.empty)
        else:
            self.body.setCurrentWidget(self.tabs)
            self._expand_first_level()
        self._update_header()

    def _expand_first_level(self) -> None:
        """Open the path down to the contact and its direct referrals; nothing deeper."""
        index = self.tree_model.index(0, 0)
        while index.isValid():
            self.tree.expand(index)
            if index.internalId() // 2 == self.contact_id:
                self.tree.setCurrentIndex(index)
                break
            index = self.tree_model.index(0, 0, index)

    def _update_header(self) -> None:
        data = self.chain
        self.back_button.setEnabled(bool(self.history))
        has = data is not None
        self.open_button.setEnabled(has)
        self.refer_button.setEnabled(has)
        if data is None:
            self.name_label.setText(self.tr("Referral Chain"))
            self.summary_label.setText("")
            self.breadcrumb.setText("")
            self.breadcrumb.hide()
            return
        self.name_label.setText(data.name)
        self.summary_label.setText(self.summary_text(data))
        if data.ancestors:
            rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            # One arrow for both directions: "›" is mirrored in right-to-left text.
            arrow = " › "
            links = [
                f'<a href="{a.id}">{isolate(html.escape(a.name))}</a>'
                for a in reversed(data.ancestors)
            ]
            crumb = arrow.join([*links, f"<b>{isolate(html.escape(data.name))}</b>"])
            direction = "rtl" if rtl else "ltr"
            title = html.escape(self.tr("Referred through:"))
            self.breadcrumb.setText(f'<div dir="{direction}">{title} {crumb}</div>')
            self.breadcrumb.show()
        else:
            self.breadcrumb.setText(self.tr("Not referred by anyone in your contacts"))
            self.breadcrumb.show()

    def summary_text(self, data: ChainData) -> str:
        n = data.descendant_count
        if n == 0:
            return self.tr("Nobody came through them yet.")
        # Plural forms from the catalog: Arabic has six ("14 مستوى", "3 مستويات").
        came = ngettext("{n} came through", "{n} came through", n).format(n=number(n))
        won = self.tr("%1 won in total").replace(
            "%1", cell_text(money(data.won_total, data.currency) or money(0, data.currency))
        )
        depth = data.max_depth
        deep = ngettext("{n} level deep", "{n} levels deep", depth).format(n=number(depth))
        # The pattern's commas are the language's own (Arabic "،").
        return self.tr("%1, %2, %3").replace("%1", came).replace("%2", won).replace("%3", deep)

    # -- actions ------------------------------------------------------------------------------

    def open_current(self) -> None:
        if self.contact_id is not None:
            self.ctx.navigate.emit("contact", self.contact_id)

    def make_dialog(self) -> ReferralDialog:
        """Record a referral given by the contact shown (tests drive the dialog directly)."""
        dialog = ReferralDialog(self, giver_id=self.contact_id)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        return dialog

    def record_referral(self) -> None:
        if self.contact_id is not None:
            self.make_dialog().open()

    def _saved(self, _referral_id: int, created_contact_id: int) -> None:
        if created_contact_id:
            self.ctx.changed("contacts")
        self.ctx.changed("referrals")

    def _tree_double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        parent_id = index.data(ChainTreeModel.MORE_ROLE)
        if parent_id is not None:
            self.tree_model.load_more(parent_id)
            return
        contact_id = index.data(ChainTreeModel.ID_ROLE)
        if contact_id is not None:
            self.ctx.navigate.emit("contact", contact_id)

    def _tree_menu(self, pos) -> None:
        index = self.tree.indexAt(pos)
        contact_id = index.data(ChainTreeModel.ID_ROLE) if index.isValid() else None
        if contact_id is None:
            return
        menu = QMenu(self)
        menu.addAction(
            self.tr("Open Contact"), lambda: self.ctx.navigate.emit("contact", contact_id)
        )
        if contact_id != self.contact_id:
            menu.addAction(self.tr("Show Their Chain"), lambda: self.show_contact(contact_id))
        menu.popup(self.tree.viewport().mapToGlobal(pos))
