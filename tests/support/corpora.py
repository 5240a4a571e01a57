"""The test corpora: the shipped default corpus, and a tiny one written fresh for each test that needs it."""

from __future__ import annotations

import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO / "data" / "korea-1950"
#: The mark key of the tiny corpus's note 2 telegram, linked to the document doc-jan.
JAN_KEY = "doc:ciphered-telegram:stalin>shtykov:1950-01-30:AVPRF:f059a:op5a:d3:p11/l92#doc=doc-jan"


TINY_ESSAY = (
    "[bookmark: _GoBack]In March 1949 Kim asked Stalin for leave to attack.[footnoteRef:1] "
    "Stalin refused. [1:  Telegram from Shtykov to Vyshinsky, 3 September 1949, AVPRF, Fond 059a, "
    "Opis 5a, Delo 4, Papka 11, Listy 136-138. For the full text see K. Weathersby, “To Attack or "
    "Not to Attack?” Cold War International History Project Bulletin, 5 (Spring 1995): 1-9.] \n"
    "\n"
    "\tOn 30 January 1950 Stalin said he was “ready to help him in this matter.”[footnoteRef:2] "
    "[2:  Ciphered telegram from Stalin to Shtykov, 30 January 1950, AVPRF, Fond 059a, Opis 5a, "
    "Delo 3, Papka 11, List 92.] \n"
    "\n"
    "Note: An earlier version appeared elsewhere.\n"
)

TINY_FILES = {
    "corpus.yaml": """
        id: tiny
        title: null
        title_note: The source has no title.
        author: Test Author
        year: 2015
        language: en
        source: essay.txt
        format: tika-text
    """,
    "events.yaml": """
        events:
          - id: ev-march
            date: "1949-03"
            title: Kim asks to attack
            summary: Kim asks Stalin for permission and is refused.
            participants: [kim, stalin]
            places: [moscow]
            passages:
              - passage: p01
                quote: "In March 1949 Kim asked Stalin for leave to attack."
            documents: [doc-sept]
            footnotes: [1]
          - id: ev-january
            date: "1950-01-30"
            title: Stalin agrees to help
            summary: Stalin tells Kim he is ready to help.
            participants: [stalin]
            passages:
              - passage: p02
                quote: "On 30 January 1950 Stalin said"
            documents: [doc-jan, doc-sept]
            footnotes: [2]
    """,
    "documents.yaml": """
        documents:
          - id: doc-sept
            kind: ciphered-telegram
            title: Telegram from Shtykov to Vyshinsky
            date: "1949-09-03"
            reports_date: "1949-03"
            senders: [shtykov]
            recipients: [vyshinsky]
            locations:
              - archive: AVPRF
                fond: "059a"
                opis: "5a"
                delo: "4"
                papka: "11"
                listy: "136-138"
                as_cited: "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138"
                footnote: 1
            translations:
              - source: weathersby-1995
                pages: "1-9"
            footnotes: [1]
          - id: doc-jan
            kind: ciphered-telegram
            title: Telegram from Stalin to Shtykov
            date: "1950-01-30"
            senders: [stalin]
            recipients: [shtykov]
            locations:
              - archive: AVPRF
                fond: "059a"
                opis: "5a"
                delo: "3"
                papka: "11"
                listy: "92"
                footnote: 2
            footnotes: [2]
            quotes:
              - passage: p02
                text: "ready to help him in this matter."
    """,
    "people.yaml": """
        people:
          - id: kim
            name: Kim Il Sung
            spellings: [Kim]
            role: DPRK leader
          - id: stalin
            name: Joseph Stalin
            spellings: [Stalin]
          - id: shtykov
            name: Terentii Shtykov
            spellings: [Shtykov]
          - id: vyshinsky
            name: Andrei Vyshinsky
            spellings: [Vyshinsky]
    """,
    "sources.yaml": """
        sources:
          - id: weathersby-1995
            type: bulletin-article
            title: "To Attack or Not to Attack?"
            authors: [Kathryn Weathersby]
            container: Cold War International History Project Bulletin
            volume: "5"
            year: 1995
            pages: "1-9"
            footnotes: [1]
    """,
    "places.yaml": """
        places:
          - id: moscow
            name: Moscow
            kind: city
    """,
}


def write_corpus(root: Path, overrides: dict[str, str | None] | None = None, essay: str | None = None) -> Path:
    """Write the tiny corpus to *root*; *overrides* replace (or, with None, drop) files."""
    root.mkdir(parents=True, exist_ok=True)
    files = dict(TINY_FILES)
    files.update(overrides or {})
    for name, text in files.items():
        if text is not None:
            (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (root / "essay.txt").write_text(TINY_ESSAY if essay is None else essay, encoding="utf-8")
    return root
