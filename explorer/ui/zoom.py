"""Text zoom for the reading panes, in percent, in steps like a browser's."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from explorer.ui.settings import ZOOM_DEFAULT

STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 175, 200, 250)


def ui_font(percent: int) -> QFont:
    """The interface font at *percent* with only its size set, so a pane given it keeps
    its children's own bold and italics and they grow with it."""
    base = QApplication.font()
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font = QFont()
    font.setPointSizeF(max(round(size * percent / 100 * 2) / 2, 6.0))
    return font


class TextZoom(QObject):
    changed = Signal(int)

    def __init__(self, percent: int = ZOOM_DEFAULT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._percent = percent

    @property
    def percent(self) -> int:
        return self._percent

    def set_percent(self, percent: int) -> None:
        percent = min(max(percent, STEPS[0]), STEPS[-1])
        if percent != self._percent:
            self._percent = percent
            self.changed.emit(percent)

    def zoom_in(self) -> None:
        self.set_percent(next((s for s in STEPS if s > self._percent), STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_percent(next((s for s in reversed(STEPS) if s < self._percent), STEPS[0]))

    def reset(self) -> None:
        self.set_percent(ZOOM_DEFAULT)
