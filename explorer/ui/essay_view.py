"""The surface the essay is read on: a comfortable measure, and clicks on plain text.

Positions in a QTextDocument count UTF-16 code units; Python strings count
code points. The two helpers here convert, so text outside the Basic
Multilingual Plane never shifts a highlight.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QHelpEvent, QMouseEvent, QPalette, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QFrame, QToolTip, QWidget

from explorer.ui.browser import LocalBrowser

#: Characters per line the text aims at (typographers' 60-75).
MEASURE = 68
#: Resizes closer together than this (ms) are one resizing, a window edge dragged: the text rewraps
#: only when it no longer fits even without margins, then SLACK pixels narrower than its measure, and
#: takes its measure once the resizing stops.
#: Each rewrap lays the essay out again up to the place read: seconds deep into a book.
SETTLE_MS = 250
SLACK = 96


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
        # The text wraps at a width of its own (the measure), centred by the view's margins: a resize
        # that leaves the measure as it was (any window wide enough for it) lays nothing out again.
        # Wrapping at the widget's width would lay out the whole essay on every resize, up to the
        # place read, which is seconds into a book.
        self.setLineWrapMode(LocalBrowser.LineWrapMode.FixedPixelWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # the margins look like the page
        self.setAutoFillBackground(True)
        self._side = 0
        self._resized_at = 0.0  # time.monotonic() of the last resize
        self._unsettled = False  # a resizing left the text narrower or wider than its measure
        self._shown_sized = False  # shown, and resized to its size at least once
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_resizing_stopped)

    def average_char_width(self) -> float:
        return QFontMetricsF(self.document().defaultFont()).averageCharWidth()

    @property
    def settled(self) -> bool:
        """Whether the text has its measure (no resizing has left it narrower or wider for now)."""
        return not (self._unsettled or self._settle.isActive())

    def column_width(self) -> int:
        """The width the text wraps at."""
        return self.lineWrapColumnOrWidth()

    def fit_measure(self, *, resizing: bool = False) -> bool:
        """Side margins so lines hold about MEASURE characters; True if the text wrapped anew.

        *resizing*: in the middle of a resizing, keep the column while it fits (see SETTLE_MS)."""
        text_width = self.average_char_width() * MEASURE
        margins = self.viewportMargins()
        room = self.viewport().width() + margins.left() + margins.right()
        # Narrow, the margins give way before the measure does.
        least = 28 if room > text_width * 0.85 + 56 else 16
        column = max(min(round(text_width), room - 2 * least), 40)  # the same at any width it fits in
        now = self.lineWrapColumnOrWidth()
        if resizing and 0 < now != column:
            column = now if now <= room else max(column - SLACK, 40)  # the margins give way first
            self._unsettled = True  # the measure comes back once the resizing stops (resizeEvent)
        rewrap = column != now
        if rewrap:  # first: the resizeEvent the new margins send finds the column as it now is
            self.setLineWrapColumnOrWidth(column)
        side = max((room - column) // 2, 0)
        if side != self._side or margins.left() + margins.right() + column != room:
            self._side = side
            self.setViewportMargins(side, 0, max(room - side - column, 0), 0)  # the viewport resizes: resizeEvent
            self.measure_changed.emit(side)
        return rewrap

    def resizeEvent(self, event: QResizeEvent) -> None:
        # (The viewport's size: QAbstractScrollArea sends the viewport's resizes here.)
        # Rewrapping moves the text: keep the line that was at the top there.
        # Only a new width can rewrap (a note opening below changes the height): only then find the top.
        top = self._place_read() if event.size().width() != event.oldSize().width() else 0
        rewrapped = self.fit_measure(resizing=time.monotonic() - self._resized_at < SETTLE_MS / 1000)
        super().resizeEvent(event)
        if rewrapped and top > 0:
            self.scroll_to_top(top)
        if self.isVisible():
            self._shown_sized = True
            self.viewport_resized.emit()
        self._resized_at = time.monotonic()  # after the work: the pause until the next resize counts
        if self._unsettled:
            self._unsettled = False
            self._settle.start()

    def _place_read(self) -> int:
        """The document position at the top, to keep there through a rewrap; 0 when there is none to keep:
        at the top, or before the view was first shown at its size (the text is then laid out for a
        placeholder width, and asking it for the top would lay it all out, into the wrong place)."""
        if not (self._shown_sized and self.isVisible() and self.verticalScrollBar().value() > 0):
            return 0
        return self.top_position()

    def _on_resizing_stopped(self) -> None:
        top = self._place_read()
        if self.fit_measure() and top > 0:
            self.scroll_to_top(top)
        if self.isVisible():
            self.viewport_resized.emit()

    def relayout(self) -> None:
        """Lay the text out again from the start (in steps, between events), the line read kept on top."""
        top = self._place_read()
        doc = self.document()
        doc.setTextWidth(doc.textWidth())  # the whole text changed, for the layout: it starts over
        if top > 0:
            self.scroll_to_top(top)

    def top_position(self) -> int:
        """The document position at the start of the first line shown."""
        return self.cursorForPosition(QPoint(2, 2)).position()

    def scroll_to_top(self, position: int) -> None:
        """Scroll so the line holding *position* is the first one shown."""
        doc = self.document()
        block = doc.findBlock(position)
        if not block.isValid():
            return
        top = doc.documentLayout().blockBoundingRect(block).top()  # laid out up to here, if it was not
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
        if line is not None and line.isValid():
            top += line.y()
        self.verticalScrollBar().setValue(round(top))

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
        if event.type() == QEvent.Type.Wheel:  # over the side margins (the viewport's own come to wheelEvent)
            assert isinstance(event, QWheelEvent)
            self.wheelEvent(event)
            return True
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
