"""The domain model: one peewee model per noun of the referral CRM.

Models bind to ``database_proxy``; :mod:`crm.core.db` initialises it when a
database is opened (or, for one opened before this module was imported, when
it is). Vocabulary lists (stages, statuses, kinds) are plain tuples of codes in
:mod:`crm.core.vocabulary`, named here too: the GUI words them, the core stores
the codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from crm.core import clock, users, vocabulary
from crm.core import db as _db
from crm.core.model_indexes import CONTACT_NAMES_INDEX as CONTACT_NAMES_INDEX
from crm.core.model_indexes import CONTACT_NAMES_INDEX_SQL as CONTACT_NAMES_INDEX_SQL
from crm.core.model_indexes import GIVER_TALLY_COLUMNS, PERIOD_COLUMNS, REWARD_COST_COLUMNS
from crm.core.model_indexes import GIVER_TALLY_INDEX as GIVER_TALLY_INDEX
from crm.core.model_indexes import PRIMARY_REFERRAL_INDEXES as PRIMARY_REFERRAL_INDEXES
from crm.core.values import as_date as as_date
from crm.core.values import plain as plain
from crm.core.values import put as put
from crm.core.values import rows as rows

database_proxy: DatabaseProxy = DatabaseProxy()
# A database opened before this module was first imported (the desktop app
# paints its first page over plain sqlite3, before peewee is loaded) binds now.
_db.bind_pending(database_proxy)

# -- vocabularies ------------------------------------------------------------
# The codes live in crm.core.vocabulary (no peewee there); named here as before.

CHANNELS = vocabulary.CHANNELS
STAGES = vocabulary.STAGES
LANGUAGES = vocabulary.LANGUAGES
ORGANIZATION_KINDS = vocabulary.ORGANIZATION_KINDS
EVENT_KINDS = vocabulary.EVENT_KINDS
ATTENDANCE_ROLES = vocabulary.ATTENDANCE_ROLES
PROGRAMS = vocabulary.PROGRAMS
REFERRAL_STATUSES = vocabulary.REFERRAL_STATUSES
OPEN_STATUSES = vocabulary.OPEN_STATUSES
CLOSED_STATUSES = vocabulary.CLOSED_STATUSES
FOLLOWUP_KINDS = vocabulary.FOLLOWUP_KINDS
REWARD_KINDS = vocabulary.REWARD_KINDS
REWARD_STATUSES = vocabulary.REWARD_STATUSES
VOUCHER_STATUSES = vocabulary.VOUCHER_STATUSES
INTERACTION_KINDS = vocabulary.INTERACTION_KINDS
TOUCH_KINDS = vocabulary.TOUCH_KINDS
TEMPLATE_KINDS = vocabulary.TEMPLATE_KINDS
PAGE_SIZES = vocabulary.PAGE_SIZES


def placeholders(sql: str) -> str:
    """Raw SQL written with ``?`` placeholders, in the open database's own style."""
    return sql.replace("?", database_proxy.param)


def now() -> dt.datetime:
    """The current local time, to the second (what history lines show)."""
    return clock.now().replace(microsecond=0)


class BaseModel(Model):
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        database = database_proxy
        legacy_table_names = False

    def save(self, *args: Any, **kwargs: Any) -> int:
        self.updated_at = now()
        return int(super().save(*args, **kwargs))


def _user_column(default: Any = "") -> CharField:
    """Who made or changed a row ("" for rows from before names were kept; schema 3)."""
    return CharField(max_length=users.MAX_LENGTH, default=default, constraints=[SQL("DEFAULT ''")])


class VersionedModel(BaseModel):
    """A record colleagues edit: each save counts ``version`` up (see crm.core.versions)."""

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    changed_by = _user_column()
    changed_at = DateTimeField(null=True)

    def save(self, *args: Any, **kwargs: Any) -> int:
        self.changed_by, self.changed_at = users.current(), now()
        if kwargs.get("force_insert") or self.get_id() is None:
            return super().save(*args, **kwargs)
        read = int(self.version or 1)
        # Counted in SQL: a save never writes back a version read before someone else's.
        self.version = type(self).version + 1  # type: ignore[assignment]
        try:
            return super().save(*args, **kwargs)
        finally:
            self.version = read + 1


