"""The core's vocabularies: plain tuples of the codes it stores (stages, statuses, kinds).

The GUI words them (``crm.gui.labels``), the core stores the codes. Kept apart
from :mod:`crm.core.models` so that code needing only the words, such as the
desktop app's first paint, does not load peewee; ``models`` re-exports them.
"""

from __future__ import annotations

from crm.i18n import Word

CHANNELS = (
    "referral",
    "event",
    "social",
    "website",
    "press",
    "online_review",
    "influencer",
    "other",
)
STAGES = ("prospect", "lead", "customer", "ambassador", "inactive")
LANGUAGES = ("en", "el", "bg", "it", "ar")
ORGANIZATION_KINDS = ("company", "community_partner")
EVENT_KINDS = (
    "chamber_of_commerce",
    "business_association",
    "chapter_meeting",
    "conference",
    "mixer",
    "one_to_one",
)
ATTENDANCE_ROLES = ("member", "visitor", "host", "speaker")
PROGRAMS = ("direct", "implicit", "tangible", "community")
REFERRAL_STATUSES = ("new", "contacted", "meeting", "proposal", "won", "lost")
OPEN_STATUSES = ("new", "contacted", "meeting", "proposal")
CLOSED_STATUSES = ("won", "lost")
FOLLOWUP_KINDS = (
    "call",
    "email",
    "meeting",
    "thank_you",
    "ask_referral",
    "birthday",
    "stay_in_touch",
    "campaign",
)
REWARD_KINDS = ("thank_you_letter", "gift", "discount", "cash", "points", "voucher", "donation")
REWARD_STATUSES = ("pending", "given")
VOUCHER_STATUSES = ("issued", "redeemed", "void")
INTERACTION_KINDS = (
    "note",
    "call",
    "meeting",
    "email",
    "created",
    "updated",
    "archived",
    "unarchived",
    "tagged",
    "event_attended",
    "referral_given",
    "referral_received",
    "referral_status",
    "referral_asked",
    "followup_added",
    "followup_done",
    "followup_moved",
    "letter_printed",
    "voucher_issued",
    "voucher_redeemed",
    "voucher_voided",
    "reward_given",
    "points_redeemed",
    "email_sent",
    "card_printed",
)
# History lines that are something that happened with the person (being in
# touch), not bookkeeping such as "created" or "updated".
TOUCH_KINDS = (
    "note",
    "call",
    "meeting",
    "email",
    "event_attended",
    "referral_given",
    "referral_received",
    "referral_asked",
    "followup_done",
    "letter_printed",
    "voucher_issued",
    "voucher_redeemed",
    "reward_given",
    "email_sent",
    "card_printed",
)
TEMPLATE_KINDS = ("thank_you_letter", "voucher", "birthday", "voucher_email")
PAGE_SIZES = ("A4", "Letter")

# What a user records by hand in a contact's history (the rest are logged by the services).
USER_KINDS = ("note", "call", "meeting", "email")


# -- the codes' words in a sentence ---------------------------------------------------------
#
# A message that names a stored code ("Referral 12 is already won") passes its word, a
# :class:`crm.i18n.Word`, translated when the message is shown: "ήδη κερδισμένη", never
# the English code inside a Greek sentence. The GUI's column and menu labels (capitalised,
# standing alone) are crm.gui.labels.


def pgettext(context: str, word: str) -> Word:
    """``word`` marked for the catalog with its context (the name is pybabel's keyword
    ``pgettext:1c,2``) and translated only when a message is shown."""
    return Word(context, word)


REFERRAL_STATUS_WORDS = {
    "new": pgettext("referral status", "new"),
    "contacted": pgettext("referral status", "contacted"),
    "meeting": pgettext("referral status", "meeting"),
    "proposal": pgettext("referral status", "proposal"),
    "won": pgettext("referral status", "won"),
    "lost": pgettext("referral status", "lost"),
}
ARCHIVED_WORDS = {
    True: pgettext("contact state", "archived"),
    False: pgettext("contact state", "not archived"),
}
REFERRER_ROLE_WORDS = {
    "referrer": pgettext("referrer role", "the referrer"),
    "primary": pgettext("referrer role", "the primary referrer"),
}


def referral_status_word(code: str) -> Word | str:
    """The status's word for a sentence (an unknown code stays as it is: it is data)."""
    return REFERRAL_STATUS_WORDS.get(code, code)
