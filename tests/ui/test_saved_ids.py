"""A saved selection that is not an id (a damaged or hand-edited settings file) never blocks a start (11.6)."""

from __future__ import annotations

import logging

from explorer.core.selection import Selection
from explorer.ui.main_window import MainWindow


def test_bad_saved_ids_are_dropped_with_a_note_in_the_log(tiny_corpus, caplog):
    saved = ["footnote:²", "footnote:" + "9" * 5000, "event:fn²", "document:nothing", "event:ev-january"]
    with caplog.at_level(logging.WARNING, logger="explorer"):
        selection = Selection.from_ids(tiny_corpus, saved)
    assert selection == Selection(event="ev-january")
    dropped = [r.getMessage() for r in caplog.records]
    assert len(dropped) == 4
    assert "'footnote:²'" in dropped[0] and "tiny" in dropped[0]
    assert all(len(message) < 200 for message in dropped)  # 5,000 digits are not logged whole


def test_a_window_opens_over_a_bad_saved_selection(qtbot, tiny_corpus, settings):
    settings.set_last_selection("tiny", ["footnote:²", "passage:p02"])
    window = MainWindow(tiny_corpus, settings)
    qtbot.addWidget(window)
    assert window.state.passage == "p02"
    assert window.state.footnote is None
