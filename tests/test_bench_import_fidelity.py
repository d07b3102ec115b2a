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


def test_the_benchmark_reads_values_without_our_reader_and_finds_them_in_their_contact():
    bench = _bench()
    (values,) = [r for r in bench.measure(FIXTURES) if r.path.name == "values.vcf"]
    (card, old) = values.cards
    # Quoted-printable, a tel: URI with its extension, a display-name email, two addresses.
    assert card.name == "Παπά Νίκος" and card.emails == ['"Omega" <omega@example.com>']
    assert card.phones == ["tel:+1-418-656-9254;ext=102", "200"]
    assert card.values["notes"] == ["first line\r\nsecond line"]
    assert card.values["organizations"] == ["Alpha", "Beta"]
    assert old.values["birthdays"] == ["circa 1800"]
    present = {kind: values.present[kind] for kind in bench.KINDS}
    assert present == dict(emails=1, phones=2, birthdays=1, addresses=2, notes=1, organizations=2)
    assert values.stored == values.present and values.missing == []
    assert (values.with_identity, values.identity_imported, values.lost) == (2, 2, [])


def test_a_value_the_contact_does_not_hold_is_listed_with_its_line(tmp_path):
    bench = _bench()
    card = bench.Card(7, name="Ann", has_identity=True)
    card.values["phones"].append("+39 333 765 4321")
    result = bench.FileResult(tmp_path / "x.vcf", "x")
    bench._tally(result, card, None)  # a card that became no contact
    assert (result.present["phones"], result.stored["phones"]) == (1, 0)
    assert result.missing == ["line 7: phone '+39 333 765 4321'"]
