"""The window under many actions: nothing escapes, the panes agree, memory stays bounded."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from explorer.core.model import Corpus
from explorer.core.selection import Selection
from explorer.ui.main_window import MainWindow


def _documents(window: MainWindow, *, flush: bool = False) -> int:
    """The text documents in the window; *flush*: after the deletions a return to the event loop would do."""
    if flush:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return len(window.findChildren(QTextDocument))


def test_zoom_steps_do_not_keep_old_documents(make_window, tiny_corpus: Corpus) -> None:
    window = make_window(tiny_corpus)
    window.zoom_in_action.trigger()  # the first step gives two rich-text labels their document, once
    before = _documents(window)
    for step in range(60):
        (window.zoom_in_action if step % 20 < 10 else window.zoom_out_action).trigger()
    assert window.zoom.percent != 100  # the steps did change the size (and so rebuilt the essay)
    assert _documents(window) == before


# -- the monkey ----------------------------------------------------------------------------------
#
# A few hundred seeded random actions on a window over the default corpus, each the way a reader (or a
# link) does it; after each: no exception escaped a slot, the panes show the state's selection, and the
# window holds no more documents and objects than a bounded few. Set EXPLORER_MONKEY_SEED to replay one.

MONKEY_STEPS = 300
MONKEY_SEEDS = [int(os.environ["EXPLORER_MONKEY_SEED"])] if os.environ.get("EXPLORER_MONKEY_SEED") else [1950]
#: Resident memory the steps may add (MB); 600 zoom steps used to add 700.
RSS_GROWTH_MB = 60


def _rss_mb() -> float | None:
    statm = Path("/proc/self/statm")
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20 if statm.exists() else None


class Monkey:
    def __init__(self, qtbot, window: MainWindow, rng: random.Random) -> None:
        self.qtbot, self.window, self.rng = qtbot, window, rng
        corpus = window.corpus
        self.events = [e.id for e in corpus.events]
        self.documents = [d.id for d in corpus.documents]
        self.footnotes = [f.number for f in corpus.essay.footnotes]
        self.words = sorted({w.lower() for e in corpus.events for w in e.title.split() if w.isalpha()})[:40]
        self.actions: list[Callable[[], str]] = [
            self.click_event, self.follow_event_link, self.follow_footnote_link, self.choose_document,
            self.filter_events, self.type_in_filter, self.choose_person, self.zoom, self.go_back, self.go_forward,
            self.toggle_audit, self.choose_finding, self.click_essay_marker,
        ]

    def step(self) -> str:
        return self.rng.choice(self.actions)()

    def _settle_filter(self) -> None:
        timer = self.window.event_list._filter_timer
        self.qtbot.waitUntil(lambda: not timer.isActive(), timeout=2000)

    # -- actions: each returns what it did, for the failure message
    def click_event(self) -> str:
        pane = self.window.event_list
        rows = pane.proxy.rowCount()
        if not rows:
            return "click event: none shown"
        row = self.rng.randrange(rows)
        index = pane.proxy.index(row, 0)
        pane.view.scrollTo(index)
        # a real click: the list takes only a reader's press as a choice
        self.qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=pane.view.visualRect(index).center())
        return f"click event row {row}"

    def follow_event_link(self) -> str:
        event = self.rng.choice(self.events)
        self.window.state.select_link(f"event:{event}") or self.window.state.select_event(event)
        return f"event link {event}"

    def follow_footnote_link(self) -> str:
        number = self.rng.choice(self.footnotes)
        self.window.state.select_footnote(number)
        return f"footnote {number}"

    def click_essay_marker(self) -> str:
        pane = self.window.passage_pane
        number = self.rng.choice(self.footnotes)
        position = pane.marker_position(number)
        if position is None:
            return f"essay marker {number}: not in the essay"
        pane.view.anchorClicked.emit(QUrl(f"fn:{number}"))
        return f"essay marker {number}"

    def choose_document(self) -> str:
        chooser = self.window.document_pane.chooser
        if chooser.count() > 1 and chooser.isVisible():
            index = self.rng.randrange(chooser.count())
            chooser.setCurrentIndex(index)
            return f"document chooser {index}"
        document = self.rng.choice(self.documents)
        self.window.state.select_document(document)
        return f"document link {document}"

    def filter_events(self) -> str:
        text = self.rng.choice(["", "", *self.words])
        self.window.event_list.filter_edit.setText(text)
        self._settle_filter()
        return f"filter {text!r}"

    def type_in_filter(self) -> str:
        edit = self.window.event_list.filter_edit
        if edit.text() and self.rng.random() < 0.4:
            QTest.keyClick(edit, Qt.Key.Key_Backspace)
            did = "backspace in filter"
        else:
            letters = "".join(self.rng.choice("aeiklmnorst ") for _ in range(self.rng.randint(1, 3)))
            QTest.keyClicks(edit, letters)
            did = f"type {letters!r} in filter"
        self._settle_filter()
        return did

    def choose_person(self) -> str:
        combo = self.window.event_list.person_combo
        index = self.rng.choice([0, 0, self.rng.randrange(combo.count())])
        combo.setCurrentIndex(index)
        return f"person {index}"

    def zoom(self) -> str:
        action = self.rng.choice([self.window.zoom_in_action, self.window.zoom_out_action,
                                  self.window.zoom_reset_action])
        action.trigger()
        return action.text()

    def go_back(self) -> str:
        self.window.back_action.trigger()
        return "back"

    def go_forward(self) -> str:
        self.window.forward_action.trigger()
        return "forward"

    def toggle_audit(self) -> str:
        self.window.audit_action.trigger()
        return f"audit shown={self.window.audit_dock.isVisible()}"

    def choose_finding(self) -> str:
        panel = self.window.audit_panel
        keys = panel.visible_keys()
        if not keys or not self.window.audit_dock.isVisible():
            return "finding: panel hidden"
        key = self.rng.choice(keys)
        panel.select_key(key)
        return f"finding {key}"


def _disagreements(window: MainWindow) -> list[str]:
    """Where a pane does not show the state's selection."""
    selection = window.state.selection
    wrong = []
    pane = window.event_list
    expected = selection.event if selection.event in pane.visible_events() else None
    if pane.current_event() != expected:
        wrong.append(f"event list shows {pane.current_event()!r}, the state has {selection.event!r}")
    if window.document_pane._timer.isActive():
        window.document_pane.render_now()  # what its debounce timer is about to do
    if window.document_pane.shown != selection:
        wrong.append(f"document pane shows {window.document_pane.shown}, the state has {selection}")
    note = window.passage_pane.note
    if note.number != selection.footnote:
        wrong.append(f"the essay's note panel shows note {note.number}, the state has {selection.footnote}")
    if selection.footnote is not None and note.isHidden():
        wrong.append(f"note {selection.footnote} is selected but its panel is hidden")
    return wrong


