"""The surface the essay is read on: a comfortable measure, and clicks on plain text.

Positions in a QTextDocument count UTF-16 code units; Python strings count
code points. The two helpers here convert, so text outside the Basic
Multilingual Plane never shifts a highlight.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QHelpEvent, QMouseEvent, QResizeEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QFrame, QToolTip, QWidget

from explorer.ui.browser import LocalBrowser

#: Characters per line the text aims at (typographers' 60-75).
MEASURE = 68


def utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def index_of_units(text: str, units: int) -> int:
    """The str index *units* UTF-16 code units into *text*."""
    if text.isascii():
        return min(units, len(text))
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class EssayView(LocalBrowser):
    """The reading surface: keeps a comfortable measure and reports plain clicks."""

    text_clicked = Signal(int)  # document position of a click on text that is not a link
    zoom_requested = Signal(int)  # +1 / -1 from Ctrl+wheel
    measure_changed = Signal(int)  # the side margin, so the note below can line up with the text
    viewport_resized = Signal()  # after the text has rewrapped to the new size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: QPoint | None = None
        #: Gives a link's tooltip (rich text, escaped) when the mouse rests on it.
        self.tooltip_for: Callable[[str], str | None] | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)

    def average_char_width(self) -> float:
        return QFontMetricsF(self.document().defaultFont()).averageCharWidth()

    def fit_measure(self) -> None:
        """Side margins so lines hold about MEASURE characters."""
        doc = self.document()
        text_width = QFontMetricsF(doc.defaultFont()).averageCharWidth() * MEASURE
        # Narrow, the margins give way before the measure does.
        side = max(28.0 if self.viewport().width() > text_width * 0.85 + 56 else 16.0,
                   (self.viewport().width() - text_width) / 2)
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) > 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            frame.setFrameFormat(fmt)
            self.measure_changed.emit(round(side))

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Rewrapping moves the text: keep the line that was at the top there.
        rewrap = self.isVisible() and event.oldSize().width() != event.size().width()
        top = self.top_position() if rewrap else 0
        self.fit_measure()
        super().resizeEvent(event)
        if top > 0:
            self.scroll_to_top(top)
        if self.isVisible():
            self.viewport_resized.emit()

    def top_position(self) -> int:
        """The document position at the start of the first line shown."""
        # Hit-test inside the text column: the margins hit-test unreliably.
        left = round(self.document().rootFrame().frameFormat().leftMargin()) + 2
        return self.cursorForPosition(QPoint(left, 2)).position()

    def scroll_to_top(self, position: int) -> None:
        """Scroll so the line holding *position* is the first one shown."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        press, self._press = self._press, None
        if (
            event.button() == Qt.MouseButton.LeftButton
            and press is not None
            and (pos - press).manhattanLength() < QApplication.startDragDistance()
            and not self.anchorAt(pos)
            and not self.textCursor().hasSelection()
        ):
            self.text_clicked.emit(self.cursorForPosition(pos).position())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tooltip_for is not None:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_for(self.anchorAt(self.viewport().mapFromGlobal(event.globalPos())))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)
