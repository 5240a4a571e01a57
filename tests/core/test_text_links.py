"""Links from the essay's text: a new event from selected words, a quote added, a note linked (core, no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.corpus_edit import EditableCorpus, touched
from explorer.core.corpus_live import updated_corpus
from explorer.core.drafting.records import sentence_date
from explorer.core.loader import load_corpus
from explorer.core.text_links import (
    add_quote,
    insert_event,
    link_note,
    new_event,
    new_event_from_selection,
    selected_words,
)
from tests.support.corpora import write_corpus


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "tiny")


def _words(corpus, passage_id: str, words: str):
    text = corpus.passage(passage_id).text
    start = text.index(words)
    return selected_words(corpus, passage_id, start - 1 if start else start, start + len(words) + 1)


def test_a_new_event_is_anchored_by_the_words_and_dated_from_its_sentence(root: Path) -> None:
    corpus = load_corpus(root)
    selected = _words(corpus, "p02", "Stalin said he was")
    assert selected.text == "Stalin said he was"  # the spaces around the selection are left out
    record, proposed = new_event(corpus, selected)
    assert record["passages"] == [{"passage": "p02", "quote": "Stalin said he was"}]
    assert corpus.passage("p02").text.count(record["passages"][0]["quote"]) == 1
    assert (record["date"], record["date_label"], proposed.found_in) == ("1950-01-30", "30 January 1950", "sentence")
    assert record["title"] == "Stalin said he was" and "draft" not in record
    assert record["footnotes"] == [2]  # the note marked in the sentence
    assert record["id"] == "1950-01-30-stalin-said-he-was"
    editable = EditableCorpus(root)
    edit = insert_event(record)
    edit.apply(editable)
    new = updated_corpus(corpus, editable, touched(edit))  # valid as explorer check reads it
    assert new.event_by_id[record["id"]].passages[0].text == "Stalin said he was"
    again, _ = new_event(new, selected)
    assert again["id"] == "1950-01-30-stalin-said-he-was-2"  # ids stay unique


def test_a_sentence_without_a_date_takes_its_paragraphs_or_the_narratives(root: Path) -> None:
    corpus = load_corpus(root)
    refused = corpus.passage("p01").text.index("Stalin refused")
    paragraph = sentence_date(corpus.essay, corpus.documents, "p01", refused, refused + 14)
    assert paragraph is not None and (paragraph.date.text, paragraph.found_in) == ("1949-03", "paragraph")


def test_nothing_selected_is_refused(root: Path) -> None:
    corpus = load_corpus(root)
    with pytest.raises(ValueError, match="select some words"):
        selected_words(corpus, "p01", 3, 3)
    with pytest.raises(ValueError, match="no passage"):
        selected_words(corpus, "p99", 0, 3)


def test_a_quote_is_added_once_under_the_files_own_key(root: Path) -> None:
    corpus = load_corpus(root)
    editable = EditableCorpus(root)
    selected = _words(corpus, "p02", "Stalin said")
    edit = add_quote(editable, "documents", "doc-jan", selected)
    edit.apply(editable)
    text = editable.render("documents")
    assert 'text: "Stalin said"' in text  # as documents.yaml writes a quote's words: text:, quoted
    assert updated_corpus(corpus, editable, touched(edit)).document_by_id["doc-jan"].quotes[-1].text == "Stalin said"
    with pytest.raises(ValueError, match="already quotes"):
        add_quote(editable, "documents", "doc-jan", selected)
    edit.revert(editable)
    assert "Stalin said\n" not in editable.render("documents")


def test_a_note_is_linked_in_order_once(root: Path) -> None:
    editable = EditableCorpus(root)
    edit = link_note(editable, "doc-jan", 1)
    edit.apply(editable)
    assert list(editable.record("documents", "doc-jan")["footnotes"]) == [1, 2]
    with pytest.raises(ValueError, match="already linked"):
        link_note(editable, "doc-jan", 2)


def test_a_paragraph_without_a_date_takes_the_year_the_essay_had_reached(tmp_path: Path) -> None:
    from tests.support.corpora import TINY_ESSAY

    first, second, rest = TINY_ESSAY.split("\n\n", 2)
    essay = "\n\n".join((first, second, "Kim waited for the spring.", rest))
    corpus = load_corpus(write_corpus(tmp_path / "c", essay=essay))
    waited = next(p for p in corpus.essay.passages if p.text.startswith("Kim waited"))
    record = new_event_from_selection(corpus, waited.id, 0, len("Kim waited"))
    assert record["date"] == "1950?" and "date_label" not in record  # uncertain, and no words of its own
    assert record["id"] == "1950-kim-waited" and record["summary"] == "Kim waited for the spring."
    assert sentence_date(corpus.essay, corpus.documents, waited.id, 0).found_in == "narrative"
