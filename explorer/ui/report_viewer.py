"""View > Citation-check Report: the report's HTML in the app's own viewer.

The viewer loads nothing: no file, no image, no style sheet, no address on the network (the report
is self-contained, and whatever a corpus smuggled into it is escaped text anyway). Its links are the
app's own: a note's heading (``fn:N``) and a citation of a known document (``doc:ID``) select them
in the window; "#note-N" in the summary scrolls the viewer to the note. Any other link is inert.

The report is shown as the page it prints on, dark text on white, in a dark palette too: its styles
(dark text, light table headings, the severities' colours) are made for paper, and the file written
by File > Export is the same HTML.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from explorer.ui.rich_text import link_css
from explorer.ui.state import LINK_SCHEMES, ExplorerState


class ReportBrowser(QTextBrowser):
    """A text browser that never loads a resource and never leaves the report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from explorer.core.export.report import FONT_POINTS  # the exports: not imported at start-up

        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.asked_for: list[str] = []  # what the HTML asked to load, and was refused
        paper = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
            paper.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
            paper.setColor(group, QPalette.ColorRole.Text, QColor("#111111"))
        self.setPalette(paper)
        font = self.document().defaultFont()
        font.setPointSizeF(FONT_POINTS)  # Qt sizes the report's headings from it, not from the body's style
        self.document().setDefaultFont(font)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        self.asked_for.append(name.toString() if isinstance(name, QUrl) else name)
        # Empty, not None: on a null answer the document would read a local file itself.
        return QByteArray()


class ReportViewer(QDialog):
    """The report of one window's corpus; link clicks select in that window."""

    followed = Signal(str)  # an app link the reader clicked ("fn:3", "doc:ID")

    def __init__(self, state: ExplorerState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Citation-check report")
        self.browser = ReportBrowser(self)
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(860, 760)

    def show_report(self, html: str, title: str) -> None:
        """Show *html* (the report, with the app's links) and keep the reader's place if it is the same."""
        self.setWindowTitle(title)
        scrolled = self.browser.verticalScrollBar().value()
        self.browser.document().setDefaultStyleSheet(link_css(self.browser.palette()))
        self.browser.setHtml(html)
        self.browser.verticalScrollBar().setValue(scrolled)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        href = url.toString()
        if url.scheme() in LINK_SCHEMES and self.state.select_link(href):
            self.followed.emit(href)
        elif not url.scheme() and url.hasFragment():  # "#note-3": within the report
            self.browser.scrollToAnchor(url.fragment())
