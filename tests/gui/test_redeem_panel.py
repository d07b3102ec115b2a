"""The redeem panel: a code typed or scanned, the friend, each refusal in red, voiding."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from qtkeys import type_text

from crm.core import clock, codes, contacts, models, redemption, reward_policy, vouchers
from crm.core.contacts import ContactData
from crm.gui.formatting import day_text
from crm.gui.views.vouchers.redeem import ERROR_COLOUR, SUCCESS_COLOUR, RedeemPanel

TODAY = clock.today()


def person(given: str, family: str) -> int:
    # Vouchers go to people who agreed to marketing.
    data = ContactData(given_name=given, family_name=family, marketing_consent=True)
    return contacts.create_contact(data).id


def issue(holder: int, batch: str = "2026-Q4", **kw) -> str:
    kw.setdefault("expires", TODAY + dt.timedelta(days=90))
    [v] = vouchers.issue([holder], value="50", batch=batch, **kw)
    return v["code"]


def unbroken(code: str) -> str:
    """The code as messages show it: non-breaking hyphens, which still read as a code."""
    shown = code.replace("-", "\u2011")
    assert codes.validate(shown) == code
    return shown


@pytest.fixture
def holder(store) -> int:
    return person("Anna", "Rossi")


@pytest.fixture
def panel(window, qtbot) -> RedeemPanel:
    widget = RedeemPanel(window.ctx)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def changes(window) -> list[str]:
    seen: list[str] = []
    window.ctx.data_changed.connect(seen.append)
    return seen


def press_enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_redeem_for_a_new_greek_friend(panel, holder, qtbot, changes, errors):
    reward_policy.set_policy(voucher_holder="redemption", amount_mode="fixed", fixed_amount="20")
    code = issue(holder)
    # Typed as people do: lower case, spaces for dashes, without the prefix.
    type_text(panel.code, code.removeprefix("PSP-").replace("-", " ").lower())
    assert panel.voucher_info.isVisible()
    # The holder's name and the date each a bidi isolate; the date in the UI's language.
    expires = day_text(TODAY + dt.timedelta(days=90))
    assert panel.voucher_info.text() == (
        f"50 EUR voucher from \u2068Anna Rossi\u2069, valid until {expires}"
    )
    qtbot.mouseClick(panel.new_radio, Qt.MouseButton.LeftButton)
    assert panel.given_name.isVisible() and not panel.friend.isVisible()
    type_text(panel.given_name, "Μαρία")
    type_text(panel.family_name, "Παπαδοπούλου")
    press_enter(qtbot, panel.family_name)

    assert errors == []
    friend = models.Contact.get(models.Contact.family_name == "Παπαδοπούλου")
    assert friend.given_name == "Μαρία"
    voucher = models.Voucher.get(models.Voucher.code == code)
    assert (voucher.status, voucher.redeemed_by_id) == ("redeemed", friend.id)
    assert voucher.referral.giver_id == holder and voucher.referral.program == "tangible"
    assert panel.message.text() == (
        f"Redeemed: Μαρία Παπαδοπούλου now referred by Anna Rossi (voucher {unbroken(code)}). "
        "A reward for Anna Rossi is pending."
    )
    assert SUCCESS_COLOUR in panel.message.styleSheet()
    assert {"vouchers", "referrals", "contacts", "rewards"} <= set(changes)
    # The form is ready for the next voucher, and the redemption is listed.
    assert panel.code.text() == panel.given_name.text() == panel.family_name.text() == ""
    assert panel.recent.rowCount() == 1
    assert [panel.recent.item(0, c).text() for c in range(3)] == [
        code,
        "Μαρία Παπαδοπούλου",
        "Anna Rossi",
    ]
    # "Open Contact" takes the user to the friend.
    with qtbot.waitSignal(panel.ctx.navigate) as nav:
        qtbot.mouseClick(panel.open_friend_button, Qt.MouseButton.LeftButton)
    assert nav.args == ["contact", friend.id]


def test_a_scanned_code_then_an_existing_friend(panel, holder, qtbot, changes):
    code = issue(holder)
    marco = person("Marco", "Bianchi")
    # A scanner types the code and presses Enter: no friend yet, so the panel moves on.
    qtbot.keyClicks(panel.code, code)
    press_enter(qtbot, panel.code)
    assert models.Voucher.get(models.Voucher.code == code).status == "issued"
    assert panel.friend.hasFocus() and not panel.message.isVisible()
    qtbot.keyClicks(panel.friend, "marc")
    panel.friend.flush()
    assert panel.friend.candidates() == [(marco, "Marco Bianchi")]
    press_enter(qtbot, panel.friend)  # takes the match and redeems
    voucher = models.Voucher.get(models.Voucher.code == code)
    assert (voucher.status, voucher.redeemed_by_id) == ("redeemed", marco)
    # The default policy rewards the holder when Marco's referral is won, not now.
    assert panel.message.text() == (
        f"Redeemed: Marco Bianchi now referred by Anna Rossi (voucher {unbroken(code)})."
    )
    assert "vouchers" in changes and "referrals" in changes


def test_enter_in_the_code_redeems_once_the_friend_is_chosen(panel, holder, qtbot):
    code = issue(holder)
    marco = person("Marco", "Bianchi")
    panel.friend.set_contact(marco, "Marco Bianchi")
    qtbot.keyClicks(panel.code, code)
    press_enter(qtbot, panel.code)
    assert models.Voucher.get(models.Voucher.code == code).redeemed_by_id == marco


def _typo(code: str) -> str:
    body = code[len("PSP-") :]
    other = next(ch for ch in codes.ALPHABET if ch != body[0])
    return "PSP-" + other + body[1:]


REFUSALS = {
    "typo": "has a typo",
    "never used": "which voucher codes never use",
    "unknown": "No voucher has the code",
    "expired": "expired on",
    "redeemed": "was already redeemed on",
    "void": "was voided on",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_is_shown_in_red_and_changes_nothing(
    panel, holder, qtbot, unchanged, errors, changes, case
):
    code = issue(holder, batch="fresh")
    if case == "typo":
        code = _typo(code)
    elif case == "never used":
        code = code[:-1] + "O"
    elif case == "unknown":
        code = codes.format_code(codes.with_check("23456789"))
    elif case == "expired":
        code = issue(
            holder,
            batch="old",
            expires=TODAY - dt.timedelta(days=1),
            today=TODAY - dt.timedelta(days=60),
        )
    elif case == "redeemed":
        redemption.redeem(code, new_friend="Eva Klein")
    elif case == "void":
        redemption.void(code)
    panel.refresh()
    changes.clear()
    qtbot.mouseClick(panel.new_radio, Qt.MouseButton.LeftButton)
    type_text(panel.given_name, "Ελένη")
    with unchanged():
        qtbot.keyClicks(panel.code, code)
        qtbot.mouseClick(panel.redeem_button, Qt.MouseButton.LeftButton)
    assert REFUSALS[case] in panel.message.text()
    assert panel.message.isVisible() and ERROR_COLOUR in panel.message.styleSheet()
    assert panel.code.property("invalid") is True and panel.code.hasFocus()
    assert errors == [] and changes == []
    # What was typed stays, to be corrected.
    assert panel.code.text() == code and panel.given_name.text() == "Ελένη"


def test_a_friend_must_be_chosen(panel, holder, qtbot, unchanged):
    code = issue(holder)
    with unchanged():
        qtbot.keyClicks(panel.code, code)
        qtbot.mouseClick(panel.redeem_button, Qt.MouseButton.LeftButton)
    assert "Choose who brought the voucher" in panel.message.text()
    assert panel.friend.property("invalid") is True
    with unchanged():
        panel.friend.set_contact(holder, "Anna Rossi")
        qtbot.mouseClick(panel.redeem_button, Qt.MouseButton.LeftButton)
    assert "Anna Rossi holds voucher" in panel.message.text()
    assert panel.friend.property("invalid") is True


def test_the_state_of_a_complete_code_shows_as_it_is_typed(panel, holder, qtbot):
    code = issue(holder)
    redemption.void(code)
    qtbot.keyClicks(panel.code, code[:-1])
    assert not panel.voucher_info.isVisible()  # not complete yet: no verdict
    qtbot.keyClicks(panel.code, code[-1])
    assert panel.voucher_info.isVisible() and "was voided on" in panel.voucher_info.text()


def test_void_asks_then_voids(panel, holder, qtbot, monkeypatch, changes):
    code = issue(holder)
    asked = []

    def answer(info):
        asked.append(info["code"])
        return "torn in half"

    monkeypatch.setattr(panel, "ask_void_reason", answer)
    qtbot.keyClicks(panel.code, code)
    qtbot.mouseClick(panel.void_button, Qt.MouseButton.LeftButton)
    assert asked == [code]
    assert models.Voucher.get(models.Voucher.code == code).status == "void"
    assert panel.message.text() == f"Voucher {code} of Anna Rossi is void."
    assert "vouchers" in changes
    # Voiding it again is refused without asking.
    asked.clear()
    qtbot.keyClicks(panel.code, code)
    qtbot.mouseClick(panel.void_button, Qt.MouseButton.LeftButton)
    assert asked == [] and "was already voided on" in panel.message.text()


def test_cancelling_void_changes_nothing(panel, holder, qtbot, monkeypatch, unchanged):
    code = issue(holder)
    monkeypatch.setattr(panel, "ask_void_reason", lambda info: None)
    with unchanged():
        qtbot.keyClicks(panel.code, code)
        qtbot.mouseClick(panel.void_button, Qt.MouseButton.LeftButton)
    assert not panel.message.isVisible()


# -- the contact pane says whether it is fine to ask for a referral ------------------------


def test_contact_detail_shows_the_ask_status(window, store):
    from crm.core import asking

    never = person("Nina", "Never")
    recent = person("Rita", "Recent")
    long_ago = person("Lars", "Long")
    asking.record_ask(recent, today=TODAY - dt.timedelta(days=12))
    asking.record_ask(long_ago, today=TODAY - dt.timedelta(days=200))
    window.show_page("contacts")
    detail = window.page("contacts").detail
    shown = {}
    for cid in (never, recent, long_ago):
        window.go("contact", cid)
        shown[cid] = detail.fields["asking"].text()
    ok_from = day_text(TODAY + dt.timedelta(days=90 - 12))  # isolated: "22 Feb 2027"
    assert shown == {
        never: "OK to ask (never asked)",
        recent: f"Asked 12 days ago; OK to ask again from {ok_from}",
        long_ago: "OK to ask (asked 200 days ago)",
    }
    assert "90 days" in detail.fields["asking"].toolTip()
