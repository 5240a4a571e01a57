"""The record editor's chooser with a long title, and Edit Record's key (Ctrl+E) from the window's text fields."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from tests.support.corpora import TINY_FILES, write_corpus
from tests.support.record_form import open_editor

LONG = ("Ciphered telegram from the Soviet Ambassador in Pyongyang, Terentii Shtykov, to the Minister of Foreign "
        "Affairs Andrei Vyshinsky on the conversation with Kim Il Sung, 3 September 1949")


class EndOfLineField(QLineEdit):
    """A one-line field that takes Ctrl+E for itself, as every QLineEdit does on Linux desktops (where
    Ctrl+E is "move to the end of the line"; the offscreen platform's key bindings lack it)."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+E"):
            event.accept()  # the key is the field's: no shortcut sees it
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+E"):
            self.end(False)
            return True
        return super().event(event)


def test_a_long_title_is_cut_with_an_ellipsis_and_whole_in_the_tool_tip(make_window, tmp_path: Path, qtbot) -> None:
    docs = TINY_FILES["documents.yaml"].replace("title: Telegram from Shtykov to Vyshinsky", f"title: {LONG}")
    window = make_window(load_corpus(write_corpus(tmp_path / "long", {"documents.yaml": docs})))
    editor = open_editor(window, "documents", "doc-sept")
    chooser = editor.chooser
    whole = chooser.currentText()
    assert whole.endswith("3 September 1949") and "Terentii Shtykov" in whole
    chooser.resize(300, chooser.height())
    shown = chooser.shown_text()
    assert "…" in shown and len(shown) < len(whole)
    assert shown.startswith("Document: ") and shown.endswith("1949")  # cut in the middle: kind and date stay
    assert whole in chooser.toolTip()
    assert whole in chooser.itemData(chooser.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert not chooser.grab().isNull()  # the elided text is what paintEvent draws
    chooser.resize(4000, chooser.height())
    assert chooser.shown_text() == whole  # room enough: nothing cut


def test_ctrl_e_in_a_text_field_of_the_window_opens_the_editor(window: MainWindow, qtbot) -> None:
    window.state.select_event("ev-march")
    field = EndOfLineField(window.event_list)  # the filter's place: a one-line field of a pane
    window.event_list.layout().addWidget(field)
    field.show()
    field.setText("abc")
    field.setFocus()
    field.setCursorPosition(0)
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.record_editor.dock.isVisible()
    assert (window.record_editor.editor.kind, window.record_editor.editor.record_id) == ("events", "ev-march")
    assert field.cursorPosition() == 0  # the field did not take the key


def test_ctrl_e_in_the_record_editors_own_fields_stays_theirs(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    field = EndOfLineField(editor)
    editor.layout().addWidget(field)
    field.show()
    field.setText("abc")
    field.setFocus()
    field.setCursorPosition(0)
    qtbot.waitUntil(field.hasFocus)
    triggered: list[bool] = []
    window.record_editor.edit_action.triggered.connect(lambda: triggered.append(True))
    qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert field.cursorPosition() == 3 and not triggered  # moved to the line's end; the editor not reopened
