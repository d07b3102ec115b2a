"""What the bundle is made of, in one place: read by crm.spec, build.py and the tests.

The version comes from ``crm.__version__`` (the checkout's, not an installed copy), so a
release changes one line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "Passaparola"
EXE_NAME = "crm"  # the command, in the bundle as on a pip install
BUNDLE_DIR = "passaparola"  # dist/passaparola/
APP_ID = "org.passaparola.Passaparola"  # desktop file, AppStream, hicolor icon, macOS bundle
SUMMARY = "A CRM for people whose business grows by word of mouth"
COPYRIGHT = "Passaparola developers, GPL-3.0-or-later"

# Python packages that are for development only, never for the user.
DEV_EXCLUDES = [
    "pytest",
    "_pytest",
    "pytestqt",
    "pytest_benchmark",
    "hypothesis",
    "pypdf",
    "ruff",
    "mypy",
    "mypyc",
    "tests",
    "IPython",
    "matplotlib",
    "numpy",
    "scipy",
    "tkinter",
    "_tkinter",
    # dnspython (under email-validator) imports trio when it is there; email checks never
    # touch the network.
    "trio",
    "PyInstaller",
    "setuptools",
    "pip",
]

# Qt modules the app never imports (it uses QtCore, QtGui, QtWidgets, QtPrintSupport,
# QtPdf, QtPdfWidgets, QtCharts and QtSvg). Excluding them keeps their libraries out.
QT_EXCLUDES = [
    f"PySide6.{name}"
    for name in (
        "Qt3DAnimation",
        "Qt3DCore",
        "Qt3DExtras",
        "Qt3DInput",
        "Qt3DLogic",
        "Qt3DRender",
        "QtAxContainer",
        "QtBluetooth",
        "QtCanvasPainter",
        "QtConcurrent",
        "QtDataVisualization",
        "QtDesigner",
        "QtGraphs",
        "QtGraphsWidgets",
        "QtHelp",
        "QtHttpServer",
        "QtLocation",
        "QtMultimedia",
        "QtMultimediaWidgets",
        "QtNetworkAuth",
        "QtNfc",
        "QtPositioning",
        "QtQml",
        "QtQuick",
        "QtQuick3D",
        "QtQuickControls2",
        "QtQuickTest",
        "QtQuickWidgets",
        "QtRemoteObjects",
        "QtScxml",
        "QtSensors",
        "QtSerialBus",
        "QtSerialPort",
        "QtSpatialAudio",
        "QtSql",
        "QtStateMachine",
        "QtTest",
        "QtTextToSpeech",
        "QtUiTools",
        "QtWebChannel",
        "QtWebEngineCore",
        "QtWebEngineQuick",
        "QtWebEngineWidgets",
        "QtWebSockets",
        "QtWebView",
        "QtXml",
    )
]

# phonenumbers' geocoder, carrier and time-zone tables (40 MB) are never used: the app
# parses, validates and formats numbers only.
DATA_EXCLUDES = [
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    "phonenumbers.timezone",
    "phonenumbers.tzdata",
]

EXCLUDES = DEV_EXCLUDES + QT_EXCLUDES + DATA_EXCLUDES

# On Linux, the Qt platform plugins a desktop uses: xcb and wayland for screens, offscreen for
# `crm screenshot` and headless runs. eglfs, linuxfb, vnc and friends (and the EGL device
# integrations only eglfs loads) are for embedded devices.
QT_PLATFORMS = {"xcb", "wayland", "wayland-egl", "offscreen"}
QT_DROPPED_PLUGIN_DIRS = {"egldeviceintegrations"}
QT_DROPPED_PLUGINS = {
    # The on-screen keyboard brings all of Qt Quick and QML with it.
    "libqtvirtualkeyboardplugin.so",
    # GTK's theme plugin needs the system's GTK, which would then meet the bundle's own
    # copies of cairo and pango; Qt's own style and dialogs are used instead.
    "libqgtk3.so",
}


# Qt's own translations (standard buttons, print and file dialogs) for the languages the app
# is written for; the other ninety-odd stay out.
QT_TRANSLATIONS = {"ar", "bg", "el", "en", "it"}


def keep_data(dest: str) -> bool:
    """False for a Qt translation file of a language the app does not speak."""
    path = Path(dest)
    if path.suffix != ".qm" or path.parent.name != "translations":
        return True
    # qtbase_el.qm, qt_help_de.qm, qtbase_pt_BR.qm: the language is the first short code.
    codes = [part for part in path.stem.split("_")[1:] if len(part) in (2, 3) and part.islower()]
    return bool(codes) and codes[0] in QT_TRANSLATIONS


def version() -> str:
    """``crm.__version__`` read from the checkout's ``crm/__init__.py``."""
    text = (ROOT / "crm" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise ValueError("crm/__init__.py has no __version__")
    return match.group(1)


def version_tuple(text: str) -> tuple[int, ...]:
    """``0.1.0`` → (0, 1, 0, 0); a suffix such as ``rc1`` is dropped (Windows wants numbers)."""
    numbers = [int(re.sub(r"\D.*", "", part) or 0) for part in text.split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))


