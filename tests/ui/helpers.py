"""Driving the reading panes with the mouse, as a reader would."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser

from explorer.ui.passage_pane import PassagePane


def point_at(pane: PassagePane, start: int, end: int | None = None) -> QPoint:
    """The middle of the characters *start* to *end*, scrolled into view."""
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    left = view.cursorRect(cursor)
    cursor.setPosition(end if end is not None else start + 1)
    right = view.cursorRect(cursor)
    if right.top() != left.top():  # wrapped: use the first character's line
        return QPoint(left.left() + 2, left.center().y())
    return QPoint((left.left() + right.left()) // 2, left.center().y())


def click_text(qtbot, pane: PassagePane, passage_id: str, offset: int) -> None:
    position = pane.position_of(passage_id, offset)
    assert position is not None
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(pane, position))


def click_footnote(qtbot, pane: PassagePane, number: int) -> None:
    start = pane.marker_position(number)
    assert start is not None
    end = start + len(str(number))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(pane, start, end))


def click_link(qtbot, browser: QTextBrowser, href: str) -> None:
    """Click the first link to *href* in a text browser, where it is drawn."""
    document = browser.document()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                point = QPoint(rect.left() + 3, rect.center().y())
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href!r}")


def first_format(block: QTextBlock) -> QTextCharFormat:
    """The format of *block*'s first character, read through a cursor (a block's fragment iterator is a
    temporary in PySide6: used as one, it once crashed the test process)."""
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    return cursor.charFormat()
