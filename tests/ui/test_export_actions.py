"""File > Export (every `explorer export` format, the same bytes as the command line), File > Print
(to a PDF file through QPrinter) and View > Citation-check Report (the app's own viewer, whose links
select in the window and which loads nothing)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from explorer.cli import main
from explorer.core.export import CITATION_FORMATS, REPORT_FORMATS, parsed_notes
from explorer.core.model import Corpus
from explorer.core.verification import note_targets
from explorer.store.marks import MARKS_FILENAME, MarkStatus, MarkStore, default_data_dir
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.export_actions import FORMATS, ExportActions
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from explorer.ui.report_viewer import ReportBrowser
from tests.support.launching import Deferred
from tests.ui.helpers import click_link

COMMENT = "Seen <b>in</b> the archive & copied"


@pytest.fixture(autouse=True)
def no_print_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A QPrinter asks CUPS for its printers (localhost:631 by default): here, a socket that is not there."""
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))


@pytest.fixture
def marked_window(make_window, tiny_corpus: Corpus):
    """A window on the tiny corpus with one mark on note 2's telegram, in the (sandboxed) user's marks file,
    which `explorer export` reads too."""
    path = default_data_dir() / MARKS_FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    target = note_targets(next(n for n in parsed_notes(tiny_corpus) if n.number == 2), tiny_corpus)[0]
    with MarkStore.open(path) as store:
        store.set_mark("tiny", target.key, str(MarkStatus.VERIFIED), COMMENT, 1, target.label)
    opened = open_marks(path)
    window = make_window(tiny_corpus, marks=MarkBook(opened, "tiny"))
    yield window
    opened.close()
    path.unlink(missing_ok=True)


def _save_as(monkeypatch, path: Path | None) -> list[tuple[str, str, str]]:
    """The save dialog answers *path* (None: cancelled); returns what it was asked."""
    asked: list[tuple[str, str, str]] = []

    def get_save_file_name(_parent, caption, start, filters):
        asked.append((caption, start, filters))
        return (str(path) if path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    return asked


def test_the_menus_offer_every_format_the_command_line_writes(window: MainWindow) -> None:
    assert tuple(FORMATS) == CITATION_FORMATS + REPORT_FORMATS
    file_menu = window.menuBar().actions()[0].menu()
    assert window.exports.export_menu.menuAction() in file_menu.actions()
    assert window.exports.print_action in file_menu.actions()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.exports.report_action in view_menu.actions()
    labels = [a.text() for a in window.exports.export_menu.actions() if not a.isSeparator()]
    assert labels == [f"{label}…" for label, _suffix in FORMATS.values()]


@pytest.mark.parametrize("fmt", ["csl-json", "ris", "bibtex", "biblatex", "report-html", "report-md"])
def test_export_writes_what_the_command_line_writes(qtbot, monkeypatch, marked_window: MainWindow, tmp_path: Path,
                                                    fmt: str) -> None:
    _label, suffix = FORMATS[fmt]
    typed = tmp_path / "out" / "mine"  # no suffix typed: the format's is added
    typed.parent.mkdir()
    asked = _save_as(monkeypatch, typed)
    with qtbot.waitSignal(marked_window.exports.exported) as written:
        marked_window.exports.format_actions[fmt].trigger()
    (caption, start, filters) = asked[0]
    assert start.endswith(f"tiny.{suffix}") and f"*.{suffix}" in filters and caption.startswith("Export ")
    out = typed.with_name(f"mine.{suffix}")
    assert written.args[:2] == [fmt, out]
    assert f"to {out}" in marked_window.statusBar().currentMessage()  # the path written, said
    cli_out = tmp_path / f"cli.{suffix}"
    assert main(["export", str(marked_window.corpus.path), "--format", fmt, "-o", str(cli_out)]) == 0
    assert out.read_bytes() == cli_out.read_bytes()  # one code path: the same file
    assert "Seen" in out.read_text(encoding="utf-8")  # with the window's marks


def test_export_of_the_pdf_report(qtbot, monkeypatch, marked_window: MainWindow, tmp_path: Path) -> None:
    _save_as(monkeypatch, tmp_path / "report.pdf")
    with qtbot.waitSignal(marked_window.exports.exported):
        marked_window.exports.format_actions["report-pdf"].trigger()
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Note 2" in text and "verified" in text


def test_a_cancelled_save_writes_nothing(qtbot, monkeypatch, window: MainWindow, tmp_path: Path) -> None:
    _save_as(monkeypatch, None)
    written: list[object] = []
    window.exports.exported.connect(lambda *args: written.append(args))
    window.exports.format_actions["ris"].trigger()
    assert written == [] and list(tmp_path.glob("*.ris")) == []


def test_a_file_that_cannot_be_written_is_the_error_dialog(qtbot, monkeypatch, window: MainWindow,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "out.ris"
    _save_as(monkeypatch, target)
    reporter = window.exports.reporter
    assert isinstance(reporter, ErrorReporter)
    with qtbot.waitSignal(window.exports.finished):
        window.exports.format_actions["ris"].trigger()
    dialog = reporter.dialog
    assert dialog is not None
    assert dialog.windowTitle() == "Cannot write out.ris"
    assert str(target) in dialog.message.text() and "cannot write" in dialog.message.text()
    assert window.cursor().shape() != Qt.CursorShape.BusyCursor
    assert not target.exists()
    dialog.done(0)


@pytest.mark.parametrize(("fmt", "start"), [("csl-json", b"["), ("report-pdf", b"%PDF-")])
def test_export_runs_off_the_gui_thread(qtbot, make_window, tiny_corpus: Corpus, tmp_path: Path, fmt: str,
                                        start: bytes) -> None:
    """With the window's real pool (a daemon thread), the file arrives through the signal (the PDF is laid
    out in that thread too, without a word from Qt)."""
    window = make_window(tiny_corpus)
    actions = ExportActions(window, tiny_corpus, window.state, window.marks)  # default: a thread
    out = tmp_path / f"out.{FORMATS[fmt][1]}"
    with qtbot.waitSignal(actions.exported, timeout=20_000):
        actions.export(fmt, out)
    assert out.read_bytes().startswith(start)


def test_a_window_closed_while_its_export_runs_is_not_touched(qtbot, tiny_corpus: Corpus, settings,
                                                              tmp_path: Path) -> None:
    pool = Deferred()
    window = MainWindow(tiny_corpus, settings, submit=lambda work: work())
    actions = ExportActions(window, tiny_corpus, window.state, window.marks, submit=pool)
    actions.export("ris", tmp_path / "late.ris")
    assert window.cursor().shape() == Qt.CursorShape.BusyCursor and "Writing late.ris" in (
        window.statusBar().currentMessage())
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: not _alive(actions))
    pool.run()  # the job ends after the window has gone: its answer reaches nothing
    assert (tmp_path / "late.ris").is_file()


def _alive(obj: object) -> bool:
    from shiboken6 import isValid

    return isValid(obj)


def test_print_lays_the_report_out_on_a_printer(qtbot, marked_window: MainWindow, tmp_path: Path) -> None:
    """A QPrinter writing a PDF file stands for the printer (no dialog)."""
    from explorer.ui.export_actions import report_html

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    marks, review = marked_window.exports._marks()
    html, title = report_html(marked_window.corpus, marks, review=review)
    marked_window.exports.print_on(printer, html, title)
    pdf = (tmp_path / "printed.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Type /Page" in pdf.replace(b"/Type/Page", b"/Type /Page")
    assert "printed.pdf" in marked_window.statusBar().currentMessage()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Citation check" in text and "Note 2" in text and "Seen <b>in</b>" in text  # text, not markup


def test_file_print_opens_the_print_dialog_and_prints_what_it_accepts(qtbot, window: MainWindow,
                                                                    tmp_path: Path) -> None:
    window.exports.print_action.trigger()
    dialog = window.exports.print_dialog
    assert isinstance(dialog, QPrintDialog)
    qtbot.waitUntil(dialog.isVisible)
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "via-dialog.pdf"))
    dialog.done(QDialog.DialogCode.Accepted)  # what OK does once the dialog has set the printer up
    assert window.exports.print_dialog is None
    assert (tmp_path / "via-dialog.pdf").read_bytes().startswith(b"%PDF-")


