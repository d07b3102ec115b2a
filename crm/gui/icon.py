"""The app's icon and its freedesktop name: small, because start-up imports it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

# The freedesktop name: the .desktop file, the AppStream id and the hicolor icon share it,
# and Wayland matches the window to the launcher entry by it.
DESKTOP_ID = "org.passaparola.Passaparola"


def icon_path() -> str:
    """The SVG icon shipped inside the package ("" when it is missing)."""
    import importlib.resources  # not at start-up: the icon comes after the first paint

    path = importlib.resources.files("crm").joinpath("resources", "icons", "passaparola.svg")
    return str(path) if path.is_file() else ""


def app_icon() -> QIcon:
    """The app icon, drawn from its SVG at any size; an empty icon if it cannot be loaded."""
    from PySide6.QtGui import QIcon  # its type (and enums) not before the first paint

    path = icon_path()
    if not path:
        return QIcon()
    icon = QIcon(path)
    # Without Qt's SVG plugins the icon loads but draws nothing: better no icon than a blank.
    return icon if not icon.pixmap(32, 32).isNull() else QIcon()


def ensure_app_icon() -> None:
    """Give every window the app icon, once. Drawing the SVG loads Qt's SVG plugins
    (~3 MB and a few ms), so the main window asks for it after its first paint."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
