"""Exports from the File menu: ask where, write the file on the gateway, report one line.

Contacts as vCard 4.0 or 3.0 or CSV, follow-ups and events as iCalendar (the
follow-ups as to-dos, or as events with an alarm an hour before for calendars
that import no to-dos), referrals as CSV. The interchange modules are imported only when used.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from crm.gui.context import AppContext
from crm.gui.formatting import number

# kind -> (default file name, file filter, what the count counts: one, many)
EXPORTS: dict[str, tuple[str, str, str, str]] = {
    "vcard4": ("contacts.vcf", "vCard (*.vcf)", "contact", "contacts"),
    "vcard3": ("contacts.vcf", "vCard (*.vcf)", "contact", "contacts"),
    "csv": ("contacts.csv", "CSV (*.csv)", "contact", "contacts"),
    "ics": ("passaparola.ics", "iCalendar (*.ics)", "follow-up or event", "follow-ups and events"),
    "ics_events": (
        "passaparola.ics",
        "iCalendar (*.ics)",
        "follow-up or event",
        "follow-ups and events",
    ),
    "referrals": ("referrals.csv", "CSV (*.csv)", "referral", "referrals"),
}

# The alarm of follow-ups exported as events from the menu.
EVENT_ALARM = "1h"


def export_work(kind: str, path: str):
    """The work function that writes ``kind`` to ``path`` and returns how many it wrote."""

    def work(progress) -> int:
        from crm.interchange import exports

        if kind in ("vcard4", "vcard3"):
            from crm.interchange import vcard

            version = "4.0" if kind == "vcard4" else "3.0"
            return int(vcard.export(path, version=version, progress=progress.update))
        if kind == "csv":
            return int(exports.export_csv(path, progress=progress.update))
        if kind in ("ics", "ics_events"):
            from crm.interchange import ics

            if kind == "ics":
                return int(ics.export_ics(path))
            return int(ics.export_ics(path, as_events=True, alarm=ics.parse_alarm(EVENT_ALARM)))
        return int(exports.export_referrals_csv(path))

    return work


def export_file(
    ctx: AppContext,
    kind: str,
    parent: QWidget,
    path: str | None = None,
    report=None,
) -> None:
    """Ask where (unless ``path``), export on the gateway, then ``report`` one line."""
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("Export", text)

    name, file_filter, one, many = EXPORTS[kind]
    if path is None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        titles = {
            "vcard4": tr("Export Contacts as vCard 4.0"),
            "vcard3": tr("Export Contacts as vCard 3.0"),
            "csv": tr("Export Contacts as CSV"),
            "ics": tr("Export Follow-ups and Events as a Calendar"),
            "ics_events": tr("Export Follow-ups as Calendar Events with Alarms"),
            "referrals": tr("Export Referrals as CSV"),
        }
        path, _ = QFileDialog.getSaveFileName(
            parent, titles[kind], str(Path(folder) / name), tr(file_filter)
        )
        if not path:
            return
    target = path

    def done(count: int) -> None:
        text = tr("Wrote %1 %2 to %3").replace("%1", number(count))
        text = text.replace("%2", tr(one) if count == 1 else tr(many)).replace("%3", target)
        if report is not None:
            report(text)

    ctx.gateway.run(export_work(kind, target), on_done=done, label=tr("Exporting…"))
