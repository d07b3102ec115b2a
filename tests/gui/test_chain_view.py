"""The chain view: ancestors and descendants as a tree and a graph, bounded for big chains."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from qtclicks import double_click_row
from qtkeys import type_text

from crm.core import clock, contacts, models, referrals
from crm.core.contacts import ContactData
from crm.gui.app import build_window
from crm.gui.views.chain.graph import ChainGraphView
from crm.gui.views.chain.node import ANCESTOR, MORE, PERSON, ROOT
from crm.gui.views.chain.page import ChainView
from crm.gui.views.chain.tree import ChainTreeModel


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family)).id


@pytest.fixture
def family(store):
    """Primary edges::

        Ρίζα ─ Anna ─┬─ Cara ── Eve
                     └─ Dan
    with Cara won at 1,000 and Eve won at 500.
    """
    ids = {
        "root": person("Ρίζα", "Παππά"),
        "anna": person("Anna", "Conti"),
        "cara": person("Cara", "Bell"),
        "dan": person("Dan", "Moss"),
        "eve": person("Eve", "Stone"),
    }
    referrals.record_referral(ids["root"], ids["anna"])
    referrals.record_referral(ids["anna"], ids["cara"], status="won", value="1000")
    referrals.record_referral(ids["anna"], ids["dan"], status="meeting")
    referrals.record_referral(ids["cara"], ids["eve"], status="won", value="500")
    return ids


def chain_page(window, contact_id: int) -> ChainView:
    window.go("chain", contact_id)
    view = window.page("chain")
    assert window.current_page_name() == "chain"
    return view


def tree_rows(view: ChainView) -> list[tuple[str, ...]]:
    """Every built row of the tree, depth first, as (indent + name, status, below, won, level)."""
    model = view.tree_model
    out: list[tuple[str, ...]] = []

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            cells = [model.index(row, c, parent).data() or "" for c in range(5)]
            out.append(("  " * depth + cells[0], *cells[1:]))
            walk(model.index(row, 0, parent), depth + 1)

    walk(model.index(-1, -1), 0)
    return out


def click_node(qtbot, graph: ChainGraphView, item, double: bool = False) -> None:
    graph.ensureVisible(item, 20, 20)
    center = graph.mapFromScene(item.sceneBoundingRect().center())
    if double:
        qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=center)
    else:
        qtbot.mouseClick(graph.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_ancestors_and_descendants_with_depths_and_branch_won_value(window, family):
    view = chain_page(window, family["anna"])
    assert view.name_label.text() == "Anna Conti"
    assert view.summary_label.text() == "3 came through, 1,500 EUR won in total, 2 levels deep"
    assert "Ρίζα Παππά" in view.breadcrumb.text()
    assert f'href="{family["root"]}"' in view.breadcrumb.text()

    view.set_mode("tree")
    rows = tree_rows(view)
    assert rows == [
        ("Ρίζα Παππά", "", "", "", "↑1"),
        ("  Anna Conti", "New", "3", "1,500 EUR", ""),
        ("    Cara Bell", "Won", "1", "1,500 EUR", "1"),
        # Cara's branch is not built until it is expanded.
        ("    Dan Moss", "Meeting", "", "", "1"),
    ]
    cara_index = view.tree_model.index_of(family["cara"])
    view.tree.expand(cara_index)
    assert ("      Eve Stone", "Won", "", "500 EUR", "2") in tree_rows(view)

    graph = view.graph
    kinds = {(item.node.kind, item.node.key) for item in graph.node_items()}
    assert kinds == {
        (ANCESTOR, family["root"]),
        (ROOT, family["anna"]),
        (PERSON, family["cara"]),
        (PERSON, family["dan"]),
        (PERSON, family["eve"]),
    }
    cara = graph.item_for(family["cara"])
    assert cara.node.depth == 1 and cara.node.won == 1500 and cara.node.below == 1
    assert graph.item_for(family["eve"]).node.depth == 2
    # Layers: ancestors above the root, each generation a row lower.
    ys = {key: graph.item_for(family[key]).pos().y() for key in family}
    assert ys["root"] < ys["anna"] < ys["cara"] == ys["dan"] < ys["eve"]


def test_clicking_a_graph_node_opens_the_contact(window, qtbot, family):
    view = chain_page(window, family["anna"])
    view.set_mode("graph")
    opened = []
    window.ctx.navigate.connect(lambda what, ident: opened.append((what, ident)))
    click_node(qtbot, view.graph, view.graph.item_for(family["dan"]))
    qtbot.waitUntil(lambda: window.current_page_name() == "contacts", timeout=3000)
    assert opened == [("contact", family["dan"])]


def test_double_click_centres_the_chain_on_that_person(window, qtbot, family):
    view = chain_page(window, family["anna"])
    view.set_mode("graph")
    click_node(qtbot, view.graph, view.graph.item_for(family["cara"]), double=True)
    assert window.current_page_name() == "chain"
    assert view.contact_id == family["cara"]
    assert view.name_label.text() == "Cara Bell"
    assert view.summary_label.text() == "1 came through, 500 EUR won in total, 1 level deep"
    assert "Anna Conti" in view.breadcrumb.text() and "Ρίζα Παππά" in view.breadcrumb.text()
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    assert window.current_page_name() == "chain", "the double-click also opened the contact"
    # Back returns to the previous chain; a breadcrumb link re-roots on an ancestor.
    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert view.contact_id == family["anna"]
    view.breadcrumb.linkActivated.emit(str(family["root"]))
    assert view.name_label.text() == "Ρίζα Παππά"
    assert view.summary_label.text().startswith("4 came through")


def test_empty_state_for_a_contact_without_a_chain(window, store):
    lonely = person("Λόνλι", "Μόνος")
    view = chain_page(window, lonely)
    assert view.body.currentWidget() is view.empty
    assert view.empty.body.text() == (
        "Nobody in your contacts referred Λόνλι Μόνος, and Λόνλι Μόνος has not referred anyone yet."
    )
    assert view.summary_label.text() == "Nobody came through them yet."


def test_recording_a_referral_from_the_chain_updates_it(window, qtbot, store):
    giver = person("Bogdan", "Ivanov")
    view = chain_page(window, giver)
    assert view.body.currentWidget() is view.empty
    qtbot.mouseClick(view.refer_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.giver.contact_id == giver
    dialog.set_new_person(True)
    type_text(dialog.given_name, "Йоана")
    type_text(dialog.family_name, "Стоянова")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.error.text()
    assert view.body.currentWidget() is view.tabs
    assert view.summary_label.text() == "1 came through, 0 EUR won in total, 1 level deep"
    assert view.graph.item_for(dialog.created_contact_id).node.name == "Йоана Стоянова"
    ref = models.Referral.get(models.Referral.id == dialog.referral_id)
    assert (ref.giver_id, ref.referred_id) == (giver, dialog.created_contact_id)


def test_record_referral_button_picks_an_existing_person(window, qtbot, family):
    """The header's button opens the dialog with the shown contact as the giver."""
    view = chain_page(window, family["dan"])
    assert view.body.currentWidget() is view.tabs
    newcomer = person("Ζωή", "Αλεξίου")
    qtbot.mouseClick(view.refer_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.giver.contact_id == family["dan"]
    type_text(dialog.referred, "Αλεξ")
    dialog.referred.flush()
    assert dialog.referred.popup.isVisible(), "no candidates dropped down"
    QTest.keyClick(dialog.referred, Qt.Key.Key_Return)
    assert dialog.referred.contact_id == newcomer
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible(), dialog.error.text()
    ref = models.Referral.get(models.Referral.id == dialog.referral_id)
    assert (ref.giver_id, ref.referred_id, ref.is_primary) == (family["dan"], newcomer, True)
    assert view.summary_label.text() == "1 came through, 0 EUR won in total, 1 level deep"
    assert view.graph.item_for(newcomer).node.name == "Ζωή Αλεξίου"


def test_view_mode_is_remembered(qtbot, store, qsettings, family):
    first = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(first)
    view = first.page("chain")
    view.tabs.setCurrentIndex(ChainView.TREE)
    assert qsettings.value("chain/mode") == "tree"
    second = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(second)
    assert second.page("chain").tabs.currentIndex() == ChainView.TREE
    second.page("chain").set_mode("graph")
    assert qsettings.value("chain/mode") == "graph"


def test_zoom_with_buttons_and_ctrl_wheel(window, qtbot, family):
    view = chain_page(window, family["root"])
    view.set_mode("graph")
    graph = view.graph
    start = graph.zoom()
    qtbot.mouseClick(view.findChild(type(view.back_button), "zoomIn"), Qt.MouseButton.LeftButton)
    assert graph.zoom() == pytest.approx(start * 1.25)
    qtbot.mouseClick(view.findChild(type(view.back_button), "zoomOut"), Qt.MouseButton.LeftButton)
    assert graph.zoom() == pytest.approx(start)
    centre = QPointF(graph.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        graph.viewport().mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(graph.viewport(), wheel)
    assert graph.zoom() == pytest.approx(start * 1.15**2)


def big_forest(store, size: int = 20_000) -> int:
    """A root with ``size`` descendants: a six-way tree and a 200-long chain; returns the root."""
    now = models.now()
    today = clock.today()
    chain_start = size - 200
    people = [
        (
            i,
            now,
            now,
            f"P{i}",
            "Forest",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "en",
            None,
            "referral",
            "prospect",
            0,
            None,
            "",
            0,
            None,
            None,
        )
        for i in range(1, size + 2)
    ]
    edges = []
    for i in range(2, size + 2):
        parent = (1 + (i - 2) // 6) if i <= chain_start else i - 1
        status = ("new", "contacted", "meeting", "proposal", "won", "lost")[i % 6]
        value = 100 if status == "won" else None
        edges.append((now, now, parent, i, today, status, now, value))
    with store.db.atomic():
        conn = store.db.connection()
        conn.executemany(
            "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, title, "
            "email, phone, street, city, postcode, region, country, language, birthday, channel, "
            "stage, marketing_consent, consent_date, notes, archived, last_asked_for_referral, "
            "stay_in_touch_days) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            people,
        )
        conn.executemany(
            "INSERT INTO referral (created_at, updated_at, giver_id, referred_id, referred_on, "
            "program, temperature, status, status_changed_at, value, currency, is_primary, "
            "suspicion, notes) VALUES (?,?,?,?,?,'direct',3,?,?,?,'EUR',1,'','')",
            edges,
        )
    return 1


def test_twenty_thousand_descendants_stay_bounded_and_expand_lazily(window, qtbot, store):
    root = big_forest(store)
    view = chain_page(window, root)
    view.set_mode("graph")
    graph = view.graph
    assert view.chain.descendant_count == 20_000
    assert view.summary_label.text().startswith("20,000 came through")
    # Only part of the chain is drawn: a bounded number of boxes in the scene.
    boxes = graph.node_items()
    assert 50 <= len(boxes) <= 400
    assert len(graph.scene().items()) <= len(boxes) + 1  # plus the one path of edges
    assert max(item.node.depth for item in boxes) <= ChainGraphView.LEVELS

    # Clicking a "+N more" box draws that branch's children.
    more = next(item for item in boxes if item.node.kind == MORE)
    parent = more.node.key
    hidden = {kid.id for kid in view.chain.kids(parent)} - {
        item.node.key for item in boxes if item.node.kind == PERSON
    }
    assert hidden and more.node.hidden_children == len(hidden)
    click_node(qtbot, graph, more)
    now_drawn = {item.node.key for item in graph.node_items() if item.node.kind == PERSON}
    assert hidden <= now_drawn
    assert len(graph.node_items()) <= len(boxes) + 2 * ChainGraphView.EXPAND_STEP

    # The tree builds the root's children only; deeper rows come on expanding.
    model = view.tree_model
    assert model.rows_built <= 1 + ChainTreeModel.BATCH + 1
    view.set_mode("tree")
    first_child = model.index(0, 0, model.index(0, 0))
    assert model.rowCount(first_child) == 0 and model.hasChildren(first_child)
    view.tree.expand(first_child)
    assert model.rowCount(first_child) == 6
    assert model.rows_built <= 1 + 6 + 6


def test_tree_loads_wide_branches_a_batch_at_a_time(window, qtbot, store):
    root = big_forest(store, size=300)
    # Hang 250 more people straight under the root.
    now = models.now()
    with store.db.atomic():
        conn = store.db.connection()
        for i in range(1000, 1250):
            conn.execute(
                "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, title,"
                " email, phone, street, city, postcode, region, country, language, channel, "
                "stage, marketing_consent, notes, archived) VALUES "
                "(?,?,?,?,'Wide','','','','','','','','','en','referral','prospect',0,'',0)",
                (i, now, now, f"W{i}"),
            )
            conn.execute(
                "INSERT INTO referral (created_at, updated_at, giver_id, referred_id, referred_on,"
                " program, temperature, status, status_changed_at, currency, is_primary, "
                "suspicion, notes) VALUES (?,?,?,?,?,'direct',3,'new',?,'EUR',1,'','')",
                (now, now, root, i, clock.today(), now),
            )
    view = chain_page(window, root)
    view.set_mode("tree")
    model = view.tree_model
    top = model.index(0, 0)
    assert model.rowCount(top) == ChainTreeModel.BATCH + 1
    more = model.index(ChainTreeModel.BATCH, 0, top)
    assert more.data() == "156 more… (double-click to show)"
    double_click_row(qtbot, view.tree, more)
    assert model.rowCount(top) == 2 * ChainTreeModel.BATCH + 1
    double_click_row(qtbot, view.tree, model.index(2 * ChainTreeModel.BATCH, 0, top))
    assert model.rowCount(top) == 256  # all built, the "more" row gone
    assert all(model.index(r, 0, top).data(ChainTreeModel.MORE_ROLE) is None for r in range(256))
