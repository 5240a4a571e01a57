"""The main window: builds the three panes around one state object and wires them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QSplitter, QStyle, QToolBar, QWidget

from explorer.core.model import Corpus
from explorer.ui.document_pane import DocumentPane
from explorer.ui.event_list import EventListPane
from explorer.ui.passage_pane import PassagePane
from explorer.ui.settings import Settings
from explorer.ui.state import ExplorerState, Selection, follow_event
from explorer.ui.status_line import StatusLine
from explorer.ui.zoom import TextZoom

Keys = QKeySequence.StandardKey


def _keys(standard: QKeySequence.StandardKey | None, *extra: str) -> list[QKeySequence]:
    """The platform's keys for *standard*, plus *extra* ones it lacks."""
    keys = QKeySequence.keyBindings(standard) if standard is not None else []
    for text in extra:
        if QKeySequence(text) not in keys:
            keys.append(QKeySequence(text))
    return keys


class MainWindow(QMainWindow):
    open_corpus_requested = Signal(Path)
    closed = Signal()

    def __init__(self, corpus: Corpus, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.settings = settings
        m = corpus.manifest
        byline = ", ".join(str(x) for x in (m.author, m.year) if x)
        self.setWindowTitle(f"{m.title or 'Untitled essay'}{f' ({byline})' if byline else ''} — Explorer")
        self.state = ExplorerState(corpus, self)
        self.zoom = TextZoom(settings.zoom, self)

        self.event_list = EventListPane(corpus, self.state)
        self.document_pane = DocumentPane(corpus, self.state, self.zoom.percent)
        self.passage_pane = PassagePane(corpus, self.state, self.zoom.percent)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("panes")
        for pane in (self.event_list, self.document_pane, self.passage_pane):
            self.splitter.addWidget(pane)
            self.splitter.setCollapsible(self.splitter.indexOf(pane), False)
        self.splitter.setStretchFactor(2, 1)
        self.setCentralWidget(self.splitter)
        self.status_line = StatusLine(corpus, self.state)
        self.statusBar().addWidget(self.status_line, 1)

        icon = self.style().standardIcon
        self.back_action = self._action("&Back", _keys(Keys.Back, "Alt+Left"), icon(QStyle.StandardPixmap.SP_ArrowBack))
        self.forward_action = self._action(
            "&Forward", _keys(Keys.Forward, "Alt+Right"), icon(QStyle.StandardPixmap.SP_ArrowForward))
        self.zoom_in_action = self._action("Zoom &In", _keys(Keys.ZoomIn, "Ctrl+="))
        self.zoom_out_action = self._action("Zoom &Out", _keys(Keys.ZoomOut, "Ctrl+-"))
        self.zoom_reset_action = self._action("&Actual Size", _keys(None, "Ctrl+0"))
        self.focus_actions = [
            self._action(text, _keys(None, f"Ctrl+{n}"))
            for n, text in enumerate(("&Events", "&Document", "Essay &Passage"), 1)
        ]
        self.find_action = self._action("&Filter Events", _keys(Keys.Find))
        self.open_action = self._action("&Open Corpus Folder…", _keys(Keys.Open))
        self.quit_action = self._action("&Quit", _keys(Keys.Quit, "Ctrl+Q"))
        menus = self.menuBar()
        menus.addMenu("&File").addActions([self.open_action, self.quit_action])
        view = menus.addMenu("&View")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view.addSeparator()
        view.addActions([self.find_action, *self.focus_actions])
        menus.addMenu("&Go").addActions([self.back_action, self.forward_action])
        self.toolbar = QToolBar("Navigation", self)
        self.toolbar.setObjectName("navigation")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addActions([self.back_action, self.forward_action])
        self.addToolBar(self.toolbar)

        self._connect_signals()
        self._restore()

    def _action(self, text: str, keys: list[QKeySequence], icon: QIcon | None = None) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        if icon is not None:
            action.setIcon(icon)
        if keys:
            action.setToolTip(f"{text.replace('&', '')} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})")
        self.addAction(action)
        return action

    def _connect_signals(self) -> None:
        self.back_action.triggered.connect(self.state.back)
        self.forward_action.triggered.connect(self.state.forward)
        self.state.history_changed.connect(self._on_history_changed)
        self.zoom_in_action.triggered.connect(self.zoom.zoom_in)
        self.zoom_out_action.triggered.connect(self.zoom.zoom_out)
        self.zoom_reset_action.triggered.connect(self.zoom.reset)
        self.zoom.changed.connect(self.document_pane.set_zoom)
        self.zoom.changed.connect(self.passage_pane.set_zoom)
        self.zoom.changed.connect(self._on_zoom_changed)
        self.passage_pane.view.zoom_requested.connect(self._on_zoom_requested)
        panes = (self.event_list, self.document_pane, self.passage_pane)
        for action, pane in zip(self.focus_actions, panes, strict=True):
            action.triggered.connect(pane.setFocus)
        self.find_action.triggered.connect(self.event_list.focus_filter)
        self.open_action.triggered.connect(self._on_open)
        self.quit_action.triggered.connect(self.close)

    def _restore(self) -> None:
        room = self.screen().availableGeometry()
        self.resize(min(1440, int(room.width() * 0.92)), min(900, int(room.height() * 0.92)))
        if self.settings.geometry:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state:
            self.restoreState(self.settings.window_state)
        self._share_width = not (self.settings.splitter and self.splitter.restoreState(self.settings.splitter))
        self._on_history_changed(False, False)
        saved = Selection.from_ids(self.corpus, self.settings.last_selection(self.corpus.manifest.id))
        if saved == Selection() and self.corpus.events:
            saved = follow_event(self.corpus, saved, self.corpus.events[0].id)
        self.state.restore(saved)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._share_width:  # first run: the panes share the width the window has when it appears
            self._share_width = False
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.24), int(width * 0.32), int(width * 0.44)])

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self.settings
        settings.geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        settings.splitter = self.splitter.saveState()
        settings.set_last_selection(self.corpus.manifest.id, self.state.selection.to_ids())
        settings.sync()
        super().closeEvent(event)
        self.closed.emit()

    # -- handlers ---------------------------------------------------------------------
    def _on_history_changed(self, can_back: bool, can_forward: bool) -> None:
        self.back_action.setEnabled(can_back)
        self.forward_action.setEnabled(can_forward)

    def _on_zoom_changed(self, percent: int) -> None:
        self.settings.zoom = percent
        self.statusBar().showMessage(f"Text size {percent}%", 2000)

    def _on_zoom_requested(self, step: int) -> None:
        (self.zoom.zoom_in if step > 0 else self.zoom.zoom_out)()

    def _on_open(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a corpus folder", str(self.corpus.path.parent))
        if folder:
            self.open_corpus_requested.emit(Path(folder))
