"""Editing a corpus: reversible edits of its YAML records, and saving them.

:class:`EditableCorpus` holds a corpus folder's record files as round-trip
YAML (:class:`explorer.core.corpus_save.YamlFile`). Every change is an
:class:`Edit` object with ``apply`` and ``revert``: ``revert`` puts back the
very objects ``apply`` took out, at the same places, so after apply then
revert the files save byte-identical. The window wraps each edit in a
``QUndoCommand``; nothing here knows Qt.

The edits a curator needs are built here from the records:

* :func:`confirm_draft` and :func:`confirm_drafts` remove the ``draft: true``
  key (one key) from one record, or from every draft of a kind;
* :func:`reject_draft` deletes a draft and every reference to it;
* :func:`merge_records` merges two records of a kind that are one (two people
  who are one person, two documents that are one telegram): every reference
  to the removed one is rewired to the kept one, lists are united, the removed
  one's name forms become the kept one's spellings, and a field the two give
  differently is kept in the kept one's note rather than lost;
* :func:`rename_record` gives a record a new id and rewires every reference
  to it;
* :class:`SetField` sets (or, with :data:`MISSING`, removes) one field.

:meth:`EditableCorpus.save` writes only the files that changed
(:mod:`explorer.core.corpus_save`).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString, SingleQuotedScalarString

from explorer.core.corpus_save import YamlFile, copy_for_saving, plain, read_only_reason, write_atomic
from explorer.core.errors import CorpusError, Problem
from explorer.core.gc_pause import gc_paused
from explorer.core.loader import RECORD_SCHEMAS, VALID_ID, validate_record
from explorer.core.text import shorten

__all__ = [
    "MISSING", "Composite", "DeleteRecord", "Edit", "EditableCorpus", "InsertRecord", "Reference", "SetField",
    "confirm_draft", "confirm_drafts", "merge_records", "read_for_editing", "references_to", "reject_draft",
    "rename_record", "touched", "validate_record",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: The value of a field that is not there: setting a field to it removes the key.
MISSING: Any = _Missing()


class Edit(Protocol):
    """One undoable change of the corpus's YAML records."""

    description: str

    def apply(self, corpus: EditableCorpus) -> None: ...

    def revert(self, corpus: EditableCorpus) -> None: ...


