"""The status line: where the reader is, in words."""

from __future__ import annotations

import bisect

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from explorer.core.model import Corpus, Event
from explorer.core.selection import Selection
from explorer.ui.rich_text import tooltip
from explorer.ui.state import ExplorerState


def _number(corpus: Corpus, event: Event) -> int:
    """The event's place in the corpus's date order, counting from 1 (found by halving, not a scan)."""
    return bisect.bisect_left(corpus.events, (event.date.sort_key, event.id),
                              key=lambda e: (e.date.sort_key, e.id)) + 1


def describe(corpus: Corpus, s: Selection) -> str:
    """"Event 3 of 48: 19 Jan 1950, Kim asks again · Telegram from ... · ¶ 10 · note 11"."""
    parts = []
    event = corpus.event_by_id.get(s.event or "")
    if event is not None:
        parts.append(f"Event {_number(corpus, event):,} of {len(corpus.events):,}: {event.display_date()}, "
                     f"{event.title}")
    if s.person in corpus.person_by_id:
        parts.append(corpus.person_by_id[s.person].name)
    elif s.document in corpus.document_by_id:
        parts.append(corpus.document_by_id[s.document].title)
    elif s.source in corpus.source_by_id:
        parts.append(corpus.source_by_id[s.source].title)
    passage = corpus.passage(s.passage or "")
    if passage is not None:
        parts.append(f"¶ {passage.index + 1} of {len(corpus.essay.passages)}")
    if s.footnote:
        parts.append(f"note {s.footnote}")
    return "  ·  ".join(parts) or "Nothing selected"


class StatusLine(QLabel):
    def __init__(self, corpus: Corpus, state: ExplorerState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumWidth(1)
        state.selection_changed.connect(self._on_selection_changed)
        state.corpus_changed.connect(self._on_corpus_changed)
        self._on_selection_changed()

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        text = describe(self._corpus, self._state.selection)
        self.setText(text)
        self.setToolTip(tooltip(text))  # a narrow window cuts the line
