"""GUI benchmark: the contacts page at 100,000 contacts beside a bare PySide6 window.

Run as ``python tests/perf/bench_gui.py [--contacts 100000] [--db FILE]`` (not
collected by pytest). It builds a demo database of N contacts in a temporary
folder (or uses ``--db``), then starts, each in a fresh subprocess so their
memory is measured apart:

- the app: ``build_window`` on the database, real (threaded) gateway, showing
  the contacts page;
- the bare window: a ``QMainWindow`` with a ``QTableView`` over a computed
  100,000-row model (7 columns, text made from the row number), nothing else.

Figures, as medians over ``--runs`` subprocesses (after one warm-up each):

- launch to the table painted: from the first line of the child script (before
  any import) until the table's first paint with rows has run; also from the
  parent's spawn, which adds the interpreter's own start;
- resident memory (VmRSS) after that first paint, and the peak (VmHWM);
- jump to the last row: ``scrollToBottom()`` and a synchronous repaint, with
  the model's fetched pages forgotten first (so it is a real fetch);
- a search keystroke to repainted results: from the search box reporting its
  text (after its 120 ms typing pause, which is deliberate and not counted)
  until the query ran on the worker, the model was reset and the table
  repainted. The bare window filters its computed names in Python instead.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # before any import: the child's launch starts here

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TARGETS = {"launch": 1.5, "rss_mb": 80.0, "jump_ms": 30.0, "search_ms": 50.0}
SIZE = (1280, 800)
# Keystrokes as a user types them: each prefix is one search.
TYPED = ("m", "ma", "mar", "mari", "maria", "π", "πα", "παπ", "παπα", "παπαδ", "k", "ko")


def rss_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in kB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0])
    return values["VmRSS"], values["VmHWM"]


def wait_painted(app, viewport, condition=lambda: True, timeout: float = 10.0) -> None:
    """Process events until ``viewport`` has been painted (and ``condition`` holds)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject

    class Watch(QObject):
        painted = False

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint and condition():
                Watch.painted = True
            return False

    watch = Watch()
    viewport.installEventFilter(watch)
    deadline = time.perf_counter() + timeout
    while not Watch.painted:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if time.perf_counter() > deadline:
            raise RuntimeError("the table was never painted")
    # The filter saw the paint start; processEvents returned after it ended.
    viewport.removeEventFilter(watch)


def loaded_at_paint(names: list[str]) -> dict:
    """What the app had imported at its first paint (read after the clock stopped).

    ``compiled``: the app's own modules Python compiled from source at this
    launch because no bytecode cache was there to read (``PYTHONDONTWRITEBYTECODE``
    set, as in this sandbox, and no ``__pycache__``). An installed app reads
    bytecode instead; the lines show how much compiling the launch figure holds.
    """
    import importlib.util

    compiled, lines = 0, 0
    for name in names:
        source = getattr(sys.modules.get(name), "__file__", None) or ""
        own = name.startswith("crm") and source.endswith(".py")
        if own and not os.path.exists(importlib.util.cache_from_source(source)):
            compiled += 1
            with open(source, encoding="utf-8") as fh:
                lines += sum(1 for _ in fh)
    return {
        "modules": len(names),
        "crm_modules": sum(1 for n in names if n == "crm" or n.startswith("crm.")),
        "orm_loaded": "peewee" in names,
        "compiled": compiled,
        "compiled_lines": lines,
    }


# -- the children ----------------------------------------------------------------------


