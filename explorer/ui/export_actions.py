"""File > Export, File > Print… and View > Citation-check Report, for one window.

Every export writes through :func:`~explorer.ui.report_pdf.write_export_file`, the function behind
`explorer export`, with the marks the window shows. The work (parsing the notes, the audit the report
needs, writing) runs off the GUI thread; the result comes back as a line in the status bar, and a file
that cannot be written as the app's one error dialog, naming the file and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu

from explorer.core.errors import CorpusError
from explorer.core.model import Corpus
from explorer.ui.audit_job import Submit
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.marks_book import MarkBook
from explorer.ui.report_viewer import ReportViewer
from explorer.ui.state import ExplorerState

if TYPE_CHECKING:  # the exports are imported when first used, not on the window's start path
    from explorer.core.audit import ReviewEntry
    from explorer.core.export import ExportMark

#: Each `explorer export --format` (a test checks none is missing): its name in the menu, and the file suffix.
FORMATS: dict[str, tuple[str, str]] = {
    "csl-json": ("CSL-JSON (Zotero, citeproc)", "json"),
    "ris": ("RIS (Zotero, EndNote)", "ris"),
    "bibtex": ("BibTeX", "bib"),
    "biblatex": ("BibLaTeX", "bib"),
    "report-html": ("Citation-Check Report, HTML", "html"),
    "report-md": ("Citation-Check Report, Markdown", "md"),
    "report-pdf": ("Citation-Check Report, PDF", "pdf"),
}
#: How long the status bar says what was written (ms).
MESSAGE_MS = 15_000


def with_suffix(path: Path, suffix: str) -> Path:
    """*path*, with ``.suffix`` added when the reader typed a name without it."""
    return path if path.suffix.lower() == f".{suffix}" else path.with_name(f"{path.name}.{suffix}")


def report_html(corpus: Corpus, marks: list[ExportMark], app_links: bool = False,
                review: Sequence[ReviewEntry] = ()) -> tuple[str, str]:
    """(the report's HTML, its title), as `explorer export --format report-html` builds it."""
    from explorer.core.export import parsed_notes
    from explorer.core.export.report import to_html
    from explorer.core.export.writing import report_for

    report = report_for(corpus, parsed_notes(corpus), marks, review)
    return to_html(report, app_links=app_links), f"Citation check: {report.title}"


class _Relay(QObject):
    """Carries a job's result from the worker (it has no parent; the work holds it), and what to do with it."""

    done = Signal(object, object, object)  # the relay, the result, the exception

    def __init__(self, then: Callable[[Any], None], failing: str) -> None:
        super().__init__()
        self.then = then
        self.failing = failing


class ExportActions(QObject):
    """The window's export, print and report actions, and the jobs behind them."""

    #: An export was written: format, path, the marks it left out.
    exported = Signal(str, object, object)
    #: A job ended (written, shown, printed or failed).
    finished = Signal()

    def __init__(self, window: QMainWindow, corpus: Corpus, state: ExplorerState, marks: MarkBook,
                 submit: Submit | None = None, reporter: ErrorReporter | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.corpus = corpus
        self.state = state
        self.marks = marks
        # Qt's pool, not a bare thread: laying out the PDF needs a thread Qt made (timers, fonts)
        self._submit = submit or QThreadPool.globalInstance().start
        # the app's one error path; the window has no launcher's reporter of its own
        self.reporter = reporter or ErrorReporter(self)
        self._relays: set[_Relay] = set()
        self.viewer: ReportViewer | None = None
        self.print_dialog: QDialog | None = None  # while it is open

        self.export_menu = QMenu("&Export", window)
        self.export_menu.setToolTipsVisible(True)
        self.format_actions: dict[str, QAction] = {}
        for fmt, (label, suffix) in FORMATS.items():
            if fmt == "report-html":
                self.export_menu.addSeparator()
            action = self.export_menu.addAction(f"{label}…")
            action.setToolTip(f"Write a .{suffix} file (explorer export --format {fmt})")
            action.triggered.connect(lambda _=False, fmt=fmt: self._on_export(fmt))
            self.format_actions[fmt] = action
        self.print_action = QAction("&Print Citation-Check Report…", window)
        self.print_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(self._on_print)
        self.report_action = QAction("Citation-Check &Report", window)
        self.report_action.setToolTip("The essay's notes with their citations, findings and marks, in a window")
        self.report_action.triggered.connect(self._on_view_report)
        window.addAction(self.print_action)

    # -- the jobs ----------------------------------------------------------------------------
    def _marks(self) -> tuple[list[ExportMark], list[ReviewEntry]]:
        """The marks the window shows (with who set each) and every reviewer's entries, for the report's
        disagreements: what `explorer export` takes from the same store. Taken on the GUI thread."""
        return self.marks.export_view()

    def _run(self, work: Callable[[], Any], then: Callable[[Any], None], doing: str, failing: str) -> None:
        """Run *work* in the pool; *then* its result, back on the GUI thread. While it runs the status bar
        says *doing*; a :class:`CorpusError` it raises is the error dialog, titled *failing*."""
        relay = _Relay(then, failing)
        self._relays.add(relay)

        def job() -> None:
            try:
                result = work()
            except Exception as exc:  # sent back to the GUI thread: shown there, or re-raised as the bug it is
                relay.done.emit(relay, None, exc)
            else:
                relay.done.emit(relay, result, None)

        # a method of this object: if the window closes first, the answer goes nowhere
        relay.done.connect(self._on_job_done)
        self.window.setCursor(Qt.CursorShape.BusyCursor)
        self._status(f"{doing}…")
        self._submit(job)

    def _on_job_done(self, relay: _Relay, result: object, exc: object) -> None:
        self._relays.discard(relay)
        self.window.unsetCursor()
        self._status("")
        try:
            if isinstance(exc, CorpusError):
                self.reporter.show(relay.failing, f"{relay.failing}: {exc.summary()}", exc.details(),
                                   parent=self.window)
            elif isinstance(exc, BaseException):
                raise exc  # a bug: the excepthook's dialog, with the traceback
            else:
                relay.then(result)
        finally:
            self.finished.emit()

    def _status(self, text: str, timeout: int = 0) -> None:
        bar = self.window.statusBar()
        if text:
            bar.showMessage(text, timeout)
        else:
            bar.clearMessage()

    # -- File > Export ------------------------------------------------------------------------
    def _on_export(self, fmt: str) -> None:
        label, suffix = FORMATS[fmt]
        start = Path.home() / f"{self.corpus.manifest.id}.{suffix}"
        name, _filter = QFileDialog.getSaveFileName(self.window, f"Export {label}", str(start),
                                                    f"{label} (*.{suffix})")
        if name:
            self.export(fmt, with_suffix(Path(name), suffix))

    def export(self, fmt: str, path: Path) -> None:
        """Write the export *fmt* to *path* off the GUI thread; say where when it is written."""
        from explorer.core.export import parsed_notes
        from explorer.ui.report_pdf import write_export_file

        (marks, review), corpus = self._marks(), self.corpus

        def work() -> tuple[ExportMark, ...]:
            return write_export_file(corpus, parsed_notes(corpus), marks, fmt, path, review)

        def done(left_out: tuple[ExportMark, ...]) -> None:
            said = f"Exported {FORMATS[fmt][0]} to {path}"
            if left_out:
                said += (f"; {len(left_out)} mark{'s' * (len(left_out) != 1)} on citations of no exported record "
                         "are not in it (the report lists them)")
            self._status(said, MESSAGE_MS)
            self.exported.emit(fmt, path, left_out)

        self._run(work, done, f"Writing {path.name}", f"Cannot write {path.name}")

    # -- File > Print -------------------------------------------------------------------------
    def _on_print(self) -> None:
        self._with_report(self._ask_printer, app_links=False)

    def _ask_printer(self, html: str, title: str) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print the citation-check report")
        dialog.finished.connect(lambda result: self._on_print_dialog_finished(result, printer, html, title))
        self.print_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # as QDialog.open() does: never a nested event loop

    def _on_print_dialog_finished(self, result: int, printer: Any, html: str, title: str) -> None:
        self.print_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.print_on(printer, html, title)

    def print_on(self, printer: Any, html: str, title: str) -> None:
        """Print the report's *html* on *printer* (a QPrinter, as the print dialog left it)."""
        from explorer.ui.report_pdf import print_report

        print_report(html, title, printer)
        where = printer.outputFileName() or printer.printerName() or "the printer"
        self._status(f"Printed the citation-check report to {where}", MESSAGE_MS)

    # -- View > Citation-check Report ----------------------------------------------------------
    def _on_view_report(self) -> None:
        self._with_report(self._show_report, app_links=True)

    def _show_report(self, html: str, title: str) -> None:
        if self.viewer is None:
            self.viewer = ReportViewer(self.state, self.window)
            # a reading width, but inside the window on a small screen (the window stays in view beside it)
            size = self.window.size()
            self.viewer.resize(min(860, int(size.width() * 0.8)), min(900, int(size.height() * 0.9)))
        self.viewer.show_report(html, title)
        self.viewer.show()
        self.viewer.activateWindow()

    def _with_report(self, then: Callable[[str, str], None], app_links: bool) -> None:
        (marks, review), corpus = self._marks(), self.corpus
        self._run(lambda: report_html(corpus, marks, app_links, review), lambda made: then(*made),
                  "Making the citation-check report", "Cannot make the citation-check report")