class Organization(BaseModel):
    id = AutoField()
    name = CharField(max_length=200)
    name_folded = CharField(max_length=200, index=True)
    kind = CharField(max_length=32, default="company")
    website = CharField(max_length=300, default="")
    city = CharField(max_length=120, default="")
    notes = TextField(default="")


class Contact(VersionedModel):
    id = AutoField()
    organization_id: int | None
    given_name = CharField(max_length=120, default="")
    family_name = CharField(max_length=120, default="")
    organization = ForeignKeyField(
        Organization, null=True, on_delete="SET NULL", backref="contacts"
    )
    title = CharField(max_length=120, default="")
    # The first email and phone, kept here so a table page needs no join.
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=32, default="")
    street = CharField(max_length=200, default="")
    city = CharField(max_length=120, default="")
    postcode = CharField(max_length=20, default="")
    region = CharField(max_length=120, default="")
    country = CharField(max_length=2, default="")  # ISO 3166-1 alpha-2
    language = CharField(max_length=8, default="en")
    # ISO date, or "--MM-DD" when the year is unknown (as vCard writes it).
    birthday = CharField(max_length=10, null=True)
    channel = CharField(max_length=20, default="other")
    stage = CharField(max_length=20, default="prospect")
    marketing_consent = BooleanField(default=False)
    consent_date = DateField(null=True)
    notes = TextField(default="")
    archived = BooleanField(default=False)
    last_asked_for_referral = DateField(null=True)
    stay_in_touch_days = IntegerField(null=True)
    # Schema 2: a web or profile address (LinkedIn, a vCard's URL), and when the
    # person was erased on request (their row stays, anonymous, for statistics).
    # DEFAULT in the DDL too, as the upgrade's ALTER TABLE writes it, so raw
    # inserts that name older columns only work on new and upgraded files alike.
    url = CharField(max_length=300, default="", constraints=[SQL("DEFAULT ''")])
    erased_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("archived", "family_name", "given_name"), False),
            (("organization",), False),
            (("stage",), False),
            (("channel",), False),
            (("email",), False),
            (("phone",), False),
        )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class ContactEmail(BaseModel):
    id = AutoField()
    contact_id: int
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="email_rows")
    address = CharField(max_length=254)
    label = CharField(max_length=40, default="")
    position = IntegerField(default=0)

    class Meta:
        table_name = "email_address"
        indexes = ((("address",), False), (("contact", "position"), False))


class ContactUid(BaseModel):
    """An id another program gave the contact (vCard UID, a CSV id column): re-imports find it."""

    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="uid_rows")
    uid = CharField(max_length=255, index=True)

    class Meta:
        table_name = "contact_uid"


class ContactPhone(BaseModel):
    id = AutoField()
    contact_id: int
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="phone_rows")
    number = CharField(max_length=32)  # E.164 when it could be parsed
    original = CharField(max_length=64)  # as the user typed it, for display
    label = CharField(max_length=40, default="")
    position = IntegerField(default=0)

    class Meta:
        table_name = "phone_number"
        indexes = ((("number",), False), (("contact", "position"), False))


class Tag(BaseModel):
    id = AutoField()
    name = CharField(max_length=80)
    # Folded name: "VIP" and "vip" are one tag, whoever typed it first names it.
    folded = CharField(max_length=80, unique=True)


class ContactTag(Model):
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="tag_links")
    tag = ForeignKeyField(Tag, on_delete="CASCADE", backref="contact_links")

    class Meta:
        database = database_proxy
        legacy_table_names = False
        primary_key = CompositeKey("contact", "tag")
        indexes = ((("tag", "contact"), False),)


class Event(BaseModel):
    id = AutoField()
    title = CharField(max_length=200)
    kind = CharField(max_length=32, default="mixer")
    starts_at = DateTimeField(index=True)
    venue = CharField(max_length=200, default="")
    city = CharField(max_length=120, default="")
    organizer = CharField(max_length=200, default="")
    notes = TextField(default="")


