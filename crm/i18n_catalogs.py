"""Compiling the gettext catalogs: ``.po`` sources (in git) to ``.mo`` (built, never in git).

Used three ways: by ``set_language`` when a checkout has no fresh ``.mo`` (compiled in
memory), by the setuptools build hook (``setup.py``: ``pip install .`` carries the
``.mo``), and by the PyInstaller spec (the bundle carries them). Only babel, no Qt.
"""

from __future__ import annotations

import io
from pathlib import Path

DOMAIN = "crm"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalog_sources(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/crm.po`` under ``locale_dir``, sorted."""
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_po(po_path: Path) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogs(locale_dir: Path, dest_dir: Path) -> list[Path]:
    """Write ``dest_dir/<lang>/LC_MESSAGES/crm.mo`` for every catalog; the files written."""
    written = []
    for po in catalog_sources(locale_dir):
        lang = po.parent.parent.name
        mo = dest_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written
