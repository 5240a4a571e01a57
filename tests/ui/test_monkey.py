"""The window under many actions: nothing escapes, the panes agree, memory stays bounded."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow


def _documents(window: MainWindow) -> int:
    return len(window.findChildren(QTextDocument))


def test_zoom_steps_do_not_keep_old_documents(make_window, tiny_corpus: Corpus) -> None:
    window = make_window(tiny_corpus)
    window.zoom_in_action.trigger()  # the first step gives two rich-text labels their document, once
    before = _documents(window)
    for step in range(60):
        (window.zoom_in_action if step % 20 < 10 else window.zoom_out_action).trigger()
    assert window.zoom.percent != 100  # the steps did change the size (and so rebuilt the essay)
    assert _documents(window) == before
