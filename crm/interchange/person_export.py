"""A person's data exported whole (GDPR access): JSON of every row, beside their vCard.

The core gathers the data (:func:`crm.core.privacy.person_data`); this module
writes it, with the vCard as the vCard export makes it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from crm.core import privacy
from crm.core.errors import ValidationError
from crm.core.files import write_private
from crm.interchange.vcard_out import card_of


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by the user only."""
    with write_private(path) as out:
        out.write(text)


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
    data = privacy.person_data(contact_id)
    card = card_of(contact_id, "4.0")
    json_path = target / f"person-{contact_id}.json"
    vcf_path = target / f"person-{contact_id}.vcf"
    _write(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    _write(vcf_path, card)
    return [json_path, vcf_path]
