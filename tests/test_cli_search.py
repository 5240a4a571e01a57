"""`explorer search`: the same hits as the index, as text or JSON, marks included, errors on stderr."""

from __future__ import annotations

import json

import pytest

from explorer.cli import main
from explorer.core.corpus_cache import load_corpus_cached
from explorer.core.search import SearchIndex
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def run(capsys, *args):
    code = main(["search", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_the_same_hits_as_the_index(env, capsys):
    code, out, _ = run(capsys, DEFAULT_CORPUS, "person:shtykov kind:document", "--json", "--limit", 5)
    assert code == 0
    hits = json.loads(out)
    corpus = load_corpus_cached(DEFAULT_CORPUS, env / "cache")
    with SearchIndex.open(corpus, env / "cache") as index:
        expected = [h.to_dict() for h in index.search("person:shtykov kind:document", limit=5)]
    assert hits == expected and len(hits) == 5
    assert set(hits[0]) == {"kind", "id", "title", "snippet", "highlights", "passage", "note", "document"}


def test_text_output_names_kind_id_title_and_where(env, capsys):
    code, out, err = run(capsys, DEFAULT_CORPUS, '"atomic bomb"')
    assert code == 0 and "2 hits" in err
    first, snippet = out.splitlines()[:2]
    assert first.startswith("event") and "stalin-explains-changed-situation-1950" in first
    assert first.endswith("(passage p11, note 12)")
    assert "[atomic bomb]" in snippet


def test_marks_comments_are_searched(env, capsys):
    from explorer.store.marks import MARKS_FILENAME, MarkStore

    (env / "data").mkdir()
    with MarkStore.open(env / "data" / MARKS_FILENAME) as store:
        store.set_mark("korea-1950", "doc:shtykov-stalin-1950-05-29", "disputed", "zhemchug copy disagrees", 20)
    code, out, _ = run(capsys, DEFAULT_CORPUS, "zhemchug", "--json")
    assert code == 0
    assert [(h["kind"], h["id"], h["note"]) for h in json.loads(out)] == [
        ("mark", "doc:shtykov-stalin-1950-05-29", 20)]


def test_a_damaged_marks_file_is_reported_and_the_corpus_still_searched(env, capsys):
    from explorer.store.marks import MARKS_FILENAME

    (env / "data").mkdir()
    damaged = env / "data" / MARKS_FILENAME
    damaged.write_bytes(b"not a database" * 100)
    code, out, err = run(capsys, DEFAULT_CORPUS, "Shykov", "--json")
    assert code == 0 and "marks not searched" in err and str(damaged) in err
    assert "shtykov" in [h["id"] for h in json.loads(out)]
    assert damaged.read_bytes() == b"not a database" * 100  # left as it was


def test_a_bad_corpus_is_an_error_naming_it(env, capsys):
    code, _, err = run(capsys, env / "missing", "x")
    assert code == 1 and str(env / "missing") in err


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_a_bad_limit_is_refused(env, capsys, limit):
    with pytest.raises(SystemExit) as exc:
        run(capsys, DEFAULT_CORPUS, "x", "--limit", limit)
    assert exc.value.code == 2 and "positive whole number" in capsys.readouterr().err


def test_a_hostile_query_answers(env, capsys):
    code, out, _ = run(capsys, DEFAULT_CORPUS, 'NEAR( "a AND -', "--json")
    assert code == 0 and isinstance(json.loads(out), list)


def test_a_reader_that_stops_reading_gets_no_traceback(env, tmp_path, tiny_corpus_dir):
    """`explorer search CORPUS QUERY | head -1`: the pipe closes before the hits are written."""
    import os
    import subprocess
    import sys

    from tests.support.corpora import REPO

    read, write = os.pipe()
    os.close(read)  # the reader is gone before a line is written
    try:
        done = subprocess.run([sys.executable, "-m", "explorer", "search", str(tiny_corpus_dir), "Shtykov", "--json"],
                              cwd=REPO, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "EXPLORER_CACHE_DIR": str(tmp_path / "cache2")})
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1
