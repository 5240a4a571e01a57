"""The open footnote, shown below the essay until the reader closes it, with the marks of its citations."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QVBoxLayout, QWidget

from explorer.core.model import Corpus
from explorer.core.verification import note_targets
from explorer.ui.audit_job import AuditJob
from explorer.ui.browser import LocalBrowser
from explorer.ui.marks_book import MarkBook
from explorer.ui.marks_editor import VerificationSection
from explorer.ui.rich_text import esc, link, link_css, muted

#: The height (px) the marks' rows take at most in the note, and at least when it is short.
MARKS_MOST, MARKS_LEAST = 200, 56


class FootnotePanel(QFrame):
    """The open footnote, below the essay, until it is closed."""

    link_activated = Signal(QUrl)
    close_requested = Signal()

    def __init__(
        self, corpus: Corpus, parent: QWidget | None = None, audit: AuditJob | None = None,
        marks: MarkBook | None = None,
    ) -> None:
        super().__init__(parent)
        self._corpus = corpus
        self._audit = audit
        self.number: int | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close the note (Esc)")
        self.close_button.setAccessibleName("Close the note")
        self.body = LocalBrowser(self)
        self.body.setAccessibleName("The note's text")
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.viewport().setAutoFillBackground(False)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.close_button)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 8, 8, 4)
        self._layout.setSpacing(2)
        self._layout.addLayout(header)
        self._layout.addWidget(self.body, 1)
        #: The marks of the note's citations; None without notes or marks to show.
        self.verification: VerificationSection | None = None
        if audit is not None and marks is not None:
            self.verification = VerificationSection(marks, max_rows_height=200, parent=self)
            self._layout.addWidget(self.verification)
            audit.notes_ready.connect(self._show_marks)
            audit.failed.connect(self._show_marks)
        # Its margins follow the essay's (set_side_margin): they must not hold the window wide.
        self.setMinimumWidth(1)
        self.close_button.clicked.connect(self.close_requested)
        self.body.anchorClicked.connect(self.link_activated)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.verification is not None:  # the marks scroll rather than squeeze the note's own words
            self.verification.set_max_rows_height(min(MARKS_MOST, max(MARKS_LEAST, int(event.size().height() * 0.4))))

    def set_side_margin(self, side: int) -> None:
        """Line the note up with the essay's text column."""
        inset = max(side - round(self.body.document().documentMargin()), 8)
        self._layout.setContentsMargins(inset, 8, inset, 4)

    def wanted_height(self, width: int) -> int:
        """The height that shows the whole note at *width*."""
        body = self.body.document().clone(self)
        body.setDefaultFont(self.body.font())  # a clone keeps the text, not the widget's font
        body.setTextWidth(width)
        height = body.size().height()
        body.deleteLater()
        shown = self.verification is not None and not self.verification.isHidden()
        marks = self.verification.sizeHint().height() + 4 if shown else 0  # type: ignore[union-attr]
        return int(height + self.title.sizeHint().height() + marks + 24)

    def set_corpus(self, corpus: Corpus) -> None:
        """An edit: the open note's citations as the edited corpus has them."""
        self._corpus = corpus
        if self.number is not None:
            self.show_note(self.number)

    def show_note(self, number: int | None) -> None:
        corpus = self._corpus
        footnote = corpus.footnote(number or 0)
        self.number = footnote.number if footnote else None
        self.setVisible(footnote is not None)
        self._show_marks()
        if footnote is None:
            self.body.clear()
            return
        self.title.setText(f"Note {footnote.number}")
        grey = muted(self.palette()).name()
        self.body.document().setDefaultStyleSheet(link_css(self.palette()))
        number = footnote.number
        cites = [link("doc", d, corpus.document_by_id[d].title) for d in corpus.documents_by_footnote.get(number, ())]
        cites += [link("source", s, corpus.source_by_id[s].title) for s in corpus.sources_by_footnote.get(number, ())]
        parts = [f"<p>{esc(footnote.text)}</p>"]
        if cites:
            parts.append(f'<p><span style="color:{grey}">Cites </span>{" · ".join(cites)}</p>')
        elif footnote.number in corpus.manifest.commentary:
            reason = corpus.manifest.commentary[footnote.number]
            parts.append(f'<p style="color:{grey}"><i>Commentary; cites no source: {esc(reason)}</i></p>')
        self.body.setHtml("".join(parts))

    def _show_marks(self) -> None:
        section, audit = self.verification, self._audit
        if section is None or audit is None or self.number is None:
            return
        note = audit.notes.get(self.number) if audit.notes is not None else None
        if note is not None:
            section.show_targets(note_targets(note, self._corpus), audit.notes_of_key, grouped=False)
        else:
            section.show_message("The notes could not be read." if audit.error else "Reading the notes…")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.number is not None:
            self.show_note(self.number)  # the link colour is written into the text
