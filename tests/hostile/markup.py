"""A corpus whose every text is markup, and a walk through every view of it.

Used in-process by ``test_markup.py`` and in a subprocess watched by strace,
so one walk serves both: it selects every event, document, person, source
and footnote, renders each pane, and shows every tooltip the corpus text
reaches, collecting what each surface was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QToolTip

from explorer.ui.main_window import MainWindow
from tests.support.markup_corpus import LONG_WORD, build_markup_corpus, payloads  # noqa: F401  (re-exported)

_TOOLTIP = Qt.ItemDataRole.ToolTipRole

@dataclass
class Seen:
    """What the panes were given: plain text shown, and the rich text behind it."""

    rich: list[str] = field(default_factory=list)  # HTML given to labels and browsers
    tooltips: list[str] = field(default_factory=list)  # each distinct tooltip, as given (rich text)
    plain: list[str] = field(default_factory=list)  # the text each surface shows


def walk(window: MainWindow, settle: Callable[[], object]) -> Seen:
    """Select everything in turn, collect what every surface shows, then show every tooltip."""
    seen = Seen()
    state, corpus = window.state, window.corpus
    doc_pane, passage_pane = window.document_pane, window.passage_pane

    def collect() -> None:
        settle()
        doc_pane.render_now()
        seen.rich += [doc_pane.browser.toHtml(), doc_pane.event_label.text()]
        seen.plain += [doc_pane.browser.toPlainText(), window.windowTitle(), window.status_line.text()]
        seen.plain.append(passage_pane.view.toPlainText())
        if passage_pane.note.isVisibleTo(window):
            seen.rich.append(passage_pane.note.body.toHtml())
            seen.plain.append(passage_pane.note.body.toPlainText())
        chooser = doc_pane.chooser
        seen.plain += [chooser.itemText(i) for i in range(chooser.count())]
        seen.tooltips += [chooser.itemData(i, _TOOLTIP) for i in range(chooser.count())]

    for event in corpus.events:
        state.select_event(event.id)
        collect()
        for document_id in event.documents:
            state.select_document(document_id)
            collect()
    for person in corpus.people:
        state.select_person(person.id)
        collect()
    for source in corpus.sources:
        state.select_source(source.id)
        collect()
    for note in corpus.essay.footnotes:
        state.select_footnote(note.number)
        collect()
    seen.tooltips += [window.event_list.index_of(e.id).data(_TOOLTIP) for e in corpus.events]
    seen.tooltips += _format_tooltips(passage_pane.view.document())
    seen.tooltips = [tip for tip in dict.fromkeys(seen.tooltips) if tip]
    # A tooltip renders its text in a label: showing each one is where an
    # unescaped <img> would be loaded (labels read local files themselves).
    for tip in seen.tooltips:
        QToolTip.showText(QPoint(10, 10), tip, window)
        settle()
    QToolTip.hideText()
    return seen


def _format_tooltips(document: QTextDocument) -> list[str]:
    """Tooltips set on characters (the essay's footnote markers)."""
    tips = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            tips.append(it.fragment().charFormat().toolTip())
            it += 1
        block = block.next()
    return tips
