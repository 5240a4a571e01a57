"""``explorer --self-test`` from source: every check passes, and a failing one says why."""

from __future__ import annotations

import io
import os

import pytest

from explorer import selftest
from explorer.cli import main


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_every_check_passes(qtbot, capsys) -> None:  # qtbot: the window is built on pytest-qt's QApplication
    before = {k: os.environ.get(k) for k in ("EXPLORER_DATA_DIR", "EXPLORER_CONFIG_DIR", "EXPLORER_CACHE_DIR")}
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    for name, _check in selftest.CHECKS:
        assert f"ok   {name}" in out
    assert "events each reached the list, the detail pane and the essay" in out
    assert out.rstrip().endswith(f"self-test passed: {len(selftest.CHECKS)} checks")
    # The user's locations are back as they were.
    assert {k: os.environ.get(k) for k in before} == before


def test_a_failing_check_exits_1_with_the_reason(monkeypatch) -> None:
    def broken(ctx):
        raise selftest.SelfTestFailure("the corpus is on fire")

    monkeypatch.setattr(selftest, "CHECKS", [("files", selftest.check_files), ("corpus", broken)])
    out = io.StringIO()
    assert selftest.run(out) == 1
    assert "ok   files" in out.getvalue()
    assert "FAIL corpus: the corpus is on fire" in out.getvalue()


def test_a_crashing_check_is_a_failure_with_its_traceback(monkeypatch) -> None:
    def crashing(ctx):
        raise KeyError("oops")

    monkeypatch.setattr(selftest, "CHECKS", [("corpus", crashing)])
    out = io.StringIO()
    assert selftest.run(out) == 1
    assert "FAIL corpus: KeyError" in out.getvalue() and "Traceback" in out.getvalue()
