"""Every window fits a 1024×640 screen, with its buttons on it.

The suite's Qt runs on the offscreen platform with its default screen; the screen
size is fixed when the application starts, so the check runs this file as a
script in a subprocess whose offscreen screen is 1024×640 (the plugin's
``configfile``, with window frames on). The script opens each window through the
app, as a user would, and prints what it measured as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCREEN = {"width": 1024, "height": 640}
WINDOWS = (
    "main window",
    "pdf preview",
    "settings",
    "contact",
    "referral",
    "import wizard",
    "issue vouchers",
)


def _offscreen_config(tmp_path: Path) -> Path:
    screen = {"name": "small", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config = {"windowFrameMargins": True, "screens": [{**screen, **SCREEN}]}
    path = tmp_path / "screen.json"
    path.write_text(json.dumps(config))
    return path


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("sizes")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={_offscreen_config(tmp)}",
        "PYTHONPATH": os.pathsep.join([str(Path.cwd()), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, __file__, str(tmp)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_screen_is_the_small_one(measured):
    assert measured["available"] == [0, 0, SCREEN["width"], SCREEN["height"]]


@pytest.mark.parametrize("name", WINDOWS)
def test_the_window_and_its_buttons_are_on_the_screen(measured, name):
    screen = measured["available"]
    found = measured["windows"][name]
    assert _inside(found["frame"], screen), f"{name}: {found['frame']} is not inside {screen}"
    assert found["buttons"], f"{name}: no buttons measured"
    for text, rect in found["buttons"].items():
        assert rect[2] > 0 and rect[3] > 0, f"{name}: {text!r} is not shown"
        assert _inside(rect, screen), f"{name}: {text!r} at {rect} is off the screen"


def test_a_geometry_saved_on_a_big_screen_is_brought_back_onto_this_one(measured):
    found = measured["windows"]["restored big"]
    assert _inside(found["frame"], measured["available"])


def _inside(rect: list[int], screen: list[int]) -> bool:
    x, y, w, h = rect
    sx, sy, sw, sh = screen
    return x >= sx and y >= sy and x + w <= sx + sw and y + h <= sy + sh


# -- the script run in the subprocess --------------------------------------------------


def _rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _on_screen(button: Any) -> list[int]:
    from PySide6.QtCore import QPoint, QRect

    if not button.isVisible():
        return [0, 0, 0, 0]
    corner = button.mapToGlobal(QPoint(0, 0))
    return _rect(QRect(corner, button.size()))


def _window(widget: Any, buttons: dict[str, Any]) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    return {
        "frame": _rect(widget.frameGeometry()),
        "buttons": {text: _on_screen(b) for text, b in buttons.items()},
    }


def _dialog_buttons(dialog: Any) -> dict[str, Any]:
    from PySide6.QtWidgets import QDialogButtonBox

    found: dict[str, Any] = {}
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if button.isVisible():
                found[button.text().replace("&", "")] = button
    return found


def _probe(tmp: Path) -> dict[str, Any]:
    from PySide6.QtCore import QByteArray, QRect, QSettings
    from PySide6.QtWidgets import QPushButton

    from crm import demo
    from crm.core import db as dbm
    from crm.gui.app import application, build_window

    app = application([])
    store = dbm.open_database(tmp / "sizes.db")
    demo.generate(store, contacts=60)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = build_window(store, settings, synchronous=True)
    window.show()
    out: dict[str, Any] = {"available": _rect(app.primaryScreen().availableGeometry())}
    wins: dict[str, Any] = {}
    nav = {"contacts": window.nav}
    wins["main window"] = _window(window, nav)

    vouchers = window.show_page("vouchers")
    vouchers.refresh()
    vouchers.preview_all_letters()
    preview = vouchers.last_preview
    wins["pdf preview"] = _window(
        preview, {"Save as PDF": preview.save_button, "Print": preview.print_button}
    )
    preview.reject()
    vouchers.issue_vouchers()
    wins["issue vouchers"] = _window(vouchers.issue_dialog, _dialog_buttons(vouchers.issue_dialog))
    vouchers.issue_dialog.reject()

    window.open_settings()
    dialog = window.settings_dialog
    wins["settings"] = _window(dialog, _dialog_buttons(dialog))
    dialog.reject()

    window.new_contact()
    dialog = window.page("contacts").dialog
    wins["contact"] = _window(dialog, _dialog_buttons(dialog))
    dialog.reject()

    dialog = window.show_page("referrals").record_referral()
    wins["referral"] = _window(dialog, _dialog_buttons(dialog))
    dialog.reject()

    window.import_contacts()
    wizard = window.import_wizard
    shown = {b.text(): b for b in wizard.findChildren(QPushButton) if b.isVisible()}
    wins["import wizard"] = _window(wizard, shown)
    wizard.reject()

    # A preview whose size was saved on a 1920×1200 screen, far to the right.
    big = QRect(900, 200, 1800, 1100)
    from crm.gui.printing import PdfPreviewDialog, preview_letters

    probe = PdfPreviewDialog(window.ctx, "Probe", preview_letters(), lambda p, _g: p)
    probe.setGeometry(big)
    settings.setValue("geometry/PdfPreviewDialog", probe.saveGeometry())
    probe.deleteLater()
    again = PdfPreviewDialog(window.ctx, "Again", preview_letters(), lambda p, _g: p)
    assert isinstance(settings.value("geometry/PdfPreviewDialog"), QByteArray)
    again.show()
    wins["restored big"] = _window(again, {"Save as PDF": again.save_button})
    again.reject()

    out["windows"] = wins
    window.close()
    return out


if __name__ == "__main__":
    print(json.dumps(_probe(Path(sys.argv[1]))))