class EditableCorpus:
    """The record files of the corpus folder *root*, read for editing.

    Files are read when first needed (:meth:`file`): round-trip YAML is slow
    (about 2 s a megabyte), and most edits touch one or two kinds.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._files: dict[str, YamlFile] = {}
        self._positions: dict[str, dict[str, int]] = {}  # kind -> id -> index, checked before it is trusted

    def path(self, kind: str) -> Path:
        return self.root / f"{kind}.yaml"

    def file(self, kind: str) -> YamlFile:
        if kind not in RECORD_SCHEMAS:
            raise ValueError(f"unknown kind of record {kind!r}")
        if kind not in self._files:
            self._files[kind] = _read_record_file(self.root, kind)
        return self._files[kind]

    def unread(self) -> list[str]:
        """The kinds whose files are not read for editing yet."""
        return [kind for kind in RECORD_SCHEMAS if kind not in self._files]

    def adopt(self, root: Path, files: Mapping[str, YamlFile]) -> None:
        """Take files read elsewhere (by :func:`read_for_editing`, off the GUI thread) from the folder
        *root*; a kind read here meanwhile (and perhaps edited) keeps its own, and files of a folder this
        corpus is no longer in are ignored."""
        if Path(root) != self.root:
            return
        for kind, f in files.items():
            self._files.setdefault(kind, f)

    def records(self, kind: str) -> CommentedSeq:
        """The records of *kind*, in file order (the objects edits change)."""
        return self.file(kind).records()

    def index_of(self, kind: str, record_id: str) -> int:
        """Where the record *record_id* of *kind* is (the first, should two have the id); KeyError if nowhere."""
        records = self.records(kind)
        positions = self._positions.get(kind, {})
        index = positions.get(record_id)
        if index is None or index >= len(records) or not _has_id(records[index], record_id):
            positions = {}  # edits moved records or changed ids since: look again, once for every id
            for i, record in enumerate(records):
                if isinstance(record, dict):
                    positions.setdefault(str(record.get("id")), i)
            self._positions[kind] = positions
            index = positions.get(record_id)
        if index is None:
            raise KeyError(f"no {kind} record with the id {record_id!r}")
        return index

    def record(self, kind: str, record_id: str) -> CommentedMap:
        return self.records(kind)[self.index_of(kind, record_id)]

    def changed_kinds(self) -> list[str]:
        return [kind for kind, f in self._files.items() if f.changed()]

    def render(self, kind: str) -> str:
        """The text *kind*'s file would be saved as."""
        return self.file(kind).render()

    def validate(self, kind: str, record_id: str) -> list[Problem]:
        """The problems ``explorer check`` would report for one record as it is now (its references included)."""
        ids = {k: [str(r.get("id")) for r in self.records(k) if isinstance(r, dict)]
               for k in RECORD_SCHEMAS if any(f.ref == k for s in RECORD_SCHEMAS.values() for f in s.values())}
        return validate_record(kind, self.record(kind, record_id), ids=ids, file=str(self.path(kind)))

    def read_only_reason(self) -> str | None:
        """Why saving must make a copy first (see :func:`explorer.core.corpus_save.copy_for_saving`), or None."""
        return read_only_reason(self.root, [self.path(k) for k in self._files])

    def save_copy(self, name: str | None = None, copies: Path | None = None) -> Path:
        """"Save a copy…": copy the corpus folder into the user's data folder, save the edits there, and
        edit the copy from now on. Returns the copy's folder (see :func:`copy_for_saving`)."""
        copy_root = copy_for_saving(self.root, name, copies)
        self.save(copy_root)
        return copy_root

    def save(self, root: Path | str | None = None) -> list[Path]:
        """Write every changed file (into *root*, a copy of the corpus, if given); return the files written.

        A file changed on disk since it was read is not overwritten: the save
        stops with a :class:`CorpusError` and writes nothing.
        """
        target_root = Path(root) if root is not None else self.root
        pending: list[tuple[str, Path, bytes]] = []
        for kind, f in self._files.items():
            if not f.changed():
                continue
            target = target_root / f"{kind}.yaml"
            if target_root == self.root and os.path.lexists(target):
                try:
                    on_disk = target.read_bytes()
                except OSError as exc:
                    raise CorpusError.single(str(target), None, f"cannot read the file: {exc.strerror or exc}") from exc
                if on_disk != f.read_bytes:
                    raise CorpusError.single(str(target), None, "the file was changed by another program since it "
                                             "was opened; nothing was saved (reopen the corpus to see its changes)")
            pending.append((kind, target, f.rendered_bytes()))
        write_atomic((target, data) for _, target, data in pending)
        if target_root != self.root:  # the copy is now the corpus being edited
            self.root = target_root
            for f in self._files.values():
                f.path = self.path(str(f.section))
        for kind, _, data in pending:
            self._files[kind].saved(data)
        return [target for _, target, _ in pending]


def _read_record_file(root: Path, kind: str) -> YamlFile:
    path = root / f"{kind}.yaml"
    if not os.path.lexists(path):  # an import may have no curated records of this kind yet
        return YamlFile(path, f"{kind}: []\n".encode(), kind)
    # Millions of objects that live as long as the editing: not rescanned by every later collection
    with gc_paused(freeze=True):
        return YamlFile.read(path, kind)


def read_for_editing(root: Path | str, kinds: Iterable[str]) -> dict[str, YamlFile]:
    """The record files *kinds* of the corpus folder *root*, read for editing (round-trip YAML: about 2 s a
    megabyte). Touches no :class:`EditableCorpus`, so it may run in a worker thread; hand the result to
    :meth:`EditableCorpus.adopt`. :class:`CorpusError` if a file cannot be read."""
    return {kind: _read_record_file(Path(root), kind) for kind in kinds}


def _has_id(record: Any, record_id: str) -> bool:
    return isinstance(record, dict) and str(record.get("id")) == record_id


