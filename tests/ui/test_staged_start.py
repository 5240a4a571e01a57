"""Start-up in stages (issue 17): the window builds what its first paint shows, then the rest; the start
frame appears only for a load that takes a while. Whatever is asked for early is built on demand."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from explorer.core.model import Corpus
from explorer.ui.main_window import BUILT_LATER, MainWindow
from explorer.ui.settings import Settings
from tests.support.launching import launchers


def _unbuilt(window: MainWindow) -> list[str]:
    return sorted(name for name in BUILT_LATER if name not in vars(window))


@pytest.fixture
def unshown(qtbot, settings: Settings, tiny_corpus: Corpus):
    """A window built but never shown, so never painted: only its first stage exists."""

    def make(with_settings: Settings | None = None) -> MainWindow:
        window = MainWindow(tiny_corpus, with_settings or settings, submit=lambda work: work())
        qtbot.addWidget(window)
        return window

    return make


def test_the_first_stage_leaves_the_hidden_parts_for_after_the_first_paint(qtbot, unshown) -> None:
    window = unshown()
    assert _unbuilt(window) == sorted(BUILT_LATER)
    assert window.audit_dock.widget() is None and not window.audit.started
    window.resize(1440, 900)
    window.show()
    qtbot.waitUntil(lambda: window.audit.done)  # the audit starts after the rest is built
    assert _unbuilt(window) == []
    assert window.audit_dock.widget() is window.audit_panel
    assert window.timeline_dock.widget() is window.timeline
    assert window.correspondence_dock.widget() is window.correspondence
    assert window.history_dock.widget() is window.history_view
    assert window.audit_panel.model.rowCount() == len(window.audit.findings or ())


def test_a_part_asked_for_early_is_built_then(unshown) -> None:
    window = unshown()
    panel = window.audit_panel  # a caller (a test, --select a finding) before the first paint
    assert _unbuilt(window) == [] and window.audit_dock.widget() is panel
    window._build_later()  # after the first paint: nothing is built twice
    assert window.audit_panel is panel and window.audit_dock.widget() is panel
    with pytest.raises(AttributeError, match="no attribute 'no_such_part'"):
        _ = window.no_such_part  # type: ignore[attr-defined]


def test_a_dock_shown_before_the_first_paint_has_its_pane(unshown) -> None:
    window = unshown()
    window.view_actions[0].trigger()  # Ctrl+5, the timeline, pressed at once
    assert window.timeline_dock.isVisibleTo(window) and window.timeline_dock.widget() is window.timeline


def test_the_menus_built_later_keep_their_places(qtbot, window: MainWindow) -> None:
    file_items = [a.menu().title() if a.menu() else a.text() for a in window.file_menu.actions() if a.text()]
    exports = window.exports
    assert file_items[-3:] == [exports.export_menu.title(), exports.print_action.text(), "&Quit"]
    assert window.edit_menu.actions()[-1] is window.review.preferences_action  # last, as platforms place it
    view = window.view_menu.actions()
    assert view.index(window.history_action) < view.index(exports.report_action) \
        < view.index(window.record_editor.view_action)
    assert isinstance(exports.export_menu, QMenu)


def test_a_dock_the_reader_left_open_is_built_for_the_first_paint(
    qtbot, make_window, tiny_corpus: Corpus, settings: Settings, unshown
) -> None:
    first = make_window(tiny_corpus)
    first.audit_dock.show()
    first.close()  # saves the layout: the audit dock open
    again = unshown(settings)
    assert _unbuilt(again) == [] and again.audit_dock.widget() is again.audit_panel


def test_the_docks_come_back_as_the_reader_left_them(qtbot, make_window, tiny_corpus: Corpus) -> None:
    first = make_window(tiny_corpus)
    first.record_editor.dock.show()
    first.timeline_dock.show()
    first.close()
    again = make_window(tiny_corpus)
    assert again.record_editor.dock.isVisible() and again.timeline_dock.isVisible()
    assert again.timeline_dock.widget() is again.timeline


@pytest.fixture
def slow_start(qtbot, settings: Settings, tmp_path: Path):
    with launchers(settings, tmp_path / "cache") as make:
        yield lambda delay_ms: make(start_window_delay_ms=delay_ms)


def test_a_quick_load_opens_its_window_with_no_start_frame(qtbot, slow_start, tiny_corpus_dir: Path) -> None:
    opened, pool = slow_start(60_000)
    opened.open(tiny_corpus_dir)
    assert opened.start_window is None and opened.window is None
    pool.run()
    assert opened.window is not None and opened.window.isVisible()
    assert opened.start_window is None and opened._start_timer is None  # never shown, nothing left to show it


def test_a_slow_load_shows_the_start_frame_with_its_progress_and_cancel(
    qtbot, slow_start, tiny_corpus_dir: Path
) -> None:
    opened, pool = slow_start(1)
    opened.open(tiny_corpus_dir)
    opened._on_progressed("Checking the corpus files", None)  # a phase reported before the frame is up
    qtbot.waitUntil(lambda: opened.start_window is not None)
    start = opened.start_window
    assert start is not None and start.isVisible()
    assert start.progress.title.text() == f"Opening {tiny_corpus_dir.name}…"
    assert "Checking the corpus files" in start.progress.phase.text()
    opened.cancel()  # Cancel quits: nothing is open
    assert opened.start_window is None and opened.quits == [0]
    pool.run()
    assert opened.window is None
