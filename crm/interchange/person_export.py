"""A person's data exported whole (GDPR access): JSON of every row, beside their vCard.

The core gathers the data (:func:`crm.core.privacy.person_sections`); this module
writes it as it is read, section by section and row by row, so even a person
with a very long history is written in flat memory. The JSON is byte for byte
what ``json.dumps(privacy.person_data(id), ensure_ascii=False, indent=2)`` gives,
and the vCard is the vCard export's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from crm.core import privacy
from crm.core.db import read_snapshot
from crm.core.errors import ValidationError
from crm.core.files import write_private
from crm.interchange.vcard_out import card_of


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by the user only."""
    with write_private(path) as out:
        out.write(text)


# json.dumps(value, ensure_ascii=False, indent=2), without making an encoder per row.
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)


def _dumps(value: Any, indent: str) -> str:
    """``value`` as json.dumps(indent=2) writes it nested ``indent`` deep (strings hold no
    line break: JSON escapes them)."""
    return _ENCODER.encode(value).replace("\n", "\n" + indent)


def _write_list(out: IO[str], rows: Iterable[Any]) -> None:
    """A list nested one level deep, one row at a time, as json.dumps(indent=2) writes it."""
    first = True
    for row in rows:
        out.write(("[\n    " if first else ",\n    ") + _dumps(row, "    "))
        first = False
    out.write("[]" if first else "\n  ]")


def write_person_json(contact_id: int, out: IO[str]) -> None:
    """Everything held on the person (:func:`privacy.person_data`), written as it is read."""
    contact = privacy.person_contact(contact_id)
    out.write('{\n  "exported_at": ' + json.dumps(privacy.exported_at()))
    out.write(',\n  "contact": ' + _dumps(contact, "  "))
    for key, rows in privacy.person_sections(contact_id):
        out.write(f",\n  {json.dumps(key)}: ")
        _write_list(out, rows)
    out.write("\n}\n")


def export_person(contact_id: int, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``person-ID.json`` (see :func:`privacy.person_data`) and ``person-ID.vcf``.

    The folder is created when its parent exists. Returns the two paths.
    """
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise ValidationError(
            code="person_export.file_give_folder_export", field="folder", target=target
        )
    if not target.exists():
        if not target.parent.is_dir():
            raise ValidationError(
                code="person_export.folder_does_exist", field="folder", target_parent=target.parent
            )
        target.mkdir(mode=0o700)
    json_path = target / f"person-{contact_id}.json"
    vcf_path = target / f"person-{contact_id}.vcf"
    with read_snapshot():
        privacy.person_contact(contact_id)  # an unknown id is refused before any file
        card = card_of(contact_id, "4.0")
        with write_private(json_path) as out:
            write_person_json(contact_id, out)
    _write(vcf_path, card)
    return [json_path, vcf_path]