class Attendance(BaseModel):
    id = AutoField()
    event_id: int
    contact_id: int
    event = ForeignKeyField(Event, on_delete="CASCADE", backref="attendances")
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="attendances")
    role = CharField(max_length=16, default="visitor")
    met_in_person = BooleanField(default=False)

    class Meta:
        indexes = ((("event", "contact"), True), (("contact",), False))


class Referral(VersionedModel):
    id = AutoField()
    giver_id: int
    referred_id: int
    receiver_id: int | None
    event_id: int | None
    giver = ForeignKeyField(Contact, on_delete="CASCADE", backref="referrals_given")
    referred = ForeignKeyField(Contact, on_delete="CASCADE", backref="referrals_received")
    # The person the referral was passed to when it is not us (BNI "outside").
    receiver = ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="referrals_passed")
    referred_on = DateField(default=clock.today)
    event = ForeignKeyField(Event, null=True, on_delete="SET NULL", backref="referrals")
    program = CharField(max_length=16, default="direct")
    temperature = IntegerField(default=3)
    status = CharField(max_length=16, default="new")
    status_changed_at = DateTimeField(default=now)
    value = DecimalField(max_digits=14, decimal_places=2, null=True, auto_round=True)
    currency = CharField(max_length=3, default="EUR")
    is_primary = BooleanField(default=False)
    # Why this referral looks like a self-referral ("" when it does not).
    suspicion = CharField(max_length=200, default="")
    notes = TextField(default="")
    created_by = _user_column(users.current)  # schema 3

    class Meta:
        # The two widest are covering for the dashboard (crm.core.stats): a period's
        # referrals with what they are grouped and summed by, and each giver's.
        indexes = (
            (GIVER_TALLY_COLUMNS, False),
            (("referred",), False),
            (("status", "referred_on"), False),
            (("event",), False),
            (PERIOD_COLUMNS, False),
        )


class ReferralStatusChange(Model):
    id = AutoField()
    referral = ForeignKeyField(Referral, on_delete="CASCADE", backref="status_changes")
    from_status = CharField(max_length=16, null=True)
    to_status = CharField(max_length=16)
    changed_at = DateTimeField(default=now)

    class Meta:
        database = database_proxy
        legacy_table_names = False
        indexes = ((("referral", "changed_at"), False),)


class FollowUp(VersionedModel):
    id = AutoField()
    contact_id: int
    referral_id: int | None
    event_id: int | None
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="followups")
    referral = ForeignKeyField(Referral, null=True, on_delete="CASCADE", backref="followups")
    event = ForeignKeyField(Event, null=True, on_delete="SET NULL", backref="followups")
    kind = CharField(max_length=16, default="call")
    title = CharField(max_length=200, default="")
    notes = TextField(default="")
    due = DateField()
    done_at = DateTimeField(null=True)
    snoozed_until = DateField(null=True)
    # Which rule made it ("" for one the user added): referral, met, birthday...
    rule = CharField(max_length=24, default="")
    # Schema 3: who added it, and the colleague it is for ("" for nobody in particular).
    created_by = _user_column(users.current)
    assigned_to = _user_column()
    # Schema 8: a rule's title as a code with parameters (crm.core.rule_lines).
    message = TextField(null=True)

    class Meta:
        indexes = (
            (("done_at", "due"), False),
            (("contact", "due"), False),
            (("rule", "contact", "due"), False),
            (("assigned_to", "done_at"), False),
        )


class Reward(BaseModel):
    id = AutoField()
    referral_id: int | None
    contact_id: int
    referral = ForeignKeyField(Referral, null=True, on_delete="SET NULL", backref="rewards")
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="rewards")
    kind = CharField(max_length=20, default="thank_you_letter")
    amount = DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"), auto_round=True)
    currency = CharField(max_length=3, default="EUR")
    points = IntegerField(default=0)
    status = CharField(max_length=10, default="pending")
    given_at = DateTimeField(null=True)
    notes = TextField(default="")
    created_by = _user_column(users.current)  # schema 3

    class Meta:
        indexes = (
            (("contact", "status"), False),
            (("status",), False),
            (REWARD_COST_COLUMNS, False),  # covering for the cost of a period
        )


