"""The audit's exports: every format carries hostile text literally (11.10); text lines do not repeat
the note (10.13)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from explorer.core.audit import Finding, format_findings

HOSTILE = ("<img src=x onerror=alert(1)> <script>alert('x')</script> **bold** _it_ `code` [link](http://e.x) "
           "![i](http://e.x/i.png) ~~gone~~ a|b &amp; \\| <!-- hidden -->\nsecond line")


@dataclass
class _Mark:
    footnote: int
    label: str
    status: str
    note: str
    updated_at: str = "2026-01-01"


FINDING = Finding("DATE_MISMATCH", "warning", "Note 3: the essay dates this “<b>June</b>”.", (3,), ("p02",))
MARKS = {"k1": _Mark(3, "Telegram *Stalin*", "differs", HOSTILE)}  # no reviewer: set before they were recorded


class _Reader(HTMLParser):
    """The tags of some HTML, and the text a person would see in it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.parts: list[str] = []
        self.feed(html)
        self.text = "".join(self.parts)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def test_markdown_shows_hostile_marks_and_messages_literally():
    out = format_findings([FINDING], "markdown", marks=MARKS)
    html = _render(out)
    reader = _Reader(html)
    text, tags = reader.text, reader.tags
    # One table, one row: nothing in the comment made a tag, a link, emphasis or a new row.
    assert set(tags) <= {"table", "thead", "tbody", "tr", "th", "td"}, tags
    assert tags.count("tr") == 2
    assert "<script" not in html and "<img" not in html and "<!--" not in html
    for literal in ("<img src=x onerror=alert(1)>", "<script>alert('x')</script>", "**bold**", "_it_", "`code`",
                    "[link](http://e.x)", "~~gone~~", "a|b", "&amp;", "\\|", "<!-- hidden -->",
                    "“<b>June</b>”", "Telegram *Stalin*"):
        assert literal in text, literal
    assert "second line" in text  # the line break became a space, not a new paragraph


def test_markdown_of_plain_findings_stays_readable():
    message = "Note 1 cites no source; it rests on (the author's) word."
    out = format_findings([Finding("NO_SOURCE", "info", message, (1,))], "markdown")
    assert out.splitlines()[2] == f"| info | NO\\_SOURCE | 1 |  | {message} |"


def test_csv_cells_are_literal():
    marks = {"k1": _Mark(3, "x", "differs", HOSTILE)}
    finding = Finding("DATE_MISMATCH", "warning", 'Note 3: said "June", wrote\nJuly, sure', (3,))
    rows = list(csv.reader(io.StringIO(format_findings([finding], "csv", marks=marks))))
    assert len(rows) == 2
    assert rows[1][5] == 'Note 3: said "June", wrote\nJuly, sure'
    assert rows[1][6] == f"note 3 x: differs by unknown ({HOSTILE})"


def test_json_keeps_hostile_text_as_data():
    data = json.loads(format_findings([FINDING], "json", marks=MARKS))
    assert data[0]["marks"][0]["note"] == HOSTILE


@pytest.mark.parametrize("message", ["Note 23: “Ibid.” strictly refers to Shen.",
                                     "Note 23 cites “X” only as seen in another work."])
def test_text_lines_name_the_note_once(message):
    (line, _total) = format_findings([Finding("IBID_INTENT", "error", message, (23,))], "text").splitlines()
    assert line.lower().count("note 23") == 1, line
    assert line.endswith(message)


def test_text_lines_keep_the_note_when_the_message_names_another():
    out = format_findings([Finding("NO_SOURCE", "info", "Note 13 cites no source.", (1,))], "text")
    assert "note 1: Note 13 cites no source." in out
