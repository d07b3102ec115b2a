"""The Rewards panel: the ledger and its filters, Mark Given, points, the policy editor, ROI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dbtools import dump
from PySide6.QtCore import Qt
from qtclicks import choose_in_combo, double_click_row
from qtkeys import type_text

from crm.core import clock, contacts, interactions, models, referrals, reward_policy, rewards
from crm.core.contacts import ContactData
from crm.gui.views.vouchers import reward_tables as rp
from crm.gui.views.vouchers.rewards import RewardsPanel

TODAY = clock.today()


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family)).id


def won(giver: int, friend: str, value: str, currency: str = "EUR", **kw) -> models.Referral:
    return referrals.record_referral(
        giver, person(friend), status="won", value=value, currency=currency, **kw
    )


@pytest.fixture
def book(store) -> dict[str, int]:
    """Eleni: two won referrals (25 EUR gifts, pending); Marco: one in USD (pending)."""
    reward_policy.set_policy(kind="gift", fixed_amount="25")
    eleni, marco = person("Ελένη", "Νικολάου"), person("Marco", "Rossi")
    won(eleni, "Anna", "1000")
    won(eleni, "Bruno", "3000", program="tangible")
    won(marco, "Carla", "400", "USD")
    return {"eleni": eleni, "marco": marco}


@pytest.fixture
def panel(window, qtbot, book) -> RewardsPanel:
    widget = RewardsPanel(window.ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_ledger_lists_rewards_with_their_words_and_filters(panel):
    ledger = panel.ledger
    table = ledger.ledger_table
    assert table.rowCount() == 3  # pending, the default
    assert ledger.ledger_count.text() == "3 rewards"
    assert set(column(table, rp.L_GIVER)) == {"Ελένη Νικολάου", "Marco Rossi"}
    assert set(column(table, rp.L_KIND)) == {"Gift"}
    assert set(column(table, rp.L_STATUS)) == {"Pending"}
    assert sorted(column(table, rp.L_AMOUNT)) == ["25 EUR", "25 EUR", "25 USD"]
    assert set(column(table, rp.L_REFERRAL)) == {"Anna", "Bruno", "Carla"}
    # The policy's note is there for whoever wonders where a reward came from.
    assert "[policy:won]" in table.item(0, rp.L_GIVER).toolTip()

    ledger.status_filter.setCurrentIndex(ledger.status_filter.findData("given"))
    assert table.rowCount() == 0 and ledger.ledger_count.text() == "0 rewards"
    ledger.status_filter.setCurrentIndex(ledger.status_filter.findData(None))
    assert table.rowCount() == 3

    # Per giver: money per currency, never added together.
    totals = ledger.totals_table
    assert column(totals, rp.T_GIVER) == ["Ελένη Νικολάου", "Marco Rossi"]
    assert column(totals, rp.T_PENDING) == ["2", "1"]
    assert column(totals, rp.T_PENDING_VALUE) == ["50 EUR", "25 USD"]


def test_giver_type_ahead_filters_totals_and_ledger(panel, qtbot, book):
    ledger = panel.ledger
    type_text(ledger.giver_filter, "νικολα")  # accents and case folded
    assert column(ledger.totals_table, rp.T_GIVER) == ["Ελένη Νικολάου"]
    ledger.giver_filter.flush()
    assert ledger.giver_filter.candidates()[0] == (book["eleni"], "Ελένη Νικολάου")
    ledger.giver_filter.choose(0)
    assert ledger.giver_filter.contact_id == book["eleni"]
    assert set(column(ledger.ledger_table, rp.L_GIVER)) == {"Ελένη Νικολάου"}
    assert ledger.ledger_table.rowCount() == 2
    # Cleared: everyone again.
    ledger.giver_filter.clear_contact()
    assert ledger.ledger_table.rowCount() == 3 and ledger.totals_table.rowCount() == 2
    # A double click on a giver's totals picks them.
    totals = ledger.totals_table
    double_click_row(qtbot, totals, totals.model().index(1, rp.T_GIVER))
    assert ledger.giver_filter.contact_id == book["marco"]
    assert column(ledger.ledger_table, rp.L_GIVER) == ["Marco Rossi"]


def test_mark_given_logs_it_and_refusals_are_shown(panel, window, errors, store, book):
    ledger = panel.ledger
    give = ledger.give_button
    ledger.ledger_table.clearSelection()
    assert not give.isEnabled()
    ledger.mark_given()
    assert errors.messages() == ["Select a pending reward first"]

    [marco_reward] = rewards.ledger(giver_id=book["marco"])
    assert ledger.select_reward(marco_reward["id"])
    assert give.isEnabled()
    give.click()
    assert models.Reward.get_by_id(marco_reward["id"]).status == "given"
    [line] = [x for x in interactions.history(book["marco"]) if x.kind == "reward_given"]
    assert line.summary == "Reward given: gift, 25.00 USD"
    # The page heard the change: the pending list no longer has it.
    assert ledger.ledger_table.rowCount() == 2
    assert column(ledger.totals_table, rp.T_GIVEN_VALUE)[1] == "25 USD"

    # Given meanwhile elsewhere (another window, the command): refused, said, unchanged.
    ledger.status_filter.setCurrentIndex(ledger.status_filter.findData(None))
    [first, *_rest] = rewards.ledger(giver_id=book["eleni"])
    assert ledger.select_reward(first["id"])
    rewards.mark_given(first["id"])
    before = dump(store)
    give.click()
    assert dump(store) == before
    assert errors.messages()[-1].startswith(f"Reward {first['id']} for Ελένη Νικολάου was already")


def test_points_are_redeemed_from_the_totals(panel, errors, book):
    ledger = panel.ledger
    reward = rewards.add_reward(book["marco"], "points", "120", "EUR")
    rewards.mark_given(reward)
    panel.refresh()
    row = column(ledger.totals_table, rp.T_GIVER).index("Marco Rossi")
    assert ledger.totals_table.item(row, rp.T_POINTS).text() == "120"
    ledger.totals_table.selectRow(row)
    assert ledger.redeem_points_button.isEnabled()
    assert not ledger.redeem_points(book["marco"], 500)
    assert errors.messages() == ["Marco Rossi has 120 points to redeem, not 500"]
    assert ledger.redeem_points(book["marco"], 20, "A book")
    row = column(ledger.totals_table, rp.T_GIVER).index("Marco Rossi")
    assert ledger.totals_table.item(row, rp.T_POINTS).text() == "100"
    ledger.status_filter.setCurrentIndex(ledger.status_filter.findData("given"))
    assert "\u221220 points" in column(ledger.ledger_table, rp.L_AMOUNT)
    assert "Points redeemed" in column(ledger.ledger_table, rp.L_REFERRAL)


def test_policy_editor_saves_and_shows_refusals_inline(panel, qtbot, store):
    editor = panel.policy
    panel.tabs.setCurrentIndex(1)
    assert editor.fixed_edit.text() == "25.00" and not editor.percent_edit.isEnabled()
    assert not editor.limit_days.isEnabled()  # "No limit"
    choose_in_combo(qtbot, editor.mode_combo, "percent")
    assert editor.percent_edit.isEnabled() and not editor.fixed_edit.isEnabled()
    choose_in_combo(qtbot, editor.trigger_combo, "received")
    assert editor.policy_hint.isVisible() and "no won value yet" in editor.policy_hint.text()
    choose_in_combo(qtbot, editor.trigger_combo, "won")
    assert not editor.policy_hint.isVisible()

    # A refusal: said under the form, the field marked, nothing written.
    editor.percent_edit.setText("150")
    before = dump(store)
    editor.save_policy_button.click()
    assert dump(store) == before
    assert editor.policy_error.isVisible()
    assert editor.policy_error.text() == "The reward percentage must be at most 100, not 150"
    assert editor.percent_edit.property("invalid") is True
    assert reward_policy.get_policy().amount_mode == "fixed"

    editor.percent_edit.setText("10")
    editor.cap_edit.setText("")
    choose_in_combo(qtbot, editor.sides_combo, "two")
    choose_in_combo(qtbot, editor.kind_combo, "points")
    editor.limit_count.setValue(3)
    assert editor.limit_days.isEnabled()
    editor.limit_days.setValue(14)
    assert editor.save_policy()
    assert not editor.policy_error.isVisible() and editor.percent_edit.property("invalid") is False
    policy = reward_policy.get_policy()
    assert (policy.amount_mode, policy.percent, policy.cap, policy.sides, policy.kind) == (
        "percent",
        Decimal("10.00"),
        None,
        "two",
        "points",
    )
    assert (policy.limit_count, policy.limit_days) == (3, 14)
    assert "Saved" in editor.policy_saved.text()
    # Revert brings back what is stored.
    editor.percent_edit.setText("77")
    editor.revert_button.click()
    assert editor.percent_edit.text() == "10.00"


def test_policy_editor_chooses_when_a_voucher_holder_is_rewarded(panel, qtbot):
    editor = panel.policy
    panel.tabs.setCurrentIndex(1)
    assert editor.voucher_combo.currentData() == "won"  # the default: what vouchers promise
    assert editor.voucher_combo.currentText() == "Rewarded when the friend's referral is won"
    choose_in_combo(qtbot, editor.voucher_combo, "redemption")
    qtbot.mouseClick(editor.save_policy_button, Qt.MouseButton.LeftButton)
    assert reward_policy.get_policy().voucher_holder == "redemption"
    assert "Saved" in editor.policy_saved.text()
    # A percentage waits for the won value whatever the choice; the form says so.
    choose_in_combo(qtbot, editor.mode_combo, "percent")
    assert editor.policy_hint.isVisible()
    assert "a voucher holder is rewarded then" in editor.policy_hint.text()
    choose_in_combo(qtbot, editor.voucher_combo, "won")
    assert not editor.policy_hint.isVisible()
    qtbot.mouseClick(editor.save_policy_button, Qt.MouseButton.LeftButton)
    policy = reward_policy.get_policy()
    assert (policy.voucher_holder, policy.amount_mode) == ("won", "percent")
    # Reopened, the form shows what is stored.
    reward_policy.set_policy(voucher_holder="redemption")
    editor.revert_button.click()
    assert editor.voucher_combo.currentData() == "redemption"


def test_roi_table_per_giver_program_and_month(panel, book):
    roi = panel.roi
    panel.tabs.setCurrentIndex(2)
    table = roi.roi_table
    labels_ = column(table, rp.R_GROUP)
    assert labels_ == ["Ελένη Νικολάου", "Marco Rossi", "Total", "Total"]
    assert column(table, rp.R_WON)[:2] == ["4,000 EUR", "400 USD"]
    assert column(table, rp.R_COST)[:2] == ["50 EUR", "25 USD"]
    # (4000 - 50) / 50 = 79 and (400 - 25) / 25 = 15
    assert column(table, rp.R_ROI) == [
        "7,900\u00a0%",
        "1,500\u00a0%",
        "7,900\u00a0%",
        "1,500\u00a0%",
    ]
    assert table.item(2, rp.R_GROUP).font().bold()

    roi.roi_group.setCurrentIndex(roi.roi_group.findData("program"))
    assert table.horizontalHeaderItem(rp.R_GROUP).text() == "Program"
    assert column(table, rp.R_GROUP) == ["Direct", "Direct", "Voucher", "Total", "Total"]
    assert column(table, rp.R_ROI)[:3] == ["3,900\u00a0%", "1,500\u00a0%", "11,900\u00a0%"]

    roi.roi_group.setCurrentIndex(roi.roi_group.findData("period"))
    month = TODAY.strftime("%b %Y")
    assert column(table, rp.R_GROUP)[:2] == [month, month]

    # A giver's row opens the contact.
    roi.roi_group.setCurrentIndex(roi.roi_group.findData("giver"))
    opened = []
    panel.ctx.navigate.connect(lambda kind, cid: opened.append((kind, cid)))
    roi._open_roi(0)
    assert opened == [("contact", book["eleni"])]


def test_the_panel_follows_changes_made_elsewhere(panel, window, book):
    ledger = panel.ledger
    assert ledger.ledger_table.rowCount() == 3
    won(book["marco"], "Dario", "200")
    window.ctx.changed("referrals")
    assert ledger.ledger_table.rowCount() == 4
    # Hidden: it waits until shown again.
    panel.hide()
    won(book["marco"], "Elsa", "200")
    window.ctx.changed("referrals")
    assert ledger.ledger_table.rowCount() == 4
    panel.show()
    assert ledger.ledger_table.rowCount() == 5


def test_open_contact_from_the_ledger(panel, book):
    ledger = panel.ledger
    opened = []
    panel.ctx.navigate.connect(lambda kind, cid: opened.append((kind, cid)))
    [reward] = rewards.ledger(giver_id=book["marco"])
    ledger.select_reward(reward["id"])
    assert ledger.open_button.isEnabled()
    ledger.open_button.click()
    assert opened == [("contact", book["marco"])]
    index = ledger.ledger_table.model().index(ledger.ledger_table.currentRow(), 0)
    ledger.ledger_table.doubleClicked.emit(index)
    assert opened[-1] == ("contact", book["marco"])
    assert ledger.ledger_table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEnabled
