"""Send by e-mail from the app: pending letters, birthday follow-ups, the Mail preferences."""

from __future__ import annotations

import os

import keyring
from mailpeople import PEOPLE, make_people, pending_letter

from crm.core import followups, interactions, models, settings
from crm.gui.settings_dialog import SettingsDialog

pytest_plugins = ["mailserver"]  # the smtp and memory_keyring fixtures

SHOTS = os.environ.get("CRM_SHOTS")  # a folder: save screenshots there to look at


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def status_column(dialog) -> dict[str, str]:
    table = dialog.table
    return {table.item(r, 1).text(): table.item(r, 3).text() for r in range(table.rowCount())}


def test_pending_letters_are_sent_from_the_vouchers_page_with_a_report(window, smtp, errors):
    ids = make_people()
    pending_letter(ids["el"], ids["en"])
    pending_letter(ids["ar"], ids["it"])
    models.Contact.update(email="").where(models.Contact.id == ids["ar"]).execute()
    pending_letter(ids["bg"], ids["en"])
    smtp.refuse = {"maria@example.bg"}
    window.show_page("vouchers")
    page = window.page("vouchers")
    page.refresh()
    page.mail_letters_button.click()
    dialog = page.mail_dialog
    assert "2 e-mails to send through 127.0.0.1:" in dialog.summary.text()
    assert status_column(dialog)[""] == "Skipped: no e-mail address"
    shot(dialog, "mail-dialog-before")
    dialog.send_button.click()
    assert errors == []
    rows = status_column(dialog)
    assert rows["giorgos@example.gr"] == "Sent"
    assert rows["maria@example.bg"].startswith("Failed: 550 5.1.1 Mailbox unavailable")
    assert dialog.summary.text() == "Sent: 1, failed: 1, skipped: 1."
    shot(dialog, "mail-dialog-report")
    assert [rcpt for rcpt, _m in smtp.received] == [["giorgos@example.gr"]]
    # The page shows what is still pending: the failed and the skipped letters.
    assert page.letters_table.rowCount() == 2


def test_a_birthday_follow_up_prints_its_card_and_mails_its_greeting(window, smtp, errors):
    ids = make_people()
    followups.run_daily_rules(force=True)
    window.show_page("followups")
    page = window.page("followups")
    page.refresh()
    page.show_section("upcoming")
    (row,) = [r for r in followups.open_followups(contact_id=ids["bg"]) if r["kind"] == "birthday"]
    assert page.select_followup(row["id"])
    assert page.card_action.isEnabled() and page.greet_action.isEnabled()
    shot(window, "followups-birthday")
    page.print_card()
    preview = page.last_preview
    assert preview is not None and errors == []
    preview.close()
    page.greet_action.trigger()
    dialog = page.mail_dialog
    dialog.send_button.click()
    assert status_column(dialog) == {"maria@example.bg": "Sent"}
    (_rcpt, msg) = smtp.received[0]
    assert msg["Subject"] == "Честит рожден ден, Мария!"
    sent = [i for i in interactions.history(ids["bg"]) if i.kind == "email_sent"]
    assert len(sent) == 1


def test_a_follow_up_that_is_not_a_birthday_offers_no_card(window, store):
    ids = make_people()
    item = followups.create_followup(ids["en"], models.now().date(), title="Call John")
    window.show_page("followups")
    page = window.page("followups")
    page.refresh()
    assert page.select_followup(item.id)
    assert not page.card_action.isEnabled() and not page.greet_action.isEnabled()


def test_the_mail_preferences_keep_the_password_in_the_keyring(
    window, qtbot, memory_keyring, store
):
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(4)
    dialog.inputs["smtp.host"].setText("mail.example.com")
    dialog.inputs["smtp.port"].setValue(465)
    box = dialog.inputs["smtp.security"]
    box.setCurrentIndex(box.findData("ssl"))
    dialog.inputs["smtp.user"].setText("elena")
    dialog.inputs["smtp.password"].setText("hunter2-κωδικός")
    dialog.inputs["smtp.from"].setText("elena@rossi.example")
    dialog.show()
    shot(dialog, "preferences-mail")
    assert dialog.save()
    assert settings.get("smtp.host") == "mail.example.com" and settings.get("smtp.port") == 465
    assert keyring.get_password("Passaparola SMTP", "elena@mail.example.com") == ("hunter2-κωδικός")
    dump = "\n".join(str(r) for r in models.rows(models.Setting.select()))
    assert "hunter2" not in dump
    assert dialog.inputs["smtp.password"].text() == ""


def test_a_bad_sender_address_is_shown_under_its_field_and_nothing_is_saved(
    window, qtbot, memory_keyring, unchanged
):
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.inputs["smtp.from"].setText("not an address")
    dialog.inputs["smtp.password"].setText("secret")
    with unchanged():
        assert not dialog.save()
    assert "is not valid" in dialog.error_text("smtp.from")
    assert dialog.tabs.currentIndex() == 4
    assert memory_keyring.store == {}


def test_the_batch_runs_off_the_ui_thread_and_a_cancel_resumes_without_resending(
    window, qtbot, smtp, errors
):
    ids = make_people()
    followups.run_daily_rules(force=True)
    smtp.delay = 0.2
    from crm.core import mail_items
    from crm.gui.mail_dialog import open_mail_dialog

    page = window.page("followups")
    open_mail_dialog(window.ctx, page, "Birthdays", lambda a: mail_items.birthday_items(14))
    dialog = page.mail_dialog
    window.ctx.gateway.synchronous = False
    try:
        dialog.send()
        dialog.progress.cancel()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
        first = dialog.report
        assert first["cancelled"] and first["sent"] <= 1
        assert "Cancelled: send again to go on where it stopped." in dialog.summary.text()
        window.ctx.gateway.synchronous = True
        open_mail_dialog(window.ctx, page, "Birthdays", lambda a: mail_items.birthday_items(14))
        again = page.mail_dialog
        again.send()
        assert again.report["sent"] == 5 - first["sent"]
    finally:
        window.ctx.gateway.synchronous = True
        window.ctx.gateway.wait()
    assert sorted(r[0][0] for r in smtp.received) == sorted(p[4] for p in PEOPLE)
    assert errors == [] and ids


def test_a_voucher_batch_is_sent_from_the_vouchers_tab(window, smtp, errors):
    import datetime as dt

    from crm.core import vouchers

    ids = make_people()
    window.show_page("vouchers")
    page = window.page("vouchers")
    page.refresh()
    assert not page.mail_letters_button.isEnabled() and not page.mail_vouchers_button.isEnabled()
    vouchers.issue([ids["ar"], ids["it"]], value=40, batch="Q1", expires=dt.date(2027, 3, 31))
    page.refresh()
    page.batch_combo.setCurrentIndex(page.batch_combo.findData("Q1"))
    page.mail_vouchers_button.click()
    dialog = page.mail_dialog
    dialog.send_button.click()
    assert set(status_column(dialog).values()) == {"Sent"} and errors == []
    subjects = sorted(m["Subject"] for _r, m in smtp.received)
    assert subjects == [
        "Un buono regalo da offrire a un amico",
        "قسيمة هدية لتهدوها إلى أحد أصدقائكم",
    ]
