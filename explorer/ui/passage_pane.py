"""The essay pane: the whole essay as reading text, following the selection.

The document is built with ``QTextCursor.insertText`` (corpus text is never
parsed as markup), recording where each passage's text lands so a passage
offset (a Python string index) maps to a document position (UTF-16 code
units) and back. The selected event's sentence and quote, the selected
document's quotes and the open footnote's marker are drawn as extra
selections, so moving the selection never rebuilds the text.

Once the audit has run, the markers of notes with findings are drawn in the
alert colour, bold and underlined, and their tooltips say what was found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import (
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
    QApplication,
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
from explorer.ui.essay_view import EssayView, index_of_units, utf16_len
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.view)
        self._close_note = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._close_note.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.view.measure_changed.connect(self.note.set_side_margin)
        self.splitter.splitterMoved.connect(self._on_note_dragged)
        self.view.verticalScrollBar().actionTriggered.connect(self._on_reader_scrolled)
        self.view.viewport_resized.connect(self._on_viewport_resized)
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

    def _rebuild(self) -> None:
        top = self.view.cursorForPosition(QPoint(0, 0)).position()
        self._build()
        self._update_marks()
        self.view.scroll_to_top(top)
        if self._focus is not None:  # zooming keeps the passage in view, not just the top line
            self._scroll_to(*self._focus)

    def _build(self) -> None:
        corpus, palette = self._corpus, self.palette()
        font = reading_font(QApplication.font(), READING_SCALE * self._zoom / 100)
        self.view.setFont(font)
        self.note.setFont(ui_font(self._zoom))  # its title and marks
        self.note.body.setFont(reading_font(QApplication.font(), 1.1 * self._zoom / 100))
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
        self._markers.clear()

        cursor = QTextCursor(doc)
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
        for passage in corpus.essay.passages:
            is_aside = passage.kind == EDITORIAL
            cursor.insertBlock(editorial if is_aside else body, aside if is_aside else plain)
            self._block_passage[cursor.block().blockNumber()] = passage.id
            runs = self._runs[passage.id] = []
            start = 0
            for note in (*passage.markers, None):
                end = len(passage.text) if note is None else note.offset
                piece = passage.text[start:end]
                runs.append(_Run(cursor.position(), start, end, utf16_len(piece)))
                cursor.insertText(piece, aside if is_aside else plain)
                if note is not None:
                    fmt = QTextCharFormat(marker)
                    fmt.setAnchorHref(f"fn:{note.number}")
                    fmt.setAnchorNames([f"fn{note.number}"])
                    begin = cursor.position()
                    cursor.insertText(str(note.number), fmt)
                    self._markers[note.number] = (begin, cursor.position())
                start = end
        # The last build's document (None: the view's own first one, which it deletes itself). Not found
        # by asking the view's document for its parent: that first call costs ~20 ms in PySide6.
        old, self._document = self._document, doc
        self.view.setExtraSelections([])  # they hold cursors into the old document
        self.view.setDocument(doc)
        if old is not None:  # nothing else shows it; kept, each zoom step would leak a whole essay
            shiboken6.delete(old)  # now: many steps between two returns to the event loop must not pile up
        self.view.fit_measure()
        doc.setTextWidth(self.view.column_width())  # as the view will; until then it lays out unwrapped
        self._flag_markers()

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

    def _flag_markers(self) -> None:
        """Draw flagged markers in the alert colour; a format change, so positions stay as built."""
        flag = QTextCharFormat()
        flag.setForeground(alert(self.palette()))
        flag.setFontWeight(700)
        flag.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        flag.setUnderlineColor(alert(self.palette()))
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
        self._corpus = corpus
        self.note.set_corpus(corpus)
        self._update_marks()

    def _on_selection_changed(self) -> None:
        new, old = self._state.selection, self._shown
        self._shown = new
        if (new.event, new.document, new.footnote) != (old.event, old.document, old.footnote):
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
        for span in self._search:
            add(span, search)
        self.view.setExtraSelections(marks)

    def set_search_match(self, passage_id: str, words: list[str]) -> None:
        """Mark every occurrence of *words* (case folded) in the passage; none clears the marks."""
        passage = self._corpus.passage(passage_id) if passage_id else None
        found: list[tuple[int, int] | None] = []
        if passage is not None:
            for word in (w for w in words if w.strip()):
                found += [self._range(passage.id, Span(m.start(), m.end()))
                          for m in re.finditer(re.escape(word), passage.text, re.IGNORECASE)]
        self._search = sorted(r for r in found if r is not None)
        self._update_marks()
        if self._search:
            self._reveal(*self._search[0])

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

    def _on_reader_scrolled(self, _action: int) -> None:
        self._focus = None

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
