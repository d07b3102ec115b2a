"""The contacts table on a real worker: a new query paints its first page, the rest comes after.

These run the app's own threaded gateway (not the synchronous one of the other
GUI tests) on a real database, as the desktop app does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel

from crm import demo
from crm.core import contact_table, contacts, db
from crm.core.contact_table import RELEVANCE
from crm.gui.app import build_window
from crm.gui.main_window import MainWindow
from crm.gui.views.contacts.model import (
    COL_CITY,
    COL_NAME,
    ContactQuery,
    ContactTableModel,
    display_name,
)


@pytest.fixture
def demo_store(store):
    demo.generate(store, contacts=1500, seed=5)
    return store


@pytest.fixture
def threaded(qtbot, demo_store, qsettings) -> Iterator[MainWindow]:
    """The main window with the real (threaded) gateway, the contacts list loaded."""
    window = build_window(demo_store, qsettings)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    view = window.show_page("contacts")
    qtbot.waitUntil(lambda: view.model.settled, timeout=20_000)
    yield window
    window.ctx.gateway.wait()
    window.close()


class Signals:
    """What the model said: resets, and the rows inserted (first, last)."""

    def __init__(self, model: ContactTableModel) -> None:
        self.resets = 0
        self.inserted: list[tuple[int, int]] = []
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(lambda _parent, a, b: self.inserted.append((a, b)))

    def _reset(self) -> None:
        self.resets += 1


def shown_name(model: ContactTableModel, row: int) -> str:
    return model.index(row, COL_NAME).data()


def expected_name(contact_id: int) -> str:
    row = contact_table.table_rows([contact_id])[contact_id]
    return display_name(row[1], row[2])


def search(qtbot, view, text: str) -> None:
    view.search.setText(text)
    view.search.flush()
    model = view.model
    qtbot.waitUntil(lambda: model.query.search_text == text and model.settled, timeout=20_000)


def test_the_whole_list_loads_after_the_first_page_and_scrolls_to_its_end(threaded, qtbot):
    view = threaded.show_page("contacts")
    model = view.model
    expected = contact_table.query_ids()
    assert model.ids == expected and len(expected) > 1000
    assert view.count_label.text() == f"{len(expected):,} contacts"
    view.table.scrollToBottom()
    view.table.viewport().repaint()
    last = len(expected) - 1
    assert shown_name(model, last) == expected_name(expected[-1])
    assert view.table.rowAt(view.table.viewport().height() - 2) in (last, -1)
    assert model.cached_pages[-1] == last // model.page_size


def test_a_search_paints_its_first_page_then_adds_the_rest_below(threaded, qtbot):
    view = threaded.show_page("contacts")
    model = view.model
    said = Signals(model)
    search(qtbot, view, "a")
    expected = contact_table.query_ids("a", order=RELEVANCE)
    assert len(expected) > 2 * model.page_size  # more than the first page
    assert model.ids == expected
    # One reset for the first page; the rest inserted below it, not a second reset.
    assert said.resets == 1
    assert said.inserted == [(model.page_size, len(expected) - 1)]
    assert view.count_label.text() == f"{len(expected):,} contacts match"
    # The first result is current and shown in the pane; the last one is at the end.
    assert view.table.currentIndex().row() == 0
    qtbot.waitUntil(lambda: view.detail.contact_id == expected[0])
    view.table.scrollToBottom()
    view.table.viewport().repaint()
    assert shown_name(model, len(expected) - 1) == expected_name(expected[-1])


def test_sorting_and_a_filter_run_on_the_worker_with_the_same_rows_as_the_core(threaded, qtbot):
    view = threaded.show_page("contacts")
    model = view.model
    from PySide6.QtCore import Qt

    from crm.gui.views.contacts.model import COL_CITY

    view.table.sortByColumn(COL_CITY, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.order == "city" and model.settled, timeout=20_000)
    assert model.ids == contact_table.query_ids(order="city", descending=True)
    view.stage_filter.setCurrentIndex(view.stage_filter.findData("customer"))
    qtbot.waitUntil(lambda: model.query.stage == "customer" and model.settled, timeout=20_000)
    expected = contact_table.query_ids(stage="customer", order="city", descending=True)
    assert model.ids == expected and 0 < len(expected) < 1500
    # A search shows the best matches first, with no sort indicator; the filter holds.
    header = view.table.horizontalHeader()
    search(qtbot, view, "ma")
    assert model.ids == contact_table.query_ids("ma", stage="customer", order=RELEVANCE)
    assert header.sortIndicatorSection() == -1
    # A header click sorts the matches; clearing the search keeps that column's order.
    view.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.query.order == "name" and model.settled, timeout=20_000)
    assert model.ids == contact_table.query_ids("ma", stage="customer")
    search(qtbot, view, "")
    assert model.ids == contact_table.query_ids(stage="customer")
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        COL_NAME,
        Qt.SortOrder.AscendingOrder,
    )


def test_clearing_a_search_brings_back_the_column_order_from_before(threaded, qtbot):
    view = threaded.show_page("contacts")
    model, header = view.model, view.table.horizontalHeader()
    from PySide6.QtCore import Qt

    from crm.gui.views.contacts.model import COL_CITY

    view.table.sortByColumn(COL_CITY, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.order == "city" and model.settled, timeout=20_000)
    search(qtbot, view, "π")
    assert model.ids == contact_table.query_ids("π", order=RELEVANCE)
    assert model.query.order == RELEVANCE and header.sortIndicatorSection() == -1
    search(qtbot, view, "")
    assert model.query.order == "city" and model.query.descending
    assert model.ids == contact_table.query_ids(order="city", descending=True)
    assert header.sortIndicatorSection() == COL_CITY


def test_a_new_sort_order_selects_the_same_contact_again_once_the_list_has_come(threaded, qtbot):
    view = threaded.show_page("contacts")
    model = view.model
    from PySide6.QtCore import Qt

    from crm.gui.views.contacts.model import COL_CITY

    ids = contact_table.query_ids()
    chosen = ids[len(ids) // 2]  # far past the first page in any order
    view.show_contact(chosen)
    qtbot.waitUntil(lambda: view.detail.contact_id == chosen)
    view.table.sortByColumn(COL_CITY, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.query.order == "city" and model.settled, timeout=20_000)
    row = model.row_of(chosen)
    assert row is not None and row >= model.page_size
    assert view.selected_ids() == [chosen] and view.table.currentIndex().row() == row
    assert view.detail.contact_id == chosen


def test_typing_fast_shows_only_the_last_search(threaded, qtbot):
    view = threaded.show_page("contacts")
    model = view.model
    for text in ("m", "ma", "mar", "mari"):
        view.search.setText(text)
        view.search.flush()
    search(qtbot, view, "mari")
    threaded.ctx.gateway.wait()
    qtbot.wait(50)  # any late result of an overtaken search would have arrived now
    assert model.ids == contact_table.query_ids("mari", order=RELEVANCE)
    assert model.query == ContactQuery(search_text="mari", order=RELEVANCE)


# -- the model alone ------------------------------------------------------------------------


def test_complete_adds_rows_below_the_head_and_keeps_the_selection(demo_store, qtbot):
    from PySide6.QtWidgets import QTableView

    ids = contact_table.query_ids()
    model = ContactTableModel(page_size=10)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    said = Signals(model)
    assert model.apply(ids[:10], False, model.generation, head=True)
    table.selectionModel().select(
        model.index(3, COL_NAME),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert model.complete(ids, False, model.generation)
    assert said.resets == 1 and said.inserted == [(10, len(ids) - 1)]
    assert model.ids == ids and not model.head
    assert [i.row() for i in table.selectionModel().selectedRows()] == [3]
    # A result for an older query is dropped; one whose start changed resets.
    old = model.generation
    model.runner = lambda _query, _generation: None
    model.update_query(search_text="x")
    assert not model.complete(ids, False, old)
    assert model.apply(ids[:10], False, model.generation, head=True)
    assert model.complete(ids[1:], False, model.generation)
    assert said.resets == 3 and model.ids == ids[1:]


def test_ids_come_as_a_compact_array_with_8_bytes_only_when_needed(store):
    from crm.core import contacts

    people = [
        contacts.create_contact(contacts.ContactData(given_name=g, family_name=f)).id
        for g, f in (("Anna", "Rossi"), ("Ánna", "Bianchi"), ("Carlo", "Rossi"))
    ]
    found = contact_table.query_id_array()
    assert found.typecode == "i" and found.tolist() == contact_table.query_ids()
    assert sorted(found) == sorted(people)
    head_sql = contact_table.ids_query("rossi", limit=1, plan_limit=10_001)
    assert head_sql is not None
    assert (
        contact_table.query_id_array("rossi", limit=1, plan_limit=10_001).tolist()
        == (contact_table.query_ids("rossi")[:1])
    )
    big = contact_table._id_array("SELECT 3000000000 UNION ALL SELECT 1", [])
    assert big.typecode == "q" and big.tolist() == [3_000_000_000, 1]
    assert db.on_postgres() or contact_table.query_id_array("zzz").tolist() == []


def test_a_reload_gives_back_the_list_it_was_given_when_nothing_moved(store):
    def person(given: str, family: str) -> int:
        data = contacts.ContactData(given_name=given, family_name=family)
        return contacts.create_contact(data).id

    for given, family in (("Anna", "Rossi"), ("Carlo", "Bianchi"), ("Zoe", "Zappa")):
        person(given, family)
    shown = contact_table.query_id_array()
    # The same ids in the same order: that very array, not a second copy of it.
    assert contact_table.query_id_array(like=shown) is shown
    # A contact between two others, one at the end, one fewer: a new, right list.
    middle = person("Dora", "Conti")
    moved = contact_table.query_id_array(like=shown)
    assert moved is not shown and moved.tolist() == contact_table.query_ids()
    assert moved.tolist().index(middle) == 1  # Bianchi, Conti, Rossi, Zappa
    last = person("Ugo", "Zzz")
    longer = contact_table.query_id_array(like=moved)
    assert longer.tolist() == contact_table.query_ids() and longer[-1] == last
    contacts.set_archived(last, True)
    shorter = contact_table.query_id_array(like=longer)
    assert shorter.tolist() == contact_table.query_ids() == moved.tolist()
    # The arrays given are never changed.
    assert shown.tolist() == [i for i in moved.tolist() if i != middle]


def test_the_table_reloading_after_a_change_keeps_its_list_when_the_ids_are_the_same(
    threaded, qtbot
):
    view = threaded.show_page("contacts")
    model = view.model
    before = model.id_array
    first = model.id_at(0)
    generation = model.generation
    contacts.update_contact(first, city="Θεσσαλονίκη")  # the same order of names
    threaded.ctx.changed("contacts")  # as the core's writers tell the window
    qtbot.waitUntil(lambda: model.settled and model.generation > generation, timeout=20_000)
    qtbot.waitUntil(lambda: model.index(0, COL_CITY).data() == "Θεσσαλονίκη")
    assert model.id_array is before  # compared as read, not held twice
