"""The installers' parts: desktop and AppStream files, icons, the PyInstaller spec, install.sh.

The bundle itself is built and smoke-run by ``python packaging/build.py --smoke`` (slow, not
part of this run); these tests check what that build is made of.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import crm

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.passaparola.Passaparola"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"


def load(name: str):
    """A module from packaging/ by file: the folder is not a package (it would shadow PyPI's)."""
    spec = importlib.util.spec_from_file_location(
        f"_test_packaging_{name}", PACKAGING / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


info = load("bundle_info")
make_icons = load("make_icons")
build = load("build")


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (apt-get install desktop-file-utils appstream)")
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


# -- desktop integration ------------------------------------------------------------------


def test_desktop_file_is_valid():
    done = run_tool("desktop-file-validate", str(DESKTOP))
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_is_valid_even_pedantically():
    done = run_tool("appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO))
    assert done.returncode == 0, done.stdout + done.stderr
    # Only remarks, never a warning or an error (W: / E: lines).
    assert not re.search(r"^[WE]: ", done.stdout, re.MULTILINE), done.stdout


def test_desktop_file_and_metainfo_describe_this_app():
    entry = desktop_entry(DESKTOP)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = scripts["project"]
    assert entry["Name"] == "Passaparola"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "crm" and "crm" in project["scripts"]
    assert entry["StartupWMClass"] == crm.APP_ID  # Qt's WM_CLASS is the application name
    assert "Office" in entry["Categories"].split(";")

    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == project["license"]["text"]
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.find("developer").get("id")
    assert root.find("content_rating") is not None
    assert root.find("provides/binary").text == "crm"
    description = " ".join(root.find("description").itertext())
    assert "referred whom" in description and "vouchers" in description
    image = root.find("screenshots/screenshot/image").text
    assert image.startswith("https://") and image.endswith(".png")
    # The newest release notes are the version the package says it is.
    newest = root.find("releases/release")
    assert newest.get("version") == crm.__version__
    assert newest.find("description/ul/li") is not None


def test_app_ids_agree():
    from crm.gui.icon import DESKTOP_ID

    assert DESKTOP_ID == info.APP_ID == APP_ID
    assert info.version() == crm.__version__


# -- icons --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def icons(tmp_path_factory) -> dict[str, Path]:
    from crm.gui.app import application

    application([])  # the app's own QApplication, as the GUI tests expect it
    return make_icons.make_icons(tmp_path_factory.mktemp("icons"))


def test_make_icons_renders_every_png_size(icons):
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = icons[f"png{size}"].read_bytes()
        assert make_icons.png_size(png) == (size, size)


def test_png_icons_are_drawn_with_transparent_corners(icons):
    from PySide6.QtGui import QImage

    image = QImage(str(icons["png256"]))
    assert image.pixelColor(1, 1).alpha() == 0  # outside the rounded tile
    centre = image.pixelColor(128, 128)
    assert centre.alpha() == 255 and (centre.red(), centre.green(), centre.blue()) != (0, 0, 0)


def test_ico_holds_seven_png_sizes(icons):
    data = icons["ico"].read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sizes = []
    for i in range(count):
        width, height, _c, _r, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        png = data[offset : offset + length]
        assert make_icons.png_size(png) == (width or 256, height or 256)
        assert (planes, bits) == (1, 32)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    PIL = pytest.importorskip("PIL.Image")  # reportlab brings Pillow: a second reader
    with PIL.open(icons["ico"]) as image:
        assert max(image.info["sizes"]) == (256, 256)


def test_icns_holds_every_macos_size(icons):
    data = icons["icns"].read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, offset = {}, 8
    while offset < len(data):
        kind, length = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        found[kind.decode()] = make_icons.png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert found == {
        "icp4": 16,
        "icp5": 32,
        "icp6": 64,
        "ic07": 128,
        "ic08": 256,
        "ic09": 512,
        "ic10": 1024,
        "ic11": 32,
        "ic12": 64,
        "ic13": 256,
        "ic14": 512,
    }


def test_the_packaged_icon_is_the_source_svg():
    source = ROOT / "resources" / "icons" / "passaparola.svg"
    packaged = ROOT / "crm" / "resources" / "icons" / "passaparola.svg"
    assert source.read_bytes() == packaged.read_bytes(), (
        "crm/resources/icons/passaparola.svg differs from resources/icons: "
        "run python packaging/make_icons.py"
    )


def test_the_svg_icon_ships_in_the_package():
    from crm.gui.icon import icon_path

    assert icon_path().endswith("passaparola.svg")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "resources/icons/*.svg" in pyproject["tool"]["setuptools"]["package-data"]["crm"]


# -- the PyInstaller spec -----------------------------------------------------------------


def test_spec_parses_and_wires_up_the_bundle():
    source = (PACKAGING / "crm.spec").read_text(encoding="utf-8")
    ast.parse(source)
    for needed in (
        'collect_submodules("crm")',  # pages and subcommands imported by name
        'collect_data_files("crm"',  # templates and the icon
        'collect_data_files("fontpkg_noto_sans"',
        'collect_data_files("fontpkg_noto_sans_arabic")',
        'copy_metadata("fontpkg-noto-sans")',
        "excludes=info.EXCLUDES",
        "BUNDLE(",
        "bundle_identifier=info.APP_ID",
        "info_plist=info.info_plist(VERSION)",
        "info.windows_version_info(VERSION)",
        'icon=str(ICONS / "passaparola.ico")',
    ):
        assert needed in source, needed
    assert (PACKAGING / "entry.py").read_text(encoding="utf-8").count("from crm.cli import main")


def test_excludes_drop_unused_qt_and_every_dev_tool():
    for name in (
        "PySide6.QtWebEngineCore",
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.Qt3DCore",
        "PySide6.QtMultimedia",
        "pytest",
        "hypothesis",
        "ruff",
        "mypy",
        "tests",
    ):
        assert name in info.EXCLUDES


def test_no_qt_module_the_app_imports_is_excluded():
    used = set()
    for path in (ROOT / "crm").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    assert not {f"PySide6.{name}" for name in used} & set(info.EXCLUDES)


def test_linux_bundle_drops_embedded_plugins_and_what_only_they_need():
    imports = {
        "plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "plugins/platforms/libqeglfs.so": ["libQt6EglFSDeviceIntegration.so.6", "libQt6Gui.so.6"],
        "plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": [
            "libQt6VirtualKeyboard.so.6",
            "libQt6Quick.so.6",
            "libQt6Qml.so.6",
        ],
        "lib/libQt6VirtualKeyboard.so.6": ["libQt6Quick.so.6", "libQt6Qml.so.6"],
        "lib/libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6Gui.so.6"],
    }
    toc = [
        (f"PySide6/Qt/{path}", f"/src/{path}", "BINARY")
        for path in (
            *imports,
            "lib/libQt6Qml.so.6",
            "lib/libQt6Gui.so.6",
            "lib/libQt6XcbQpa.so.6",
            "lib/libQt6EglFSDeviceIntegration.so.6",
            "plugins/platforms/libqoffscreen.so",
            "plugins/platforms/libqvnc.so",
            "plugins/imageformats/libqsvg.so",
        )
    ]
    toc.append(("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"))

    def imports_of(source: str):
        return [(name, None) for name in imports.get(source.removeprefix("/src/"), [])]

    kept = info.slim_linux_binaries(toc, imports_of)
    present = {dest for dest, _s, _k in kept}
    kept = info.without_dangling_links(kept, present)
    names = {Path(dest).name for dest, _s, _k in kept}
    assert names == {
        "libqxcb.so",
        "libqoffscreen.so",
        "libqsvg.so",
        "libQt6Gui.so.6",
        "libQt6XcbQpa.so.6",
    }


def test_only_the_apps_languages_of_qt_translations_are_kept():
    folder = "PySide6/Qt/translations"
    assert info.keep_data(f"{folder}/qtbase_el.qm")
    assert info.keep_data(f"{folder}/qt_ar.qm")
    assert not info.keep_data(f"{folder}/qtbase_de.qm")
    assert not info.keep_data(f"{folder}/qt_zh_CN.qm")
    assert info.keep_data("babel/locale-data/de.dat")


def test_windows_version_info_comes_from_the_package_version():
    text = info.windows_version_info("1.2.3")
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    assert "filevers=(1, 2, 3, 0)" in text and "'ProductVersion', '1.2.3'" in text
    assert info.version_tuple("2.0rc1") == (2, 0, 0, 0)
    try:
        from PyInstaller.utils.win32 import versioninfo
    except (ImportError, OSError):  # its reader needs pefile (Windows only) and, here, ldd
        return
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"version-{os.getpid()}.txt"
    path.write_text(info.windows_version_info(crm.__version__), encoding="utf-8")
    try:
        assert versioninfo.load_version_info_from_text_file(str(path))
    finally:
        path.unlink()


def test_info_plist_for_macos():
    plist = info.info_plist(crm.__version__)
    assert plist["CFBundleIdentifier"] == APP_ID
    assert plist["CFBundleShortVersionString"] == crm.__version__
    assert plist["NSHighResolutionCapable"] is True
    assert plist["LSApplicationCategoryType"] == "public.app-category.business"


# -- install.sh ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("sh") is None, reason="install.sh needs a POSIX shell")
def test_install_script_puts_icons_under_hicolor_names(tmp_path, icons):
    bundle = tmp_path / "passaparola"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "base_library.zip").write_bytes(b"")
    (bundle / "crm").write_text("#!/bin/sh\necho crm\n")
    (bundle / "crm").chmod(0o755)
    build.linux_integration(bundle, icons["svg"].parent)
    prefix = tmp_path / "prefix"

    done = subprocess.run(
        ["sh", str(bundle / "install.sh"), "--prefix", str(prefix)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    hicolor = prefix / "share" / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert make_icons.png_size(png.read_bytes()) == (size, size)
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    app = prefix / "lib" / "passaparola"
    assert (app / "crm").is_file() and (app / "_internal").is_dir()
    assert not (app / "share").exists() and not (app / "install.sh").exists()
    assert (prefix / "bin" / "crm").resolve() == (app / "crm").resolve()
    installed = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    assert desktop_entry(installed)["Exec"] == str(app / "crm")
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout

    done = subprocess.run(
        ["sh", str(bundle / "install.sh"), "--prefix", str(prefix), "--uninstall"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert not app.exists() and not (prefix / "bin" / "crm").exists() and not installed.exists()
    assert not list(hicolor.rglob(f"{APP_ID}.*"))


def test_smoke_run_picks_consenting_clients_in_every_language():
    people = [
        {"id": 1, "language": "el", "stage": "customer", "marketing_consent": True},
        {"id": 2, "language": "el", "stage": "ambassador", "marketing_consent": True},
        {"id": 3, "language": "ar", "stage": "customer", "marketing_consent": False},
        {"id": 4, "language": "ar", "stage": "ambassador", "marketing_consent": True},
        {"id": 5, "language": "bg", "stage": "lead", "marketing_consent": True},
    ]
    assert build.voucher_holders(people, count=3) == [4, 1, 2]
