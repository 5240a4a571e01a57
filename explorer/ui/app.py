"""Starting the app: arguments, opening a corpus off the GUI thread, errors, screenshots.

    explorer [CORPUS | ESSAY] [--select ID] [--screenshot FILE.png]

An essay file (.docx, .odt, Markdown, text) is imported first, in the same
job, into a corpus folder (by default under ``<data>/essays/``, reused while
the essay is unchanged), and that corpus opens. A corpus is loaded in the
thread pool, through the corpus cache, while the event loop runs: a load
still running after :data:`START_WINDOW_DELAY_MS` shows a window frame with
its progress and Cancel (a quick one goes straight to the window, with no
frame flashing by), and File > Open leaves the open window usable while the
next corpus loads. A corpus that
cannot be loaded becomes a dialog listing every problem and offering the
default corpus. ``--screenshot`` renders the window offscreen to a PNG
and exits, with fresh settings and an empty marks file so the picture does
not depend on the last run; it waits for the audit.

The verification marks file is opened once, here, and each window gets the
marks of its corpus. A file that cannot be used never stops the app: the
window says why in its message bar and marking is read-only or off.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog

from explorer.core.corpus_cache import open_corpus
from explorer.core.errors import CorpusError
from explorer.core.locations import default_corpus_dir, resources_dir
from explorer.store.marks import MARKS_FILENAME, default_data_dir
from explorer.ui.audit_job import ReaderFirst, wait_for_workers
from explorer.ui.error_dialog import ErrorReporter, cannot_open_message
from explorer.ui.essay_open import ask_for_essay_folder
from explorer.ui.loading import LoadProgress, StartWindow
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, OpenedMarks, open_marks
from explorer.ui.settings import APPLICATION, ORGANISATION, Settings, open_settings

log = logging.getLogger("explorer")

#: Wait this long (ms) after showing the window before taking a screenshot, for the first layout.
SCREENSHOT_DELAY_MS = 300
SCREENSHOT_SIZE = (1440, 900)
#: How long a start-up load runs before its window frame (progress, Cancel) appears: the default corpus,
#: opened from its compiled copy, is on screen sooner than that, and a frame shown for it would only flash by.
START_WINDOW_DELAY_MS = 400
#: An audit finding's key, or its start: "IBID_INTENT:23".
FINDING_REF = re.compile(r"[A-Z][A-Z0-9_]+(?::.*)?")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The window's arguments, read by the one command line (:func:`explorer.cli.build_parser`)."""
    from explorer.cli import build_parser

    return build_parser().parse_args(["open", *argv])


class LoadCancelled(Exception):
    """Raised in the loading thread, at the next phase, once the reader has cancelled the load."""


