"""The correspondence: people as nodes, documents as arrows from sender to recipient.

:class:`CorrespondenceCanvas` draws the edges the core's
:class:`~explorer.core.correspondence.Correspondence` finds in the
timeline's visible range, on a circle ordered by name (the same every
session), each as wide as the log of its number of documents. Choosing an
edge (a click, or Left/Right then Enter) lists its documents below and
selects the first in the panes; choosing another in the list selects it.
Edges that carry the document selected elsewhere are drawn in the
selection's colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QShowEvent,
)
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from explorer.core.correspondence import Correspondence, Edge, circle_layout, distance_to_segment, edge_width
from explorer.core.model import Corpus
from explorer.core.timeline import day_label
from explorer.ui.audit_job import Submit
from explorer.ui.rich_text import mix, muted
from explorer.ui.state import ExplorerState

#: How far from an edge a click still chooses it, beyond its half width.
HIT_SLOP = 5.0
#: How far apart the two directions between one pair of people are drawn.
PAIR_OFFSET = 4.0
NODE_RADIUS = 5.0
#: The busiest edges drawn as arrows; the rest as thin lines (see paintEvent).
MAX_ARROWS = 300
#: Range changes arrive on every pan step: the edges are counted once they settle.
RANGE_DELAY_MS = 80



def node_label(name: str, fm: QFontMetrics) -> str:
    """A person's name as the graph labels it: where it is long, the start shortened and the last word
    kept whole ("Andrei Yan… Vyshinsky"), the surname that tells one Russian name from another: cut at
    the end, Vyshinsky and Gromyko were both "Andrei …"."""
    room = fm.horizontalAdvance("Mmmmmmmmmmm")
    first, _, last = name.rpartition(" ")
    if fm.horizontalAdvance(name) <= room or not first or fm.horizontalAdvance(f"M… {last}") > room:
        return fm.elidedText(name, Qt.TextElideMode.ElideRight, room)
    return f"{fm.elidedText(first, Qt.TextElideMode.ElideRight, room - fm.horizontalAdvance(' ' + last))} {last}"

class _Relay(QObject):
    """Carries the gathered letters from the worker; parentless and held by the work (see audit_job)."""

    built = Signal(object)


KEYS_HELP = ("People on a circle and arrows from sender to recipient, as wide as the number of documents. "
             "Left and Right move between arrows, Up and Down between people (then Left and Right walk that "
             "person's arrows, Escape all arrows again), Enter lists the documents of an arrow, Tab leaves.")


class CorrespondenceCanvas(QWidget):
    """The circle of people and the arrows between them."""

    #: The chosen edge (sender id, recipient id); ("", "") when none.
    edge_chosen = Signal(str, str)
    #: The people and letters were gathered (off the GUI thread) and are drawn.
    ready = Signal()

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.state = state
        # Built when first shown (the dock is hidden by default): on a worker with *submit* (seconds at
        # 100,000 events), else at once when first needed.
        self._submit = submit
        self.building = False
        self._relay: _Relay | None = None
        #: The range the edges were first counted for by the worker (None: the whole corpus).
        self.built_for: tuple[int, int] | None = None
        self._data: Correspondence | None = None
        self._geometry_cache: tuple[tuple, float, bool] | None = None
        self._positions_cache: tuple[tuple, dict[str, QPointF]] | None = None
        self._points: dict[str, tuple[float, float]] | None = None
        self._edges: list[Edge] | None = None
        self.chosen: tuple[str, str] | None = None
        self.edge_cursor = 0  # the keyboard's place among the edges
        self.person_cursor: str | None = None  # the person whose arrows Left and Right walk (Up and Down)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 200)
        self.setAccessibleName("Correspondence")
        self.setAccessibleDescription(KEYS_HELP)
        state.document_selected.connect(self._on_document_selected)

    def set_corpus(self, corpus: Corpus) -> None:
        """An edit: the people and the arrows are counted again when next needed."""
        self.corpus = corpus
        self._data = self._points = self._edges = None

    @property
    def built(self) -> bool:
        return self._data is not None

    def start_building(self, days: tuple[int, int] | None = None) -> None:
        """Gather the people and letters, and count the edges of *days*, off the GUI thread (once)."""
        if self.built or self.building:
            return
        corpus = self.corpus

        def gather() -> tuple[Correspondence, dict[str, tuple[float, float]], list[Edge], tuple[int, int] | None]:
            data = Correspondence(corpus)
            return data, circle_layout(data.people), data.edges(*days) if days else data.edges(), days

        if self._submit is None:
            self._on_built(gather())
            return
        self.building = True
        relay = self._relay = _Relay()
        relay.built.connect(self._on_built)
        self._submit(lambda: relay.built.emit(gather()))
        self.update()

    def _on_built(self, gathered: tuple) -> None:
        data, points, edges, days = gathered
        self._data, self._points, self.built_for = data, points, days
        self.building = False
        self._relay = None
        self.set_edges(edges)
        self.ready.emit()

    @property
    def data(self) -> Correspondence:
        if self._data is None:
            self._data = Correspondence(self.corpus)
        return self._data

    @property
    def points(self) -> dict[str, tuple[float, float]]:
        if self._points is None:
            self._points = circle_layout(self.data.people)
        return self._points

    @property
    def edges(self) -> list[Edge]:
        if self._edges is None:
            self._edges = self.data.edges()
        return self._edges

    def set_edges(self, edges: list[Edge]) -> None:
        self._edges = edges
        keys = [(e.sender, e.recipient) for e in edges]
        if self.chosen is not None and self.chosen not in keys:
            self.chosen = None
            self.edge_chosen.emit("", "")
        self.edge_cursor = min(self.edge_cursor, max(len(edges) - 1, 0))
        if self.person_cursor is not None and not self._edges_of(self.person_cursor):
            self.person_cursor = None
        self._cursor_moved()

    def edge(self, sender: str, recipient: str) -> Edge | None:
        return next((e for e in self.edges if (e.sender, e.recipient) == (sender, recipient)), None)

    def choose(self, sender: str, recipient: str) -> None:
        self.chosen = (sender, recipient)
        keys = [(e.sender, e.recipient) for e in self.edges]
        if self.chosen in keys:
            self.edge_cursor = keys.index(self.chosen)
        self._cursor_moved()
        self.edge_chosen.emit(sender, recipient)

    # -- geometry -----------------------------------------------------------------
    def _geometry(self) -> tuple[float, bool]:
        """The circle's radius and whether names are drawn; worked out once per size and font, not per node."""
        key = (self.width(), self.height(), len(self.data.people), self.font().key())
        if self._geometry_cache is None or self._geometry_cache[0] != key:
            fm = self.fontMetrics()
            room = fm.horizontalAdvance("Mmmmmmmmmmmm")
            # Names fit round the circle (a few hundred people at most) and beside it.
            labelled = self.width() / 2 - room >= 60 and \
                len(self.data.people) * (fm.height() + 1) < 2 * math.pi * min(self.width(), self.height()) / 2
            radius = max(min(self.width() / 2 - (room if labelled else 10), self.height() / 2 - fm.height() - 6), 20.0)
            self._geometry_cache = (key, radius, labelled)
        return self._geometry_cache[1], self._geometry_cache[2]

    def _radius(self) -> float:
        return self._geometry()[0]

    def _positions(self) -> dict[str, QPointF]:
        """Every node's place, worked out once per size and font (thousands of people at 100,000 documents)."""
        self._geometry()
        key = self._geometry_cache[0] if self._geometry_cache is not None else ()
        if self._positions_cache is None or self._positions_cache[0] != key:
            self._positions_cache = (key, {p: self.node_position(p) for p in self.data.people})
        return self._positions_cache[1]

    def _labelled(self) -> bool:
        return self._geometry()[1]
    def node_position(self, person: str) -> QPointF:
        x, y = self.points[person]
        r = self._radius()
        return QPointF(self.width() / 2 + x * r, self.height() / 2 + y * r)

    def segment(self, edge: Edge, positions: dict[str, QPointF] | None = None) -> tuple[QPointF, QPointF]:
        """Where *edge* is drawn: between its people, shifted to the right of its direction, so
        that the two directions between a pair stay apart, and short of the nodes. *positions*: the
        nodes' places when the caller has worked them out (a paint does, once for all the edges)."""
        if positions is not None:
            a, b = positions[edge.sender], positions[edge.recipient]
        else:
            a, b = self.node_position(edge.sender), self.node_position(edge.recipient)
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        shift = QPointF(-uy * PAIR_OFFSET, ux * PAIR_OFFSET)
        gap = min(NODE_RADIUS + 3, length / 3)
        return a + shift + QPointF(ux * gap, uy * gap), b + shift - QPointF(ux * gap, uy * gap)

    def edge_at(self, pos: QPointF) -> Edge | None:
        best: tuple[float, Edge] | None = None
        for edge in self.edges:
            a, b = self.segment(edge)
            d = distance_to_segment(pos.x(), pos.y(), a.x(), a.y(), b.x(), b.y())
            if d <= edge_width(edge.count) / 2 + HIT_SLOP and (best is None or d < best[0]):
                best = (d, edge)
        return best[1] if best else None

    # -- painting -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base, text, highlight = (pal.color(r) for r in (QPalette.ColorRole.Base, QPalette.ColorRole.Text,
                                                        QPalette.ColorRole.Highlight))
        painter.fillRect(self.rect(), base)
        if not self.built:
            painter.setPen(muted(pal))
            painter.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter),
                             "Gathering the correspondence…" if self.building else "")
            painter.end()
            return
        plain = mix(text, base, 0.45)
        carrying = {i for i, e in enumerate(self.edges) if self.state.document in e.documents}
        # Plain edges first, then the ones that should stand out, on top.
        chosen_edge = self._chosen_edge()
        order = sorted(range(len(self.edges)), key=lambda i: (i in carrying, self.edges[i] == chosen_edge))
        positions = self._positions()
        # Past the busiest MAX_ARROWS, plain edges are thin lines drawn in one call (arrowheads at that
        # density are noise, and one arrow at a time would take a second at 100,000 documents).
        thin = [i for i in order if i >= MAX_ARROWS and i not in carrying and self.edges[i] != chosen_edge]
        if thin:
            painter.setPen(QPen(plain, 1))
            painter.drawLines([QLineF(*self.segment(self.edges[i], positions)) for i in thin])
        for i in order:
            if i >= MAX_ARROWS and i not in carrying and self.edges[i] != chosen_edge:
                continue
            edge = self.edges[i]
            chosen = (edge.sender, edge.recipient) == self.chosen
            colour = highlight if chosen or i in carrying else plain
            width = edge_width(edge.count) + (1.5 if chosen else 0)
            self._arrow(painter, edge, colour, width, positions)
            if i == self.edge_cursor and self.hasFocus():
                a, b = self.segment(edge)
                painter.setPen(QPen(text, 1, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(a, b).normalized().adjusted(-4, -4, 4, 4))
        active = {p for e in self.edges for p in (e.sender, e.recipient)}
        labelled = self._labelled()
        fm = self.fontMetrics()
        grey = muted(pal)
        # The nodes without letters in range, then those with: one pen and brush for each group.
        for on, pen, brush in ((False, QPen(grey, 1), base), (True, QPen(text, 1), highlight)):
            painter.setPen(pen)
            painter.setBrush(brush)
            for person in self.data.people:
                if (person in active) == on:
                    painter.drawEllipse(positions[person], NODE_RADIUS, NODE_RADIUS)
        if self.person_cursor in positions and self.hasFocus():
            painter.setPen(QPen(text, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(positions[self.person_cursor], NODE_RADIUS + 4, NODE_RADIUS + 4)
        for person in self.data.people if labelled else ():
            pos, on = positions[person], person in active
            if labelled:
                x, y = self.points[person]
                name = node_label(self.data.names[person], fm)
                w = fm.horizontalAdvance(name)
                lx = pos.x() + 9 if x >= 0.01 else (pos.x() - 9 - w if x <= -0.01 else pos.x() - w / 2)
                ly = pos.y() + fm.ascent() / 2 + (y * (fm.height() / 2 + 6) if abs(x) < 0.3 else 0)
                painter.setPen(text if on else grey)
                painter.drawText(QPointF(lx, ly), name)
        if self.hasFocus():
            painter.setPen(QPen(highlight, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def _chosen_edge(self) -> Edge | None:
        return self.edge(*self.chosen) if self.chosen else None

    def _arrow(self, painter: QPainter, edge: Edge, colour, width: float,
               positions: dict[str, QPointF] | None = None) -> None:
        a, b = self.segment(edge, positions)
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        head = 6 + width * 1.5
        tip_base = b - QPointF(ux * head, uy * head)
        painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(a, tip_base)
        side = QPointF(-uy * head / 2, ux * head / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([b, tip_base + side, tip_base - side]))

    # -- input --------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.built:
            edge = self.edge_at(event.position())
            if edge is not None:
                self.choose(edge.sender, edge.recipient)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if not self.built:  # nothing to walk yet (Tab still leaves: it never comes here)
            super().keyPressEvent(event)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.edges:
            self.step_edge(1 if key == Qt.Key.Key_Right else -1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.edges:
            self.step_person(1 if key == Qt.Key.Key_Down else -1)
        elif key == Qt.Key.Key_Escape and self.person_cursor is not None:
            self.person_cursor = None
            self._cursor_moved()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.edges:
            edge = self.edges[self.edge_cursor]
            self.choose(edge.sender, edge.recipient)
        else:
            super().keyPressEvent(event)

    def _edges_of(self, person: str) -> list[int]:
        return [i for i, e in enumerate(self.edges) if person in (e.sender, e.recipient)]

    def step_edge(self, step: int) -> None:
        """Move the keyboard's place to the next arrow (of the person chosen with Up and Down, if one is)."""
        ring = self._edges_of(self.person_cursor) if self.person_cursor else list(range(len(self.edges)))
        if not ring:
            return
        at = ring.index(self.edge_cursor) if self.edge_cursor in ring else (-1 if step > 0 else 0)
        self.edge_cursor = ring[(at + step) % len(ring)]
        self._cursor_moved()

    def step_person(self, step: int) -> None:
        """Move to the next person with arrows in view, and to their busiest arrow."""
        active = [p for p in self.data.people if self._edges_of(p)]
        if not active:
            return
        at = active.index(self.person_cursor) if self.person_cursor in active else (-1 if step > 0 else 0)
        self.person_cursor = active[(at + step) % len(active)]
        self.edge_cursor = max(self._edges_of(self.person_cursor), key=lambda i: self.edges[i].count)
        self._cursor_moved()

    def cursor_text(self) -> str:
        """What the keyboard's place is on, in words (a screen reader reads it as the description)."""
        if not self.edges:
            return "No documents in this range"
        names, edge = self.data.names, self.edges[self.edge_cursor]
        who = f"{names[self.person_cursor]}: " if self.person_cursor else ""
        return f"{who}{names[edge.sender]} to {names[edge.recipient]}, {edge.count} document{'s' * (edge.count != 1)}"

    def _cursor_moved(self) -> None:
        self.setAccessibleDescription(f"{self.cursor_text()}. {KEYS_HELP}" if self.built else KEYS_HELP)
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _on_document_selected(self, _document_id: str) -> None:
        self.update()


class CorrespondencePane(QWidget):
    """The canvas, a line saying what is counted, and the chosen edge's documents.

    *submit* gathers the letters off the GUI thread when the pane is first shown (the window passes its
    thread pool); None gathers them at once, on this thread.
    """

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.state = state
        # The splitter first, then the canvas and the list in it: Tab goes from the arrows to their documents.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.canvas = CorrespondenceCanvas(corpus, state, submit=submit)
        self._submit = submit
        self._count_relay: _Relay | None = None
        self.range: tuple[int, int] | None = None
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the correspondence shows")
        self.documents = QListWidget()
        self.documents.setAccessibleName("Documents of the chosen correspondence")
        self.documents.setToolTip("Choose a document to open it in the panes")
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.documents)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 2, 4, 4)
        column.setSpacing(2)
        column.addWidget(self.summary)
        column.addWidget(splitter, 1)
        self.setFocusProxy(self.canvas)
        self._range_source: Callable[[], tuple[int, int] | None] | None = None
        self._counted = False  # whether the edges shown are those of the current range
        self._range_timer = QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(RANGE_DELAY_MS)
        self._range_timer.timeout.connect(self.apply_range)
        self.canvas.edge_chosen.connect(self._on_edge_chosen)
        self.canvas.ready.connect(self._on_ready)
        self.documents.currentItemChanged.connect(self._on_document_chosen)
        self.documents.itemActivated.connect(self._on_document_chosen)
        state.document_selected.connect(self._on_document_selected)
        state.corpus_changed.connect(self._on_corpus_changed)

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: counted again now if shown, else when next shown; the chosen arrow's list follows."""
        self.corpus = corpus
        self.canvas.set_corpus(corpus)
        self._counted = False
        if self.isVisible():
            self.apply_range()
            if self.canvas.chosen is not None:  # still there: its documents as they are now, the same one current
                self._fill_documents(self.canvas.edge(*self.canvas.chosen))
                self._on_document_selected(self.state.document or "")

    def set_range_source(self, source: Callable[[], tuple[int, int] | None]) -> None:
        """Where the range comes from when the pane is first shown before any :meth:`set_range` (None: no
        range yet, as while the timeline is being built: the whole corpus is counted until one comes)."""
        self._range_source = source

    def set_range(self, first: int, last: int) -> None:
        """Count only the documents dated within the days ``first..last`` (once the range settles;
        while the pane is hidden, when it is shown)."""
        self.range = (first, last)
        self._counted = False
        if self.isVisible():
            self._range_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.range is None and self._range_source is not None:
            self.range = self._range_source()
        if not self.canvas.built:
            self.canvas.start_building(self.range)
            if self.canvas.building:
                self.summary.setText("Gathering the correspondence…")
        elif not self._counted:
            self.apply_range()

    def _on_ready(self) -> None:
        if self.range == self.canvas.built_for:  # counted by the worker
            self._range_timer.stop()
            self._counted = True
            self._describe()
        else:  # the range moved while it was gathered
            self.apply_range()

    def apply_range(self) -> None:
        """Count the edges of the current range: on a worker when the pane has one (a year of a 100,000-document
        corpus takes a fifth of a second), the edges shown until then."""
        self._range_timer.stop()
        if not self.canvas.built:
            return  # counted when it is (see _on_ready)
        self._counted = True
        data, days = self.canvas.data, self.range

        def count() -> tuple[tuple[int, int] | None, list[Edge]]:
            return days, data.edges(*days) if days else data.edges()

        if self._submit is None:
            self._on_counted(count())
            return
        relay = self._count_relay = _Relay()
        relay.built.connect(self._on_counted)
        self._submit(lambda: relay.built.emit(count()))

    def _on_counted(self, counted: tuple[tuple[int, int] | None, list[Edge]]) -> None:
        days, edges = counted
        if days != self.range:
            return  # a later range is being counted
        self._count_relay = None
        self.canvas.set_edges(edges)
        self._describe()

    def _describe(self) -> None:
        data, edges = self.canvas.data, self.canvas.edges
        letters = len({d for e in edges for d in e.documents})
        people = len({p for e in edges for p in (e.sender, e.recipient)})
        where = f"{day_label(self.range[0])} – {day_label(self.range[1])}" if self.range else "the whole corpus"
        n = len(data.undated)
        undated = f"; {n} undated document{'s' * (n != 1)} left out" if self.range and n else ""
        self.summary.setText(f"{letters:,} documents between {people:,} people, {where} (the timeline's range)"
                             f"{undated}. Choose an arrow to list its documents.")

    def _on_edge_chosen(self, sender: str, recipient: str) -> None:
        edge = self.canvas.edge(sender, recipient) if sender else None
        self._fill_documents(edge)
        if edge is not None and self.documents.count():
            names = self.canvas.data.names
            self.documents.setAccessibleName(f"Documents from {names[sender]} to {names[recipient]}")
            self.documents.setCurrentRow(0)  # lists them and selects the first in the panes

    def _fill_documents(self, edge: Edge | None) -> None:
        self.documents.blockSignals(True)
        self.documents.clear()
        if edge is not None:
            for document_id in edge.documents:
                d = self.corpus.document_by_id[document_id]
                item = QListWidgetItem(f"{d.date.display() if d.date else 'undated'} — {d.title}")
                item.setData(Qt.ItemDataRole.UserRole, document_id)
                item.setToolTip(d.title)
                self.documents.addItem(item)
        self.documents.blockSignals(False)

    def _on_document_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.state.select_document(str(item.data(Qt.ItemDataRole.UserRole)))

    def _on_document_selected(self, document_id: str) -> None:
        for row in range(self.documents.count()):
            if self.documents.item(row).data(Qt.ItemDataRole.UserRole) == document_id:
                self.documents.blockSignals(True)
                self.documents.setCurrentRow(row)
                self.documents.blockSignals(False)
                return
