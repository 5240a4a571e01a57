"""Choosing an audit finding shows the passage it is about, centred where it fits, also after zoom (10.7)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.passage_pane import PassagePane


def in_view(pane: PassagePane, position: int) -> bool:
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(position)
    rect = pane.view.cursorRect(cursor)
    return rect.top() >= 0 and rect.bottom() <= pane.view.viewport().height()


def choose(qtbot, window: MainWindow, ref: str) -> None:
    panel = window.audit_panel
    key = next(k for k in panel.visible_keys() if k.startswith(ref))
    row = panel.visible_keys().index(key)
    panel.view.scrollTo(panel.proxy.index(row, 3))
    rect = panel.view.visualRect(panel.proxy.index(row, 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.state.finding == key


def y_of(pane: PassagePane, position: int) -> int:
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(position)
    return pane.view.cursorRect(cursor).top()


def shown_whole_if_it_fits(pane: PassagePane, start: int, marker: int) -> bool:
    """The marker is in view, and the highlighted text before it too when both fit."""
    fits = y_of(pane, marker) - y_of(pane, start) + 40 < pane.view.viewport().height()
    return in_view(pane, marker) and (in_view(pane, start) or not fits)


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 700)])
def test_a_finding_shows_its_highlighted_passage_and_marker(
    qtbot, make_window, default_corpus: Corpus, size: tuple[int, int]
) -> None:
    window = make_window(default_corpus)
    window.resize(*size)
    window.audit_action.trigger()
    pane = window.passage_pane
    for ref in ("IBID_INTENT:23", "IBID_INTENT:25", "IBID_INTENT:24"):
        choose(qtbot, window, ref)
        assert pane._highlight, ref
        start = max(s for s, _ in pane._highlight)
        marker = pane.marker_position(window.state.footnote or 0)
        assert marker is not None and start < marker
        qtbot.waitUntil(lambda start=start, marker=marker: shown_whole_if_it_fits(pane, start, marker))
        if size[0] > 1500:
            assert in_view(pane, start)  # it fits on a large window
        for _ in range(2):
            qtbot.keyClick(pane.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda start=start, marker=marker: shown_whole_if_it_fits(pane, start, marker))
        qtbot.keyClick(pane.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        bar = pane.view.verticalScrollBar()
        bar.triggerAction(bar.SliderAction.SliderToMaximum)  # the reader goes elsewhere


def test_the_reader_scrolling_away_is_not_undone_by_a_resize(qtbot, make_window, default_corpus: Corpus) -> None:
    window = make_window(default_corpus)
    window.resize(1024, 700)
    window.audit_action.trigger()
    choose(qtbot, window, "IBID_INTENT:23")
    bar = window.passage_pane.view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderToMinimum)  # the reader goes to the top
    window.resize(1024, 650)
    qtbot.waitUntil(lambda: window.passage_pane.view.height() > 0)
    assert bar.value() == 0
