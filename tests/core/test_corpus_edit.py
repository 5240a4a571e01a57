"""Editing a corpus: confirming, rejecting and merging records, each edit exactly reversible."""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.corpus_edit import (
    MISSING,
    DeleteRecord,
    Edit,
    EditableCorpus,
    InsertRecord,
    Reference,
    SetField,
    confirm_draft,
    confirm_drafts,
    merge_records,
    record_title,
    references_to,
    reject_draft,
    rename_record,
    validate_record,
)
from explorer.core.errors import CorpusError
from explorer.core.loader import RECORD_FILES, load_corpus
from tests.support.corpora import DEFAULT_CORPUS

DRAFT_PERSON = """
  - id: kim-tu-bong
    name: "Kim Tu Bong"
    kind: person
    spellings: ["Kim Tu Bong"]
    note: "Drafted from note 12."
    draft: true
"""
DRAFT_PLACE = """
  - id: haeju
    name: "Haeju"
    draft: true
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus with a draft person (sender of a document) and a draft place."""
    root = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea-1950"))
    with (root / "people.yaml").open("a", encoding="utf-8") as f:
        f.write(DRAFT_PERSON)
    with (root / "places.yaml").open("a", encoding="utf-8") as f:
        f.write(DRAFT_PLACE)
    docs = root / "documents.yaml"
    docs.write_text(docs.read_text(encoding="utf-8").replace(
        "    senders: [shtykov]\n    recipients: [vyshinsky]\n",
        "    senders: [shtykov, kim-tu-bong]\n    recipients: [vyshinsky]\n    draft: true\n", 1), encoding="utf-8")
    load_corpus(root)  # the fixture is a valid corpus
    return root