class Voucher(BaseModel):
    id = AutoField()
    holder_id: int
    redeemed_by_id: int | None
    referral_id: int | None
    code = CharField(max_length=32, unique=True)
    batch = CharField(max_length=60, default="", index=True)
    holder = ForeignKeyField(Contact, on_delete="CASCADE", backref="vouchers")
    value = DecimalField(max_digits=14, decimal_places=2, auto_round=True)
    currency = CharField(max_length=3, default="EUR")
    expires = DateField()
    status = CharField(max_length=10, default="issued")
    printed_at = DateTimeField(null=True)
    redeemed_at = DateTimeField(null=True)
    redeemed_by = ForeignKeyField(
        Contact, null=True, on_delete="SET NULL", backref="vouchers_redeemed"
    )
    referral = ForeignKeyField(Referral, null=True, on_delete="SET NULL", backref="vouchers")
    voided_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("holder",), False), (("status", "expires"), False))


class Interaction(Model):
    id = AutoField()
    contact_id: int
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="interactions")
    kind = CharField(max_length=24)
    happened_at = DateTimeField(default=now)
    summary = TextField(default="")
    referral = ForeignKeyField(Referral, null=True, on_delete="SET NULL")
    event = ForeignKeyField(Event, null=True, on_delete="SET NULL")
    voucher = ForeignKeyField(Voucher, null=True, on_delete="SET NULL")
    created_by = _user_column(users.current)  # schema 3
    # Schema 6: which e-mail a line records ("letter:12"), so a batch never sends twice.
    message_key = CharField(max_length=120, null=True)
    # Schema 8: a line the app wrote as a code with parameters (crm.core.rule_lines).
    message = TextField(null=True)

    class Meta:
        database = database_proxy
        legacy_table_names = False
        indexes = (
            (("contact", "happened_at"), False),
            (("kind", "happened_at"), False),
            (("message_key",), True),
        )


class Template(BaseModel):
    id = AutoField()
    kind = CharField(max_length=20)
    language = CharField(max_length=8)
    subject = CharField(max_length=200, default="")
    body = TextField(default="")

    class Meta:
        indexes = ((("kind", "language"), True),)


class Profile(BaseModel):
    """The sender: one row, id 1."""

    id = AutoField()
    name = CharField(max_length=200, default="")
    company = CharField(max_length=200, default="")
    street = CharField(max_length=200, default="")
    city = CharField(max_length=120, default="")
    postcode = CharField(max_length=20, default="")
    country = CharField(max_length=2, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=64, default="")
    logo_path = CharField(max_length=500, default="")
    signature_path = CharField(max_length=500, default="")
    currency = CharField(max_length=3, default="EUR")
    page_size = CharField(max_length=8, default="A4")
    default_region = CharField(max_length=2, default="")
    language = CharField(max_length=8, default="en")


class Setting(Model):
    """A key/value setting; known keys and their defaults live in settings.py."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class DbInfo(Model):
    """Facts about the database itself, such as its schema version."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
        table_name = "crm_meta"


# The merge journal and the campaign tables live in their own modules; named here like the rest.
from crm.core.campaign_models import Campaign as Campaign  # noqa: E402
from crm.core.campaign_models import CampaignReminder as CampaignReminder  # noqa: E402
from crm.core.campaign_models import CampaignRun as CampaignRun  # noqa: E402
from crm.core.merge_models import MergeRecord as MergeRecord  # noqa: E402

ALL_MODELS: tuple[type[Model], ...] = (
    DbInfo,
    Setting,
    Profile,
    Organization,
    Contact,
    ContactEmail,
    ContactPhone,
    ContactUid,
    Tag,
    ContactTag,
    Event,
    Attendance,
    Referral,
    ReferralStatusChange,
    FollowUp,
    Reward,
    Voucher,
    Campaign,
    CampaignRun,
    CampaignReminder,
    Interaction,
    Template,
    MergeRecord,
)

# The tables of the address book and its business, parents before children.
_NOT_RECORDS = (DbInfo, Setting, Profile, Template, MergeRecord)
RECORD_TABLES = tuple(m._meta.table_name for m in ALL_MODELS if m not in _NOT_RECORDS)