def _at_rest(monkey: Monkey, selection: Selection) -> tuple[int, int]:
    """The window put back to one view of *selection*: its text documents and objects then."""
    window = monkey.window
    window.event_list.filter_edit.setText("")
    window.event_list.person_combo.setCurrentIndex(0)
    monkey._settle_filter()
    window.zoom_reset_action.trigger()
    window.audit_dock.hide()
    window.state.restore(selection)
    window.document_pane.render_now()
    return _documents(window, flush=True), len(window.findChildren(QObject))


@pytest.mark.parametrize("seed", MONKEY_SEEDS)
def test_monkey(qtbot, make_window, default_corpus: Corpus, seed: int) -> None:
    window = make_window(default_corpus)
    window.resize(1280, 800)
    monkey = Monkey(qtbot, window, random.Random(seed))
    for _ in range(20):  # warm up: what is made once (a label's text document, say) is made now
        monkey.step()
    rest = Selection.from_ids(default_corpus, ["fn12"])
    before, rss = _at_rest(monkey, rest), _rss_mb()
    done: list[str] = []
    with qtbot.captureExceptions() as exceptions:
        for number in range(MONKEY_STEPS):
            done.append(monkey.step())
            where = f"seed {seed} (EXPLORER_MONKEY_SEED={seed} replays it), step {number}: {done[-5:]}"
            assert not exceptions, f"{where}: an exception escaped: {exceptions[0][1]!r}"
            wrong = _disagreements(window)
            assert not wrong, f"{where}: {wrong}"
            # What the shown document's notes need, at most; a leak grows with the steps (1 per zoom step).
            assert _documents(window, flush=True) <= before[0] + 15, f"{where}: text documents pile up"
    # What is shown decides how many objects there are (a document's citations each get a marks editor,
    # and the audit panel keeps its last finding's), so the check is a bound that a leak of a couple of
    # objects per step would break, not an equality.
    objects = _at_rest(monkey, rest)[1]
    assert objects <= before[1] + 800, f"seed {seed}: {objects - before[1]} more objects for the same selection"
    if rss is not None:
        grown = (_rss_mb() or 0) - rss
        assert grown < RSS_GROWTH_MB, f"seed {seed}: memory grew {grown:.0f} MB in {MONKEY_STEPS} steps"
