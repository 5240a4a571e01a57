"""The citation-check report: every note in order with its citations, Ibid., findings and marks;
self-contained HTML and Markdown in which no corpus or mark string is markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from explorer.core.audit import Finding, run_audit
from explorer.core.export import ExportMark, parsed_notes
from explorer.core.export.report import build_report, to_html, to_markdown, when
from explorer.core.loader import load_corpus
from explorer.core.markup import md
from explorer.core.model import Corpus
from tests.support.corpora import write_corpus
from tests.support.export_marks import ORPHAN_KEY, tiny_marks
from tests.support.markup_corpus import build_markup_corpus, payloads


@pytest.fixture(scope="module")
def default_report(default_corpus: Corpus):
    notes = parsed_notes(default_corpus)
    return build_report(default_corpus, notes, run_audit(default_corpus, notes), [])


def test_every_note_is_in_the_report_in_order_with_its_findings(default_corpus: Corpus, default_report) -> None:
    numbers = [f.number for f in default_corpus.essay.footnotes]
    assert [n.number for n in default_report.notes] == sorted(numbers)
    findings = run_audit(default_corpus)
    on_notes = sum(len(n.findings) for n in default_report.notes)
    # a finding on two notes is shown under both; none is left out
    assert on_notes + len(default_report.other_findings) >= len(findings)
    for finding in findings:
        assert any(finding in n.findings for n in default_report.notes) or finding in default_report.other_findings
    html = to_html(default_report)
    positions = [html.index(f'id="note-{n}"') for n in sorted(numbers)]
    assert positions == sorted(positions)
    text = to_markdown(default_report)
    assert [int(m) for m in re.findall(r"^### Note (\d+)$", text, re.M)] == sorted(numbers)


def test_ibid_resolution_is_shown_with_the_intended_reading(default_report) -> None:
    note23 = next(n for n in default_report.notes if n.number == 23)
    # the default corpus's note 23: a bare Ibid. that by the rule points at note 22, but means another work
    assert note23.ibid and "by the rule" in note23.ibid[0] and "meant" in note23.ibid[0]
    assert sum(len(n.ibid) for n in default_report.notes) == dict(default_report.summary())["Ibid. resolved"]


def test_marks_show_who_when_status_and_comment_and_none_is_lost(tiny: Corpus) -> None:
    notes = parsed_notes(tiny)
    report = build_report(tiny, notes, run_audit(tiny, notes), tiny_marks(tiny))
    note1 = report.notes[0]
    assert [(m.status, m.who) for m in note1.marks] == [("verified", "A. Reader"), ("disputed", None)]
    assert [m.key for m in report.orphan_marks] == [ORPHAN_KEY]
    summary = dict(report.summary())
    assert (summary["marks: verified"], summary["marks on no current citation"]) == (1, 1)
    for text in (to_html(report), to_markdown(report)):
        for said in ("A. Reader", "2026-01-05 10:00 UTC", "verified", "Checked against the Bulletin",
                     "Set before note 9 was cut", "Marks on no current citation"):
            assert said in text.replace("&#x27;", "'"), said


def test_the_report_names_the_essay_as_the_window_does(default_corpus: Corpus, default_report,
                                                      tmp_path: Path) -> None:
    """Not the corpus id: the title, or "Untitled essay", with the author and year (a title is never invented)."""
    name = "Untitled essay (Kathryn Weathersby, 2015)"
    assert default_report.title == default_corpus.manifest.display_title() == name
    assert f"<title>Citation check: {name}</title>" in to_html(default_report)
    assert f"<h1>Citation check: {name}</h1>" in to_html(default_report)
    assert to_markdown(default_report).startswith(f"# Citation check: {name}\n")
    titled = load_corpus(write_corpus(tmp_path / "titled", {"corpus.yaml": """
        id: titled
        title: "Stalin <i>and</i> the War"
        author: null
        year: 1995
        language: en
        source: essay.txt
        format: tika-text
    """}))
    report = build_report(titled, parsed_notes(titled), [], [])
    assert report.title == "Stalin <i>and</i> the War (1995)"
    assert "<h1>Citation check: Stalin &lt;i&gt;and&lt;/i&gt; the War (1995)</h1>" in to_html(report)


def test_a_finding_on_no_note_is_listed(tiny: Corpus) -> None:
    stray = Finding("LOCATION_DIFFERS", "warning", "A document with no note.", documents=("doc-jan",))
    report = build_report(tiny, parsed_notes(tiny), [stray], [])
    assert report.other_findings == (stray,)
    assert "A document with no note." in to_html(report) and "A document with no note." in to_markdown(report)


def test_the_html_is_self_contained(default_report) -> None:
    html = to_html(default_report)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import", html, re.I)
    assert set(re.findall(r'href="([^"]*)"', html)) <= {f"#note-{n.number}" for n in default_report.notes}


@pytest.fixture
def hostile(tmp_path: Path):
    canary = tmp_path / "canary"
    corpus = load_corpus(build_markup_corpus(tmp_path / "markup", canary))
    notes = parsed_notes(corpus)
    bad = payloads(canary)
    marks = [ExportMark("no-such-key", bad["script"], bad["link"], 1, bad["img-http"], bad["style"],
                        who=bad["img-file"])]
    return corpus, build_report(corpus, notes, run_audit(corpus, notes), marks), bad


def test_hostile_corpus_and_mark_strings_are_text_in_the_html(hostile) -> None:
    _, report, bad = hostile
    html = to_html(report)
    for name, payload in bad.items():
        if "<" in payload:
            assert payload not in html, name
    # no tag but the report's own: its links to its notes
    assert not re.search(r'<(script|img|iframe|a (?!href="#note-\d+">))', html.split("</style>", 1)[1], re.I)
    # the text is all there, escaped
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html


def test_hostile_strings_are_text_in_the_markdown(hostile) -> None:
    _, report, _ = hostile
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(to_markdown(report))
    assert not re.search(r"<(script|img|a |style|iframe)", rendered, re.I)
    assert "&lt;script&gt;" in rendered


@pytest.mark.parametrize("text", ["1. not a list", "- not a list", "+ nor this", "# not a heading",
                                  "**not bold** _nor_ `code` [a](b) | cell ~x~ <b>", "a\nb"])
def test_markdown_text_stays_one_literal_paragraph(text: str) -> None:
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md(text))
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1
    assert not re.search(r"<(ol|ul|h1|strong|em|code|a|del|b)\b", rendered)


def test_the_report_compares_each_note_with_the_catalogue() -> None:
    """Where the corpus has catalogue records, each note says how the catalogue describes what it cites:
    note 20's telegram with both recipients and both dates, and note 10's with both senders."""
    from explorer.core.export.writing import report_for
    from explorer.core.loader import load_corpus
    from tests.support.corpora import DEFAULT_CORPUS

    corpus = load_corpus(DEFAULT_CORPUS)
    report = report_for(corpus, parsed_notes(corpus), [])
    assert report.catalogue_compared
    lines = {n.number: " ".join(n.catalogue) for n in report.notes}
    assert "catalogued differently" in lines[20] and "the essay 29 May 1950, the catalogue 30 May 1950" in lines[20]
    assert "Vyshinsky (for the Politburo)" in lines[20]
    assert "the essay Terentii Fomich Shtykov, the catalogue Tunkin" in lines[10]
    assert "no catalogue record found" in lines[24]


@pytest.mark.parametrize(("time", "shown"), [
    ("2026-03-02T09:14:05.282+00:00", "2026-03-02 09:14 UTC"),
    ("2026-01-05T10:00:00Z", "2026-01-05 10:00 UTC"),
    ("2026-03-02T11:14:05+02:00", "2026-03-02 09:14 UTC"),  # another offset: said in UTC
    ("2026-03-02T09:14:05", "2026-03-02 09:14"),  # no offset: no zone invented
    ("yesterday <b>noon</b>", "yesterday <b>noon</b>"),  # not ISO 8601: kept, escaped where it is shown
    ("", "—"),
])
def test_times_are_shown_as_a_reader_reads_them_and_fit_a_column(time: str, shown: str) -> None:
    assert when(time) == shown