def child_app(db_path: str, runs: int) -> dict:
    marks = {}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings

    from crm.core import db
    from crm.gui.app import application, build_window, set_language

    marks["imports"] = time.perf_counter()
    memory = {"imports": rss_kb()[0]}
    app = application([])
    set_language(app, os.environ.get("CRM_BENCH_LANGUAGE", "en"))  # as run() does
    store = db.open_database(db_path)
    marks["database"] = time.perf_counter()
    settings_file = Path(tempfile.mkdtemp(prefix="crm-bench-gui-")) / "settings.ini"
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = build_window(store, settings)
    window.resize(*SIZE)
    view = window.show_page("contacts")
    marks["window"] = time.perf_counter()
    memory["window"] = rss_kb()[0]
    window.show()
    table, model = view.table, view.model
    wait_painted(app, table.viewport(), lambda: model.rowCount() > 0)
    painted = time.perf_counter()
    rss, peak = rss_kb()
    loaded = list(sys.modules)
    result = {
        "launch_ms": (painted - _T0) * 1000,
        "painted_at": time.time(),
        "rss_kb": rss,
        "peak_kb": peak,
        "rows": model.rowCount(),
        "stages_ms": {k: (v - _T0) * 1000 for k, v in marks.items()},
        "stages_kb": {**memory, "painted": rss},
        "fetches_at_launch": model.fetch_count,
        **loaded_at_paint(loaded),
    }
    # The first paint shows the first page of ids; the whole ordered list comes
    # from a worker just after. Everything below runs on the whole list.
    window.ctx.gateway.wait()
    deadline = time.perf_counter() + 10
    while model.rowCount() <= model.page_size and time.perf_counter() < deadline:
        app.processEvents()
    result["full_list_ms"] = (time.perf_counter() - _T0) * 1000
    result["rows"] = model.rowCount()
    result["full_rss_kb"] = rss_kb()[0]

    jumps = []
    for _ in range(runs):
        table.scrollToTop()
        table.viewport().repaint()
        model.invalidate_rows()
        app.processEvents()
        start = time.perf_counter()
        table.scrollToBottom()
        table.viewport().repaint()
        jumps.append((time.perf_counter() - start) * 1000)
    result["jump_ms"] = jumps

    searches = {}
    resets = [0]

    def count_reset() -> None:
        resets[0] += 1

    model.modelReset.connect(count_reset)
    for _ in range(2):  # the second pass is the one kept: caches warm, as in use
        for text in ("", *TYPED, ""):
            before = resets[0]
            start = time.perf_counter()
            view.search.setText(text)
            view.search.flush()
            while resets[0] == before:
                app.processEvents()
            table.viewport().repaint()
            elapsed = (time.perf_counter() - start) * 1000
            if text:
                searches[text] = (elapsed, model.rowCount())
    result["search_ms"] = {k: v[0] for k, v in searches.items()}
    result["search_rows"] = {k: v[1] for k, v in searches.items()}
    result["reportlab_loaded"] = any(m.startswith("reportlab") for m in sys.modules)
    window.close()
    store.close()
    settings_file.unlink(missing_ok=True)
    settings_file.parent.rmdir()
    return result


