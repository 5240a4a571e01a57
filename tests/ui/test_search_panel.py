"""Search in the window: the toolbar field, the hits grouped by kind, walking and choosing them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from explorer.core.loader import load_corpus
from explorer.core.search import SearchHit
from explorer.ui.main_window import MainWindow
from explorer.ui.search_panel import GROUP_NAMES, hit_html
from tests.support.markup_corpus import build_markup_corpus, payloads


def search(qtbot, window: MainWindow, text: str) -> None:
    panel = window.search_panel
    window.search_action.trigger()
    qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.shown_query == text, timeout=5000)


def test_ctrl_f_focuses_the_search_field_and_the_filter_has_its_own_key(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_panel.field.hasFocus)
    assert window.find_action.shortcut().toString() == "Ctrl+Shift+F"
    assert window.search_action.shortcut().toString() == "Ctrl+F"


def test_hits_are_grouped_by_kind_with_counts(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "Shtykov")
    panel = window.search_panel
    assert window.search_dock.isVisible()
    groups = dict(panel.groups())
    kinds = {h.kind for h in panel.hits}
    assert {"document", "person"} <= kinds
    for label, count in groups.items():
        name, _, number = label.rpartition(" (")
        assert int(number.rstrip(")")) == count > 0
        assert name in set(GROUP_NAMES.values())
    assert sum(groups.values()) == len(panel.hits)
    assert panel.status.text() == f"{len(panel.hits)} results"


def test_keys_walk_the_hits_and_enter_selects_one_in_the_panes(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "Vyshinsky")
    panel = window.search_panel
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    first = panel.current_hit()
    assert first is not None
    if len(panel.hits) > 1:
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
        assert panel.current_hit() != first
        qtbot.keyClick(panel.field, Qt.Key.Key_Up)
    assert panel.current_hit() == first
    # Walk to the document and choose it.
    while panel.current_hit() is not None and panel.current_hit().kind != "document":
        before = panel.current_hit()
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
        assert panel.current_hit() != before, "no document among the hits"
    assert panel.current_hit().id == "doc-sept"
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.state.document == "doc-sept"
    window.document_pane.render_now()
    assert window.document_pane.shown.document == "doc-sept"
    assert window.state.passage == "p01"  # the essay follows to where the document is cited


def test_a_passage_hit_marks_the_words_in_the_essay(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "kind:passage ready")
    panel = window.search_panel
    assert [h.kind for h in panel.hits] == ["passage"]
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.state.passage == panel.hits[0].id
    view = window.passage_pane.view
    marked = [s.cursor.selectedText() for s in view.extraSelections()]
    assert "ready" in marked
    # Clearing the query clears the essay's search marks.
    with qtbot.waitSignal(panel.results_shown):
        panel.field.clear()
    assert "ready" not in [s.cursor.selectedText() for s in view.extraSelections()]


def test_a_note_hit_opens_the_note(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "kind:note Papka")
    panel = window.search_panel
    assert {h.kind for h in panel.hits} == {"note"}
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.state.footnote == panel.current_hit().note


def test_a_hostile_query_shows_no_error(qtbot, window: MainWindow) -> None:
    for text in ('"unclosed AND OR NOT (* -', "NEAR(a b) ^ : * \" '", "kind:nothing person: from:xx"):
        window.search_panel.field.clear()
        search(qtbot, window, text)
        assert window.search_panel.status.text() in ("No results",) or window.search_panel.hits
    assert not window.message_bar.isVisible()


def test_nothing_is_searched_until_asked_and_indexing_is_said(qtbot, make_window, tiny_corpus) -> None:
    queued = []
    window = make_window(tiny_corpus, submit=queued.append)
    queued.clear()  # the audit's work
    panel = window.search_panel
    panel.field.setText("Stalin")
    assert panel.status.text() == "Indexing…" and len(queued) == 1
    with qtbot.waitSignal(panel.results_shown):
        queued.pop()()
    assert panel.hits


def test_markup_in_titles_shows_literally(qtbot, make_window, tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    corpus = load_corpus(build_markup_corpus(tmp_path / "markup", canary))
    window = make_window(corpus)
    search(qtbot, window, "pwned")
    panel = window.search_panel
    assert panel.hits
    script = payloads(canary)["script"]
    titled = [h for h in panel.hits if script in h.title]
    assert titled, "no hit whose title holds the markup"
    for hit in titled:
        doc = QTextDocument()
        doc.setHtml(hit_html(hit, "#ff0"))
        shown = doc.toPlainText()
        assert script in shown  # as text, not swallowed as a tag
        assert 'href="javascript' not in doc.toHtml()
    assert not canary.exists()


def test_hit_html_escapes_and_highlights() -> None:
    hit = SearchHit("event", "x", "<b>bold</b> & co", "a <i>match</i> here", ((2, 14),))
    doc = QTextDocument()
    doc.setHtml(hit_html(hit, "#ffff00"))
    assert doc.toPlainText() == "<b>bold</b> & co\na <i>match</i> here"
    assert '<span style="background-color:#ffff00">&lt;i&gt;match&lt;/i&gt;</span>' in hit_html(hit, "#ffff00")


def test_an_index_that_cannot_be_built_is_told_in_the_message_bar(qtbot, window: MainWindow, monkeypatch) -> None:
    from explorer.core.search import SearchIndex

    def broken(*_args, **_kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(SearchIndex, "open", broken)
    panel = window.search_panel
    with qtbot.waitSignal(panel.problem) as told:
        panel.field.setText("Stalin")
    assert "disk on fire" in told.args[0]
    assert window.message_bar.isVisible()
    assert panel.status.text() == "Search is not available" and panel.hits == []


def test_each_hit_row_is_tall_enough_for_its_wrapped_snippet(qtbot, window: MainWindow) -> None:
    search(qtbot, window, "Stalin")
    panel = window.search_panel
    view = panel.view
    checked = 0
    for group in range(panel.model.rowCount()):
        parent = panel.model.index(group, 0)
        for row in range(panel.model.rowCount(parent)):
            index = panel.model.index(row, 0, parent)
            rect = view.visualRect(index)
            if not rect.isValid() or rect.height() == 0:
                continue
            doc = QTextDocument()  # the hit laid out at the width its row has on screen
            doc.setDefaultFont(view.font())
            doc.setDocumentMargin(3)
            doc.setHtml(hit_html(index.data(Qt.ItemDataRole.UserRole + 1), "#ff0"))
            doc.setTextWidth(rect.width())
            assert rect.height() >= int(doc.size().height()) - 1, index.data()
            checked += 1
    assert checked


def test_escape_clears_the_query_and_an_index_built_after_closing_is_closed(qtbot, make_window, tiny_corpus) -> None:
    queued = []
    window = make_window(tiny_corpus, submit=queued.append)
    queued.clear()
    panel = window.search_panel
    panel.field.setText("Stalin")
    window.close()  # before the index is ready
    queued.pop()()
    assert panel.index is None
    panel.field.setText("")
    panel.field.setText("x")
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == ""


def test_a_catalogue_record_hit_selects_the_document_it_describes(qtbot, make_window, default_corpus) -> None:
    window = make_window(default_corpus)
    search(qtbot, window, "88599")  # in the catalogue record's address only
    panel = window.search_panel
    assert panel.groups() == [("Catalogue records (1)", 1)]
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    record = default_corpus.catalog_by_id[panel.hits[0].id]
    assert window.state.document == record.document
