"""The app's icon and its freedesktop name: small, because start-up imports it."""

from __future__ import annotations

import importlib.resources

from PySide6.QtGui import QIcon

# The freedesktop name: the .desktop file, the AppStream id and the hicolor icon share it,
# and Wayland matches the window to the launcher entry by it.
DESKTOP_ID = "org.passaparola.Passaparola"


def icon_path() -> str:
    """The SVG icon shipped inside the package ("" when it is missing)."""
    path = importlib.resources.files("crm").joinpath("resources", "icons", "passaparola.svg")
    return str(path) if path.is_file() else ""


def app_icon() -> QIcon:
    """The app icon, drawn from its SVG at any size; an empty icon if it cannot be loaded."""
    path = icon_path()
    if not path:
        return QIcon()
    icon = QIcon(path)
    # Without Qt's SVG plugins the icon loads but draws nothing: better no icon than a blank.
    return icon if not icon.pixmap(32, 32).isNull() else QIcon()
