"""The Duplicates page: pairs, side by side, merge keeping everything, undo, dismiss."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crm.core import contacts, duplicates, models, referrals
from crm.core.contacts import ContactData
from crm.gui.views.data.duplicates import COL_A, COL_B, COL_SCORE, COL_WHY


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


@pytest.fixture
def people(store):
    """Maria twice (the same email, written differently), with referrals on both sides."""
    maria = person(
        "Maria", "Papadopoulou", emails=["maria@akmi.gr"], organization="Akmi", city="Athens"
    )
    copy = person("María", "Papadopoulou", emails=["MARIA@akmi.gr"], phones=["+30 691 234 5678"])
    giver = person("Γιώργος", "Νικολάου")
    friend = person("Niccolò", "Conti")
    other = person("Иван", "Петров")
    referrals.record_referral(giver, copy)  # Giorgos referred the copy
    referrals.record_referral(copy, friend)  # the copy referred Niccolò
    return {"maria": maria, "copy": copy, "giver": giver, "friend": friend, "other": other}


def who(name: str, contact_id: int) -> str:
    """How the page names a contact: the name isolated (for Arabic), then its id."""
    return f"\u2068{name}\u2069 (#{contact_id})"


def open_page(window):
    page = window.show_page("duplicates")
    assert window.current_page_name() == "duplicates"
    return page


def pair_rows(page) -> list[list[str]]:
    tree = page.pair_list
    return [
        [tree.topLevelItem(i).text(c) for c in (COL_SCORE, COL_A, COL_B, COL_WHY)]
        for i in range(tree.topLevelItemCount())
    ]


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_page_lists_pairs_and_shows_them_side_by_side(window, people):
    page = open_page(window)
    m, c = people["maria"], people["copy"]
    [row] = pair_rows(page)
    assert row[1:3] == [who("Maria Papadopoulou", m), who("María Papadopoulou", c)]
    assert "same email maria@akmi.gr" in row[3]
    assert int(row[0]) == duplicates.find()[0].score
    assert page.count_label.text() == "1 likely duplicate pair, best first"

    shown = page.compared_rows()
    assert shown["Given name"] == ("Maria", "María")
    assert shown["Emails"] == ("maria@akmi.gr", "MARIA@akmi.gr")
    assert shown["Phones"] == ("", "+306912345678")
    assert shown["Organization"] == ("Akmi", "")
    assert shown["Referrals given"] == ("0", "1")
    assert shown["Referrals received"] == ("0", "1")
    # The copy has more history (its referrals): it is the one kept by default.
    assert page.keep_b.isChecked()
    assert page.keep_a.text() == who("Maria Papadopoulou", m)


def test_merge_through_the_page_moves_everything_and_undo_brings_it_back(window, qtbot, people):
    page = open_page(window)
    m, c = people["maria"], people["copy"]
    click(qtbot, page.keep_a)  # keep the first Maria
    click(qtbot, page.merge_button)

    assert models.Contact.get_or_none(models.Contact.id == c) is None
    r = models.Referral
    assert r.get(r.referred == m).giver_id == people["giver"]
    assert r.get(r.referred == people["friend"]).giver_id == m
    kept = contacts.details(m)
    assert kept["phones"] == ["+306912345678"]  # filled from the other
    assert kept["organization"] == "Akmi"
    assert page.status.text() == (
        f"Merged {who('María Papadopoulou', c)} into {who('Maria Papadopoulou', m)}. "
        "Undo Last Merge brings it back."
    )
    assert pair_rows(page) == []
    assert page.pages.currentWidget() is page.empty
    assert page.undo_button.isEnabled()

    # The contacts page no longer lists the copy.
    contacts_page = window.pages["contacts"]
    contacts_page.refresh()
    assert contacts_page.model.row_of(c) is None

    click(qtbot, page.undo_button)
    back = models.Contact.get_by_id(c)
    assert back.given_name == "María"
    assert r.get(r.referred == c).giver_id == people["giver"]
    assert r.get(r.referred == people["friend"]).giver_id == c
    assert contacts.details(m)["phones"] == []
    assert page.status.text() == f"Brought back {who('María Papadopoulou', c)}."
    assert len(pair_rows(page)) == 1  # the pair is found again
    assert not page.undo_button.isEnabled()


def test_not_duplicates_stays_dismissed(window, qtbot, people):
    page = open_page(window)
    click(qtbot, page.dismiss_button)
    assert pair_rows(page) == []
    assert page.status.text() == "Marked as two different people."
    click(qtbot, page.find_button)
    assert pair_rows(page) == []
    assert duplicates.dismissed() == {(people["maria"], people["copy"])}


def test_an_outside_change_says_the_list_may_be_out_of_date(window, qtbot, people):
    page = open_page(window)
    contacts.set_archived(people["copy"], True)
    window.ctx.changed("contacts")
    assert page.status.text() == (
        "Contacts changed since this list was made: Find Again to update it."
    )
    click(qtbot, page.find_button)
    assert pair_rows(page) == []  # archived contacts are left out


def test_a_merge_refused_by_the_core_shows_its_message(window, qtbot, people, errors, unchanged):
    page = open_page(window)
    # Someone else removed the copy meanwhile (another window, the command line).
    models.Referral.delete().execute()
    models.Interaction.delete().where(models.Interaction.contact == people["copy"]).execute()
    models.ContactEmail.delete().where(models.ContactEmail.contact == people["copy"]).execute()
    models.ContactPhone.delete().where(models.ContactPhone.contact == people["copy"]).execute()
    models.FollowUp.delete().execute()
    models.Contact.delete().where(models.Contact.id == people["copy"]).execute()
    with unchanged():
        click(qtbot, page.merge_button)
    assert errors.messages() == [f"No contact with id {people['copy']}"]


def test_a_person_cell_reads_in_the_name_s_own_direction(qapp):
    from crm.gui.views.data.duplicates import DuplicatesView

    assert DuplicatesView.person(12, "David Ward") == "\u2068David Ward\u2069 (#12)"
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        _check_right_to_left(DuplicatesView)
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _check_right_to_left(DuplicatesView):
    # A Latin name runs left to right with its id after it, even in an Arabic window;
    # an Arabic name runs right to left; both keep the name isolated from "(#id)".
    assert DuplicatesView.person(12, "David Ward") == "\u200e\u2068David Ward\u2069 (#12)"
    assert DuplicatesView.person(7, "ناصر الخطيب") == "\u200f\u2068ناصر الخطيب\u2069 (#7)"
    assert DuplicatesView.person(3, "") == "#3"