# -- the edits ---------------------------------------------------------------------------------


@dataclass
class SetField:
    """Set *key* of one record to *value*; :data:`MISSING` removes the key.

    A new value takes the old one's style (quoting, a flow list), or the style
    the same key has in the kind's other records; a new key goes where the
    schema's order puts it.
    """

    kind: str
    record_id: str
    key: str
    value: Any
    description: str = ""
    _old: Any = field(default=MISSING, init=False, repr=False)
    _position: int = field(default=-1, init=False, repr=False)

    def __post_init__(self) -> None:
        self.description = self.description or f"Set {self.key} of {self.record_id}"

    def apply(self, corpus: EditableCorpus) -> None:
        record = corpus.record(self.kind, self.record_id)
        keys = list(record)
        self._old = record.get(self.key, MISSING)
        self._position = keys.index(self.key) if self.key in record else -1
        if self.value is MISSING:
            if self.key in record:
                del record[self.key]
            return
        value = _styled(self.value, self._old if self._old is not MISSING else _sibling(corpus, self.kind, self.key))
        if self.key in record:
            record[self.key] = value
        else:
            record.insert(_schema_position(self.kind, keys, self.key), self.key, value)

    def revert(self, corpus: EditableCorpus) -> None:
        record = corpus.record(self.kind, self.record_id if self.key != "id" else str(self.value))
        if self.key in record:
            del record[self.key]
        if self._old is not MISSING:
            record.insert(self._position, self.key, self._old)


@dataclass
class DeleteRecord:
    """Delete one record (undo puts the same object back where it was)."""

    kind: str
    record_id: str
    description: str = ""
    _record: Any = field(default=None, init=False, repr=False)
    _index: int = field(default=-1, init=False, repr=False)

    def __post_init__(self) -> None:
        self.description = self.description or f"Delete {self.record_id}"

    def apply(self, corpus: EditableCorpus) -> None:
        self._index = corpus.index_of(self.kind, self.record_id)
        self._record = corpus.records(self.kind).pop(self._index)

    def revert(self, corpus: EditableCorpus) -> None:
        corpus.records(self.kind).insert(self._index, self._record)


@dataclass
class InsertRecord:
    """Add a record (a mapping) at *index* (the end if None); its values take the style of the same fields
    in the kind's other records (quoting, flow lists)."""

    kind: str
    record: Any
    index: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        self.description = self.description or f"Add {self.record.get('id')}"

    def apply(self, corpus: EditableCorpus) -> None:
        records = corpus.records(self.kind)
        if not isinstance(self.record, CommentedMap):  # styled as the kind's other records write each field
            self.record = CommentedMap((k, _styled(v, _sibling(corpus, self.kind, k))) for k, v in self.record.items())
        records.insert(len(records) if self.index is None else self.index, self.record)

    def revert(self, corpus: EditableCorpus) -> None:
        records = corpus.records(self.kind)
        for i, r in enumerate(records):
            if r is self.record:
                del records[i]
                return


@dataclass
class Composite:
    """Several edits as one: applied in order, reverted in reverse order.

    *successors* names, for a record the edit renames or merges away, the record that takes its place:
    (kind, old id) -> new id. The window moves what is stored under the old id outside the YAML (a
    document's verification marks) to the new one; a record removed with no successor has none.
    """

    description: str
    edits: list[Edit]
    successors: dict[tuple[str, str], str] = field(default_factory=dict)

    def apply(self, corpus: EditableCorpus) -> None:
        done: list[Edit] = []
        try:
            for edit in self.edits:
                edit.apply(corpus)
                done.append(edit)
        except Exception:
            for edit in reversed(done):  # all or nothing
                edit.revert(corpus)
            raise

    def revert(self, corpus: EditableCorpus) -> None:
        for edit in reversed(self.edits):
            edit.revert(corpus)


