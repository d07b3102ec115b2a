"""Voucher campaigns in the app: set up once, the reminder opens the batch, one click issues
and prints it, and the dashboard shows what each campaign cost and brought."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from shots import shot

from crm.core import (
    campaign_runs,
    campaigns,
    clock,
    contacts,
    followups,
    models,
    redemption,
    referrals,
)
from crm.core.contacts import ContactData
from crm.gui.views.vouchers.campaign_issue import IssueBatchDialog

TODAY = clock.today()


def person(given: str, family: str, consent: bool = True, language: str = "en") -> int:
    data = ContactData(
        given_name=given, family_name=family, marketing_consent=consent, language=language
    )
    return contacts.create_contact(data).id


def won(giver: int, value: str) -> None:
    friend = person(f"Friend{giver}", "X")
    referrals.record_referral(
        giver, friend, status="won", value=value, referred_on=TODAY - dt.timedelta(days=20)
    )


@pytest.fixture
def clients(store) -> dict[str, int]:
    p = {
        "Ελένη": person("Ελένη", "Νικολάου", language="el"),
        "Bea": person("Bea", "Nocons", consent=False),
        "Иван": person("Иван", "Петров", language="bg"),
        "ليلى": person("ليلى", "حداد", language="ar"),
    }
    for name, value in (("Ελένη", "800"), ("Bea", "1500"), ("Иван", "600"), ("ليلى", "200")):
        won(p[name], value)
    return p


def campaigns_tab(window):
    page = window.show_page("vouchers")
    page.refresh()
    page.tabs.setCurrentWidget(page.campaigns_panel)
    return page, page.campaigns_panel


def test_a_campaign_is_set_up_in_the_app_with_the_core_checks(window, clients, unchanged):
    page, panel = campaigns_tab(window)
    assert panel.empty.isVisible() and not panel.table.isVisible()
    panel.new_button.click()
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("Best clients")
    dialog.top_n.setValue(2)
    dialog.value.setText("abc")
    with unchanged():
        dialog.save()
    assert dialog.isVisible() and "Voucher value" in dialog.error.text()
    dialog.value.setText("30")
    dialog.valid_days.setValue(60)
    shot(dialog, "campaign-dialog.png")
    dialog.save()
    assert not dialog.isVisible()
    [made] = campaigns.list_campaigns()
    assert (made["name"], made["top_n"], made["value"], made["valid_days"]) == (
        "Best clients",
        2,
        30.0,
        60,
    )
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "Best clients"
    assert panel.table.item(0, 6).text() == "2026-Q4: not issued yet"
    QApplication.processEvents()
    shot(page, "campaigns-tab.png")
    # A second campaign of the same name is refused in the dialog as on the command line.
    panel.new_button.click()
    again = panel.dialog
    again.name.setText("BEST clients")
    with unchanged():
        again.save()
    assert "exists already" in again.error.text()
    again.reject()
    # Editing keeps the rest.
    panel.table.selectRow(0)
    panel.edit_button.click()
    edit = panel.dialog
    assert edit.name.text() == "Best clients" and edit.top_n.value() == 2
    edit.top_n.setValue(3)
    edit.save()
    assert campaigns.get("Best clients").top_n == 3


def test_the_reminder_opens_the_batch_and_one_click_issues_and_prints_it(
    window, clients, tmp_path, errors
):
    campaigns.create("Best clients", top_n=2, value="30", valid_days=60)
    assert followups.run_daily_rules(TODAY) == 1
    [reminder] = [f for f in followups.open_followups() if f["rule"] == "campaign"]
    view = window.show_page("followups")
    window.ctx.changed("followups")
    view.show_section("today")
    assert view.select_followup(reminder["id"])
    shot(view, "campaign-reminder.png")
    view.open_contact()
    page = window.page("vouchers")
    assert window.current_page_name() == "vouchers"
    dialog = page.campaign_dialog
    assert isinstance(dialog, IssueBatchDialog) and dialog.isVisible()
    assert "Best clients, 2026-Q4: 2 vouchers" in dialog.heading.text()
    names = [dialog.included.item(r, 1).text() for r in range(dialog.included.rowCount())]
    assert names == ["Ελένη Νικολάου", "Иван Петров"]
    assert dialog.included.item(0, 0).text() == "1"
    assert dialog.left_out.isVisible() and dialog.left_out.item(0, 1).text() == "Bea Nocons"
    assert "Left out: 1 among the top 2" in dialog.left_note.text()
    assert dialog.issue_button.isEnabled() and dialog.issue_button.text() == "Issue 2 Vouchers"
    assert not dialog.print_button.isEnabled()
    shot(dialog, "campaign-issue.png")
    dialog.issue_button.click()
    assert errors == []
    batch = "Best clients 2026-Q4"
    assert models.Voucher.select().where(models.Voucher.batch == batch).count() == 2
    assert "Issued 2 vouchers in batch 'Best clients 2026-Q4'" in dialog.heading.text()
    assert not dialog.issue_button.isEnabled() and dialog.print_button.isEnabled()
    assert not [f for f in followups.open_followups() if f["rule"] == "campaign"]
    shot(dialog, "campaign-issued.png")
    dialog.print_button.click()
    preview = page.last_preview
    assert preview.document.pageCount() >= 1
    target = tmp_path / "campaign.pdf"
    preview.save_to(str(target))
    text = "".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Νικολάου" in text or "Ελένη" in text
    preview.close()
    # Later, the Campaigns tab prints the period's batch again.
    panel = page.campaigns_panel
    panel.refresh()
    panel.select_campaign(campaigns.get("Best clients").id)
    assert panel.print_button.isEnabled()
    panel.print_button.click()
    assert page.last_preview is not preview and page.last_preview.document.pageCount() >= 1
    page.last_preview.close()
    # A second time in the period: the dialog says why it cannot, and offers to force.
    again = IssueBatchDialog(window.ctx, campaigns.get("Best clients").id, page)
    assert not again.issue_button.isEnabled() and not again.force.isHidden()
    assert "already issued batch 'Best clients 2026-Q4'" in again.error.text()
    again.force.setChecked(True)
    assert again.issue_button.isEnabled()
    again.close()


def test_the_dashboard_shows_each_campaigns_cost_and_return(window, clients, qtbot):
    campaigns.create("Best clients", top_n=2, value="30", valid_days=60)
    campaigns.create("Yearly", every="year", top_n=1, value="100", valid_days=300)
    out = campaign_runs.run("Best clients")
    came = redemption.redeem(out["vouchers"][0]["code"], new_friend="Nora Newman")
    referrals.change_status(came["referral_id"], "won", value="2000")
    page = window.show_page("dashboard")
    page.set_period("quarter")
    box = page.campaign_returns
    assert box.isVisible()
    table = box.table
    assert table.rowCount() == 2
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[0] == "Best clients" and cells[1] == "1"
    assert cells[2] == "2 · 60 EUR" and cells[3] == "1 · 30 EUR"
    assert cells[5] == "1" and cells[6] == "2,000 EUR"
    assert cells[7].startswith("+")
    assert [table.item(1, c).text() for c in range(8)] == ["Yearly", "0", *["—"] * 6]
    page.content_area.verticalScrollBar().setValue(page.content_area.verticalScrollBar().maximum())
    shot(page, "campaign-dashboard.png")