def test_the_report_viewer_shows_the_report_and_its_links_select(qtbot, marked_window: MainWindow) -> None:
    marked_window.exports.report_action.trigger()
    viewer = marked_window.exports.viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.isVisible)
    text = viewer.browser.toPlainText()
    assert "Citation check" in text and "Summary" in text and "Seen <b>in</b> the archive" in text
    assert viewer.browser.asked_for == []  # the report needs nothing loaded
    with qtbot.waitSignal(marked_window.state.footnote_selected):
        click_link(qtbot, viewer.browser, "fn:2")
    assert marked_window.state.footnote == 2
    marked_window.state.select_footnote(1)
    with qtbot.waitSignal(marked_window.state.document_selected):
        click_link(qtbot, viewer.browser, "doc:doc-jan")
    assert marked_window.state.document == "doc-jan"


def test_the_report_viewer_loads_nothing_and_opens_nothing(qtbot, window: MainWindow, monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.exports.report_action.trigger()
    viewer = window.exports.viewer
    assert viewer is not None
    before = window.state.selection
    viewer.show_report('<p><img src="file:///etc/hostname"><img src="https://example.org/x.png">'
                       '<a href="https://example.org/">out</a> <a href="file:///etc/passwd">file</a></p>', "t")
    viewer.browser.document().adjustSize()  # lay out, so the images are asked for
    assert isinstance(viewer.browser, ReportBrowser)
    assert set(viewer.browser.asked_for) >= {"file:///etc/hostname", "https://example.org/x.png"}
    for url in ("file:///etc/hostname", "https://example.org/x.png"):  # refused: nothing read or held
        assert not viewer.browser.document().resource(2, QUrl(url))
    for href in ("https://example.org/", "file:///etc/passwd"):
        click_link(qtbot, viewer.browser, href)
    assert opened == [] and window.state.selection == before
    assert viewer.browser.source().isEmpty()  # it never navigated away from the report
