"""A file's records for the import engine, never all in memory at once.

The engine (crm.interchange.importer) passes over the records twice and holds
only a chunk of them. :class:`Records` reads a CSV file afresh on each pass;
:class:`Spool` keeps cards that are slow to parse (vCard: ~0.5 ms each) in a
temporary file, pickled a batch at a time, and reads them back on each pass.
Both give ``len()`` and iteration, as a list does: the engine takes any of them.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from crm.interchange.records import Incoming

BATCH = 500  # records pickled together


class Counted(Protocol):
    """Records to import: a list, :class:`Records` or :class:`Spool`."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Incoming]: ...


class Records:
    """A file's records, read from the file afresh on each pass, one at a time."""

    def __init__(self, read: Callable[[], Iterator[Incoming]], count: int) -> None:
        self._read = read
        self._count = count

    def __iter__(self) -> Iterator[Incoming]:
        return self._read()

    def __len__(self) -> int:
        return self._count


class Spool:
    """Records parsed once and kept in a temporary file (deleted when this is)."""

    def __init__(self, records: Iterable[Incoming]) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as this object)
        self._offsets: list[int] = []
        self._count = 0
        batch: list[Incoming] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH:
                self._dump(batch)
                batch = []
        if batch:
            self._dump(batch)

    def _dump(self, batch: list[Incoming]) -> None:
        self._offsets.append(self._file.tell())
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += len(batch)

    def __iter__(self) -> Iterator[Incoming]:
        # Each pass seeks its own batches: two passes may be open at once.
        for offset in self._offsets:
            self._file.seek(offset)
            yield from pickle.load(self._file)  # our own file, written above

    def __len__(self) -> int:
        return self._count
