"""What an import did or would do: counts of every kind, and a bounded list of the records.

A file of a million records must not leave a million outcomes in memory: a
:class:`Tally` counts every record and keeps the outcomes of the first
:data:`ROW_LIMIT` ones, then those of rejected records, up to
:data:`MESSAGE_LIMIT` of them, and the first :data:`MESSAGE_LIMIT` warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm.interchange.matching import RowOutcome, Target
from crm.interchange.records import FieldWarning

ROW_LIMIT = 1000  # outcomes kept of the first records, whatever they are
MESSAGE_LIMIT = 1000  # rejected records and warnings kept
ID_LIMIT = 10_000  # ids of contacts made or changed kept


@dataclass(slots=True)
class ImportPlan:
    """What importing would do: every count, and the outcomes kept, in file order."""

    rows: list[RowOutcome]
    warnings: list[FieldWarning] = field(default_factory=list)  # of the records kept
    counts: dict[str, int] = field(default_factory=dict)  # per action; from rows if empty
    warning_count: int = -1  # every warning; len(warnings) if -1

    def count(self, action: str) -> int:
        if self.counts:
            return self.counts.get(action, 0)
        return sum(1 for r in self.rows if r.action == action)

    row_limit = ROW_LIMIT  # the list holds the outcomes of this many first records

    @property
    def total(self) -> int:
        """How many records the file has."""
        return sum(self.counts.values()) if self.counts else len(self.rows)

    @property
    def warnings_total(self) -> int:
        return len(self.warnings) if self.warning_count < 0 else self.warning_count

    @property
    def rejected(self) -> list[tuple[int, str]]:
        return [(r.line, r.reason) for r in self.rows if r.action == "reject"]


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts of records, the rejected ones, and the warnings.

    ``imported`` records made new contacts; ``updated`` ones added something to a
    contact (a stored one, or one made from an earlier record of the same file);
    ``skipped`` ones had nothing to add. ``refused``: a strict import found
    warnings and wrote nothing. ``rejected``, ``warnings``, ``rows`` and the ids
    are bounded lists (see crm.interchange.reports); ``rejected_count`` and
    ``warning_count`` count them all.
    """

    imported: int
    updated: int
    skipped: int
    rejected: list[tuple[int, str]]
    dry_run: bool = False
    rows: list[RowOutcome] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # contacts created
    updated_ids: list[int] = field(default_factory=list)  # stored contacts changed
    warnings: list[FieldWarning] = field(default_factory=list)
    refused: bool = False
    rejected_count: int = -1  # len(rejected) if -1
    warning_count: int = -1  # len(warnings) if -1

    def __post_init__(self) -> None:
        if self.rejected_count < 0:
            self.rejected_count = len(self.rejected)
        if self.warning_count < 0:
            self.warning_count = len(self.warnings)

    @property
    def contacts(self) -> int:
        """How many records of the file found a contact (new, matched or duplicate)."""
        return self.imported + self.updated + self.skipped

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
            "rejected_count": self.rejected_count,
            "warnings": [w.to_json() for w in self.warnings],
            "warning_count": self.warning_count,
            "dry_run": self.dry_run,
            "refused": self.refused,
        }


class Tally:
    """Counts every outcome of an import and keeps a bounded list of them."""

    def __init__(self) -> None:
        self.counts = {"new": 0, "update": 0, "skip": 0, "reject": 0}
        self.rows: list[RowOutcome] = []
        self.rejected: list[tuple[int, str]] = []
        self.warnings: list[FieldWarning] = []
        self.warning_count = 0
        self.new_ids: list[int] = []
        self.updated_ids: list[int] = []
        self.pending: list[tuple[RowOutcome, Target]] = []  # kept outcomes of this chunk

    def add(self, outcome: RowOutcome, target: Target | None, warnings: list[FieldWarning]) -> None:
        self.counts[outcome.action] += 1
        reject = outcome.action == "reject"
        if reject and len(self.rejected) < MESSAGE_LIMIT:
            self.rejected.append((outcome.line, outcome.reason))
        if len(self.rows) < ROW_LIMIT or (reject and len(self.rejected) < MESSAGE_LIMIT):
            self.rows.append(outcome)
            if target is not None:
                self.pending.append((outcome, target))
        self.warning_count += len(warnings)
        room = MESSAGE_LIMIT - len(self.warnings)
        if room > 0:
            self.warnings.extend(warnings[:room])

    def written(
        self, new_ids: list[int], updated_ids: list[int], made_here: Any, plan: bool
    ) -> None:
        """A chunk was written: the kept outcomes get their contacts' ids."""
        for outcome, target in self.pending:
            cid = target.contact_id
            # A plan names only contacts that exist before the import.
            outcome.contact_id = None if plan and made_here(cid) else cid
        self.pending.clear()
        self.new_ids += new_ids[: max(0, ID_LIMIT - len(self.new_ids))]
        self.updated_ids += updated_ids[: max(0, ID_LIMIT - len(self.updated_ids))]

    def plan(self) -> ImportPlan:
        return ImportPlan(self.rows, self.warnings, dict(self.counts), self.warning_count)

    def report(self, dry_run: bool = False, refused: bool = False) -> ImportReport:
        return ImportReport(
            self.counts["new"],
            self.counts["update"],
            self.counts["skip"],
            self.rejected,
            dry_run=dry_run,
            rows=self.rows,
            new_ids=[] if dry_run else self.new_ids,
            updated_ids=[] if dry_run else self.updated_ids,
            warnings=self.warnings,
            refused=refused,
            rejected_count=self.counts["reject"],
            warning_count=self.warning_count,
        )