class CorpusLoader(QObject):
    """Opens a corpus through the corpus cache with *submit* (the thread pool; tests pass a plain call).

    One load is current at a time: :meth:`load` supersedes the last one and
    :meth:`cancel` drops it. A dropped load stops at its next phase, and what
    it finishes with is discarded, never shown.
    """

    loaded = Signal(object, object)  # path, Corpus
    failed = Signal(object, object)  # path, exception
    progressed = Signal(str, object)  # phase, fraction of the whole (None: not known)
    # From the loading thread, carrying the load's serial number:
    _finished = Signal(int, object, object, object)  # serial, path, Corpus or None, exception or None
    _progressed = Signal(int, str, object)  # serial, phase, fraction

    def __init__(self, submit: Callable[[Callable[[], None]], None] | None = None,
                 parent: QObject | None = None, cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._submit = submit or QThreadPool.globalInstance().start
        self._cache_dir = cache_dir
        self._serial = 0
        self._stop: threading.Event | None = None  # the current load's; None: nothing loading
        self._finished.connect(self._on_finished)
        self._progressed.connect(self._on_progressed)

    @property
    def busy(self) -> bool:
        return self._stop is not None

    def load(self, path: Path, essay_folder: Path | None = None) -> None:
        """Open the corpus folder *path*, or import the essay file *path* into *essay_folder*
        (None: its default folder) and open that."""
        self.cancel()
        self._serial += 1
        serial, stop = self._serial, threading.Event()
        self._stop = stop

        def report(phase: str, fraction: float | None) -> None:
            if stop.is_set():
                raise LoadCancelled
            self._emit(self._progressed, serial, phase, fraction)

        def work() -> None:
            try:
                folder = path
                if path.is_file():  # maybe an essay: only then the import's modules (readers, drafting, YAML)
                    from explorer.core.corpus_new import essay_corpus_for, is_essay_file

                    if is_essay_file(path):
                        report("Importing the essay", None)
                        folder = essay_corpus_for(path, essay_folder)
                opened = open_corpus(folder, self._cache_dir, report)
                corpus = opened.corpus
            except LoadCancelled:
                return
            except Exception as exc:  # every failure goes back to the GUI thread to be shown
                self._emit(self._finished, serial, path, None, exc)
                return
            # A stale, damaged or unwritable cache is not the reader's problem: the corpus came from its
            # YAML all the same. A log line says what the cache did, for whoever wonders about speed.
            log.info("corpus cache: %s, %s%s", folder, opened.outcome, f" ({opened.detail})" if opened.detail else "")
            self._emit(self._finished, serial, path, corpus, None)

        self._submit(work)

    def cancel(self) -> None:
        """Drop the current load, if any: it stops at its next phase and its result is discarded."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None

    @staticmethod
    def _emit(signal: Any, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loader was deleted (the app quit) while this ran
            signal.emit(*args)

    def _is_current(self, serial: int) -> bool:
        return serial == self._serial and self._stop is not None

    def _on_progressed(self, serial: int, phase: str, fraction: float | None) -> None:
        if self._is_current(serial):
            self.progressed.emit(phase, fraction)

    def _on_finished(self, serial: int, path: Path, corpus: object, exc: BaseException | None) -> None:
        if not self._is_current(serial):
            return  # cancelled or superseded: discarded
        self._stop = None
        if exc is not None:
            self.failed.emit(path, exc)
        else:
            self.loaded.emit(path, corpus)


class Launcher(QObject):
    """Opens corpora into windows, shows their loading, reports failures, and takes screenshots.

    At start-up a :class:`StartWindow` frame appears (at once, or once the load
    has run for a while), with the load's progress and Cancel; on File > Open
    the progress sits in the open window's status bar and the window stays
    usable until the new one replaces it.
    """

    def __init__(
        self, settings: Settings, reporter: ErrorReporter, select: str | None = None,
        screenshot: Path | None = None, submit: Callable[[Callable[[], None]], None] | None = None,
        parent: QObject | None = None, marks_path: Path | None = None, cache_dir: Path | None = None,
        start_window_delay_ms: int = 0, reader_first: ReaderFirst | None = None,
    ) -> None:
        """*marks_path*: the verification marks file, opened with the first window (None: marking is off);
        *cache_dir*: the corpus cache's folder (None: the user's); *start_window_delay_ms*: how long
        a load with no window open runs before its window frame appears (0: at once); *reader_first*:
        parks the background work while the reader selects in a window."""
        super().__init__(parent)
        self.settings = settings
        self.reporter = reporter
        self.select = select
        self.screenshot = screenshot
        self.marks_path = marks_path
        self.marks: OpenedMarks | None = None
        self._submit = submit
        self.reader_first = reader_first
        self.window: MainWindow | None = None
        #: Every window still open: one File > Open replaced stays while it asks about its unsaved edits (and
        #: after the reader cancels that), and the app quits only once the last one has closed.
        self._open_windows: list[MainWindow] = []
        self.exit_code = 0
        self.loading: Path | None = None
        self._choosing = False  # the folder dialog is open
        self.start_window: StartWindow | None = None
        self.progress: LoadProgress | None = None
        self._start_delay_ms = start_window_delay_ms
        self._start_timer: QTimer | None = None  # the start window's delay, while it runs
        self._phase: tuple[str, float | None] | None = None  # the load's last phase, for a frame shown late
        self.loader = CorpusLoader(submit, self, cache_dir)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.loader.progressed.connect(self._on_progressed)

    def open(self, path: Path, essay_folder: Path | None = None) -> None:
        """Load the corpus at *path*, or import the essay *path* into *essay_folder* (None: its default
        folder) and load that; the newest request wins over one still loading."""
        self._drop_progress()
        self.loading = path
        if self.screenshot is None:
            self._show_progress(path.name or str(path))
        self.loader.load(path, essay_folder)

    def cancel(self) -> None:
        """Stop opening: the open window stays; with none, the app quits."""
        if self.loading is None:
            return
        self.loader.cancel()
        self._done_loading()
        if self.window is None:
            self._close_start_window()
            self._quit(0)

    def _show_progress(self, name: str) -> None:
        if self.window is None:
            self._close_start_window()
            if self._start_delay_ms > 0:
                timer = self._start_timer = QTimer(self)
                timer.setSingleShot(True)
                timer.timeout.connect(lambda: self._show_start_window(name))
                timer.start(self._start_delay_ms)
            else:
                self._show_start_window(name)
            return
        self.progress = LoadProgress(name, compact=True)
        self.window.statusBar().addPermanentWidget(self.progress)
        self.progress.cancel_requested.connect(self.cancel)

    def _show_start_window(self, name: str) -> None:
        self._stop_start_timer()
        if self.loading is None or self.window is not None:
            return  # loaded (or cancelled) meanwhile
        self.start_window = StartWindow(name, self.settings.geometry)
        self.start_window.closed.connect(self.cancel)
        self.start_window.dropped.connect(self._on_dropped)
        self.start_window.show()
        self.progress = self.start_window.progress
        self.progress.cancel_requested.connect(self.cancel)
        if self._phase is not None:
            self.progress.set_phase(*self._phase)

    def _stop_start_timer(self) -> None:
        timer, self._start_timer = self._start_timer, None
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    def _on_dropped(self, path: Path) -> None:
        """A file or folder dropped on the start window: it replaces what is loading."""
        if path.is_dir():
            self.open(path)
            return
        folder = ask_for_essay_folder(self.start_window, path)
        if folder is not None:
            self.open(path, folder)

    def _on_progressed(self, phase: str, fraction: float | None) -> None:
        self._phase = (phase, fraction)
        if self.progress is not None:
            self.progress.set_phase(phase, fraction)

    def _drop_progress(self) -> None:
        self._phase = None
        if self.progress is not None and self.start_window is None:  # the start window keeps its own
            self.progress.hide()
            self.progress.deleteLater()
        self.progress = None

    def _close_start_window(self) -> None:
        self._stop_start_timer()
        start, self.start_window = self.start_window, None
        if start is not None:
            start.closed.disconnect(self.cancel)
            start.dropped.disconnect(self._on_dropped)
            start.close()
            start.deleteLater()

    def _done_loading(self) -> None:
        self.loading = None
        self._drop_progress()

    def _mark_book(self, corpus_id: str) -> MarkBook:
        if self.marks is None and self.marks_path is not None:
            self.marks = open_marks(self.marks_path)  # once: every window shares the file
        return MarkBook(self.marks, corpus_id)

    def close_marks(self) -> None:
        if self.marks is not None:
            self.marks.close()

    def _on_loaded(self, path: Path, corpus: object) -> None:
        self._done_loading()
        self.settings.add_recent(corpus.path)  # type: ignore[attr-defined]
        marks = self._mark_book(corpus.manifest.id)  # type: ignore[attr-defined]
        window = MainWindow(corpus, self.settings, marks=marks, submit=self._submit)  # type: ignore[arg-type]
        if self.reader_first is not None:
            self.reader_first.watch(window.state)
        if self.select and not window.state.select(self.select):
            if FINDING_REF.fullmatch(self.select):
                ref = self.select  # a finding: shown once the audit has run
                if window.audit.done:
                    self._on_audit_for_select(window, ref)
                else:
                    # once every part of the window has heard (the audit panel, built after the first paint)
                    window.audit.finished.connect(
                        lambda: QTimer.singleShot(0, lambda: self._on_audit_for_select(window, ref)))
            elif self.screenshot is not None:
                print(f"explorer: {corpus.path}: no event, document, source or footnote "  # type: ignore[attr-defined]
                      f"has the id {self.select!r}", file=sys.stderr)
                self._quit(2)
                return
            else:
                window.statusBar().showMessage(f"Nothing in this corpus has the id “{self.select}”.", 8000)
        self.select = None  # only for the first window
        old, self.window = self.window, window
        self._open_windows.append(window)
        window.closed.connect(lambda: self._on_window_closed(window))
        window.open_corpus_requested.connect(self.open)
        window.open_essay_requested.connect(self.open)
        if self.screenshot is not None:
            window.resize(*SCREENSHOT_SIZE)
        window.show()
        self._close_start_window()  # after the new window shows: the screen is never empty between them
        if old is not None:
            old.close()
        if self.screenshot is not None:
            QTimer.singleShot(SCREENSHOT_DELAY_MS, self._on_screenshot_due)

    def _on_audit_for_select(self, window: MainWindow, ref: str) -> None:
        if window.show_finding(ref):
            return
        if self.screenshot is not None:
            print(f"explorer: {window.corpus.path}: the audit found nothing with the key {ref!r}", file=sys.stderr)
            self._quit(2)
            return
        window.statusBar().showMessage(f"The audit found nothing with the key “{ref}”.", 8000)

    def _on_failed(self, path: Path, exc: BaseException) -> None:
        self._done_loading()
        self._close_start_window()
        if not isinstance(exc, CorpusError):
            if self.screenshot is not None:
                log.error("cannot open %s", path, exc_info=exc)
                self._quit(1)
                return
            self.reporter.excepthook(type(exc), exc, exc.__traceback__)
            self._after_dialog()
            return
        if self.screenshot is not None:
            print(f"explorer: {path}: {len(exc.problems)} problem(s)\n{exc.details()}", file=sys.stderr)
            self._quit(1)
            return
        default = default_corpus_dir()
        choices = []
        if os.path.realpath(path) != os.path.realpath(default):  # Path.resolve raises on a symlink loop
            choices.append(("Open the Default Corpus", lambda: self.open(default)))
        choices.append(("Choose Another Folder…", lambda: self._on_choose_folder((path, exc))))
        choices.append(("Quit", lambda: self._quit(1)) if self.window is None else ("Close", lambda: None))
        essay = path.is_file()
        message = cannot_open_message(path, exc.problems, essay=essay)
        title = f"Cannot open the {'essay' if essay else 'corpus'}"
        dialog = self.reporter.show(title, message, exc.details(), choices, self.window)
        dialog.finished.connect(self._after_dialog)

    def _after_dialog(self) -> None:
        """Nothing open and nothing loading: the reader dismissed the last dialog."""
        if self.window is None and self.loading is None:
            QTimer.singleShot(0, self._quit_if_idle)

    def _quit_if_idle(self) -> None:
        if self.window is None and self.loading is None and self.reporter.dialog is None and not self._choosing:
            self._quit(1)

    def _on_choose_folder(self, failed: tuple[Path, CorpusError]) -> None:
        """The folder dialog, after a corpus could not be opened; cancelling it goes back to that error."""
        # The folder dialog runs its own event loop, in which the error dialog's close would otherwise
        # look like "nothing open, nothing loading" and quit the app.
        self._choosing = True
        try:
            folder = QFileDialog.getExistingDirectory(self.window, "Open a corpus folder")
        finally:
            self._choosing = False
        if folder:
            self.open(Path(folder))
        else:
            self._on_failed(*failed)

    def _on_window_closed(self, window: MainWindow) -> None:
        window.deleteLater()  # one replaced by File > Open too: this connection alone kept it, and its corpus, alive
        if window in self._open_windows:
            self._open_windows.remove(window)
        if window is not self.window:
            return
        if self._open_windows:  # an older window is still open (its reader kept its unsaved edits): it goes on
            self.window = self._open_windows[-1]
            return
        self.window = None  # the reader closed the last one (or quit): whatever is loading is not wanted
        self.loader.cancel()
        self._done_loading()
        self._quit(0)

    def _on_screenshot_due(self) -> None:
        window = self.window
        if window is None:  # quit already (an unknown finding)
            return
        assert self.screenshot is not None
        if not window.audit.done:  # the picture shows the audit's marks and findings
            window.audit.finished.connect(self._on_audit_done_for_screenshot)
            window.audit.failed.connect(self._on_audit_done_for_screenshot)
            return
        window.document_pane.render_now()
        self.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(self.screenshot)):
            print(f"explorer: cannot write {self.screenshot}", file=sys.stderr)
            self.exit_code = 1
        window.close()
        self._quit(self.exit_code)

    def _on_audit_done_for_screenshot(self) -> None:
        QTimer.singleShot(SCREENSHOT_DELAY_MS, self._on_screenshot_due)

    def _quit(self, code: int) -> None:
        self.exit_code = code
        QApplication.exit(code)


def _choose_platform(screenshot: bool) -> str | None:
    """Render offscreen for --screenshot; say so plainly when there is no display at all.

    Without this, Qt aborts the process when it cannot reach a display.
    """
    if os.environ.get("QT_QPA_PLATFORM"):
        return None
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                "use --screenshot FILE.png, or the check and audit commands")
    return None


#: What the offscreen platform says whenever a window's size limits change: about the platform, not the app.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def _quiet_offscreen_platform() -> Callable[..., None] | None:
    """Drop the offscreen platform's one message for a screenshot; pass every other message on.
    Returns the handler it replaced."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler

    previous = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message == OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(qFormatLogMessage(mode, context, message), file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    return previous


#: How long quitting waits for background work to end before ending the process without it (seconds).
WORKERS_GRACE_S = 5.0


def run(args: argparse.Namespace | Sequence[str]) -> int:
    """The GUI's entry point: the ``open`` command's arguments (or its argv); returns the exit status."""
    if not isinstance(args, argparse.Namespace):
        args = parse_args(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not QApplication.instance():
        problem = _choose_platform(screenshot=args.screenshot is not None)
        if problem:
            print(f"explorer: {problem}", file=sys.stderr)
            return 1
    app = QApplication.instance() or QApplication(["explorer"])
    assert isinstance(app, QApplication)
    if args.screenshot:
        _quiet_offscreen_platform()
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName(APPLICATION)
    icon = resources_dir() / "icons" / "explorer.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setQuitOnLastWindowClosed(False)  # the launcher quits: a dialog may stand between two windows
    reporter = ErrorReporter(app)
    reader_first = ReaderFirst(app)  # background work parks while the reader clicks, types or selects
    reader_first.filter_input(app)
    previous_hook, sys.excepthook = sys.excepthook, reporter.excepthook
    with tempfile.TemporaryDirectory(prefix="explorer-screenshot-") as scratch:
        settings = Settings(open_settings(Path(scratch) / "settings.ini")) if args.screenshot else Settings()
        marks_path = (Path(scratch) if args.screenshot else default_data_dir()) / MARKS_FILENAME
        launcher = Launcher(settings, reporter, select=args.select, screenshot=args.screenshot, marks_path=marks_path,
                            start_window_delay_ms=START_WINDOW_DELAY_MS, reader_first=reader_first)
        launcher.open(args.corpus or default_corpus_dir())
        try:
            code = app.exec()
        finally:
            sys.excepthook = previous_hook
            launcher.close_marks()
            reader_first.close()
    code = launcher.exit_code or code
    if not _workers_done():
        # Work still running (an audit of a very long essay, say) would deliver into a QApplication being torn
        # down and crash the process: end it here instead, everything the reader wrote being saved already.
        log.warning("work still running at quit; ending the process without waiting for it")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _workers_done() -> bool:
    """Whether the background work (threads and the thread pool) has ended, waiting a few seconds for it."""
    pool_done = QThreadPool.globalInstance().waitForDone(int(WORKERS_GRACE_S * 1000))
    return wait_for_workers(WORKERS_GRACE_S) and pool_done