def _styled(value: Any, like: Any) -> Any:
    """*value* in the style of *like*: its quoting for text, its flow style for a list."""
    if isinstance(value, str) and not isinstance(value, ScalarString):
        if isinstance(like, (DoubleQuotedScalarString, SingleQuotedScalarString)):
            return type(like)(value)
        return value
    if isinstance(value, (list, tuple)):
        items = list(value)
        sample = like[0] if isinstance(like, list) and like else None
        seq = CommentedSeq(_styled(v, sample) for v in items)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _styled(v, like.get(k) if isinstance(like, dict) else None)
        return out
    return value


def _sibling(corpus: EditableCorpus, kind: str, key: str) -> Any:
    """The value *key* has in some record of *kind* (for its style), or None."""
    for record in corpus.records(kind):
        if isinstance(record, dict) and record.get(key) not in (None, MISSING):
            value = record[key]
            if not isinstance(value, list) or value:
                return value
    return None


def _schema_position(kind: str, keys: list[str], key: str) -> int:
    order = list(RECORD_SCHEMAS[kind])
    if key not in order:
        return len(keys)
    rank = order.index(key)
    for i, existing in enumerate(keys):
        if existing in order and order.index(existing) > rank:
            return i
    return len(keys)


# -- references ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """Where a record names another: record *record_id* of *kind*, field *key*."""

    kind: str
    record_id: str
    key: str


def _reference_fields(target_kind: str) -> list[tuple[str, str, str]]:
    """(kind, key, how) of every field naming a record of *target_kind*: how is ids, ref or publications."""
    out = []
    for kind, schema in RECORD_SCHEMAS.items():
        for key, fld in schema.items():
            if fld.ref == target_kind and fld.kind in ("ids", "ref"):
                out.append((kind, key, fld.kind))
            elif fld.kind == "publications" and target_kind == "sources":
                out.append((kind, key, "publications"))
    return out


def _names(value: Any, how: str, target: str) -> bool:
    if how == "ref":
        return value is not None and str(value) == target
    if not isinstance(value, list):
        return False
    if how == "ids":
        return any(str(v) == target for v in value)
    return any(isinstance(p, dict) and str(p.get("source")) == target for p in value)


def references_to(corpus: EditableCorpus, kind: str, record_id: str) -> list[Reference]:
    """Every field of every record that names the record *record_id* of *kind*."""
    found = []
    for other, key, how in _reference_fields(kind):
        for record in corpus.records(other):
            if isinstance(record, dict) and _names(record.get(key), how, record_id):
                found.append(Reference(other, str(record.get("id")), key))
    return found


def _rewired(value: Any, how: str, old: str, new: str | None) -> Any:
    """*value* naming *new* where it named *old* (None: the reference removed), without duplicates."""
    if how == "ref":
        return new
    out: list[Any] = []
    for item in value:
        if how == "ids":
            item = new if str(item) == old else item
            if item is None or any(str(x) == str(item) for x in out):
                continue
        else:
            if isinstance(item, dict) and str(item.get("source")) == old:
                if new is None:
                    continue
                item = copy.deepcopy(item)
                item["source"] = new
            if any(plain(x) == plain(item) for x in out):
                continue
        out.append(item)
    return out


def _rewire_edits(corpus: EditableCorpus, kind: str, old: str, new: str | None, skip: str | None = None) -> list[Edit]:
    edits: list[Edit] = []
    for other, key, how in _reference_fields(kind):
        for record in corpus.records(other):
            if not isinstance(record, dict) or not _names(record.get(key), how, old):
                continue
            rid = str(record.get("id"))
            if other == kind and rid in (old, skip):
                continue
            edits.append(SetField(other, rid, key, _rewired(record[key], how, old, new)))
    return edits


# -- drafts ---------------------------------------------------------------------------------------

#: The longest title an edit's description names a record by.
TITLE_LIMIT = 60


def record_title(kind: str, record: Mapping[str, Any]) -> str:
    """How a record is named to the reader (the undo history, the record editor): its title or name, on
    one line and shortened, else its id."""
    for key in ("title", "name"):
        if record.get(key):
            return shorten(" ".join(str(record[key]).split()), TITLE_LIMIT)
    return str(record.get("id") or kind)


