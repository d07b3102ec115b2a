"""A real address book comes in whole: a bad line costs that line, never the card."""

from __future__ import annotations

from pathlib import Path

from crm.interchange import importer, vcard
from crm.interchange.records import FieldWarning, Labelled


def card(*lines: str, version: str = "3.0") -> bytes:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]).encode()


def test_a_line_vobject_cannot_parse_is_left_out_with_a_warning_and_the_card_kept():
    data = card("FN:Ugo Neri", 'N;X="a"b:Neri;Ugo', "EMAIL:ugo@example.it", "TEL;=x:123")
    (record,) = vcard.read(data)
    assert (record.full_name, record.emails, record.problems) == (
        "Ugo Neri",
        [Labelled("ugo@example.it")],
        [],
    )
    assert record.warnings == [
        FieldWarning(4, "line", 'N;X="a"b:Neri;Ugo', "not a readable vCard property: left out"),
        FieldWarning(6, "line", "TEL;=x:123", "not a readable vCard property: left out"),
    ]


def test_a_line_that_is_no_property_at_all_is_a_warning():
    (record,) = vcard.read(card("N:Neri;Ugo", "just some words", "TITLE:Boss"))
    assert (record.family_name, record.title, record.problems) == ("Neri", "Boss", [])
    assert [(w.line, w.value) for w in record.warnings] == [(4, "just some words")]


def test_stray_lines_before_the_first_card_still_make_a_vcard_file(tmp_path: Path):
    data = b"Exported by PhoneSync 2.3\r\n2026-12-01\r\n\r\n" + card("N:Neri;Ugo")
    path = tmp_path / "phone.vcf"
    path.write_bytes(data)
    assert vcard.looks_like_vcard(data)
    source = importer.load(path)
    (record,) = source.records
    assert (source.format, record.line, record.family_name) == ("vcard", 4, "Neri")
    assert [(w.line, w.value, w.reason) for w in record.warnings] == [
        (1, "Exported by PhoneSync 2.3", "text outside any card: left out"),
    ]


def test_a_csv_file_is_not_mistaken_for_a_vcard():
    rows = b"".join(b"name%d,x@example.com\r\n" % i for i in range(8))
    assert not vcard.looks_like_vcard(b"Name,Email\r\n" + rows + b"BEGIN:VCARD\r\n")


def test_a_fold_that_splits_a_utf8_character_is_joined():
    # RFC 6350 folds at octets: "Σταύρου" cut between the two bytes of "ύ" (CF 8D).
    data = (
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nN:\xce\xa3\xcf\x84\xce\xb1\xcf\r\n"
        b" \x8d\xcf\x81\xce\xbf\xcf\x85;\xce\x9a\xcf\x8e\xcf\x83\xcf\x84\xce\xb1\xcf\x82\r\n"
        b"EMAIL:k@example.gr\r\nEND:VCARD\r\n"
    )
    (record,) = vcard.read(data)
    assert (record.family_name, record.given_name, record.line) == ("Σταύρου", "Κώστας", 1)
    assert (record.problems, record.warnings) == ([], [])


def test_a_quoted_printable_value_without_charset_is_read_in_the_detected_encoding():
    # An old phone's 2.1 file: ASCII, but its QP names are Greek in cp1253, undeclared.
    def qp(text: str) -> str:
        return "".join(f"={b:02X}" for b in text.encode("cp1253"))

    data = card(
        f"N;ENCODING=QUOTED-PRINTABLE:{qp('Παπαδόπουλος')};{qp('Γιώργος')}",
        f"NOTE;ENCODING=QUOTED-PRINTABLE:{qp('Πελάτης από την Αθήνα')}",
        version="2.1",
    )
    (record,) = vcard.read(data)
    assert (record.family_name, record.given_name) == ("Παπαδόπουλος", "Γιώργος")
    assert (record.notes, record.problems, record.warnings) == ("Πελάτης από την Αθήνα", [], [])


def test_utf8_quoted_printable_without_charset_stays_utf8():
    (record,) = vcard.read(
        card("N;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen", version="2.1")
    )
    assert (record.family_name, record.given_name) == ("Müller", "Jürgen")
