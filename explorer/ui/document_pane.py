"""The detail pane: the selected event, the documents evidencing it, and one of them in full.

Rendering waits for a short single-shot timer (as calibre's book details do),
so running down the event list with the keyboard renders once, when the
reader stops, not once per row.

Below the card, a document's citations in the essay's notes carry the
researcher's verification marks (once the notes have been read).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QFrame, QHBoxLayout, QLabel, QMenu, QVBoxLayout, QWidget

from explorer.core.model import Corpus, Event
from explorer.core.selection import Selection
from explorer.core.verification import document_targets
from explorer.ui import cards
from explorer.ui.audit_job import AuditJob
from explorer.ui.browser import LocalBrowser, reading_font
from explorer.ui.marks_book import MarkBook
from explorer.ui.marks_editor import VerificationSection
from explorer.ui.rich_text import esc, tooltip
from explorer.ui.settings import ZOOM_DEFAULT
from explorer.ui.state import ExplorerState
from explorer.ui.zoom import ui_font

RENDER_DELAY_MS = 40
#: The card's links to records ("person:ID" ...) that its context menu offers to edit, and their kinds.
LINKED_KINDS = {"person": "people", "doc": "documents", "source": "sources", "event": "events"}
LINKED_NOUNS = {"people": "Person", "documents": "Document", "sources": "Source", "events": "Event"}


def open_in_system_browser(url: QUrl) -> bool:
    """Hand a web address (a catalogue record's) to the system browser: the one place the app
    opens anything outside itself, and only on the reader's click."""
    return QDesktopServices.openUrl(url)


class DocumentPane(QWidget):
    #: "Edit…" in the card's context menu: (kind, id) of the document, person or source shown.
    edit_requested = Signal(str, str)

    def __init__(
        self, corpus: Corpus, state: ExplorerState, zoom: int = ZOOM_DEFAULT, parent: QWidget | None = None,
        audit: AuditJob | None = None, marks: MarkBook | None = None,
    ) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._state = state
        self._zoom = zoom
        self._audit = audit
        #: The selection on screen; None until the first render.
        self.shown: Selection | None = None

        self.header = QFrame(self)
        self.header.setAutoFillBackground(True)
        self.header.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.event_label = QLabel(self.header)
        self.event_label.setTextFormat(Qt.TextFormat.RichText)
        self.event_label.setWordWrap(True)
        self.event_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.event_label.setOpenExternalLinks(False)
        self.chooser_label = QLabel(self.header)
        self.chooser_label.setTextFormat(Qt.TextFormat.PlainText)
        self.chooser = QComboBox(self.header)
        self.chooser.setAccessibleName("Documents evidencing the event")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(16)
        chooser_row = QHBoxLayout()
        chooser_row.setContentsMargins(0, 6, 0, 0)
        chooser_row.addWidget(self.chooser_label)
        chooser_row.addWidget(self.chooser, 1)
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(18, 12, 14, 12)
        header_layout.setSpacing(2)
        header_layout.addWidget(self.event_label)
        header_layout.addLayout(chooser_row)

        self.browser = LocalBrowser(self)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setAccessibleName("Document")
        self.browser.document().setDocumentMargin(18)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)
        #: The chosen document's citations and their marks; None without notes or marks to show.
        self.verification: VerificationSection | None = None
        if audit is not None and marks is not None:
            rule = QFrame(self)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            self.verification = VerificationSection(marks, parent=self)
            self.verification.setContentsMargins(18, 6, 14, 6)
            self.verification.link_activated.connect(self._on_link)
            audit.notes_ready.connect(self._show_marks)
            audit.failed.connect(self._show_marks)
            layout.addWidget(rule)
            layout.addWidget(self.verification)
            self._rule = rule
        self.setFocusProxy(self.browser)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_DELAY_MS)
        self._timer.timeout.connect(self.render_now)
        self._set_fonts()
        self.chooser.currentIndexChanged.connect(self._on_chooser_changed)
        self.browser.anchorClicked.connect(self._on_link)
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._on_context_menu)
        self.event_label.linkActivated.connect(self._on_link)
        state.selection_changed.connect(self._timer.start)
        state.corpus_changed.connect(self._on_corpus_changed)
        self.render_now()

    def set_zoom(self, percent: int) -> None:
        if percent != self._zoom:
            self._zoom = percent
            self._set_fonts()
            self.render_now()

    def _set_fonts(self) -> None:
        scale = self._zoom / 100
        base = QApplication.font()
        ui = QFont(base)
        ui.setPointSizeF(max(base.pointSizeF() * scale, 6))
        self.setFont(ui_font(self._zoom))  # the marks below the card
        self.browser.setFont(reading_font(base, 1.1 * scale))
        self.event_label.setFont(ui)
        self.chooser.setFont(ui)
        self.chooser_label.setFont(ui)

    # -- rendering ------------------------------------------------------------------------
    def render_now(self) -> None:
        """Show the state's selection now (the timer calls this; so may a screenshot)."""
        self._timer.stop()
        selection = self._state.selection
        corpus = self._corpus
        colours = cards.Colours.of(self.palette())
        event = corpus.event_by_id.get(selection.event or "")
        if self.shown is None or self.shown.event != selection.event:
            self.header.setVisible(event is not None)
            self.event_label.setText(cards.event_header(corpus, event, colours) if event else "")
            self.event_label.setToolTip(cards.event_header_tooltip(event) if event else "")
        self._fill_chooser(selection)
        if selection.person in corpus.person_by_id:
            html = cards.person_card(corpus, corpus.person_by_id[selection.person], colours)
        elif selection.document in corpus.document_by_id:
            html = cards.document_card(corpus, corpus.document_by_id[selection.document], selection.event, colours)
        elif selection.source in corpus.source_by_id:
            html = cards.source_card(corpus, corpus.source_by_id[selection.source], colours)
        else:
            html = nothing_to_show_card(corpus, selection, event, colours)
        document = self.browser.document()
        line = round(QFontInfo(self.browser.font()).pixelSize() * 1.45)
        document.setDefaultStyleSheet(cards.stylesheet(colours, line))
        self.browser.setHtml(html)
        self.browser.verticalScrollBar().setValue(0)
        self.shown = selection
        self._show_marks()

    def _show_marks(self) -> None:
        """The marks of the shown document's citations (none for a person or a source)."""
        section, audit, selection = self.verification, self._audit, self.shown
        if section is None or audit is None or selection is None:
            return
        document = None if selection.person in self._corpus.person_by_id else selection.document
        visible = document in self._corpus.document_by_id
        section.setVisible(visible)
        self._rule.setVisible(visible)
        if not visible:
            return
        if audit.notes is None:
            section.show_message("The notes could not be read." if audit.error else "Reading the notes…")
        else:
            section.show_targets(document_targets(self._corpus, audit.notes, document or ""), audit.notes_of_key)

    def _fill_chooser(self, selection: Selection) -> None:
        event = self._corpus.event_by_id.get(selection.event or "")
        ids = event.documents if event else ()
        blocker = QSignalBlocker(self.chooser)
        if [self.chooser.itemData(i) for i in range(self.chooser.count())] != list(ids):
            self.chooser.clear()
            for number, document_id in enumerate(ids, 1):
                doc = self._corpus.document_by_id[document_id]
                date = doc.date.display() if doc.date else "undated"
                self.chooser.addItem(f"{number}. {date} · {doc.title}", document_id)
                self.chooser.setItemData(number - 1, tooltip(doc.title), Qt.ItemDataRole.ToolTipRole)
        self.chooser.setCurrentIndex(self.chooser.findData(selection.document) if selection.document else -1)
        del blocker
        several = len(ids) > 1
        self.chooser.setVisible(several)
        self.chooser_label.setVisible(several)
        self.chooser_label.setText(f"{len(ids)} documents:")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.shown is not None:
            self.shown = None
            self.render_now()

    def shown_record(self) -> tuple[str, str] | None:
        """(kind, id) of the record the card shows (a person, a document or a source), or None."""
        shown, corpus = self.shown, self._corpus
        if shown is None:
            return None
        if shown.person in corpus.person_by_id:
            return "people", str(shown.person)
        if shown.document in corpus.document_by_id:
            return "documents", str(shown.document)
        if shown.source in corpus.source_by_id:
            return "sources", str(shown.source)
        return None

    def context_menu(self, pos: QPoint) -> QMenu:
        """The card's menu at *pos*: the text's own (Copy ...) and "Edit…" for the record shown."""
        menu = self.browser.createStandardContextMenu(pos)
        record = self.shown_record()
        scheme, _, target = self.browser.anchorAt(pos).partition(":")
        linked = LINKED_KINDS.get(scheme)
        if record is not None or linked:
            menu.addSeparator()
        if record is not None:
            menu.addAction("Edit…").triggered.connect(lambda: self.edit_requested.emit(*record))
        if linked and target and (linked, target) != record:
            menu.addAction(f"Edit the Linked {LINKED_NOUNS[linked]}…").triggered.connect(
                lambda: self.edit_requested.emit(linked, target))
        return menu

    # -- handlers -------------------------------------------------------------------------
    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        menu.exec(self.browser.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        """An edit: the card shown is rendered again at once, from the edited records, where it was scrolled to
        (the curator keeps their place in a long card)."""
        self._corpus = corpus
        same = self.shown == self._state.selection
        scrolled = self.browser.verticalScrollBar().value()
        self.shown = None
        self.render_now()
        if same:
            self.browser.verticalScrollBar().setValue(scrolled)

    def _on_chooser_changed(self, index: int) -> None:
        document_id = self.chooser.itemData(index)
        if document_id:
            self._state.select_document(document_id)

    def _on_link(self, url: QUrl | str) -> None:
        href = url.toString() if isinstance(url, QUrl) else url
        if href.lower().startswith(("http://", "https://")):
            open_in_system_browser(QUrl(href))
            return
        self._state.select_link(href)


def nothing_to_show_card(corpus: Corpus, selection: Selection, event: Event | None, c: cards.Colours) -> str:
    """What the pane says when the selection has no document, source or person to show: it follows the
    selection (a chosen note that cites nothing the corpus records says so, with the note's text),
    and only an empty selection asks the reader to choose."""
    note = corpus.footnote(selection.footnote) if selection.footnote else None
    if note is not None and not (corpus.documents_by_footnote.get(note.number)
                                 or corpus.sources_by_footnote.get(note.number)):
        why = corpus.manifest.commentary.get(note.number)
        said = (f"Note {note.number} cites no source: the corpus records it as the author's commentary"
                + (f" ({esc(why)})." if why else ".")) if note.number in corpus.manifest.commentary else (
            f"Note {note.number} cites no document or source in this corpus.")
        how = (f"A record in documents.yaml or sources.yaml whose footnotes list {note.number} links it here."
               if note.number not in corpus.manifest.commentary else "")
        return f'<p class="meta">{said}</p><p>{esc(note.text)}</p>' + (f'<p class="meta">{how}</p>' if how else "")
    if event is None and selection.passage and corpus.essay.passage(selection.passage):
        return ('<p class="meta">This paragraph narrates no event in this corpus, and no note in it '
                "is chosen. Choose a footnote marker in it to see what the note cites.</p>")
    return cards.no_document_card(corpus, event, c)
