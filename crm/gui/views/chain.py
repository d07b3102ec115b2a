"""The chain of a contact: ancestors above, descendants below, as a tree and a graph."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, QByteArray, QModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
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
from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.views.chain_graph import ChainData, ChainGraphView, load_chain
from crm.gui.views.referral_dialog import (
    STATUS_COLOURS,
    ContactPicker,
    ReferralDialog,
    money,
    number,
    status_colour,
    status_text,
)
from crm.gui.widgets import EmptyState

_NO_PARENT = QModelIndex()


class ChainTreeModel(QAbstractItemModel):
    """The chain as a tree: the ancestors' path down to the contact, then its branches.

    Children are built when a row is expanded (``fetchMore``), a batch at a
    time; a "N more…" row under a wide parent loads the next batch. Each row's
    internal id encodes what it is: ``2 * contact id`` for a person,
    ``2 * parent id + 1`` for the "more" row under that parent.
    """

    NAME, STATUS, BELOW, WON, LEVEL = range(5)
    COLUMN_COUNT = 5
    BATCH = 100

    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    MORE_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.data_: ChainData | None = None
        self.path: list[int] = []  # top ancestor first, the contact last
        self.path_parent: dict[int, int] = {}
        self.path_child: dict[int, int] = {}  # on the path above the contact: the next one down
        self.fetched: dict[int, int] = {}  # contact id -> children built so far
        self._dropping_more: set[int] = set()  # parents whose "more" row is being removed

    def set_chain(self, data: ChainData | None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.fetched = {}
        self._dropping_more = set()
        if data is None:
            self.path, self.path_parent, self.path_child = [], {}, {}
        else:
            self.path = [a.id for a in reversed(data.ancestors)] + [data.root_id]
            self.path_parent = {b: a for a, b in zip(self.path, self.path[1:], strict=False)}
            self.path_child = {a: b for b, a in self.path_parent.items()}
        self.endResetModel()

    @property
    def rows_built(self) -> int:
        """Rows that exist in the model now (the rest of the chain is not built)."""
        more = sum(1 for key, n in self.fetched.items() if n < len(self._kids(key)))
        return len(self.path) + sum(self.fetched.values()) + more

    # -- structure ------------------------------------------------------------------

    def _kids(self, contact_id: int) -> list:
        return self.data_.kids(contact_id) if self.data_ is not None else []

    def _child_key(self, contact_id: int, row: int) -> int | None:
        """Internal id of the row under a person, as built so far (None: no such row)."""
        if contact_id in self.path_child:
            return 2 * self.path_child[contact_id] if row == 0 else None
        kids = self._kids(contact_id)
        n = self.fetched.get(contact_id, 0)
        if 0 <= row < n:
            return 2 * kids[row].id
        if row == n and self._has_more_row(contact_id, n, len(kids)):
            return 2 * contact_id + 1
        return None

    def _has_more_row(self, contact_id: int, built: int, total: int) -> bool:
        return 0 < built < total and contact_id not in self._dropping_more

    def _child_count(self, contact_id: int) -> int:
        if self.data_ is None:
            return 0
        if contact_id in self.path_child:
            return 1
        kids = self._kids(contact_id)
        n = self.fetched.get(contact_id, 0)
        return n + (1 if self._has_more_row(contact_id, n, len(kids)) else 0)

    def index(self, row, column, parent=_NO_PARENT) -> QModelIndex:
        if self.data_ is None or column < 0 or column >= self.COLUMN_COUNT:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 2 * self.path[0]) if row == 0 else QModelIndex()
        key = parent.internalId()
        if key % 2:
            return QModelIndex()
        child = self._child_key(key // 2, row)
        return QModelIndex() if child is None else self.createIndex(row, column, child)

    def parent(self, index=_NO_PARENT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or self.data_ is None:
            return QModelIndex()
        key = index.internalId()
        if key % 2:
            parent_id = key // 2
        else:
            contact_id = key // 2
            if contact_id in self.path_parent:
                parent_id = self.path_parent[contact_id]
            elif contact_id in self.data_.info:
                parent_id = self.data_.info[contact_id].parent_id
            else:
                return QModelIndex()  # the top of the path
        return self._index_of(parent_id)

    def _index_of(self, contact_id: int, column: int = 0) -> QModelIndex:
        if self.data_ is None:
            return QModelIndex()
        if contact_id in self.path_parent or contact_id == self.path[0]:
            return self.createIndex(0, column, 2 * contact_id)  # a path row is an only child
        row = self.data_.row_in_parent.get(contact_id, 0)
        return self.createIndex(row, column, 2 * contact_id)

    def index_of(self, contact_id: int) -> QModelIndex:
        """The row of a built person (invalid when not built yet)."""
        if self.data_ is None:
            return QModelIndex()
        if contact_id in self.path_parent or contact_id == self.path[0]:
            return self._index_of(contact_id)
        info = self.data_.info.get(contact_id)
        if info is None or self.data_.row_in_parent[contact_id] >= self.fetched.get(
            info.parent_id, 0
        ):
            return QModelIndex()
        return self._index_of(contact_id)

    def rowCount(self, parent=_NO_PARENT) -> int:
        if self.data_ is None:
            return 0
        if not parent.isValid():
            return 1
        if parent.column() > 0:
            return 0
        key = parent.internalId()
        return 0 if key % 2 else self._child_count(key // 2)

    def columnCount(self, parent=_NO_PARENT) -> int:
        return self.COLUMN_COUNT

    def hasChildren(self, parent=_NO_PARENT) -> bool:
        if self.data_ is None:
            return False
        if not parent.isValid():
            return True
        key = parent.internalId()
        if key % 2 or parent.column() > 0:
            return False
        contact_id = key // 2
        if contact_id in self.path_child:
            return True
        return bool(self._kids(contact_id))

    def canFetchMore(self, parent) -> bool:
        if self.data_ is None or not parent.isValid() or parent.internalId() % 2:
            return False
        contact_id = parent.internalId() // 2
        if contact_id in self.path_child:
            return False
        return self.fetched.get(contact_id, 0) == 0 and bool(self._kids(contact_id))

    def fetchMore(self, parent) -> None:
        if self.canFetchMore(parent):
            self._build(parent.internalId() // 2, parent)

    def load_more(self, parent_id: int) -> int:
        """Build the next batch under ``parent_id`` (the "N more…" row); returns how many."""
        if self.data_ is None:
            return 0
        parent = self._index_of(parent_id)
        return self._build(parent_id, parent)

    def _build(self, contact_id: int, parent: QModelIndex) -> int:
        kids = self._kids(contact_id)
        done = self.fetched.get(contact_id, 0)
        batch = min(self.BATCH, len(kids) - done)
        if batch <= 0:
            return 0
        complete = done + batch == len(kids)
        if done == 0:
            # The children, and a "more" row when not all of them fit in a batch.
            self.beginInsertRows(parent, 0, batch - 1 + (0 if complete else 1))
            self.fetched[contact_id] = batch
            self.endInsertRows()
            return batch
        if complete:
            # The last batch: the "more" row goes first, then the rest come in.
            self.beginRemoveRows(parent, done, done)
            self._dropping_more.add(contact_id)
            self.endRemoveRows()
        self.beginInsertRows(parent, done, done + batch - 1)
        self.fetched[contact_id] = done + batch
        self._dropping_more.discard(contact_id)
        self.endInsertRows()
        return batch

    # -- content ------------------------------------------------------------------------

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Name"),
            self.tr("Status"),
            self.tr("Came through"),
            self.tr("Won in branch"),
            self.tr("Level"),
        )[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.data_ is None:
            return None
        key = index.internalId()
        col = index.column()
        data = self.data_
        if key % 2:
            parent_id = key // 2
            if role == self.MORE_ROLE:
                return parent_id
            if role == Qt.ItemDataRole.DisplayRole and col == self.NAME:
                left = len(self._kids(parent_id)) - self.fetched.get(parent_id, 0)
                return self.tr("%1 more… (double-click to show)").replace("%1", number(left))
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_colour("proposal").darker(160)
            return None
        contact_id = key // 2
        if role == self.ID_ROLE:
            return contact_id
        is_root = contact_id == data.root_id
        info = data.info.get(contact_id)
        status = data.root_status if is_root else (info.status if info else None)
        above = contact_id in self.path_child
        if role == Qt.ItemDataRole.FontRole and is_root:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS and status:
            return status_colour(status).darker(115)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.BELOW, self.WON, self.LEVEL):
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and above:
            return self.tr("Referred the person below")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == self.NAME:
            if above:
                return next((a.name for a in data.ancestors if a.id == contact_id), "")
            return data.name if is_root else (info.name if info else "")
        if col == self.STATUS:
            return status_text(status) if status else ""
        if above:
            if col == self.LEVEL:
                depth = next((a.depth for a in data.ancestors if a.id == contact_id), 0)
                return f"↑{depth}"
            return ""
        below, won = data.branch(contact_id)
        if col == self.BELOW:
            return number(below) if below else ""
        if col == self.WON:
            return money(won, data.currency) if won else ""
        if col == self.LEVEL:
            return "" if is_root else str(info.depth if info else "")
        return None


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

        # -- header: pick a contact, name, summary, breadcrumb
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
        self.picker = ContactPicker(self.tr("Show the chain of… (type a name)"))
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

        # -- the tree
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

        # -- the graph
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
        tools.addWidget(self.graph_hint, 1)
        tools.addWidget(self._legend())
        graph_layout.addLayout(tools)
        graph_layout.addWidget(self.graph, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("chainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.tree, self.tr("Tree"))
        self.tabs.addTab(graph_page, self.tr("Graph"))
        saved = ctx.settings.value("chain/mode", "graph")
        self.tabs.setCurrentIndex(self.TREE if saved == "tree" else self.GRAPH)
        self.tabs.currentChanged.connect(self._tab_changed)

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

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.body, 1)
        self._update_header()

    def _legend(self) -> QLabel:
        parts = [
            f'<span style="color:{status_colour(code).darker(125).name()};">■</span>'
            f"&nbsp;{html.escape(status_text(code))}"
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
                f'<a href="{a.id}">{html.escape(a.name)}</a>' for a in reversed(data.ancestors)
            ]
            crumb = arrow.join([*links, f"<b>{html.escape(data.name)}</b>"])
            direction = "rtl" if rtl else "ltr"
            self.breadcrumb.setText(
                f'<div dir="{direction}">{html.escape(self.tr("Referred through:"))} {crumb}</div>'
            )
            self.breadcrumb.show()
        else:
            self.breadcrumb.setText(self.tr("Not referred by anyone in your contacts"))
            self.breadcrumb.show()

    def summary_text(self, data: ChainData) -> str:
        n = data.descendant_count
        if n == 0:
            return self.tr("Nobody came through them yet.")
        came = (
            self.tr("1 came through")
            if n == 1
            else self.tr("%1 came through").replace("%1", number(n))
        )
        won = self.tr("%1 won in total").replace(
            "%1", money(data.won_total, data.currency) or money(0, data.currency)
        )
        depth = data.max_depth
        deep = (
            self.tr("1 level deep")
            if depth == 1
            else self.tr("%1 levels deep").replace("%1", str(depth))
        )
        return f"{came}, {won}, {deep}"

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
