"""Shared fixtures. Nothing here touches the network or the real user's files."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: no display, and user data/settings in a
# throwaway place, so the suite never reads or writes the developer's own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SANDBOX = Path(tempfile.mkdtemp(prefix="explorer-tests-"))
os.environ["EXPLORER_DATA_DIR"] = str(_SANDBOX / "data")
os.environ["EXPLORER_CONFIG_DIR"] = str(_SANDBOX / "config")
os.environ["EXPLORER_CACHE_DIR"] = str(_SANDBOX / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "xdg-config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "xdg-data")

from tests.support.corpora import write_corpus  # noqa: E402  (after the environment above is set)


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """Every test runs with Internet sockets and host lookups refused (local sockets allowed).

    The app never needs the network; a code path that tries fails its test,
    and an attempt swallowed on the way is still reported at the end.
    """
    from tests.hostile import network_guard

    uninstall = network_guard.install()
    yield
    uninstall()
    assert not network_guard.attempts, f"network access was attempted: {network_guard.attempts}"


@pytest.fixture(scope="session", autouse=True)
def background_work_ends_before_qt() -> Iterator[None]:
    """As the app does when it quits: the session's audits and indexes end before Qt goes with the process.

    Here, not in tests/ui: tests/hostile and the top-level tests build windows whose audit runs in a
    daemon thread too, and a run of those alone must wait for it as well."""
    yield
    audit_job = sys.modules.get("explorer.ui.audit_job")  # not imported: no worker was started (and no Qt here)
    if audit_job is not None:
        assert audit_job.wait_for_workers(30), "background work still running 30 s after the last test"


#: The blocking dialogs the app opens (a nested event loop waiting for a reader): offscreen, with no
#: reader, one a test reaches without answering it would hang the whole run, so it fails the test at once.
_MODAL = {"QFileDialog": ("getOpenFileName", "getSaveFileName", "getExistingDirectory"),
          "QMessageBox": ("exec",), "QDialog": ("exec",)}


@pytest.fixture(autouse=True)
def no_modal_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that opens a blocking dialog must answer it (patch the call); unanswered, it fails, never hangs."""
    widgets = sys.modules.get("PySide6.QtWidgets")  # not imported: no dialog can open (tests/core, oldest Python)
    if widgets is None:
        return
    for class_name, methods in _MODAL.items():
        for method in methods:
            def refuse(*_args: object, _name: str = f"{class_name}.{method}", **_kwargs: object) -> None:
                raise AssertionError(f"{_name}() would block the test run waiting for a reader: answer it in the test")

            monkeypatch.setattr(getattr(widgets, class_name), method, refuse)


@pytest.fixture
def tiny_corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "tiny")


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[..., Path]:
    def make(overrides: dict[str, str | None] | None = None, essay: str | None = None, name: str = "c") -> Path:
        return write_corpus(tmp_path / name, overrides, essay)

    return make
