"""Short 8-bit files: the encoding whose reading is plausible text, and a word when it is close."""

from __future__ import annotations

import clitools
import pytest

from crm.interchange import sniff

SHORT = [
    ("Όνομα,Επώνυμο,Email\nΓιώργος,Παπαδόπουλος,g@example.gr\n", "cp1253"),
    ("الاسم,العائلة,البريد\nمحمد,عبد الله,m@example.com\n", "cp1256"),
    ("Име,Фамилия\nГеорги,Петров\n", "cp1251"),
    ("First Name,Last Name\nGül,Öztürk\n", "cp1252"),
    ("Ad,Soyad\nAyşe,Yılmaz\n", "cp1254"),
    ("Nom,Prénom\nLefèvre,Hélène\n", "cp1252"),
]


@pytest.mark.parametrize(("text", "encoding"), SHORT)
def test_a_one_row_file_is_read_in_its_own_code_page(text, encoding):
    assert sniff.decode(text.encode(encoding)) == (text, encoding)
    assert sniff.alternative(text.encode(encoding)) == ""  # not a close call


def test_a_close_call_names_the_alternative():
    # Three capitals: Greek "ΑΛΙ" and Cyrillic "БЛЙ" are the same bytes, and neither
    # reading has letter pairs to tell them apart.
    data = "Name\nΑΛΙ\n".encode("cp1253")
    text, used = sniff.decode(data)
    assert (text, used) == ("Name\nΑΛΙ\n", "cp1253")
    assert sniff.alternative(data) == "cp1251"


def test_unicode_files_have_no_alternative():
    assert sniff.alternative("Γιώργος".encode()) == ""
    assert sniff.alternative(b"\xef\xbb\xbfName\n") == ""


def test_the_cli_warns_of_a_close_call_naming_the_other_encoding(tmp_path, capsys):
    crm = clitools.make_crm(tmp_path, capsys)
    path = tmp_path / "one.csv"
    path.write_bytes("Name,Email\nΑΛΙ,ali@example.gr\n".encode("cp1253"))
    code, out, err = crm("import", str(path), "--dry-run")
    assert code == 0
    assert "(CSV, cp1253)" in out
    assert "try --encoding cp1251" in err


def test_both_readings_of_a_close_call_give_a_few_names_each(tmp_path):
    from crm.interchange import readings

    path = tmp_path / "close.csv"
    path.write_bytes("Name,Email\nΑΛΙ,ali@example.gr\nMaria Rossi,m@example.it\n".encode("cp1253"))
    assert readings.close_readings(path) == [
        readings.Reading("cp1253", ("ΑΛΙ", "Maria Rossi")),
        readings.Reading("cp1251", ("БЛЙ", "Maria Rossi")),
    ]
    # A clear call, a Unicode file or a missing one: nothing to choose.
    clear = tmp_path / "clear.csv"
    clear.write_bytes("Name,Email\nΓιώργος Παπαδόπουλος,g@example.gr\n".encode("cp1253"))
    assert readings.close_readings(clear) == []
    plain = tmp_path / "utf8.csv"
    plain.write_text("Name\nΑΛΙ\n", encoding="utf-8")
    assert readings.close_readings(plain) == []
    assert readings.close_readings(tmp_path / "missing.csv") == []
