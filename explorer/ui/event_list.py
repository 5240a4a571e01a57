"""The event list: the corpus's events in date order, with a filter and a person filter.

:class:`EventListModel` is a thin adapter over ``corpus.events``;
:class:`EventFilterProxy` narrows it by words (matched against a lowercase
haystack computed once per row), by participant and by draft (records drafted
from the essay's notes on import, not yet checked), deciding every row in one
Python pass into the list of rows it shows: no Python call per row from Qt, so
a keystroke stays quick at 100,000 rows.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Corpus, Event
from explorer.ui.idle_work import IdleWork
from explorer.ui.rich_text import mix, tooltip
from explorer.ui.state import ExplorerState
from explorer.ui.zoom import ui_font

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_ROLE = Qt.ItemDataRole.UserRole + 2
DRAFT_ROLE = Qt.ItemDataRole.UserRole + 3

#: The drafts filter's choices: every event, only the drafted ones, only the ones not drafted.
ALL_EVENTS, DRAFTS_ONLY, HIDE_DRAFTS = "all", "only", "hide"
#: The tag drawn on a drafted event's row.
DRAFT_TAG = "draft"

#: Typing pauses this long (ms) before a large list is filtered.
FILTER_DELAY_MS = 150
LARGE_LIST = 5000
#: How many filters' rows are kept, so that deleting what was just typed costs nothing.
RECENT_FILTERS = 32
#: The filter texts are built while the window is idle, from this long (ms) after the list is made
#: (its first paint first), HAYSTACK_STEP events at a step.
PREPARE_DELAY_MS = 300
HAYSTACK_STEP = 128

_Index = QModelIndex | QPersistentModelIndex


class EventListModel(QAbstractListModel):
    """One row per event, in the corpus's date order."""

    def __init__(self, corpus: Corpus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._events: tuple[Event, ...] = corpus.events
        self._ids = [e.id for e in self._events]
        self._rows = {e.id: row for row, e in enumerate(self._events)}
        self._dates: dict[str, str] = {}  # event id -> its date as shown, formatted on first view
        #: The events the last edit changed, added or removed (or whose people it renamed).
        self.changed: set[str] = set()
        self._haystacks: dict[str, str] | None = None  # event id -> its filter text, once a filter needs them
        self._haystack_rows: list[str] | None = None  # the same in row order, for every keystroke to read
        self._unprepared = 0  # the first row whose text may not be built yet
        self._names_now: dict[str, str] | None = None  # the people's names, while texts are being built

    def set_corpus(self, corpus: Corpus) -> None:
        """Follow an edit: the events as *corpus* has them. An edited event's row changes in place, or moves
        (a new date); only an added or removed event resets the rows. Dates and filter texts are kept for
        every event not edited (nor a person in it)."""
        old = self._corpus
        self._corpus = corpus
        stale: set[str] = set()
        if corpus.people is not old.people:  # a renamed person: the filter texts of their events
            for person in {p.id for p in corpus.people if old.person_by_id.get(p.id) is not p} | (
                    old.person_by_id.keys() - corpus.person_by_id.keys()):
                stale.update(old.events_by_person.get(person, ()), corpus.events_by_person.get(person, ()))
        edited: list[str] = []
        if corpus.events is not self._events:
            known = corpus.changed_since(old)
            changed = known.get("events", frozenset()) if known is not None else (
                {e.id for e in corpus.events if old.event_by_id.get(e.id) is not e}
                | (old.event_by_id.keys() - corpus.event_by_id.keys()))
            edited = [event_id for event_id in changed if event_id in corpus.event_by_id]
            stale.update(changed)
        self.changed = stale
        for event_id in stale:
            self._dates.pop(event_id, None)
            if self._haystacks is not None:
                self._haystacks.pop(event_id, None)
        if stale:
            self._haystack_rows, self._unprepared, self._names_now = None, 0, None
        if corpus.events is not self._events:
            self._follow_rows(corpus.events, edited)

    def _follow_rows(self, events: tuple[Event, ...], edited: list[str]) -> None:
        ids = [e.id for e in events]
        if ids == self._ids:  # edited in place
            self._events = events
            for event_id in edited:
                index = self.index(self._rows[event_id], 0)
                self.dataChanged.emit(index, index)
            return
        if len(edited) == 1 and len(ids) == len(self._ids) and edited[0] in self._rows:  # one event moved
            moved = edited[0]
            source, target = self._rows[moved], ids.index(moved)
            if self._ids[:source] + self._ids[source + 1:] == ids[:target] + ids[target + 1:]:
                self.beginMoveRows(QModelIndex(), source, source, QModelIndex(),
                                   target + 1 if target > source else target)
                self._set_rows(events, ids)
                self.endMoveRows()
                index = self.index(target, 0)
                self.dataChanged.emit(index, index)
                return
        self.beginResetModel()
        self._set_rows(events, ids)
        self.endResetModel()

    def _set_rows(self, events: tuple[Event, ...], ids: list[str]) -> None:
        self._events, self._ids = events, ids
        self._haystack_rows, self._unprepared, self._names_now = None, 0, None
        self._rows = {event_id: row for row, event_id in enumerate(ids)}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._events)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return event.title
        if role == DATE_ROLE:
            return self.date_of(index.row())
        if role == ID_ROLE:
            return event.id
        if role == DRAFT_ROLE:
            return event.draft
        if role == Qt.ItemDataRole.ToolTipRole:
            drafted = "\n\nA draft: made from the essay's notes when it was imported; not yet checked." * event.draft
            people = self._corpus.person_by_id
            names = ", ".join(people[p].name if p in people else p for p in event.participants)
            with_names = f"\n\nWith {names}." if names else ""
            return tooltip(f"{self.date_of(index.row())}: {event.title}\n\n{event.summary}{with_names}{drafted}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.date_of(index.row())}, {event.title}{', draft' * event.draft}"
        return None

    def date_of(self, row: int) -> str:
        event = self._events[row]
        date = self._dates.get(event.id)
        if date is None:  # formatted on first view: 100,000 rows open instantly
            # Shared (sys.intern): a few thousand dates among 100,000 events, each otherwise held per event.
            date = self._dates[event.id] = sys.intern(event.display_date())
        return date

    def event_at(self, row: int) -> Event:
        return self._events[row]

    def row_of(self, event_id: str) -> int | None:
        return self._rows.get(event_id)

    def haystacks(self) -> list[str]:
        """Lowercase text each row is filtered on (date, title, summary, participants' names), in row order.
        Built once (ahead of the first keystroke, while the window is idle: :meth:`haystack_steps`), then
        kept: an edit builds again only the edited events' texts."""
        if self._haystack_rows is None:
            for _ in self.haystack_steps():
                pass
        assert self._haystack_rows is not None
        return self._haystack_rows

    def haystack_steps(self) -> Iterator[None]:
        """Build the filter texts not built yet, yielding after every few hundred events (~1 ms), then
        their list in row order. An edit between two steps is followed (each step reads the rows anew)."""
        while True:
            events = self._events
            start = self._unprepared
            if start >= len(events):
                break
            if self._haystacks is None:
                self._haystacks = {}
            kept = self._haystacks
            names = self._names_now = self._names_now or self._names()
            end = min(start + HAYSTACK_STEP, len(events))
            for row in range(start, end):
                if events[row].id not in kept:
                    kept[events[row].id] = self._haystack(row, names)
            self._unprepared = end
            yield
        self._names_now = None
        if self._haystack_rows is None:
            kept = self._haystacks or {}
            self._haystack_rows = [kept[event_id] for event_id in self._ids]

    def _names(self) -> dict[str, str]:
        """Person id -> their name and the essay's spellings of it, each word once (a spelling mostly
        repeats the name, and a word found once is found: the matches are the same, the text shorter)."""
        return {p.id: " ".join(dict.fromkeys(" ".join((p.name, *p.spellings)).split())) for p in self._corpus.people}

    def _haystack(self, row: int, names: dict[str, str]) -> str:
        # A typed word holds no space, so it is found in the text joined by spaces exactly when it is
        # found in one of its parts: a part repeated (two participants of one name) is joined once.
        e = self._events[row]
        parts = (self.date_of(row), e.title, e.summary, *(names.get(p, p) for p in e.participants))
        return " ".join(dict.fromkeys(parts)).lower()


class EventFilterProxy(QAbstractListModel):
    """Keeps the rows whose haystack holds every typed word and whose event has the person.

    The rows shown are a sorted list of the source's rows, computed in one pass when the
    filter changes (then the view resets). A QSortFilterProxyModel would ask a Python
    ``filterAcceptsRow`` once per row: ~1 s a keystroke at 100,000 events.
    """

    def __init__(self, source: EventListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: tuple[str, ...] = ()
        self._person: str | None = None
        self._drafts = ALL_EVENTS
        self._rows: list[int] | None = None  # the source rows shown; None: all of them
        self._recent: dict[tuple[tuple[str, ...], str | None, str], list[int]] = {}  # the last filters' rows
        # The source's changes, followed: an edited row changes in place; unfiltered, a moved row moves
        # (the view keeps its place and selection); otherwise the rows shown are decided again.
        source.dataChanged.connect(self._on_source_data_changed)
        source.rowsAboutToBeMoved.connect(self._on_source_rows_about_to_move)
        source.rowsMoved.connect(self._on_source_rows_moved)
        for before in (source.modelAboutToBeReset, source.rowsAboutToBeInserted, source.rowsAboutToBeRemoved,
                       source.layoutAboutToBeChanged):
            before.connect(self._on_source_about_to_change)
        for after in (source.modelReset, source.rowsInserted, source.rowsRemoved, source.layoutChanged):
            after.connect(self._on_source_changed)

    @property
    def active(self) -> bool:
        """Whether any row is filtered out (or could be): words, a person or drafts chosen."""
        return self._rows is not None

    def _on_source_data_changed(self, first: QModelIndex, last: QModelIndex, *_roles: object) -> None:
        rows = [self.mapFromSource(self._source.index(r, 0)) for r in range(first.row(), last.row() + 1)]
        shown = [index for index in rows if index.isValid()]
        if shown:
            self.dataChanged.emit(shown[0], shown[-1])

    def _on_source_rows_about_to_move(self, _parent: QModelIndex, first: int, last: int, _to: QModelIndex,
                                      row: int) -> None:
        self._recent.clear()
        if self._rows is None:
            self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), row)
        else:
            self.beginResetModel()

    def _on_source_rows_moved(self, *_args: object) -> None:
        if self._rows is None:
            self.endMoveRows()
        else:
            self._rows = self._scan(range(self._source.rowCount()))
            self.endResetModel()

    def _on_source_about_to_change(self, *_args: object) -> None:
        self._recent.clear()
        self.beginResetModel()

    def _on_source_changed(self, *_args: object) -> None:
        if self._rows is not None:
            self._rows = self._scan(range(self._source.rowCount()))
        self.endResetModel()

    def sourceModel(self) -> EventListModel:
        return self._source

    def set_filter(self, text: str, person: str | None, drafts: str = ALL_EVENTS, force: bool = False) -> None:
        """Keep the rows with every word of *text*, with *person* (None: anyone), and drafted or not
        as *drafts* says (:data:`ALL_EVENTS`, :data:`DRAFTS_ONLY`, :data:`HIDE_DRAFTS`); *force*: decide
        every row again though the filter is the same (the events were edited)."""
        words = tuple(text.lower().split())
        if (words, person, drafts) == (self._words, self._person, self._drafts) and not force:
            return
        if force:  # the events changed: no rows decided before hold
            self._recent.clear()
        narrower = not force and (person, drafts) == (self._person, self._drafts) and self._rows is not None and all(
            any(old in new for new in words) for old in self._words)
        among = self._rows if narrower and self._rows is not None else range(self._source.rowCount())
        self._words, self._person, self._drafts = words, person, drafts
        key = (words, person, drafts)
        rows = self._recent.pop(key, None)  # backspacing goes back to rows just computed
        if rows is None and (words or person or drafts != ALL_EVENTS):
            rows = self._scan(among)
        if rows is not None:
            self._recent[key] = rows
            while len(self._recent) > RECENT_FILTERS:
                del self._recent[next(iter(self._recent))]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _scan(self, among: Sequence[int]) -> list[int]:
        """The rows of *among* the filter keeps. A word typed on only narrows the rows shown, so only
        those are scanned again; the common case (words alone) is one plain comprehension."""
        words, person = self._words, self._person
        events = self._source._events
        haystacks = self._source.haystacks() if words else []
        wanted = None if self._drafts == ALL_EVENTS else self._drafts == DRAFTS_ONLY
        if person is None and wanted is None:
            if len(words) == 1:
                word = words[0]
                return [row for row in among if word in haystacks[row]]
            return [row for row in among if all(w in haystacks[row] for w in words)]
        return [
            row for row in among
            if (person is None or person in events[row].participants)
            and (wanted is None or events[row].draft == wanted)
            and (not words or all(w in haystacks[row] for w in words))
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return self._source.rowCount() if self._rows is None else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        source = self.mapToSource(index)
        return self._source.data(source, role) if source.isValid() else None

    def mapToSource(self, index: _Index) -> QModelIndex:
        """The source model's index for a row shown."""
        if not index.isValid() or index.model() is not self or not 0 <= index.row() < self.rowCount():
            return QModelIndex()
        return self._source.index(index.row() if self._rows is None else self._rows[index.row()], 0)

    def mapFromSource(self, source: _Index) -> QModelIndex:
        """The row showing the source's index (invalid if the filter hides it)."""
        if not source.isValid():
            return QModelIndex()
        row = source.row()
        if self._rows is not None:
            found = bisect_left(self._rows, row)
            if found == len(self._rows) or self._rows[found] != row:
                return QModelIndex()
            row = found
        return self.index(row, 0)


class EventDelegate(QStyledItemDelegate):
    """Two lines per event: the date, small and muted, over the title; a drafted event's title is in
    italics and its date line ends in a "draft" tag."""

    def _fonts(self, option: QStyleOptionViewItem, draft: bool = False) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setItalic(draft)
        date = QFont(option.font)
        date.setPointSizeF(max(option.font.pointSizeF() * 0.86, 6.0))
        return date, title

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        date, title = self._fonts(option)
        height = QFontMetrics(date).height() + QFontMetrics(title).height() + 14
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active else (
            QPalette.ColorGroup.Inactive)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        back_role = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        text = opt.palette.color(group, text_role)
        draft = bool(index.data(DRAFT_ROLE))
        date_font, title_font = self._fonts(opt, draft)
        rect = opt.rect.adjusted(10, 6, -8, -6)
        date_height = QFontMetrics(date_font).height()
        muted = mix(text, opt.palette.color(group, back_role), 0.68)
        painter.save()
        painter.setFont(date_font)
        date_rect = QRect(rect.left(), rect.top(), rect.width(), date_height)
        if draft:  # a framed tag at the date line's end: seen at a glance, and not by colour alone
            tag_width = QFontMetrics(date_font).horizontalAdvance(DRAFT_TAG) + 10
            tag = QRect(rect.right() - tag_width, rect.top(), tag_width, date_height)
            painter.setPen(muted)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(tag.adjusted(0, 0, -1, -1), 4, 4)
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, DRAFT_TAG)
            date_rect.setRight(tag.left() - 6)
        painter.setPen(muted)
        date_text = QFontMetrics(date_font).elidedText(str(index.data(DATE_ROLE)), Qt.TextElideMode.ElideRight,
                                                       date_rect.width())
        painter.drawText(date_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, date_text)
        painter.setFont(title_font)
        painter.setPen(text)
        metrics = QFontMetrics(title_font)
        title = metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + date_height + 1, rect.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.restore()


