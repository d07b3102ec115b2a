"""The chain as a lazily built tree model: the ancestors' path, then the branches below.

``ChainTreeModel`` builds a person's children a batch at a time when the row is
expanded, with a "N more…" row for the rest; the chain page shows it in its Tree tab.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from crm.gui import labels
from crm.gui.formatting import cell_text, money, number, status_colour
from crm.gui.views.chain.data import ChainData

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
            return labels.referral_status(status) if status else ""
        if above:
            if col == self.LEVEL:
                depth = next((a.depth for a in data.ancestors if a.id == contact_id), 0)
                return f"↑{depth}"
            return ""
        below, won = data.branch(contact_id)
        if col == self.BELOW:
            return number(below) if below else ""
        if col == self.WON:
            return cell_text(money(won, data.currency)) if won else ""
        if col == self.LEVEL:
            return "" if is_root else str(info.depth if info else "")
        return None
