"""What the reader sees while a corpus opens: a phase, a progress bar and Cancel.

:class:`LoadProgress` is the strip itself. At start-up it fills a
:class:`StartWindow`, a window frame shown at once where the explorer's
window will appear; on File > Open it sits in the open window's status bar,
which stays usable while the new corpus loads.

:class:`PathDrops` is how both windows take an essay or a corpus folder
dropped on them: the one drag-and-drop handler they share.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton, QVBoxLayout, QWidget

#: Fractions are shown in this many steps.
BAR_STEPS = 1000


class LoadProgress(QWidget):
    """"Opening NAME…", the phase, a bar (busy while the fraction is unknown) and Cancel."""

    cancel_requested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.title = QLabel(f"Opening {name}…", self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a folder name is not markup
        self.phase = QLabel(self)
        self.phase.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)  # busy until a phase says how far it is
        self.bar.setAccessibleName(f"Opening {name}")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop opening this corpus")
        self.cancel_button.clicked.connect(self.cancel_requested)
        if compact:  # one line, in a status bar
            layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            self.bar.setMaximumWidth(160)
            layout.addWidget(self.title)
            layout.addWidget(self.bar)
            layout.addWidget(self.cancel_button)
            self.phase.hide()
        else:
            layout = QVBoxLayout(self)
            self.bar.setMinimumWidth(320)
            layout.addWidget(self.title)
            layout.addWidget(self.phase)
            layout.addWidget(self.bar)
            layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)

    def set_phase(self, phase: str, fraction: float | None) -> None:
        self.phase.setText(phase)
        self.title.setToolTip(phase)
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, BAR_STEPS)
            self.bar.setValue(round(min(max(fraction, 0.0), 1.0) * BAR_STEPS))


class PathDrops(QObject):
    """Lets a window take one local file or folder dropped on it (an essay, a corpus folder): the drag is
    accepted only when it carries exactly that (:func:`~explorer.ui.essay_open.dropped_path`), and
    :attr:`dropped` says which. Anything else (several files, a web link, text) is refused as it enters."""

    dropped = Signal(Path)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.Drop) and isinstance(event, QDropEvent):
            from explorer.ui.essay_open import dropped_path  # not before the first drag: the window comes first

            path = dropped_path(event.mimeData())
            if path is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self.dropped.emit(path)
            return True
        return super().eventFilter(watched, event)


class StartWindow(QMainWindow):
    """The window frame shown the moment the app starts, until the corpus is ready; an essay or a
    corpus folder dropped on it is opened instead."""

    closed = Signal()
    dropped = Signal(Path)

    def __init__(self, name: str, geometry: QByteArray | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Opening {name} — Explorer")
        self.progress = LoadProgress(name, self)
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.addStretch(1)
        column.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.setCentralWidget(centre)
        room = self.screen().availableGeometry()  # as the explorer's window sizes itself
        self.resize(min(1440, int(room.width() * 0.92)), min(900, int(room.height() * 0.92)))
        if geometry:
            self.restoreGeometry(geometry)
        self.drops = PathDrops(self)
        self.drops.dropped.connect(self.dropped)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
