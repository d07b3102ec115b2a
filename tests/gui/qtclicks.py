"""Clicking real widgets: menus that block in exec(), rows of item views, combo boxes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QMenu, QWidget

MENU_TIMEOUT_MS = 3000


def _find_action(menu: QMenu, name: str) -> QAction:
    for action in menu.actions():
        if action.objectName() == name or action.text().replace("&", "") == name:
            return action
    raise AssertionError(f"no entry {name!r} in the menu: {[a.text() for a in menu.actions()]}")


def _click_through(qtbot, menu: QMenu, path: tuple[str, ...], seen: list[QMenu]) -> None:
    """Click each entry of ``path`` in turn, opening submenus on the way."""
    for i, name in enumerate(path):
        qtbot.waitUntil(menu.isVisible, timeout=MENU_TIMEOUT_MS)
        seen.append(menu)
        action = _find_action(menu, name)
        centre = menu.actionGeometry(action).center()
        qtbot.mouseMove(menu, centre)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=centre)
        if i + 1 < len(path):
            sub = action.menu()
            assert sub is not None, f"{name!r} has no submenu"
            menu = sub


def click_in_menu(
    qtbot,
    open_menu: Callable[[], object],
    menu: QMenu | Callable[[], QMenu],
    *path: str,
    inspect: Callable[[QMenu], None] | None = None,
) -> None:
    """Open a menu with a real gesture and click the entry at ``path`` (object names or text).

    A menu opened by a button runs its own event loop (``QMenu.exec``), so the clicks
    are queued to run inside it. ``menu`` may be a callable for a menu made on demand;
    ``inspect`` sees the top menu, filled, before the click. Whatever happens, every
    menu is closed again so a failure cannot leave the test hanging.
    """
    failure: list[BaseException] = []
    seen: list[QMenu] = []

    def act() -> None:
        top = menu() if callable(menu) else menu
        try:
            qtbot.waitUntil(top.isVisible, timeout=MENU_TIMEOUT_MS)
            if inspect is not None:
                inspect(top)
            _click_through(qtbot, top, path, seen)
        except BaseException as exc:  # re-raised below, once the menu's loop has ended
            failure.append(exc)
        finally:
            for shown in (*reversed(seen), top):
                if shown.isVisible():
                    shown.close()

    QTimer.singleShot(0, act)
    open_menu()
    if not failure:
        qtbot.waitUntil(lambda: not any(m.isVisible() for m in seen), timeout=MENU_TIMEOUT_MS)
    if failure:
        raise failure[0]


def click_button_menu(qtbot, button: QWidget, menu: QMenu, *path: str, **kw) -> None:
    """Press a menu button (it opens its menu) and click the entry at ``path``."""
    click_in_menu(
        qtbot, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton), menu, *path, **kw
    )


def active_popup() -> QMenu:
    """The menu on screen now (one opened with ``popup()`` by a context-menu handler)."""
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QMenu), "no menu is open"
    return popup


def row_centre(view: QAbstractItemView, index: QModelIndex) -> QPoint:
    """Where a row is drawn in the view's viewport, scrolled into sight first."""
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid() and not rect.isEmpty(), "the row is not on screen"
    return rect.center()


def click_row(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(view, index))


def double_click_row(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    """Double-click a row where it is drawn, pressing first as a hand does.

    The view only takes a double-click on the row the first press was on.
    """
    pos = row_centre(view, index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def choose_in_combo(qtbot, combo: QComboBox, data: object) -> None:
    """Open the combo's list from the keyboard and click the entry that holds ``data``.

    (Opened by a mouse press, the list ignores a release that comes within a
    double-click interval, as a hand's never does.)
    """
    row = combo.findData(data)
    assert row >= 0, f"no entry for {data!r}"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_F4)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=MENU_TIMEOUT_MS)
    click_row(qtbot, view, view.model().index(row, combo.modelColumn()))
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=MENU_TIMEOUT_MS)
    assert combo.currentIndex() == row
