"""The merge journal's table (schema 2), re-exported by :mod:`crm.core.models`.

Kept apart so that ``models`` stays under its size limit; import it from ``models``.
"""

from __future__ import annotations

from peewee import AutoField, DateTimeField, IntegerField, Model, TextField

from crm.core.models import database_proxy, now


class MergeRecord(Model):
    """One merge of two contacts, with what it needs to be undone (schema 2).

    ``snapshot`` is JSON written by crm.core.merging: the removed contact's row
    and its child rows, and the kept contact's fields before the merge.
    """

    id = AutoField()
    kept_id = IntegerField(index=True)
    removed_id = IntegerField()
    merged_at = DateTimeField(default=now)
    undone_at = DateTimeField(null=True)
    snapshot = TextField()

    class Meta:
        database = database_proxy
        legacy_table_names = False
