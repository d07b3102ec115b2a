"""The tables of recurring voucher campaigns (schema 3), re-exported by :mod:`crm.core.models`.

Kept apart so that ``models`` stays readable; import them from ``models``.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
)

from crm.core.models import BaseModel, FollowUp, now


class Campaign(BaseModel):
    """A recurring voucher campaign (schema 3): every period, vouchers for the top N clients.

    ``name_folded`` keeps names unique whatever their case; ``consent_only``
    picks only clients who agreed to marketing (the default, and the rule).
    """

    id = AutoField()
    name = CharField(max_length=48)
    name_folded = CharField(max_length=48, unique=True)
    every = CharField(max_length=8, default="quarter")
    top_n = IntegerField()
    value = DecimalField(max_digits=14, decimal_places=2, auto_round=True)
    currency = CharField(max_length=3, default="EUR")
    valid_days = IntegerField()
    consent_only = BooleanField(default=True)
    active = BooleanField(default=True)


class CampaignRun(BaseModel):
    """One batch a campaign issued for a period (``2026-Q4``, ``2026-12``, ``2026``).

    The vouchers are those of ``batch``; a second run in one period is ``forced``.
    """

    id = AutoField()
    campaign_id: int
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", backref="runs")
    period = CharField(max_length=8)
    batch = CharField(max_length=60, unique=True)
    issued_at = DateTimeField(default=now)
    forced = BooleanField(default=False)
    holders = IntegerField(default=0)
    left_out = IntegerField(default=0)

    class Meta:
        indexes = ((("campaign", "period"), False),)


class CampaignReminder(BaseModel):
    """The follow-up that reminds of a campaign's period: at most one per campaign and period."""

    id = AutoField()
    campaign_id: int
    followup_id: int
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", backref="reminders")
    period = CharField(max_length=8)
    followup = ForeignKeyField(FollowUp, on_delete="CASCADE", backref="campaign_reminders")

    class Meta:
        indexes = ((("campaign", "period"), True), (("followup",), False))