def child_bare(rows: int, runs: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    given = ("Anna", "Marco", "Maria", "Γιώργος", "Ελένη", "Петър", "Ahmed", "Paolo", "Lucia")
    family = ("Rossi", "Παπαδόπουλος", "Йорданов", "Haddad", "Kelly", "Conti", "Marino")

    class Computed(QAbstractTableModel):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.rows = list(range(n))

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 7

        def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
                return ("Name", "Organization", "Email", "Phone", "City", "Stage", "Channel")[
                    section
                ]
            return None

        @staticmethod
        def name(r: int) -> str:
            return f"{family[r % len(family)]}, {given[r % len(given)]}"

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            r, c = self.rows[index.row()], index.column()
            if c == 0:
                return self.name(r)
            return f"{('Org', 'mail', '+30 210', 'City', 'lead', 'event')[c - 1]} {r}"

        def search(self, text: str) -> None:
            self.beginResetModel()
            needle = text.casefold()
            self.rows = [r for r in range(rows) if needle in self.name(r).casefold()]
            self.endResetModel()

    app = QApplication([])
    window = QMainWindow()
    table = QTableView()
    model = Computed(rows)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(*SIZE)
    window.show()
    wait_painted(app, table.viewport())
    painted = time.perf_counter()
    rss, peak = rss_kb()
    result = {
        "launch_ms": (painted - _T0) * 1000,
        "painted_at": time.time(),
        "rss_kb": rss,
        "peak_kb": peak,
        "rows": model.rowCount(),
    }
    jumps = []
    for _ in range(runs):
        table.scrollToTop()
        table.viewport().repaint()
        app.processEvents()
        start = time.perf_counter()
        table.scrollToBottom()
        table.viewport().repaint()
        jumps.append((time.perf_counter() - start) * 1000)
    result["jump_ms"] = jumps
    searches = {}
    for text in TYPED:
        start = time.perf_counter()
        model.search(text)
        table.viewport().repaint()
        searches[text] = (time.perf_counter() - start) * 1000
        model.search("")
    result["search_ms"] = searches
    window.close()
    return result


# -- the parent ----------------------------------------------------------------------------


def spawn(kind: str, target: str, runs: int) -> dict:
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--target", target, "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["spawn_ms"] = (result["painted_at"] - started) * 1000
    return result


def median(values) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--db", help="an existing demo database (skips building one)")
    parser.add_argument("--runs", type=int, default=5, help="subprocesses per window")
    parser.add_argument(
        "--language", default="en", help="the app's interface language (en, el, bg, it, ar)"
    )
    parser.add_argument("--child", choices=("app", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "app":
        print(json.dumps(child_app(args.target, 7)))
        return 0
    if args.child == "bare":
        print(json.dumps(child_bare(int(args.target), 7)))
        return 0

    os.environ["CRM_BENCH_LANGUAGE"] = args.language  # the app children read it
    print(f"interface language: {args.language}")
    sys.path.insert(0, str(ROOT))
    from crm import demo
    from crm.core import db as dbm

    folder = None
    if args.db:
        path = Path(args.db)
    else:
        folder = Path(tempfile.mkdtemp(prefix="crm-bench-gui-"))
        path = folder / f"bench-{args.contacts}.sqlite3"
        store = dbm.open_database(path)
        started = time.perf_counter()
        summary = demo.generate(store, args.contacts, seed=1)
        store.close()
        print(
            f"demo data: {summary['contacts']:,} contacts in {time.perf_counter() - started:.1f} s"
        )

    # An installed app runs from byte-compiled modules (pip compiles them): do the
    # same for the checkout, so the launch is not also timing Python's compiler.
    # (Writes __pycache__ folders, which git ignores; the bare script is one file.)
    import compileall

    compileall.compile_dir(ROOT / "crm", quiet=1)
    apps, bares = [], []
    spawn("app", str(path), args.runs)  # warm-up: file cache, font cache
    spawn("bare", str(args.contacts), args.runs)
    for _ in range(args.runs):
        apps.append(spawn("app", str(path), args.runs))
        bares.append(spawn("bare", str(args.contacts), args.runs))

    def figure(results, key):
        return median(r[key] for r in results)

    app_search = [ms for r in apps for ms in r["search_ms"].values()]
    bare_search = [ms for r in bares for ms in r["search_ms"].values()]
    app_jump = [ms for r in apps for ms in r["jump_ms"]]
    bare_jump = [ms for r in bares for ms in r["jump_ms"]]
    rows = [
        (
            "launch → table painted (ms)",
            figure(apps, "launch_ms"),
            figure(bares, "launch_ms"),
            f"≤ {TARGETS['launch']}× bare",
        ),
        ("  … counted from spawn (ms)", figure(apps, "spawn_ms"), figure(bares, "spawn_ms"), ""),
        (
            "RSS after first paint (MB)",
            figure(apps, "rss_kb") / 1024,
            figure(bares, "rss_kb") / 1024,
            f"≤ {TARGETS['rss_mb']:.0f} MB",
        ),
        (
            "  … whole id list loaded (ms)",
            figure(apps, "full_list_ms"),
            figure(bares, "launch_ms"),
            "",
        ),
        (
            "RSS, whole list loaded (MB)",
            figure(apps, "full_rss_kb") / 1024,
            figure(bares, "rss_kb") / 1024,
            f"≤ {TARGETS['rss_mb']:.0f} MB",
        ),
        ("peak RSS (MB)", figure(apps, "peak_kb") / 1024, figure(bares, "peak_kb") / 1024, ""),
        (
            "jump to last row, median (ms)",
            median(app_jump),
            median(bare_jump),
            f"≤ {TARGETS['jump_ms']:.0f} ms",
        ),
        ("jump to last row, worst (ms)", max(app_jump), max(bare_jump), ""),
        (
            "search keystroke → repaint, median (ms)",
            median(app_search),
            median(bare_search),
            f"≤ {TARGETS['search_ms']:.0f} ms",
        ),
        ("search keystroke → repaint, worst (ms)", max(app_search), max(bare_search), ""),
    ]
    header = ("figure", "app", "bare", "ratio", "target")
    table = [
        (label, f"{a:.1f}", f"{b:.1f}", f"{a / b:.2f}" if b else "-", target)
        for label, a, b, target in rows
    ]
    widths = [max(len(r[i]) for r in (header, *table)) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" if i in (0, 4) else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(
        f"\n{apps[0]['rows']:,} contacts in the table, window {SIZE[0]}x{SIZE[1]}, "
        f"{args.runs} runs each (medians)\n"
    )
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in table:
        print(line.format(*row))

    stages = {k: median(r["stages_ms"][k] for r in apps) for k in apps[0]["stages_ms"]}
    print(
        "\napp launch stages (ms from the first line): "
        + ", ".join(f"{k} {v:.0f}" for k, v in stages.items())
        + f", painted {figure(apps, 'launch_ms'):.0f}"
    )
    memory = {k: median(r["stages_kb"][k] for r in apps) / 1024 for k in apps[0]["stages_kb"]}
    print("app RSS by stage (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    print(f"pages fetched by the first paint: {apps[0]['fetches_at_launch']}")
    first = apps[0]
    print(
        f"loaded at the first paint: {first['modules']} modules, {first['crm_modules']} of "
        f"the app's; peewee: {first['orm_loaded']}; compiled from source at launch (no "
        f"bytecode cache): {first['compiled']} modules, {first['compiled_lines']:,} lines"
    )
    per_query = {text: median(r["search_ms"][text] for r in apps) for text in apps[0]["search_ms"]}
    print(
        "search per keystroke (ms, rows): "
        + ", ".join(
            f"'{t}' {ms:.0f} ({apps[0]['search_rows'][t]:,})" for t, ms in per_query.items()
        )
    )
    print(f"reportlab imported by the app: {any(r['reportlab_loaded'] for r in apps)}")

    if folder is not None:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
