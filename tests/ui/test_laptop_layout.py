"""On a laptop-sized window the essay keeps a readable measure, and nothing is cut without a tooltip (10.6)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow


def chars_per_line(window: MainWindow) -> float:
    view = window.passage_pane.view
    assert view.column_width() <= view.viewport().width()  # no line runs past the pane
    return view.column_width() / view.average_char_width()


def laptop(qtbot, make_window, corpus: Corpus) -> MainWindow:
    window = make_window(corpus)
    window.resize(1024, 700)
    assert window.show_finding("IBID_INTENT:23")
    view = window.passage_pane.view
    qtbot.waitUntil(lambda: window.audit_dock.isVisible() and view.viewport().width() > 0 and view.settled)
    QApplication.processEvents()
    return window


def test_the_essay_keeps_45_characters_a_line_with_the_audit_open(qtbot, make_window, default_corpus) -> None:
    window = laptop(qtbot, make_window, default_corpus)
    assert window.narrow and window.side_tabs.isVisible()
    assert chars_per_line(window) >= 45
    assert window.passage_pane.view.viewport().height() >= 150
    assert window.audit_dock.height() <= 700 * 0.4
    for _ in range(2):  # zoomed in, the measure holds too
        window.zoom_in_action.trigger()
    QApplication.processEvents()
    assert chars_per_line(window) >= 45
    window.zoom_reset_action.trigger()
    window.resize(1600, 1000)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.passage_pane.view.settled)  # a resizing takes the measure once it stops
    assert not window.narrow and window.event_list.isVisible() and window.document_pane.isVisible()
    assert chars_per_line(window) >= 60


def test_go_to_shows_the_tab_and_a_finding_shows_its_document(qtbot, make_window, default_corpus) -> None:
    window = laptop(qtbot, make_window, default_corpus)
    assert window.side_tabs.currentWidget() is window.document_pane  # the finding's document
    qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.side_tabs.currentWidget() is window.event_list
    assert QApplication.focusWidget() is window.event_list.view
    qtbot.keyClick(window.event_list.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.side_tabs.currentWidget() is window.document_pane


def test_no_label_or_cell_is_cut_without_a_tooltip(qtbot, make_window, default_corpus) -> None:
    window = laptop(qtbot, make_window, default_corpus)
    cut = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText:
            continue
        width = QFontMetrics(label.font()).horizontalAdvance(label.text())
        if width > label.contentsRect().width() and not label.toolTip():
            cut.append(label.text())
    for view in window.findChildren(QAbstractItemView):
        if not view.isVisible() or view.model() is None:
            continue
        model = view.model()
        for row in range(min(model.rowCount(), 30)):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                rect = view.visualRect(index)
                text = str(index.data() or "")
                if rect.isEmpty() or not text:
                    continue
                if QFontMetrics(view.font()).horizontalAdvance(text) > rect.width() - 8 and not index.data(
                        Qt.ItemDataRole.ToolTipRole):
                    cut.append(text)
    assert cut == []
    # the marks' note fields, whose hint a narrow row cuts, say what they are for (here: why they are off)
    for editor in window.audit_panel.verification.editors:
        assert "Marks are off" in editor.note.toolTip()
