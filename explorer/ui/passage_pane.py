"""The essay pane: the whole essay as reading text, following the selection.

The document is built with ``QTextCursor.insertText`` (corpus text is never
parsed as markup), recording where each passage's text lands so a passage
offset (a Python string index) maps to a document position (UTF-16 code
units) and back. The selected event's sentence and quote, the selected
document's quotes and the open footnote's marker are drawn as extra
selections, so moving the selection never rebuilds the text.

Once the audit has run, the markers of notes with findings are drawn in the
alert colour, bold and underlined, and their tooltips say what was found.

An essay of more than WINDOW_THRESHOLD passages is not built whole: Qt keeps
the layout of every paragraph it has laid out (at 50,000 passages, 700 MB),
and a jump far into it lays out everything before. The pane then holds a
window of WINDOW_PASSAGES consecutive passages around the place read; a
selection outside it re-centres the window first, and scrolling near either
edge moves it on with the line at the top kept where it is. Every position
the pane maps (``position_of``, ``text_at``, the marks) is a position in the
window's document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QFont,
    QFontInfo,
    QFontMetricsF,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractSlider,
    QApplication,
    QLabel,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.anchors import Span, anchor_in, anchors_of, event_at
from explorer.core.audit import Finding
from explorer.core.essay import EDITORIAL
from explorer.core.model import Corpus
from explorer.core.selection import Selection
from explorer.core.text import shorten
from explorer.ui.audit_job import AuditJob
from explorer.ui.browser import reading_font
from explorer.ui.essay_view import MEASURE, EssayView, index_of_units, utf16_len
from explorer.ui.footnote_panel import FootnotePanel
from explorer.ui.marks_book import MarkBook
from explorer.ui.palette import link_colour, mark
from explorer.ui.rich_text import alert, esc, muted
from explorer.ui.settings import ZOOM_DEFAULT
from explorer.ui.state import ExplorerState
from explorer.ui.zoom import ui_font

READING_SCALE = 1.3
LINE_HEIGHT = 1.6  # ems
#: The most of the essay's title its heading shows (the window's title has it whole).
TITLE_LIMIT = 400
#: Above this many passages the pane holds a window of them, not the whole essay. A book of 1,700
#: paragraphs stays whole (built and laid out in well under a second); the 5,000 of a 10,000-event
#: corpus do not (a jump to its end lays out everything before, a third of a second).
WINDOW_THRESHOLD = 2000
#: The most passages and characters the window holds, the first reached: about 8 screens of text
#: (a selection far away rebuilds it; building and laying out what is before the selection is its cost).
WINDOW_PASSAGES = 100
WINDOW_CHARS = 10_000
#: The window moves on when the reader scrolls within this many viewport heights of its edge.
EDGE_SCREENS = 1.0
#: The least the window holds, in screens of text, when a screen holds more than WINDOW_CHARS / this.
WINDOW_SCREENS = 5
#: The place label ("Passages ... of ...") is brought up to date this long (ms) after a scroll.
PLACE_MS = 120
#: A window opened on a selection holds this many times as much after it as before: readers read on, and
#: what is before the selection is laid out before it can be shown (a third of the cost of a far jump).
WINDOW_AHEAD = 3


def _format_for(palette: QPalette, role: str) -> QTextCharFormat:
    """The essay's format for the highlight *role* (see explorer.ui.palette): its background and its text."""
    colours = mark(palette, role)
    fmt = QTextCharFormat()
    fmt.setBackground(colours.background)
    fmt.setForeground(colours.text)
    return fmt


@dataclass(frozen=True, slots=True)
class _Run:
    """A stretch of a passage's text placed at *position* in the document."""

    position: int
    start: int
    end: int
    units: int


#: The share of the pane's height an open note takes at most until the reader drags the split.
NOTE_SHARE = 0.36
#: The bounds of a share the reader drags (a remembered one too): the note and the essay both stay readable.
NOTE_SHARE_LEAST, NOTE_SHARE_MOST = 0.12, 0.75
#: The least height (px) of an open note.
NOTE_LEAST = 90


