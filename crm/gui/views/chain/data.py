"""A contact's chain read once, as plain values the tree and the graph both show.

Built on a worker thread (plain values only) by :func:`load_chain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.core import chain, contacts, settings


@dataclass
class ChainData:
    """A contact's chain, grouped once: everything the tree and the graph show."""

    root_id: int
    name: str
    root_status: str | None  # status of the referral that brought the contact, if any
    ancestors: list[chain.Ancestor]  # nearest first
    info: dict[int, chain.Descendant]
    children: dict[int, list[chain.Descendant]]  # parent id -> children, biggest branch first
    totals: dict[int, dict[str, float]]
    currency: str
    row_in_parent: dict[int, int] = field(default_factory=dict)

    @property
    def descendant_count(self) -> int:
        return len(self.info)

    @property
    def won_total(self) -> float:
        return self.totals.get(self.root_id, {}).get("won_value", 0.0)

    @property
    def max_depth(self) -> int:
        return max((d.depth for d in self.info.values()), default=0)

    @property
    def empty(self) -> bool:
        return not self.ancestors and not self.info

    def kids(self, contact_id: int) -> list[chain.Descendant]:
        return self.children.get(contact_id, [])

    def branch(self, contact_id: int) -> tuple[int, float]:
        """How many came through a contact, and the won value of that branch."""
        entry = self.totals.get(contact_id, {"count": 0, "won_value": 0.0})
        return int(entry["count"]), float(entry["won_value"])


def load_chain(contact_id: int) -> ChainData:
    """Read a contact's chain: one query up and down, grouped in one pass."""
    contact = contacts.get_contact(contact_id)
    status = chain.arrival_status(contact_id)
    ups, downs = chain.walk(contact_id)
    totals = chain.branch_totals(contact_id, downs)
    children = chain.children_by_parent(downs, totals)
    row_in_parent = {n.id: i for kids in children.values() for i, n in enumerate(kids)}
    return ChainData(
        root_id=contact_id,
        name=contact.display_name,
        root_status=status,
        ancestors=ups,
        info={d.id: d for d in downs},
        children=children,
        totals=totals,
        currency=settings.profile().currency,
        row_in_parent=row_in_parent,
    )
