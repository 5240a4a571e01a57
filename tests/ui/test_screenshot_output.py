"""--screenshot says nothing about the offscreen platform, and still passes on every other Qt message (10.13)."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import qInfo, qInstallMessageHandler, qWarning

from explorer.ui.app import OFFSCREEN_NOISE, _quiet_offscreen_platform
from tests.support.corpora import REPO


def test_the_filter_drops_only_the_platform_message(qtlog):
    previous = _quiet_offscreen_platform()
    try:
        qWarning(OFFSCREEN_NOISE)
        qInfo("the app's own message")
    finally:
        qInstallMessageHandler(previous)
    said = [record.message for record in qtlog.records]
    assert "the app's own message" in said
    assert OFFSCREEN_NOISE not in said


def test_a_screenshot_prints_nothing(tmp_path, tiny_corpus_dir):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_CONFIG_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "explorer", str(tiny_corpus_dir), "--screenshot", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "propagateSizeHints" not in done.stderr
    assert (done.stdout, done.stderr) == ("", "")
