"""Starting the app: arguments, opening a corpus off the GUI thread, errors, screenshots.

    explorer [CORPUS] [--select ID] [--screenshot FILE.png]

A corpus is loaded in the thread pool while the event loop runs; a corpus
that cannot be loaded becomes a dialog listing every problem and offering
the default corpus. ``--screenshot`` renders the window offscreen to a PNG
and exits, with fresh settings and an empty marks file so the picture does
not depend on the last run; it waits for the audit.

The verification marks file is opened once, here, and each window gets the
marks of its corpus. A file that cannot be used never stops the app: the
window says why in its message bar and marking is read-only or off.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QProgressDialog

from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from explorer.core.locations import default_corpus_dir, resources_dir
from explorer.store.marks import MARKS_FILENAME, default_data_dir
from explorer.ui.error_dialog import ErrorReporter, cannot_open_message
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, OpenedMarks, open_marks
from explorer.ui.settings import APPLICATION, ORGANISATION, Settings, open_settings

log = logging.getLogger("explorer")

#: Wait this long (ms) after showing the window before taking a screenshot, for the first layout.
SCREENSHOT_DELAY_MS = 300
SCREENSHOT_SIZE = (1440, 900)
#: An audit finding's key, or its start: "IBID_INTENT:23".
FINDING_REF = re.compile(r"[A-Z][A-Z0-9_]+(?::.*)?")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The window's arguments, read by the one command line (:func:`explorer.cli.build_parser`)."""
    from explorer.cli import build_parser

    return build_parser().parse_args(["open", *argv])


class CorpusLoader(QObject):
    """Loads a corpus with *submit* (the thread pool; tests pass a plain call)."""

    loaded = Signal(object, object)  # path, Corpus
    failed = Signal(object, object)  # path, exception

    def __init__(self, submit: Callable[[Callable[[], None]], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit or QThreadPool.globalInstance().start

    def load(self, path: Path) -> None:
        def work() -> None:
            try:
                corpus = load_corpus(path)
            except Exception as exc:  # every failure goes back to the GUI thread to be shown
                self.failed.emit(path, exc)
                return
            self.loaded.emit(path, corpus)

        self._submit(work)


class Launcher(QObject):
    """Opens corpora into windows, reports failures, and takes screenshots."""

    def __init__(
        self, settings: Settings, reporter: ErrorReporter, select: str | None = None,
        screenshot: Path | None = None, submit: Callable[[Callable[[], None]], None] | None = None,
        parent: QObject | None = None, marks_path: Path | None = None,
    ) -> None:
        """*marks_path*: the verification marks file, opened with the first window (None: marking is off)."""
        super().__init__(parent)
        self.settings = settings
        self.reporter = reporter
        self.select = select
        self.screenshot = screenshot
        self.marks_path = marks_path
        self.marks: OpenedMarks | None = None
        self._submit = submit
        self.window: MainWindow | None = None
        self.exit_code = 0
        self.loading: Path | None = None
        self._progress: QProgressDialog | None = None
        self.loader = CorpusLoader(submit, self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)

    def open(self, path: Path) -> None:
        self.loading = path
        if self.screenshot is None:
            self._progress = QProgressDialog(self.window)
            label = QLabel(f"Opening {path.name}…")
            label.setTextFormat(Qt.TextFormat.PlainText)  # a folder name is not markup
            self._progress.setLabel(label)
            self._progress.setRange(0, 0)
            self._progress.setCancelButton(None)
            self._progress.setWindowTitle("Explorer")
            self._progress.setMinimumDuration(400)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.loader.load(path)

    def _done_loading(self) -> None:
        self.loading = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _mark_book(self, corpus_id: str) -> MarkBook:
        if self.marks is None and self.marks_path is not None:
            self.marks = open_marks(self.marks_path)  # once: every window shares the file
        return MarkBook(self.marks, corpus_id)

    def close_marks(self) -> None:
        if self.marks is not None:
            self.marks.close()

    def _on_loaded(self, path: Path, corpus: object) -> None:
        self._done_loading()
        marks = self._mark_book(corpus.manifest.id)  # type: ignore[attr-defined]
        window = MainWindow(corpus, self.settings, marks=marks, submit=self._submit)  # type: ignore[arg-type]
        if self.select and not window.state.select(self.select):
            if FINDING_REF.fullmatch(self.select):
                ref = self.select  # a finding: shown once the audit has run
                if window.audit.done:
                    self._on_audit_for_select(window, ref)
                else:
                    window.audit.finished.connect(lambda: self._on_audit_for_select(window, ref))
            elif self.screenshot is not None:
                print(f"explorer: {corpus.path}: no event, document, source or footnote "  # type: ignore[attr-defined]
                      f"has the id {self.select!r}", file=sys.stderr)
                self._quit(2)
                return
            else:
                window.statusBar().showMessage(f"Nothing in this corpus has the id “{self.select}”.", 8000)
        self.select = None  # only for the first window
        old, self.window = self.window, window
        window.closed.connect(lambda: self._on_window_closed(window))
        window.open_corpus_requested.connect(self.open)
        if self.screenshot is not None:
            window.resize(*SCREENSHOT_SIZE)
        window.show()
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
        choices.append(("Choose Another Folder…", self._on_choose_folder))
        choices.append(("Quit", lambda: self._quit(1)) if self.window is None else ("Close", lambda: None))
        message = cannot_open_message(path, exc.problems)
        dialog = self.reporter.show("Cannot open the corpus", message, exc.details(), choices, self.window)
        dialog.finished.connect(self._after_dialog)

    def _after_dialog(self) -> None:
        """Nothing open and nothing loading: the reader dismissed the last dialog."""
        if self.window is None and self.loading is None:
            QTimer.singleShot(0, self._quit_if_idle)

    def _quit_if_idle(self) -> None:
        if self.window is None and self.loading is None and self.reporter.dialog is None:
            self._quit(1)

    def _on_choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Open a corpus folder")
        if folder:
            self.open(Path(folder))
        else:
            self._after_dialog()

    def _on_window_closed(self, window: MainWindow) -> None:
        if window is self.window:
            self.window = None
            if self.loading is None:
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
    previous_hook, sys.excepthook = sys.excepthook, reporter.excepthook
    with tempfile.TemporaryDirectory(prefix="explorer-screenshot-") as scratch:
        settings = Settings(open_settings(Path(scratch) / "settings.ini")) if args.screenshot else Settings()
        marks_path = (Path(scratch) if args.screenshot else default_data_dir()) / MARKS_FILENAME
        launcher = Launcher(settings, reporter, select=args.select, screenshot=args.screenshot, marks_path=marks_path)
        launcher.open(args.corpus or default_corpus_dir())
        try:
            code = app.exec()
        finally:
            sys.excepthook = previous_hook
            launcher.close_marks()
    return launcher.exit_code or code
