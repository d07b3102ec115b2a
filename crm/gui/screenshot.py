"""``crm screenshot VIEW``: render a page of the main window offscreen to a PNG."""

from __future__ import annotations

import os
from pathlib import Path

from crm.core.errors import ValidationError

VIEWS = (
    "contacts",
    "organizations",
    "referrals",
    "chain",
    "events",
    "briefing",
    "followups",
    "vouchers",
    "dashboard",
    "duplicates",
    "backups",
    "settings",
)


def _parse_size(size: str) -> tuple[int, int]:
    try:
        w, h = (int(p) for p in size.lower().split("x"))
    except ValueError:
        raise ValidationError(f"Size '{size}' is not WIDTHxHEIGHT, such as 1280x800") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise ValidationError(f"Size {w}x{h} is out of range (320x240 to 7680x4320)")
    return w, h


def _default_id(view: str) -> int | None:
    """The root of the largest chain, or the next (else latest) event."""
    if view == "chain":
        from crm.core import chain

        return chain.largest_chain_root()
    if view == "briefing":
        from crm.core import events

        return events.featured_event_id()
    return None


# The views an ``--id`` selects something in, and what it names there.
ID_VIEWS = {"contacts": "contact", "chain": "chain", "events": "event", "briefing": "briefing"}


def _require(view: str, ident: int) -> None:
    """Refuse an ``--id`` that names nothing, before a window could show an error box."""
    if view in ("contacts", "chain"):
        from crm.core import contacts

        contacts.get_contact(ident)
    else:
        from crm.core import events

        events.get_event(ident)


def take(
    store,
    view: str,
    out: str | os.PathLike[str],
    size: str = "1280x800",
    language: str | None = None,
    ident: int | None = None,
) -> Path:
    """Render ``view`` with the database's data and save it as a PNG."""
    if view not in VIEWS:
        raise ValidationError(f"Unknown view '{view}'; choose one of {', '.join(VIEWS)}")
    width, height = _parse_size(size)
    if ident is not None and view in ID_VIEWS:
        _require(view, ident)
    target = Path(out)
    if not target.parent.exists():
        raise ValidationError(f"The folder '{target.parent}' does not exist")
    # The caller has chosen the Qt platform (``crm screenshot``: offscreen) before Qt loaded.
    from PySide6.QtCore import QSettings

    from crm.gui.app import application, build_window, set_language
    from crm.gui.nav_icons import set_icons

    app = application([])
    set_language(app, language or "en")
    # Screenshots must not depend on (or change) the user's remembered layout.
    scratch = QSettings(str(target.with_suffix(".ini")), QSettings.Format.IniFormat)
    scratch.clear()
    window = build_window(store, scratch, synchronous=True)
    # A look never writes: no daily backup, no backup on closing (and no daily rules,
    # which only the app's run() starts).
    window.backup_schedule.stop()
    try:
        window.resize(width, height)
        window.show()
        window.update_due()  # normally just after the first paint, as the page icons
        set_icons(window.nav, window.data_nav)
        if view == "settings":
            from crm.gui.settings_dialog import SettingsDialog

            dialog = SettingsDialog(window.ctx, window)
            dialog.show()
            for _ in range(3):
                app.processEvents()
            pixmap = dialog.grab()
            dialog.close()
        else:
            ident = ident if ident is not None else _default_id(view)
            if view in ID_VIEWS and ident is not None:
                window.go(ID_VIEWS[view], ident)
            else:
                window.show_page(view)
            for _ in range(5):
                app.processEvents()
            pixmap = window.grab()
        if not pixmap.save(str(target), "PNG"):
            raise ValidationError(f"Could not write '{target}'")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        Path(scratch.fileName()).unlink(missing_ok=True)
    return target
