"""The contacts page: lazy table, search and filters, detail pane, editor, archive and undo."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from playhouse.test_utils import count_queries
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog
from qtkeys import type_text

from crm import demo
from crm.core import (
    clock,
    contact_table,
    contacts,
    followups,
    interactions,
    models,
    referrals,
)
from crm.gui.app import build_window
from crm.gui.views.contacts.model import (
    COL_CITY,
    COL_NAME,
    COL_PHONE,
    ContactQuery,
    ContactTableModel,
)

ROOT = Path(__file__).resolve().parents[2]


def person(given: str, family: str = "", **fields) -> int:
    data = contacts.ContactData(given_name=given, family_name=family, **fields)
    return contacts.create_contact(data).id


@pytest.fixture
def page(window):
    """The contacts page, shown, with what the database holds now."""

    def show():
        view = window.show_page("contacts")
        window.ctx.changed("contacts")  # as any writer does after the core wrote
        return view

    return show


def names(view) -> list[str]:
    model = view.model
    return [model.index(row, COL_NAME).data() for row in range(model.rowCount())]


def save(dialog) -> None:
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.LeftButton)


def select(view, contact_id: int) -> None:
    view.show_contact(contact_id)
    view.table.setFocus()
    assert view.selected_ids() == [contact_id]


# -- first run ---------------------------------------------------------------------


def test_first_run_shows_welcome_with_demo_import_and_new_contact(
    window, page, errors, monkeypatch
):
    view = page()
    assert view.pages.currentWidget() is view.empty
    assert view.empty.heading.text() == "Welcome to Passaparola"

    QTest.mouseClick(view.import_button, Qt.LeftButton)
    assert window.import_wizard is not None and window.import_wizard.isVisible()
    assert window.import_wizard.windowTitle() == "Import Contacts"
    window.import_wizard.reject()
    assert window.import_wizard is None
    assert errors.messages() == []

    QTest.mouseClick(view.first_contact_button, Qt.LeftButton)
    assert view.dialog is not None and view.dialog.isVisible()
    assert view.dialog.windowTitle() == "New Contact"
    view.dialog.reject()

    # "Load demo data" is the main window's File → Load Demo Data, run for real.
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (30, True))
    QTest.mouseClick(view.demo_button, Qt.LeftButton)
    assert contacts.count(include_archived=True) == 30
    assert view.pages.currentWidget() is not view.empty
    assert view.model.rowCount() == contacts.count()
    assert view.count_label.text() == f"{contacts.count()} contacts"


def test_the_first_contact_added_from_the_welcome_page_shows_the_table(window, page):
    view = page()
    QTest.mouseClick(view.first_contact_button, Qt.LeftButton)
    type_text(view.dialog.given_name, "Ελένη")
    save(view.dialog)
    assert view.pages.currentWidget() is not view.empty
    assert names(view) == ["Ελένη"]
    assert view.count_label.text() == "1 contact"


# -- the editor ----------------------------------------------------------------------


def test_new_contact_with_greek_and_arabic_names_through_the_dialog(window, page):
    person("Anna", "Rossi")
    view = page()
    window.menu_actions.new_contact.trigger()
    dialog = view.dialog
    type_text(dialog.given_name, "Γιώργος")
    type_text(dialog.family_name, "Παπαδόπουλος")
    type_text(dialog.emails, "giorgos@example.gr")
    type_text(dialog.tags, "VIP, Θεσσαλονίκη")
    dialog.stage.setCurrentIndex(dialog.stage.findData("customer"))
    dialog.consent.setChecked(True)
    save(dialog)
    assert not dialog.isVisible()

    stored = models.Contact.get(models.Contact.family_name == "Παπαδόπουλος")
    assert (stored.given_name, stored.email, stored.stage) == (
        "Γιώργος",
        "giorgos@example.gr",
        "customer",
    )
    assert stored.marketing_consent and stored.consent_date == clock.today()
    assert contacts.tag_names(stored.id) == ["VIP", "Θεσσαλονίκη"]
    assert "Παπαδόπουλος, Γιώργος" in names(view)
    assert view.selected_ids() == [stored.id]
    assert view.detail.header.name_label.text() == "Γιώργος Παπαδόπουλος"

    dialog = view.open_dialog(None)
    type_text(dialog.given_name, "عزيزة")
    type_text(dialog.family_name, "الحداد")
    dialog.language.setCurrentIndex(dialog.language.findData("ar"))
    save(dialog)
    arabic = models.Contact.get(models.Contact.given_name == "عزيزة")
    assert (arabic.family_name, arabic.language) == ("الحداد", "ar")
    assert "الحداد, عزيزة" in names(view)
    assert view.detail.fields["language"].text() == "Arabic"  # named in the interface language


def test_invalid_email_is_refused_inline_and_nothing_is_saved(window, page, unchanged, errors):
    person("Anna", "Rossi")
    view = page()
    with unchanged():
        dialog = view.open_dialog(None)
        type_text(dialog.given_name, "Marco")
        type_text(dialog.emails, "marco@")
        save(dialog)
        assert dialog.isVisible()
        message = dialog.error_text("emails")
        assert message.startswith("Email 'marco@' is not valid")
        assert dialog.errors["emails"].isVisible()
        assert dialog.error_text("phones") == ""
        assert errors == []  # shown in the dialog, not in a message box
    # Fixing the field saves, and the message goes.
    dialog.emails.setPlainText("marco@example.it")
    save(dialog)
    assert not dialog.isVisible()
    assert contacts.current_emails(view.selected_ids()[0]) == ["marco@example.it"]


def test_phone_without_country_code_is_refused_with_the_core_message(window, page, unchanged):
    person("Anna", "Rossi")
    view = page()
    with unchanged():
        dialog = view.open_dialog(None)
        type_text(dialog.given_name, "Ελένη")
        type_text(dialog.phones, "210 324 1234")
        save(dialog)
        assert dialog.isVisible()
        assert dialog.error_text("phones") == (
            "Phone '210 324 1234' has no country code: write it as +<country code> ... or set a "
            "default region in the profile"
        )
        assert dialog.focusWidget() is dialog.phones or not dialog.isActiveWindow()


def test_a_name_is_required_and_the_message_sits_under_the_given_name(window, page, unchanged):
    person("Anna", "Rossi")
    view = page()
    with unchanged():
        dialog = view.open_dialog(None)
        type_text(dialog.city, "Sofia")
        save(dialog)
        assert dialog.error_text("given_name") == "A contact needs a given or a family name"


def test_edit_an_existing_contact_with_enter(window, page):
    anna = person("Anna", "Rossi", city="Milano", phones=["+39 02 1234 5678"])
    person("Bruno", "Verdi")
    view = page()
    select(view, anna)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog is not None and dialog.contact_id == anna
    assert dialog.city.text() == "Milano"
    dialog.city.clear()
    type_text(dialog.city, "Torino")
    dialog.stay_in_touch.setValue(30)
    save(dialog)
    stored = contacts.get_contact(anna)
    assert (stored.city, stored.stay_in_touch_days) == ("Torino", 30)
    # The phone was not touched, so it was not checked again or rewritten.
    assert contacts.current_phones(anna) == [("+390212345678", "+39 02 1234 5678")]
    row = view.model.row_of(anna)
    assert view.model.index(row, COL_CITY).data() == "Torino"
    assert view.detail.fields["stay_in_touch"].text() == "Every 30 days"
    assert interactions.history(anna)[0].summary == "Changed city, stay_in_touch_days"


# -- search, filters, sorting -----------------------------------------------------------


def test_search_as_you_type_finds_a_greek_name_without_accents(window, page, qtbot):
    giorgos = person("Γιώργος", "Παπαδόπουλος")
    person("Ελένη", "Παππά")
    person("Marco", "Papa")
    view = page()
    assert view.model.rowCount() == 3
    window.findChild(type(window.menu_actions.new_contact), "find").trigger()
    assert view.search.hasFocus()
    type_text(view.search, "παπαδ")
    # The box waits for a pause in typing, then the table follows.
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    assert view.model.ids == [giorgos]
    assert view.count_label.text() == "1 contact matches"
    view.search.clear()
    view.search.flush()
    assert view.model.rowCount() == 3
    assert view.count_label.text() == "3 contacts"


def test_a_search_matching_too_many_says_it_shows_the_first_ones(window, page, monkeypatch):
    for given in ("Anna", "Andrea", "Antonio"):
        person(given, "Rossi")
    view = page()
    monkeypatch.setattr(contact_table, "SEARCH_CAP", 2)
    view.search.setText("a")
    view.search.flush()
    assert view.model.rowCount() == 2 and view.model.capped
    assert view.count_label.text() == (
        "Showing the first 2 matches: type more to narrow the search"
    )
    view.search.setText("ant")
    view.search.flush()
    assert not view.model.capped and view.count_label.text() == "1 contact matches"


def test_filters_by_stage_tag_and_channel(window, page):
    a = person("Anna", "Rossi", stage="customer", channel="event", tags=["VIP"])
    b = person("Bruno", "Verdi", stage="customer", channel="referral")
    c = person("Carla", "Bianchi", stage="lead", channel="event", tags=["vip", "Golf"])
    view = page()
    assert [view.tag_filter.itemText(i) for i in range(view.tag_filter.count())] == [
        "All tags",
        "Golf",
        "VIP",
    ]
    view.stage_filter.setCurrentIndex(view.stage_filter.findData("customer"))
    assert view.model.ids == [a, b]
    view.channel_filter.setCurrentIndex(view.channel_filter.findData("event"))
    assert view.model.ids == [a]
    view.stage_filter.setCurrentIndex(0)
    assert view.model.ids == [c, a]
    view.tag_filter.setCurrentIndex(view.tag_filter.findData("Golf"))
    assert view.model.ids == [c]
    assert view.count_label.text() == "1 contact matches"


def test_clicking_a_column_header_sorts_in_sql(window, page):
    person("Anna", "Zanetti", city="Bari")
    person("Bruno", "Albani", city="Zagreb")
    person("Carla", "Moretti", city="")
    view = page()
    assert names(view)[0] == "Albani, Bruno"
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_CITY) + header.sectionSize(COL_CITY) // 2
    QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert view.model.query.order == "city"
    # Empty cities go last.
    assert names(view) == ["Zanetti, Anna", "Albani, Bruno", "Moretti, Carla"]
    QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert view.model.query.descending
    assert names(view)[0] == "Albani, Bruno"


# -- archive and undo, keyboard ----------------------------------------------------------


def test_archive_with_undo_through_the_main_window(window, page):
    anna = person("Anna", "Rossi")
    bruno = person("Bruno", "Verdi")
    view = page()
    select(view, anna)
    window.menu_actions.archive.trigger()
    assert contacts.get_contact(anna).archived
    assert view.model.ids == [bruno]
    assert view.count_label.text() == "1 contact"
    # The one now in its place is selected.
    assert view.selected_ids() == [bruno]
    window.menu_actions.undo.trigger()
    assert not contacts.get_contact(anna).archived
    assert view.model.ids == [anna, bruno]


def test_delete_key_archives_the_selected_rows(window, page):
    ids = [person(name, "Test") for name in ("Anna", "Bruno", "Carla")]
    view = page()
    view.table.selectAll()
    assert view.selected_ids() == ids
    view.table.clearSelection()
    select(view, ids[0])
    QTest.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_ids() == ids[:2]
    QTest.keyClick(view.table, Qt.Key.Key_Delete)
    assert [contacts.get_contact(i).archived for i in ids] == [True, True, False]
    window.menu_actions.undo.trigger()
    assert not any(contacts.get_contact(i).archived for i in ids)


def test_unarchive_from_the_detail_pane_of_an_archived_contact(window, page):
    anna = person("Anna", "Rossi")
    contacts.set_archived(anna, True)
    person("Bruno", "Verdi")
    view = page()
    window.go("contact", anna)
    assert view.archived_filter.isChecked()  # shown although archived
    assert view.detail.header.archive_button.text() == "Un&archive"
    QTest.mouseClick(view.detail.header.archive_button, Qt.LeftButton)
    assert not contacts.get_contact(anna).archived
    assert view.detail.header.archive_button.text() == "&Archive"


# -- the detail pane ------------------------------------------------------------------------


def test_referred_by_breadcrumb_walks_up_and_clicking_navigates(window, page):
    root = person("Maria", "Conti")
    middle = person("Петър", "Йорданов")
    leaf = person("Ahmed", "Haddad")
    day = clock.today() - dt.timedelta(days=10)
    referrals.record_referral(root, middle, referred_on=day)
    referrals.record_referral(middle, leaf, referred_on=day)
    view = page()
    window.go("contact", leaf)
    crumbs = view.detail.header.breadcrumb.buttons
    assert [b.text() for b in crumbs] == ["Maria Conti", "Петър Йорданов"]
    QTest.mouseClick(crumbs[0], Qt.LeftButton)
    assert view.selected_ids() == [root]
    assert view.detail.header.name_label.text() == "Maria Conti"
    assert view.detail.header.breadcrumb.label.text() == "Referred by: nobody recorded"
    QTest.mouseClick(view.detail.header.chain_button, Qt.LeftButton)
    assert window.current_page_name() == "chain"


def test_referrals_given_and_received_are_listed_with_status_and_value(window, page):
    giver = person("Anna", "Rossi")
    won = person("Bruno", "Verdi")
    fresh = person("Carla", "Bianchi")
    referrals.record_referral(giver, won, status="won", value="1250.5", currency="EUR")
    referrals.record_referral(giver, fresh)
    view = page()
    window.go("contact", giver)
    given = view.detail.referrals.given
    rows = [
        [given.topLevelItem(i).text(c) for c in range(1, 4)]
        for i in range(given.topLevelItemCount())
    ]
    assert sorted(rows) == [["Bruno Verdi", "Won", "1,250.50 EUR"], ["Carla Bianchi", "New", ""]]
    assert view.detail.referrals.given_title.text() == "Referrals given (2)"
    assert view.detail.referrals.received_title.text() == "Referrals received: none"
    window.go("contact", won)
    received = view.detail.referrals.received
    assert received.topLevelItem(0).text(1) == "Anna Rossi"
    assert received.topLevelItem(0).text(3) == "1,250.50 EUR"
    # Activating a line opens the other person.
    received.itemActivated.emit(received.topLevelItem(0), 1)
    assert view.selected_ids() == [giver]


def test_history_timeline_open_followups_and_adding_a_note(window, page):
    anna = person("Anna", "Rossi")
    followups.create_followup(anna, clock.today() - dt.timedelta(days=2), title="Call back")
    view = page()
    window.go("contact", anna)
    detail = view.detail
    assert detail.followups.tree.topLevelItem(0).text(2) == "Call back"
    assert detail.followups.title.text() == "Open follow-ups (1)"
    before = detail.history.tree.topLevelItemCount()
    assert before >= 1
    # An empty note is refused in place.
    QTest.mouseClick(detail.history.note_button, Qt.LeftButton)
    assert detail.history.note_error.text() == "Write what happened: the note is empty"
    detail.history.note_kind.setCurrentIndex(detail.history.note_kind.findData("call"))
    type_text(detail.history.note_edit, "Μιλήσαμε για την πρόταση")
    QTest.mouseClick(detail.history.note_button, Qt.LeftButton)
    assert detail.history.note_error.isHidden()
    assert detail.history.tree.topLevelItemCount() == before + 1
    newest = detail.history.tree.topLevelItem(0)
    assert (newest.text(1), newest.text(2)) == ("Call", "Μιλήσαμε για την πρόταση")
    assert interactions.history(anna)[0].kind == "call"


def test_names_from_the_database_are_plain_text(window, page):
    odd = person("<b>Bold</b>", "Smith & Co")
    view = page()
    window.go("contact", odd)
    assert view.detail.header.name_label.textFormat() == Qt.TextFormat.PlainText
    assert view.detail.header.name_label.text() == "<b>Bold</b> Smith & Co"


# -- layout ---------------------------------------------------------------------------------


def test_splitter_and_columns_are_remembered(qtbot, store, qsettings):
    person("Anna", "Rossi")
    first = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(first)
    first.resize(1000, 700)
    first.show()
    view = first.show_page("contacts")
    view.splitter.setSizes([500, 400])
    view.table.setColumnWidth(COL_CITY, 177)
    wanted = view.splitter.sizes()
    first.close()
    second = build_window(
        store, QSettings(qsettings.fileName(), QSettings.Format.IniFormat), synchronous=True
    )
    qtbot.addWidget(second)
    second.resize(1000, 700)
    second.show()
    again = second.show_page("contacts")
    assert again.table.columnWidth(COL_CITY) == 177
    assert abs(again.splitter.sizes()[0] - wanted[0]) <= 2


# -- the lazy model ---------------------------------------------------------------------------


@pytest.fixture
def five_thousand(store):
    demo.generate(store, contacts=5000, seed=3)
    return store


def test_table_fetches_only_the_pages_it_paints(five_thousand, qtbot, qsettings):
    window = build_window(five_thousand, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    qtbot.waitExposed(window)
    view = window.show_page("contacts")
    model = view.model
    total = contacts.count()
    assert model.rowCount() == total > 4000
    qtbot.waitUntil(lambda: model.fetch_count > 0)  # painted
    view.table.viewport().repaint()
    assert model.fetch_count == 1
    assert model.rows_fetched == model.page_size

    with count_queries() as counter:
        view.table.scrollToBottom()
        view.table.viewport().repaint()
    assert counter.count <= 2  # the last page (and the one before it when straddling)
    assert model.fetch_count <= 3
    assert model.rows_fetched <= 3 * model.page_size
    assert model.cached_pages[-1] == (total - 1) // model.page_size


def test_model_pages_and_lru_cache_without_widgets(store):
    ids = [person(f"Name{i:03}", f"Family{i:03}") for i in range(25)]
    model = ContactTableModel(page_size=10, cache_pages=2)
    model.set_query(ContactQuery())
    assert model.ids == ids and model.rowCount() == 25 and model.fetch_count == 0
    assert model.index(0, COL_NAME).data() == "Family000, Name000"
    assert model.index(9, COL_NAME).data() == "Family009, Name009"
    assert (model.fetch_count, model.rows_fetched) == (1, 10)
    assert model.index(24, COL_NAME).data() == "Family024, Name024"
    assert (model.fetch_count, model.rows_fetched) == (2, 15)
    model.index(12, COL_NAME).data()
    assert model.cached_pages == [2, 1]  # page 0 was the least recently used
    model.index(0, COL_NAME).data()
    assert model.fetch_count == 4
    assert model.row_of(ids[17]) == 17 and model.row_of(-1) is None
    assert model.index(3, COL_NAME).data(Qt.ItemDataRole.UserRole) == ids[3]


def test_model_sorts_in_sql_and_drops_stale_results(store):
    a = person("Anna", "Zeta", city="Bari")
    b = person("Bruno", "Alfa", city="Roma")
    model = ContactTableModel()
    model.set_query(ContactQuery())
    assert model.ids == [b, a]
    model.sort(COL_CITY, Qt.SortOrder.AscendingOrder)
    assert model.ids == [a, b]
    model.sort(COL_CITY, Qt.SortOrder.DescendingOrder)
    assert model.ids == [b, a]
    # A runner delivers later; a result for an older query is ignored.
    pending = []
    model.runner = lambda query, generation: pending.append((query, generation))
    model.update_query(search_text="zeta")
    model.update_query(search_text="alfa")
    (_q1, old), (_q2, new) = pending
    assert not model.apply([a], False, old)
    assert model.ids == [b, a]
    assert model.apply([b], False, new)
    assert model.ids == [b]


def test_query_ids_orders_filters_and_caps_a_search(store):
    a = person("Anna", "Rossi", city="Roma", stage="lead", tags=["Golf"])
    b = person("Ánna", "Bianchi", city="", stage="customer", channel="event")
    c = person("Carlo", "Rossi", city="Aosta", stage="prospect")
    assert contacts.query_ids() == [b, a, c]
    assert contacts.query_ids(descending=True) == [c, a, b]
    assert contacts.query_ids(order="city") == [c, a, b]
    assert contacts.query_ids(order="stage") == [c, a, b]
    assert contacts.query_ids("anna") == [b, a]
    assert contacts.query_ids("rossi", order="city") == [c, a]
    assert contacts.query_ids("a", limit=2) == [b, a]
    assert contacts.query_ids(tag="golf") == [a]
    assert contacts.query_ids(stage="customer", channel="event") == [b]
    contacts.set_archived(a, True)
    assert contacts.query_ids("anna") == [b]
    assert contacts.query_ids("anna", include_archived=True) == [b, a]
    with pytest.raises(contacts.ValidationError, match="Order must be one of"):
        contacts.query_ids(order="shoe size")


def test_cells_keep_their_own_direction_in_a_right_to_left_layout(store, qapp):
    person("Paolo", "Gentile", phones=["+39 340 967 6866"])
    model = ContactTableModel()
    model.set_query(ContactQuery())
    assert model.index(0, COL_PHONE).data() == "+39 340 967 6866"
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        # Without the isolate an Arabic layout shows "6866 967 340 39+".
        assert model.index(0, COL_PHONE).data() == "\u2068+39 340 967 6866\u2069"
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


# -- start-up ---------------------------------------------------------------------------------


def test_reportlab_is_not_imported_at_start_up(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QSettings
        from crm.core import db
        from crm.gui.app import application, build_window
        app = application([])
        store = db.open_database({str(tmp_path / "start.sqlite3")!r})
        settings = QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat)
        window = build_window(store, settings, synchronous=True)
        window.show()
        app.processEvents()
        print("reportlab" in sys.modules, any(m.startswith("reportlab") for m in sys.modules))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["False", "False"]
