"""peewee loaded without the PostgreSQL driver, and given it when a server is opened."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from crm.core import contacts

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from crm.core import lean_peewee

lean_peewee.install()  # as the desktop app does when it starts
from crm.core import db, models  # peewee is imported here, before any database is open
import peewee

seen = {{"driver_at_import": "psycopg" in sys.modules, "peewee_driver": peewee.psycopg is not None}}
seen["openssl_at_import"] = "_hashlib" in sys.modules
seen["md5"] = peewee.hashlib.md5(b"contact_email").hexdigest()
import hashlib  # whoever asks next gets OpenSSL's
seen["openssl_later"] = hashlib.new("sha512_256", b"x").name
store = db.open_database({target!r})
seen["names"] = [r[0] for r in db.execute_sql("SELECT family_name FROM contact").fetchall()]
seen["driver_now"] = "psycopg" in sys.modules
store.close()
print(json.dumps(seen))
"""


def test_peewee_loads_without_psycopg_and_a_server_still_opens(store, backend):
    contacts.create_contact(contacts.ContactData(given_name="Anna", family_name="Rossi"))
    store.close()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(SCRIPT.format(root=str(ROOT), target=backend.target)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    # A SQLite file never loads the driver (~20 MB); a server gets it when opened.
    assert seen["driver_at_import"] is False and seen["peewee_driver"] is False
    # Nor OpenSSL (~3.4 MB): peewee's md5 is Python's own, hashlib's next importer gets it.
    assert seen["openssl_at_import"] is False
    assert seen["md5"] == "b9973d8c69683b273205eb67914beada"
    assert seen["openssl_later"] == "sha512_256"
    assert seen["names"] == ["Rossi"]
    assert seen["driver_now"] is backend.is_postgres
