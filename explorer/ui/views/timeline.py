"""The timeline: events on a day axis, documents as marks on a second track.

:class:`TimelineCanvas` paints only what is in view (the core's
:class:`~explorer.core.timeline.Timeline` finds it by binary search), lays
event bars and their labels in lanes, and draws counts per day, month or year
when there are more than the lanes can hold. Clicking an event or a document
selects it in the state; an event selected anywhere else is centred. Keys:
Left/Right pan, +/- zoom, Home/End go to the first/last item, 0 shows
everything, Tab/Shift+Tab move to the next/previous event and Enter chooses
it, Ctrl+Tab leaves. Mouse: the wheel zooms around the cursor, dragging pans.

:class:`TimelinePane` puts the canvas under a row of buttons and a line that
says what is in view (and how many documents have no date to be drawn by).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QFocusEvent,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QStaticText,
    QWheelEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QToolTip, QVBoxLayout, QWidget

from explorer.core.model import Corpus
from explorer.core.timeline import (
    Item,
    Timeline,
    Track,
    Viewport,
    bucket_counts,
    day_label,
    fit,
    nearest,
    pack_by_priority,
    pack_lanes,
    ticks,
    unit_for,
)
from explorer.ui.audit_job import Submit
from explorer.ui.palette import Mark, mark
from explorer.ui.rich_text import mix, muted, tooltip
from explorer.ui.state import ExplorerState

#: Above this many items in view, counts are drawn without trying lanes (per pixel of width).
DENSE_PER_PIXEL = 0.15  # 240 events at 1600 px: a frame that lays out every label still takes < 16 ms
#: The widest a label may be before it is elided.
LABEL_MAX = 240
#: The space (px) between a bar and its label.
LABEL_GAP = 4
#: How many laid-out labels are kept (each a QStaticText); the cache starts again past this.
STATIC_CACHE = 20_000
#: A pan step (Left/Right) and a zoom step (+/-, one wheel notch).
PAN_STEP = 0.1
ZOOM_STEP = 0.8
#: How far the mouse may move between press and release and still be a click.
CLICK_SLOP = 4


KEYS_HELP = ("Events and documents on a time axis. Left and Right pan, plus and minus zoom, Home and End go to "
             "the first and last, 0 shows everything, Tab and Shift+Tab move between events, Enter chooses one, "
             "Ctrl+Tab leaves the timeline.")


#: The input that needs the timeline built.
_INPUT = (QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)


class _Relay(QObject):
    """Carries the built timeline from the worker; parentless and held by the work (see audit_job)."""

    built = Signal(object)


def _diamond(x: float, y: float, size: float) -> QPolygonF:
    return QPolygonF([QPointF(x, y - size), QPointF(x + size, y), QPointF(x, y + size), QPointF(x - size, y)])


def label_extent(x0: float, x1: float, want: float, width: float) -> tuple[float, float]:
    """What an event's bar (*x0*..*x1*) and its whole label (*want* px) take in a lane of a view *width* px
    wide: the label after the bar, or before it when it would run past the view's right edge and fits
    before (see :func:`place_labels`)."""
    if x1 + LABEL_GAP + want <= width or x0 - LABEL_GAP - want < 0:
        return x0, x1 + LABEL_GAP + want
    return x0 - LABEL_GAP - want, x1


def place_labels(bars: list[tuple[float, float]], lanes: list[int | None], wants: list[float], width: float,
                 least: float) -> list[tuple[float, float, bool] | None]:
    """Where each event's label goes: (its left edge, its room, whether it is before the bar), or None.

    A label never lies over a bar, its own or another's. It goes after its bar, with the room up to the
    next bar of its lane (and the view's right edge); when the whole label (*wants*) does not fit there
    but does before the bar (at the right edge, or a neighbour close behind), it goes before, ending
    :data:`LABEL_GAP` before the bar; else on the side with more room, cut, if that is at least *least*
    px; else nowhere (the tooltip and the summary name the event). Each lane is filled left to right, so
    a label before a bar never reaches over the label after the bar before it.
    """
    out: list[tuple[float, float, bool] | None] = [None] * len(bars)
    in_lane: dict[int, list[int]] = {}
    for n, lane in enumerate(lanes):
        if lane is not None:
            in_lane.setdefault(lane, []).append(n)
    for members in in_lane.values():
        members.sort(key=lambda n: bars[n][0])
        taken = float(-LABEL_GAP)  # where the lane is free from: the last bar or label placed (the view's left edge)
        for i, n in enumerate(members):
            x0, x1 = bars[n]
            until = min(bars[members[i + 1]][0], width) if i + 1 < len(members) else width
            after = until - LABEL_GAP - (x1 + LABEL_GAP)
            before = x0 - LABEL_GAP - (taken + LABEL_GAP)
            want = wants[n]
            if after >= want or (before < want and after >= least and after >= before):
                out[n] = (x1 + LABEL_GAP, min(after, want), False)
                taken = x1 + LABEL_GAP + min(after, want)
                continue
            if before >= want or before >= least:
                room = min(before, want)
                out[n] = (x0 - LABEL_GAP - room, room, True)
            taken = max(taken, x1)
    return out


def own_label_place(x0: float, x1: float, want: float, width: float,
                    least: float) -> tuple[float, float, bool] | None:
    """Where the chosen event's label goes (drawn over its neighbours): as :func:`place_labels` says for a
    lane with nothing else in it."""
    return place_labels([(x0, x1)], [0], [want], width, least)[0]


class TimelineCanvas(QWidget):
    """The axis, the events' lanes and the documents' track."""

    #: The first and last day in view (ordinals), after every pan or zoom.
    range_changed = Signal(int, int)
    #: The timeline was built (off the GUI thread) and is drawn.
    ready = Signal()

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self.state = state
        # Built when first shown (the dock is hidden by default), on a worker with *submit* (a second or two
        # at 100,000 events); without *submit*, at once when first needed.
        self._submit = submit
        self.building = False
        self._relay: _Relay | None = None
        self._timeline: Timeline | None = None
        self._view: Viewport | None = None
        self._selection_stale = False  # an event was chosen elsewhere while hidden: followed when shown
        self._cursor_event: str | None = None  # the keyboard's place among the events
        self._choosing = False  # our own click: do not move the view under the mouse
        self._press: QPointF | None = None
        self._press_view: Viewport | None = None
        self._dragged = False
        self._label_width: dict[str, int] = {}
        self._static: dict[tuple[str, int], QStaticText] = {}  # laid-out labels, by (event, width)
        # What the last paint drew, for clicks and tooltips: (rect, kind, id or (first, after)).
        self._hits: list[tuple[QRectF, str, object]] = []
        self._label_rects: dict[str, QRectF] = {}  # where the last paint drew each event's label
        self.dense = False  # whether the last paint drew counts instead of events
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 150)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(KEYS_HELP)
        state.event_selected.connect(self._on_event_selected)
        state.document_selected.connect(self._on_document_selected)
        state.corpus_changed.connect(self._on_corpus_changed)

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: laid on the axis again when next painted (never while the dock is hidden); the view
        and the keyboard's place stay."""
        self.corpus = corpus
        self._timeline = None
        self._label_width.clear()
        if self.cursor_event not in corpus.event_by_id:
            self.cursor_event = None
        self.update()

    @property
    def cursor_event(self) -> str | None:
        """The event the keyboard is on (Enter chooses it); a screen reader hears it as the description."""
        return self._cursor_event

    @cursor_event.setter
    def cursor_event(self, event_id: str | None) -> None:
        if event_id == self._cursor_event:
            return
        self._cursor_event = event_id
        event = self.corpus.event_by_id.get(event_id or "")
        self.setAccessibleDescription(f"{event.display_date()}: {event.title}. {KEYS_HELP}" if event else KEYS_HELP)

    # -- the data, built on first use ---------------------------------------------
    @property
    def built(self) -> bool:
        """Whether the corpus has been laid on the axis yet."""
        return self._timeline is not None

    @property
    def timeline(self) -> Timeline:
        """The corpus on the axis (built now, on this thread, if it is not yet: see :meth:`start_building`)."""
        if self._timeline is None:
            self._timeline = Timeline.of(self.corpus)
            self.building = False
        return self._timeline

    def start_building(self) -> None:
        """Build the timeline off the GUI thread (once); "Building timeline…" is drawn until it is done."""
        if self.built or self.building:
            return
        if self._submit is None:
            self._on_built(Timeline.of(self.corpus))
            return
        self.building = True
        relay = self._relay = _Relay()
        relay.built.connect(self._on_built)
        corpus = self.corpus

        def work() -> None:
            relay.built.emit(Timeline.of(corpus))

        self._submit(work)
        self.update()

    def _on_built(self, timeline: Timeline) -> None:
        if self._timeline is None:
            self._timeline = timeline
        self.building = False
        self._relay = None
        if self.isVisible():
            if self._selection_stale and self.state.event_id:  # chosen while it was built: centred now
                self._follow_event(self.state.event_id)
            self._selection_stale = False
            self.range_changed.emit(*self.visible_days())
        self.update()
        self.ready.emit()

    def built_range(self) -> tuple[int, int] | None:
        """The days in view, or None while the timeline is not built (it is not built for this)."""
        return self.visible_days() if self.built else None

    @property
    def view(self) -> Viewport:
        if self._view is None:
            self._view = fit(*self.timeline.extent())
        return self._view

    # -- the view -----------------------------------------------------------------
    def set_view(self, view: Viewport) -> None:
        if view != self.view:
            self._view = view
            self.update()
            self.range_changed.emit(*self.visible_days())

    def visible_days(self) -> tuple[int, int]:
        """The first and last day (ordinals) in view."""
        return int(self.view.start), int(self.view.end)

    def pan(self, fraction: float) -> None:
        self.set_view(self.view.panned(fraction))

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        anchor = None if anchor_x is None else self.view.day_at(anchor_x, self.width())
        self.set_view(self.view.zoomed(factor, anchor))

    def show_all(self) -> None:
        self.set_view(fit(*self.timeline.extent()))

    def centre_on(self, item: Item) -> None:
        self.set_view(self.view.centred_on(item.start, item.end))

    def event_rect(self, event_id: str) -> QRectF | None:
        """Where the last paint drew *event_id* (None if it was not drawn one by one)."""
        return next((r for r, kind, target in self._hits if kind == "event" and target == event_id), None)

    def label_rect(self, event_id: str) -> QRectF | None:
        """Where the last paint drew *event_id*'s label (None if it drew none)."""
        return self._label_rects.get(event_id)

    @staticmethod
    def _pack_with_labels(bars: list[tuple[float, float]], wants: list[float], width: float,
                          lanes: int) -> list[int] | None:
        """A lane for each bar with its whole label beside it (:func:`label_extent`), or None if they do
        not all fit."""
        extents = [label_extent(x0, x1, want, width) for (x0, x1), want in zip(bars, wants, strict=True)]
        order = sorted(range(len(extents)), key=lambda n: extents[n][0])
        packed = pack_lanes([extents[n] for n in order], lanes)
        if packed is None:
            return None
        out = [0] * len(extents)
        for n, lane in zip(order, packed, strict=True):
            out[n] = lane
        return out

    def document_rect(self, document_id: str) -> QRectF | None:
        return next((r for r, kind, target in self._hits if kind == "document" and target == document_id), None)

    # -- geometry -----------------------------------------------------------------
    def _rows(self) -> tuple[QRectF, QRectF, QRectF]:
        """The axis, the events' track and the documents' track."""
        fm = self.fontMetrics()
        axis = QRectF(0, 0, self.width(), fm.height() + 8)
        docs_h = fm.height() + 14
        docs = QRectF(0, self.height() - docs_h, self.width(), docs_h)
        events = QRectF(0, axis.bottom() + 4, self.width(), max(docs.top() - axis.bottom() - 10, 10))
        return axis, events, docs

    def _lane_height(self) -> int:
        return self.fontMetrics().height() + 6

    # -- painting -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        self._hits = []
        if not self.built:
            painter.setPen(muted(pal))
            painter.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter),
                             "Building timeline…" if self.building else "")
            painter.end()
            return
        axis, events, docs = self._rows()
        self._paint_axis(painter, axis)
        self.dense = self._paint_events(painter, events)
        painter.setPen(QPen(mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.25), 1))
        painter.drawLine(QPointF(0, docs.top() - 3), QPointF(self.width(), docs.top() - 3))
        self._paint_documents(painter, docs)
        if self.hasFocus():
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_axis(self, painter: QPainter, axis: QRectF) -> None:
        pal = self.palette()
        grid = mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.12)
        text = muted(pal)
        _unit, marks = ticks(self.view, self.width(), min_px=self.fontMetrics().horizontalAdvance("Sep 1950") + 12)
        for day, label in marks:
            x = self.view.x_of(day, self.width())
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, axis.bottom()), QPointF(x, self.height()))
            painter.setPen(text)
            painter.drawText(QRectF(x + 3, axis.top(), 200, axis.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)

    def _label(self, item: Item, fm: QFontMetrics) -> int:
        width = self._label_width.get(item.id)
        if width is None:
            width = self._label_width[item.id] = min(fm.horizontalAdvance(item.label), LABEL_MAX)
        return width

    def _static_label(self, item: Item, room: int, fm: QFontMetrics) -> QStaticText:
        """The label laid out once and kept (per width it is elided to): panning redraws it, never re-lays it."""
        key = (item.id, room)
        text = self._static.get(key)
        if text is None:
            if len(self._static) > STATIC_CACHE:
                self._static.clear()
            text = self._static[key] = QStaticText(
                fm.elidedText(item.label, Qt.TextElideMode.ElideRight, room))
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.prepare(font=self.font())
        return text

    def _paint_events(self, painter: QPainter, area: QRectF) -> bool:
        """Draw the events in view one by one in lanes; True if too many, and counts were drawn."""
        self._label_rects = {}
        track, view, width = self.timeline.events, self.view, self.width()
        lane_h = self._lane_height()
        lanes = max(int(area.height() // lane_h), 1)
        candidates = track.visible(view.start, view.end)
        if len(candidates) > width * DENSE_PER_PIXEL * 6:  # too many to even look at one by one
            self._paint_counts(painter, area, track, "bucket")
            return True
        items, start = track.items, view.start
        shown = [items[n] for n in candidates if items[n].end + 1 > start]
        if len(shown) > width * DENSE_PER_PIXEL:
            self._paint_counts(painter, area, track, "bucket")
            return True
        fm = self.fontMetrics()
        scale = width / view.span
        bars = []
        for item in shown:
            x0 = (item.start - start) * scale
            bars.append((x0, max((item.end + 1 - start) * scale, x0 + 6)))
        wants = [float(self._label(item, fm)) for item in shown]
        labelled = self._pack_with_labels(bars, wants, width, lanes)
        placed: list[int | None] = list(labelled) if labelled else pack_by_priority(bars, max(lanes - 1, 1))
        left_out = [item for item, lane in zip(shown, placed, strict=True) if lane is None]
        if left_out:  # long ranges crowded out by the days: say how many, and name them on hover
            row = QRectF(0, area.top() + (lanes - 1) * lane_h, width, lane_h - 3)
            painter.setPen(muted(self.palette()))
            painter.drawText(row.adjusted(6, 0, -6, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             f"+ {len(left_out):,} longer event{'s' * (len(left_out) != 1)} also overlap this view "
                             "(hover to list; zoom out to see them)")
            self._hits.append((row, "more", tuple(i.id for i in left_out)))
        stub = fm.horizontalAdvance("Mmmmm")  # a stub of a label helps no one; the tooltip and the summary name it
        places = place_labels(bars, placed, wants, width, stub)
        pal = self.palette()
        highlight = pal.color(QPalette.ColorRole.Highlight)
        colours = {role: mark(pal, role) for role in ("event", "uncertain", "selected")}
        # Pens and brushes made once a frame, not once an event.
        pens = {False: QPen(highlight, 1.5), True: QPen(highlight, 1.5, Qt.PenStyle.DashLine)}
        brushes = {False: QBrush(colours["event"].background), True: QBrush(colours["uncertain"].background)}
        selected_n = None
        for n, item in enumerate(shown):
            lane = placed[n]
            if lane is None:
                continue
            if item.id == self.state.event_id:
                selected_n = n  # drawn last, so that its label lies over its neighbours'
                continue
            top = area.top() + lane * lane_h
            bar = QRectF(bars[n][0], top + 1, bars[n][1] - bars[n][0], lane_h - 5)
            painter.setPen(pens[item.uncertain])
            painter.setBrush(brushes[item.uncertain])
            painter.drawRect(bar)
            self._hits.append((bar, "event", item.id))
            place = places[n]
            if place is not None:
                left, room, before = place
                # Cut, the room in steps of 16 px, so that zooming re-lays a label only now and then.
                label = self._static_label(item, LABEL_MAX if room >= wants[n] else int(room) // 16 * 16, fm)
                shown_w = label.size().width()
                rect = QRectF(left + room - shown_w if before else left, top, shown_w, lane_h - 3)
                painter.setPen(colours["uncertain" if item.uncertain else "event"].text)
                painter.drawStaticText(QPointF(rect.left(), top + (lane_h - 3 - label.size().height()) / 2), label)
                self._label_rects[item.id] = rect
                self._hits.append((rect, "event", item.id))  # a click on the label chooses its event too
        if selected_n is not None:
            n = selected_n
            lane = placed[n]
            assert lane is not None
            rect = QRectF(bars[n][0], area.top() + lane * lane_h, bars[n][1] - bars[n][0], lane_h - 3)
            self._paint_selected(painter, shown[n], rect, fm, colours)
        if self.cursor_event and self.hasFocus():
            cursor = self.event_rect(self.cursor_event)
            if cursor is not None:
                painter.setPen(QPen(pal.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(cursor.adjusted(-2, -2, 2, 2))
        return False

    def _paint_selected(self, painter: QPainter, item: Item, rect: QRectF, fm: QFontMetrics,
                        colours: dict[str, Mark]) -> None:
        """The chosen event: in the selection's colours, its title always shown (after the bar, or before it
        at the right edge) over whatever lies there."""
        own = colours["selected"]
        text = self.palette().color(QPalette.ColorRole.Text)
        outline = QPen(text, 1.5)
        if item.uncertain:
            outline.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(outline)
        painter.setBrush(own.background)
        bar = QRectF(rect.left(), rect.top() + 1, rect.width(), rect.height() - 2)
        painter.drawRoundedRect(bar, 2, 2)
        self._hits.append((bar, "event", item.id))
        want = self._label(item, fm)
        place = own_label_place(rect.left(), rect.right(), want, self.width(), fm.horizontalAdvance("Mmmmm"))
        if place is None:
            return
        left, room, before = place
        elided = fm.elidedText(item.label, Qt.TextElideMode.ElideRight, int(room) if room < want else LABEL_MAX)
        shown_w = fm.horizontalAdvance(elided)
        label_rect = QRectF(left + room - shown_w if before else left, rect.top(), shown_w, rect.height())
        painter.fillRect(label_rect.adjusted(-2, 1, 2, -1), own.background)  # over the neighbours it covers
        painter.setPen(own.text)
        painter.drawText(label_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
        self._label_rects[item.id] = label_rect
        self._hits.append((label_rect, "event", item.id))

    def _bar(self, item: Item) -> tuple[float, float]:
        x0 = self.view.x_of(item.start, self.width())
        return x0, max(self.view.x_of(item.end + 1, self.width()), x0 + 6)

    def _paint_counts(self, painter: QPainter, area: QRectF, track: Track, kind: str) -> None:
        """Bars of how many items start in each day, month or year in view (clicking one zooms into it)."""
        pal = self.palette()
        unit = unit_for(self.view, self.width(), 10)
        buckets = bucket_counts(track, self.view, unit)
        if not buckets:
            return
        most = max(c for _, _, c in buckets)
        fm = self.fontMetrics()
        fill = mix(pal.color(QPalette.ColorRole.Highlight), pal.color(QPalette.ColorRole.Base), 0.45)
        label_room = fm.height() + 2
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        for first, after, count in buckets:
            x0, x1 = self.view.x_of(first, self.width()), self.view.x_of(after, self.width())
            h = max((area.height() - label_room) * count / most, 2)
            bar = QRectF(x0 + 1, area.bottom() - h, max(x1 - x0 - 2, 1), h)
            painter.fillRect(bar, fill)
            self._hits.append((QRectF(x0, area.top(), x1 - x0, area.height()), kind, (first, after, count)))
            label = f"{count:,}"
            if fm.horizontalAdvance(label) + 4 <= x1 - x0:
                painter.drawText(QRectF(x0, bar.top() - label_room, x1 - x0, label_room),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), label)

    def _paint_documents(self, painter: QPainter, area: QRectF) -> None:
        track, view, width = self.timeline.documents, self.view, self.width()
        pal = self.palette()
        candidates = track.visible(view.start, view.end)
        items, start = track.items, view.start
        shown = [n for n in candidates if items[n].end + 1 > start] if len(candidates) <= width * 4 else None
        if shown is None or len(shown) > width * DENSE_PER_PIXEL / 2:
            self._paint_counts(painter, area, track, "bucket")
            return
        text, highlight, grey = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Highlight), muted(pal)
        mid = area.center().y()
        scale = width / view.span
        pens = {False: QPen(grey, 2), True: QPen(grey, 2, Qt.PenStyle.DashLine)}
        selected = None
        painter.setBrush(grey)
        for n in shown:
            item = items[n]
            x0 = (item.start - start) * scale
            x1 = max((item.end + 1 - start) * scale, x0 + 6)
            self._hits.append((QRectF(x0 - 6, area.top(), max(x1 - x0, 0) + 12, area.height()), "document", item.id))
            if item.id == self.state.document:
                selected = (item, x0, x1)
                continue
            if item.ranged:
                painter.setPen(pens[item.uncertain])
                painter.drawLine(QPointF(x0, mid), QPointF(x1, mid))
            painter.setPen(QPen(grey, 1))
            painter.drawPolygon(_diamond(x0, mid, 5))
        if selected is not None:  # on top, larger, in the selection's colour
            item, x0, x1 = selected
            if item.ranged:
                painter.setPen(QPen(highlight, 2, Qt.PenStyle.DashLine if item.uncertain else Qt.PenStyle.SolidLine))
                painter.drawLine(QPointF(x0, mid), QPointF(x1, mid))
            painter.setPen(QPen(text, 1))
            painter.setBrush(highlight)
            painter.drawPolygon(_diamond(x0, mid, 7))

    # -- choosing -----------------------------------------------------------------
    def _hit(self, pos: QPointF) -> tuple[str, object] | None:
        # The last drawn is on top; among marks, the nearest one wins.
        for rect, kind, target in reversed(self._hits):
            if rect.contains(pos):
                return kind, target
        return None

    def _choose(self, kind: str, target: object) -> None:
        self._choosing = True
        try:
            if kind == "event":
                self.cursor_event = str(target)
                self.state.select_event(str(target))
            elif kind == "document":
                self.state.select_document(str(target))
            elif kind == "bucket" and isinstance(target, tuple):
                first, after, _count = target
                self.set_view(fit(first, after - 1))
        finally:
            self._choosing = False
        self.update()

    def _on_event_selected(self, event_id: str) -> None:
        if not self.isVisible() or not self.built:  # hidden or building: followed when shown or built
            self._selection_stale = True
            return
        self._follow_event(event_id)

    def _follow_event(self, event_id: str) -> None:
        index = self.timeline.events.index.get(event_id)
        if index is not None:
            self.cursor_event = event_id
            if not self._choosing:
                self.centre_on(self.timeline.events.items[index])
        self.update()

    def _on_document_selected(self, _document_id: str) -> None:
        self.update()  # a no-op while hidden

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start_building()
        if self._selection_stale and self.built:
            self._selection_stale = False
            if self.state.event_id:
                self._follow_event(self.state.event_id)

    def step_event(self, forward: bool) -> None:
        """Move the keyboard's place to the next (or previous) event, bringing it into view."""
        track = self.timeline.events
        if not len(track):
            return
        current = track.index.get(self.cursor_event or "")
        if current is None:
            start = nearest(track, self.view.start if forward else self.view.end)
            current = start if start is not None else 0
        else:
            current = max(0, min(len(track) - 1, current + (1 if forward else -1)))
        item = track.items[current]
        self.cursor_event = item.id
        if not (self.view.start <= item.start and item.end + 1 <= self.view.end):
            self.centre_on(item)
        self.update()

    # -- input --------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if not self.built and event.type() in _INPUT:  # nothing to pan, zoom or choose yet; Tab leaves
            if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            return True
        # Tab moves among the events (the widget keeps it), as in a text editor; Ctrl+Tab leaves.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (mods & Qt.KeyboardModifier.ControlModifier):
                self.step_event(event.key() == Qt.Key.Key_Tab and not (mods & Qt.KeyboardModifier.ShiftModifier))
                return True
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        hit = self._hit(QPointF(event.pos()))
        text = ""
        if hit is not None:
            kind, target = hit
            if kind == "event":
                e = self.corpus.event_by_id[str(target)]
                text = f"{e.display_date()} — {e.title}"
            elif kind == "document":
                d = self.corpus.document_by_id[str(target)]
                text = f"{d.date.display() if d.date else ''} — {d.title}"
            elif kind == "more" and isinstance(target, (list, tuple)):
                titles = [self.corpus.event_by_id[i].title for i in target[:15]]
                more = len(target) - len(titles)
                text = "; ".join(titles) + (f"; and {more:,} more" if more > 0 else "")
            elif isinstance(target, tuple):  # a bucket: (first day, day after, how many)
                first, after, count = target
                text = f"{count:,} starting {day_label(first)} – {day_label(after - 1)} (click to zoom in)"
        if text:
            QToolTip.showText(event.globalPos(), tooltip(text), self)
        else:
            QToolTip.hideText()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods & Qt.KeyboardModifier.ControlModifier:
            self.focusNextPrevChild(key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier)
        elif key == Qt.Key.Key_Left:
            self.pan(-PAN_STEP)
        elif key == Qt.Key.Key_Right:
            self.pan(PAN_STEP)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.show_all()
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            track = self.timeline.events
            if len(track):
                item = track.items[0 if key == Qt.Key.Key_Home else -1]
                self.cursor_event = item.id
                self.centre_on(item)
                self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.cursor_event:
            self._choose("event", self.cursor_event)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if delta.y():
            self.zoom(ZOOM_STEP ** (delta.y() / 120), event.position().x())
        elif delta.x():
            self.pan(-delta.x() / 120 * PAN_STEP)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._press_view, self._dragged = event.position(), self.view, False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self._press_view is not None:
            dx = event.position().x() - self._press.x()
            if abs(dx) > CLICK_SLOP or self._dragged:
                self._dragged = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.set_view(self._press_view.panned(-dx / max(self.width(), 1)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragged:
                hit = self._hit(event.position())
                if hit is not None:
                    self._choose(*hit)
            self._press = self._press_view = None
            self.unsetCursor()
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the labels' widths and layouts were for the old font
            self._label_width.clear()
            self._static.clear()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.built:  # a hidden dock is laid out too: that is no reason to build the timeline
            self.range_changed.emit(*self.visible_days())


class TimelinePane(QWidget):
    """The canvas with zoom buttons and a line saying what is in view.

    *submit* runs the timeline's building off the GUI thread when the pane is first shown (the window passes
    its thread pool); None builds it at once, on this thread.
    """

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("What the timeline shows")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # A long summary is cut at the dock's edge rather than widening the window past a laptop's screen.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 0)
        self.buttons: list[QToolButton] = []
        for text, name, slot in (
            ("−", "Zoom the timeline out", lambda: self.canvas.zoom(1 / ZOOM_STEP)),
            ("+", "Zoom the timeline in", lambda: self.canvas.zoom(ZOOM_STEP)),
            ("All", "Show the whole timeline", lambda: self.canvas.show_all()),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons.append(button)
        # Made after its buttons, so that Tab reaches them first.
        self.canvas: TimelineCanvas = TimelineCanvas(corpus, state, self, submit)
        row.addWidget(self.summary, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.canvas, 1)
        self.setFocusProxy(self.canvas)
        self.canvas.range_changed.connect(self._on_range_changed)
        self.canvas.ready.connect(self._on_ready)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.canvas.start_building()  # the canvas was shown first: this only asks whether it is done
        if self.canvas.built:
            self._on_ready()
        else:
            self.summary.setText("Building timeline…")
            for button in self.buttons:
                button.setEnabled(False)

    def _on_ready(self) -> None:
        for button in self.buttons:
            button.setEnabled(True)
        self._on_range_changed(*self.canvas.visible_days())

    def _on_range_changed(self, first: int, last: int) -> None:
        timeline = self.canvas.timeline
        events = timeline.events.count_starting(first, last + 1)
        docs = timeline.documents.count_starting(first, last + 1)
        n = timeline.undated_documents
        undated = f"; {n:,} undated document{'s' * (n != 1)} not on the timeline" if n else ""
        said = (f"{day_label(first)} – {day_label(last)}: {events:,} event{'s' * (events != 1)} and "
                f"{docs:,} document{'s' * (docs != 1)} "
                f"begin in view{undated}")
        self.summary.setText(said)
        self.summary.setToolTip(said)  # whole, when the dock is too narrow for it
