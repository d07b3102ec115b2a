"""The Organizations page: the list, search as you type, people and referrals, Merge Into…."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from qtclicks import choose_in_combo, click_row, double_click_row
from qtkeys import type_text
from shots import shot

from crm.core import contacts, models, organizations, referrals
from crm.core.contacts import ContactData
from crm.gui.views.organizations.page import COL_CITY, COL_NAME, COL_PEOPLE, COL_REFERRALS, COL_WON


def person(given: str, family: str = "", org: str | None = None, **fields) -> int:
    data = ContactData(given_name=given, family_name=family, organization=org, **fields)
    return contacts.create_contact(data).id


@pytest.fixture
def firms(store):
    """Acme (Maria and Luca), its second spelling (Nikos) and Akmi in Athens."""
    maria = person("Maria", "Rossi", "Acme S.p.A.", title="CEO")
    luca = person("Luca", "Bianchi", "Acme S.p.A.")
    nikos = person("Nikos", "Alexiou", "ACME SpA")
    eleni = person("Eleni", "Papadopoulou", "Akmi")
    ref = referrals.record_referral(maria, eleni)
    referrals.change_status(ref.id, "won", value="1200", currency="EUR")
    referrals.record_referral(nikos, luca)
    organizations.update_organization(organizations.find_by_name("Akmi").id, city="Athens")
    return {"maria": maria, "luca": luca, "nikos": nikos, "eleni": eleni}


def rows(page) -> list[list[str]]:
    tree = page.table
    columns = (COL_NAME, COL_CITY, COL_PEOPLE, COL_REFERRALS, COL_WON)
    return [
        [tree.topLevelItem(i).text(c) for c in columns] for i in range(tree.topLevelItemCount())
    ]


def index_of(tree, text: str, column: int = 0):
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(column) == text:
            return tree.indexFromItem(tree.topLevelItem(i), column)
    raise AssertionError(f"no row {text!r}")


def open_page(window):
    window.findChild(type(window.menu_actions.new_contact), "show_organizations").trigger()
    assert window.current_page_name() == "organizations"
    return window.page("organizations")


def test_the_list_shows_people_referrals_and_won_value(window, firms, qtbot):
    page = open_page(window)
    assert window.nav.currentItem().text() == "Organizations"
    assert rows(page) == [
        ["Acme S.p.A.", "", "2", "2", "1,200 EUR"],
        ["ACME SpA", "", "1", "1", ""],
        ["Akmi", "Athens", "1", "1", "1,200 EUR"],
    ]
    assert page.count_label.text() == "3 organizations"
    type_text(page.search_box, "athens")
    qtbot.waitUntil(lambda: len(rows(page)) == 1)
    assert rows(page)[0][0] == "Akmi"


def test_selecting_shows_people_and_referrals_and_a_double_click_opens_the_person(
    window, firms, qtbot
):
    page = open_page(window)
    click_row(qtbot, page.table, index_of(page.table, "Acme S.p.A."))
    detail = page.detail
    assert detail.isVisible()
    assert detail.name_label.text() == "Acme S.p.A."
    assert "2 people, 2 referrals, 1 won worth 1,200 EUR" in detail.facts_label.text()
    people = detail.people
    assert [people.topLevelItem(i).text(0) for i in range(people.topLevelItemCount())] == [
        "Luca Bianchi",
        "Maria Rossi",
    ]
    refs = detail.referrals
    assert [refs.topLevelItem(i).text(1) for i in range(refs.topLevelItemCount())] == [
        "Nikos Alexiou",
        "Maria Rossi",
    ]
    double_click_row(qtbot, people, index_of(people, "Maria Rossi"))
    assert window.current_page_name() == "contacts"
    assert window.page("contacts").selected_ids() == [firms["maria"]]


def test_merge_into_asks_which_to_keep_and_moves_the_people(window, firms, qtbot):
    page = open_page(window)
    click_row(qtbot, page.table, index_of(page.table, "ACME SpA"))
    qtbot.mouseClick(page.detail.merge_button, Qt.MouseButton.LeftButton)
    dialog = page.merge_dialog
    assert dialog is not None and dialog.isVisible()
    keep = organizations.find_by_name("Acme S.p.A.").id
    assert [dialog.keep.itemData(i) for i in range(dialog.keep.count())] == [
        keep,
        organizations.find_by_name("Akmi").id,
    ]
    choose_in_combo(qtbot, dialog.keep, keep)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert models.Contact.get_by_id(firms["nikos"]).organization_id == keep
    assert [r[0] for r in rows(page)] == ["Acme S.p.A.", "Akmi"]
    assert page.table.currentItem().text(COL_NAME) == "Acme S.p.A."
    assert page.detail.people.topLevelItemCount() == 3
    assert page.status.text() == "Merged ACME SpA into Acme S.p.A., moving 1 person."
    window.resize(1280, 800)
    qtbot.wait(50)
    shot(page, "orgs.png")


def test_cancelling_the_merge_changes_nothing(window, firms, qtbot, unchanged):
    page = open_page(window)
    click_row(qtbot, page.table, index_of(page.table, "ACME SpA"))
    with unchanged():
        qtbot.mouseClick(page.detail.merge_button, Qt.MouseButton.LeftButton)
        cancel = page.merge_dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(rows(page)) == 3


def test_every_heading_reads_in_full_under_the_pointer(window, firms, qtbot):
    # The figures' columns keep narrow widths so the names have room on a small screen;
    # a heading cut short there (Greek "Αξία κερδισμένων") still shows whole as a tooltip.
    page = open_page(window)
    click_row(qtbot, page.table, index_of(page.table, "Akmi"))
    for tree in (page.table, *page.detail.findChildren(type(page.table))):
        item = tree.headerItem()
        headings = [item.text(c) for c in range(item.columnCount())]
        assert all(headings)
        assert [item.toolTip(c) for c in range(item.columnCount())] == headings
