"""How the contacts table gets its rows: first page first, the rest after; a search's order."""

from __future__ import annotations

from array import array
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHeaderView

from crm.core import contact_table
from crm.core.contact_table import RELEVANCE
from crm.gui.gateway import Gateway
from crm.gui.views.contacts.model import (
    COLUMN_ORDERS,
    ContactQuery,
    ContactTableModel,
    fetch_head,
    fetch_ids,
)


class ListLoader:
    """Runs the model's queries on the gateway's workers (the model's ``runner``).

    A new query (a keystroke in the search box, a sort, a filter) waits only
    for its first page of ids, which the model shows at once; the rest of the
    (capped) list comes from a second query and is added below those rows
    (``ContactTableModel.complete``). The same query run again because the
    data changed loads in one go and replaces the list, keeping the view.
    """

    def __init__(
        self,
        model: ContactTableModel,
        gateway: Gateway,
        after_paint: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.model, self.gateway = model, gateway
        # Runs a function once the table has painted (ContactTable.after_next_paint).
        self.after_paint = after_paint

    def run(self, query: ContactQuery, generation: int) -> None:
        model = self.model
        if query == model.shown_query and model.loaded and not model.head:
            # The same list again (the data changed): compared with the one shown
            # as it is read, not held twice when it has not changed.
            self._load_whole(query, generation, model.apply, like=model.id_array)
            return
        size = model.page_size

        def head(_progress: object) -> array[int] | None:
            # Typing fast queues queries: one already overtaken is not run.
            return fetch_head(query, size) if model.generation == generation else None

        def head_done(ids: array[int] | None) -> None:
            # Fewer than a page: that is the whole list (unless a search's cap is smaller).
            found = len(ids or ())
            whole = found < size and not (
                query.search_text.strip() and found > contact_table.SEARCH_CAP
            )
            if ids is None or not model.apply(ids, False, generation, head=not whole):
                return
            if not whole:
                # After the first page has painted: the rest's worker, reading
                # thousands of rows, would hold the interpreter lock from it.
                self._after_paint(lambda: self._load_whole(query, generation, model.complete))

        self.gateway.run(head, on_done=head_done)

    def _after_paint(self, fn: Callable[[], None]) -> None:
        """``fn`` once the table has painted, or in 200 ms if it does not (a hidden page)."""
        if self.after_paint is None or self.gateway.synchronous:
            fn()
            return
        done = [False]

        def once() -> None:
            if not done[0]:
                done[0] = True
                fn()

        self.after_paint(once)
        QTimer.singleShot(200, once)

    def load_rest(self) -> None:
        """The rest of the list below the first page shown (the app's first paint)."""
        self._load_whole(self.model.query, self.model.generation, self.model.complete)

    def _load_whole(
        self,
        query: ContactQuery,
        generation: int,
        show: Callable[[array[int], bool, int], bool],
        like: array[int] | None = None,
    ) -> None:
        model = self.model

        def whole(_progress: object) -> tuple[array[int], bool] | None:
            return fetch_ids(query, like) if model.generation == generation else None

        def done(result: tuple[array[int], bool] | None) -> None:
            if result is not None:
                show(result[0], result[1], generation)

        self.gateway.run(whole, on_done=done)


class SearchOrder:
    """While searching, the best matches first; a column header click sorts them.

    A search lists its matches in the search index's order (best first, see
    ``contact_table.RELEVANCE``), which gives the first page of a one-letter
    search of a million contacts at once; no column shows a sort indicator.
    A click on a header sorts the matches by that column; clearing the search
    brings back the column order the table had.
    """

    def __init__(self, model: ContactTableModel, header: QHeaderView) -> None:
        self.model, self.header = model, header
        self._before: tuple[str, bool] = ("name", False)

    def search(self, text: str) -> None:
        query = self.model.query
        searching, was = bool(text.strip()), bool(query.search_text.strip())
        if searching and not was:
            self._before = (query.order, query.descending)
            self.model.update_query(search_text=text, order=RELEVANCE, descending=False)
            self.header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        elif was and not searching:
            order, descending = self.column_order()
            self.model.update_query(search_text=text, order=order, descending=descending)
            self.show_indicator()
        else:
            self.model.update_query(search_text=text)

    def column_order(self) -> tuple[str, bool]:
        """The column order to go back to: the one chosen while searching, else the one before."""
        query = self.model.query
        if query.order != RELEVANCE:
            return query.order, query.descending
        return self._before

    def show_indicator(self) -> None:
        """The header's sort indicator on the column the table is sorted by."""
        order, descending = self.column_order()
        columns = [c for c, key in COLUMN_ORDERS.items() if key == order]
        if columns:
            direction = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            self.header.setSortIndicator(columns[0], direction)
