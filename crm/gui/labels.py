"""The words the interface uses for the core's codes (stages, statuses, kinds).

The core stores codes; the interface words them, in one place, through Qt's
translation (context "Labels").
"""

from __future__ import annotations

from crm.gui.translation import word


def _t(text: str) -> str:
    return word("Labels", text)


def _word(table: dict[str, str], code: str) -> str:
    return table.get(code, code.replace("_", " ").capitalize())


def referral_status(code: str) -> str:
    return _word(
        {
            "new": _t("New"),
            "contacted": _t("Contacted"),
            "meeting": _t("Meeting"),
            "proposal": _t("Proposal"),
            "won": _t("Won"),
            "lost": _t("Lost"),
        },
        code,
    )


def program(code: str) -> str:
    return _word(
        {
            "direct": _t("Direct"),
            "implicit": _t("Implicit"),
            "tangible": _t("Voucher"),
            "community": _t("Community"),
        },
        code,
    )


def stage(code: str) -> str:
    """A lifecycle stage."""
    return _word(
        {
            "prospect": _t("Prospect"),
            "lead": _t("Lead"),
            "customer": _t("Customer"),
            "ambassador": _t("Ambassador"),
            "inactive": _t("Inactive"),
        },
        code,
    )


def channel(code: str) -> str:
    """How we first heard of a contact."""
    return _word(
        {
            "referral": _t("Referral"),
            "event": _t("Event"),
            "social": _t("Social media"),
            "website": _t("Website"),
            "press": _t("Press"),
            "online_review": _t("Online review"),
            "influencer": _t("Influencer"),
            "other": _t("Other"),
        },
        code,
    )


def interaction(code: str) -> str:
    """A line of a contact's history."""
    return _word(
        {
            "note": _t("Note"),
            "call": _t("Call"),
            "meeting": _t("Meeting"),
            "email": _t("Email"),
            "created": _t("Created"),
            "updated": _t("Updated"),
            "archived": _t("Archived"),
            "unarchived": _t("Unarchived"),
            "tagged": _t("Tagged"),
            "event_attended": _t("Event"),
            "referral_given": _t("Referral given"),
            "referral_received": _t("Referred"),
            "referral_status": _t("Referral status"),
            "referral_asked": _t("Asked for a referral"),
            "followup_added": _t("Follow-up"),
            "followup_done": _t("Follow-up done"),
            "followup_moved": _t("Follow-up moved"),
            "letter_printed": _t("Letter"),
            "voucher_issued": _t("Voucher"),
            "voucher_redeemed": _t("Voucher redeemed"),
            "voucher_voided": _t("Voucher voided"),
            "reward_given": _t("Reward"),
            "points_redeemed": _t("Points redeemed"),
            "email_sent": _t("E-mail sent"),
            "card_printed": _t("Card"),
        },
        code,
    )


def followup_kind(code: str) -> str:
    return _word(
        {
            "call": _t("Call"),
            "email": _t("Email"),
            "meeting": _t("Meeting"),
            "thank_you": _t("Thank-you"),
            "ask_referral": _t("Ask for a referral"),
            "birthday": _t("Birthday"),
            "stay_in_touch": _t("Stay in touch"),
            "campaign": _t("Voucher campaign"),
        },
        code,
    )


def event_kind(code: str) -> str:
    return _word(
        {
            "chamber_of_commerce": _t("Chamber of commerce"),
            "business_association": _t("Business association"),
            "chapter_meeting": _t("Chapter meeting"),
            "conference": _t("Conference"),
            "mixer": _t("Mixer"),
            "one_to_one": _t("One-to-one"),
        },
        code,
    )


def role(code: str) -> str:
    """An attendance role."""
    return _word(
        {
            "member": _t("Member"),
            "visitor": _t("Visitor"),
            "host": _t("Host"),
            "speaker": _t("Speaker"),
        },
        code,
    )


def voucher_status(code: str) -> str:
    return _word(
        {
            "issued": _t("Issued"),
            "redeemed": _t("Redeemed"),
            "void": _t("Void"),
            "expired": _t("Expired"),
        },
        code,
    )


def reward_kind(code: str) -> str:
    return _word(
        {
            "thank_you_letter": _t("Thank-you letter"),
            "gift": _t("Gift"),
            "discount": _t("Discount"),
            "cash": _t("Cash"),
            "points": _t("Points"),
            "voucher": _t("Voucher"),
            "donation": _t("Donation"),
        },
        code,
    )


def reward_status(code: str) -> str:
    return _word({"pending": _t("Pending"), "given": _t("Given")}, code)


def temperature(value: int) -> str:
    """How warm an introduction was, 1 to 5."""
    words = {
        1: _t("cold"),
        2: _t("cool"),
        3: _t("warm"),
        4: _t("hot"),
        5: _t("very hot"),
    }
    return words.get(value, str(value))


def period(key: str) -> str:
    """A campaign period's key ("2026-Q4", "2026-12", "2026") in the interface language:
    "4ο τρίμηνο 2026", "dicembre 2026"; English keeps the key's own short form."""
    from PySide6.QtCore import QDate, QLocale

    if len(key) == 7 and key[4:6] == "-Q" and key[:4].isdigit():
        # %1 the quarter's number, %2 the year.
        return _t("%2-Q%1").replace("%1", key[6]).replace("%2", key[:4])
    monthly = len(key) == 7 and key[4] == "-" and key[:4].isdigit() and key[5:].isdigit()
    if monthly and QDate(int(key[:4]), int(key[5:]), 1).isValid():
        # The month's own name ("Δεκέμβριος 2026"), not the genitive of a date.
        return f"{QLocale().standaloneMonthName(int(key[5:]))} {key[:4]}"
    return key
