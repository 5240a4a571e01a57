"""Import a new version of the essay over a corpus whose records someone has curated.

Curated records (those without ``draft: true``) are kept: their footnote
numbers follow the notes to their new numbers, and their quotes are found
again in the new text (in the same passage, or wherever the words moved to).
Drafted records are drafted anew, leaving out what a curated record already
covers. What could not be carried over (a quote no longer in the essay, a
reference to a note that is gone) is listed in the report, and the files as
they were are copied into a ``previous-...`` folder first, so nothing is
lost. If the result does not load, the previous files are put back.

The record files are changed in place through the faithful saver
(:class:`explorer.core.corpus_edit.EditableCorpus`): only the fields the new
version changes are rewritten, so the comments and layout of curated
records survive an update.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from explorer.core.corpus_edit import MISSING, Composite, DeleteRecord, Edit, EditableCorpus, InsertRecord, SetField
from explorer.core.corpus_save import YamlFile, plain, write_atomic
from explorer.core.drafting.records import Drafts, draft_records, record_to_yaml
from explorer.core.errors import CorpusError
from explorer.core.essay import Essay, Footnote
from explorer.core.formats import EXTENSIONS, detect_format, read_essay
from explorer.core.loader import MANIFEST, RECORD_FILES, load_corpus
from explorer.core.model import ArchivalLocation, Document, Event, Person, Quote, Source

_SIMILAR_NOTE = 0.75  # how alike an edited note must stay to count as the same note


@dataclass(frozen=True, slots=True)
class LostAnchor:
    """A quote of a curated record that the new essay no longer holds (it was left out of the record)."""

    record: str  # "event kim-in-moscow-1949-03"
    passage: str
    text: str


@dataclass(frozen=True)
class ReimportReport:
    """What changed between the two versions of the essay, and what happened to the records."""

    notes_added: tuple[int, ...] = ()  # numbers in the new essay
    notes_removed: tuple[int, ...] = ()  # numbers in the old essay
    notes_renumbered: tuple[tuple[int, int], ...] = ()  # (old, new)
    anchors_moved: tuple[tuple[str, str, str], ...] = ()  # (record, old passage, new passage)
    anchors_lost: tuple[LostAnchor, ...] = ()
    references_dropped: tuple[tuple[str, int], ...] = ()  # (record, old note number) to a note that is gone
    curated_kept: int = 0
    drafts_replaced: int = 0  # drafted records of the old version, replaced by the new drafts
    drafts_written: int = 0
    backup: Path | None = None

    def lines(self) -> list[str]:
        """The report as a reader wants it, one finding a line."""
        out = [f"kept {self.curated_kept} curated records; replaced {self.drafts_replaced} drafted records "
               f"with {self.drafts_written} new drafts"]
        if self.notes_added:
            out.append("notes added: " + ", ".join(map(str, self.notes_added)))
        if self.notes_removed:
            out.append("notes removed: " + ", ".join(map(str, self.notes_removed)))
        out += [f"note {old} is now note {new}" for old, new in self.notes_renumbered]
        out += [f"{record}: its quote moved from {old} to {new}" for record, old, new in self.anchors_moved]
        out += [f"{a.record}: could not re-find its quote in {a.passage}: {a.text!r}" for a in self.anchors_lost]
        out += [f"{record}: note {n} is gone from the essay; the reference was removed"
                for record, n in self.references_dropped]
        if self.backup:
            out.append(f"the previous files are in {self.backup}")
        return out


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text)).strip()


def match_notes(old: Iterable[Footnote], new: Iterable[Footnote]) -> dict[int, int]:
    """Old note number -> new note number, for the notes of the old essay found in the new one.

    A note is the same note if its words are the same (case, punctuation and
    spacing aside), or, failing that, if it is the most alike of the new notes
    left and at least :data:`_SIMILAR_NOTE` alike. Each new note is used once.
    """
    old_notes, new_notes = list(old), list(new)
    by_text: dict[str, list[int]] = {}
    for f in new_notes:
        by_text.setdefault(_fold(f.text), []).append(f.number)
    mapping: dict[int, int] = {}
    for f in old_notes:
        same = by_text.get(_fold(f.text))
        if same:
            mapping[f.number] = same.pop(0)
    used = set(mapping.values())
    left = [f for f in new_notes if f.number not in used]
    for f in old_notes:
        if f.number in mapping or not left:
            continue
        text = _fold(f.text)
        best, best_ratio = None, _SIMILAR_NOTE
        for g in left:
            matcher = difflib.SequenceMatcher(None, text, _fold(g.text), autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = g, ratio
        if best is not None:
            mapping[f.number] = best.number
            left.remove(best)
    return mapping


class _Carry:
    """Carries curated records over to the new essay, noting what changed."""

    def __init__(self, old: Essay, new: Essay, notes: dict[int, int]) -> None:
        self.old, self.new, self.notes = old, new, notes
        self.moved: list[tuple[str, str, str]] = []
        self.lost: list[LostAnchor] = []
        self.dropped: list[tuple[str, int]] = []

    def footnotes(self, label: str, numbers: tuple[int, ...]) -> tuple[int, ...]:
        out = []
        for n in numbers:
            if n in self.notes:
                out.append(self.notes[n])
            else:
                self.dropped.append((label, n))
        return tuple(dict.fromkeys(out))

    def quotes(self, label: str, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        out = []
        for q in quotes:
            here = self.new.passage(q.passage)
            if here is not None and q.text in here.text:
                out.append(q)
                continue
            moved = next((p for p in self.new.passages if q.text in p.text), None)
            if moved is None:
                self.lost.append(LostAnchor(label, q.passage, q.text))
                continue
            self.moved.append((label, q.passage, moved.id))
            out.append(Quote(moved.id, q.text))
        return tuple(out)

    def locations(self, label: str, locations: tuple[ArchivalLocation, ...]) -> tuple[ArchivalLocation, ...]:
        out = []
        for loc in locations:
            if loc.footnote is None:
                out.append(loc)
                continue
            number = self.notes.get(loc.footnote)
            note = self.new.footnote(number) if number is not None else None
            if note is None:
                self.dropped.append((label, loc.footnote))
                out.append(replace(loc, footnote=None))  # the location stays; only its note is gone
            elif loc.as_cited and loc.as_cited not in note.text:
                self.lost.append(LostAnchor(label, f"note {number}", loc.as_cited))
                out.append(replace(loc, footnote=number, as_cited=None))
            else:
                out.append(replace(loc, footnote=number))
        return tuple(out)

    def record(self, record: Any) -> Any:
        kind = type(record).__name__.lower()
        label = f"{kind} {record.id}"
        changes: dict[str, Any] = {}
        if isinstance(record, (Event, Document, Source)):
            changes["footnotes"] = self.footnotes(label, record.footnotes)
        if isinstance(record, Event):
            changes["passages"] = self.quotes(label, record.passages)
        if isinstance(record, Document):
            changes["quotes"] = self.quotes(label, record.quotes)
            changes["locations"] = self.locations(label, record.locations)
        return replace(record, **changes)


def _forms(person: Person) -> set[str]:
    return {_fold(f) for f in (person.name, *person.spellings)}


def _main_title(title: str) -> str:
    return _fold(re.split(r"[:?!]", title, maxsplit=1)[0])


def _filter_drafts(drafts: Drafts, kept: dict[str, list[Any]]) -> Drafts:
    """The drafts no kept record already covers, their ids clear of the kept ones, references redirected."""
    people_by_form = {form: p.id for p in kept["people"] for form in _forms(p)}
    person_map = {p.id: next((people_by_form[f] for f in _forms(p) if f in people_by_form), None)
                  for p in drafts.people}
    source_by_title = {_main_title(s.title): s.id for s in kept["sources"]}
    source_map = {s.id: source_by_title.get(_main_title(s.title)) for s in drafts.sources}
    document_map: dict[str, str | None] = {}
    for d in drafts.documents:
        document_map[d.id] = next((c.id for c in kept["documents"] if set(c.footnotes) & set(d.footnotes)
                                   and (c.date is None or d.date is None or c.date.text == d.date.text)), None)

    def new_ids(records: Iterable[Any], mapping: dict[str, str | None], taken: set[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in records:
            kept_id = mapping.get(r.id)
            if kept_id:
                out[r.id] = kept_id
                continue
            rid, n = r.id, 2
            while rid in taken:
                rid = f"{r.id}-draft" if n == 2 else f"{r.id}-draft-{n - 1}"
                n += 1
            taken.add(rid)
            out[r.id] = rid
        return out

    people_ids = new_ids(drafts.people, person_map, {p.id for p in kept["people"]})
    source_ids = new_ids(drafts.sources, source_map, {s.id for s in kept["sources"]})
    document_ids = new_ids(drafts.documents, document_map, {d.id for d in kept["documents"]})
    people = tuple(replace(p, id=people_ids[p.id]) for p in drafts.people if not person_map[p.id])
    sources = tuple(replace(s, id=source_ids[s.id]) for s in drafts.sources if not source_map[s.id])
    documents = tuple(
        replace(d, id=document_ids[d.id], senders=tuple(people_ids[x] for x in d.senders),
                recipients=tuple(people_ids[x] for x in d.recipients),
                cited_via=source_ids[d.cited_via] if d.cited_via else None,
                translations=tuple(replace(t, source=source_ids[t.source]) for t in d.translations))
        for d in drafts.documents if not document_map[d.id])

    def covered(e: Event) -> bool:
        (q,) = e.passages
        passage = q.passage
        for c in kept["events"]:
            if not c.date.overlaps(e.date):
                continue
            for cq in c.passages:
                if cq.passage == passage and (cq.text in q.text or q.text in cq.text):
                    return True
        return False

    taken_events = {e.id for e in kept["events"]}
    event_ids = new_ids(drafts.events, {}, taken_events)
    events = tuple(
        replace(e, id=event_ids[e.id], documents=tuple(dict.fromkeys(document_ids[x] for x in e.documents)),
                sources=tuple(dict.fromkeys(source_ids[x] for x in e.sources)))
        for e in drafts.events if not covered(e))
    return Drafts(events, documents, people, sources)


def _referenced(records: Iterable[Any]) -> set[str]:
    """Every id the records point to."""
    out: set[str] = set()
    for r in records:
        for name in ("participants", "places", "documents", "sources", "senders", "recipients"):
            out.update(getattr(r, name, ()))
        if getattr(r, "cited_via", None):
            out.add(r.cited_via)
        out.update(t.source for t in getattr(r, "translations", ()))
    return out


def _record_edits(section: str, old: Iterable[Any], kept: Iterable[Any], drafts: Iterable[Any]) -> list[Edit]:
    """The edits that turn the records *old* of a file into *kept* (the same ones, carried over to the new
    essay, or fewer) followed by the new *drafts*: only the fields that changed are set."""
    edits: list[Edit] = []
    kept_by_id = {r.id: r for r in kept}
    for record in old:
        carried = kept_by_id.get(record.id)
        if carried is None:
            edits.append(DeleteRecord(section, record.id))
        elif carried != record:
            values = record_to_yaml(carried)
            edits.extend(SetField(section, record.id, f.name, values.get(f.name, MISSING))
                         for f in fields(record) if getattr(record, f.name) != getattr(carried, f.name))
    edits.extend(InsertRecord(section, record_to_yaml(d)) for d in drafts)
    return edits


def _backup(root: Path, files: list[Path]) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, n = root / f"previous-{stamp}", 2
    while folder.exists():
        folder, n = root / f"previous-{stamp}-{n}", n + 1
    folder.mkdir()
    for f in files:
        if f.exists():
            shutil.copy2(f, folder / f.name)
    return folder


def _update_manifest(path: Path, source: str, essay_format: str, commentary: dict[int, str]) -> None:
    """Point corpus.yaml at the new essay file and its notes' commentary, through the round-trip saver:
    the curator's comments, key order and quoting in it stay (a PyYAML dump would drop every comment)."""
    manifest = YamlFile.read(path, None)
    raw = manifest.data
    if not isinstance(raw, CommentedMap):
        raise CorpusError.single(str(path), None, "the manifest must be a mapping of keys to values")
    for key, value in (("source", source), ("format", essay_format)):
        if raw.get(key) != value:
            raw[key] = value
    if commentary or "commentary" in raw:
        entries = [{"footnote": n, "reason": r} for n, r in sorted(commentary.items())]
        if plain(raw.get("commentary")) != entries:
            old = raw.get("commentary")
            unused = [e for e in old if isinstance(e, CommentedMap)] if isinstance(old, list) else []
            rows = CommentedSeq()
            for entry in entries:  # an old entry of the same reason is kept (with its comments), renumbered
                same = next((e for e in unused if e.get("reason") == entry["reason"]), None)
                if same is None:
                    same = CommentedMap(entry)
                else:
                    unused.remove(same)
                    if same.get("footnote") != entry["footnote"]:
                        same["footnote"] = entry["footnote"]
                rows.append(same)
            raw["commentary"] = rows
    write_atomic([(path, manifest.rendered_bytes())])


