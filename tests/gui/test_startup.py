"""Start-up: what the first paint of the contacts table loads, and the quick open it relies on.

The desktop app opens a database that is already at the current schema on a
plain sqlite3 connection and paints the first page of contacts from plain SQL
(``crm.core.contact_table``); peewee, the models and every service load after
the first paint. Each test runs a fresh interpreter, as a launch does.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crm.core import contacts
from crm.core import db as dbm
from crm.gui.app import PAGE_CACHE_KIB

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

# Nothing of these may be loaded when the contacts table first paints.
NOT_AT_FIRST_PAINT = (
    "peewee",
    "playhouse",
    "crm.core.models",
    "crm.core.search",
    "crm.core.contacts",
    "crm.core.followups",
    "crm.core.settings",
    "crm.interchange",
    "crm.documents",
    "reportlab",
    "phonenumbers",
    "email_validator",
    "dns",
    "babel",
    "segno",
    "rapidfuzz",
    "vobject",
    "icalendar",
    "crm.gui.notifier",
    "crm.gui.views.contacts.detail",
    "crm.gui.views.contacts.dialog",
    "crm.gui.views.referrals.page",
    "crm.gui.views.referrals.model",
    "crm.gui.views.referrals.pipeline",
    "crm.gui.views.events.page",
    "crm.gui.views.followups.page",
    "crm.gui.views.followups.table",
    "crm.gui.views.vouchers.page",
    "crm.gui.views.dashboard.page",
    "crm.gui.views.chain.page",
    "crm.gui.views.chain.tree",
    "crm.gui.settings_dialog",
    "crm.gui.about",
    "crm.gui.views.data.import_wizard",
    "crm.gui.views.data.duplicates",
    "crm.gui.views.data.backups",
    "crm.gui.views.data.import_columns",
    "crm.gui.views.data.import_preview",
    "crm.gui.views.data.exporting",
    "crm.gui.database_actions",
)
QT_AT_FIRST_PAINT = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}


def run_python(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture
def people(store, db_path) -> Path:
    """A closed database at the current schema with a few contacts, tags and phones."""
    for given, family, tags in (
        ("Giorgos", "Papadopoulos", ["chamber"]),
        ("Maria", "Rossi", ["bni", "chamber"]),
        ("Петър", "Йорданов", []),
        ("Aisha", "Haddad", ["bni"]),
    ):
        contacts.create_contact(
            contacts.ContactData(
                given_name=given,
                family_name=family,
                tags=tags,
                phones=["+39 340 967 6866"],
                emails=[f"{given.lower()}@example.com"] if given.isascii() else [],
            )
        )
    store.close()
    return db_path


APP_SCRIPT = """
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QSettings
from crm.core import db
from crm.gui.app import application, build_window

app = application([])
store = db.open_database({path!r})
window = build_window(store, QSettings({ini!r}, QSettings.Format.IniFormat))
view = window.show_page("contacts")
seen = {{}}


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and view.model.rowCount() and not seen:
            seen["modules"] = sorted(sys.modules)
            seen["count_at_paint"] = view.count_label.text()
            seen["icon_at_paint"] = not app.windowIcon().isNull()
            seen["nav_icon_at_paint"] = not window.nav.item(0).icon().isNull()
        return False


watch = FirstPaint()
view.table.viewport().installEventFilter(watch)
window.show()
deadline = time.monotonic() + 30
while "modules" not in seen and time.monotonic() < deadline:
    app.processEvents()
view.table.viewport().removeEventFilter(watch)
seen["first_rows"] = view.model.rowCount()
seen["first_name"] = view.model.index(0, 0).data()
# After the first paint: the whole list on the worker, the detail pane, the models.
while time.monotonic() < deadline and (
    view.detail.contact_id is None
    or not view.count_label.text()
    or not window.due_label.text()
):
    app.processEvents()
    window.ctx.gateway.wait(100)
from crm.core import contacts
seen["count"] = contacts.count()
seen["rows"] = view.model.rowCount()
seen["detail"] = view.detail.name_label.text()
seen["count_label"] = view.count_label.text()
seen["due"] = window.due_label.text()
seen["icon"] = not app.windowIcon().isNull()
lists = (window.nav, window.data_nav)
seen["nav_icons"] = [not nav.item(i).icon().isNull() for nav in lists for i in range(nav.count())]
import threading
cache = lambda: db.execute_sql("PRAGMA cache_size").fetchone()[0]
caches = [cache()]
worker = threading.Thread(target=lambda: caches.append(cache()))
worker.start()
worker.join()
seen["caches"] = caches
window.close()
store.close()
print(json.dumps(seen))
"""


def test_the_first_paint_loads_no_orm_no_other_page_and_no_heavy_library(people, tmp_path):
    seen = run_python(
        APP_SCRIPT.format(root=str(ROOT), path=str(people), ini=str(tmp_path / "s.ini"))
    )
    at_paint = seen["modules"]
    assert loaded(at_paint, NOT_AT_FIRST_PAINT) == []
    assert {m for m in at_paint if m.startswith("PySide6.Qt")} <= QT_AT_FIRST_PAINT
    # The table painted real rows, in name order.
    assert seen["first_rows"] == 4
    assert seen["first_name"] == "Haddad, Aisha"
    # The first page's length is not the number of contacts: no count until it is known.
    assert seen["count_at_paint"] == ""
    # Then everything else arrived: the models bound to the same file, the pane filled.
    assert seen["count"] == 4
    assert seen["rows"] == 4
    assert seen["detail"] == "Aisha Haddad"
    assert seen["count_label"] == "4 contacts"
    # The follow-up counts came from the worker.
    assert seen["due"] == "Follow-ups: 0 due today, 0 overdue"
    # The app icon (its SVG loads Qt's SVG plugins) came after the first paint.
    assert seen["icon_at_paint"] is False
    assert seen["icon"] is True
    # So did the page lists' icons (reaching Qt's style from Python costs ~6-10 ms).
    assert seen["nav_icon_at_paint"] is False
    assert seen["nav_icons"] and all(seen["nav_icons"])
    # The app's connections (its own, a worker's) keep a 1 MB page cache, not 4 MB.
    assert seen["caches"] == [-PAGE_CACHE_KIB, -PAGE_CACHE_KIB] == [-1_000, -1_000]


CORE_SCRIPT = """
import json, sys, threading
sys.path.insert(0, {root!r})
from crm.core import contact_table, db

