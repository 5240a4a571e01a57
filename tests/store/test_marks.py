"""The mark store's everyday behaviour: set, get, overwrite, history, reopen."""

import sqlite3
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from explorer.core.errors import CorpusError
from explorer.store.marks import (
    Mark,
    MarkStatus,
    MarkStore,
    MarkStoreError,
    default_data_dir,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "marks.sqlite3"


def test_set_get_overwrite_keep_every_note_in_history(db: Path) -> None:
    with MarkStore.open(db) as store:
        assert store.get("essay", "c1") is None
        first = store.set_mark(
            "essay", "c1", "verified", "Checked in NARA RG 59.", footnote=3, label="FRUS 1950"
        )
        assert store.get("essay", "c1") == first
        assert first.status is MarkStatus.VERIFIED

        second = store.set_mark(
            "essay", "c1", MarkStatus.DISPUTED, "Date is wrong.", footnote=3, label="FRUS", version=first.version
        )
        assert (first.version, second.version) == (1, 2)
        assert store.get("essay", "c1") == second
        assert store.marks("essay") == {"c1": second}
        assert [m.note for m in store.history("essay", "c1")] == ["Checked in NARA RG 59.", "Date is wrong."]
        assert store.history("essay", "c1") == [first, second]


def test_marks_survive_a_restart(db: Path) -> None:
    with MarkStore.open(db) as store:
        saved = [store.set_mark("essay", f"c{i}", "verified", f"note {i}", footnote=i) for i in range(5)]
        store.set_mark("essay", "c0", "disputed", "second thoughts", version=saved[0].version)
    with MarkStore.open(db) as store:
        marks = store.marks("essay")
        assert set(marks) == {f"c{i}" for i in range(5)}
        assert marks["c1"] == saved[1]
        assert marks["c0"].note == "second thoughts"
        assert [m.note for m in store.history("essay", "c0")] == ["note 0", "second thoughts"]


def test_marks_are_keyed_by_corpus_and_citation_key_not_footnote(db: Path) -> None:
    with MarkStore.open(db) as store:
        store.set_mark("essay", "c1", "verified", footnote=3, label="Acheson to Bruce")
        # The footnote was renumbered by an edit: same citation, same mark.
        moved = store.set_mark("essay", "c1", "verified", footnote=5, label="Acheson to Bruce", version=1)
        store.set_mark("essay", "c2", "unchecked", footnote=5, label="Another source")
        store.set_mark("other-corpus", "c1", "disputed")
        assert store.get("essay", "c1") == moved
        assert set(store.marks("essay")) == {"c1", "c2"}
        assert store.marks("other-corpus")["c1"].status == "disputed"
        assert store.marks("no-such-corpus") == {}


def test_updated_at_is_utc_iso(db: Path) -> None:
    with MarkStore.open(db) as store:
        mark = store.set_mark("essay", "c1", "verified")
    when = datetime.fromisoformat(mark.updated_at)
    assert when.utcoffset() == timedelta(0)


@pytest.mark.parametrize("status", ["", "Verified", "checked", "verified "])
def test_unknown_status_is_refused_and_nothing_is_written(db: Path, status: str) -> None:
    with MarkStore.open(db) as store:
        with pytest.raises(ValueError):
            store.set_mark("essay", "c1", status)
        assert store.get("essay", "c1") is None
        assert store.history("essay", "c1") == []


def test_empty_keys_are_refused(db: Path) -> None:
    with MarkStore.open(db) as store:
        with pytest.raises(ValueError):
            store.set_mark("", "c1", "verified")
        with pytest.raises(ValueError):
            store.set_mark("essay", "", "verified")


@pytest.mark.parametrize(
    "note",
    [
        "<b>bold</b> &amp; <script>alert('x')</script>",
        "한국전쟁 1950–1953 — “quoted” ‘single’ …",
        "'); DROP TABLE marks; --",
        "line one\nline two\ttabbed\r\nthree",
        "%s %(name)s {0} {}",
        "nul \x00 inside",
        "",
    ],
)
def test_notes_and_labels_are_stored_literally(db: Path, note: str) -> None:
    with MarkStore.open(db) as store:
        store.set_mark("essay", "c1", "disputed", note, label=note)
    with MarkStore.open(db) as store:
        mark = store.get("essay", "c1")
        assert mark is not None
        assert (mark.note, mark.label) == (note, note)


def test_two_instances_share_one_file(db: Path) -> None:
    with MarkStore.open(db) as first, MarkStore.open(db) as second:
        first.set_mark("essay", "c1", "verified", "from the first window")
        assert second.get("essay", "c1") == first.get("essay", "c1")
        second.set_mark("essay", "c1", "disputed", "from the second window", version=1)
        assert first.get("essay", "c1").note == "from the second window"
        assert len(first.history("essay", "c1")) == 2


def test_a_store_belongs_to_the_thread_that_opened_it(db: Path) -> None:
    errors: list[BaseException] = []
    with MarkStore.open(db) as store:

        def elsewhere() -> None:
            try:
                store.get("essay", "c1")
            except BaseException as e:
                errors.append(e)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert len(errors) == 1
    assert isinstance(errors[0], sqlite3.ProgrammingError)


def test_store_error_is_the_user_facing_error(db: Path) -> None:
    assert issubclass(MarkStoreError, CorpusError)
    db.mkdir(parents=True)
    with pytest.raises(CorpusError) as raised:
        MarkStore.open(db)
    assert raised.value.problems[0].file == str(db)
    assert "folder" in str(raised.value)


# -- backup ---------------------------------------------------------------------


def test_backup_is_one_complete_file(db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "backup.sqlite3"
    dest.write_bytes(b"an older backup")
    with MarkStore.open(db) as store:
        for i in range(50):
            store.set_mark("essay", f"c{i}", "verified", f"note {i}")
        store.backup(dest)
        with pytest.raises(MarkStoreError, match="marks file itself"):
            store.backup(db)
    assert not dest.with_name(dest.name + "-wal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    raw = sqlite3.connect(dest)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()
    with MarkStore.open(dest) as copy:
        assert len(copy.marks("essay")) == 50
        assert copy.get("essay", "c7").note == "note 7"


def test_backup_to_an_unwritable_place_names_the_destination(db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "no-such-folder" / "backup.sqlite3"
    with MarkStore.open(db) as store, pytest.raises(MarkStoreError) as raised:
        store.backup(dest)
    assert raised.value.problems[0].file == str(dest)


# -- where the file lives --------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("EXPLORER_DATA_DIR", "XDG_DATA_HOME", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return monkeypatch


def test_data_dir_env_var_wins(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("EXPLORER_DATA_DIR", str(tmp_path / "mine"))
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "mine"


def test_data_dir_on_linux(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setattr(sys, "platform", "linux")
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "korean-war-explorer"
    clean_env.setenv("XDG_DATA_HOME", "relative/is/ignored")
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "korean-war-explorer"
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "korean-war-explorer"


def test_data_dir_on_macos_and_windows(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setattr(sys, "platform", "darwin")
    assert default_data_dir() == tmp_path / "home" / "Library" / "Application Support" / "korean-war-explorer"
    clean_env.setattr(sys, "platform", "win32")
    clean_env.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_data_dir() == tmp_path / "Roaming" / "korean-war-explorer"


def test_mark_is_frozen(db: Path) -> None:
    with MarkStore.open(db) as store:
        mark = store.set_mark("essay", "c1", "verified")
    assert isinstance(mark, Mark)
    with pytest.raises(AttributeError):
        mark.note = "changed"  # type: ignore[misc]


def test_renaming_keys_moves_each_mark_with_its_history_and_back_and_refuses_a_clash(db: Path) -> None:
    """A merged or renamed document's marks change key (undo renames them back); two marks on one key
    would lose one, so that is refused and nothing moves."""
    with MarkStore.open(db) as store:
        first = store.set_mark("essay", "c1#doc=b", "verified", "seen", footnote=3, label="L")
        second = store.set_mark("essay", "c1#doc=b", "disputed", "wrong date", footnote=3, label="L",
                                version=first.version)
        store.set_mark("essay", "c2#doc=b", "verified", "", footnote=4)
        store.set_mark("essay", "c2#doc=a", "unchecked", "the kept one's own", footnote=4)
        store.set_mark("other", "c1#doc=b", "verified", "another corpus")
        assert store.rename_keys("essay", {"c1#doc=b": "c1#doc=a"}, "nothing moved") == 1
        assert store.get("essay", "c1#doc=b") is None
        assert store.get("essay", "c1#doc=a").note == second.note
        assert [m.note for m in store.history("essay", "c1#doc=a")] == ["seen", "wrong date"]
        assert store.get("other", "c1#doc=b") is not None  # another corpus's marks stay
        with pytest.raises(MarkStoreError, match=r"c2#doc=b and c2#doc=a.*nothing moved"):
            store.rename_keys("essay", {"c1#doc=a": "c1#doc=c", "c2#doc=b": "c2#doc=a"}, "nothing moved")
        assert store.get("essay", "c1#doc=a") is not None and store.get("essay", "c1#doc=c") is None
        assert store.rename_keys("essay", {"c1#doc=a": "c1#doc=b"}, "") == 1  # back, exactly
        assert store.get("essay", "c1#doc=b") == second
        assert len(store.history("essay", "c1#doc=b")) == 2 and not store.history("essay", "c1#doc=a")
