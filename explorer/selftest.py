"""``explorer --self-test``: prove an installation works, without a display.

Run from source, from an installed package or inside the PyInstaller bundle,
it checks, in order:

1. the shipped files are where ``importlib.resources`` says (the default
   corpus, the icon, the desktop entry), and inside the bundle when frozen;
2. the default corpus loads and validates, and the compiled cache gives back
   the same corpus;
3. the window builds offscreen, and every event, selected in the event list,
   reaches all three panes: the list's current row, the detail pane's
   evidence, the essay's highlighted quote scrolled into view;
4. the audit runs over the corpus;
5. a verification mark is written and read back in a temporary data folder.

Each check is one function that returns what it checked or raises
:class:`SelfTestFailure` with the reason. The user's own settings, marks
and cache are never touched: every location points into a temporary folder.
Prints one line per check; exit status 0 when all pass, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from explorer import __version__

# The files a build must ship beside the code, relative to explorer.resources.
REQUIRED_RESOURCES = ("icons/explorer.svg", "icons/explorer.png", "explorer.desktop")
# What the offscreen platform says about any main window; about the platform, not the app.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",)


class SelfTestFailure(Exception):
    """A check failed; the message says what and why."""


@dataclass
class _Context:
    scratch: Path
    corpus: Any = None
    findings: list[Any] = field(default_factory=list)


def check_files(ctx: _Context) -> str:
    from explorer.core.locations import default_corpus_dir, resources_dir

    corpus_dir, resources = default_corpus_dir(), resources_dir()
    missing = [str(corpus_dir / "corpus.yaml")] if not (corpus_dir / "corpus.yaml").is_file() else []
    missing += [str(resources / name) for name in REQUIRED_RESOURCES if not (resources / name).is_file()]
    if missing:
        raise SelfTestFailure("missing: " + ", ".join(missing))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        for found in (corpus_dir, resources):
            if Path(frozen).resolve() not in found.resolve().parents:
                raise SelfTestFailure(f"{found} is outside the bundle ({frozen})")
    where = f"inside the bundle {frozen}" if frozen else "from the installed package or the source checkout"
    return f"default corpus {corpus_dir} and {len(REQUIRED_RESOURCES)} resources found {where}"


def check_corpus(ctx: _Context) -> str:
    from explorer.core.corpus_cache import HIT, open_corpus
    from explorer.core.errors import CorpusError
    from explorer.core.loader import load_corpus
    from explorer.core.locations import default_corpus_dir

    path = default_corpus_dir()
    try:
        corpus = load_corpus(path)
    except CorpusError as exc:
        raise SelfTestFailure(f"the default corpus does not validate: {exc.details()}") from exc
    cache = ctx.scratch / "cache"
    open_corpus(path, cache)
    cached = open_corpus(path, cache)
    if cached.outcome != HIT or cached.corpus != corpus:
        raise SelfTestFailure(f"the compiled cache did not give back the corpus ({cached.outcome} {cached.detail})")
    ctx.corpus = corpus
    counts = ", ".join(f"{n} {k}" for k, n in corpus.counts().items())
    return f"{corpus.manifest.id} validates ({counts}); the compiled cache returns the same corpus"


def check_window(ctx: _Context) -> str:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no display needed
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from explorer.core.anchors import anchor_in
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    def on_qt_message(kind: object, context: object, message: str) -> None:
        if message not in OFFSCREEN_NOISE:
            print(message, file=sys.stderr)

    previous_handler = qInstallMessageHandler(on_qt_message)
    corpus = ctx.corpus
    app = QApplication.instance() or QApplication(["explorer", "-platform", "offscreen"])
    window = MainWindow(corpus, Settings(open_settings(ctx.scratch / "config" / "explorer.ini")))
    try:
        window.show()
        app.processEvents()
        listed = window.event_list.visible_events()
        if listed != [e.id for e in corpus.events]:
            raise SelfTestFailure(f"the event list shows {len(listed)} rows for {len(corpus.events)} events")
        for event in corpus.events:
            _walk_event(app, window, corpus, event, anchor_in)
        if not window.grab().save(str(ctx.scratch / "window.png")):
            raise SelfTestFailure("the window could not be rendered to an image")
        _lay_out_report(window)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous_handler)
    return (f"window built offscreen ({QApplication.platformName()}); {len(corpus.events)} events each reached the "
            "list, the detail pane and the essay's highlighted quote; the report laid out in pages")


def _lay_out_report(window: Any) -> None:
    """The citation-check report laid out in pages, as File > Print and the PDF export do, and File >
    Print's module there. (No QPrinter: one asks the print service, CUPS, for its printers.)"""
    import PySide6.QtPrintSupport  # noqa: F401 - the bundle must ship it

    from explorer.ui.export_actions import report_html
    from explorer.ui.report_pdf import report_pdf_bytes

    if not report_pdf_bytes(*report_html(window.corpus, [])).startswith(b"%PDF-"):
        raise SelfTestFailure("the citation-check report could not be laid out in pages")


