"""The start-up error dialog promises only what its list holds (10.13) and names a file given for a folder (10.11)."""

from __future__ import annotations

import zipfile

from explorer.core.errors import Problem
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter, cannot_open_message


def test_the_sentence_follows_the_problems():
    with_lines = [Problem("a.yaml", 3, "bad"), Problem("b.yaml", 4, "worse")]
    without = [Problem("a.yaml", None, "bad"), Problem("b.yaml", None, "worse")]
    assert cannot_open_message("c", with_lines).endswith(
        "it has 2 problems. Each is listed below with its file and line.")
    assert cannot_open_message("c", without).endswith("Each is listed below with its file.")
    assert "its line where there is one" in cannot_open_message("c", [with_lines[0], without[1]])
    gone = [Problem("c", None, "it is gone")]
    assert cannot_open_message("c", gone) == "The corpus in c cannot be opened: it is gone"
    assert cannot_open_message("c", [with_lines[0]]) == "The corpus in c cannot be opened (line 3 of a.yaml): bad"


def test_a_broken_word_document_is_refused_naming_it(qtbot, settings, tmp_path):
    """A Word document is imported to be opened; one the reader cannot read is named, with why."""
    docx = tmp_path / "essay.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    launcher = Launcher(settings, ErrorReporter(), submit=lambda work: work())
    quits: list[int] = []
    launcher._quit = quits.append  # type: ignore[method-assign]  # the real one ends the test's event loop
    launcher.open(docx)
    dialog = launcher.reporter.dialog
    assert dialog is not None and launcher.window is None
    qtbot.addWidget(dialog)
    text = dialog.message.text()
    assert dialog.windowTitle() == "Cannot open the essay"
    assert text.startswith(f"The essay {docx} cannot be opened") and "not a Word (.docx)" in text
    assert "line" not in text
    dialog.done(0)
    qtbot.waitUntil(lambda: quits == [1])  # nothing else open: dismissing the dialog ends the app
