"""A QTextBrowser that only ever shows what the app puts in it.

It loads no resource (no image, no stylesheet, no file, no URL) and follows
no link: links arrive as ``anchorClicked`` for the pane to act on.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser, QWidget

READING_FAMILIES = [
    "Charter", "Charis SIL", "Iowan Old Style", "Georgia", "Cambria", "Palatino Linotype",
    "Source Serif 4", "Source Serif Pro", "Noto Serif", "Liberation Serif", "DejaVu Serif",
]


def reading_font(base: QFont, scale: float) -> QFont:
    """A serif text face at *scale* times the UI font (zoom is part of *scale*)."""
    font = QFont(base)
    font.setFamilies(READING_FAMILIES)
    font.setStyleHint(QFont.StyleHint.Serif)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(round(size * scale * 2) / 2)
    return font


class LocalBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setSearchPaths([])

    def loadResource(self, type: int, name: QUrl | str) -> object:
        # An empty result, not None: for a null one QTextDocument goes on to
        # read a local file itself (Qt 6 QTextDocument::loadResource).
        return QByteArray()
