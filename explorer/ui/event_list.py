"""The event list: the corpus's events in date order, with a filter and a person filter.

:class:`EventListModel` is a thin adapter over ``corpus.events``;
:class:`EventFilterProxy` narrows it by words (matched against a lowercase
haystack computed once per row) and by participant, deciding every row in one
Python pass so that ``filterAcceptsRow`` is a list lookup even at 100,000 rows.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Corpus, Event
from explorer.ui.rich_text import mix, tooltip
from explorer.ui.state import ExplorerState

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_ROLE = Qt.ItemDataRole.UserRole + 2

#: Typing pauses this long (ms) before a large list is filtered.
FILTER_DELAY_MS = 150
LARGE_LIST = 5000

_Index = QModelIndex | QPersistentModelIndex


class EventListModel(QAbstractListModel):
    """One row per event, in the corpus's date order."""

    def __init__(self, corpus: Corpus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._events: tuple[Event, ...] = corpus.events
        self._rows = {e.id: row for row, e in enumerate(self._events)}
        self._dates: list[str | None] = [None] * len(self._events)
        self._haystacks: list[str] | None = None

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
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(f"{self.date_of(index.row())}: {event.title}\n\n{event.summary}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.date_of(index.row())}, {event.title}"
        return None

    def date_of(self, row: int) -> str:
        date = self._dates[row]
        if date is None:  # formatted on first view: 100,000 rows open instantly
            date = self._dates[row] = self._events[row].display_date()
        return date

    def event_at(self, row: int) -> Event:
        return self._events[row]

    def row_of(self, event_id: str) -> int | None:
        return self._rows.get(event_id)

    def haystacks(self) -> list[str]:
        """Lowercase text each row is filtered on: date, title, summary, participants."""
        if self._haystacks is None:
            names = {
                p.id: " ".join((p.name, *p.spellings)) for p in self._corpus.people
            }
            self._haystacks = [
                " ".join(
                    (self.date_of(row), e.title, e.summary, *(names.get(p, p) for p in e.participants))
                ).lower()
                for row, e in enumerate(self._events)
            ]
        return self._haystacks


class EventFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose haystack holds every typed word and whose event has the person."""

    def __init__(self, source: EventListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self._words: tuple[str, ...] = ()
        self._person: str | None = None
        self._accepted: list[bool] | None = None

    def set_filter(self, text: str, person: str | None) -> None:
        words = tuple(text.lower().split())
        if (words, person) == (self._words, self._person):
            return
        self._words, self._person = words, person
        if not words and not person:
            accepted = None
        else:
            haystacks = self._source.haystacks() if words else None
            events = self._source._events
            accepted = [
                (person is None or person in events[row].participants)
                and (haystacks is None or all(w in haystacks[row] for w in words))
                for row in range(len(events))
            ]
        self.beginFilterChange()
        self._accepted = accepted
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        return self._accepted is None or self._accepted[source_row]


class EventDelegate(QStyledItemDelegate):
    """Two lines per event: the date, small and muted, over the title."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
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
        date_font, title_font = self._fonts(opt)
        rect = opt.rect.adjusted(10, 6, -8, -6)
        date_height = QFontMetrics(date_font).height()
        painter.save()
        painter.setFont(date_font)
        painter.setPen(mix(text, opt.palette.color(group, back_role), 0.68))
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), date_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(index.data(DATE_ROLE)))
        painter.setFont(title_font)
        painter.setPen(text)
        metrics = QFontMetrics(title_font)
        title = metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + date_height + 1, rect.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.restore()


class EventListPane(QWidget):
    """Filter box, person filter, and the list; follows and sets the state's event."""

    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self._filtering = False
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
        self.person_combo.addItem("Everyone", None)
        counts = {p: len(ids) for p, ids in corpus.events_by_person.items()}
        for person in sorted(corpus.people, key=lambda p: p.name.lower()):
            if person.id in counts:
                self.person_combo.addItem(f"{person.name} ({counts[person.id]})", person.id)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.view = QListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(EventDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAccessibleName("Events")
        self.view.setFrameShape(QListView.Shape.NoFrame)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS if self.model.rowCount() > LARGE_LIST else 0)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(QLabel("With:", self))
        filters.addWidget(self.person_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self.view.setFocus)
        self._filter_timer.timeout.connect(self._on_filter_changed)
        self.person_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        state.event_selected.connect(self._on_event_selected)
        self._update_count()

    # -- for the window and the tests ----------------------------------------------
    def current_event(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def visible_events(self) -> list[str]:
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]

    def set_person(self, person_id: str | None) -> None:
        self.person_combo.setCurrentIndex(max(self.person_combo.findData(person_id), 0))

    def index_of(self, event_id: str) -> QModelIndex:
        row = self.model.row_of(event_id)
        return QModelIndex() if row is None else self.proxy.mapFromSource(self.model.index(row, 0))

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # -- handlers --------------------------------------------------------------------
    def _on_filter_changed(self) -> None:
        self._filter_timer.stop()
        # While rows go, the selection model moves its current row; that is not the reader's choice.
        self._filtering = True
        try:
            self.proxy.set_filter(self.filter_edit.text(), self.person_combo.currentData())
        finally:
            self._filtering = False
        self._update_count()
        self._show(self._state.event)

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and not self._filtering:
            self._state.select_event(current.data(ID_ROLE))

    def _on_event_selected(self, event_id: str) -> None:
        self._show(event_id)

    def _show(self, event_id: str | None) -> None:
        """Make the state's event the current row, if the filter shows it."""
        index = self.index_of(event_id) if event_id else QModelIndex()
        if index == self.view.currentIndex():
            return
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(index)
        else:
            self.view.selectionModel().clear()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")
