"""The desktop app on a PostgreSQL team database: the main window shows its contacts."""

from __future__ import annotations

import pytest
from qtkeys import type_text

from crm.core import contacts
from crm.gui.views.contacts.model import COL_NAME

pytestmark = pytest.mark.gui_on_postgresql


def test_main_window_lists_and_searches_the_contacts(window, qtbot):
    for given, family in (("Γιώργος", "Παπαδόπουλος"), ("Иван", "Иванов"), ("Niccolò", "Mazzà")):
        contacts.create_contact(contacts.ContactData(given_name=given, family_name=family))
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5000)
    names = {view.model.index(row, COL_NAME).data() for row in range(view.model.rowCount())}
    assert names == {"Παπαδόπουλος, Γιώργος", "Иванов, Иван", "Mazzà, Niccolò"}
    type_text(view.search, "ΠΑΠΑΔ")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.index(0, COL_NAME).data() == "Παπαδόπουλος, Γιώργος"
