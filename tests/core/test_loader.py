"""Loading and validating corpus folders: each kind of bad file names its file and line."""

from __future__ import annotations

import textwrap

import pytest

from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from tests.support.corpora import TINY_FILES


def _problems(path):
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    return info.value.problems


def _first_in(problems, filename):
    return next(p for p in problems if p.file.endswith(filename))


def _events(body: str) -> dict[str, str]:
    return {"events.yaml": "events:\n" + body}


GOOD_EVENT = """\
  - id: ev-a
    date: "1950-01-30"
    title: A
    summary: S
    passages:
      - passage: p02
        quote: "On 30 January 1950"
"""


def test_valid_tiny_corpus(tiny_corpus_dir):
    corpus = load_corpus(tiny_corpus_dir)
    assert corpus.counts() == {"passages": 2, "footnotes": 2, "endnotes": 0, "events": 2, "documents": 2, "people": 4,
                               "sources": 1, "places": 1, "drafts": 0}
    assert [e.id for e in corpus.events] == ["ev-march", "ev-january"]
    assert corpus.events_by_document["doc-sept"] == ("ev-march", "ev-january")
    assert corpus.documents_by_footnote[1] == ("doc-sept",)
    assert corpus.sources_by_footnote[1] == ("weathersby-1995",)
    assert corpus.events_by_passage["p02"] == ("ev-january",)
    assert corpus.events_by_person["stalin"] == ("ev-march", "ev-january")
    assert corpus.unaccounted_footnotes() == ()
    doc = corpus.document_by_id["doc-sept"]
    assert doc.locations[0].short() == "AVPRF, f. 059a, op. 5a, d. 4, p. 11, ll. 136-138"
    assert doc.locations[0].full() == "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138"
    assert corpus.document_by_id["doc-jan"].locations[0].short().endswith("l. 92")
    assert corpus.kind_of("fn2") == "footnote" and corpus.kind_of("doc-jan") == "document"


def test_unknown_key(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT + "    colour: red\n")))
    assert p.file.endswith("events.yaml") and p.line == 9 and p.key == "colour"
    assert "unknown key 'colour'" in p.message


def test_wrong_type(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT.replace("title: A", "title: [a, b]"))))
    assert (p.line, p.key) == (4, "title") and "must be text" in p.message


def test_missing_required_field(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT.replace("    summary: S\n", ""))))
    assert (p.line, p.key) == (2, "summary") and "ev-a" in p.message


def test_duplicate_ids(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT + GOOD_EVENT)))
    assert (p.line, p.key) == (9, "id") and "duplicate id 'ev-a' (first at line 2)" in p.message


def test_reference_to_missing_id(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT + "    documents: [doc-jan, doc-nowhere]\n")))
    assert p.file.endswith("events.yaml") and p.line == 9
    assert "'doc-nowhere' is not an id in documents.yaml" in p.message


def test_invalid_edtf(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT.replace('"1950-01-30"', '"1950-02-30"'))))
    assert (p.line, p.key) == (3, "date") and "Feb 1950 has no day 30" in p.message


def test_quote_not_verbatim(make_corpus):
    (p,) = _problems(make_corpus(_events(GOOD_EVENT.replace("On 30 January 1950", "On 30 Jan 1950"))))
    assert (p.line, p.key) == (8, "quote") and "not a verbatim part of passage p02" in p.message


def test_missing_footnote_and_passage(make_corpus):
    body = GOOD_EVENT.replace("passage: p02", "passage: p99") + "    footnotes: [7]\n"
    problems = _problems(make_corpus(_events(body)))
    assert {(p.line, p.message) for p in problems} == {
        (7, "the essay has no passage 'p99'"),
        (9, "the essay has no footnote 7"),
    }


def test_every_problem_at_once_across_files(make_corpus):
    overrides = _events(GOOD_EVENT.replace("title: A", "title: [x]") + "    bogus: 1\n")
    overrides["places.yaml"] = "places:\n  - id: moscow\n    name: Moscow\n  - id: moscow\n    name: Again\n"
    problems = _problems(make_corpus(overrides))
    files = {p.file.rsplit("/", 1)[-1] for p in problems}
    assert files == {"events.yaml", "places.yaml"}
    assert len(problems) == 3


def test_yaml_syntax_error_has_line(make_corpus):
    p = _first_in(_problems(make_corpus({"people.yaml": "people:\n  - id: a\n    name: [unclosed\n"})), "people.yaml")
    assert p.file.endswith("people.yaml") and p.line == 4 and "YAML syntax error" in p.message


