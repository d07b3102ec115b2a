"""The import-fidelity benchmark's core runs on two small files, so that the script does not rot."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "fidelity"
SCRIPT = Path(__file__).parent / "perf" / "bench_import_fidelity.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_import_fidelity", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_counts_cards_contacts_values_and_losses():
    bench = _bench()
    results = bench.measure(FIXTURES)
    by_name = {r.path.name: r for r in results}
    cards = by_name["cards.vcf"]
    assert len(cards.cards) == 3 and cards.with_identity == 2
    assert cards.imported == 2 and cards.matched == 0
    assert (cards.emails, cards.emails_kept, cards.phones, cards.phones_kept) == (1, 1, 2, 2)
    assert len(cards.lost) == 1 and "line 13" in cards.lost[0]  # the card with only a note
    assert sum(cards.warnings.values()) == 1  # the phone "12", kept in the notes
    people = by_name["people.csv"]
    assert len(people.cards) == 2 and people.imported == 2 and people.lost == []
    assert (people.emails_kept, people.phones_kept) == (2, 1)
    out = io.StringIO()
    # The one card lost holds only a note: nothing to import, so the target is met.
    assert bench.print_report(results, out) is True
    text = out.getvalue()
    assert "TOTAL" in text and "merges of records whose names differ: 0" in text
