"""The referrals page: recording in one dialog, refusals inline, the pipeline, filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from playhouse.test_utils import count_queries
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from qtclicks import click_button_menu
from qtkeys import type_text

from crm.core import clock, contacts, events, models, referrals
from crm.core.contacts import ContactData
from crm.gui.views.referrals.model import ReferralTableModel

TODAY = clock.today()


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def referrals_page(window):
    window.show_page("referrals")
    return window.page("referrals")


def pick(picker, text: str, row: int = 0) -> None:
    """Type into a type-ahead picker and take a candidate with the keyboard."""
    type_text(picker, text)
    picker.flush()
    assert picker.popup.isVisible(), "no candidates dropped down"
    for _ in range(row):
        QTest.keyClick(picker, Qt.Key.Key_Down)
    QTest.keyClick(picker, Qt.Key.Key_Return)
    assert picker.contact_id is not None


def cell(view, row: int, column: int) -> str:
    return view.model.index(row, column).data() or ""


def test_record_a_referral_picking_both_people_by_typing(window, qtbot):
    maria = person("Μαρία", "Παπαδοπούλου")
    giulia = person("Giulia", "Rossi")
    person("Giulio", "Bianchi")
    evening = events.create_event("Chamber evening", TODAY - dt.timedelta(days=1)).id
    view = referrals_page(window)
    dialog = view.make_dialog()
    dialog.show()
    qtbot.waitExposed(dialog)

    pick(dialog.giver, "Παπαδ")
    assert dialog.giver.contact_id == maria
    assert dialog.giver.text() == "Μαρία Παπαδοπούλου"
    pick(dialog.referred, "Rossi")
    assert dialog.referred.contact_id == giulia
    dialog.event_combo.setCurrentIndex(dialog.event_combo.findData(evening))
    dialog.program.setCurrentIndex(dialog.program.findData("implicit"))
    dialog.temperature.setValue(5)
    type_text(dialog.notes, "Χρειάζεται λογιστή")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    ref = models.Referral.get(models.Referral.id == dialog.referral_id)
    assert (ref.giver_id, ref.referred_id, ref.event_id) == (maria, giulia, evening)
    assert (ref.program, ref.temperature, ref.status) == ("implicit", 5, "new")
    assert ref.notes == "Χρειάζεται λογιστή"
    assert ref.is_primary
    # The page shows it, selected, with the pipeline counting it.
    assert view.visible_ids() == [ref.id]
    assert view.selected_id() == ref.id
    assert cell(view, 0, ReferralTableModel.GIVER) == "Μαρία Παπαδοπούλου"
    assert cell(view, 0, ReferralTableModel.REFERRED) == "Giulia Rossi"
    assert cell(view, 0, ReferralTableModel.EVENT) == "Chamber evening"
    assert view.pipeline.buttons["new"].text().startswith("New · 1")


def test_create_the_referred_person_on_the_spot(window, qtbot):
    giver = person("Νίκος", "Γεωργίου")
    view = referrals_page(window)
    before = contacts.count()
    dialog = view.make_dialog(giver_id=giver)
    dialog.show()
    qtbot.mouseClick(dialog.new_radio, Qt.MouseButton.LeftButton)
    assert dialog.new_box.isVisible() and not dialog.referred.isVisible()
    type_text(dialog.given_name, "Ελένη")
    type_text(dialog.family_name, "Καραγιάννη")
    type_text(dialog.email, "eleni@example.gr")
    type_text(dialog.phone, "+30 21 0123 4567")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible(), dialog.error.text()
    assert contacts.count() == before + 1
    new = contacts.get_contact(dialog.created_contact_id)
    assert (new.given_name, new.family_name, new.email) == (
        "Ελένη",
        "Καραγιάννη",
        "eleni@example.gr",
    )
    assert new.channel == "referral"
    ref = referrals.get_referral(dialog.referral_id)
    assert (ref.giver_id, ref.referred_id, ref.is_primary) == (giver, new.id, True)
    assert cell(view, 0, ReferralTableModel.REFERRED) == "Ελένη Καραγιάννη"


def test_self_referral_is_refused_inline_and_nothing_is_saved(window, qtbot, unchanged):
    anna = person("Anna", "Conti")
    view = referrals_page(window)
    dialog = view.make_dialog()
    dialog.show()
    pick(dialog.giver, "Conti")
    pick(dialog.referred, "Conti")
    with unchanged():
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Anna Conti cannot refer themselves"
    assert dialog.referred.property("invalid") is True
    assert dialog.referral_id is None
    assert not models.Referral.select().where(models.Referral.giver == anna).exists()


def test_cycle_is_refused_with_the_names_along_it(window, qtbot, unchanged):
    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    referrals.record_referral(anna, bob)
    referrals.record_referral(bob, cara)
    view = referrals_page(window)
    dialog = view.make_dialog(giver_id=cara, referred_id=anna)
    dialog.show()
    with unchanged():
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    message = dialog.error.text()
    assert "cycle" in message
    assert "Anna → Bob → Cara → Anna" in message
    assert dialog.giver.property("invalid") is True


def test_refused_referral_leaves_no_new_person_behind(window, qtbot, unchanged):
    giver = person("Dimitar", "Petrov")
    view = referrals_page(window)
    dialog = view.make_dialog(giver_id=giver)
    dialog.show()
    dialog.set_new_person(True)
    type_text(dialog.given_name, "Σοφία")
    type_text(dialog.family_name, "Νικολάου")
    # Passing the referral to the giver themself is refused after the person is made.
    pick(dialog.receiver, "Petrov")
    with unchanged():
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "someone other than the giver" in dialog.error.text()
    assert not models.Contact.select().where(models.Contact.given_name == "Σοφία").exists()
    assert dialog.created_contact_id is None


def test_duplicate_and_missing_choices_are_refused_inline(window, qtbot, unchanged):
    anna, bob = person("Anna"), person("Bob")
    referrals.record_referral(anna, bob)
    view = referrals_page(window)
    dialog = view.make_dialog()
    dialog.show()
    with unchanged():
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Pick who gave the referral" in dialog.error.text()
        dialog.giver.set_contact(anna, "Anna")
        type_text(dialog.referred, "Bo")  # typed, never picked
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Pick the person referred" in dialog.error.text()
        dialog.referred.set_contact(bob, "Bob")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("Anna already referred Bob on ")


def record(giver: int, referred: int, **options) -> int:
    return referrals.record_referral(giver, referred, **options).id


def test_move_to_won_asks_for_the_value(window, qtbot):
    anna, bob = person("Anna"), person("Bob")
    ref = record(anna, bob)
    view = referrals_page(window)
    assert view.select_referral(ref)
    click_button_menu(qtbot, view.move_button, view.move_menu, "move_won")
    dialog = view.won_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.value, "1,250.50")
    dialog.currency.setText("")
    type_text(dialog.currency, "EUR")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible(), dialog.error.text()
    saved = referrals.get_referral(ref)
    assert (saved.status, saved.value, saved.currency) == ("won", Decimal("1250.50"), "EUR")
    assert contacts.get_contact(bob).stage == "customer"
    assert view.selected_id() == ref
    assert cell(view, 0, ReferralTableModel.STATUS) == "Won"
    assert cell(view, 0, ReferralTableModel.VALUE) == "1,250.50 EUR"
    assert view.pipeline.buttons["won"].text() == "Won · 1\n1,250.50 EUR"


def test_won_without_a_value_is_refused_inline(window, qtbot, unchanged):
    ref = record(person("Anna"), person("Bob"))
    view = referrals_page(window)
    view.select_referral(ref)
    dialog = view.move_to("won")
    with unchanged():
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "give the value of the business won" in dialog.error.text()
        dialog.value.setText("lots")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.error.text() == "Value 'lots' is not an amount of money"


def test_moving_back_is_refused_with_the_message_shown(window, qtbot, errors, unchanged):
    ref = record(person("Anna"), person("Bob"))
    referrals.change_status(ref, "meeting")
    view = referrals_page(window)
    view.select_referral(ref)
    enabled: dict[str, bool] = {}

    def look(menu) -> None:
        enabled.update({a.objectName(): a.isEnabled() for a in menu.actions()})

    with unchanged():
        click_button_menu(qtbot, view.move_button, view.move_menu, "move_contacted", inspect=look)
    assert not enabled["move_meeting"]  # where it is now
    assert errors.messages() == [f"Referral {ref} cannot move back from meeting to contacted"]
    assert referrals.get_referral(ref).status == "meeting"
    # Forward moves go through, and the table follows.
    click_button_menu(qtbot, view.move_button, view.move_menu, "move_proposal")
    assert referrals.get_referral(ref).status == "proposal"
    assert cell(view, 0, ReferralTableModel.STATUS) == "Proposal"


def test_closed_referral_can_be_reopened_from_the_menu(window, qtbot):
    ref = record(person("Anna"), person("Bob"))
    referrals.change_status(ref, "lost")
    view = referrals_page(window)
    view.select_referral(ref)
    click_button_menu(qtbot, view.move_button, view.move_menu, "Reopen as", "reopen_meeting")
    assert referrals.get_referral(ref).status == "meeting"


def test_filters_by_status_program_and_period(window, qtbot):
    anna, bob, cara, dan = person("Anna"), person("Bob"), person("Cara"), person("Dan")
    long_ago = TODAY.replace(year=TODAY.year - 2, day=1)
    old = record(anna, bob, program="community", referred_on=long_ago)
    fresh = record(anna, cara, program="direct")
    won = record(bob, dan, program="direct")
    referrals.change_status(won, "won", value="800")
    view = referrals_page(window)
    assert set(view.visible_ids()) == {old, fresh, won}

    qtbot.mouseClick(view.pipeline.buttons["won"], Qt.MouseButton.LeftButton)
    assert view.visible_ids() == [won]
    assert view.count_label.text() == "1 referral"
    qtbot.mouseClick(view.pipeline.buttons["new"], Qt.MouseButton.LeftButton)
    assert view.visible_ids() == [fresh, old]  # newest first
    qtbot.mouseClick(view.pipeline.buttons[None], Qt.MouseButton.LeftButton)

    view.program_filter.setCurrentIndex(view.program_filter.findData("community"))
    assert view.visible_ids() == [old]
    # Counts per status follow the other filters.
    assert view.pipeline.buttons["new"].text().startswith("New · 1")
    assert view.pipeline.buttons["won"].text().startswith("Won · 0")
    view.program_filter.setCurrentIndex(0)

    view.set_period("month")
    assert set(view.visible_ids()) == {fresh, won}
    view.set_period("custom", long_ago - dt.timedelta(days=3), long_ago + dt.timedelta(days=3))
    assert view.date_from.isVisible() and view.date_to.isVisible()
    assert view.visible_ids() == [old]
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert not view.date_from.isVisible()
    assert len(view.visible_ids()) == 3


def test_filter_by_giver_with_type_ahead_and_by_event(window):
    anna, bob = person("Ἀθηνᾶ", "Λαμπράκη"), person("Bob", "Hart")
    cara, dan = person("Cara"), person("Dan")
    mixer = events.create_event("Spring mixer", TODAY - dt.timedelta(days=3)).id
    first = record(anna, cara, event_id=mixer)
    second = record(anna, dan)
    record(bob, cara)
    view = referrals_page(window)
    # Accents and breathings folded: "λαμπρακη" finds Λαμπράκη.
    pick(view.giver_filter, "λαμπρακη")
    assert set(view.visible_ids()) == {first, second}
    view.event_filter.setCurrentIndex(view.event_filter.findData(mixer))
    assert view.visible_ids() == [first]
    view.giver_filter.clear()  # the clear button empties the field
    assert view.giver_filter.contact_id is None
    assert view.visible_ids() == [first]


def test_table_sorts_in_sql_and_fetches_a_page_per_query(window, store):
    givers = [person(g, f) for g, f in (("Zoe", "Adams"), ("Yan", "Baker"), ("Xena", "Clark"))]
    referred = [person(f"P{i}") for i in range(450)]
    now = models.now()
    with store.db.atomic():
        store.db.connection().executemany(
            "INSERT INTO referral (created_at, updated_at, giver_id, referred_id, referred_on, "
            "program, temperature, status, status_changed_at, currency, is_primary, suspicion, "
            "notes) VALUES (?,?,?,?,?,'direct',3,'new',?,'EUR',1,'','')",
            [
                (now, now, givers[i % 3], rid, TODAY - dt.timedelta(days=i), now)
                for i, rid in enumerate(referred)
            ],
        )
    view = referrals_page(window)
    view.refresh()
    model = view.model
    assert model.rowCount() == 450
    with count_queries() as counter:
        assert cell(view, 449, ReferralTableModel.REFERRED) == "P449"  # oldest last
        assert cell(view, 448, ReferralTableModel.REFERRED) == "P448"  # same page
    assert counter.count == 1
    view.table.sortByColumn(ReferralTableModel.GIVER, Qt.SortOrder.AscendingOrder)
    names = [cell(view, r, ReferralTableModel.GIVER) for r in (0, 149, 150, 299, 300, 449)]
    assert names == ["Zoe Adams", "Zoe Adams", "Yan Baker", "Yan Baker", "Xena Clark", "Xena Clark"]
    view.table.sortByColumn(ReferralTableModel.DATE, Qt.SortOrder.AscendingOrder)
    assert cell(view, 0, ReferralTableModel.REFERRED) == "P449"


def test_double_click_opens_the_contact_and_show_chain_opens_the_chain(window, qtbot):
    anna, bob = person("Anna"), person("Bob")
    record(anna, bob)
    view = referrals_page(window)
    rect = view.table.visualRect(view.model.index(0, ReferralTableModel.REFERRED))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page_name() == "contacts"
    window.show_page("referrals")
    qtbot.mouseClick(view.chain_button, Qt.MouseButton.LeftButton)
    assert window.current_page_name() == "chain"
    chain_view = window.page("chain")
    assert chain_view.contact_id == bob
    assert chain_view.name_label.text() == "Bob"


def test_empty_state_until_the_first_referral(window, qtbot):
    view = referrals_page(window)
    assert view.stack.currentWidget() is view.empty
    anna, bob = person("Anna"), person("Bob")
    dialog = view.make_dialog(giver_id=anna, referred_id=bob)
    dialog.show()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert view.stack.currentIndex() == 0
    assert len(view.visible_ids()) == 1


def test_query_ids_and_pipeline_totals_without_widgets(store):
    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    a = record(anna, bob)
    b = record(anna, cara)
    referrals.change_status(a, "won", value="100", currency="USD")
    referrals.change_status(b, "won", value="250.5")
    assert referrals.query_ids(order="value") == [b, a]
    assert referrals.query_ids(order="value", descending=False) == [a, b]
    assert referrals.query_ids(status="new") == []
    totals = referrals.pipeline_totals()
    assert totals["won"] == {
        "count": 2,
        "values": {"USD": Decimal("100.00"), "EUR": Decimal("250.50")},
    }
    assert referrals.period_range("quarter", dt.date(2025, 8, 17)) == (
        dt.date(2025, 7, 1),
        dt.date(2025, 9, 30),
    )
    assert referrals.period_range("month", dt.date(2024, 12, 5)) == (
        dt.date(2024, 12, 1),
        dt.date(2024, 12, 31),
    )


def test_record_referral_button_opens_the_dialog_and_saves(window, qtbot):
    """The page's own button, clicked: the dialog it opens records the referral."""
    maria, giulia = person("Μαρία", "Παπαδοπούλου"), person("Giulia", "Rossi")
    view = referrals_page(window)
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.referral_id is None
    pick(dialog.giver, "Παπαδ")
    pick(dialog.referred, "Rossi")
    QTest.keyClick(dialog.temperature, Qt.Key.Key_Up)  # warmer than the usual 3
    type_text(dialog.notes, "Met at the chamber")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible(), dialog.error.text()
    ref = models.Referral.get(models.Referral.id == dialog.referral_id)
    assert (ref.giver_id, ref.referred_id, ref.status) == (maria, giulia, "new")
    assert (ref.temperature, ref.notes) == (4, "Met at the chamber")
    assert view.visible_ids() == [ref.id]
    assert view.selected_id() == ref.id
    assert cell(view, 0, ReferralTableModel.GIVER) == "Μαρία Παπαδοπούλου"
    assert cell(view, 0, ReferralTableModel.REFERRED) == "Giulia Rossi"
