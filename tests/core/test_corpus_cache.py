"""The compiled corpus cache: equal to the YAML, never stale, never trusted when damaged."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from explorer.core import corpus_cache
from explorer.core.corpus_cache import (
    COMPILED,
    HIT,
    REBUILT,
    UNCACHED,
    default_cache_dir,
    load_corpus_cached,
    open_corpus,
)
from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS
from tools.synthetic import generate_corpus


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _twice(path: Path, cache: Path):
    first = open_corpus(path, cache)
    second = open_corpus(path, cache)
    return first, second


def test_a_hit_equals_the_yaml(tiny_corpus_dir, cache):
    first, second = _twice(tiny_corpus_dir, cache)
    assert (first.outcome, second.outcome) == (COMPILED, HIT)
    assert second.cache_file == first.cache_file and first.cache_file.parent == cache
    expected = load_corpus(tiny_corpus_dir)
    assert first.corpus == expected and second.corpus == expected
    # The indexes are rebuilt too, not only the records.
    assert second.corpus.events_by_document == expected.events_by_document
    assert second.corpus.essay.passage("p02") == expected.essay.passage("p02")


def test_a_hit_equals_the_yaml_for_every_field_of_a_generated_corpus(tmp_path, cache):
    # The generated corpus uses every kind of field: dates of each EDTF form,
    # optional dates, quotes, locations, translations, markers.
    root = generate_corpus(tmp_path / "gen", 120).path
    _first, second = _twice(root, cache)
    assert second.outcome == HIT
    assert second.corpus == load_corpus(root)


def test_a_corpus_stored_in_many_parts_reads_back_whole(tmp_path, cache, monkeypatch):
    # Rows are stored and read in parts (no whole-table copy while decoding): a kind that spans several
    # parts, one that ends on a part's edge, and one in a single short part all read back in order.
    monkeypatch.setattr(corpus_cache, "PART_ROWS", 7)
    root = generate_corpus(tmp_path / "gen", 120).path
    first, second = _twice(root, cache)
    assert second.outcome == HIT
    expected = load_corpus(root)
    assert second.corpus == expected
    assert second.corpus.events_by_person == expected.events_by_person
    conn = sqlite3.connect(first.cache_file)
    parts = dict(conn.execute("SELECT kind, count(*) FROM records GROUP BY kind").fetchall())
    conn.close()
    assert parts["events"] == -(-len(expected.events) // 7) > 1
    assert parts["manifest"] == 1


def test_repeated_ids_and_kinds_are_one_object_each(tmp_path, cache):
    # What keeps a large corpus small: every record naming a person holds the person's own id string.
    root = generate_corpus(tmp_path / "gen", 120).path
    corpus = _twice(root, cache)[1].corpus
    person = corpus.people[0]
    naming = [e for e in corpus.events if person.id in e.participants]
    assert naming
    for event in naming:
        assert next(p for p in event.participants if p == person.id) is person.id
    assert len({id(d.kind) for d in corpus.documents}) == len({d.kind for d in corpus.documents})
    document = next(d for d in corpus.documents if d.id in corpus.events_by_document)
    assert any(d is document.id for e in corpus.events for d in e.documents)
    passage_ids = {id(q.passage) for e in corpus.events for q in e.passages}
    assert passage_ids <= {id(p.id) for p in corpus.essay.passages}
    # Values that are equal but not of one type stay apart (True == 1 and hash alike).
    assert all(type(f.number) is int for f in corpus.essay.footnotes)
    assert all(type(e.draft) is bool for e in corpus.events)


def test_an_edit_of_a_corpus_read_from_the_cache_equals_one_read_from_yaml(tmp_path, cache):
    root = generate_corpus(tmp_path / "gen", 120).path
    cached, fresh = _twice(root, cache)[1].corpus, load_corpus(root)
    event = cached.events[3]
    moved = dataclasses.replace(event, date=cached.events[-1].date, participants=(cached.people[1].id,),
                                documents=())
    changed = {"events": {event.id: moved, cached.events[5].id: None}}
    edited, expected = cached.updated(changed), fresh.updated(changed)
    assert edited == expected == dataclasses.replace(fresh, events=expected.events)
    for name in ("event_by_id", "events_by_person", "events_by_document", "events_by_footnote"):
        assert getattr(edited, name) == getattr(expected, name), name


def test_the_default_corpus(cache):
    _first, second = _twice(DEFAULT_CORPUS, cache)
    assert second.outcome == HIT
    assert second.corpus == load_corpus(DEFAULT_CORPUS)
    assert second.corpus.manifest.commentary == load_corpus(DEFAULT_CORPUS).manifest.commentary


def test_an_edit_is_never_served_stale(tiny_corpus_dir, cache):
    _twice(tiny_corpus_dir, cache)
    events = tiny_corpus_dir / "events.yaml"
    original = events.read_text(encoding="utf-8")
    events.write_text(original.replace("Kim asks to attack", "Kim asks again"), encoding="utf-8")
    edited = open_corpus(tiny_corpus_dir, cache)
    assert edited.outcome == COMPILED
    assert edited.corpus.event_by_id["ev-march"].title == "Kim asks again"
    events.write_text(original, encoding="utf-8")  # back to the first version: one file, recompiled
    back = open_corpus(tiny_corpus_dir, cache)
    assert back.outcome == COMPILED and back.corpus.event_by_id["ev-march"].title == "Kim asks to attack"
    assert list(cache.iterdir()) == [back.cache_file]


def test_the_essay_and_added_files_are_part_of_the_key(tiny_corpus_dir, cache):
    _twice(tiny_corpus_dir, cache)
    essay = tiny_corpus_dir / "essay.txt"
    essay.write_text(essay.read_text(encoding="utf-8").replace("Stalin refused.", "Stalin said no."),
                     encoding="utf-8")
    changed = open_corpus(tiny_corpus_dir, cache)
    assert changed.outcome == COMPILED and "Stalin said no." in changed.corpus.essay.passage("p01").text
    (tiny_corpus_dir / "notes").mkdir()
    (tiny_corpus_dir / "notes" / "todo.txt").write_text("check note 2", encoding="utf-8")
    assert open_corpus(tiny_corpus_dir, cache).outcome == COMPILED
    assert open_corpus(tiny_corpus_dir, cache).outcome == HIT


def test_another_app_version_or_format_misses(tiny_corpus_dir, cache, monkeypatch):
    _twice(tiny_corpus_dir, cache)
    monkeypatch.setattr(corpus_cache, "__version__", "99.0")
    assert open_corpus(tiny_corpus_dir, cache).outcome == COMPILED
    monkeypatch.setattr(corpus_cache, "CACHE_FORMAT", corpus_cache.CACHE_FORMAT + 1)
    assert open_corpus(tiny_corpus_dir, cache).outcome == COMPILED
    assert open_corpus(tiny_corpus_dir, cache).outcome == HIT


def _within_seconds(work, seconds: float = 20):
    """*work*'s result; fails (instead of hanging the suite) if it blocks, as an open FIFO would."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    return result[0]


