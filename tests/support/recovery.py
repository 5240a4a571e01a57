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
