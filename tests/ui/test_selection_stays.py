"""Only a reader's action moves the selection (issue 11.3).

Qt makes the first row of a list current when the list gets the focus with no row
current: after a filter hides the selected event, a hidden focused widget (a mark's
note field in a note that closes) or a shortcut hands the focus to the list. The list
must not take that as the reader's choice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.model import Corpus
from explorer.ui.event_list import EventListPane
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from explorer.ui.state import ExplorerState
from tests.ui.helpers import click_footnote


def filtered_to_january(qtbot, window: MainWindow) -> None:
    """Filter the list to show only ev-january (ev-march hidden)."""
    window.event_list.filter_edit.setText("agrees")
    qtbot.waitUntil(lambda: window.event_list.visible_events() == ["ev-january"])


def test_back_after_typing_in_a_mark_goes_back_not_to_the_first_filtered_row(
    qtbot, make_window, tiny_corpus: Corpus, tmp_path
) -> None:
    opened = open_marks(tmp_path / "marks.sqlite")
    try:
        window = make_window(tiny_corpus, marks=MarkBook(opened, tiny_corpus.manifest.id))
        window.state.select_event("ev-march")
        click_footnote(qtbot, window.passage_pane, 2)  # ev-january, note 2 open with its mark
        assert window.state.event_id == "ev-january" and window.state.footnote == 2
        filtered_to_january(qtbot, window)
        section = window.passage_pane.note.verification
        assert section is not None and section.editors
        field = section.editors[0].note
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClicks(field, "seen in the reading room")
        qtbot.keyClick(field, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        # back to ev-march with no note: the note and its focused field hide; the focus moves on
        assert window.state.event_id == "ev-march"
        assert window.state.footnote is None
        assert not field.isVisible()
        assert window.state.event_id == "ev-march"  # not ev-january, the filtered list's first row
        assert window.event_list.current_event() is None  # the filter still hides ev-march
        window.close()
    finally:
        opened.close()


def test_ctrl_1_on_a_filtered_list_does_not_choose_its_first_row(qtbot, window: MainWindow) -> None:
    window.state.select_event("ev-march")
    filtered_to_january(qtbot, window)
    assert window.event_list.current_event() is None
    qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.event_list.view
    assert window.state.event_id == "ev-march"
    # a key the reader presses in the list does choose
    qtbot.keyClick(window.event_list.view, Qt.Key.Key_Down)
    assert window.state.event_id == "ev-january"


def test_focus_moved_by_hand_and_a_model_reset_do_not_choose(qtbot, window: MainWindow) -> None:
    window.state.select_event("ev-march")
    filtered_to_january(qtbot, window)
    window.event_list.view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.event_list.view.hasFocus)
    assert window.state.event_id == "ev-march"
    # the filter changes under the focused list: rows come and go
    window.event_list.filter_edit.setText("stalin")
    qtbot.waitUntil(lambda: len(window.event_list.visible_events()) == 2)
    window.event_list.proxy.beginResetModel()
    window.event_list.proxy.endResetModel()
    window.event_list.set_person("kim")
    assert window.state.event_id == "ev-march"
    assert not window.back_action.isEnabled() or window.state.event_id == "ev-march"


def test_choosing_a_finding_with_the_list_filtered_keeps_its_event(
    qtbot, make_window, default_corpus: Corpus
) -> None:
    window = make_window(default_corpus)
    finding = next(f for f in window.audit.findings or () if f.key.startswith("IBID_INTENT:23"))
    window.event_list.filter_edit.setText("mao")
    qtbot.waitUntil(lambda: 0 < len(window.event_list.visible_events()) < len(default_corpus.events))
    first_shown = window.event_list.visible_events()[0]
    window.event_list.view.setFocus()
    qtbot.waitUntil(window.event_list.view.hasFocus)
    window.audit_action.trigger()  # the audit takes the focus
    qtbot.waitUntil(lambda: window.audit_panel.view.hasFocus())
    assert window.audit_panel.select_key(finding.key)
    chosen = window.state.event_id
    assert chosen != first_shown
    window.event_list.setFocus()  # Ctrl+1 after the finding
    assert window.state.event_id == chosen
    assert window.state.finding == finding.key


def test_the_focus_alone_never_chooses_a_row(qtbot, tiny_corpus: Corpus) -> None:
    """A list that has never had a current row gets one from Qt when it is focused."""
    state = ExplorerState(tiny_corpus)
    state.select_event("ev-march")
    pane = EventListPane(tiny_corpus, state)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    pane.filter_edit.setText("agrees")
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-january"])
    pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason)  # what Ctrl+1 does
    qtbot.waitUntil(pane.view.hasFocus)
    assert pane.view.currentIndex().isValid()  # Qt made a row current ...
    assert state.event_id == "ev-march"  # ... and that chose nothing
    assert pane.current_event() is None