def test_a_folder_where_the_cache_file_should_be_loads_uncached(tiny_corpus_dir, cache):
    cache_file = corpus_cache.cache_file_for(tiny_corpus_dir, cache)
    cache_file.mkdir(parents=True)
    result = open_corpus(tiny_corpus_dir, cache)
    assert result.outcome == UNCACHED and result.corpus == load_corpus(tiny_corpus_dir)


def _damage_with_garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def _damage_by_truncating(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _damage_a_table(path: Path) -> None:
    # A flipped byte inside the stored records that SQLite itself cannot notice.
    conn = sqlite3.connect(path)
    with conn:
        (data,) = conn.execute("SELECT data FROM records WHERE kind = 'events'").fetchone()
        data = data.replace(b"Kim asks to attack", b"Kim asks to defend")
        conn.execute("UPDATE records SET data = ? WHERE kind = 'events'", (data,))
    conn.close()


def _damage_the_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE records")
    conn.close()


def _store_events(path: Path, data: bytes) -> None:
    """Replace the events table with *data* under a checksum that matches it (as a crafted file would)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE records SET data = ?, sha256 = ? WHERE kind = 'events'",
                     (data, hashlib.sha256(data).hexdigest()))
    conn.close()


def _damage_with_deep_nesting(path: Path) -> None:
    _store_events(path, b"[" * 100_000 + b"]" * 100_000)


def _damage_with_wrong_shapes(path: Path) -> None:
    _store_events(path, b'[{"id": 1}, 7, null]')


def _damage_by_dropping_a_part(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM records WHERE kind = 'events'")
    conn.close()


def _damage_by_renumbering_a_part(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE records SET part = 1 WHERE kind = 'people'")
    conn.close()


def _damage_with_a_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


DAMAGES = [_damage_with_garbage, _damage_by_truncating, _damage_a_table, _damage_the_schema,
           _damage_with_deep_nesting, _damage_with_wrong_shapes, _damage_with_a_fifo, _damage_by_dropping_a_part,
           _damage_by_renumbering_a_part]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_cache_is_rebuilt_not_trusted(tiny_corpus_dir, cache, damage):
    first, _ = _twice(tiny_corpus_dir, cache)
    damage(first.cache_file)
    again = _within_seconds(lambda: open_corpus(tiny_corpus_dir, cache))
    assert again.outcome == REBUILT and "damaged" in again.detail
    assert again.corpus == load_corpus(tiny_corpus_dir)
    assert open_corpus(tiny_corpus_dir, cache).outcome == HIT


def test_an_unwritable_cache_folder_loads_without_caching(tiny_corpus_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = open_corpus(tiny_corpus_dir, blocker / "cache")  # cannot be created (the tests run as root)
    assert result.outcome == UNCACHED and result.cache_file is None and "cannot write" in result.detail
    assert result.corpus == load_corpus(tiny_corpus_dir)


def test_a_corpus_edited_while_loading_is_not_cached(tiny_corpus_dir, cache, monkeypatch):
    real = corpus_cache._load_yaml

    def load_then_edit(root):
        corpus = real(root)
        (root / "places.yaml").write_text("places:\n  - id: moscow\n    name: Moskva\n", encoding="utf-8")
        return corpus

    monkeypatch.setattr(corpus_cache, "_load_yaml", load_then_edit)
    assert open_corpus(tiny_corpus_dir, cache).outcome == UNCACHED
    monkeypatch.setattr(corpus_cache, "_load_yaml", real)
    assert open_corpus(tiny_corpus_dir, cache).corpus.place_by_id["moscow"].name == "Moskva"


def test_an_invalid_corpus_raises_and_caches_nothing(make_corpus, cache):
    bad = make_corpus({"places.yaml": "places:\n  - id: moscow\n"})
    with pytest.raises(CorpusError) as info:
        load_corpus_cached(bad, cache)
    assert info.value.problems[0].key == "name"
    assert not cache.exists() or not list(cache.iterdir())
    with pytest.raises(CorpusError):
        load_corpus_cached(bad / "missing", cache)


def test_a_cache_folder_inside_the_corpus_is_not_part_of_its_key(tiny_corpus_dir):
    inside = tiny_corpus_dir / ".cache"
    assert [open_corpus(tiny_corpus_dir, inside).outcome for _ in range(2)] == [COMPILED, HIT]


def test_one_cache_file_per_folder(tmp_path, cache):
    from tests.support.corpora import write_corpus

    a, b = write_corpus(tmp_path / "a"), write_corpus(tmp_path / "b")
    ra, rb = open_corpus(a, cache), open_corpus(b, cache)
    assert ra.cache_file != rb.cache_file
    hit = open_corpus(b, cache)
    assert hit.outcome == HIT and hit.corpus.essay.source == str((b / "essay.txt").resolve())
    assert hit.corpus.path == b


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("EXPLORER_CACHE_DIR")
    monkeypatch.setattr(corpus_cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "korean-war-explorer"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert default_cache_dir() == Path.home() / ".cache" / "korean-war-explorer"


def test_the_suite_never_touches_the_real_cache():
    assert default_cache_dir() != Path.home() / ".cache" / "korean-war-explorer"


def test_progress_names_each_phase_and_can_stop_the_open(tiny_corpus_dir, cache):
    seen: list[tuple[str, float | None]] = []
    open_corpus(tiny_corpus_dir, cache, progress=lambda phase, fraction: seen.append((phase, fraction)))
    phases = [phase for phase, _ in seen]
    assert phases == ["Checking the corpus files", "Reading and checking the corpus files",
                      "Saving a compiled copy for next time"]
    seen.clear()
    open_corpus(tiny_corpus_dir, cache, progress=lambda phase, fraction: seen.append((phase, fraction)))
    assert [phase for phase, _ in seen] == ["Checking the corpus files", "Reading the compiled copy"]

    class Stop(Exception):
        pass

    def stop_when_saving(phase: str, _fraction: float | None) -> None:
        if phase.startswith("Saving"):
            raise Stop

    edited = tiny_corpus_dir / "notes.txt"
    edited.write_text("a new file: the cache misses", encoding="utf-8")
    with pytest.raises(Stop):
        open_corpus(tiny_corpus_dir, cache, progress=stop_when_saving)
    assert open_corpus(tiny_corpus_dir, cache).outcome == COMPILED  # nothing was written when it stopped