store = db.open_database({path!r})
out = {{"quick": store._plain is not None}}
out["ids"] = contact_table.query_ids()
out["found"] = contact_table.query_ids("rossi")
out["maria"] = contact_table.query_ids("maria")
out["tags"] = contact_table.tag_choices()
out["rows"] = [list(r) for r in contact_table.table_rows(out["ids"][:1]).values()]
out["peewee_before"] = "peewee" in sys.modules

# Another thread cannot use this thread's plain connection: it loads the models,
# which bind to the same database, and reads through its own peewee connection.
elsewhere = []
worker = threading.Thread(target=lambda: elsewhere.append(contact_table.query_ids("maria")))
worker.start()
worker.join()
out["elsewhere"] = elsewhere[0]
out["bound"] = "crm.core.models" in sys.modules

from crm.core import contacts

new = contacts.create_contact(contacts.ContactData(given_name="Zoe", family_name="Zappa"))
# Here too the peewee connection now: the new contact is seen at once.
out["after_write"] = contact_table.query_ids("zappa") == [new.id]
out["plain_closed"] = store._plain is None
out["count"] = contacts.count()
store.close()
print(json.dumps(out))
"""


def test_a_quick_open_reads_the_table_without_peewee_then_binds_the_models(people):
    out = run_python(CORE_SCRIPT.format(root=str(ROOT), path=str(people)))
    assert out["quick"] is True
    assert len(out["ids"]) == 4 and len(out["found"]) == 1
    assert out["tags"] == ["bni", "chamber"]
    assert out["rows"][0][1:3] == ["Aisha", "Haddad"]
    assert out["rows"][0][5] == "+39 340 967 6866"
    assert out["peewee_before"] is False
    assert out["elsewhere"] == out["maria"] == out["found"]
    assert out["bound"] is True
    assert out["after_write"] is True
    assert out["plain_closed"] is True
    assert out["count"] == 5


OPEN_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from crm.core import db
from crm.core.errors import CrmError

try:
    store = db.open_database({path!r})
except CrmError as exc:
    print(json.dumps({{"error": exc.message}}))
else:
    from crm.core import contacts, migrations

    out = {{"version": migrations.schema_version(store.db), "count": contacts.count(True)}}
    store.close()
    print(json.dumps(out))
"""


def open_fresh(path: Path) -> dict:
    return run_python(OPEN_SCRIPT.format(root=str(ROOT), path=str(path)))


def test_files_that_need_more_than_reading_take_the_full_path(tmp_path):
    # A new file is created with the schema.
    assert open_fresh(tmp_path / "new.sqlite3") == {"version": dbm.SCHEMA_VERSION, "count": 0}
    # An older one is upgraded (after a backup).
    old = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    upgraded = open_fresh(old)
    assert upgraded["version"] == dbm.SCHEMA_VERSION and upgraded["count"] > 0
    # A newer one, or another program's, is refused as before.
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(old, newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE crm_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert "newer Passaparola" in open_fresh(newer)["error"]
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE things (x)")
    conn.close()
    assert "not a Passaparola database" in open_fresh(foreign)["error"]


def test_modules_imported_after_qt_are_not_read_into_memory(tmp_path):
    """PySide6 reads the source of every module imported after it (to learn whether
    it uses PySide), and the lines stay in ``linecache``; the GUI package answers
    that question without reading. The app's modules still import and run."""
    (tmp_path / "late_module.py").write_text("VALUE = 41 + 1\n", encoding="utf-8")
    seen = run_python(
        f"""
        import json, linecache, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(tmp_path)!r})
        import crm.gui
        from crm.gui.app import build_window
        import late_module
        held = [name for name in linecache.cache if name.endswith(".py")]
        print(json.dumps({{"value": late_module.VALUE, "held": held}}))
        """
    )
    assert seen["value"] == 42
    assert not [name for name in seen["held"] if "late_module" in name or "/crm/" in name]