def test_file_that_is_a_list(make_corpus):
    p = _first_in(_problems(make_corpus({"places.yaml": "- id: moscow\n  name: Moscow\n"})), "places.yaml")
    assert p.file.endswith("places.yaml") and p.line == 1 and "must be a mapping" in p.message


def test_empty_file(make_corpus):
    p = _first_in(_problems(make_corpus({"places.yaml": ""})), "places.yaml")
    assert p.file.endswith("places.yaml") and "empty" in p.message


def test_duplicate_keys_and_python_tags(make_corpus):
    overrides = {
        "places.yaml": "places:\n  - id: x\n    name: X\n    name: Y\n",
        "people.yaml": "people:\n  - id: a\n    name: !!python/object/apply:os.system [echo hi]\n",
    }
    problems = _problems(make_corpus(overrides))
    assert any(p.file.endswith("places.yaml") and p.line == 4 and "duplicate key" in p.message for p in problems)
    assert any(p.file.endswith("people.yaml") and p.line == 3 and "not allowed" in p.message for p in problems)


def test_manifest_problems(make_corpus):
    manifest = TINY_FILES["corpus.yaml"].replace("format: tika-text", "format: pdf")
    (p,) = _problems(make_corpus({"corpus.yaml": manifest}))
    assert p.file.endswith("corpus.yaml") and p.key == "format"


def test_missing_manifest_and_folder(make_corpus, tmp_path):
    (p,) = _problems(tmp_path / "nowhere")
    assert "does not exist" in p.message
    (p,) = _problems(make_corpus({"corpus.yaml": None}))
    assert p.file.endswith("corpus.yaml") and "cannot read" in p.message


def test_essay_outside_the_folder_is_refused(make_corpus):
    manifest = TINY_FILES["corpus.yaml"].replace("source: essay.txt", "source: ../../etc/passwd")
    (p,) = _problems(make_corpus({"corpus.yaml": manifest}))
    assert p.key == "source" and "inside the corpus folder" in p.message


def test_essay_errors_surface_through_the_loader(make_corpus):
    problems = _problems(make_corpus(essay="Text.[footnoteRef:1]\n"))
    assert any(p.file.endswith("essay.txt") and p.line == 1 for p in problems)


def test_commentary_is_read(make_corpus):
    manifest = textwrap.dedent(TINY_FILES["corpus.yaml"]) + "commentary:\n  - footnote: 2\n    reason: a remark\n"
    corpus = load_corpus(make_corpus({"corpus.yaml": manifest}))
    assert corpus.manifest.commentary == {2: "a remark"}


def test_a_record_that_is_not_a_mapping_has_its_line(make_corpus):
    docs = TINY_FILES["documents.yaml"].replace("        documents:\n", "        documents:\n          - just text\n")
    problems = _problems(make_corpus({"documents.yaml": docs}))
    (p,) = [p for p in problems if "must be a mapping" in p.message]
    assert p.file.endswith("documents.yaml") and p.line == 2


def test_a_quote_that_is_not_a_mapping_has_its_line(make_corpus):
    events = TINY_FILES["events.yaml"].replace("              - passage: p01\n                quote: \"In March 1949 "
                                               "Kim asked Stalin for leave to attack.\"\n", "              - p01\n")
    problems = _problems(make_corpus({"events.yaml": events}))
    (p,) = [p for p in problems if "must be a mapping" in p.message]
    assert p.line == 9


def test_check_refuses_an_essay_whose_notes_do_not_add_up(make_corpus):
    from tests.support.corpora import TINY_ESSAY

    essay = TINY_ESSAY.replace("Vyshinsky, 3 September", "Vyshinsky [sic, 3 September")  # note 1 never closed
    problems = _problems(make_corpus(essay=essay))
    assert any(p.file.endswith("essay.txt") and p.key == "footnote 1" and "not closed before the reference to "
               "footnote 2" in p.message for p in problems)


def test_a_cr_only_file_with_a_bad_byte_names_the_right_line():
    from explorer.core.textfile import decode_text

    for data in (b"one\rtwo\rthr\xffee\r", b"one\r\ntwo\r\nthr\xffee\r\n", b"one\ntwo\nthr\xffee\n"):
        with pytest.raises(CorpusError) as info:
            decode_text(data, "essay.txt")
        (p,) = info.value.problems
        assert (p.line, p.column) == (3, 4), data
