"""The app works with the network gone, and never tries to use it.

``tests/conftest.py`` refuses Internet sockets and host lookups for the
whole session (:mod:`tests.hostile.network_guard`); these tests check the
guard is on, that loading, checking, auditing and the window make no
attempt, and that whole runs of the command in fresh processes, guarded the
same way and watched by strace, make none either.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.audit import run_audit
from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from tests.hostile import network_guard
from tests.hostile.network_guard import NetworkBlocked
from tests.support.corpora import DEFAULT_CORPUS, REPO


def test_the_guard_refuses_internet_sockets_and_lookups_but_not_local_ones() -> None:
    before = len(network_guard.attempts)
    try:
        with pytest.raises(NetworkBlocked):
            socket.create_connection(("198.51.100.7", 80), timeout=1)
        with pytest.raises(NetworkBlocked):
            socket.getaddrinfo("example.org", 443)
        for family, address in ((socket.AF_INET, ("127.0.0.1", 0)), (socket.AF_INET6, ("::1", 0))):
            with socket.socket(family, socket.SOCK_STREAM) as sock:
                with pytest.raises(NetworkBlocked):
                    sock.bind(address)
                with pytest.raises(NetworkBlocked):
                    sock.connect_ex(address)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkBlocked):
            sock.sendto(b"x", ("198.51.100.7", 53))
        assert len(network_guard.attempts) == before + 7
    finally:
        del network_guard.attempts[before:]  # expected here; the session checks for any others
    left, right = socket.socketpair()  # AF_UNIX, as asyncio and multiprocessing use
    with left, right:
        left.sendall(b"local")
        assert right.recv(5) == b"local"


def test_loading_checking_auditing_and_the_window_attempt_nothing(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = list(network_guard.attempts)
    corpus = load_corpus(DEFAULT_CORPUS)
    assert run_audit(corpus)
    assert main(["check", str(DEFAULT_CORPUS), "--json"]) == 0
    assert main(["audit", str(DEFAULT_CORPUS), "--format", "markdown"]) == 0
    capsys.readouterr()
    window = MainWindow(corpus, Settings(open_settings(tmp_path / "settings.ini")))
    qtbot.addWidget(window)
    window.show()
    for event in corpus.events:
        window.state.select_event(event.id)
        for document in event.documents:
            window.state.select_document(document)
        window.document_pane.render_now()
    for note in corpus.essay.footnotes:
        window.state.select_footnote(note.number)
    # The audit the shown window started in its thread, and the last note's render, are done (not a fixed wait).
    qtbot.waitUntil(lambda: window.audit.done and window.document_pane.shown == window.state.selection)
    assert network_guard.attempts == before


# -- whole runs in fresh processes -----------------------------------------------------

GUARDED = textwrap.dedent("""
    import sys
    from tests.hostile import network_guard
    network_guard.install()
    from explorer.cli import main
    status = main(sys.argv[1:])
    if network_guard.attempts:
        print("NETWORK ATTEMPTS:", network_guard.attempts, file=sys.stderr)
        sys.exit(99)
    # Nor was there a network stack to call: Qt's networking and Python's HTTP never loaded.
    loaded = {"PySide6.QtNetwork", "http.client", "urllib.request", "ssl"} & set(sys.modules)
    if loaded:
        print("NETWORK MODULES LOADED:", sorted(loaded), file=sys.stderr)
        sys.exit(98)
    sys.exit(status)
""")

RUNS = {
    "self-test": ["--self-test"],
    "check": ["check", str(DEFAULT_CORPUS)],
    "audit": ["audit", str(DEFAULT_CORPUS), "--format", "json", "--with-marks"],
}


def _run(prefix: list[str], args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_DATA_DIR=str(tmp_path / "data"),
               EXPLORER_CONFIG_DIR=str(tmp_path / "config"), EXPLORER_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([*prefix, sys.executable, "-c", GUARDED, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.mark.parametrize("run", sorted(RUNS))
def test_a_whole_run_with_sockets_blocked_succeeds_and_attempts_nothing(run: str, tmp_path: Path) -> None:
    done = _run([], RUNS[run], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]


def _strace_works() -> bool:
    if sys.platform != "linux" or shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=none", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _strace_works(), reason="needs strace, and ptrace allowed")
def test_the_self_test_makes_no_internet_socket_even_in_c(tmp_path: Path) -> None:
    """What Qt's C++ or a C library might do is below Python's socket module: watch the kernel."""
    trace = tmp_path / "trace.log"
    done = _run(["strace", "-f", "-qq", "-e", "trace=%network", "-o", str(trace)], RUNS["self-test"], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    internet = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
    assert internet == []
