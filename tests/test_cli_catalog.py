"""`explorer catalog CORPUS FILE`: catalogue records from a Zotero export, matched and added to catalog.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.loader import load_corpus
from tests.core.test_catalog_import import CSL_ITEMS, RIS
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "imported"
    assert main(["import", str(DEFAULT_CORPUS / "essay.txt"), str(folder)]) == 0
    capsys.readouterr()
    return folder


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["catalog", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_matched_records_are_added_once_and_load(imported: Path, tmp_path: Path, capsys) -> None:
    export = tmp_path / "wcda.json"
    export.write_text(json.dumps(CSL_ITEMS), encoding="utf-8")
    code, out, _ = _run(capsys, imported, export, "--read-on", "2026-11-29")
    assert code == 0
    assert "not matched  march" in out and "not matched  jan31" in out  # every entry is accounted for
    assert "2 added to" in out
    corpus = load_corpus(imported)
    assert sorted(r.record_id for r in corpus.catalog) == ["directive", "luncheon"]
    luncheon = next(r for r in corpus.catalog if r.record_id == "luncheon")
    assert str(corpus.document_by_id[luncheon.document].date) == "1950-01-19"
    assert luncheon.read_on is not None and luncheon.read_on.text == "2026-11-29"
    before = (imported / "catalog.yaml").read_bytes()
    code, out, _ = _run(capsys, imported, export)  # the same export again adds nothing
    assert code == 0 and "nothing written" in out
    assert (imported / "catalog.yaml").read_bytes() == before
    ris = tmp_path / "wcda.ris"
    ris.write_text(RIS, encoding="utf-8")
    code, out, _ = _run(capsys, imported, ris)
    assert code == 0 and "1 added" in out
    assert len(load_corpus(imported).catalog) == 3


def test_dry_run_writes_nothing(imported: Path, tmp_path: Path, capsys) -> None:
    export = tmp_path / "wcda.json"
    export.write_text(json.dumps(CSL_ITEMS), encoding="utf-8")
    code, out, _ = _run(capsys, imported, export, "--dry-run")
    assert code == 0 and "nothing written (--dry-run)" in out
    assert not (imported / "catalog.yaml").exists()


def test_the_shipped_corpus_is_not_changed(tmp_path: Path, capsys) -> None:
    export = tmp_path / "wcda.ris"
    export.write_text(RIS, encoding="utf-8")
    before = (DEFAULT_CORPUS / "catalog.yaml").read_bytes()
    code, _, err = _run(capsys, DEFAULT_CORPUS, export)
    assert code == 1 and "shipped with the app" in err
    assert (DEFAULT_CORPUS / "catalog.yaml").read_bytes() == before


def test_a_broken_export_names_the_file(imported: Path, tmp_path: Path, capsys) -> None:
    export = tmp_path / "broken.json"
    export.write_text("[{", encoding="utf-8")
    code, _, err = _run(capsys, imported, export)
    assert code == 1 and str(export) in err
