"""Properties of the parsers on arbitrary input (Hypothesis).

The essay importer, the YAML reader and the EDTF parser return a result or
raise their own error type, never anything else, and their errors point
into the text. The citation parser never fails on its own (a failure it
catches is reported in ``problems``; none may be). Where a parse can be
checked against how the text was built, offsets point at the right
characters.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from explorer.core.citations import MAX_NOTE_CHARS, parse_note, parse_notes
from explorer.core.dates import EdtfError, parse_edtf
from explorer.core.errors import CorpusError
from explorer.core.essay_import import import_tika_text
from explorer.core.yaml_source import LocDict, LocList, parse_yaml_bytes

HOSTILE = settings.get_profile(os.environ.get("EXPLORER_HYPOTHESIS_PROFILE", "hostile"))


def _text_from(tokens: list[str]) -> st.SearchStrategy[str]:
    """Arbitrary text, half of it stitched from tokens that mean something to the parser."""
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=8)), max_size=60).map("".join),
    )


# -- the essay importer -------------------------------------------------------------

ESSAY_TOKENS = [
    "[footnoteRef:1]", "[footnoteRef:2]", "[endnoteRef: 3]", "[footnoteRef:", "[1: ", "[2:", "[3: x]", "[12:",
    "[bookmark: _GoBack]", "[bookmark:", "[", "]", "[[", "]]", "\n", "\n\n", "\t", " ", "\r", "\u2028", "\x85",
    "\u3000", "Note: ", "Editor’s note:", "word", "“quoted”", "é", "٣", "9" * 12, ":", "\ufeff",
]


@HOSTILE
@given(_text_from(ESSAY_TOKENS))
def test_the_importer_returns_an_essay_or_its_own_error(text: str) -> None:
    try:
        essay = import_tika_text(text, "essay.txt")
    except CorpusError as exc:
        lines = text.count("\n") + 1
        for problem in exc.problems:
            assert problem.file == "essay.txt"
            assert problem.line is None or 1 <= problem.line <= lines
        return
    for passage in essay.passages:
        assert passage.text == passage.text.strip() and "\n" not in passage.text
        for marker in passage.markers:
            assert 0 <= marker.offset <= len(passage.text)
    for note in essay.footnotes:
        assert essay.passage(note.passage_id) is not None


WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDÉŽ0123456789.,;'’“”()-–"), min_size=1, max_size=9)


@st.composite
def essays(draw: st.DrawFn) -> tuple[str, list[str], dict[int, tuple[int, str, str, int]]]:
    """Tika text built from parts, with what the import must give back:
    the passages' text, and for each note (passage index, text before its
    marker, its body, the line its body starts on)."""
    paragraphs = draw(st.lists(st.lists(WORD, min_size=1, max_size=12), min_size=1, max_size=6))
    lines: list[str] = []
    expected: list[str] = []
    notes: dict[int, tuple[int, str, str, int]] = {}
    number = 0
    for index, words in enumerate(paragraphs):
        cited = draw(st.sets(st.integers(0, len(words) - 1), max_size=3))
        gap = draw(st.sampled_from([" ", "  ", " \t "]))
        indent = draw(st.sampled_from(["", "\t", "[bookmark: _Ref1]"]))
        text, bodies = indent, []
        for k, word in enumerate(words):
            text += (gap if k else "") + word
            if k in cited:
                number += 1
                body = " ".join(draw(st.lists(WORD, min_size=1, max_size=5)))
                bracketed = draw(st.booleans())
                body_text = f"{body} [hereafter X]" if bracketed else body
                text += f"[footnoteRef:{number}]"
                bodies.append((number, " ".join(words[: k + 1]), body_text))
        line = len(lines) + 1
        for n, before, body in bodies:
            notes[n] = (index, before, body, line)
            text += f" [{n}:  {body}]"
        lines += [text + " ", ""]
        expected.append(" ".join(words))
    return "\n".join(lines) + "\n", expected, notes


@HOSTILE
@given(essays())
def test_a_built_essay_comes_back_with_markers_after_the_cited_words(
    built: tuple[str, list[str], dict[int, tuple[int, str, str, int]]],
) -> None:
    text, expected, notes = built
    assume(not expected[-1].lower().startswith(("note", "editor")))  # would be an editorial note
    essay = import_tika_text(text)
    assert [p.text for p in essay.passages] == expected
    assert sorted(f.number for f in essay.footnotes) == sorted(notes)
    source_lines = text.split("\n")
    for note in essay.footnotes:
        index, before, body, line = notes[note.number]
        passage = essay.passages[index]
        assert note.passage_id == passage.id
        assert passage.text[: note.offset] == before  # the marker sits right after the cited words
        assert note.text == body
        assert note.line == line and f"[{note.number}:" in source_lines[line - 1]
        assert source_lines[passage.line - 1].strip() != ""


@HOSTILE
@given(essays(), st.data())
def test_an_error_points_at_the_token_that_caused_it(
    built: tuple[str, list[str], dict[int, tuple[int, str, str, int]]], data: st.DataObject,
) -> None:
    text, _expected, notes = built
    assume(notes)
    number = data.draw(st.sampled_from(sorted(notes)))
    spoiled = text + f"Again.[footnoteRef:{number}]\n"  # a number used twice
    try:
        import_tika_text(spoiled)
    except CorpusError as exc:
        (problem,) = [p for p in exc.problems if "referenced twice" in p.message]
        line = spoiled.split("\n")[problem.line - 1]
        assert line[problem.column - 1:].startswith(f"[footnoteRef:{number}]")
    else:
        raise AssertionError("a number used twice was accepted")


# -- the citation parser ---------------------------------------------------------------

NOTE_TOKENS = [
    "AVPRF", "APRF", "RGASPI", "TsAMO", "АВП РФ", "Fond ", "Opis ", "Delo ", "Papka ", "List ", "Listy ", "f. ",
    "op. ", "d. ", "l. ", "ll. ", "Ф. ", "Оп. ", "Д. ", "Л. ", "059a", "5a", "11", "87-91", "1950", "1949",
    "30 January 1950", "Spring 1995", "Ibid.", "Ibid, pp. 13-14.", "Idem, ", "Cited in ", "See ", "See also ",
    "For the full text of these documents, see ", "Telegram from ", "Ciphered telegram ", "Record of conversation ",
    " to ", "between ", " and ", "Weathersby, ", "K. Weathersby, ", "“To Attack or Not to Attack?”", "“", "”", "\"",
    "(", ")", "[", "]", "[hereafter AVPRF]", ";", ",", ".", ". ", ": ", "pp. ", "p. ", "eds.", "No. ", "vol. ",
    "Cold War International History Project Bulletin, ", "Working Paper No. 8", "(Washington, D.C.: ", "Press, ",
    "http://example.org/x", "Available online at ", "Prepared by ", "\u202e", "\u200b", " " * 3,
]


@HOSTILE
@given(st.integers(1, 500), _text_from(NOTE_TOKENS))
def test_the_citation_parser_reads_any_note_and_its_spans_are_the_note_s_words(number: int, text: str) -> None:
    note = parse_note(number, text)
    assert note.problems == ()  # a caught failure of the parser is still a bug
    words = text[:MAX_NOTE_CHARS]
    for index, citation in enumerate(note.citations):
        assert citation.index == index and citation.note == number
        assert 0 <= citation.start <= citation.end <= len(words)
        assert citation.text == words[citation.start:citation.end]
        for location in citation.locations:
            assert 0 <= location.start <= location.end <= len(words)
            assert location.as_cited == words[location.start:location.end]
        for relation in citation.relations:
            assert 0 <= relation.target < len(note.citations)


@HOSTILE
@given(st.lists(_text_from(NOTE_TOKENS), min_size=1, max_size=6))
def test_ibid_and_short_forms_resolve_only_to_earlier_notes(texts: list[str]) -> None:
    notes = parse_notes(list(enumerate(texts, 1)))
    assert [n.number for n in notes] == list(range(1, len(texts) + 1))
    for note in notes:
        assert note.problems == ()
        for citation in note.citations:
            for ref in (citation.refers_to, *(() if citation.ibid is None else (
                    citation.ibid.strict, citation.ibid.intended, *citation.ibid.candidates))):
                if ref is not None:
                    assert ref.note <= note.number


def test_a_note_of_hostile_length_is_read_in_bounded_time() -> None:
    shapes = ["(" * 50_000, "“" * 50_000, "Ibid. " * 20_000, "AVPRF, f. 1, op. 2, d. 3, l. 4; " * 5_000,
              "a." * 100_000, "[" * 30_000 + "]" * 30_000, "x" * 1_000_000]
    for text in shapes:
        started = time.process_time()  # CPU seconds: a loaded machine slows the wall clock, not the work
        note = parse_note(1, text)
        assert time.process_time() - started < 5, text[:20]
        assert note.truncated == (len(text) > MAX_NOTE_CHARS)


# -- the YAML reader -----------------------------------------------------------------

YAML_TOKENS = [
    "a: ", "- ", "\n", "  ", "\t", "[", "]", "{", "}", ", ", "&x ", "*x", "!!python/object:os.system ", "!!str ",
    "!!binary ", "? ", "<<: ", "---\n", "...\n", "#", "'", '"', "\\", "|\n", ">\n", "%YAML 1.1\n", "1e9999", "0x",
    "~", "null", "yes", "\x07", "\ufeff", "é",
]


@HOSTILE
@given(st.one_of(st.binary(max_size=200), _text_from(YAML_TOKENS).map(str.encode)))
def test_the_yaml_reader_returns_plain_data_or_its_own_error(data: bytes) -> None:
    try:
        value = parse_yaml_bytes(data, "x.yaml")
    except CorpusError as exc:
        # YAML also breaks lines at NEL, LS and PS, and numbers them so (see the report).
        lines = len(re.split(rb"\n|\r\n?|\xc2\x85|\xe2\x80[\xa8\xa9]", data))
        assert all(p.file == "x.yaml" and (p.line is None or 1 <= p.line <= lines) for p in exc.problems)
        return
    _assert_plain(value)


def _assert_plain(value: object) -> None:
    if isinstance(value, LocDict):
        for key, item in value.items():
            assert isinstance(key, str)
            _assert_plain(item)
    elif isinstance(value, LocList):
        for item in value:
            _assert_plain(item)
    else:
        assert value is None or isinstance(value, (str, int, float, bool)), type(value)


# PyYAML's emitter writes NEL, LS and PS unescaped, and YAML reads them as line
# breaks: a round trip through the library cannot keep them, whoever reads it.
# Lone surrogates are not UTF-8, so no file can hold them.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), max_size=12)
KEY = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=8)
PLAIN = st.recursive(
    st.one_of(TEXT, st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=4)),
    max_leaves=20,
)


@HOSTILE
@given(st.dictionaries(KEY, PLAIN, min_size=1, max_size=5))
def test_yaml_written_by_a_yaml_library_reads_back_with_the_line_of_each_key(data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    value = parse_yaml_bytes(text.encode(), "x.yaml")
    assert value == data
    # The key's own node says where the library put it.
    where = {key.value: key.start_mark.line + 1 for key, _value in yaml.compose(text).value}
    assert value.key_lines == where


# -- EDTF -------------------------------------------------------------------------------

EDTF_TOKENS = ["1950", "-", "06", "25", "/", "~", "?", "%", "X", "..", "[", "]", "{", "}", ",", "Y", "T", ":", "0"]


@HOSTILE
@given(_text_from(EDTF_TOKENS))
def test_edtf_parses_or_says_why(text: str) -> None:
    try:
        date = parse_edtf(text)
    except EdtfError:
        return
    assert date.lower <= date.upper
    assert date.display()


@HOSTILE
@given(st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["day", "month", "year"]))
def test_a_calendar_date_has_exactly_its_own_bounds(day: dt.date, precision: str) -> None:
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
    date = parse_edtf(text)
    assert date.lower <= day <= date.upper
    assert date.precision == precision
