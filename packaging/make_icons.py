"""Render the app icon from its SVG: PNGs in every size, ``.ico`` for Windows, ``.icns`` for macOS.

    python packaging/make_icons.py [--out build/icons]

The SVG source is ``resources/icons/passaparola.svg``. The running app draws its icon from a
copy inside the package (``crm/resources/icons/``, since pip ships only what is under ``crm/``):
this script refreshes that copy and a test keeps the two identical. Everything else it makes
is generated and never committed.
Qt's own SVG renderer draws the PNGs (no extra dependency); the ``.ico`` and ``.icns``
containers hold those PNGs and are written here directly, so any platform can make all three.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "passaparola.svg"
# The copy the installed app loads at run time (pip ships only what is inside crm/);
# make_icons refreshes it from the source, and a test keeps the two identical.
PACKAGE_SVG = ROOT / "crm" / "resources" / "icons" / "passaparola.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico entry can be
# macOS icon types that hold PNG data, by pixel size (the @2x ones are Retina variants).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of ``size`` pixels, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        # A full QApplication, not a QGuiApplication: in a process that shows widgets
        # later (the test run), the first application object is the only one there is.
        render_png.app = QApplication([])  # type: ignore[attr-defined]  # kept alive
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (Vista and later read PNG entries)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the one-byte fields
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images of every standard size, Retina variants included."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(out: Path, svg: Path = SVG) -> dict[str, Path]:
    """Write ``passaparola-SIZE.png`` for each size, ``passaparola.ico``, ``.icns`` and ``.svg``."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _kind, size in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    written: dict[str, Path] = {}
    for size in PNG_SIZES:
        path = out / f"passaparola-{size}.png"
        path.write_bytes(pngs[size])
        written[f"png{size}"] = path
    written["ico"] = out / "passaparola.ico"
    written["ico"].write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    written["icns"] = out / "passaparola.icns"
    written["icns"].write_bytes(icns_bytes(pngs))
    written["svg"] = out / "passaparola.svg"
    shutil.copyfile(svg, written["svg"])
    if svg == SVG and PACKAGE_SVG.read_bytes() != SVG.read_bytes():
        shutil.copyfile(SVG, PACKAGE_SVG)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "icons", help="output folder")
    parser.add_argument("--svg", type=Path, default=SVG, help="the icon's SVG source")
    args = parser.parse_args(argv)
    written = make_icons(args.out, args.svg)
    for path in written.values():
        print(f"{path.relative_to(args.out)}\t{path.stat().st_size:>8,} bytes")
    print(f"icons in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
