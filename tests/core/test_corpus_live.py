"""The live corpus follows each edit: what updated_corpus gives equals what loading the saved files gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from explorer.core.corpus_edit import Edit, EditableCorpus, SetField, touched
from explorer.core.corpus_live import FIELD_OF_KIND, updated_corpus
from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from tests.core.test_corpus_edit import _edits, corpus  # noqa: F401  (the fixture)


def _records(c: Corpus) -> dict[str, tuple[object, ...]]:
    return {name: getattr(c, name) for name in FIELD_OF_KIND.values()}


def _indexes(c: Corpus) -> dict[str, object]:
    """Every index Corpus keeps (the fields it computes), values in their order."""
    return {f.name: getattr(c, f.name) for f in fields(c) if not f.init}


def _more_edits() -> list[tuple[str, Callable[[EditableCorpus], Edit]]]:
    """Edits that move an event in date order, or change what the reverse indexes hold."""
    return [
        ("redate", lambda c: SetField("events", "yalta-agreement-1945", "date", "1950-06-26")),
        ("participants",
         lambda c: SetField("events", "yalta-agreement-1945", "participants", ["stalin", "kim-il-sung"])),
        ("senders", lambda c: SetField("documents", "stalin-shtykov-1950-06-21-plan", "senders", ["kim-il-sung"])),
    ]


@pytest.mark.parametrize("make", [m for _, m in _edits() + _more_edits()],
                         ids=[n for n, _ in _edits() + _more_edits()])
def test_the_live_corpus_equals_the_saved_one(corpus: Path, make: Callable[[EditableCorpus], Edit]) -> None:  # noqa: F811
    before = load_corpus(corpus)
    editable = EditableCorpus(corpus)
    edit = make(editable)
    edit.apply(editable)
    live = updated_corpus(before, editable, touched(edit))
    editable.save()
    saved = load_corpus(corpus)
    assert _records(live) == _records(saved)
    assert _indexes(live) == _indexes(saved)  # updated for the touched records alone, yet the same
    # what changed is known without comparing records (the panes follow by it), for the step it was
    changed = live.changed_since(before)
    assert changed is not None and {(k, i) for k, ids in changed.items() for i in ids} == {
        (name, rid) for kind, rid in touched(edit) for name in [FIELD_OF_KIND[kind]]}
    assert live.changed_since(saved) is None
    # untouched records are the very objects they were: one edit costs one record's reading
    kept = [e for e in before.events if ("events", e.id) not in touched(edit)]
    assert all(live.event_by_id[e.id] is e for e in kept if e.id in live.event_by_id)


def test_an_invalid_edit_is_refused_with_the_checkers_message(corpus: Path) -> None:  # noqa: F811
    before = load_corpus(corpus)
    editable = EditableCorpus(corpus)
    edit = SetField("events", "yalta-agreement-1945", "date", "in the spring")
    edit.apply(editable)
    with pytest.raises(CorpusError) as info:
        updated_corpus(before, editable, touched(edit))
    assert "events.yaml" in info.value.problems[0].file
    assert "date" in str(info.value)


def test_an_edit_that_names_a_missing_record_is_refused(corpus: Path) -> None:  # noqa: F811
    before = load_corpus(corpus)
    editable = EditableCorpus(corpus)
    edit = SetField("events", "yalta-agreement-1945", "participants", ["nobody-at-all"])
    edit.apply(editable)
    with pytest.raises(CorpusError, match="nobody-at-all"):
        updated_corpus(before, editable, touched(edit))
