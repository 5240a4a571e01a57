"""Every control of the window has a name a screen reader can say, and every view is usable from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from explorer.ui.main_window import MainWindow


def accessible_name(widget: QWidget) -> str:
    """The name Qt's accessibility layer gives *widget*: its accessibleName, else what Qt derives (a button's
    or label's text, the label a field is the buddy of)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _unnamed(window: MainWindow) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}"
            for w in window.findChildren(QWidget)
            if w.isVisibleTo(window) and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not accessible_name(w)]


def test_every_focusable_widget_of_the_shown_window_has_an_accessible_name(qtbot, make_window, default_corpus) -> None:
    window = make_window(default_corpus)
    for dock in window.findChildren(QDockWidget):
        dock.show()
    window.search_panel.field.setText("Stalin")
    qtbot.waitUntil(lambda: window.search_panel.shown_query == "Stalin", timeout=5000)
    window.state.select_footnote(default_corpus.essay.footnotes[0].number)
    docks = window.findChildren(QDockWidget)
    assert len([d for d in docks if d.isVisible()]) == len(docks) >= 4
    unnamed = _unnamed(window)
    assert not unnamed, "\n".join(unnamed)
    # A chosen finding shows the marks of its citations (fields, a status list, buttons).
    window.audit_dock.raise_()
    window.state.select_finding(next(f for f in window.audit_panel.model._findings if f.footnotes))
    qtbot.waitUntil(lambda: window.audit_panel.verification.isVisibleTo(window))
    unnamed = _unnamed(window)
    assert not unnamed, "\n".join(unnamed)
    # The laptop layout: the events and the document in one tabbed column (the side docks closed: with
    # the search and the record editor open beside them, no window is 900 pixels wide).
    for dock in window.findChildren(QDockWidget):
        if window.dockWidgetArea(dock) in (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea):
            dock.hide()
    QApplication.processEvents()  # the main window's layout lets go of the hidden docks' widths
    window.resize(900, 640)
    qtbot.waitUntil(lambda: window.narrow)
    unnamed = _unnamed(window)
    assert not unnamed, "\n".join(unnamed)


def _focused(qtbot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def test_the_timeline_from_the_keyboard(qtbot, window: MainWindow) -> None:
    window.timeline_dock.show()
    pane, canvas = window.timeline, window.timeline.canvas
    _focused(qtbot, pane.buttons[-1])
    qtbot.keyClick(pane.buttons[-1], Qt.Key.Key_Tab)  # Tab into the canvas from its buttons
    qtbot.waitUntil(canvas.hasFocus)
    start = canvas.view
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.view.start > start.start and canvas.view.span < start.span
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)  # Tab walks the events
    second = canvas.timeline.events.items[1].id
    assert canvas.cursor_event == second and canvas.hasFocus()
    assert window.state.corpus.event_by_id[second].title in canvas.accessibleDescription()
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert window.state.event_id == second
    assert window.event_list.current_event() == second  # the panes follow
    qtbot.keyClick(canvas, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # and Ctrl+Tab leaves
    qtbot.waitUntil(lambda: not canvas.hasFocus())


def test_the_correspondence_from_the_keyboard(qtbot, window: MainWindow) -> None:
    window.correspondence_dock.show()
    pane, canvas = window.correspondence, window.correspondence.canvas
    qtbot.waitUntil(lambda: bool(canvas.edges))
    _focused(qtbot, canvas)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)  # to a person, and their busiest arrow
    person = canvas.person_cursor
    assert person is not None
    mine = {i for i, e in enumerate(canvas.edges) if person in (e.sender, e.recipient)}
    assert canvas.edge_cursor in mine
    for _ in range(len(mine) + 1):  # Right walks that person's arrows only
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
        assert canvas.edge_cursor in mine
    edge = canvas.edges[canvas.edge_cursor]
    assert canvas.data.names[edge.recipient] in canvas.accessibleDescription()
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert pane.documents.count() == edge.count
    assert window.state.document == edge.documents[0]  # the panes follow
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.person_cursor is None
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)  # Tab leaves, to the arrow's documents
    qtbot.waitUntil(pane.documents.hasFocus)
    qtbot.keyClick(pane.documents, Qt.Key.Key_Down)
    if edge.count > 1:
        assert window.state.document == edge.documents[1]


def test_the_search_results_from_the_keyboard(qtbot, window: MainWindow) -> None:
    panel = window.search_panel
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.field.hasFocus)
    qtbot.keyClicks(panel.field, "Stalin")
    qtbot.waitUntil(lambda: panel.shown_query == "Stalin", timeout=5000)
    _focused(qtbot, panel.view)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    while panel.current_hit() is None or panel.current_hit().kind != "document":
        before = panel.view.currentIndex()
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
        assert panel.view.currentIndex() != before, "no document among the hits"
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert window.state.document == panel.current_hit().id
