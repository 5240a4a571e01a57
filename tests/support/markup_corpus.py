"""The hostile-markup corpus, without Qt: every text field of a corpus holds markup that must show as text.

Shared by the window's tests (tests/hostile/markup.py) and the Qt-free report tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.corpora import write_corpus

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
