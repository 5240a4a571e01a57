"""Linking records from the essay's text: a new event from selected words, a quote added to a record,
a note linked to a document.

The reader selects words in the essay; the window hands over the passage
and the character offsets (Python string indexes of the passage's text).
Everything here reads the live :class:`Corpus` and returns a record mapping
or a core :class:`Edit` for the window's edit session; nothing knows Qt.
A quote is always the passage's text verbatim, which the loader checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from explorer.core.anchors import sentence_span
from explorer.core.corpus_edit import Edit, EditableCorpus, InsertRecord, SetField
from explorer.core.corpus_save import plain
from explorer.core.drafting.records import SentenceDate, sentence_date, slug
from explorer.core.model import Corpus

__all__ = ["QUOTE_FIELDS", "Selected", "add_quote", "insert_event", "link_note", "new_event",
           "new_event_from_selection", "selected_words"]

#: The field of each kind that holds its quotes of the essay.
QUOTE_FIELDS = {"events": "passages", "documents": "quotes"}
_QUOTE_KEYS = {"events": "quote", "documents": "text"}  # the schema's examples, for a file with no quote yet
#: The longest title proposed from a selection.
TITLE_LIMIT = 120


@dataclass(frozen=True, slots=True)
class Selected:
    """Words selected in one passage: characters *start* to *end* of its text, and the text."""

    passage: str
    start: int
    end: int
    text: str


def selected_words(corpus: Corpus, passage_id: str, start: int, end: int) -> Selected:
    """The selection *start* to *end* of a passage, without the spaces around it.

    ValueError, with a reason to show the reader, if there is no such
    passage or no words are selected.
    """
    passage = corpus.passage(passage_id)
    if passage is None:
        raise ValueError(f"the essay has no passage {passage_id!r}")
    start, end = max(0, min(start, end)), min(len(passage.text), max(start, end))
    while start < end and passage.text[start].isspace():
        start += 1
    while end > start and passage.text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("select some words of the essay first")
    return Selected(passage_id, start, end, passage.text[start:end])


def _title(words: str) -> str:
    words = " ".join(words.split()).strip(" ,;:–—-")
    if len(words) > TITLE_LIMIT:
        words = words[:TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return words[:1].upper() + words[1:]


def _unique(base: str, corpus: Corpus, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken or corpus.kind_of(candidate) is not None:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def new_event(corpus: Corpus, selected: Selected, taken: set[str] | None = None) -> tuple[dict[str, Any], SentenceDate]:
    """The event the reader makes from *selected* words: anchored to their sentence by the words
    themselves, titled with them, dated as drafting dates that sentence (:func:`sentence_date`), with
    the notes marked in the sentence; not a draft (the reader made it). Its id is new in the corpus
    (and not in *taken*). Returns the record mapping and where its date came from.

    ValueError if no date can be proposed (the essay dates nothing up to there).
    """
    passage = corpus.passage(selected.passage)
    assert passage is not None  # selected_words checked it
    proposed = sentence_date(corpus.essay, corpus.documents, selected.passage, selected.start, selected.end)
    if proposed is None:
        raise ValueError("neither the sentence nor the essay before it gives a date to propose")
    span = sentence_span(passage.text, selected.start, selected.end)
    sentence = passage.text[span.start:span.end]
    notes = [m.number for m in passage.markers if span.start < m.offset <= span.end]
    day = re.sub(r"[?~%]", "", proposed.date.text.split("/")[0])
    base = "-".join(x for x in (day, slug(selected.text, 4, drop_stopwords=True)) if x) or "event"
    record: dict[str, Any] = {"id": _unique(base, corpus, taken or set()), "date": proposed.date.text}
    if proposed.label:
        record["date_label"] = proposed.label
    record["title"] = _title(selected.text)
    record["summary"] = sentence
    record["passages"] = [{"passage": selected.passage, "quote": selected.text}]
    if notes:
        record["footnotes"] = notes
    return record, proposed


def new_event_from_selection(corpus: Corpus, passage_id: str, start: int, end: int) -> dict[str, Any]:
    """The record mapping of a new event from characters *start* to *end* of a passage (see :func:`new_event`)."""
    return new_event(corpus, selected_words(corpus, passage_id, start, end))[0]


def add_quote(editable: EditableCorpus, kind: str, record_id: str, selected: Selected) -> Edit:
    """The edit adding *selected* words as a quote of the event or document *record_id*.

    ValueError if the record already quotes exactly these words of the passage.
    """
    key = QUOTE_FIELDS.get(kind)
    if key is None:
        raise ValueError(f"only events and documents hold quotes, not {kind}")
    record = editable.record(kind, record_id)
    quotes = list(record.get(key) or [])
    new = {"passage": selected.passage, _quote_key(editable, kind): selected.text}
    if any(isinstance(q, dict) and str(q.get("passage")) == selected.passage
           and str(q.get("quote", q.get("text"))) == selected.text for q in quotes):
        raise ValueError(f"{record_id} already quotes these words")
    return SetField(kind, record_id, key, [*quotes, new], f"Add a quote to {record_id}")


def _quote_key(editable: EditableCorpus, kind: str) -> str:
    """The key the kind's file writes a quote's words under (the loader reads ``quote`` and ``text``)."""
    for record in editable.records(kind):
        for q in (record.get(QUOTE_FIELDS[kind]) or []) if isinstance(record, dict) else []:
            if isinstance(q, dict):
                return "quote" if "quote" in q else "text"
    return _QUOTE_KEYS[kind]


def _note_order(value: Any) -> tuple[int, str]:
    return (int(value), "") if isinstance(value, int) and not isinstance(value, bool) else (1 << 30, str(value))


def link_note(editable: EditableCorpus, document_id: str, number: int) -> Edit:
    """The edit adding note *number* to the footnotes of *document_id* (the notes citing it, in order).

    ValueError if the document already lists it.
    """
    record = editable.record("documents", document_id)
    footnotes = list(record.get("footnotes") or [])
    if any(plain(n) == plain(number) for n in footnotes):
        raise ValueError(f"note {number} is already linked to {document_id}")
    return SetField("documents", document_id, "footnotes", sorted([*footnotes, number], key=_note_order),
                    f"Link note {number} to {document_id}")


def insert_event(record: dict[str, Any]) -> Edit:
    """The edit adding the new event *record* (see :func:`new_event`) at the end of the events."""
    return InsertRecord("events", record, description=f"New event {record['id']}")