def reimport_essay(folder: Path, essay_path: Path, notes_map: dict[int, int] | None = None) -> ReimportReport:
    """Import a new version of the essay at *essay_path* into the corpus *folder*.

    Keeps every curated record (see the module's docstring), drafts the rest
    anew, and returns what changed. Raises :class:`CorpusError` if the new
    essay cannot be read or the corpus does not load (nothing is changed then).
    """
    folder = Path(folder)
    new_format = detect_format(essay_path)
    new_essay = read_essay(essay_path, new_format)
    corpus = load_corpus(folder)
    notes = notes_map if notes_map is not None else match_notes(corpus.essay.footnotes, new_essay.footnotes)
    carry = _Carry(corpus.essay, new_essay, notes)
    sections: dict[str, tuple[Any, ...]] = {
        "events": corpus.events, "documents": corpus.documents, "people": corpus.people,
        "sources": corpus.sources, "places": corpus.places,
    }
    curated = [r for records in sections.values() for r in records if not r.draft]
    needed = _referenced(curated)  # a draft a curated record points to is kept, so the reference holds
    kept = {s: [carry.record(r) for r in records if not r.draft or r.id in needed] for s, records in sections.items()}
    replaced = sum(1 for records in sections.values() for r in records if r.draft and r.id not in needed)
    drafts = _filter_drafts(draft_records(new_essay), kept)
    commentary = {}
    for old_number, reason in corpus.manifest.commentary.items():
        if old_number in notes:
            commentary[notes[old_number]] = reason
        else:
            carry.dropped.append(("commentary", old_number))

    manifest_path = folder / MANIFEST
    old_essay = folder / corpus.manifest.source
    # The new version may come in another format (a .docx after Tika text): it gets its own file name.
    essay_target = old_essay if new_format == corpus.manifest.format else folder / f"essay{EXTENSIONS[new_format]}"
    targets = [manifest_path, *dict.fromkeys((old_essay, essay_target)), *(folder / f"{s}.yaml" for s in RECORD_FILES)]
    backup = _backup(folder, targets)
    try:
        shutil.copyfile(essay_path, essay_target)
        if essay_target != old_essay:
            old_essay.unlink()  # kept in the backup folder
        if commentary != dict(corpus.manifest.commentary) or essay_target != old_essay:
            _update_manifest(manifest_path, essay_target.name, new_format, commentary)
        editable = EditableCorpus(folder)  # changed in place, so comments and layout stay; written if changed
        for section in RECORD_FILES:
            edits = _record_edits(section, sections[section], kept[section], getattr(drafts, section, ()))
            Composite(f"Update {section}", edits).apply(editable)
        editable.save()
        load_corpus(folder)
    except BaseException:  # whatever stopped it (a bad file, a full disk, a bug, Ctrl+C): put everything back
        for f in targets:
            saved = backup / f.name
            if saved.exists():
                shutil.copy2(saved, f)
            elif f.exists():
                f.unlink()
        raise
    old_numbers = {f.number for f in corpus.essay.footnotes}
    new_numbers = {f.number for f in new_essay.footnotes}
    return ReimportReport(
        notes_added=tuple(sorted(new_numbers - set(notes.values()))),
        notes_removed=tuple(sorted(old_numbers - set(notes))),
        notes_renumbered=tuple((o, n) for o, n in sorted(notes.items()) if o != n),
        anchors_moved=tuple(carry.moved), anchors_lost=tuple(carry.lost),
        references_dropped=tuple(carry.dropped),
        curated_kept=len(curated), drafts_replaced=replaced, drafts_written=drafts.count(), backup=backup,
    )