def _titles(kind: str, first: Mapping[str, Any], second: Mapping[str, Any]) -> tuple[str, str]:
    """Two records' titles, each with its id when the two read alike (two drafted "Stalin"s)."""
    one, two = record_title(kind, first), record_title(kind, second)
    if one == two:
        return f"{one} ({first.get('id')})", f"{two} ({second.get('id')})"
    return one, two


def confirm_draft(corpus: EditableCorpus, kind: str, record_id: str) -> Edit:
    """Confirm one draft: its ``draft`` key is removed."""
    record = corpus.record(kind, record_id)  # a KeyError now, not when applied
    return SetField(kind, record_id, "draft", MISSING, f"Confirm {record_title(kind, record)}")


def confirm_drafts(corpus: EditableCorpus, kind: str, record_ids: Sequence[str] | None = None) -> Composite:
    """Confirm the drafts *record_ids* of *kind* (after a review list), or every draft of *kind*."""
    if record_ids is None:
        record_ids = [str(r.get("id")) for r in corpus.records(kind) if isinstance(r, dict) and r.get("draft") is True]
    edits: list[Edit] = [confirm_draft(corpus, kind, rid) for rid in record_ids]
    return Composite(f"Confirm {len(edits)} draft {kind}", edits)


def reject_draft(corpus: EditableCorpus, kind: str, record_id: str) -> Composite:
    """Delete the draft *record_id* and every reference to it (a list item, or a ``cited_via`` made null)."""
    record = corpus.record(kind, record_id)
    if record.get("draft") is not True:
        raise ValueError(f"{record_id} is not a draft; only drafts are rejected")
    edits = _rewire_edits(corpus, kind, record_id, None)
    edits.append(DeleteRecord(kind, record_id))
    refs = len(edits) - 1
    more = f" and {refs} reference{'s' * (refs != 1)} to it" if refs else ""
    return Composite(f"Reject {record_title(kind, record)}{more}", edits)


# -- renaming -------------------------------------------------------------------------------------


def rename_record(corpus: EditableCorpus, kind: str, old_id: str, new_id: str) -> Composite:
    """Give the record *old_id* of *kind* the id *new_id*, and make every reference to it name the new id.

    :class:`ValueError` with the reason (and nothing changed) if *new_id* is
    not a valid id or is already the id of a record (of any kind: a link or
    a saved selection names a record by its id alone).
    """
    new_id = new_id.strip()
    title = record_title(kind, corpus.record(kind, old_id))  # a KeyError now, not when applied
    if new_id == old_id:
        raise ValueError(f"{old_id} already has that id")
    if not VALID_ID.match(new_id):
        raise ValueError(f"'{new_id}' is not a valid id (letters, digits, '.', '_' or '-', "
                         "beginning with a letter or digit)")
    for other in RECORD_SCHEMAS:
        if any(_has_id(r, new_id) for r in corpus.records(other)):
            raise ValueError(f"'{new_id}' is already the id of a record in {other}.yaml")
    edits = _rewire_edits(corpus, kind, old_id, new_id)
    edits.append(SetField(kind, old_id, "id", new_id))
    # The record's own references to itself (none of today's kinds has one, but a list may name its own kind)
    record = corpus.record(kind, old_id)
    for other, key, how in _reference_fields(kind):
        if other == kind and _names(record.get(key), how, old_id):
            edits.append(SetField(kind, new_id, key, _rewired(record[key], how, old_id, new_id)))
    refs = len(edits) - 1
    more = f" and {refs} reference{'s' * (refs != 1)} to it" if refs else ""
    return Composite(f"Change the id of {title} from {old_id} to {new_id}{more}", edits, {(kind, old_id): new_id})


# -- merging ----------------------------------------------------------------------------------------

_NAME_FORMS = {"people": "spellings", "places": "spellings"}
_NOTE = "note"


