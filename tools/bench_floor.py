"""The floor Qt itself sets: a minimal PySide6 three-pane window, shown, painted, gone.

Run as a script it is the start-up floor of ``make bench``: it imports
PySide6, shows a main window holding a list and two text panes, and exits
right after the first paint. Nothing of the app is imported, so the time is
what any PySide6 program pays. The bench also bundles this script with the
app's own spec to get the floor for the bundle's start-up.

:func:`build_window` is the scale floor: the same three panes holding a
corpus's data in Qt's own C++ models and text documents (a QStringListModel
of event titles, the first document's text, the whole essay as plain text),
which is what the app's window costs at best for that much data.
"""

from __future__ import annotations

import sys


def build_window(titles: list[str], document_html: str, essay_text: str):
    """A QMainWindow with the three panes over *titles*, *document_html* and *essay_text*."""
    from PySide6.QtCore import QStringListModel, Qt
    from PySide6.QtWidgets import QListView, QMainWindow, QSplitter, QTextBrowser

    window = QMainWindow()
    window.setWindowTitle("floor")
    splitter = QSplitter(Qt.Orientation.Horizontal, window)
    window.list_model = QStringListModel(titles, window)
    window.event_list = QListView(splitter)
    window.event_list.setUniformItemSizes(True)
    window.event_list.setLayoutMode(QListView.LayoutMode.Batched)
    window.event_list.setModel(window.list_model)
    window.document = QTextBrowser(splitter)
    window.document.setHtml(document_html)
    window.essay = QTextBrowser(splitter)
    window.essay.setPlainText(essay_text)
    window.setCentralWidget(splitter)
    room = window.screen().availableGeometry()  # the size the app's window takes on this screen
    window.resize(min(1440, int(room.width() * 0.92)), min(900, int(room.height() * 0.92)))
    width = window.width()
    splitter.setSizes([int(width * 0.23), int(width * 0.32), int(width * 0.45)])
    return window


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    window = build_window([], "", "")

    class _QuitAfterPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, app.quit)
            return False

    quitter = _QuitAfterPaint()
    window.installEventFilter(quitter)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
