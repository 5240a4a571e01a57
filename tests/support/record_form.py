"""Driving the record editor as a reader does: open it on a record, type over a field, pick a completion."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.ui.main_window import MainWindow
from explorer.ui.record_editor import RecordEditor
from explorer.ui.record_fields import RecordCompleter


def open_editor(window: MainWindow, kind: str, record_id: str) -> RecordEditor:
    assert window.record_editor.edit(kind, record_id)
    editor = window.record_editor.editor
    assert (editor.kind, editor.record_id) == (kind, record_id)
    assert window.record_editor.dock.isVisible()
    return editor


def retype(qtbot, line: QLineEdit, text: str) -> None:
    """Select what the field holds and type *text* over it, as a reader does."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line, text)


def line_of(field: object) -> QLineEdit:
    editor = getattr(field, "editor", None)
    assert isinstance(editor, QLineEdit)
    return editor


def choose_completion(qtbot, completer: RecordCompleter, label: str) -> None:
    """Pick the entry *label* in the completer's popup, with the keyboard."""
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    model = completer.completionModel()
    labels = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert label in labels, labels
    popup.setCurrentIndex(model.index(labels.index(label), 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
