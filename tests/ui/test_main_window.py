"""The window: three panes kept in sync through the state, driven through their own widgets."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from tests.ui.helpers import click_footnote, click_link, click_text

SIGNALS = ("event_selected", "document_selected", "source_selected", "person_selected", "passage_selected",
           "footnote_selected", "selection_changed", "history_changed")


def settled(window: MainWindow):
    return lambda: window.document_pane.shown == window.state.selection


def quiet(window: MainWindow):
    """Settled, and no delayed step of any pane pending (a render, a filter, a scroll): nothing left that
    could echo a selection late. The repeating timers (the marks' check for changes) are left out."""
    def done() -> bool:
        QApplication.processEvents()  # what was posted or queued at 0 ms runs first
        return settled(window)() and not any(t.isActive() for t in window.findChildren(QTimer) if t.isSingleShot())
    return done


def pick_row(window: MainWindow, event_id: str) -> None:
    assert window.event_list.choose(event_id)


def test_starts_at_the_first_event(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(settled(window))
    assert window.state.event_id == "ev-march"
    assert window.event_list.current_event() == "ev-march"
    assert not window.back_action.isEnabled()
    assert "Event 1 of 2" in window.status_line.text()


def test_a_row_drives_the_other_two_panes(qtbot, window: MainWindow) -> None:
    pick_row(window, "ev-january")
    qtbot.waitUntil(settled(window))
    assert "Telegram from Stalin to Shtykov" in window.document_pane.browser.toPlainText()
    assert window.passage_pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    assert "Event 2 of 2: 30 Jan 1950, Stalin agrees to help" in window.status_line.text()


def test_a_footnote_drives_the_list_and_the_document(qtbot, window: MainWindow) -> None:
    click_footnote(qtbot, window.passage_pane, 2)
    qtbot.waitUntil(settled(window))
    assert window.event_list.current_event() == "ev-january"
    assert window.document_pane.chooser.currentData() == "doc-jan"
    assert "Telegram from Stalin to Shtykov" in window.document_pane.browser.toPlainText()
    assert window.passage_pane.note.isVisible()
    assert "note 2" in window.status_line.text()


def test_a_sentence_drives_the_list_and_the_document(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(settled(window))
    click_text(qtbot, window.passage_pane, "p02", 4)
    qtbot.waitUntil(settled(window))
    assert window.event_list.current_event() == "ev-january"
    assert "Stalin agrees to help" in window.document_pane.event_label.text()


def test_a_document_link_drives_the_list_and_the_essay(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(settled(window))
    click_link(qtbot, window.document_pane.browser, "event:ev-january")  # "also evidences"
    qtbot.waitUntil(settled(window))
    assert window.event_list.current_event() == "ev-january"
    assert window.passage_pane.highlighted_text() == ["On 30 January 1950 Stalin said"]


def test_back_and_forward_through_buttons_and_keys(qtbot, window: MainWindow) -> None:
    pick_row(window, "ev-january")
    click_footnote(qtbot, window.passage_pane, 1)
    assert window.state.footnote == 1
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    window.back_action.trigger()
    assert (window.state.event_id, window.state.footnote) == ("ev-january", None)
    assert not window.passage_pane.note.isVisible()
    window.passage_pane.view.setFocus()
    qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.state.event_id == "ev-march"
    assert window.event_list.current_event() == "ev-march"
    qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.state.event_id == "ev-january"
    window.forward_action.trigger()
    assert window.state.footnote == 1
    assert not window.forward_action.isEnabled()
    qtbot.waitUntil(settled(window))
    assert "Telegram from Shtykov to Vyshinsky" in window.document_pane.browser.toPlainText()


def test_no_selection_change_emits_twice_or_loops(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(settled(window))
    counts: Counter[str] = Counter()
    for name in SIGNALS:
        getattr(window.state, name).connect(lambda *args, name=name: counts.update([name]))

    def each_once(action, expected: set[str]) -> None:
        counts.clear()
        action()
        qtbot.waitUntil(quiet(window))  # past every pane's delay: a late echo would show here
        assert set(counts) == expected
        assert all(n == 1 for n in counts.values()), counts

    each_once(lambda: pick_row(window, "ev-january"),
              {"event_selected", "document_selected", "passage_selected", "selection_changed", "history_changed"})
    each_once(lambda: window.document_pane.chooser.setCurrentIndex(1), {"document_selected", "selection_changed"})
    # note 1 cites doc-sept, which evidences the current event: only the passage and the note change
    each_once(lambda: click_footnote(qtbot, window.passage_pane, 1),
              {"passage_selected", "footnote_selected", "selection_changed"})
    each_once(lambda: click_text(qtbot, window.passage_pane, "p02", 2),
              {"passage_selected", "footnote_selected", "selection_changed"})
    assert window.state.document == "doc-sept"  # clicking the event's own sentence keeps the chosen document
    each_once(window.back_action.trigger,
              {"passage_selected", "footnote_selected", "selection_changed", "history_changed"})
    # ev-march: same first document, cites the open note 1, narrated in the current passage
    each_once(lambda: click_text(qtbot, window.passage_pane, "p01", 2),
              {"event_selected", "selection_changed", "history_changed"})


def test_focus_filter_and_zoom_shortcuts(qtbot, window: MainWindow) -> None:
    for key, widget in ((Qt.Key.Key_2, window.document_pane.browser), (Qt.Key.Key_3, window.passage_pane.view),
                        (Qt.Key.Key_1, window.event_list.view)):
        qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is widget
    qtbot.keyClick(window.event_list.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_panel.field  # Ctrl+F searches everything
    qtbot.keyClick(window.search_panel.field, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.event_list.filter_edit
    size = window.passage_pane.view.font().pointSizeF()
    qtbot.keyClick(window.event_list.filter_edit, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom.percent == 110
    assert window.passage_pane.view.font().pointSizeF() > size
    qtbot.keyClick(window.event_list.filter_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.event_list.filter_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom.percent == 90


def test_zoom_geometry_splitter_and_selection_survive_a_restart(
    qtbot, make_window, tiny_corpus: Corpus, settings_path
) -> None:
    first = make_window(tiny_corpus, Settings(open_settings(settings_path)))
    first.zoom.zoom_in()
    first.zoom.zoom_in()
    first.resize(700, 500)  # the offscreen screen is 800 x 600
    assert first.narrow  # events and document share a tabbed column; their widths are not saved then
    first.state.select_footnote(2)
    first.close()

    second = make_window(tiny_corpus, Settings(open_settings(settings_path)))
    assert second.zoom.percent == 120
    assert second.size().width() == 700
    assert second.narrow and second.side_tabs.isVisible()
    assert (second.state.event_id, second.state.document, second.state.footnote) == ("ev-january", "doc-jan", 2)
    assert second.event_list.current_event() == "ev-january"
    assert second.passage_pane.note.isVisible()
    assert not second.back_action.isEnabled()


def test_a_palette_change_recolours_without_losing_the_place(qtbot, window: MainWindow) -> None:
    window.state.select_footnote(2)
    qtbot.waitUntil(settled(window))
    top = window.passage_pane.view.top_position()
    dark = QPalette(window.palette())
    for role, colour in ((QPalette.ColorRole.Base, "#1e1e21"), (QPalette.ColorRole.Text, "#e2e2e2"),
                         (QPalette.ColorRole.Link, "#7fb3ff"), (QPalette.ColorRole.Window, "#2b2b2e")):
        dark.setColor(role, QColor(colour))
    window.setPalette(dark)
    qtbot.waitUntil(lambda: "#7fb3ff" in window.document_pane.browser.document().defaultStyleSheet())
    assert window.passage_pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    assert window.passage_pane.view.top_position() == top
    assert "#7fb3ff" in window.passage_pane.note.body.document().defaultStyleSheet()
