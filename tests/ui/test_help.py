"""Help > Keyboard Shortcuts (read from the window's actions) and Help > About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from explorer import __version__
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.help_dialogs import AboutDialog, ShortcutsDialog, shortcut_rows
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks


def _native(text: str) -> str:
    return QKeySequence(text).toString(QKeySequence.SequenceFormat.NativeText)


def _menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_the_help_menu_holds_shortcuts_and_about(window: MainWindow) -> None:
    assert _menu_titles(window)[-1] == "&Help"
    help_menu = window.menuBar().actions()[-1].menu()
    assert help_menu.actions() == [window.shortcuts_action, window.about_action]


def test_the_shortcuts_are_read_from_the_actions(window: MainWindow) -> None:
    rows = shortcut_rows(window)
    by_command = {command: (menu, keys) for menu, command, keys in rows}
    assert by_command["Open Corpus Folder…"][0] == "File"
    audit = next(keys for command, (_, keys) in by_command.items() if command.startswith("Audit ("))
    assert _native("Ctrl+4") in audit  # a dock's own toggle action is there too, with its count
    assert _native("Alt+Left") in by_command["Back"][1].split(", ")
    assert by_command["Zoom In"][0] == "View"
    # Every action with a shortcut is listed, once.
    with_keys = [a for a in window.actions() if a.shortcuts()] + [window.audit_action, *window.view_actions]
    assert _native("Ctrl+5") in by_command["Timeline"][1] and _native("Ctrl+6") in by_command["Correspondence"][1]
    assert len(rows) == len(set(with_keys)) == len({command for _, command, _ in rows})
    # Not a copy: change a key and the table follows.
    window.zoom_reset_action.setShortcuts([QKeySequence("Ctrl+Shift+9")])
    assert ("View", "Actual Size", _native("Ctrl+Shift+9")) in shortcut_rows(window)


def test_the_shortcuts_dialog_shows_every_row(qtbot, window: MainWindow) -> None:
    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = shortcut_rows(window)
    table = dialog.table
    shown = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert shown == rows
    dialog.close()


def test_about_says_version_corpus_licence_and_where_things_are(
    qtbot, make_window, tiny_corpus: Corpus, tmp_path: Path, settings
) -> None:
    opened = open_marks(tmp_path / "marks.sqlite3")
    window = make_window(tiny_corpus, marks=MarkBook(opened, tiny_corpus.manifest.id))
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.text()
    assert f"Explorer {__version__}" in text
    assert "Untitled essay (Test Author, 2015)" in text and str(tiny_corpus.path) in text
    assert "MIT licence" in text
    assert str(tmp_path / "marks.sqlite3") in text
    assert settings.file and settings.file in text
    assert "2 events" in text
    dialog.close()
    opened.close()


def test_about_shows_a_title_with_markup_literally_and_why_marks_are_off(
    qtbot, make_window, make_corpus
) -> None:
    root = make_corpus({"corpus.yaml": 'id: odd\ntitle: "<b>Bold</b> &amp; <i>wrong</i>"\nsource: essay.txt\n'
                                       "format: tika-text\n"})
    window = make_window(load_corpus(root))
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    assert dialog.text.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Bold</b> &amp; <i>wrong</i>" in dialog.text.text()
    assert "Marks are off" in dialog.text.text()
    dialog.close()
