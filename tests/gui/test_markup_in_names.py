"""Names that look like HTML show literally everywhere: tables, tooltips, labels, message boxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from crm.core import asking, clock, contacts, events, followups, referrals
from crm.gui.views.chain.tree import ChainTreeModel
from crm.gui.views.contacts.model import COL_NAME
from crm.gui.views.events.models import AttendanceModel
from crm.gui.views.followups.table import COL_CONTACT, COL_TITLE

BIG = '<h1>BIG</h1><img src="/etc/passwd"><a href="https://x">click</a>'
SMITH = ("<b>Smith", "& Co</b>")
SMITH_NAME = "<b>Smith & Co</b>"
TODAY = clock.today()
DAY = dt.timedelta(days=1)
TIP = Qt.ItemDataRole.ToolTipRole


def shown(text: str | None, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt draws for ``text`` in that format: HTML is rendered, plain text is itself."""
    text = text or ""
    if fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    ):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText().replace("\u2028", "\n")
    return text


def label_shows(label: QLabel) -> str:
    return shown(label.text(), label.textFormat())


@pytest.fixture
def people(store):
    """BIG referred Smith & Co, who referred Cara; all met at an evening, with follow-ups."""
    big = contacts.create_contact(contacts.ContactData(given_name=BIG)).id
    smith = contacts.create_contact(
        contacts.ContactData(given_name=SMITH[0], family_name=SMITH[1])
    ).id
    cara = contacts.create_contact(contacts.ContactData(given_name="Cara", family_name="Bell")).id
    referrals.record_referral(big, smith)
    referrals.record_referral(smith, cara)
    evening = events.create_event("Chamber evening", TODAY + 2 * DAY).id
    events.attend(evening, big)
    followups.create_followup(big, TODAY, kind="call")
    followups.create_followup(smith, TODAY, kind="email")
    return {"big": big, "smith": smith, "cara": cara, "evening": evening}


def answer_box(qtbot, act: Callable[[], object], button: QMessageBox.StandardButton) -> list:
    """Do ``act``, which opens a modal message box; note its (format, text), press ``button``."""
    seen: list[tuple[Qt.TextFormat, str]] = []
    timer = QTimer()
    timer.setInterval(20)

    def grab() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            timer.stop()
            seen.append((box.textFormat(), box.text()))
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    timer.timeout.connect(grab)
    timer.start()
    try:
        act()
    finally:
        timer.stop()
    assert seen, "no message box opened"
    return seen


def test_the_names_are_stored_as_typed(people):
    assert contacts.get_contact(people["big"]).display_name == BIG
    assert contacts.get_contact(people["smith"]).display_name == SMITH_NAME


def test_contacts_table_and_detail_pane_show_the_literal_names(window, people):
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    model = view.model
    rows = {
        model.index(r, COL_NAME).data(): model.index(r, COL_NAME) for r in range(model.rowCount())
    }
    for name in (BIG, SMITH_NAME):
        # The table shows "family, given" or "given family": find the row by its parts.
        index = next(i for text, i in rows.items() if all(p in text for p in name.split(" & ")))
        assert shown(index.data(TIP)) == index.data()
    window.go("contact", people["cara"])
    header = view.detail.header
    assert label_shows(header.name_label) == "Cara Bell"
    crumbs = header.breadcrumb.buttons
    # A button's text is plain; "&" is doubled so it is not a shortcut mark.
    assert [b.text().replace("&&", "&") for b in crumbs] == [BIG, SMITH_NAME]
    assert [shown(b.toolTip()) for b in crumbs] == [f"Show {BIG}", f"Show {SMITH_NAME}"]
    window.go("contact", people["smith"])
    assert label_shows(header.name_label) == SMITH_NAME
    assert header.name_label.textFormat() == Qt.TextFormat.PlainText


def test_followups_list_shows_the_literal_names(window, people):
    view = window.show_page("followups")
    window.ctx.changed("followups")
    view.show_section("today")
    model = view.tables["today"].model()
    rows = range(model.rowCount())
    contacts_shown = {model.index(r, COL_CONTACT).data() for r in rows}
    assert {BIG, SMITH_NAME} <= contacts_shown
    for r in rows:
        contact = model.index(r, COL_CONTACT).data()
        title = model.index(r, COL_TITLE).data()
        assert contact in title  # "Call: <name>"
        assert shown(model.index(r, COL_TITLE).data(TIP)) == f"{title}\n{contact}"


def test_referral_tree_graph_and_breadcrumb_show_the_literal_names(window, people):
    window.go("chain", people["cara"])
    view = window.page("chain")
    assert label_shows(view.name_label) == "Cara Bell"
    crumb = label_shows(view.breadcrumb)
    # Each name a bidi isolate of its own, so a name in another script keeps its place.
    assert f"\u2068{SMITH_NAME}\u2069" in crumb
    assert f"{BIG} › {SMITH_NAME} › Cara Bell" in crumb.replace("\u2068", "").replace("\u2069", "")
    window.go("chain", people["big"])
    tips = {shown(item.toolTip()).split("\n")[0] for item in view.graph.node_items()}
    assert {BIG, SMITH_NAME, "Cara Bell"} <= tips
    view.set_mode("tree")
    tree = view.tree_model
    root = tree.index(0, ChainTreeModel.NAME)
    assert root.data() == BIG
    child = tree.index(0, ChainTreeModel.NAME, root)
    assert child.data() == SMITH_NAME


def test_event_page_message_boxes_show_the_literal_name(window, qtbot, people):
    asking.record_ask(people["big"], today=TODAY - 30 * DAY)
    window.ctx.gateway.error_shown = None  # the real message box, not the test's log
    window.go("event", people["evening"])
    attendees = window.page("events").attendees
    name_cell = attendees.model.index(0, AttendanceModel.COL_NAME)
    assert name_cell.data().strip("\u2068\u2069") == BIG
    attendees.table.selectRow(0)
    # Asking again inside the cooldown is refused in a message box that names them.
    ((fmt, text),) = answer_box(
        qtbot,
        lambda: qtbot.mouseClick(attendees.ask_button, Qt.MouseButton.LeftButton),
        QMessageBox.StandardButton.Ok,
    )
    assert fmt == Qt.TextFormat.PlainText
    assert text.startswith(f"{BIG} was asked for referrals on")
    # "Record Ask Anyway…" asks first, naming them; answering No records nothing.
    ((fmt, text),) = answer_box(
        qtbot, attendees.ask_anyway_action.trigger, QMessageBox.StandardButton.No
    )
    assert fmt == Qt.TextFormat.PlainText
    assert text.startswith(f"{BIG} was asked for referrals 30 days ago")
    assert contacts.get_contact(people["big"]).last_asked_for_referral == TODAY - 30 * DAY


def test_a_refused_cycle_names_the_people_literally(window, qtbot, people):
    window.show_page("referrals")
    dialog = window.page("referrals").make_dialog(
        giver_id=people["cara"], referred_id=people["big"]
    )
    dialog.show()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert f"{BIG} → {SMITH_NAME} → Cara Bell → {BIG}" in label_shows(dialog.error)
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
