"""Build Passaparola's one-folder app bundle for this platform, and smoke-run it.

    python -m pip install '.[packaging]'
    python packaging/build.py            # icons, PyInstaller, size  →  dist/passaparola/
    python packaging/build.py --smoke    # the same, then run the bundle without Python

On Linux the bundle also carries its desktop integration (``share/``: the .desktop file,
the AppStream metainfo, the icons under hicolor names) and ``install.sh``, which installs
all of it for the current user. The smoke run uses the built bundle with ``PATH`` stripped
of every Python, a fresh home folder and the offscreen Qt platform: a demo database,
a voucher batch printed to PDF, and a screenshot of the contacts page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _load(name: str):
    """A sibling module by file: this folder is not a package (it would shadow ``packaging``)."""
    spec = importlib.util.spec_from_file_location(f"_passaparola_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


info = _load("bundle_info")
make_icons = _load("make_icons")

LINUX = HERE / "linux"
DESKTOP_FILE = LINUX / f"{info.APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{info.APP_ID}.metainfo.xml"
INSTALL_SCRIPT = LINUX / "install.sh"


def human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def tree_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symlinks counted once, as links)."""
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def hicolor_layout(icons: Path, share: Path) -> list[Path]:
    """The generated icons copied to ``share/icons/hicolor`` under the app id."""
    written = []
    for size in make_icons.PNG_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{info.APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icons / f"passaparola-{size}.png", target)
        written.append(target)
    target = share / "icons" / "hicolor" / "scalable" / "apps" / f"{info.APP_ID}.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icons / "passaparola.svg", target)
    written.append(target)
    return written


def linux_integration(bundle: Path, icons: Path) -> None:
    """Put ``share/`` (desktop file, metainfo, hicolor icons) and ``install.sh`` in the bundle."""
    share = bundle / "share"
    shutil.rmtree(share, ignore_errors=True)
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    shutil.copyfile(DESKTOP_FILE, share / "applications" / DESKTOP_FILE.name)
    shutil.copyfile(METAINFO_FILE, share / "metainfo" / METAINFO_FILE.name)
    hicolor_layout(icons, share)
    shutil.copyfile(INSTALL_SCRIPT, bundle / "install.sh")
    (bundle / "install.sh").chmod(0o755)


def build(dist: Path, work: Path, icons: Path) -> Path:
    """Icons, then PyInstaller with crm.spec; returns the bundle folder."""
    print(f"== icons → {icons}", flush=True)
    make_icons.make_icons(icons)
    print("== PyInstaller", flush=True)
    env = dict(os.environ, PASSAPAROLA_ICONS=str(icons))
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(HERE / "crm.spec"),
    ]
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    print(f"   built in {time.monotonic() - started:.0f} s", flush=True)
    bundle = dist / info.BUNDLE_DIR
    if sys.platform.startswith("linux"):
        linux_integration(bundle, icons)
    return bundle


def report_size(bundle: Path) -> int:
    """Print the bundle's size and its largest parts; return the size in bytes."""
    total = tree_size(bundle)
    print(f"== bundle {bundle}: {human(total)} ({total:,} bytes)")
    inside = bundle / "_internal"
    parts = sorted(
        ((tree_size(p), p) for p in (inside.iterdir() if inside.is_dir() else [])),
        reverse=True,
    )
    for size, path in parts[:12]:
        print(f"   {human(size):>12}  {path.relative_to(bundle)}")
    return total


def python_free_path() -> str:
    """``PATH`` without any folder that holds a Python interpreter."""
    folders = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or not Path(folder).is_dir():
            continue
        if any(Path(folder).glob("python*")):
            continue
        folders.append(folder)
    return os.pathsep.join(folders)


def voucher_holders(people: list[dict], count: int = 8) -> list[int]:
    """Clients who agreed to marketing, one per letter language first (every script prints)."""
    clients = [
        p
        for p in people
        if p.get("marketing_consent") and p.get("stage") in ("customer", "ambassador")
    ]
    chosen: dict[int, None] = {}
    for language in sorted({p.get("language") or "" for p in clients}):
        chosen.setdefault(next(p["id"] for p in clients if p.get("language") == language))
    for p in clients:
        if len(chosen) >= count:
            break
        chosen.setdefault(p["id"])
    if not chosen:
        raise SystemExit("smoke run failed: the demo data has no client who agreed to marketing")
    return list(chosen)[:count]


def smoke(bundle: Path, out: Path) -> None:
    """Run the bundle as a user would, without Python: demo data, vouchers, a screenshot."""
    exe = bundle / (f"{info.EXE_NAME}.exe" if sys.platform == "win32" else info.EXE_NAME)
    if not exe.is_file():
        raise SystemExit(f"No bundle at {bundle}: build it first")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    home = Path(tempfile.mkdtemp(prefix="passaparola-smoke-home-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "PYENV", "QT_"))
    }
    env.update(
        PATH=python_free_path(),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    assert shutil.which("python", path=env["PATH"]) is None
    assert shutil.which("python3", path=env["PATH"]) is None
    print(f"== smoke run in {out} (PATH without Python: {env['PATH'] or '(empty)'})")

    def crm(*args: str) -> str:
        print(f"$ crm {' '.join(args)}", flush=True)
        started = time.monotonic()
        done = subprocess.run(
            [str(exe), *args], cwd=out, env=env, capture_output=True, text=True, timeout=600
        )
        lines = (done.stdout + done.stderr).strip().splitlines()
        for line in lines if len(lines) <= 14 else [*lines[:6], "…", *lines[-6:]]:
            print(f"  {line[:150]}")
        print(f"  → exit {done.returncode} in {time.monotonic() - started:.1f} s", flush=True)
        if done.returncode != 0:
            raise SystemExit(f"smoke run failed: crm {' '.join(args)}")
        return done.stdout

    db = ("--db", "smoke.sqlite3")
    batch = ("--batch", "SMOKE")
    expires = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    try:
        crm("--version")
        crm(*db, "demo", "--contacts", "100")
        people = json.loads(crm(*db, "contacts", "list", "--json", "--limit", "1000"))
        holders = [arg for cid in voucher_holders(people) for arg in ("--holder", str(cid))]
        crm(*db, "vouchers", "issue", *holders, "--value", "50", "--expires", expires, *batch)
        crm(*db, "vouchers", "print", *batch, "-o", "vouchers.pdf", "--per-page", "4")
        crm(*db, "screenshot", "contacts", "-o", "contacts.png")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    pdf, png = (out / "vouchers.pdf").read_bytes(), (out / "contacts.png").read_bytes()
    if not pdf.startswith(b"%PDF-") or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SystemExit("smoke run failed: the PDF or the PNG is not what it should be")
    width, height = make_icons.png_size(png)
    print(f"   vouchers.pdf {human(len(pdf))}, contacts.png {width}x{height}: smoke run passed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="smoke-run the bundle after")
    parser.add_argument(
        "--no-build", action="store_true", help="use the bundle already in --dist (with --smoke)"
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--icons", type=Path, default=ROOT / "build" / "icons")
    parser.add_argument("--smoke-dir", type=Path, default=ROOT / "build" / "smoke")
    args = parser.parse_args(argv)
    bundle = args.dist / info.BUNDLE_DIR
    if not args.no_build:
        bundle = build(args.dist.resolve(), args.work.resolve(), args.icons.resolve())
    report_size(bundle)
    if args.smoke:
        smoke(bundle, args.smoke_dir.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