def merge_records(corpus: EditableCorpus, kind: str, keep_id: str, remove_id: str) -> Composite:
    """Merge the record *remove_id* into *keep_id* (both of *kind*) and delete it.

    Every reference to *remove_id* is rewired to *keep_id*. Every list is
    united (the kept one's items first, nothing twice); a field only the
    removed one has is taken over; for people and places the removed one's
    name and spellings join the kept one's spellings. A field the two give
    differently keeps the kept one's value, and the removed one's is written
    into the kept one's note, so nothing is lost.
    """
    if keep_id == remove_id:
        raise ValueError("a record cannot be merged with itself")
    keep = corpus.record(kind, keep_id)
    gone = corpus.record(kind, remove_id)
    schema = RECORD_SCHEMAS[kind]
    edits: list[Edit] = []
    differing: list[str] = []
    for key, fld in schema.items():
        if key in ("id", _NOTE):
            continue
        theirs = gone.get(key)
        if theirs is None or (isinstance(theirs, list) and not theirs):
            continue
        mine = keep.get(key)
        if key == "draft":
            if mine is True and theirs is not True:
                edits.append(SetField(kind, keep_id, key, MISSING))
            continue
        if isinstance(theirs, list):
            mine_list = list(mine) if isinstance(mine, list) else []
            united = _union(mine_list, [_self_ref(x, fld.ref == kind, remove_id, keep_id) for x in theirs])
            if key == "footnotes" and all(isinstance(x, int) for x in united):
                united = sorted(united)
            if plain(united) != plain(mine_list):
                edits.append(SetField(kind, keep_id, key, united))
            continue
        if mine is None:
            edits.append(SetField(kind, keep_id, key, theirs))
        elif key == "name" and kind in _NAME_FORMS:
            continue  # kept as one of the kept record's spellings, below
        elif plain(mine) != plain(theirs):
            differing.append(f"{key}: {theirs}")
    forms_key = _NAME_FORMS.get(kind)
    if forms_key:
        forms = [*(keep.get(forms_key) or [keep.get("name")]), gone.get("name"), *(gone.get(forms_key) or [])]
        united = _union([], [f for f in forms if f])
        if plain(united) != plain(keep.get(forms_key) or []):
            edits = [e for e in edits if not (isinstance(e, SetField) and e.key == forms_key)]
            edits.append(SetField(kind, keep_id, forms_key, united))
    note_parts = [str(keep[_NOTE])] if keep.get(_NOTE) else []
    if gone.get(_NOTE) and gone.get(_NOTE) != keep.get(_NOTE):
        note_parts.append(f"From {remove_id}: {gone[_NOTE]}")
    if differing:
        note_parts.append(f"Merged with {remove_id}, which gave " + "; ".join(differing) + ".")
    elif _NOTE in schema and len(note_parts) < 2:
        note_parts.append(f"Merged with {remove_id}.")
    note = " ".join(note_parts)
    if note != (keep.get(_NOTE) or ""):
        edits.append(SetField(kind, keep_id, _NOTE, note))
    edits.extend(_rewire_edits(corpus, kind, remove_id, keep_id, skip=keep_id))
    edits.append(DeleteRecord(kind, remove_id))
    return Composite("Merge {} into {}".format(*_titles(kind, gone, keep)), edits, {(kind, remove_id): keep_id})


def _self_ref(item: Any, refers_to_kind: bool, old: str, new: str) -> Any:
    return new if refers_to_kind and str(item) == old else item


def _union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    seen: list[Any] = []
    for item in [*first, *second]:
        p = plain(item)
        if p not in seen:
            seen.append(p)
            out.append(item)
    return out


def touched(edit: Edit) -> set[tuple[str, str]]:
    """The records (kind, id) *edit* changes, adds or removes: what a window must show anew after it."""
    if isinstance(edit, Composite):
        return set().union(*(touched(e) for e in edit.edits)) if edit.edits else set()
    if isinstance(edit, SetField):
        found = {(edit.kind, edit.record_id)}
        if edit.key == "id" and edit.value is not MISSING:
            found.add((edit.kind, str(edit.value)))
        return found
    if isinstance(edit, DeleteRecord):
        return {(edit.kind, edit.record_id)}
    if isinstance(edit, InsertRecord):
        return {(edit.kind, str(edit.record.get("id")))}
    found_here = getattr(edit, "touched", None)  # an edit of another module says what it touches
    if callable(found_here):
        return set(found_here())
    raise TypeError(f"cannot tell which records {type(edit).__name__} changes")
