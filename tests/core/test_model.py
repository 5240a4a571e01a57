"""The corpus's reverse indexes: built on first use, equal to a whole build, kept by edits once built."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from explorer.core.loader import load_corpus
from explorer.core.model import _MULTIMAPS, Corpus
from tests.support.corpora import write_corpus
from tools.synthetic import generate_corpus


def _fresh(corpus: Corpus) -> Corpus:
    """The same records in a new Corpus: nothing built yet."""
    return Corpus(corpus.path, corpus.manifest, corpus.essay, corpus.events, corpus.documents, corpus.people,
                  corpus.sources, corpus.places, corpus.catalog)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(generate_corpus(tmp_path_factory.mktemp("gen") / "c", 60).path)


def test_a_reverse_index_is_built_when_first_read_and_holds_every_pairing(generated: Corpus) -> None:
    corpus = _fresh(generated)
    assert not set(_MULTIMAPS) & set(vars(corpus))  # none built by opening
    by_person = corpus.events_by_person
    assert "events_by_person" in vars(corpus) and corpus.events_by_person is by_person  # built once
    pairs = {(p, e.id) for e in corpus.events for p in e.participants}
    assert {(p, e) for p, ids in by_person.items() for e in ids} == pairs
    for ids in by_person.values():  # in the corpus's (date) order
        assert list(ids) == [e.id for e in corpus.events if e.id in ids]
    by_footnote = corpus.documents_by_footnote
    assert {(n, d) for n, ids in by_footnote.items() for d in ids} == {
        (n, d.id) for d in corpus.documents for n in d.footnotes}


def test_an_unknown_attribute_is_still_an_error(generated: Corpus) -> None:
    with pytest.raises(AttributeError, match="events_by_nothing"):
        _ = generated.events_by_nothing  # type: ignore[attr-defined]


@pytest.mark.parametrize("built", [(), ("events_by_person", "events_by_document"), tuple(_MULTIMAPS)],
                         ids=["none built", "some built", "all built"])
def test_an_edit_keeps_the_built_indexes_and_leaves_the_others_to_be_built(generated: Corpus, built) -> None:
    corpus = _fresh(generated)
    for name in built:
        getattr(corpus, name)
    event, gone = corpus.events[2], corpus.events[7]
    moved = dataclasses.replace(event, date=corpus.events[-1].date, participants=(corpus.people[0].id,),
                                documents=(corpus.documents[0].id,))
    edited = corpus.updated({"events": {event.id: moved, gone.id: None}})
    assert set(_MULTIMAPS) & set(vars(edited)) == set(built)
    expected = _fresh(edited)
    assert edited == expected
    for name in _MULTIMAPS:
        assert getattr(edited, name) == getattr(expected, name), name
    assert edited.events_by_document[corpus.documents[0].id].count(event.id) == 1
    assert all(gone.id not in edited.events_by_document.get(d, ()) for d in gone.documents)


def test_the_tiny_corpus_indexes(tmp_path: Path) -> None:
    corpus = load_corpus(write_corpus(tmp_path / "tiny"))
    assert corpus.events_by_person["stalin"] == tuple(e.id for e in corpus.events if "stalin" in e.participants)
    assert corpus.events_by_person["kim"] == ("ev-march",)


def test_records_read_from_yaml_share_the_ids_they_repeat(generated: Corpus) -> None:
    # What keeps a large corpus small when it opens from its YAML (the cache shares them too:
    # tests/core/test_corpus_cache.py): one string per id, however many records name it.
    person = next(p for p in generated.people if p.id in generated.events_by_person)
    naming = [e for e in generated.events if person.id in e.participants]
    assert all(next(x for x in e.participants if x == person.id) is person.id for e in naming)
    kinds = [d.kind for d in generated.documents]
    assert len({id(k) for k in kinds}) == len(set(kinds))


def test_indexes_built_in_steps_equal_indexes_built_on_demand(generated: Corpus) -> None:
    """Built a few records at a step (as a window does while idle), each index equals a fresh one
    read on demand, keys and values in the same order; one read meanwhile is kept, not built twice."""
    on_demand = _fresh(generated)
    stepped = _fresh(generated)
    steps = stepped.index_steps(step=7)
    assert next(steps) in _MULTIMAPS
    with_records = {name for name, (kind, _) in _MULTIMAPS.items() if getattr(stepped, kind)}
    assert not with_records & set(vars(stepped))  # an index is set only when complete
    read_meanwhile = stepped.events_by_footnote
    names = [next(steps), *steps]
    assert len(names) > len(_MULTIMAPS)  # more than one step an index
    assert set(_MULTIMAPS) <= set(vars(stepped))
    assert stepped.events_by_footnote is read_meanwhile
    for name, (kind, keys) in _MULTIMAPS.items():
        # The reference: key -> the distinct ids paired with it, keys and ids in the records' order.
        expected: dict[object, dict[str, None]] = {}
        for record in getattr(generated, kind):
            for key in keys(record):
                expected.setdefault(key, {})[record.id] = None
        reference = [(key, tuple(ids)) for key, ids in expected.items()]
        assert list(getattr(stepped, name).items()) == reference, name
        assert list(getattr(on_demand, name).items()) == reference, name
    assert list(stepped.index_steps()) == []  # nothing left to build
