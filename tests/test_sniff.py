"""Encodings and delimiters of the files users bring (crm.interchange.sniff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.core.errors import ValidationError
from crm.interchange import sniff

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "words"),
    [
        ("google.csv", "utf-8", ["Μαρία", "Иван", "محمد", "Caffè Niccolò"]),
        ("google_legacy.csv", "utf-8-sig", ["Κώστας", "Δημητρίου & Σια Ο.Ε."]),
        ("utf16.csv", "utf-16-le", ["Ονοματεπώνυμο", "Ольга Смирнова", "فاطمة الزهراء"]),
        ("outlook_greek.csv", "cp1253", ["Άννα", "Άγγελος", "Λεωφ. Κηφισίας 12"]),
        ("greek_iso8859_7.csv", "iso8859-7", ["Άγγελος", "Άρτεμις", "Άργος"]),
        ("outlook_us.csv", "cp1252", ["José", "Müller", "Brontë-Øster", "€5,000", "—"]),
        ("italian_excel.csv", "cp1252", ["Niccolò", "Città", "è molto attiva"]),
        ("bulgarian_cp1251.csv", "cp1251", ["Георги", "ул. „Витоша“ 15", "5.4.1985 г."]),
        ("arabic_cp1256.csv", "cp1256", ["البريد الإلكتروني", "خالد", "عمّان"]),
        ("linkedin_connections.csv", "utf-8", ["Γιώργος", "Marinova, Todorov & Co"]),
        ("excel_sep.csv", "utf-8", ["sep=;"]),
    ],
)
def test_decode_detects_the_encoding_of_each_real_file(name, encoding, words):
    text, used = sniff.decode(raw(name))
    assert used == encoding
    assert not text.startswith("\ufeff")
    for word in words:
        assert word in text


def test_cp1253_and_iso8859_7_are_told_apart_by_the_capital_alpha_with_tonos():
    # 0xA2 is Ά in cp1253 but a quote mark in ISO-8859-7; 0xB6 the other way round.
    greek = raw("outlook_greek.csv")
    iso = raw("greek_iso8859_7.csv")
    assert b"\xa2" in greek and b"\xb6" in iso
    assert "’ννα" not in sniff.decode(greek)[0]
    assert "¶γγελος" not in sniff.decode(iso)[0]


def test_a_given_encoding_wins_over_detection():
    text, used = sniff.decode(raw("outlook_greek.csv"), "windows-1253")
    assert used == "cp1253"
    assert "Άννα" in text
    # Read as ISO-8859-7 (every byte of this file exists there) the capital Alpha
    # with tonos comes out as a quote: the user's choice is obeyed, not second-guessed.
    text, used = sniff.decode(raw("outlook_greek.csv"), "iso-8859-7")
    assert used == "iso8859-7"
    assert "’ννα" in text


def test_a_utf8_file_with_a_bom_read_as_utf8_loses_the_bom():
    text, used = sniff.decode(raw("google_legacy.csv"), "utf-8")
    assert used == "utf-8-sig"
    assert text.startswith("Name,Given Name")


def test_a_given_encoding_that_fails_names_the_line_column_and_byte():
    # UTF-8 Greek: "Μ" is CE 9C, and 0x9C is not a cp1253 character.
    with pytest.raises(ValidationError) as info:
        sniff.decode(raw("google.csv"), "cp1253")
    assert info.value.message == (
        "line 2, column 2: the byte 0x9C cannot be read as cp1253; is the file in another encoding?"
    )
    assert info.value.field == "encoding"
    with pytest.raises(ValidationError) as info:
        sniff.decode(raw("utf16.csv"), "utf-8")
    assert info.value.message.startswith("line 1, column 1: the byte 0xFF cannot be read as utf-8")
    with pytest.raises(ValidationError) as info:
        sniff.decode(raw("outlook_greek.csv"), "utf-8")  # "κα": 0xEA 0xE1
    assert info.value.message.startswith("line 2, column 2: the byte 0xEA cannot be read as utf-8")


def test_an_unknown_encoding_is_refused_by_name():
    with pytest.raises(ValidationError, match="Unknown encoding 'klingon-1'"):
        sniff.decode(b"a,b\n", "klingon-1")


def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes():
    little = b"N\x00a\x00m\x00e\x00\t\x00E\x00m\x00a\x00i\x00l\x00\n\x00"
    big = b"\x00N\x00a\x00m\x00e\x00\t\x00E\x00m\x00a\x00i\x00l\x00\n"
    assert sniff.decode(little) == ("Name\tEmail\n", "utf-16-le")
    assert sniff.decode(big) == ("Name\tEmail\n", "utf-16-be")


def test_a_binary_file_is_not_text():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(ValidationError, match="not a text file: line 3 holds a NUL byte"):
        sniff.decode(png)


def test_plain_ascii_is_utf8_and_empty_data_is_empty_text():
    assert sniff.decode(b"Name,Email\r\n") == ("Name,Email\r\n", "utf-8")
    assert sniff.decode(b"") == ("", "utf-8")


# -- delimiters ----------------------------------------------------------------------


def test_delimiters_of_the_fixtures():
    expected = {
        "google.csv": ",",
        "outlook_greek.csv": ";",
        "outlook_us.csv": ",",
        "utf16.csv": "\t",
        "bulgarian_cp1251.csv": ";",
        "italian_excel.csv": ";",
        "linkedin_connections.csv": ",",
        "excel_sep.csv": ";",
        "arabic_cp1256.csv": ";",
    }
    for name, delimiter in expected.items():
        text, _used = sniff.decode(raw(name))
        assert sniff.sniff_delimiter(text[:65536]) == delimiter, name


def test_commas_inside_a_semicolon_file_do_not_fool_it():
    # Excel in a Greek locale: ";" between cells, commas unquoted inside them.
    sample = (
        "Name;Street;City\r\n"
        "Άννα;Λεωφ. Κηφισίας 12, 3ος όροφος;Μαρούσι\r\n"
        "Νίκος;Ερμού 5, Σύνταγμα, 2ος;Αθήνα\r\n"
    )
    assert sniff.sniff_delimiter(sample) == ";"


def test_quoted_delimiters_and_quoted_line_breaks_are_not_counted():
    sample = 'Name,Notes,Email\n"Rossi; Bianchi","a; b;\nc; d; e",x@y.it\n"Neri","f;g",n@y.it\n'
    assert sniff.sniff_delimiter(sample) == ","


def test_the_linkedin_preamble_does_not_decide():
    text, _used = sniff.decode(raw("linkedin_connections.csv"))
    # The quoted paragraph holds commas and the "Notes:" line none.
    assert sniff.sniff_delimiter(text) == ","


def test_tabs_win_in_a_tab_separated_file_with_commas_in_cells():
    sample = "Name\tCompany\tCity\nA\tRossi, Bianchi & Co\tRoma\nB\tNeri, Verdi\tMilano\n"
    assert sniff.sniff_delimiter(sample) == "\t"


def test_excel_sep_line_decides_and_a_single_column_defaults_to_comma():
    assert sniff.sniff_delimiter("sep=\t\nName;Email,Phone\n") == "\t"
    assert sniff.sniff_delimiter('"sep=;"\nName,Email\n') == ";"
    assert sniff.sniff_delimiter("Email\na@b.gr\nc@d.gr\n") == ","
    assert sniff.sniff_delimiter("") == ","


def test_a_last_line_cut_off_by_the_sample_is_not_counted():
    sample = "a;b;c\n1;2;3\n4;5;6\n7,8,9,10,11,12,13"  # cut in the middle of a row
    assert sniff.sniff_delimiter(sample) == ";"
