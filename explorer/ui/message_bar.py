"""A bar across the top of the window for problems that do not stop the reader.

Non-modal: the window stays usable while it shows. Used for the marks file
(read-only, damaged and moved aside, locked, newer) and for a mark that could
not be saved. Messages are plain text; a repeated one is not added twice.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from explorer.ui.palette import caution, mix, readable


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.messages: list[str] = []
        self._tinting = False
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # paths and reasons are never markup
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAccessibleName("Dismiss the message")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._tint()
        self.hide()
        self.close_button.clicked.connect(self.dismiss)

    def _tint(self) -> None:
        """An amber wash over the window's colour, readable under its text; made anew from the inherited
        palette, so a palette changed at run time (dark mode) is followed."""
        self._tinting = True
        try:
            self.setPalette(QPalette())  # inherit every role again
            palette = self.palette()
            window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
            palette.setColor(QPalette.ColorRole.Window, readable(mix(caution(palette), window, 0.16), text).background)
            self.setPalette(palette)
        finally:
            self._tinting = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._tinting:
            self._tint()

    def show_message(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)
        self.text.setText("\n".join(self.messages))
        self.show()

    def replace_message(self, old: str, new: str) -> None:
        """Put *new* where *old* is shown ("" takes it away; the bar hides when nothing is left); a message
        not shown (dismissed) stays away."""
        if old not in self.messages:
            return
        at = self.messages.index(old)
        self.messages[at:at + 1] = [new] if new and new not in self.messages else []
        if not self.messages:
            self.dismiss()
            return
        self.text.setText("\n".join(self.messages))

    def dismiss(self) -> None:
        self.messages.clear()
        self.hide()
