"""The merge journal: raw rows as plain values, and writes that remember how to take them back."""

from __future__ import annotations

from typing import Any

from crm.core import models, users

db = models.database_proxy


def name(row: dict[str, Any]) -> str:
    """A contact row's name."""
    return " ".join(p for p in (row.get("given_name"), row.get("family_name")) if p)


def rows(table: str, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute_sql(models.placeholders(f"SELECT * FROM {table} WHERE {where}"), params)
    names = [d[0] for d in cursor.description]
    return [
        {n: models.plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()
    ]


def key(table: str, row: dict[str, Any]) -> dict[str, Any]:
    if table == "contact_tag":
        return {"contact_id": row["contact_id"], "tag_id": row["tag_id"]}
    return {"id": row["id"]}


def where(key: dict[str, Any]) -> tuple[str, list[Any]]:
    return " AND ".join(f"{k} = ?" for k in key), list(key.values())


class Journal:
    """Writes rows and remembers how to take each write back."""

    def __init__(self) -> None:
        self.ops: list[dict[str, Any]] = []
        self.now = models.now().isoformat(sep=" ")

    def update(self, table: str, row: dict[str, Any], **values: Any) -> None:
        """Set ``values`` on ``row`` (a dict as :func:`rows` gives, updated in place)."""
        changed = {k: models.plain(v) for k, v in values.items() if row[k] != models.plain(v)}
        if not changed:
            return
        if "updated_at" in row:
            changed["updated_at"] = self.now
        if "version" in row:  # a colleague's editor open on this row must not save over it
            changed.update(
                version=int(row["version"]) + 1, changed_by=users.current(), changed_at=self.now
            )
        before = {k: row[k] for k in changed}
        row_key = key(table, row)
        clause, params = where(row_key)
        sets = ", ".join(f"{k} = ?" for k in changed)
        db.execute_sql(
            models.placeholders(f"UPDATE {table} SET {sets} WHERE {clause}"),
            [*changed.values(), *params],
        )
        row.update(changed)
        self.ops.append(
            {"op": "update", "table": table, "key": row_key, "before": before, "after": changed}
        )

    def delete(self, table: str, row: dict[str, Any]) -> None:
        clause, params = where(key(table, row))
        db.execute_sql(models.placeholders(f"DELETE FROM {table} WHERE {clause}"), params)
        self.ops.append({"op": "delete", "table": table, "row": dict(row)})

    def insert(self, table: str, row: dict[str, Any]) -> None:
        """Insert a row whose key is given (contact_tag links: no id)."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        db.execute_sql(
            models.placeholders(f"INSERT INTO {table} ({cols}) VALUES ({marks})"),
            list(row.values()),
        )
        self.ops.append({"op": "insert", "table": table, "row": dict(row)})
