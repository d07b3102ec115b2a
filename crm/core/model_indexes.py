"""Indexes the models' own declarations cannot say: partial ones, and covering ones.

Kept apart from :mod:`crm.core.models`; the models re-export them.
"""

from __future__ import annotations

from peewee import SQL

# Covering index columns (schema 5); each replaced an index on its first columns.
GIVER_TALLY_COLUMNS = ("giver", "referred_on", "status", "currency", "value")
# A period's referrals come out of it grouped by day, currency and program (schema 10:
# the dashboard tallies them as they stream by, without sorting them).
PERIOD_COLUMNS = ("referred_on", "currency", "program", "status", "value", "referred", "event")
# The period index of schemas 7 to 9 (the same columns in another order), which it replaced.
OLD_PERIOD_INDEX = "referral_referred_on_referred_id_event_id_program_curren_8ec391d"
# Currency first: a period's cost per currency is read in index order, never sorted.
REWARD_COST_COLUMNS = ("currency", "created_at", "points", "amount")
# The name peewee gives the first (the dashboard names it to SQLite's planner).
GIVER_TALLY_INDEX = "referral_giver_id_referred_on_status_currency_value"

# One primary referrer per contact: the primary-referrer graph is a forest.
PRIMARY_REFERRAL_INDEXES = (
    SQL(
        "CREATE UNIQUE INDEX IF NOT EXISTS referral_one_primary "
        "ON referral (referred_id) WHERE is_primary"
    ),
    # Covering for the walk down a chain (crm.core.chain): each step reads the
    # referred contact, status and value from the index, never the table row.
    # is_primary is a column too, so SQLite knows the index answers it.
    SQL(
        "CREATE INDEX IF NOT EXISTS referral_primary_tree "
        "ON referral (giver_id, referred_id, status, value, is_primary) WHERE is_primary"
    ),
)

# Names by id, covering: joining names to thousands of ids (a chain) reads this
# small index instead of each contact's whole row.
CONTACT_NAMES_INDEX = "contact_names"
CONTACT_NAMES_INDEX_SQL = SQL(
    f"CREATE INDEX IF NOT EXISTS {CONTACT_NAMES_INDEX} ON contact (id, given_name, family_name)"
)

# A period's referrals at an event (schema 10): the few of them the dashboard tallies per
# event, read without walking all the period's referrals.
EVENT_PERIOD_INDEX = "referral_event_period"
EVENT_PERIOD_INDEX_SQL = SQL(
    f"CREATE INDEX IF NOT EXISTS {EVENT_PERIOD_INDEX} "
    "ON referral (referred_on, event_id, currency, status, value) WHERE event_id IS NOT NULL"
)
