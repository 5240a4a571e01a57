"""The Tika/POI text importer, on the seed essay and on hand-made sources."""

from __future__ import annotations

import re

import pytest

from explorer.core.errors import CorpusError
from explorer.core.essay import BODY, EDITORIAL
from explorer.core.essay_import import import_tika_text, read_essay_file
from explorer.core.textfile import decode_text
from tests.conftest import DEFAULT_CORPUS

SEED = DEFAULT_CORPUS / "essay.txt"


@pytest.fixture(scope="module")
def seed():
    return read_essay_file(SEED)


def test_seed_counts(seed):
    assert len(seed.body_passages) == 28
    assert [p.kind for p in seed.passages].count(EDITORIAL) == 1
    assert seed.passages[-1].kind == EDITORIAL
    assert seed.passages[-1].text.startswith("Note: An earlier version of this paper")
    assert [f.number for f in seed.footnotes] == list(range(1, 27))


def test_seed_every_footnote_cited_exactly_once(seed):
    cited = [m.number for p in seed.passages for m in p.markers]
    assert sorted(cited) == list(range(1, 27))


def test_seed_passage_ids_are_stable_and_ordered(seed):
    assert [p.id for p in seed.passages] == [f"p{i:02d}" for i in range(1, 30)]
    assert [p.index for p in seed.passages] == list(range(29))


def test_seed_clean_text_has_no_markers_and_normal_whitespace(seed):
    for p in seed.passages:
        assert "[footnoteRef" not in p.text and "[bookmark" not in p.text
        assert not re.search(r"\s{2,}|\t", p.text), p.id
        assert p.text == p.text.strip()
    for f in seed.footnotes:
        assert not re.search(r"\s{2,}|\t", f.text)
        assert not f.text.startswith(("[", " "))


def test_seed_typographic_quotes_are_kept(seed):
    p07 = seed.passage("p07")
    assert "“he himself cannot begin an attack" in p07.text
    assert "Moscow’s" in seed.passage("p04").text or "Moscow’s" in p07.text


def test_seed_marker_offsets_point_after_the_cited_words(seed):
    expected_before = {
        1: "analyze these records.",
        8: "the order of Comrade Stalin is law.”",
        11: "there would not be too great a risk.”",
        13: "arrived in Moscow the previous month.",
        18: "will draw the concrete plan for the offensive.”",
        26: "an immediate advance along the whole front line.”",
    }
    for number, before in expected_before.items():
        note = seed.footnote(number)
        passage = seed.passage(note.passage_id)
        assert passage.text[: note.offset].endswith(before), number


@pytest.mark.parametrize(
    ("number", "passage_id"),
    [(1, "p01"), (2, "p02"), (6, "p06"), (7, "p06"), (8, "p07"), (10, "p09"), (11, "p10"), (12, "p11"),
     (13, "p13"), (14, "p13"), (15, "p14"), (19, "p19"), (21, "p21"), (22, "p21"), (23, "p22"),
     (24, "p23"), (25, "p23"), (26, "p23")],
)
def test_seed_footnotes_placed_in_the_right_passage(seed, number, passage_id):
    assert seed.footnote(number).passage_id == passage_id


def test_seed_nested_brackets_stay_inside_the_body(seed):
    n8 = seed.footnote(8).text
    assert "[hereafter AVPRF]" in n8
    assert n8.endswith("Available online at www.cwihp.org.")
    n10 = seed.footnote(10).text
    assert n10.startswith("Ciphered telegram from [Soviet Ambassador to the DPRK] Shtykov to [Soviet Foreign Minister]")
    assert "[Charge d’affairs of the Soviet embassy in Pyongyang] Tunkin" in n10
    assert seed.footnote(14).text.count("[Hereafter APRF]") == 1


def test_seed_footnote_lines_are_source_lines(seed):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for f in seed.footnotes:
        assert f"[{f.number}:" in lines[f.line - 1]


def test_minimal_source():
    essay = import_tika_text("One.[footnoteRef:1] Two.\n[1: A note [with brackets].]\n")
    (p,) = essay.passages
    assert p.text == "One. Two."
    assert p.markers[0].offset == 4
    assert essay.footnote(1).text == "A note [with brackets]."
    assert p.kind == BODY


def test_endnote_references_are_read():
    essay = import_tika_text("Text.[endnoteRef:1]\n[1: End.]")
    assert essay.footnote(1).passage_id == "p01"


def test_body_may_span_lines():
    essay = import_tika_text("Claim.[footnoteRef:1] [1: First line\nsecond line.]\nNext paragraph.")
    assert essay.footnote(1).text == "First line second line."
    assert [p.text for p in essay.passages] == ["Claim.", "Next paragraph."]


def test_crlf_and_bom_are_read():
    text = decode_text("\ufeffA.[footnoteRef:1]\r\n[1: B.]\r\n".encode(), "x.txt")
    assert import_tika_text(text).footnote(1).text == "B."


def _problems(text):
    with pytest.raises(CorpusError) as info:
        import_tika_text(text, "essay.txt")
    return info.value.problems


def test_reference_with_no_body():
    (p,) = _problems("Intro.\nClaim.[footnoteRef:3] More.\n")
    assert (p.file, p.line, p.column) == ("essay.txt", 2, 7)
    assert "footnote 3 is referenced but has no body" in p.message


def test_body_with_no_reference():
    (p,) = _problems("Claim.\n\n[4: Orphan body.]\n")
    assert (p.line, p.column) == (3, 1)
    assert "has a body but is never referenced" in p.message


def test_duplicate_reference_numbers():
    problems = _problems("A.[footnoteRef:1]\nB.[footnoteRef:1] [1: x]\n")
    assert any(p.line == 2 and "referenced twice" in p.message for p in problems)


def test_duplicate_bodies():
    problems = _problems("A.[footnoteRef:1] [1: x]\n[1: y]\n")
    assert any(p.line == 2 and "has two bodies" in p.message and "line 1" in p.message for p in problems)


def test_unclosed_body():
    problems = _problems("A.[footnoteRef:1]\n\n[1: never [closed]\n")
    assert any(p.line == 3 and p.column == 1 and "never closed" in p.message for p in problems)


def test_every_problem_is_reported_at_once():
    problems = _problems("A.[footnoteRef:1] B.[footnoteRef:2]\n[3: z]\n")
    messages = " | ".join(p.message for p in problems)
    assert "footnote 1" in messages and "footnote 2" in messages and "footnote 3" in messages


def test_empty_and_binary_sources():
    with pytest.raises(CorpusError, match="no text"):
        import_tika_text("\n\n  \n")
    with pytest.raises(CorpusError, match="NUL"):
        import_tika_text("abc\x00def")
    with pytest.raises(CorpusError, match="binary"):
        decode_text(b"\x00\x01\x02", "x.bin")


def test_non_utf8_names_line_and_column():
    with pytest.raises(CorpusError) as info:
        decode_text(b"fine\nbad \xff here", "x.txt")
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 5)
    assert "0xff" in p.message


def test_literal_brackets_in_essay_text_are_kept():
    essay = import_tika_text("He wrote [sic] and [bookmark: x]went on.")
    assert essay.passages[0].text == "He wrote [sic] and went on."


def test_editorial_note_only_when_last():
    essay = import_tika_text("Note: this is first.\nBody text.")
    assert [p.kind for p in essay.passages] == [BODY, BODY]
