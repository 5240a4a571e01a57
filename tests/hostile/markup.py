"""A corpus whose every text is markup, and a walk through every view of it.

Used in-process by ``test_markup.py`` and in a subprocess watched by strace,
so one walk serves both: it selects every event, document, person, source
and footnote, renders each pane, and shows every tooltip the corpus text
reaches, collecting what each surface was given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QToolTip

from explorer.ui.main_window import MainWindow
from tests.conftest import write_corpus

_TOOLTIP = Qt.ItemDataRole.ToolTipRole

#: A very long word: no break opportunity for 20,000 characters.
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 440


def payloads(canary: Path) -> dict[str, str]:
    """Markup that must be shown as text; *canary* is a folder no code may ever open."""
    return {
        "script": "<script>alert('pwned')</script>",
        "img-file": f'<img src="{canary.as_uri()}/img.png" width=9>',
        "img-http": '<img src="http://198.51.100.7/track.png">',
        "link": '<a href="javascript:alert(1)">click me</a>',
        "style": f"<style>p {{ background: url({canary.as_uri()}/bg.png) }}</style>",
        "entities": "&amp; &lt;b&gt;bold?&lt;/b&gt; &#65;&#x42; &nbsp;",
        "bidi": "\u202eevil.exe\u202c, \u2067isolated\u2069 and \u200fmarked",
        "zero-width": "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom",
        "long-word": LONG_WORD,
    }


def _q(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML double-quoted strings


def build_markup_corpus(root: Path, canary: Path) -> Path:
    """The tiny corpus's shape with markup in every text a reader can see."""
    marks = payloads(canary)
    every = " ".join(marks.values())
    short = " ".join(v for k, v in marks.items() if k != "long-word")
    essay = (
        f"In March 1949 {every} Kim asked.[footnoteRef:1] [1: Telegram {short}, AVPRF, Fond 059a, Opis 5a, "
        f"Delo 4, Papka 11, Listy 1-2. {LONG_WORD}] \n\n"
        f"On 30 January 1950 {short} Stalin agreed.[footnoteRef:2] [2: Letter {short}.] \n"
    )
    files = {
        "corpus.yaml": f"""
            id: markup
            title: {_q(short)}
            author: {_q(marks['script'])}
            source: essay.txt
            format: tika-text
        """,
        "events.yaml": f"""
            events:
              - id: ev-one
                date: "1949-03"
                date_label: {_q(marks['img-file'])}
                title: {_q(short)}
                summary: {_q(every)}
                participants: [kim]
                places: [moscow]
                passages:
                  - passage: p01
                    quote: {_q(every)}
                documents: [doc-one, doc-two]
                sources: [src-one]
                footnotes: [1]
              - id: ev-two
                date: "1950-01-30"
                title: {_q(marks['style'])}
                summary: {_q(marks['link'])}
                participants: [kim]
                documents: [doc-two]
                footnotes: [2]
        """,
        "documents.yaml": f"""
            documents:
              - id: doc-one
                kind: telegram
                title: {_q(short)}
                date: "1949-09-03"
                senders: [kim]
                recipients: [kim]
                locations:
                  - archive: {_q(marks['img-file'])}
                    fond: {_q(marks['script'])}
                    listy: "1-2"
                    as_cited: {_q(short)}
                    footnote: 1
                translations:
                  - source: src-one
                    pages: {_q(marks['link'])}
                    note: {_q(marks['style'])}
                footnotes: [1]
                quotes:
                  - passage: p01
                    text: {_q(marks['bidi'])}
                summary: {_q(every)}
                note: {_q(short)}
              - id: doc-two
                kind: letter
                title: {_q(marks['img-http'])}
                date: "1950-01-30"
                cited_via: src-one
                footnotes: [2]
        """,
        "people.yaml": f"""
            people:
              - id: kim
                name: {_q(marks['img-file'])}
                spellings: [{_q(marks['script'])}]
                role: {_q(short)}
                note: {_q(every)}
        """,
        "sources.yaml": f"""
            sources:
              - id: src-one
                type: book
                title: {_q(short)}
                authors: [{_q(marks['img-http'])}]
                container: {_q(marks['style'])}
                publisher: {_q(marks['entities'])}
                url: "javascript:alert(1)"
                note: {_q(every)}
                footnotes: [1]
        """,
        "places.yaml": f"""
            places:
              - id: moscow
                name: {_q(marks['link'])}
                note: {_q(every)}
        """,
    }
    return write_corpus(root, files, essay)


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