class EventListView(QListView):
    """The list; says when the reader, not Qt, moves its current row.

    Qt moves the current row by itself: to the first row when the list gets the focus
    with none current (a hidden focused widget hands it on; a shortcut focuses it), and
    when rows go under a filter or a reset. Only a press, a click or a key is the reader's.
    """

    chosen = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_reader = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._by_reader = True
        try:
            super().keyPressEvent(event)
        finally:
            self._by_reader = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._by_reader = True
        try:
            super().mousePressEvent(event)
        finally:
            self._by_reader = False

    def currentChanged(self, current: QModelIndex | QPersistentModelIndex,
                       previous: QModelIndex | QPersistentModelIndex) -> None:
        super().currentChanged(current, previous)
        if self._by_reader and current.isValid():
            self.chosen.emit(current)


class EventListPane(QWidget):
    """Filter box, person filter, and the list; follows and sets the state's event."""

    #: "Edit…" on a row (double-click or its context menu): ("events", the event's id).
    edit_requested = Signal(str, str)

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self.model = EventListModel(corpus, self)
        self.proxy = EventFilterProxy(self.model, self)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter events (title, summary, people)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter events")
        self.person_combo = QComboBox(self)
        self.person_combo.setAccessibleName("Only events with")
        self.person_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.person_combo.setMinimumContentsLength(8)
        self._fill_people()
        self.drafts_combo = QComboBox(self)
        self.drafts_combo.setAccessibleName("Drafted events")
        self.drafts_combo.setToolTip("Drafted events were made from the essay's notes when it was imported, "
                                     "and are not yet checked")
        self.drafts_combo.addItem("All events", ALL_EVENTS)
        self.drafts_combo.addItem("Drafts only", DRAFTS_ONLY)
        self.drafts_combo.addItem("Hide drafts", HIDE_DRAFTS)
        self._count_drafts()
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.view = EventListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(EventDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAccessibleName("Events")
        self.view.setFrameShape(QListView.Shape.NoFrame)
        # A long list is laid out in batches after it is filled: its scroll range grows batch by batch, so a
        # row scrolled to before its batch was laid out is scrolled to again as the range grows (until the
        # reader scrolls), or a selection made at start-up would leave the list at its top.
        self._follow_current = False
        bar = self.view.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.actionTriggered.connect(self._on_reader_scrolled)

        # In the list's place when the filters leave no row: say so, and offer the way back.
        self.no_match = QWidget(self)
        self.no_match_label = QLabel(self.no_match)
        self.no_match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.no_match_label.setWordWrap(True)
        self.no_match_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.clear_button = QPushButton("Clear the Filter", self.no_match)
        self.clear_button.setAutoDefault(False)
        empty = QVBoxLayout(self.no_match)
        empty.setContentsMargins(8, 24, 8, 8)
        empty.addWidget(self.no_match_label)
        empty.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addStretch(1)
        self.no_match.hide()

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS if self.model.rowCount() > LARGE_LIST else 0)
        self._idle = IdleWork(self)
        self._idle.run(self.model.haystack_steps(), PREPARE_DELAY_MS)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(QLabel("With:", self))
        filters.addWidget(self.person_combo, 1)
        filters.addWidget(self.drafts_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.no_match, 1)
        self.setFocusProxy(self.view)

        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._on_filter_return)
        self.clear_button.clicked.connect(self.clear_filters)
        self._filter_timer.timeout.connect(self._on_filter_changed)
        self.person_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.drafts_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.view.chosen.connect(self._on_chosen)
        self.view.clicked.connect(self._on_chosen)
        self.view.activated.connect(self._on_chosen)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        state.event_selected.connect(self._on_event_selected)
        state.corpus_changed.connect(self._on_corpus_changed)
        self._update_count()

    def _fill_people(self) -> None:
        """The person filter's choices: everyone in an event, by name, with their number of events."""
        corpus, combo = self._corpus, self.person_combo
        counts = {p: len(ids) for p, ids in corpus.events_by_person.items()}
        items = [("Everyone", None)] + [(f"{p.name} ({counts[p.id]})", p.id)
                                        for p in sorted(corpus.people, key=lambda p: p.name.lower()) if p.id in counts]
        if items == [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]:
            return
        current = combo.currentData()
        blocker = QSignalBlocker(combo)
        combo.clear()
        for text, person in items:
            combo.addItem(text, person)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        del blocker

    def _count_drafts(self, before: Corpus | None = None) -> None:
        """Count the drafted events (after an edit: the old count, changed by the edited ones)."""
        if before is None:
            self._drafts = sum(e.draft for e in self._corpus.events)
        else:
            for event_id in self.model.changed:
                self._drafts += (self._corpus.event_by_id[event_id].draft if event_id in self._corpus.event_by_id
                                 else 0) - (before.event_by_id[event_id].draft if event_id in before.event_by_id else 0)
        drafts = self._drafts
        self.drafts_combo.setItemText(1, f"Drafts only ({drafts})")
        # Nothing to filter in a corpus without drafts (unless the filter is on: the way back stays).
        self.drafts_combo.setVisible(drafts > 0 or self.drafts_combo.currentIndex() > 0)

    # -- for the window and the tests ----------------------------------------------
    def current_event(self) -> str | None:
        """The event of the selected row (a current row Qt set on focus is not selected)."""
        chosen = self.view.selectionModel().selectedIndexes()
        return chosen[0].data(ID_ROLE) if chosen else None

    def visible_events(self) -> list[str]:
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]

    def set_person(self, person_id: str | None) -> None:
        self.person_combo.setCurrentIndex(max(self.person_combo.findData(person_id), 0))

    def set_drafts(self, drafts: str) -> None:
        """:data:`ALL_EVENTS`, :data:`DRAFTS_ONLY` or :data:`HIDE_DRAFTS`."""
        self.drafts_combo.setCurrentIndex(max(self.drafts_combo.findData(drafts), 0))

    def index_of(self, event_id: str) -> QModelIndex:
        row = self.model.row_of(event_id)
        return QModelIndex() if row is None else self.proxy.mapFromSource(self.model.index(row, 0))

    def choose(self, event_id: str) -> bool:
        """Choose the event's row as a reader would; False if the filter hides it."""
        index = self.index_of(event_id)
        if not index.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._on_chosen(index)
        return True

    def set_zoom(self, percent: int) -> None:
        self.setFont(ui_font(percent))

    def clear_filters(self) -> None:
        """Show every event again (words, person and drafts), and go back to the list."""
        self.filter_edit.clear()
        self.set_person(None)
        self.set_drafts(ALL_EVENTS)
        self._on_filter_changed()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # -- handlers --------------------------------------------------------------------
    def _on_filter_changed(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_filter(self.filter_edit.text(), self.person_combo.currentData(),
                              self.drafts_combo.currentData() or ALL_EVENTS)
        self._update_count()
        self._show(self._state.event_id)
        index = self.index_of(self._state.event_id) if self._state.event_id else QModelIndex()
        if index.isValid():
            self._scroll_to(index)
        else:
            self._follow_current = False
            self.view.scrollToTop()  # the first match

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: the rows follow (a redated event moves, an added one appears), the filters are
        decided again, and the state's event stays the current row."""
        old = self._corpus
        self._corpus = corpus
        self.model.set_corpus(corpus)
        if corpus.people is not old.people or corpus.events_by_person is not old.events_by_person:
            self._fill_people()
        if corpus.events is not old.events:
            self._count_drafts(old)
        if not self._idle.running:  # the edited events' texts, ahead of the next keystroke
            self._idle.run(self.model.haystack_steps(), PREPARE_DELAY_MS)
        if self.proxy.active:  # decided again: the edited rows may match or not now
            self.proxy.set_filter(self.filter_edit.text(), self.person_combo.currentData(),
                                  self.drafts_combo.currentData() or ALL_EVENTS, force=True)
        self._update_count()
        self._show(self._state.event_id)

    def _on_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self._state.select_event(index.data(ID_ROLE))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_requested.emit("events", index.data(ID_ROLE))

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu of the row at *index*: "Edit…" (None off the rows)."""
        if not index.isValid():
            return None
        menu = QMenu(self)
        event_id = index.data(ID_ROLE)
        menu.addAction("Edit…").triggered.connect(lambda: self.edit_requested.emit("events", event_id))
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        menu = self.context_menu(index)
        if menu is not None:
            self._on_chosen(index)
            menu.exec(self.view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _on_event_selected(self, event_id: str) -> None:
        self._show(event_id)

    def _show(self, event_id: str | None) -> None:
        """Make the state's event the current row, if the filter shows it."""
        index = self.index_of(event_id) if event_id else QModelIndex()
        if index == self.view.currentIndex() and (not index.isValid() or self.view.selectionModel().isSelected(index)):
            return
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self._scroll_to(index)
        else:
            self.view.selectionModel().clear()

    def _scroll_to(self, index: QModelIndex) -> None:
        self._follow_current = True
        self.view.scrollTo(index)

    def _on_range_changed(self, _least: int, _most: int) -> None:
        current = self.view.currentIndex()
        if self._follow_current and current.isValid():
            self.view.scrollTo(current)

    def _on_reader_scrolled(self, _action: int) -> None:
        self._follow_current = False

    def _on_filter_return(self) -> None:
        (self.clear_button if self.no_match.isVisible() else self.view).setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")
        none = shown == 0 and total > 0
        if none:
            person = self._corpus.person_by_id.get(self.person_combo.currentData() or "")
            among = f" with {person.name}" if person else ""
            kind = {DRAFTS_ONLY: " drafted", HIDE_DRAFTS: " not drafted"}.get(self.drafts_combo.currentData(), "")
            words = self.filter_edit.text().strip()
            self.no_match_label.setText(f"No{kind} events{among} match “{words}”." if words
                                        else f"No{kind} events{among}.")
        self.view.setVisible(not none)
        self.no_match.setVisible(none)
