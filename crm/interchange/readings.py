"""Both readings of a short file whose encoding was a close call, so that a person can choose.

crm.interchange.sniff picks the code page whose decoded text is most plausible
and names the runner-up when the two are close (:func:`sniff.alternative`; the
CLI prints it as a warning). :func:`close_readings` reads the file in each of
the two and returns a few names from each reading: the import wizard shows them
side by side and reads the file again in the one the user picks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm.core.errors import ValidationError
from crm.interchange import sniff
from crm.interchange.records import Incoming

SAMPLES = 5  # names shown from each reading


@dataclass(frozen=True, slots=True)
class Reading:
    """The file read in ``encoding``: the first few names it gives."""

    encoding: str
    names: tuple[str, ...]


def sample_name(record: Incoming) -> str:
    """What a person would look at to see whether a record reads right."""
    name = " ".join(p for p in (record.given_name, record.family_name) if p)
    name = name or record.full_name or record.organization
    if not name and record.emails:
        name = record.emails[0].value
    return " ".join(name.split())


def close_readings(path: str | Path, fmt: str = "auto", limit: int = SAMPLES) -> list[Reading]:
    """The detected reading and the close runner-up, best first; [] when the call was not close.

    Only short 8-bit files can be close calls (longer ones are judged by their
    statistics, Unicode ones need no choosing).
    """
    from crm.interchange import importer

    where = Path(path)
    try:
        if where.stat().st_size > sniff.SHORT_BYTES:
            return []
        data = where.read_bytes()
    except OSError:
        return []
    other = sniff.alternative(data)
    if not other:
        return []
    best = sniff.guess_code_page(data)[1]
    readings: list[Reading] = []
    for encoding in (best, other):
        try:
            source = importer.load(where, fmt, encoding)
        except ValidationError:
            return []  # one of them does not even read: nothing to choose between
        names = [n for n in (sample_name(r) for r in source.records) if n]
        readings.append(Reading(encoding, tuple(names[:limit])))
    return readings