class PassagePane(QWidget):
    """The essay, scrolled to and marking the state's event, document and footnote."""

    def __init__(
        self, corpus: Corpus, state: ExplorerState, zoom: int = ZOOM_DEFAULT, parent: QWidget | None = None,
        audit: AuditJob | None = None, marks: MarkBook | None = None, note_share: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self._zoom = zoom
        #: The most of the pane's height an open note takes, as the reader last dragged it (None: not yet).
        self.note_share = note_share
        #: note number -> the audit's findings about it, once the audit has run
        self.flagged: dict[int, tuple[Finding, ...]] = {}
        self._shown = Selection()
        self._runs: dict[str, list[_Run]] = {}
        self._block_passage: dict[int, str] = {}
        self._markers: dict[int, tuple[int, int]] = {}
        # What waits for the first layout, which happens once the pane is shown with its size:
        self._pending: tuple[int, int] | None = None  # a range to reveal
        self._note_unsized = False  # a note opened before then
        self._highlight: list[tuple[int, int]] = []  # document ranges of the highlighted quotes
        self._marked: list[tuple[int, int]] = []  # the highlighted sentences and quotes, joined
        # The range last brought into view, kept in view when the pane shrinks (a dock opens, the
        # note grows) or the text is zoomed, until the reader scrolls away.
        self._focus: tuple[int, int] | None = None
        self._search: list[tuple[int, int]] = []  # document ranges of the chosen search hit's words
        self._search_words: tuple[str, list[str]] | None = None  # the chosen hit: its passage and words
        # The window of passages the document holds, [lo, hi) (the whole essay below WINDOW_THRESHOLD).
        self._order: dict[str, int] = {}  # passage id -> its place in the essay, for a windowed essay
        self._passage_block: dict[str, int] = {}  # passage id -> its block number in the document
        self._lo = self._hi = 0  # chosen once the view is there (_window_for)
        self._heading = 0  # -1 / +1: the reader's last scroll went up / down
        self._to_edge = 0  # -1 / +1: the reader asked for the essay's real start / end (Home, End)
        # Moving the window waits for the scroll that asked for it to end (one event-loop turn).
        self._shift = QTimer(self)
        self._shift.setSingleShot(True)
        self._shift.setInterval(0)
        self._shift.timeout.connect(self._on_shift_due)
        # The place label follows the scrolling a moment later: not one lookup per scroll step.
        self._place_due = QTimer(self)
        self._place_due.setSingleShot(True)
        self._place_due.setInterval(PLACE_MS)
        self._place_due.timeout.connect(self._show_place)

        self.view = EssayView(self)
        self._document: QTextDocument | None = None  # the essay as last built
        self.view.setAccessibleName("Essay")
        self.view.tooltip_for = self._tooltip_for
        self.note = FootnotePanel(corpus, self, audit, marks)
        self.note.hide()
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.note)
        self.splitter.setCollapsible(0, False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setHandleWidth(max(self.splitter.handleWidth(), 6))  # a handle a reader finds to drag
        #: Where the reader is in a windowed essay ("Passages 1,201–1,204 of 50,000"); hidden otherwise.
        self.place = QLabel(self)
        self.place.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.place.setContentsMargins(8, 2, 8, 2)
        self.place.setBackgroundRole(QPalette.ColorRole.Base)  # a line of the page, above the text
        self.place.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.place)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.view)
        self._close_note = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._close_note.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.view.measure_changed.connect(self.note.set_side_margin)
        self.splitter.splitterMoved.connect(self._on_note_dragged)
        self.view.verticalScrollBar().actionTriggered.connect(self._on_reader_scrolled)
        self.view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.view.verticalScrollBar().sliderReleased.connect(self._shift.start)
        self.view.viewport_resized.connect(self._on_viewport_resized)
        self._lo, self._hi = self._window_for(corpus, state.selection)
        self.place.setVisible(self.windowed)
        self._build()
        self.view.anchorClicked.connect(self._on_link)
        self.view.text_clicked.connect(self._on_text_clicked)
        self.note.link_activated.connect(self._on_link)
        self.note.close_requested.connect(self._on_close_note)
        self._close_note.activated.connect(self._on_close_note)
        state.selection_changed.connect(self._on_selection_changed)
        state.corpus_changed.connect(self._on_corpus_changed)
        self._audit = audit
        if audit is not None:
            audit.finished.connect(self._on_audit_finished)
            if audit.findings is not None:
                self._on_audit_finished()

    # -- building ----------------------------------------------------------------------
    def set_zoom(self, percent: int) -> None:
        if percent != self._zoom:
            self._zoom = percent
            self._rebuild()

    @property
    def windowed(self) -> bool:
        """Whether the pane holds a window of the essay's passages rather than all of them."""
        return bool(self._order)

    @property
    def passages_held(self) -> tuple[int, int]:
        """The passages the document holds: [lo, hi) in the essay's order."""
        return self._lo, self._hi

    def _window_for(self, corpus: Corpus, selection: Selection) -> tuple[int, int]:
        """The window to open with: around what *selection* shows, else the essay's start."""
        count = len(corpus.essay.passages)
        if count <= WINDOW_THRESHOLD:
            return 0, count
        self._order = {p.id: i for i, p in enumerate(corpus.essay.passages)}
        target = self._passage_to_show(selection, Selection())
        return self._around(self._order.get(target or "", 0), ahead=WINDOW_AHEAD)

    def _around(self, index: int, heading: int = 0, ahead: float = 1) -> tuple[int, int]:
        """The window around passage *index* (as near as the essay's ends allow): passages taken on either
        side, *ahead* after it for one before, up to WINDOW_PASSAGES of them or WINDOW_CHARS characters;
        with *heading* 1 (-1), the window that starts (ends) at *index*."""
        passages = self._corpus.essay.passages
        index = max(min(index, len(passages) - 1), 0)
        lo, hi = index, index + 1
        chars = len(passages[index].text)
        screen = self.view.viewport().height() / QFontMetricsF(self.view.font()).lineSpacing() * MEASURE
        budget = max(WINDOW_CHARS, WINDOW_SCREENS * screen)  # zoomed out, more text fits a screen
        while hi - lo < WINDOW_PASSAGES and chars < budget and (lo > 0 or hi < len(passages)):
            forward = heading > 0 or (heading == 0 and hi - index <= ahead * (index - lo))
            if hi < len(passages) and (forward or lo == 0):
                chars += len(passages[hi].text)
                hi += 1
            else:
                lo -= 1
                chars += len(passages[lo].text)
        return lo, hi

    def _rebuild(self) -> None:
        top = self.view.cursorForPosition(QPoint(0, 0)).position()
        self._build()
        self._update_marks()
        self.view.scroll_to_top(top)
        if self._focus is not None:  # zooming keeps the passage in view, not just the top line
            self._scroll_to(*self._focus)

    def _build(self) -> None:
        font = reading_font(QApplication.font(), READING_SCALE * self._zoom / 100)
        if font != self.view.font():  # a new zoom (the window's moves keep it: not a font change each)
            self.view.setFont(font)
            self.note.setFont(ui_font(self._zoom))  # its title and marks
            self.note.body.setFont(reading_font(QApplication.font(), 1.1 * self._zoom / 100))
            self.place.setFont(ui_font(self._zoom))
        if self._order:
            colours = self.place.palette()
            colours.setColor(QPalette.ColorRole.WindowText, muted(self.palette()))
            self.place.setPalette(colours)
        doc = QTextDocument(self.view)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        frame = doc.rootFrame().frameFormat()
        line = QFontMetricsF(font).lineSpacing()
        frame.setTopMargin(line * 1.6)
        frame.setBottomMargin(line * 4)
        doc.rootFrame().setFrameFormat(frame)
        self._runs.clear()
        self._block_passage.clear()
        self._passage_block.clear()
        self._markers.clear()

        cursor = QTextCursor(doc)
        if self._lo == 0:  # the essay's start: its title and byline
            self._build_heading(cursor, line)
        self._build_passages(cursor, font, line)
        # The last build's document (None: the view's own first one, which it deletes itself). Not found
        # by asking the view's document for its parent: that first call costs ~20 ms in PySide6.
        old, self._document = self._document, doc
        self.view.setExtraSelections([])  # they hold cursors into the old document
        if self.view.column_width() > 0:  # the width it will have: not laid out at another one first
            doc.setTextWidth(self.view.column_width())
        self.view.setDocument(doc)
        if old is not None:  # nothing else shows it; kept, each zoom step would leak a whole essay
            shiboken6.delete(old)  # now: many steps between two returns to the event loop must not pile up
        self.view.fit_measure()
        if doc.textWidth() != self.view.column_width():
            doc.setTextWidth(self.view.column_width())  # as the view will; until then it lays out unwrapped
        if self._order:
            self._place_due.start()  # the place shown, once the view has scrolled where it goes

    def _build_heading(self, cursor: QTextCursor, line: float) -> None:
        corpus, palette = self._corpus, self.palette()
        heading = QTextBlockFormat()
        heading.setBottomMargin(line * 0.3)
        title_format = QTextCharFormat()
        title_format.setProperty(QTextFormat.Property.FontSizeAdjustment, 2)
        m = corpus.manifest
        cursor.setBlockFormat(heading)
        if not m.title:
            title_format.setFontItalic(True)  # the curators' note says why; the heading only says so
        cursor.insertText(shorten(m.title, TITLE_LIMIT) if m.title else "Untitled essay", title_format)
        byline = ", ".join(str(x) for x in (m.author, m.year) if x)
        if byline:
            by_block = QTextBlockFormat()
            by_block.setBottomMargin(line * 1.2)
            by_format = QTextCharFormat()
            by_format.setForeground(muted(palette))
            cursor.insertBlock(by_block, by_format)
            cursor.insertText(byline)

    def _build_passages(self, cursor: QTextCursor, font: QFont, line: float) -> None:
        """The window's passages, each a block; a passage at the document's start takes its first block."""
        palette = self.palette()
        body = QTextBlockFormat()
        # In ems, not a percentage of the font's own line height, which some faces make tall.
        body.setLineHeight(round(QFontInfo(font).pixelSize() * LINE_HEIGHT),
                           QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        body.setBottomMargin(line * 0.9)
        editorial = QTextBlockFormat(body)
        editorial.setTopMargin(line * 1.2)
        plain = QTextCharFormat()
        aside = QTextCharFormat()
        aside.setFontItalic(True)
        aside.setForeground(muted(palette))
        marker = QTextCharFormat()
        marker.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        marker.setForeground(link_colour(palette))
        marker.setAnchor(True)
        flag = self._flag_format()
        first = self._lo > 0  # no heading: the first passage goes in the document's own first block
        for passage in self._corpus.essay.passages[self._lo:self._hi]:
            is_aside = passage.kind == EDITORIAL
            if first:
                cursor.setBlockFormat(editorial if is_aside else body)
                cursor.setBlockCharFormat(aside if is_aside else plain)
                first = False
            else:
                cursor.insertBlock(editorial if is_aside else body, aside if is_aside else plain)
            number = cursor.block().blockNumber()
            self._block_passage[number] = passage.id
            self._passage_block[passage.id] = number
            runs = self._runs[passage.id] = []
            start = 0
            for note in (*passage.markers, None):
                end = len(passage.text) if note is None else note.offset
                piece = passage.text[start:end]
                runs.append(_Run(cursor.position(), start, end, utf16_len(piece)))
                cursor.insertText(piece, aside if is_aside else plain)
                if note is not None:
                    fmt = QTextCharFormat(marker)
                    if note.number in self.flagged:  # flagged as built: no edit of the text once shown
                        fmt.merge(flag)
                    fmt.setAnchorHref(f"fn:{note.number}")
                    fmt.setAnchorNames([f"fn{note.number}"])
                    begin = cursor.position()
                    cursor.insertText(str(note.number), fmt)
                    self._markers[note.number] = (begin, cursor.position())
                start = end

    def set_note_marks_shown_elsewhere(self, elsewhere: bool) -> None:
        """Hide the open note's marks while the audit panel shows the same ones (a laptop screen has no
        room for both), and give the room back to the essay."""
        section = self.note.verification
        if section is None or section.isHidden() == elsewhere:
            return
        section.setHidden(elsewhere)
        if self.note.isVisible():
            self._size_note()

    def set_findings(self, by_footnote: dict[int, tuple[Finding, ...]]) -> None:
        """Mark the notes that have findings."""
        self.flagged = dict(by_footnote)
        self._flag_markers()

    def _flag_format(self) -> QTextCharFormat:
        """A flagged marker's look: the alert colour, bold, dotted underline."""
        flag = QTextCharFormat()
        flag.setForeground(alert(self.palette()))
        flag.setFontWeight(700)
        flag.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        flag.setUnderlineColor(alert(self.palette()))
        return flag

    def _flag_markers(self) -> None:
        """Draw flagged markers in the alert colour; a format change, so positions stay as built."""
        flag = self._flag_format()
        flagged = [self._markers[n] for n in self.flagged if n in self._markers]
        if not flagged:
            return
        # Qt stops laying a long text out step by step when it is edited before it is done, and leaves the
        # rest unlaid: blank, and past the scroll bar's end; so it is laid out again, in steps. Started
        # first, the edit below lays out nothing at once (after, it laid the whole essay out again, then
        # threw that away: a quarter of a second at 60 times the default essay).
        self.view.relayout()
        cursor = QTextCursor(self.view.document())
        cursor.beginEditBlock()  # one change for all of them, not one per marker
        for start, end in flagged:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(flag)
        cursor.endEditBlock()

    # -- positions -----------------------------------------------------------------------
    def position_of(self, passage_id: str, offset: int) -> int | None:
        """Where character *offset* of a passage is in the document."""
        runs = self._runs.get(passage_id)
        passage = self._corpus.passage(passage_id)
        if not runs or passage is None:
            return None
        for run in runs:
            if offset <= run.end:
                return run.position + utf16_len(passage.text[run.start:max(offset, run.start)])
        return runs[-1].position + runs[-1].units

    def text_at(self, position: int) -> tuple[str, int] | None:
        """The passage and character offset at a document position (None outside passages)."""
        block = self.view.document().findBlock(position)
        passage_id = self._block_passage.get(block.blockNumber())
        passage = self._corpus.passage(passage_id or "")
        if passage is None:
            return None
        runs = self._runs[passage.id]
        i = max(bisect.bisect_right([r.position for r in runs], position) - 1, 0)
        run = runs[i]
        units = min(position - run.position, run.units)
        return passage.id, run.start + index_of_units(passage.text[run.start:run.end], units)

    def _range(self, passage_id: str, span: Span) -> tuple[int, int] | None:
        start = self.position_of(passage_id, span.start)
        end = self.position_of(passage_id, span.end)
        return None if start is None or end is None else (start, end)

    # -- following the state ---------------------------------------------------------------
    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: the essay's text never changes, but what is marked in it may (an event's quotes, a
        document's), and so may the open note's citations."""
        if self._order and corpus.essay is not self._corpus.essay:
            self._order = {p.id: i for i, p in enumerate(corpus.essay.passages)}
        self._corpus = corpus
        self.note.set_corpus(corpus)
        self._update_marks()

    def _on_selection_changed(self) -> None:
        new, old = self._state.selection, self._shown
        self._shown = new
        if self._order and self._take_in(self._passage_to_show(new, old)):
            self._update_marks()  # the window moved: every mark anew
        elif (new.event, new.document, new.footnote) != (old.event, old.document, old.footnote):
            self._update_marks()
        if new.footnote != old.footnote:
            self.note.show_note(new.footnote)
            if new.footnote is not None:
                if self.isVisible():
                    self._size_note()
                else:
                    self._note_unsized = True
        if new.footnote is not None and new.footnote != old.footnote and new.footnote in self._markers:
            self._reveal(*self._with_its_sentence(self._markers[new.footnote]))
        elif (new.event, new.passage) != (old.event, old.passage):
            self._reveal_focus()

    def _passage_to_show(self, new: Selection, old: Selection) -> str | None:
        """The passage a change of selection from *old* to *new* brings into view (see _reveal_focus)."""
        if new.footnote is not None and new.footnote != old.footnote:
            note = self._corpus.footnote(new.footnote)
            return note.passage_id if note is not None else None
        if (new.event, new.passage) == (old.event, old.passage):
            return None
        anchor = anchor_in(self._corpus, new.event, new.passage) if new.event else None
        if anchor is not None and new.passage in (None, anchor.passage):
            return anchor.passage
        return new.passage

    def _take_in(self, passage_id: str | None) -> bool:
        """Re-centre the window on a passage outside it; False if there was nothing to do."""
        index = self._order.get(passage_id or "")
        if index is None or self._lo <= index < self._hi:
            return False
        self._lo, self._hi = self._around(index, ahead=WINDOW_AHEAD)
        self._focus = self._pending = None  # ranges in the old document
        self._build()
        return True

    def _reveal_focus(self) -> None:
        """Bring the event's sentence in the current passage into view, else the passage."""
        selection = self._state.selection
        anchor = anchor_in(self._corpus, selection.event, selection.passage) if selection.event else None
        if anchor is not None and (selection.passage in (None, anchor.passage)):
            found = self._range(anchor.passage, anchor.sentence)
        elif selection.passage:
            start = self.position_of(selection.passage, 0)
            found = None if start is None else (start, start + 1)
        else:
            found = None
        if found:
            self._reveal(*found)

    def _update_marks(self) -> None:
        selection, palette = self._state.selection, self.palette()
        marks: list[QTextEdit.ExtraSelection] = []

        def add(span: tuple[int, int] | None, fmt: QTextCharFormat) -> None:
            if span is None:
                return
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            mark = QTextEdit.ExtraSelection()
            mark.cursor = cursor
            mark.format = fmt
            marks.append(mark)

        document = self._corpus.document_by_id.get(selection.document or "")
        if document is not None:
            underline = QTextCharFormat()
            underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            underline.setUnderlineColor(link_colour(palette))
            for quote in document.quotes:
                passage = self._corpus.passage(quote.passage)
                found = passage.text.find(quote.text) if passage else -1
                if found >= 0:
                    add(self._range(quote.passage, Span(found, found + len(quote.text))), underline)
        sentence = _format_for(palette, "sentence")
        quote_fmt = _format_for(palette, "quote")
        anchors = anchors_of(self._corpus, selection.event or "")
        sentences = self._joined(self._range(a.passage, a.sentence) for a in anchors)
        for span in sentences:
            add(span, sentence)
        self._highlight = [r for r in (self._range(a.passage, a.quote) for a in anchors) if r]
        quotes = self._joined(self._highlight)
        for span in quotes:
            add(span, quote_fmt)
        self._marked = self._joined([*sentences, *quotes])
        if selection.footnote in self._markers:
            note = _format_for(palette, "note")
            add(self._markers[selection.footnote], note)
        search = _format_for(palette, "search")
        self._search = self._search_ranges()
        for span in self._search:
            add(span, search)
        self.view.setExtraSelections(marks)

    def set_search_match(self, passage_id: str, words: list[str]) -> None:
        """Mark every occurrence of *words* (case folded) in the passage; none clears the marks."""
        self._search_words = (passage_id, list(words)) if passage_id else None
        if self._order:
            self._take_in(passage_id)
        self._update_marks()
        if self._search:
            self._reveal(*self._search[0])

    def _search_ranges(self) -> list[tuple[int, int]]:
        """Where the chosen search hit's words are in the document (nowhere once the window has left it)."""
        passage_id, words = self._search_words or ("", [])
        passage = self._corpus.passage(passage_id) if passage_id else None
        found: list[tuple[int, int] | None] = []
        if passage is not None and passage.id in self._runs:
            for word in (w for w in words if w.strip()):
                found += [self._range(passage.id, Span(m.start(), m.end()))
                          for m in re.finditer(re.escape(word), passage.text, re.IGNORECASE)]
        return sorted(r for r in found if r is not None)

    def _joined(self, ranges: Iterable[tuple[int, int] | None]) -> list[tuple[int, int]]:
        """Ranges in order, those with only spaces or a note marker between them made one,
        so consecutive sentences of a paragraph read as one mark."""
        out: list[tuple[int, int]] = []
        for start, end in sorted(r for r in ranges if r):
            if out and self._only_space_between(out[-1][1], start):
                out[-1] = (out[-1][0], max(end, out[-1][1]))
            else:
                out.append((start, end))
        return out

    def _only_space_between(self, start: int, end: int) -> bool:
        if end <= start:
            return True
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        between = cursor.selectedText()
        return "\u2029" not in between and (between.strip() == "" or between.strip().isdigit())

    def _size_note(self) -> None:
        """Give the note the room its text needs, up to its share of the pane: about a third until the
        reader drags the split, then what they chose."""
        total = sum(self.splitter.sizes()) or self.height()
        wanted = self.note.wanted_height(max(self.view.column_width(), 100))
        wanted = min(max(wanted, NOTE_LEAST), int(total * (self.note_share or NOTE_SHARE)))
        self.splitter.setSizes([max(total - wanted, 1), wanted])

    def _on_note_dragged(self, _position: int, _index: int) -> None:
        """The reader moved the split: the note's share of the pane, kept for the next note and run."""
        essay, note = self.splitter.sizes()
        if note > 0 and essay + note > 0:
            self.note_share = min(max(note / (essay + note), NOTE_SHARE_LEAST), NOTE_SHARE_MOST)

    # -- scrolling ---------------------------------------------------------------------
    def _with_its_sentence(self, marker: tuple[int, int]) -> tuple[int, int]:
        """The marker and, before it in its paragraph, the highlighted text it is about, if any."""
        block = self.view.document().findBlock(marker[0])
        before = [r for r in self._marked if r[0] <= marker[0] and self.view.document().findBlock(r[0]) == block]
        return (max(r[0] for r in before), marker[1]) if before else marker

    def _reveal(self, start: int, end: int) -> None:
        """Scroll so the range is in view, centred, unless it already is."""
        self._focus = (start, end)
        if not self.view.isVisible():
            self._pending = (start, end)
            return
        self._pending = None
        self._scroll_to(start, end)

    def _scroll_to(self, start: int, end: int) -> None:
        """Centre the range if it is not all in view; a range taller than the view shows its end
        (a note's marker) at the bottom, with as much of the text before it as fits."""
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(start)
        top = self.view.cursorRect(cursor)
        cursor.setPosition(end)
        bottom = self.view.cursorRect(cursor)
        height = self.view.viewport().height()
        if top.top() >= 0 and bottom.bottom() <= height:
            return
        bar = self.view.verticalScrollBar()
        span = bottom.bottom() - top.top()
        if span < height:
            bar.setValue(bar.value() + top.top() - (height - span) // 2)
        else:
            bar.setValue(bar.value() + bottom.bottom() - height + 8)

    def _on_reader_scrolled(self, action: int) -> None:
        """The reader scrolled (wheel, keys, the scroll bar): the window may have to move on."""
        self._focus = None
        if not self._order:
            return
        bar = self.view.verticalScrollBar()
        if action == QAbstractSlider.SliderAction.SliderToMinimum.value:  # Home: the essay's start
            self._to_edge = -1 if self._lo > 0 else 0
        elif action == QAbstractSlider.SliderAction.SliderToMaximum.value:  # End: its end
            self._to_edge = 1 if self._hi < len(self._order) else 0
        else:  # (the bar's position is already the new one, its value still the old)
            self._heading = (bar.sliderPosition() > bar.value()) - (bar.sliderPosition() < bar.value())
        self._shift.start()  # once the scroll bar has done with the action

    # -- the window of a long essay -------------------------------------------------------------
    def _on_scrolled(self, _value: int) -> None:
        if self._order and not self._place_due.isActive():
            self._place_due.start()

    def _on_shift_due(self) -> None:
        """After the reader scrolled: move the window on if they are near its edge, heading for it, and
        there is more essay beyond; to the essay's own start or end if they asked for it."""
        self._shift.setInterval(0)
        bar = self.view.verticalScrollBar()
        if not self.view.isVisible() or bar.isSliderDown():
            return  # the reader is dragging the scroll bar: once they let go (sliderReleased)
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._shift.start(100)  # selecting text: not under the reader's mouse; looked at again soon
            return
        edge, self._to_edge = self._to_edge, 0
        heading, self._heading = self._heading, 0
        if edge:
            self._lo, self._hi = self._around(0 if edge < 0 else len(self._order) - 1)
            self._focus = self._pending = None
            self._build()
            self._update_marks()
            bar.setValue(bar.minimum() if edge < 0 else bar.maximum())
            return
        room = self.view.viewport().height() * EDGE_SCREENS
        near_start = heading < 0 and bar.value() < room and self._lo > 0
        near_end = heading > 0 and bar.value() > bar.maximum() - room and self._hi < len(self._order)
        if near_start or near_end:
            view, first = self.view, self._corpus.essay.passages[self._lo].id
            doc = view.document()  # laid out to its end first: Qt's hit test misses in a part still to lay out
            doc.documentLayout().blockBoundingRect(doc.lastBlock())
            top = self._passage_at(view.top_position()) or first
            height = view.viewport().height()
            middle = self._passage_at(view.cursorForPosition(QPoint(2, height // 2)).position()) or top
            bottom = self._passage_at(view.cursorForPosition(QPoint(2, height - 2)).position()) or middle
            lo, hi = self._order[top], self._order[bottom]
            window = self._around(self._order[middle])  # the place read in the middle of the window
            if window == (self._lo, self._hi) or not window[0] <= lo <= hi < window[1]:
                # A window hardly taller than the view: the passages shown and at least one more.
                if heading > 0:
                    window = (lo, max(self._around(lo, 1)[1], min(hi + 2, len(self._order))))
                else:
                    window = (min(self._around(hi, -1)[0], max(lo - 1, 0)), hi + 1)
            if window != (self._lo, self._hi) and window[0] <= lo <= hi < window[1]:
                self._move_window(window, top)

    def _passage_at(self, position: int) -> str | None:
        return self._block_passage.get(self.view.document().findBlock(position).blockNumber())

    def _move_window(self, window: tuple[int, int], top: str) -> None:
        """Hold *window*'s passages, the line at the top (in passage *top*) kept where it is on screen,
        and the reader's selected text and the range in focus with it."""
        view, bar = self.view, self.view.verticalScrollBar()
        old = view.document()
        block = old.findBlockByNumber(self._passage_block[top])
        below = bar.value() - old.documentLayout().blockBoundingRect(block).top()  # px from its top
        start = block.position()
        cursor = view.textCursor()
        kept = [(p, self._passage_at(p)) for p in (cursor.anchor(), cursor.position())] if cursor.hasSelection() \
            else []
        focus = [(p, self._passage_at(p)) for p in self._focus] if self._focus else []
        self._lo, self._hi = window
        self._build()
        shift = self._runs[top][0].position - start  # the same for every passage in both windows

        def moved(places: list[tuple[int, str | None]]) -> list[int] | None:
            return [p + shift for p, _ in places] if all(q in self._runs for _, q in places) else None

        self._focus = None
        if focus and (now := moved(focus)):
            self._focus = (now[0], now[1])
        self._update_marks()
        if kept and (now := moved(kept)):
            cursor = QTextCursor(view.document())
            cursor.setPosition(now[0])
            cursor.setPosition(now[1], QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
        doc = view.document()
        block = doc.findBlockByNumber(self._passage_block[top])
        bar.setValue(round(doc.documentLayout().blockBoundingRect(block).top() + below))

    def _show_place(self) -> None:
        """Say which passages are in view, of how many (a windowed essay's scroll bar spans only the window)."""
        if not self._order:
            return
        view, doc = self.view, self.view.document()
        if view.isVisible():  # laid out to its end: Qt's hit test misses in a part still to lay out
            doc.documentLayout().blockBoundingRect(doc.lastBlock())
        first = self._passage_at(view.top_position()) if view.isVisible() else None
        bottom = view.cursorForPosition(QPoint(2, view.viewport().height() - 2)).position() if first else 0
        last = self._passage_at(bottom) if first else None
        lo = self._order.get(first or "", self._lo)
        hi = self._order.get(last or "", self._hi - 1)
        count = len(self._order)
        text = f"Passage {lo + 1:,} of {count:,}" if hi <= lo else f"Passages {lo + 1:,}–{hi + 1:,} of {count:,}"
        self.place.setText(text)
        view.setAccessibleDescription(f"{text}; the essay is shown a part at a time")

    def _on_viewport_resized(self) -> None:
        if self._focus is not None and self.view.isVisible():
            self._scroll_to(*self._focus)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending or self._note_unsized:
            QTimer.singleShot(0, self, self._on_first_layout)  # with self as context: not after it is gone

    def _on_first_layout(self) -> None:
        if not self.isVisible():
            return
        if self._note_unsized and self.note.isVisible():
            self._size_note()
        self._note_unsized = False
        if self._pending:
            start, end = self._pending
            self._pending = None
            self._scroll_to(start, end)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._runs:
            self._rebuild()

    # -- for the tests and the status line ----------------------------------------------------
    def highlighted_text(self) -> list[str]:
        """The text of each highlighted quote (footnote markers inside it left out)."""
        texts = []
        for start, end in self._highlight:
            cursor = QTextCursor(self.view.document())
            pieces = []
            for pos in range(start, end):
                cursor.setPosition(pos)
                cursor.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
                if not cursor.charFormat().anchorHref().startswith("fn:"):
                    pieces.append(cursor.selectedText())
            texts.append("".join(pieces))
        return texts

    def is_in_view(self, position: int) -> bool:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(position)
        rect = self.view.cursorRect(cursor)
        return rect.bottom() >= 0 and rect.top() <= self.view.viewport().height()

    def marker_position(self, number: int) -> int | None:
        found = self._markers.get(number)
        return found[0] if found else None

    # -- handlers ---------------------------------------------------------------------------
    def _on_link(self, url: QUrl | str) -> None:
        self._state.select_link(url.toString() if isinstance(url, QUrl) else url)

    def _on_text_clicked(self, position: int) -> None:
        found = self.text_at(position)
        if found is None:
            return
        passage_id, offset = found
        event_id = event_at(self._corpus, passage_id, offset, prefer=self._state.event_id)
        if event_id:
            self._state.select_event(event_id, passage=passage_id)
        else:
            self._state.select_passage(passage_id)

    def _tooltip_for(self, href: str) -> str | None:
        scheme, _, number = href.partition(":")
        footnote = self._corpus.footnote(int(number)) if scheme == "fn" and number.isdigit() else None
        if footnote is None:
            return None
        text = f"<p>{esc(shorten(footnote.text, 420))}</p>"
        findings = self.flagged.get(footnote.number, ())
        if findings:
            said = "; ".join(dict.fromkeys(f"{f.severity} {f.code}" for f in findings))
            count = f"{len(findings)} audit finding{'s' * (len(findings) != 1)}"
            text += f'<p style="color:{alert(self.palette()).name()}">{count}: {esc(said)}</p>'
        return text

    def _on_audit_finished(self) -> None:
        if self._audit is not None:
            self.set_findings(self._audit.by_footnote)

    def _on_close_note(self) -> None:
        self._state.select_footnote(None)
