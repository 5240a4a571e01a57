"""The main window: builds the three panes and the audit panel around one state object and wires them.

It is built in two stages, so that the first paint comes as soon as it can:
``__init__`` builds what that paint shows (the three panes with their
content, the title, the menu bar, the toolbar, the status line) and the
docks' frames; :meth:`MainWindow._build_later` builds, right after the first
paint, what it does not show: the hidden docks' panes (audit, timeline,
correspondence, edit history), the curating actions and File > Export.
Anything asked for before then is built on demand (reading one of
:data:`BUILT_LATER` builds them all), so nothing the reader can trigger
early is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.audit.review import CODE as DISAGREE
from explorer.core.corpus_cache import saved_key, store_saved
from explorer.core.errors import CorpusError
from explorer.core.model import Corpus
from explorer.core.selection import Selection, follow_event
from explorer.ui.audit_job import AuditJob, Submit, in_daemon_thread
from explorer.ui.document_pane import DocumentPane
from explorer.ui.editing import EditSession
from explorer.ui.essay_open import ask_for_essay_folder, ask_for_file, ask_for_folder
from explorer.ui.event_list import EventListPane
from explorer.ui.idle_work import IdleWork
from explorer.ui.loading import PathDrops
from explorer.ui.marks_book import MarkBook
from explorer.ui.message_bar import MessageBar
from explorer.ui.passage_pane import PassagePane
from explorer.ui.record_editor import install_editor
from explorer.ui.recovery import Autosave, RecoveryOffer
from explorer.ui.review import ReviewActions
from explorer.ui.search_panel import SearchPanel
from explorer.ui.settings import Settings
from explorer.ui.state import ExplorerState
from explorer.ui.status_line import StatusLine
from explorer.ui.zoom import TextZoom

if TYPE_CHECKING:  # built after the first paint (MainWindow._build_later), imported then
    from explorer.ui.audit_panel import AuditPanel
    from explorer.ui.curation import Curation
    from explorer.ui.export_actions import ExportActions
    from explorer.ui.views.correspondence import CorrespondencePane
    from explorer.ui.views.timeline import TimelinePane

Keys = QKeySequence.StandardKey

#: The essay's narrowest measure, in average characters at the current zoom (10.6).
ESSAY_MIN_CHARS = 45
#: The measure the essay should keep beside the two other panes; narrower, they share a tabbed column.
ESSAY_SIDE_BY_SIDE_CHARS = 60
#: What the events and the document need, side by side, before the essay's share.
SIDE_PANES_WIDTH = 560
#: The audit dock's share of the window's height at most, so the essay keeps its lines.
AUDIT_HEIGHT_SHARE = 0.36
#: What the window builds after its first paint (MainWindow._build_later); reading one before builds them all.
BUILT_LATER = frozenset({"audit_panel", "timeline", "correspondence", "history_view", "exports", "curation"})


def _keys(standard: QKeySequence.StandardKey | None, *extra: str) -> list[QKeySequence]:
    """The platform's keys for *standard*, plus *extra* ones it lacks."""
    keys = QKeySequence.keyBindings(standard) if standard is not None else []
    for text in extra:
        if QKeySequence(text) not in keys:
            keys.append(QKeySequence(text))
    return keys