def keep_qt_plugin(dest: str) -> bool:
    """False for a Linux Qt plugin no desktop needs (eglfs, linuxfb, vnc, …)."""
    parts = Path(dest).parts
    if "plugins" not in parts:
        return True
    if QT_DROPPED_PLUGIN_DIRS.intersection(parts) or parts[-1] in QT_DROPPED_PLUGINS:
        return False
    if parts[-2] != "platforms":
        return True
    return Path(dest).name.split(".")[0].removeprefix("libq") in QT_PLATFORMS


def slim_linux_binaries(
    binaries: list[tuple[str, str, str]],
    imports_of: Callable[[str], Iterable[tuple[str, str | None]]],
) -> list[tuple[str, str, str]]:
    """Drop the Qt plugins no desktop needs, and the libraries only they linked to.

    ``binaries`` is PyInstaller's TOC of (destination, source, type); ``imports_of`` gives a
    file's link-time libraries (PyInstaller's ``bindepend.get_imports``, which reads ldd).
    """
    kept = [entry for entry in binaries if keep_qt_plugin(entry[0])]
    dropped = [entry for entry in binaries if not keep_qt_plugin(entry[0])]

    def linked(entries: list[tuple[str, str, str]]) -> set[str]:
        return {
            Path(name).name
            for _dest, source, kind in entries
            if kind != "SYMLINK"
            for name, _path in imports_of(source)
        }

    # A library the dropped plugins linked to goes when nothing kept links to it any more;
    # repeated, since dropping one library can leave the ones it linked to unused.
    candidates = linked(dropped)
    while True:
        needed = linked(kept)
        orphans = {Path(e[0]).name for e in kept if Path(e[0]).name in candidates} - needed
        if not orphans:
            return kept
        kept = [entry for entry in kept if Path(entry[0]).name not in orphans]


def without_dangling_links(
    toc: list[tuple[str, str, str]], present: set[str]
) -> list[tuple[str, str, str]]:
    """The TOC without symbolic links whose target (the entry's second field) is gone."""
    return [e for e in toc if e[2] != "SYMLINK" or str(Path(e[1])) in present]


def windows_version_info(text: str) -> str:
    """A PyInstaller version file for the Windows executables (file properties → Details)."""
    numbers = version_tuple(text)
    fields = {
        "CompanyName": "Passaparola developers",
        "FileDescription": APP_NAME,
        "FileVersion": text,
        "InternalName": EXE_NAME,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{EXE_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": text,
    }
    strings = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in fields.items()
    )
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{strings},
        ],
      )
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])]),
  ],
)
"""


def info_plist(text: str) -> dict[str, object]:
    """Info.plist keys for the macOS app bundle."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": text,
        "CFBundleVersion": text,
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "LSApplicationCategoryType": "public.app-category.business",
        "LSMinimumSystemVersion": "11.0",
        "NSHumanReadableCopyright": COPYRIGHT,
    }


if __name__ == "__main__":  # pragma: no cover - a quick look: python packaging/bundle_info.py
    print(APP_NAME, version(), APP_ID, sys.platform)
