"""A long essay keeps the reader's place and is not laid out again for nothing (issue 17).

The text wraps at its measure, centred by the view's margins: a resize that
leaves the measure as it was lays nothing out again, and one that rewraps
keeps the line the reader was at on top.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.passage_pane import PassagePane
from explorer.ui.state import ExplorerState
from tests.support.corpora import TINY_ESSAY

REPEATS = 49  # 98 notes, 99 paragraphs (ids stay two digits, as the records cite them): far to scroll


def long_essay(times: int) -> str:
    """The tiny essay's body *times* over, its two notes numbered on in each copy."""
    body, closing = TINY_ESSAY.split("\nNote: ")
    body = body.replace("[bookmark: _GoBack]", "")

    def copy(n: int) -> str:
        return re.sub(r"\[(footnoteRef:)?(\d+)(\]|:)",
                      lambda m: f"[{m.group(1) or ''}{int(m.group(2)) + 2 * n}{m.group(3)}", body.strip("\n"))

    return "[bookmark: _GoBack]" + "\n\n".join(copy(n) for n in range(times)) + "\n\nNote: " + closing


@pytest.fixture
def long_corpus(make_corpus: Callable[..., Path]) -> Corpus:
    return load_corpus(make_corpus(essay=long_essay(REPEATS)))


def shown_pane(qtbot, corpus: Corpus, width: int) -> PassagePane:
    pane = PassagePane(corpus, ExplorerState(corpus))
    pane.resize(width, 500)
    qtbot.addWidget(pane)
    pane.show()
    doc = pane.view.document()  # laid out to its end (Qt lays a long text out in steps, between events)
    qtbot.waitUntil(lambda: pane.view.viewport().width() > 0 and pane.view.settled
                    and doc.lastBlock().layout().lineCount() > 0)
    QApplication.processEvents()  # its last size, reported on a zero timer
    return pane


def read_far_down(pane: PassagePane) -> int:
    """Scroll as a reader does, three quarters down; the document position at the top."""
    bar = pane.view.verticalScrollBar()
    bar.setSliderPosition(bar.maximum() * 3 // 4)
    bar.triggerAction(bar.SliderAction.SliderMove)
    QApplication.processEvents()
    return pane.view.top_position()


def test_the_long_essay_has_its_notes(long_corpus: Corpus) -> None:
    assert len(long_corpus.essay.footnotes) == 2 * REPEATS


def test_a_resize_that_keeps_the_measure_lays_nothing_out_again(qtbot, long_corpus: Corpus) -> None:
    pane = shown_pane(qtbot, long_corpus, 1200)  # wider than the measure and its margins
    view, bar = pane.view, pane.view.verticalScrollBar()
    column = view.column_width()
    assert column < view.viewport().width() + 2  # the margins centre it
    top, value = read_far_down(pane), bar.value()
    laid_out = []
    view.document().documentLayout().documentSizeChanged.connect(laid_out.append)
    for width in (1300, 1100, 1250):
        pane.resize(width, 500)
        QApplication.processEvents()
        assert view.column_width() == column
        assert bar.value() == value and view.top_position() == top
    assert laid_out == []  # the layout was never redone


def test_a_resize_that_rewraps_keeps_the_line_read_on_top(qtbot, long_corpus: Corpus) -> None:
    pane = shown_pane(qtbot, long_corpus, 700)
    view = pane.view
    top = read_far_down(pane)
    block = view.document().findBlock(top).blockNumber()
    assert block > REPEATS  # far down: the old layout up to here is no longer valid after the rewrap
    column = view.column_width()
    pane.resize(480, 500)
    qtbot.waitUntil(lambda: view.settled)
    assert view.column_width() < column
    moved = view.top_position()
    assert view.document().findBlock(moved).blockNumber() == block
    assert abs(moved - top) < 200  # the same line, or the one it now starts in


def test_the_wheel_over_the_side_margins_scrolls_the_essay(qtbot, long_corpus: Corpus) -> None:
    pane = shown_pane(qtbot, long_corpus, 1200)
    view, bar = pane.view, pane.view.verticalScrollBar()
    margin = view.viewport().geometry().left() // 2
    assert margin > 0
    where = QPointF(margin, 100)
    wheel = QWheelEvent(where, QPointF(view.mapToGlobal(where.toPoint())), QPoint(), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, wheel)
    assert bar.value() > 0


def test_the_whole_essay_is_laid_out_after_the_audit_flags_its_notes(qtbot, make_window, default_corpus) -> None:
    """Flagging notes edits the text while Qt is still laying it out in steps: the rest must not stay unlaid
    (blank, and past the end of the scroll bar)."""
    window = make_window(default_corpus)
    assert window.passage_pane.flagged  # the audit ran and flagged notes
    doc = window.passage_pane.view.document()

    def every_block_laid_out() -> bool:
        block = doc.firstBlock()
        while block.isValid():
            if block.text() and block.layout().lineCount() == 0:
                return False
            block = block.next()
        return True

    qtbot.waitUntil(every_block_laid_out)
    bar = window.passage_pane.view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderToMaximum)
    last = doc.lastBlock()
    assert window.passage_pane.is_in_view(last.position() + last.length() - 1)  # the end can be read
