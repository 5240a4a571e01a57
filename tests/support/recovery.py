"""What a crashed session leaves: its recovery files, and the id of a process that has ended."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

from explorer.core.recovery import corpus_tag, recovery_folder


def recovery_files(root: Path) -> list[Path]:
    """The recovery files of the corpus at *root*, any session's."""
    return sorted(recovery_folder().glob(f"{corpus_tag(root)}.*.json"))


@functools.cache
def dead_pid() -> int:
    """The id of a process that has ended (a recovery file left by a crash names one)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def kill_once_recovery_is_written(qtbot, app: subprocess.Popen, root: Path) -> None:
    """Wait until the app started as *app* has left a recovery file for the corpus at *root*, then SIGKILL it
    (a crash: nothing it does at exit runs). Fails with its error output if it ended before."""
    import signal

    try:
        qtbot.waitUntil(lambda: bool(recovery_files(root)) or app.poll() is not None, timeout=60_000)
        assert app.poll() is None, app.stderr.read().decode() if app.stderr else ""
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
        if app.stderr:
            app.stderr.close()
    assert app.returncode == -signal.SIGKILL