def _walk_event(app: Any, window: Any, corpus: Any, event: Any, anchor_in: Callable[..., Any]) -> None:
    def fail(why: str) -> SelfTestFailure:
        return SelfTestFailure(f"event {event.id}: {why}")

    window.event_list.choose(event.id)
    if window.state.event_id != event.id:
        raise fail(f"choosing its row selected {window.state.event_id!r}")
    deadline = time.monotonic() + 5
    while window.document_pane.shown != window.state.selection:  # the pane renders after a short timer
        if time.monotonic() > deadline:
            raise fail("the detail pane did not follow within 5 s")
        app.processEvents()
        time.sleep(0.001)
    if window.event_list.current_event() != event.id:
        raise fail(f"the list's current row is {window.event_list.current_event()!r}")
    shown = window.document_pane.browser.toPlainText()
    evidence = [corpus.document_by_id[d].title for d in event.documents] or [
        corpus.source_by_id[s].title for s in event.sources]
    if evidence and not any(title in shown for title in evidence):
        raise fail("the detail pane names none of its documents or sources")
    if event.passages:
        quotes = [q.text for q in event.passages]
        highlighted = window.passage_pane.highlighted_text()
        if not highlighted or not all(any(h in q for q in quotes) for h in highlighted):
            raise fail(f"the essay highlights {highlighted!r}, not its quote")
        anchor = anchor_in(corpus, event.id, window.state.passage)
        position = anchor and window.passage_pane.position_of(anchor.passage, anchor.quote.start)
        if position is None or not window.passage_pane.is_in_view(position):
            raise fail("its quote is not scrolled into view in the essay")


def check_audit(ctx: _Context) -> str:
    from explorer.core.audit import run_audit

    ctx.findings = run_audit(ctx.corpus)
    by_severity = Counter(f.severity for f in ctx.findings)
    summary = ", ".join(f"{n} {s}" for s, n in sorted(by_severity.items())) or "no findings"
    return f"audit ran: {len(ctx.findings)} findings ({summary})"


def check_marks(ctx: _Context) -> str:
    from explorer.store.marks import MarkStatus, MarkStore

    path = ctx.scratch / "data" / "marks.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    corpus_id = ctx.corpus.manifest.id
    footnote = ctx.corpus.essay.footnotes[0].number if ctx.corpus.essay.footnotes else None
    key, note = "self-test", f"written by explorer {__version__} --self-test"
    with MarkStore.open(path) as store:
        if store.read_only:
            raise SelfTestFailure(f"the marks file {path} opened read-only: {store.warnings}")
        store.set_mark(corpus_id, key, MarkStatus.VERIFIED, note, footnote=footnote, label="self-test")
    with MarkStore.open(path, read_only=True) as store:
        mark = store.get(corpus_id, key)
        history = store.history(corpus_id, key)
    if mark is None or (mark.status, mark.note, mark.footnote) != (MarkStatus.VERIFIED, note, footnote):
        raise SelfTestFailure(f"the mark read back is {mark!r}")
    if len(history) != 1:
        raise SelfTestFailure(f"the mark's history has {len(history)} entries, expected 1")
    return f"verification mark written, committed and read back from a fresh connection ({path.name})"


CHECKS: list[tuple[str, Callable[[_Context], str]]] = [
    ("files", check_files),
    ("corpus", check_corpus),
    ("window", check_window),
    ("audit", check_audit),
    ("marks", check_marks),
]


def run(out: TextIO | None = None) -> int:
    """Run every check in a temporary folder; 0 if all pass, 1 at the first failure."""
    out = out or sys.stdout
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    print(f"explorer {__version__}{frozen} self-test, Python {sys.version.split()[0]}", file=out)
    with tempfile.TemporaryDirectory(prefix="explorer-self-test-") as scratch_name:
        scratch = Path(scratch_name)
        saved = {name: os.environ.get(name) for name in _SANDBOX_ENV}
        for name, sub in _SANDBOX_ENV.items():
            os.environ[name] = str(scratch / sub)
        try:
            ctx = _Context(scratch)
            for name, check in CHECKS:
                started = time.perf_counter()
                try:
                    said = check(ctx)
                except SelfTestFailure as exc:
                    print(f"FAIL {name}: {exc}", file=out)
                    return 1
                except Exception as exc:  # a crash is a failure with its traceback, not a hang
                    print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out)
                    traceback.print_exc(file=out)
                    return 1
                print(f"ok   {name:<7} {said} [{time.perf_counter() - started:.2f} s]", file=out)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    print(f"self-test passed: {len(CHECKS)} checks", file=out)
    return 0


# Everything the app would write goes to the scratch folder instead.
_SANDBOX_ENV = {
    "EXPLORER_DATA_DIR": "data",
    "EXPLORER_CONFIG_DIR": "config",
    "EXPLORER_CACHE_DIR": "cache",
}
