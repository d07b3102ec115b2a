"""The contacts table model: holds the ordered ids, fetches rows a page at a time.

Like Anki's browser table model, it never holds the whole database: a query
gives the ids in the chosen order and filter (``contact_table.query_id_array``:
an ``array`` of 4 bytes an id, filled straight from the cursor), and the rows
the view paints are fetched by pages of ``PAGE_SIZE`` ids with one query each
(``contact_table.table_rows``), kept in a small LRU cache. Those are plain SQL
without peewee, so the first page paints before the ORM is loaded.

A new query shows its first page of ids first (``apply(..., head=True)``) and
the rest of the list is added below it when it comes (``complete``); the
loading itself is :mod:`crm.gui.views.contacts.loading`'s.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from crm.core import contact_table, phones
from crm.gui import labels
from crm.gui.formatting import cell_text
from crm.gui.translation import word
from crm.gui.widgets import plain_tip

# Columns, in the order the table shows them.
COL_NAME = 0
COL_ORGANIZATION = 1
COL_EMAIL = 2
COL_PHONE = 3
COL_CITY = 4
COL_STAGE = 5
COL_CHANNEL = 6
COLUMN_COUNT = 7

# The core's sort key for each column.
COLUMN_ORDERS = {
    COL_NAME: "name",
    COL_ORGANIZATION: "organization",
    COL_EMAIL: "email",
    COL_PHONE: "phone",
    COL_CITY: "city",
    COL_STAGE: "stage",
    COL_CHANNEL: "channel",
}

# Positions in a ``contact_table.table_rows`` tuple.
_ID, _GIVEN, _FAMILY, _ORG, _EMAIL, _PHONE, _CITY, _STAGE, _CHANNEL, _ARCHIVED = range(10)

# A page is one query: 64 rows cover a screen or two (a screen shows ~30) and
# take under a millisecond, where 200 took several at the first paint; the
# cache keeps ~1,000 rows (30 screens; 3,000 rows held ~2 MB more, for rows a
# page query fetches again in a millisecond).
PAGE_SIZE = 64
CACHE_PAGES = 16

ID_ROLE = Qt.ItemDataRole.UserRole

# The roles data() answers, as plain ints (the view passes ints): a painted cell
# is asked for seven roles, most of them ones this model has nothing for.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ID = int(ID_ROLE)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _ID))


def _tr(text: str) -> str:
    return word("contacts", text)


def stage_label(code: str) -> str:
    """The word for a lifecycle stage code."""
    return labels.stage(code)


def channel_label(code: str) -> str:
    """The words for how we first heard of a contact."""
    return labels.channel(code)


def display_name(given: str, family: str) -> str:
    """Family name first, as the table sorts: "Papadopoulos, Giorgos"."""
    if given and family:
        return f"{family}, {given}"
    return family or given


@dataclass(frozen=True)
class ContactQuery:
    """What the table shows: the arguments of ``contact_table.query_ids``."""

    search_text: str = ""
    tag: str | None = None
    stage: str | None = None
    channel: str | None = None
    order: str = "name"
    descending: bool = False
    include_archived: bool = False

    def kwargs(self) -> dict[str, Any]:
        return {
            "search_text": self.search_text,
            "tag": self.tag,
            "stage": self.stage,
            "channel": self.channel,
            "order": self.order,
            "descending": self.descending,
            "include_archived": self.include_archived,
        }

    @property
    def filtered(self) -> bool:
        return bool(self.search_text.strip() or self.tag or self.stage or self.channel)


def fetch_ids(query: ContactQuery, like: array[int] | None = None) -> tuple[array[int], bool]:
    """The ids for ``query`` and whether a search hit the cap (plain values: runs on a worker).

    ``like``: the ids shown for the same query, given back when they have not changed.
    """
    if query.search_text.strip():
        cap = contact_table.SEARCH_CAP
        ids = contact_table.query_id_array(**query.kwargs(), limit=cap + 1)
        capped = len(ids) > cap
        if capped:
            del ids[cap:]
        return ids, capped
    return contact_table.query_id_array(**query.kwargs(), like=like), False


def fetch_head(query: ContactQuery, size: int) -> array[int]:
    """The first ``size`` ids of :func:`fetch_ids`' list: what a new query paints first.

    A search takes the plan of its whole capped list, which gives these rows
    as fast as any plan does (and the same rows).
    """
    plan = contact_table.SEARCH_CAP + 1 if query.search_text.strip() else None
    return contact_table.query_id_array(**query.kwargs(), limit=size, plan_limit=plan)


class ContactTableModel(QAbstractTableModel):
    """Rows of contacts over a list of ids; rows are fetched in pages when painted."""

    # The query changed (sort, filter): whoever owns the model runs it and
    # hands the result to ``apply``. Without an owner, ``requery`` runs it here.
    queryChanged = Signal()
    # The rows after a head shown first came (``complete``): the count is now known.
    completed = Signal()

    def __init__(
        self, parent=None, *, page_size: int = PAGE_SIZE, cache_pages: int = CACHE_PAGES
    ) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.cache_pages = cache_pages
        self.query = ContactQuery()
        self.capped = False
        self.loaded = False
        self.head = False
        self._ids: array[int] = array("i")
        self._pages: OrderedDict[int, list[tuple[Any, ...] | None]] = OrderedDict()
        self._generation = 0
        self._shown = 0  # the generation whose rows are shown
        self.shown_query: ContactQuery | None = None  # and its query
        # Statistics the tests read: how many page queries and rows were fetched.
        self.fetch_count = 0
        self.rows_fetched = 0
        # Runs a query off the UI thread: ``runner(query, generation)``; None = here, now.
        self.runner: Callable[[ContactQuery, int], None] | None = None
        self._archived_brush: QBrush | None = None
        self._phones: dict[str, str] = {}

    # -- the id list ------------------------------------------------------------

    def set_query(self, query: ContactQuery, *, now: bool = False) -> None:
        """Show the contacts of ``query`` (run through the runner unless ``now``)."""
        self.query = query
        self.requery(now=now)

    def update_query(self, *, now: bool = False, **changes: Any) -> None:
        self.set_query(replace(self.query, **changes), now=now)

    def requery(self, *, now: bool = False) -> None:
        """Run the current query again (after a sort, a filter, or a change in the data)."""
        self._generation += 1
        if self.runner is None or now:
            ids, capped = fetch_ids(self.query)
            self.apply(ids, capped, self._generation)
        else:
            self.runner(self.query, self._generation)
        self.queryChanged.emit()

    def apply(
        self,
        ids: Sequence[int],
        capped: bool,
        generation: int | None = None,
        *,
        head: bool = False,
    ) -> bool:
        """Show ``ids``; a result for an older query than the latest is dropped.

        ``head``: only the first ids of the result, shown while the whole of it
        is on its way (``rowCount`` is then no count of the matches).
        """
        if generation is not None and generation != self._generation:
            return False
        self._shown = self._generation
        self.shown_query = self.query
        self.beginResetModel()
        # 4 or 8 bytes an id instead of a list of int objects (~36 bytes each).
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self.capped = capped
        self.loaded = True
        self.head = head
        self._pages.clear()
        self.endResetModel()
        return True

    def complete(self, ids: Sequence[int], capped: bool, generation: int | None = None) -> bool:
        """The whole result of a query whose head is shown: the rows after it are added.

        The rows shown stay as they are (selection, scroll position, fetched
        pages): only the scroll bar grows. When the head is no longer the
        start of the result (the data changed in between), the model resets.
        """
        if generation is not None and generation != self._generation:
            return False
        ids = ids if isinstance(ids, array) else array("q", ids)
        shown = len(self._ids)
        if not self.head or len(ids) < shown or ids[:shown] != self._ids:
            return self.apply(ids, capped, generation)
        self.head = False
        self.capped = capped
        if len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        self.completed.emit()
        return True

    @property
    def settled(self) -> bool:
        """Whether the whole result of the latest query is shown (none on its way)."""
        return self.loaded and self._shown == self._generation and not self.head

    @property
    def generation(self) -> int:
        """The number of the latest query (a worker's result for an older one is dropped)."""
        return self._generation

    def invalidate_rows(self) -> None:
        """Forget fetched rows (the same ids, changed data): the view fetches them again."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, COLUMN_COUNT - 1)
            )

    @property
    def ids(self) -> list[int]:
        """The ids shown, in order (a copy)."""
        return self._ids.tolist()

    @property
    def id_array(self) -> array[int]:
        """The ids shown, as held (not to be changed: a reload compares with it)."""
        return self._ids

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, contact_id: int) -> int | None:
        """The row showing a contact, or None when the query leaves it out."""
        # A scan in C (100,000 ids: about a millisecond) rather than a dict of
        # every id, which would cost ~10 MB at 100,000 contacts.
        try:
            return self._ids.index(contact_id)
        except ValueError:
            return None

    # -- rows, fetched in pages ----------------------------------------------------

    def row_values(self, row: int) -> tuple[Any, ...] | None:
        """The ``contact_table.table_rows`` tuple of a row, fetching its page if needed."""
        if not 0 <= row < len(self._ids):
            return None
        number, offset = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch_page(number)
        else:
            self._pages.move_to_end(number)
        return page[offset]

    def _fetch_page(self, number: int) -> list[tuple[Any, ...] | None]:
        ids = self._ids[number * self.page_size : (number + 1) * self.page_size]
        found = contact_table.table_rows(ids)
        page = [found.get(cid) for cid in ids]
        self.fetch_count += 1
        self.rows_fetched += len(ids)
        self._pages[number] = page
        while len(self._pages) > self.cache_pages:
            self._pages.popitem(last=False)
        return page

    @property
    def cached_pages(self) -> list[int]:
        return list(self._pages)

    # -- QAbstractTableModel ---------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(section)
        return None

    @staticmethod
    def column_title(column: int) -> str:
        # Asked for on every paint of the header: each title translated once (see _tr).
        if column == COL_NAME:
            return _tr("Name")
        if column == COL_ORGANIZATION:
            return _tr("Organization")
        if column == COL_EMAIL:
            return _tr("Email")
        if column == COL_PHONE:
            return _tr("Phone")
        if column == COL_CITY:
            return _tr("City")
        if column == COL_STAGE:
            return _tr("Stage")
        if column == COL_CHANNEL:
            return _tr("Channel")
        return ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role=_DISPLAY):
        if role not in _ROLES or not index.isValid():
            return None
        if role == _ID:
            return self.id_at(index.row())
        row = self.row_values(index.row())
        if row is None:
            # Removed since the id list was made: the next refresh drops it.
            return "…" if role == _DISPLAY else None
        if role == _FOREGROUND:
            return self._archived_foreground() if row[_ARCHIVED] else None
        text = cell_text(self._text(row, index.column()))
        if role == _TOOLTIP:
            if row[_ARCHIVED]:
                return plain_tip(_tr("%1 (archived)").replace("%1", text))
            return plain_tip(text) or None
        return text

    def _phone(self, number: str) -> str:
        # Formatted when first painted (a page holds 64 rows, a screen ~30).
        text = self._phones.get(number)
        if text is None:
            if len(self._phones) > 5000:
                self._phones.clear()
            # Rows carry the number as written; a bare E.164 one is formatted.
            text = self._phones[number] = (
                phones.display(number) if number.startswith("+") and " " not in number else number
            )
        return text

    def _text(self, row: tuple[Any, ...], column: int) -> str:
        if column == COL_NAME:
            return display_name(row[_GIVEN], row[_FAMILY])
        if column == COL_ORGANIZATION:
            return row[_ORG] or ""
        if column == COL_EMAIL:
            return row[_EMAIL] or ""
        if column == COL_PHONE:
            return self._phone(row[_PHONE]) if row[_PHONE] else ""
        if column == COL_CITY:
            return row[_CITY] or ""
        if column == COL_STAGE:
            return stage_label(row[_STAGE])
        if column == COL_CHANNEL:
            return channel_label(row[_CHANNEL])
        return ""

    def _archived_foreground(self) -> QBrush:
        if self._archived_brush is None:
            palette = QApplication.palette()
            self._archived_brush = palette.brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return self._archived_brush

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL: run the query again in the new order."""
        if column < 0:
            return  # no column: a search in its own order (see loading.SearchOrder)
        key = COLUMN_ORDERS.get(column, "name")
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.query.order, self.query.descending) and self.loaded:
            return
        if not self.loaded:
            # Before the first load (a header restoring its sort): just remember it.
            self.query = replace(self.query, order=key, descending=descending)
            return
        self.update_query(order=key, descending=descending)
