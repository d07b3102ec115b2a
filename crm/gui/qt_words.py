"""Qt's own words for its standard buttons, in our catalog.

Qt ships no Greek translation of its dialogs (``qtbase_el.qm``), so the standard
buttons (Save, Cancel, Yes, No …) would stay English in a Greek window. Listing
them here puts them in the catalog, where :class:`crm.gui.translation.CatalogTranslator`
answers Qt's own ``tr()`` for them in every language.
"""

from __future__ import annotations

from crm.i18n import N_

STANDARD_BUTTONS = (
    N_("OK"),
    N_("Save"),
    N_("Save All"),
    N_("Open"),
    N_("&Yes"),
    N_("Yes to &All"),
    N_("&No"),
    N_("N&o to All"),
    N_("Abort"),
    N_("Retry"),
    N_("Ignore"),
    N_("Close"),
    N_("Cancel"),
    N_("Discard"),
    N_("Help"),
    N_("Apply"),
    N_("Reset"),
    N_("Restore Defaults"),
)