class MainWindow(QMainWindow):
    open_corpus_requested = Signal(Path)  # a corpus folder
    open_essay_requested = Signal(Path, Path)  # an essay file, the corpus folder to import it into
    closed = Signal()

    # Built by _build_later, after the first paint:
    audit_panel: AuditPanel
    timeline: TimelinePane
    correspondence: CorrespondencePane
    history_view: QUndoView
    exports: ExportActions
    curation: Curation

    def __init__(
        self, corpus: Corpus, settings: Settings, parent: QWidget | None = None, *,
        marks: MarkBook | None = None, submit: Submit | None = None,
    ) -> None:
        """*marks*: the corpus's verification marks (none: marking is off); *submit* runs
        the audit (default: a daemon thread)."""
        super().__init__(parent)
        self._later_pending = False  # set once the first stage is built
        self.corpus = corpus
        self.settings = settings
        # "[*]": Qt shows the platform's unsaved mark there (an asterisk; a dot in the close button on macOS).
        self.setWindowTitle(f"{corpus.manifest.display_title()}[*] — Explorer")
        self._given_submit = submit  # None: each part's own default
        self._submit = submit or in_daemon_thread
        self.state = ExplorerState(corpus, self)
        self.zoom = TextZoom(settings.zoom, self)
        self.audit = AuditJob(corpus, submit, self)
        self.marks = marks or MarkBook(None, corpus.manifest.id)
        self.marks.setParent(self)
        #: Every undoable edit in this window: marks now, later edits too.
        self.undo_stack = QUndoStack(self)
        self.marks.undo_stack = self.undo_stack
        #: Record edits (curating the corpus), on the same undo stack.
        self.edit_session = EditSession(self.state, self.undo_stack, self, submit=self._submit)
        self.edit_session.marks = self.marks  # a merged or renamed document's marks follow it
        self.review = ReviewActions(self.marks, settings, self)  # Preferences, File > Marks; names the reviewer
        #: Unsaved record edits kept in a recovery file; and those a crash left, offered back when first shown.
        self.autosave = Autosave(self.edit_session, parent=self)
        self.recovery = RecoveryOffer(self.edit_session, self)
        self._recovery_offered = False
        self.close_prompt: QMessageBox | None = None  # "Save the edits before closing?" while it is asked
        self._closing_unsaved = False  # the reader chose to close without saving

        self.event_list = EventListPane(corpus, self.state)
        self.document_pane = DocumentPane(corpus, self.state, self.zoom.percent, audit=self.audit, marks=self.marks)
        self.passage_pane = PassagePane(corpus, self.state, self.zoom.percent, audit=self.audit, marks=self.marks,
                                        note_share=self.settings.note_share)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("panes")
        for pane in (self.event_list, self.document_pane, self.passage_pane):
            self.splitter.addWidget(pane)
            self.splitter.setCollapsible(self.splitter.indexOf(pane), False)
        self.splitter.setStretchFactor(2, 1)
        # On a narrow window the events and the document share one tabbed column (see _arrange).
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("side")
        self.side_tabs.setAccessibleName("Events and document")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.hide()
        self.narrow = False
        self.message_bar = MessageBar()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.message_bar)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # The docks' frames now (their actions, the saved layout); the panes in them after the first paint.
        self.audit_dock = self._view_dock("Audit", "audit")  # hidden until the reader asks (then as they left it)
        # The timeline shares the audit's place; the correspondence sits beside them. Hidden until asked for.
        self.timeline_dock = self._view_dock("Timeline", "timeline")
        self.correspondence_dock = self._view_dock("Correspondence", "correspondence")
        # Split before tabifying: a dock split from one in a tab group joins the group instead.
        self.splitDockWidget(self.audit_dock, self.correspondence_dock, Qt.Orientation.Horizontal)
        self.tabifyDockWidget(self.audit_dock, self.timeline_dock)
        self.search_panel = SearchPanel(corpus, self.state, submit, self.marks.rows)
        self.search_dock = self._view_dock("Search", "search", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.search_dock.setWidget(self.search_panel)
        self.history_dock = self._view_dock("Edit History", "history", Qt.DockWidgetArea.RightDockWidgetArea)
        self.event_list.set_zoom(self.zoom.percent)
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
            for n, text in enumerate(("Go to &Events", "Go to &Document", "Go to the E&ssay"), 1)
        ]
        self.search_action = self._action("&Search…", _keys(Keys.Find))
        self.find_action = self._action("&Filter Events", _keys(None, "Ctrl+Shift+F"))
        self.audit_action = self.audit_dock.toggleViewAction()
        self.audit_action.setText("&Audit")
        self.audit_action.setShortcut(QKeySequence("Ctrl+4"))
        self.audit_action.setToolTip("Show the audit's findings about the essay's citations (Ctrl+4)")
        self.view_actions = []
        for dock, key, text in ((self.timeline_dock, "Ctrl+5", "&Timeline"),
                                (self.correspondence_dock, "Ctrl+6", "&Correspondence")):
            action = dock.toggleViewAction()
            action.setText(text)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"Show the {text.strip('&').lower()} ({key})")
            self.view_actions.append(action)
        self.open_action = self._action("&Open…", _keys(Keys.Open))
        self.open_action.setToolTip("Open an essay (.docx, .odt, .md, .txt) or a corpus (Ctrl+O)")
        self.open_folder_action = self._action("Open Corpus &Folder…", _keys(None, "Ctrl+Shift+O"))
        self.recent_menu = QMenu("Open &Recent", self)
        self.quit_action = self._action("&Quit", _keys(Keys.Quit, "Ctrl+Q"))
        self.save_action = self._action("&Save", _keys(Keys.Save, "Ctrl+S"))
        self.save_action.setEnabled(False)  # nothing to save until an edit
        self.history_action = self.history_dock.toggleViewAction()
        self.history_action.setText("Edit &History")
        self.history_action.setToolTip("Show the edits made in this window, to undo or redo back to any of them")
        self.shortcuts_action = self._action("&Keyboard Shortcuts", _keys(Keys.HelpContents))
        self.about_action = self._action("&About Explorer", [])
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(_keys(Keys.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(_keys(Keys.Redo, "Ctrl+Shift+Z"))
        self.addActions([self.undo_action, self.redo_action])
        menus = self.menuBar()
        self.file_menu = file_menu = menus.addMenu("&File")
        file_menu.addActions([self.open_action, self.open_folder_action])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addMenu("&Marks").addActions([self.review.export_action, self.review.import_action])
        self._before_quit = file_menu.addSeparator()  # File > Export and Print… go above it (_build_later)
        file_menu.addAction(self.quit_action)
        self.edit_menu = menus.addMenu("&Edit")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.view_menu = view = menus.addMenu("&View")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view.addSeparator()
        view.addActions([self.search_action, self.find_action, *self.focus_actions, self.audit_action,
                         *self.view_actions, self.history_action])
        menus.addMenu("&Go").addActions([self.back_action, self.forward_action])
        menus.addMenu("&Help").addActions([self.shortcuts_action, self.about_action])
        self.toolbar = QToolBar("Navigation", self)
        self.toolbar.setObjectName("navigation")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addActions([self.back_action, self.forward_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.audit_action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_panel.field)
        self.addToolBar(self.toolbar)

        self.drops = PathDrops(self)  # an essay or a corpus folder dropped on the window is opened
        self._connect_signals()
        # Before the saved layout is restored, which places its dock (a dock added later would not be).
        self.record_editor = install_editor(self)
        self._painted = False  # the rest is built, and the audit starts, after the first paint (paintEvent)
        self._later_pending = True
        self.indexes = IdleWork(self)  # the corpus's indexes, built while idle after the first paint
        self._restore()

    def _build_later(self) -> None:
        """What the first paint does not show: the hidden docks' panes, the curating actions, File > Export.
        Called after the first paint, or sooner by whatever needs one of them."""
        if not self._later_pending:
            return
        self._later_pending = False
        from explorer.ui.audit_panel import AuditPanel
        from explorer.ui.curation import install_curation
        from explorer.ui.export_actions import ExportActions
        from explorer.ui.views.correspondence import CorrespondencePane
        from explorer.ui.views.timeline import TimelinePane

        corpus, submit = self.state.corpus, self._given_submit
        self.audit_panel = AuditPanel(corpus, self.state, self.audit, self.marks)
        self.audit_panel.set_zoom(self.zoom.percent)
        self.zoom.changed.connect(self.audit_panel.set_zoom)
        self.audit_dock.setWidget(self.audit_panel)
        self.timeline = TimelinePane(corpus, self.state, submit=submit or in_daemon_thread)
        self.correspondence = CorrespondencePane(corpus, self.state, submit=submit or in_daemon_thread)
        self.timeline_dock.setWidget(self.timeline)
        self.correspondence_dock.setWidget(self.correspondence)
        self.timeline.canvas.range_changed.connect(self.correspondence.set_range)
        self.correspondence.set_range_source(self.timeline.canvas.built_range)  # asked when first shown
        self.history_view = QUndoView(self.undo_stack)
        self.history_view.setEmptyLabel("Opened")
        self.history_view.setAccessibleName("Edit history")
        self.history_dock.setWidget(self.history_view)
        self.exports = ExportActions(self, corpus, self.state, self.marks, submit)
        self.file_menu.insertMenu(self._before_quit, self.exports.export_menu)
        self.file_menu.insertAction(self._before_quit, self.exports.print_action)
        self.view_menu.insertAction(self.record_editor.view_action, self.exports.report_action)  # its old place
        #: Confirming, rejecting and merging records, and linking them from the essay (Edit menu, context menus).
        self.curation = install_curation(self)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.review.preferences_action)  # last, as platforms place it

    def __getattr__(self, name: str) -> Any:
        # Only for what is not found otherwise: a part built later, asked for before (a test, a key pressed at once).
        if name in BUILT_LATER and self.__dict__.get("_later_pending"):
            self._build_later()
            return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

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
        self.drops.dropped.connect(self.open_path)
        self.back_action.triggered.connect(self.state.back)
        self.forward_action.triggered.connect(self.state.forward)
        self.state.history_changed.connect(self._on_history_changed)
        self.zoom_in_action.triggered.connect(self.zoom.zoom_in)
        self.zoom_out_action.triggered.connect(self.zoom.zoom_out)
        self.zoom_reset_action.triggered.connect(self.zoom.reset)
        self.zoom.changed.connect(self.document_pane.set_zoom)
        self.zoom.changed.connect(self.passage_pane.set_zoom)
        self.zoom.changed.connect(self.event_list.set_zoom)
        self.zoom.changed.connect(self._on_zoom_changed)
        self.passage_pane.view.zoom_requested.connect(self._on_zoom_requested)
        panes = (self.event_list, self.document_pane, self.passage_pane)
        for action, pane in zip(self.focus_actions, panes, strict=True):
            action.triggered.connect(lambda _=False, pane=pane: self._on_go_to(pane))
        for followed in (self.state.document_selected, self.state.source_selected, self.state.person_selected,
                         self.state.footnote_selected, self.state.finding_selected):
            followed.connect(self._on_detail_followed)
        self.find_action.triggered.connect(self.event_list.focus_filter)
        self.search_action.triggered.connect(self.search_panel.focus_field)
        self.search_panel.show_requested.connect(self._on_search_requested)
        self.search_panel.problem.connect(self.message_bar.show_message)
        self.search_panel.match_chosen.connect(self.passage_pane.set_search_match)
        self.marks.marks_changed.connect(self.search_panel.update_marks)
        self.marks.mark_saved.connect(self.search_panel.update_marks)
        self.open_action.triggered.connect(self._on_open)
        self.open_folder_action.triggered.connect(self._on_open_folder)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_shown)
        self.quit_action.triggered.connect(self.close)
        self.shortcuts_action.triggered.connect(self._on_shortcuts)
        self.about_action.triggered.connect(self._on_about)
        self.audit_action.triggered.connect(self._on_audit_toggled)
        self.audit_dock.visibilityChanged.connect(self._on_marks_maybe_twice)
        for action, dock in zip(self.view_actions, (self.timeline_dock, self.correspondence_dock), strict=True):
            action.triggered.connect(lambda shown, dock=dock: self._on_view_toggled(dock, shown))
        self.state.selection_changed.connect(self._on_marks_maybe_twice)
        self.audit.finished.connect(self._on_audit_finished)
        self.marks.problem.connect(self.message_bar.show_message)
        self.review.message.connect(self.message_bar.show_message)
        self.review.message_replaced.connect(self.message_bar.replace_message)
        self.marks.mark_saved.connect(self._on_marks_reviewed)
        self.marks.marks_changed.connect(self._on_marks_reviewed)  # and once before the audit starts
        self.audit.notes_ready.connect(self._on_notes_ready)
        # Record edits: every pane follows state.corpus_changed itself; the search index and the audit here.
        self.state.corpus_changed.connect(self._on_corpus_changed)
        self.edit_session.records_changed.connect(self.search_panel.update_records)
        self.edit_session.unsaved_changed.connect(self._on_unsaved_changed)
        self.edit_session.marks_moved.connect(self.message_bar.show_message)
        self.save_action.triggered.connect(self._on_save)
        self.autosave.problem.connect(self.message_bar.show_message)
        self.recovery.message.connect(self.message_bar.show_message)

    def _restore(self) -> None:
        room = self.screen().availableGeometry()
        self.resize(min(1440, int(room.width() * 0.92)), min(900, int(room.height() * 0.92)))
        if self.settings.geometry:
            self.restoreGeometry(self.settings.geometry)
        if self.settings.window_state:
            self.restoreState(self.settings.window_state)
            if any(not dock.isHidden() for dock in (self.audit_dock, self.timeline_dock, self.correspondence_dock,
                                                    self.history_dock)):
                self._build_later()  # the reader left one open: the first paint shows its pane
        self._share_width = not (self.settings.splitter and self.splitter.restoreState(self.settings.splitter))
        self._on_history_changed(False, False)
        for problem in self.marks.problems:
            self.message_bar.show_message(problem)
        saved = Selection.from_ids(self.corpus, self.settings.last_selection(self.corpus.manifest.id))
        if saved == Selection() and self.corpus.events:
            saved = follow_event(self.corpus, saved, self.corpus.events[0].id)
        self.state.restore(saved)

    # -- layout -------------------------------------------------------------------------
    def _essay_widths(self) -> tuple[int, int]:
        """The essay pane's width at the narrowest measure and at the side-by-side one."""
        view = self.passage_pane.view
        char = view.average_char_width()
        extra = 2 * 16 + view.verticalScrollBar().sizeHint().width() + 4
        return int(char * ESSAY_MIN_CHARS) + extra, int(char * ESSAY_SIDE_BY_SIDE_CHARS) + extra

    def _arrange(self) -> None:
        """The essay keeps its measure: below the width three columns need, the events and the
        document become tabs of one column; the audit dock keeps to a share of the height."""
        narrowest, side_by_side = self._essay_widths()
        room = self.screen().availableGeometry().width() if self.screen() else 1600
        self.passage_pane.setMinimumWidth(min(narrowest, room // 2))
        need = SIDE_PANES_WIDTH + side_by_side
        narrow = self.width() < (need + 40 if self.narrow else need)  # a margin, so it does not flicker
        if narrow != self.narrow:
            self._set_narrow(narrow)
        self.audit_dock.setMaximumHeight(max(int(self.height() * AUDIT_HEIGHT_SHARE), 160))

    def _set_narrow(self, narrow: bool) -> None:
        self.narrow = narrow
        width = max(self.width(), 1)
        if narrow:
            current = self.side_tabs.currentWidget()
            self.side_tabs.addTab(self.event_list, "Events")
            self.side_tabs.addTab(self.document_pane, "Document")
            if current is not None:
                self.side_tabs.setCurrentWidget(current)
            self.splitter.insertWidget(0, self.side_tabs)
            self.side_tabs.show()
            self.splitter.setCollapsible(0, False)
            side = max(min(int(width * 0.36), width - self.passage_pane.minimumWidth()), 200)
            self.splitter.setSizes([side, width - side])
        else:
            self.splitter.insertWidget(0, self.event_list)
            self.splitter.insertWidget(1, self.document_pane)
            self.side_tabs.hide()
            self.side_tabs.setParent(self)
            for pane in (self.event_list, self.document_pane):
                pane.show()
                self.splitter.setCollapsible(self.splitter.indexOf(pane), False)
            self.splitter.setSizes([int(width * 0.24), int(width * 0.32), int(width * 0.44)])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _view_dock(self, title: str, name: str,
                   area: Qt.DockWidgetArea = Qt.DockWidgetArea.BottomDockWidgetArea) -> QDockWidget:
        """A hidden dock, its pane set by the caller."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.toggleViewAction().triggered.connect(self._build_later)  # shown before the first paint: its pane now
        self.addDockWidget(area, dock)
        dock.hide()
        return dock

    def _on_go_to(self, pane: QWidget) -> None:
        if self.narrow and pane in (self.event_list, self.document_pane):
            self.side_tabs.setCurrentWidget(pane)
        pane.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_detail_followed(self, value: object) -> None:
        """On a narrow window, a document, note or finding followed from anywhere but the
        event list brings the document tab forward (running down the list keeps the list)."""
        focus = QApplication.focusWidget()
        in_list = focus is not None and (focus is self.event_list or self.event_list.isAncestorOf(focus))
        if self.narrow and value and not in_list:
            self.side_tabs.setCurrentWidget(self.document_pane)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._recovery_offered:  # once the window is there to hold the question
            self._recovery_offered = True
            self.recovery.offer()
        self._arrange()
        if self._share_width and not self.narrow:  # first run: the panes share the width the window has
            self._share_width = False
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.24), int(width * 0.32), int(width * 0.44)])

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Once this frame is on screen: the rest of the window, and the audit (seconds on a book), never
            # delay the first paint.
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self._build_later()
        self._on_marks_reviewed()  # every reviewer's marks, read now: only the audit needs them
        self.audit.start()
        # The indexes a selection reads, built while idle (~0.7 s at 100,000 events): not by a first click.
        self.indexes.run(self.corpus.index_steps())

    def show_finding(self, ref: str) -> bool:
        """Show the audit panel at the finding *ref* (a key, or its start: ``IBID_INTENT:23``);
        False if the audit has not found it (or has not run yet)."""
        finding = self.audit.find(ref)
        if finding is None:
            return False
        self.audit_dock.show()
        return self.audit_panel.select_key(finding.key)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.edit_session.unsaved and not self._closing_unsaved:
            event.ignore()  # closed again once the reader has answered
            self._ask_to_save()
            return
        self.autosave.discard()  # saved, or thrown away on purpose
        self.marks.commit_pending()  # a note typed but not yet saved
        settings = self.settings
        settings.geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        if not self.narrow:  # the three columns' widths, not the tabbed column's
            settings.splitter = self.splitter.saveState()
        settings.set_last_selection(self.corpus.manifest.id, self.state.selection.to_ids())
        if self.passage_pane.note_share is not None:  # the reader dragged the open note's split
            settings.note_share = self.passage_pane.note_share
        settings.sync()
        self.search_panel.close_index()
        super().closeEvent(event)
        self.closed.emit()

    # -- handlers ---------------------------------------------------------------------
    def _on_history_changed(self, can_back: bool, can_forward: bool) -> None:
        self.back_action.setEnabled(can_back)
        self.forward_action.setEnabled(can_forward)

    def _on_zoom_changed(self, percent: int) -> None:
        self.settings.zoom = percent
        self._arrange()
        self.statusBar().showMessage(f"Text size {percent}%", 2000)

    def _on_zoom_requested(self, step: int) -> None:
        (self.zoom.zoom_in if step > 0 else self.zoom.zoom_out)()

    def _on_marks_maybe_twice(self) -> None:
        """The open note's marks are shown once: in the audit panel when its finding is about that note."""
        state = self.state
        finding = self.audit.find(state.finding) if state.finding and self.audit_dock.isVisible() else None
        # a disagreement's detail shows each reviewer's mark in a table instead of the marks' rows
        shown = finding is not None and finding.code != DISAGREE and state.footnote in finding.footnotes
        self.passage_pane.set_note_marks_shown_elsewhere(shown)

    def _on_audit_toggled(self, shown: bool) -> None:
        if shown:
            self.audit_panel.setFocus()

    def _on_search_requested(self) -> None:
        if not self.search_dock.isVisible():
            self.search_dock.show()
            self.resizeDocks([self.search_dock], [min(380, self.width() // 4)], Qt.Orientation.Horizontal)

    def _on_view_toggled(self, dock: QDockWidget, shown: bool) -> None:
        if shown:
            dock.widget().setFocus()

    def _on_marks_reviewed(self, _key: str = "") -> None:
        """Where the reviewers' marks disagree is an audit finding: the audit hears of every change."""
        self.audit.set_review(self.marks.review_entries())

    def _on_notes_ready(self) -> None:
        if self.audit.notes is not None:  # marks saved by an earlier version under shared keys
            self.marks.adopt_keys(self.audit.key_moves)

    # -- saving ------------------------------------------------------------------------
    def _on_unsaved_changed(self, unsaved: bool) -> None:
        self.setWindowModified(unsaved)
        self.save_action.setEnabled(unsaved)
        reason = self.edit_session.read_only_reason() if unsaved else None
        self.save_action.setText("&Save a Copy…" if reason else "&Save")
        self.save_action.setToolTip(f"This corpus cannot be saved where it is ({reason}): save the edits in a "
                                    "copy in your data folder, and edit the copy from then on" if reason
                                    else "Save the edits to the corpus's files (Ctrl+S)")

    def save(self) -> bool:
        """Save the record edits (File > Save); False, with the reason in the message bar, if they were not."""
        try:
            copy = self.edit_session.save()
        except CorpusError as exc:
            self.message_bar.show_message("The edits were not saved. " + "; ".join(
                f"{p.file}: {p.message}" for p in exc.problems))
            return False
        corpus = self.state.corpus
        key = saved_key(corpus)  # now, from the files this save wrote (a later save has its own)
        if key is not None:  # the next start opens the saved corpus from its compiled copy
            self._submit(lambda: self._store_saved(corpus, key))
        self.search_panel.corpus_saved(moved=copy is not None)
        if copy is not None:
            self.settings.add_recent(copy)
            self.message_bar.show_message(f"This corpus could not be saved where it was, so it was copied with "
                                          f"your edits to {copy}; you are now editing that copy.")
        self.statusBar().showMessage(f"Saved to {corpus.path}", 4000)
        return True

    @staticmethod
    def _store_saved(corpus: Corpus, key: str) -> None:
        store_saved(corpus, key)  # a cache that cannot be written is not the reader's problem: the YAML is read

    def _on_save(self) -> None:
        self.save()

    def _ask_to_save(self) -> None:
        """Save / Discard / Cancel, asked without a nested event loop (the box is answered later)."""
        if self.close_prompt is not None:
            self.close_prompt.raise_()
            return
        buttons = QMessageBox.StandardButton
        box = self.close_prompt = QMessageBox(
            QMessageBox.Icon.Warning, "Unsaved Edits", "Save the edits to this corpus before closing?",
            buttons.Save | buttons.Discard | buttons.Cancel, self)
        box.setInformativeText("Edits not saved are lost when the window closes.")
        box.setDefaultButton(buttons.Save)
        box.finished.connect(self._on_close_answered)
        box.open()

    def _on_close_answered(self, _result: int) -> None:
        box, self.close_prompt = self.close_prompt, None
        if box is None:
            return
        choice = box.standardButton(box.clickedButton())
        box.deleteLater()
        if choice == QMessageBox.StandardButton.Save and self.save():
            self.close()
        elif choice == QMessageBox.StandardButton.Discard:
            self.edit_session.discard_moves()  # marks moved by the discarded edits go back with them
            self._closing_unsaved = True
            self.close()

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.audit.set_corpus(corpus)
        if self.indexes.running:  # an edit keeps the indexes built; the others are still to build
            self.indexes.run(corpus.index_steps())

    def _on_audit_finished(self) -> None:
        count = len(self.audit.findings or ())
        self.audit_action.setText(f"&Audit ({count})")

    def open_path(self, path: Path) -> None:
        """Open *path*: a corpus folder as it is; an essay file imported into a folder the reader chooses."""
        if path.is_dir():
            self.open_corpus_requested.emit(path)
            return
        folder = ask_for_essay_folder(self, path)
        if folder is not None:
            self.open_essay_requested.emit(path, folder)

    def _on_open(self) -> None:
        path = ask_for_file(self, self.corpus.path.parent)
        if path is not None:
            self.open_path(path)

    def _on_open_folder(self) -> None:
        folder = ask_for_folder(self, self.corpus.path.parent)
        if folder is not None:
            self.open_corpus_requested.emit(folder)

    def _on_recent_menu_shown(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent if p != self.corpus.path.absolute()]
        for number, path in enumerate(recent, 1):
            shown = str(path).replace("&", "&&")  # a folder's '&' is not a mnemonic
            action = self.recent_menu.addAction(f"&{number} {shown}" if number < 10 else shown)
            action.triggered.connect(lambda _=False, path=path: self.open_corpus_requested.emit(path))
        if not recent:
            self.recent_menu.addAction("No recent corpora").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear Menu").triggered.connect(self.settings.clear_recent)

    def _on_shortcuts(self) -> None:
        from explorer.ui.help_dialogs import ShortcutsDialog

        ShortcutsDialog(self).open()

    def _on_about(self) -> None:
        store = self.marks.store
        if store is None:
            marks = self.marks.why_read_only or "off"
        else:
            marks = f"{store.path}{' (read-only)' if store.read_only else ''}"
        from explorer.ui.help_dialogs import AboutDialog, about_text

        AboutDialog(about_text(self.corpus, marks, self.settings.file), self).open()