def _texts(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.yaml"))}


def _changes(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_confirm_one_draft_removes_its_draft_line_only(corpus: Path) -> None:
    before = _texts(corpus)
    editable = EditableCorpus(corpus)
    confirm_draft(editable, "people", "kim-tu-bong").apply(editable)
    editable.save()
    after = _texts(corpus)
    assert _changes(before["people.yaml"], after["people.yaml"]) == ["-    draft: true"]
    assert {k for k in after if after[k] != before[k]} == {"people.yaml"}
    person = next(p for p in load_corpus(corpus).people if p.id == "kim-tu-bong")
    assert not person.draft


def test_confirm_all_drafts_of_a_kind_after_review(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    with (corpus / "people.yaml").open("a", encoding="utf-8") as f:
        f.write(DRAFT_PERSON.replace("kim-tu-bong", "choe-yong-gon").replace("Kim Tu Bong", "Choe Yong Gon"))
    edit = confirm_drafts(editable, "people")
    assert len(edit.edits) == 2 and "2 draft people" in edit.description
    edit.apply(editable)
    assert not any(r.get("draft") for r in editable.records("people"))
    # A review list confirms only the drafts it names.
    editable2 = EditableCorpus(corpus)
    confirm_drafts(editable2, "people", ["choe-yong-gon"]).apply(editable2)
    assert [r["id"] for r in editable2.records("people") if r.get("draft")] == ["kim-tu-bong"]


def test_reject_a_draft_deletes_it_and_every_reference(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    assert references_to(editable, "people", "kim-tu-bong") == [
        Reference("documents", "shtykov-vyshinsky-1949-09-03", "senders")]
    edit = reject_draft(editable, "people", "kim-tu-bong")
    assert edit.description == "Reject Kim Tu Bong and 1 reference to it"
    edit.apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    assert "kim-tu-bong" not in {p.id for p in loaded.people}
    assert next(d for d in loaded.documents if d.id == "shtykov-vyshinsky-1949-09-03").senders == ("shtykov",)
    assert "kim-tu-bong" not in (corpus / "documents.yaml").read_text(encoding="utf-8")


def test_only_drafts_are_rejected(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    with pytest.raises(ValueError, match="not a draft"):
        reject_draft(editable, "people", "stalin")
    with pytest.raises(KeyError, match="nobody"):
        confirm_draft(editable, "people", "nobody")


def test_reject_a_source_nulls_cited_via_and_drops_its_publications(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    SetField("sources", "weathersby-2002-should-we-fear-this", "draft", True).apply(editable)
    refs = references_to(editable, "sources", "weathersby-2002-should-we-fear-this")
    assert {r.key for r in refs} >= {"translations"}
    reject_draft(editable, "sources", "weathersby-2002-should-we-fear-this").apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    assert not any(p.source == "weathersby-2002-should-we-fear-this" for d in loaded.documents
                   for p in d.translations)
    assert not any("weathersby-2002-should-we-fear-this" in e.sources for e in loaded.events)


def test_merge_two_people_rewires_every_reference_and_keeps_name_forms(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    gone_refs = references_to(editable, "people", "tunkin")
    assert {(r.kind, r.key) for r in gone_refs} == {("documents", "senders"), ("documents", "recipients"),
                                                     ("events", "participants")}
    tunkin = editable.record("people", "tunkin")
    forms = [tunkin["name"], *tunkin["spellings"]]
    merge_records(editable, "people", "shtykov", "tunkin").apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    people = {p.id: p for p in loaded.people}
    assert "tunkin" not in people
    assert all(f in people["shtykov"].spellings for f in forms)
    assert people["shtykov"].spellings[:4] == ("Terentii F. Shtykov", "Shtykov", "Ambassador Shtykov", "Shykov")
    assert "From tunkin:" in (people["shtykov"].note or "")
    assert "name:" not in (people["shtykov"].note or "")  # the name is kept as a spelling, not again in the note
    for ref in gone_refs:
        record = next(r for r in getattr(loaded, ref.kind) if r.id == ref.record_id)
        assert "shtykov" in getattr(record, ref.key) and "tunkin" not in getattr(record, ref.key)
    assert "tunkin" not in {x for e in loaded.events for x in e.participants}
    assert "tunkin" not in {x for d in loaded.documents for x in (*d.senders, *d.recipients)}


def test_merge_two_documents_unites_notes_quotes_and_locations(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    keep, gone = "stalin-shtykov-1950-06-21-ships", "stalin-shtykov-1950-06-21-plan"
    SetField("documents", gone, "locations", [{"archive": "APRF", "fond": "3", "listy": "1"}]).apply(editable)
    before = load_corpus(corpus)
    docs = {d.id: d for d in before.documents}
    merge_records(editable, "documents", keep, gone).apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    merged = next(d for d in loaded.documents if d.id == keep)
    assert gone not in {d.id for d in loaded.documents}
    assert merged.footnotes == (24, 26)
    assert set(merged.quotes) == set(docs[keep].quotes) | set(docs[gone].quotes)
    assert set(merged.translations) == set(docs[keep].translations) | set(docs[gone].translations)
    assert [loc.archive for loc in merged.locations] == ["APRF"]
    # The title and summary the removed one gave differently are kept in the note, not lost.
    assert docs[gone].title in (merged.note or "") and docs[gone].summary in (merged.note or "")
    events = [e for e in loaded.events if keep in e.documents]
    assert len(events) == 2 and not any(gone in e.documents for e in loaded.events)


def test_rename_rewires_every_reference_and_changes_only_those_lines(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    before = _texts(corpus)
    refs = references_to(editable, "people", "tunkin")
    assert refs
    edit = rename_record(editable, "people", "tunkin", "tunkin-grigorii")
    assert edit.description == ("Change the id of Grigorii Ivanovich Tunkin from tunkin to tunkin-grigorii and "
                                f"{len(refs)} references to it")
    edit.apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    assert "tunkin" not in {p.id for p in loaded.people} and "tunkin-grigorii" in {p.id for p in loaded.people}
    for ref in refs:
        record = next(r for r in getattr(loaded, ref.kind) if r.id == ref.record_id)
        assert "tunkin-grigorii" in getattr(record, ref.key) and "tunkin" not in getattr(record, ref.key)
    after = _texts(corpus)
    for name in before:
        for line in _changes(before[name], after[name]):
            assert "tunkin" in line, (name, line)  # only the id and the references changed
    assert _changes(before["people.yaml"], after["people.yaml"]) == ["-  - id: tunkin", "+  - id: tunkin-grigorii"]


def test_rename_a_document_rewires_the_catalogue_and_cited_via(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    catalogued = next(str(r["document"]) for r in editable.records("catalog") if r.get("document"))
    rename_record(editable, "documents", catalogued, "renamed-doc").apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    assert "renamed-doc" in loaded.catalog_by_document
    assert catalogued not in loaded.catalog_by_document
    rename_record(editable, "sources", "bajanov-bajanova-manuscript", "bajanova-ms").apply(editable)
    editable.save()
    loaded = load_corpus(corpus)
    cited_via = {d.cited_via for d in loaded.documents}
    assert "bajanova-ms" in cited_via and "bajanov-bajanova-manuscript" not in cited_via


@pytest.mark.parametrize(("new_id", "reason"), [
    ("stalin", "already the id"), ("haeju", "already the id"), ("bad id", "not a valid id"), ("-x", "not a valid id"),
    ("tunkin", "already has that id"),
])
def test_rename_refuses_a_taken_or_invalid_id(corpus: Path, new_id: str, reason: str) -> None:
    editable = EditableCorpus(corpus)
    with pytest.raises(ValueError, match=reason):
        rename_record(editable, "people", "tunkin", new_id)
    assert editable.changed_kinds() == []


def test_merge_refuses_a_record_with_itself(corpus: Path) -> None:
    with pytest.raises(ValueError):
        merge_records(EditableCorpus(corpus), "people", "stalin", "stalin")


def _edits() -> list[tuple[str, Callable[[EditableCorpus], Edit]]]:
    return [
        ("set", lambda c: SetField("events", "yalta-agreement-1945", "title", "Yalta")),
        ("set a list", lambda c: SetField("events", "yalta-agreement-1945", "places", ["yalta", "moscow"])),
        ("add a key", lambda c: SetField("places", "haeju", "kind", "city")),
        ("remove a key", lambda c: SetField("documents", "stalin-shtykov-1950-06-21-plan", "summary", MISSING)),
        ("delete", lambda c: DeleteRecord("places", "haeju")),
        ("insert", lambda c: InsertRecord("places", {"id": "kaesong", "name": "Kaesong"}, index=0)),
        ("confirm", lambda c: confirm_draft(c, "people", "kim-tu-bong")),
        ("confirm all", lambda c: confirm_drafts(c, "documents")),
        ("reject", lambda c: reject_draft(c, "people", "kim-tu-bong")),
        ("merge people", lambda c: merge_records(c, "people", "shtykov", "tunkin")),
        ("merge documents", lambda c: merge_records(c, "documents", "stalin-shtykov-1950-06-21-ships",
                                                    "stalin-shtykov-1950-06-21-plan")),
        ("merge places", lambda c: merge_records(c, "places", "moscow", "haeju")),
        ("rename a person", lambda c: rename_record(c, "people", "tunkin", "tunkin-g")),
        ("rename a document", lambda c: rename_record(c, "documents", "stalin-shtykov-1950-06-21-plan", "plan")),
    ]


@pytest.mark.parametrize("make", [m for _, m in _edits()], ids=[n for n, _ in _edits()])
def test_every_edit_reverts_exactly_and_redoes_the_same(corpus: Path, make: Callable[[EditableCorpus], Edit]) -> None:
    editable = EditableCorpus(corpus)
    original = {kind: editable.render(kind) for kind in RECORD_FILES}
    edit = make(editable)
    edit.apply(editable)
    applied = {kind: editable.render(kind) for kind in RECORD_FILES}
    assert applied != original
    edit.revert(editable)
    assert {kind: editable.render(kind) for kind in RECORD_FILES} == original
    assert editable.changed_kinds() == []
    edit.apply(editable)  # redo
    assert {kind: editable.render(kind) for kind in RECORD_FILES} == applied
    editable.save()
    load_corpus(corpus)  # the loader loads every saved result
    edit.revert(editable)  # undo after saving, and save: the files as they were
    editable.save()
    assert {kind: (corpus / f"{kind}.yaml").read_text(encoding="utf-8") for kind in RECORD_FILES} == original


def test_a_failing_composite_edit_changes_nothing(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    original = editable.render("people")
    edit = merge_records(editable, "people", "shtykov", "tunkin")
    DeleteRecord("people", "tunkin").apply(editable)  # gone before the merge is applied
    after_delete = editable.render("people")
    with pytest.raises(KeyError):
        edit.apply(editable)
    assert editable.render("people") == after_delete != original


def test_validate_record_gives_the_messages_explorer_check_gives(corpus: Path) -> None:
    bad = {"id": "bad-event", "date": "1950-13", "summary": "x", "participants": ["nobody"], "colour": "red"}
    editable = EditableCorpus(corpus)
    InsertRecord("events", bad).apply(editable)
    (corpus / "events.yaml").write_text(editable.render("events"), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus)
    checked = sorted(p.message for p in err.value.problems)
    ids = {kind: [str(r["id"]) for r in EditableCorpus(corpus).records(kind)] for kind in RECORD_FILES}
    assert sorted(p.message for p in validate_record("events", bad, ids=ids)) == checked
    assert sorted(p.message for p in editable.validate("events", "bad-event")) == checked
    assert len(checked) == 4  # the date, the missing title, the unknown key, the unknown person
    # Without the corpus's ids, only the record itself is checked.
    assert len(validate_record("events", bad)) == 3
    good = dict(editable.record("events", "yalta-agreement-1945"))
    assert validate_record("events", good, ids=ids) == []
    with pytest.raises(ValueError):
        validate_record("unicorns", {})


def test_records_are_found_by_id_after_edits_move_them(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    ids = [str(r["id"]) for r in editable.records("people")]
    assert editable.index_of("people", ids[5]) == 5
    DeleteRecord("people", ids[2]).apply(editable)
    assert editable.index_of("people", ids[5]) == 4
    InsertRecord("people", {"id": "new-person", "name": "New"}, index=0).apply(editable)
    assert editable.index_of("people", ids[5]) == 5
    assert editable.record("people", "new-person")["name"] == "New"
    SetField("people", "new-person", "id", "renamed").apply(editable)
    assert editable.index_of("people", "renamed") == 0
    with pytest.raises(KeyError):
        editable.index_of("people", "new-person")
    with pytest.raises(KeyError):
        editable.index_of("people", ids[2])


def test_an_edit_names_records_by_their_titles_and_two_alike_by_their_ids_too(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    shtykov, tunkin = (record_title("people", editable.record("people", i)) for i in ("shtykov", "tunkin"))
    assert merge_records(editable, "people", "shtykov", "tunkin").description == f"Merge {tunkin} into {shtykov}"
    SetField("people", "tunkin", "name", shtykov).apply(editable)
    assert merge_records(editable, "people", "shtykov", "tunkin").description == (
        f"Merge {shtykov} (tunkin) into {shtykov} (shtykov)")


def test_a_record_title_is_one_shortened_line_else_the_id() -> None:
    assert record_title("events", {"id": "ev", "title": "Kim\n  asks " + "very " * 30}).startswith("Kim asks very")
    assert len(record_title("events", {"id": "ev", "title": "x " * 100})) <= 60
    assert record_title("events", {"id": "ev-1", "title": ""}) == "ev-1"
    assert record_title("people", {"id": "kim", "name": "Kim Il Sung"}) == "Kim Il Sung"
