"""Search in the window: a field in the toolbar and the hits, grouped by kind, in a dock.

The index (:class:`~explorer.core.search.SearchIndex`) is built off the GUI
thread with *submit* on the first search (the dock says "Indexing…" until
then); queries are fast (p95 well under 50 ms) and run on the GUI thread,
debounced behind a single-shot timer so typing never queues a search per key.
Up/Down in the field walk the hits, Enter chooses one: the state selects what
it names and the essay marks the matched words. Snippets are corpus text:
they are escaped before they meet rich text, and the matches are drawn in
the palette's "hit" colours (explorer.ui.palette), readable light or dark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.corpus_cache import default_cache_dir
from explorer.core.model import Corpus
from explorer.ui.audit_job import Submit, in_daemon_thread
from explorer.ui.palette import mark
from explorer.ui.rich_text import esc
from explorer.ui.state import ExplorerState

if TYPE_CHECKING:  # the search module (its patterns and tables) is imported at the first search, not at start-up
    from explorer.core.search import MarkRow, SearchHit, SearchIndex

log = logging.getLogger("explorer")

#: How long typing must pause before the query runs (ms).
DEBOUNCE_MS = 150
#: The most hits one query shows.
LIMIT = 200
_HIT = Qt.ItemDataRole.UserRole + 1
GROUP_NAMES = {"passage": "Passages", "note": "Notes", "event": "Events", "document": "Documents",
               "catalog": "Catalogue records",
               "person": "People", "source": "Sources", "place": "Places", "mark": "Marks"}


def hit_html(hit: SearchHit, highlight: str, text: str | None = None) -> str:
    """The hit as rich text: its title, then its snippet with the matched spans on *highlight*
    (a CSS colour) in *text* (the row's own text colour when None); every piece of corpus text escaped."""
    parts, last = [], 0
    style = f"background-color:{highlight}" + (f"; color:{text}" if text else "")
    for start, end in hit.highlights:
        parts += [esc(hit.snippet[last:start]),
                  f'<span style="{style}">{esc(hit.snippet[start:end])}</span>']
        last = end
    parts.append(esc(hit.snippet[last:]))
    return f"<b>{esc(hit.title)}</b><br>{''.join(parts)}"


def matched_words(hit: SearchHit) -> list[str]:
    """The words of the snippet that matched, each once."""
    return list(dict.fromkeys(hit.snippet[s:e] for s, e in hit.highlights if e > s))


class _Relay(QObject):
    """Carries the index from the worker; parentless and held by the work (see audit_job)."""

    built = Signal(object)
    failed = Signal(str)


#: What Qt passes a delegate for an item.
_Index = QModelIndex | QPersistentModelIndex


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's title and snippet as escaped rich text with the matches highlighted."""

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument | None:
        hit = index.data(_HIT)
        if hit is None:  # a group's row
            return None
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(3)
        match = mark(option.palette, "hit")
        doc.setHtml(hit_html(hit, match.background.name(), match.text.name()))
        doc.setTextWidth(max(self._width(option, index), 120))
        return doc

    @staticmethod
    def _width(option: QStyleOptionViewItem, index: _Index) -> int:
        """The row's width: painting knows it; a size hint is asked without it, so it is the view's
        width less the indent of the hit under its group heading."""
        view = option.widget
        if isinstance(view, QTreeView):
            depth = 1 if index.parent().isValid() else 0
            return view.viewport().width() - view.indentation() * (depth + 1)
        return option.rect.width() if option.rect.width() > 0 else 360

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        doc = self._document(option, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        text = option.palette.color(QPalette.ColorRole.Text)
        if option.state & QStyle.StateFlag.State_Selected:  # the palette's pair, checked to read
            selected = mark(option.palette, "selected")
            painter.fillRect(option.rect, selected.background)
            text = selected.text
        context.palette.setColor(QPalette.ColorRole.Text, text)
        painter.save()
        painter.translate(option.rect.topLeft())
        clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        painter.setClipRect(clip)
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        doc = self._document(option, index)
        if doc is None:
            return super().sizeHint(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchPanel(QWidget):
    """The hits of the query typed in :attr:`field`; choosing one selects it in the state."""

    #: The hits of the last query were shown (their count).
    results_shown = Signal(int)
    #: A hit was chosen: its passage (or "") and the matched words, for the essay to mark.
    match_chosen = Signal(str, list)
    #: The index could not be built (a sentence for the message bar).
    problem = Signal(str)
    #: The panel wants to be seen (a query was typed).
    show_requested = Signal()

    def __init__(self, corpus: Corpus, state: ExplorerState, submit: Submit | None = None,
                 marks: Callable[[], Sequence[MarkRow]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self._submit = submit or in_daemon_thread
        self._marks = marks or (lambda: ())
        self.index: SearchIndex | None = None
        self._indexing = False
        self._closed = False
        self._relay: _Relay | None = None
        # Record edits not yet saved: the index holds them, so its file must not pass for the saved corpus's.
        self._edited = False
        self._pending: set[str] = set()  # ids edited while the index was being built
        self.hits: list[SearchHit] = []
        #: The query whose hits are shown.
        self.shown_query = ""

        self.field = QLineEdit()
        self.field.setObjectName("search")
        self.field.setPlaceholderText("Search (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setToolTip('Words, "phrases", prefix*, -word, kind:document, person:ID, note:20, '
                              "from:1950-05, to:1950-06. Up/Down walk the hits, Enter shows one.")
        self.field.setMaximumWidth(360)
        self.field.installEventFilter(self)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setContentsMargins(6, 4, 6, 4)
        self.model = QStandardItemModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setAccessibleName("Search results")
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # a new width: the rows wrap anew
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_query)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.returnPressed.connect(self._on_return)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_activated)
        state.corpus_changed.connect(self._on_corpus_changed)

    # -- the index ---------------------------------------------------------------------
    def start_indexing(self) -> None:
        """Build (or read) the index off the GUI thread, once."""
        if self.index is not None or self._indexing:
            return
        self._indexing = True
        self.status.setText("Indexing…")
        relay = self._relay = _Relay()
        relay.built.connect(self._on_index_built)
        relay.failed.connect(self._on_index_failed)
        corpus, marks = self._corpus, list(self._marks())
        key = "" if self._edited else None  # "": unsaved edits, built afresh and never taken for the files'

        def work() -> None:
            try:
                from explorer.core.search import SearchIndex

                relay.built.emit(SearchIndex.open(corpus, default_cache_dir(), marks, key=key))
            except Exception as exc:  # any failure is told, never raised on a worker
                log.exception("search index failed")
                relay.failed.emit(str(exc))

        self._submit(work)

    def _on_index_built(self, index: SearchIndex) -> None:
        self._indexing = False
        if self._closed:  # the window closed while it was being built
            index.close()
            return
        self.index = index
        if self._pending or index.corpus is not self._corpus:
            index.update_records(self._corpus, self._pending, key="")
            self._pending.clear()
        self.run_query()

    def _on_index_failed(self, message: str) -> None:
        self._indexing = False
        self.status.setText("Search is not available")
        self.problem.emit(f"Search is not available: the index could not be built ({message}).")

    def update_marks(self) -> None:
        """The marks changed: re-index them (the index may not exist yet; it reads them when built)."""
        if self.index is not None:
            self.index.update_marks(list(self._marks()))

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def update_records(self, changed: set[tuple[str, str]]) -> None:
        """Records (kind, id) were edited: re-index just those (and what shows their names), and run
        the shown query again."""
        self._edited = True
        ids = {record_id for _kind, record_id in changed}
        if self.index is None:
            if self._indexing:
                self._pending |= ids
            return
        self.index.update_records(self._corpus, ids, key="")
        if self.shown_query.strip():
            self.run_query()

    def corpus_saved(self, moved: bool = False) -> None:
        """The edits were saved: the index now stands for the files (keyed by them for the next start);
        *moved*: saved as a copy elsewhere, whose index is built when next searched."""
        self._edited = False
        if self.index is None:
            return
        if moved:
            self.index.close()
            self.index = None
        else:
            self.index.update_records(self._corpus, (), key=None)

    def close_index(self) -> None:
        self._closed = True
        if self.index is not None:
            self.index.close()
            self.index = None

    # -- querying ----------------------------------------------------------------------
    def _on_text_changed(self, text: str) -> None:
        if text.strip():
            self.show_requested.emit()
            self.start_indexing()
        self._timer.start()

    def run_query(self) -> None:
        """Run the field's query now and show its hits grouped by kind."""
        self._timer.stop()
        text = self.field.text()
        self.model.clear()
        self.hits = []
        if not text.strip():
            self.status.setText("")
            self.shown_query = text
            self.match_chosen.emit("", [])
            self.results_shown.emit(0)
            return
        if self.index is None:
            if self._indexing:
                self.status.setText("Indexing…")
            return
        self.hits = self.index.search(text, LIMIT)
        self.shown_query = text
        from explorer.core.search import KINDS

        groups: dict[str, list[SearchHit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.kind, []).append(hit)
        for kind in sorted(groups, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS)):
            found = groups[kind]
            group = QStandardItem(f"{GROUP_NAMES.get(kind, kind.title())} ({len(found)})")
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for hit in found:
                item = QStandardItem(f"{hit.title}\n{hit.snippet}")  # plain text, for accessibility
                item.setData(hit, _HIT)
                group.appendRow(item)
            self.model.appendRow(group)
        self.view.expandAll()
        count = len(self.hits)
        more = "+" if count >= LIMIT else ""
        self.status.setText(f"{count}{more} result{'s' if count != 1 else ''}" if count else "No results")
        self.results_shown.emit(count)

    def groups(self) -> list[tuple[str, int]]:
        """(group label, number of hits) as shown."""
        root = self.model.invisibleRootItem()
        return [(root.child(r).text(), root.child(r).rowCount()) for r in range(root.rowCount())]

    # -- walking and choosing -----------------------------------------------------------
    def _hit_indexes(self) -> list[QModelIndex]:
        out = []
        for r in range(self.model.rowCount()):
            group = self.model.index(r, 0)
            out += [self.model.index(c, 0, group) for c in range(self.model.rowCount(group))]
        return out

    def current_hit(self) -> SearchHit | None:
        hit = self.view.currentIndex().data(_HIT)
        return hit  # a hit's row holds it; a group's, None

    def step(self, by: int) -> None:
        """Move the current hit *by* rows (skipping the group headings), staying in the list."""
        indexes = self._hit_indexes()
        if not indexes:
            return
        current = QPersistentModelIndex(self.view.currentIndex())
        at = next((i for i, x in enumerate(indexes) if QPersistentModelIndex(x) == current), None)
        target = 0 if at is None else max(0, min(len(indexes) - 1, at + by))
        self.view.setCurrentIndex(indexes[target])
        self.view.scrollTo(indexes[target])

    def _on_return(self) -> None:
        if self._timer.isActive() or (self.index is not None and not self.hits and self.field.text().strip()):
            self.run_query()
        if self.current_hit() is None:
            self.step(0)
        self.choose()

    def _on_activated(self, index: QModelIndex) -> None:
        if index.data(_HIT) is not None:  # a hit, not a group
            self.view.setCurrentIndex(index)
            self.choose()

    def choose(self) -> None:
        """Select the current hit in the state and mark its match in the essay."""
        hit = self.current_hit()
        if hit is None:
            return
        state = self._state
        if hit.kind == "passage":
            state.select_passage(hit.id)
        elif hit.kind == "note":
            state.select_footnote(hit.note)
        elif hit.kind == "mark":
            if hit.note is not None:
                state.select_footnote(hit.note)
        elif hit.kind == "catalog":  # a catalogue record is shown with the document it describes
            if hit.document:
                state.select(hit.document)
        else:
            state.select(hit.id)
        self.match_chosen.emit(hit.passage or "", matched_words(hit))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.view.doItemsLayout()
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.field and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                if self._timer.isActive():
                    self.run_query()
                self.step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if watched is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose()
                return True
            if watched is self.field and key == Qt.Key.Key_Escape and self.field.text():
                self.field.clear()
                return True
        return super().eventFilter(watched, event)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
