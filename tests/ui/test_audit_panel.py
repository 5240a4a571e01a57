"""The audit panel: its model, its filters, choosing a finding, and the essay's flagged notes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from explorer.core import audit
from explorer.core.audit import Finding, run_audit
from explorer.core.model import Corpus
from explorer.core.selection import Selection
from explorer.core.text import shorten
from explorer.ui.audit_panel import KEY_ROLE, FindingsFilter, FindingsModel, kind_title
from explorer.ui.main_window import MainWindow
from explorer.ui.rich_text import alert, esc
from explorer.ui.state import ExplorerState
from tests.support.corpora import REPO
from tests.ui.helpers import click_footnote

SIGNALS = ("event_selected", "document_selected", "source_selected", "person_selected", "passage_selected",
           "footnote_selected", "finding_selected", "selection_changed")
IBID_23 = "IBID_INTENT:23"


_AUDITS: list[list[Finding]] = []


@pytest.fixture(autouse=True)
def audit_once(monkeypatch, default_corpus: Corpus) -> None:
    """The panel is under test here, not the checks (tests/core): audit the shared default corpus once."""

    def cached(corpus: Corpus, notes=None) -> list[Finding]:
        if corpus is not default_corpus:
            return run_audit(corpus, notes)
        if not _AUDITS:
            _AUDITS.append(run_audit(corpus, notes))
        return _AUDITS[0]

    monkeypatch.setattr(audit, "run_audit", cached)  # what the window's audit job calls


@pytest.fixture
def window(make_window, default_corpus: Corpus) -> MainWindow:
    window = make_window(default_corpus)
    window.audit_action.trigger()
    assert window.audit_dock.isVisible()
    return window


def key_of(window: MainWindow, ref: str) -> str:
    finding = window.audit.find(ref)
    assert finding is not None, ref
    return finding.key


def choose_row(qtbot, window: MainWindow, key: str) -> None:
    """Click the finding's row, as a reader would."""
    panel = window.audit_panel
    row = panel.visible_keys().index(key)
    panel.view.scrollTo(panel.proxy.index(row, 2))
    rect = panel.view.visualRect(panel.proxy.index(row, 2))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def record(window: MainWindow) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in SIGNALS:
        getattr(window.state, name).connect(lambda *args, name=name: counts.update([name]))
    return counts


def test_the_models_pass_the_model_tester(qtmodeltester, qtbot, default_corpus: Corpus) -> None:
    model = FindingsModel()
    qtmodeltester.check(model)  # empty, before the audit
    widget = QWidget()
    qtbot.addWidget(widget)
    model.set_findings(run_audit(default_corpus), widget.palette(), widget.style())
    model.set_current_footnote(10)
    qtmodeltester.check(model)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)
    proxy.set_filter("warning", None)
    qtmodeltester.check(proxy)
    proxy.set_filter(None, "NAME_VARIANT")
    qtmodeltester.check(proxy)


def test_the_panel_lists_the_findings_most_severe_first(window: MainWindow, default_corpus: Corpus) -> None:
    panel = window.audit_panel
    findings = run_audit(default_corpus)
    severity = {"error": 0, "warning": 1, "info": 2}
    grouped = sorted(enumerate(findings), key=lambda p: (severity[p[1].severity], kind_title(p[1].code), p[0]))
    assert panel.visible_keys() == [f.key for _, f in grouped]  # by severity, each kind together
    shown = [(f.severity, f.code) for f in map(window.audit.finding, panel.visible_keys()) if f]
    runs = [k for i, k in enumerate(shown) if i == 0 or shown[i - 1] != k]
    assert len(runs) == len(set(runs)) and ("warning", "CATALOG_MISMATCH") in runs  # each kind in one run
    assert panel.count.text() == f"{len(findings)} findings"
    first = panel.proxy.index(0, 0)
    assert first.data() == "Error"
    assert panel.proxy.index(0, 1).data() == "Ibid. means another work"
    assert panel.proxy.index(0, 2).data() == "23"
    assert window.audit_action.text() == f"&Audit ({len(findings)})"


def test_choosing_a_finding_opens_its_note_passage_and_document(qtbot, window: MainWindow) -> None:
    key = key_of(window, IBID_23)
    choose_row(qtbot, window, key)
    assert window.state.finding == key
    assert window.state.footnote == 23
    assert window.state.passage == "p22"
    assert window.state.document == "shtykov-stalin-1950-06-16"
    assert window.passage_pane.note.isVisible() and window.passage_pane.note.title.text() == "Note 23"
    qtbot.waitUntil(lambda: window.document_pane.shown == window.state.selection)
    assert "Telegram from Shtykov to Stalin" in window.document_pane.browser.toPlainText()
    detail = window.audit_panel.detail.toPlainText()
    assert "Note 23" in detail and "Should We Fear This?" in detail and "IBID_INTENT" in detail
    assert [e.target.footnote for e in window.audit_panel.verification.editors] == [23, 23]


def test_a_finding_without_a_note_opens_its_passage(qtbot, window: MainWindow, default_corpus: Corpus) -> None:
    finding = next(f for f in window.audit.findings or () if not f.footnotes)
    choose_row(qtbot, window, finding.key)
    assert window.state.passage == finding.passages[0]
    assert window.state.footnote is None
    assert "not a note" in window.audit_panel.verification.summary.text()


def test_filters_narrow_the_rows(qtbot, window: MainWindow) -> None:
    panel = window.audit_panel
    total = len(panel.visible_keys())
    panel.severity_filter.setCurrentIndex(panel.severity_filter.findData("error"))
    errors = [window.audit.finding(k) for k in panel.visible_keys()]
    assert errors and all(f is not None and f.severity == "error" for f in errors)
    assert panel.count.text() == f"{len(errors)} of {total} shown"
    panel.severity_filter.setCurrentIndex(0)
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("NAME_VARIANT"))
    names = [window.audit.finding(k) for k in panel.visible_keys()]
    assert names and {f.code for f in names if f} == {"NAME_VARIANT"}
    assert {f.severity for f in names if f} == {"warning", "info"}
    panel.severity_filter.setCurrentIndex(panel.severity_filter.findData("info"))
    assert [window.audit.finding(k).severity for k in panel.visible_keys()] == ["info"]  # type: ignore[union-attr]
    panel.set_filter(None, None)
    assert len(panel.visible_keys()) == total


def test_sorting_by_notes(window: MainWindow) -> None:
    panel = window.audit_panel
    panel.view.sortByColumn(FindingsModel.NOTES, Qt.SortOrder.AscendingOrder)
    firsts = [window.audit.finding(k).footnotes[:1] or (10**9,) for k in panel.visible_keys()]  # type: ignore[union-attr]
    assert firsts == sorted(firsts)


def test_every_column_sorts_both_ways_and_the_chosen_row_stays_chosen(qtbot, window: MainWindow) -> None:
    panel = window.audit_panel
    findings = window.audit.findings or []
    audit_order = {f.key: n for n, f in enumerate(findings)}
    choose_row(qtbot, window, key_of(window, IBID_23))
    keys = {FindingsModel.KIND: lambda f: f.code, FindingsModel.NOTES: lambda f: (f.footnotes or (10**9,))[0],
            FindingsModel.MESSAGE: lambda f: f.message}
    for column, key in keys.items():
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            panel.view.sortByColumn(column, order)
            expected = sorted(findings, key=lambda f: (key(f), audit_order[f.key]),
                              reverse=order == Qt.SortOrder.DescendingOrder)
            assert panel.visible_keys() == [f.key for f in expected]
            chosen = panel.view.selectionModel().selectedRows()
            assert [i.data(KEY_ROLE) for i in chosen] == [key_of(window, IBID_23)]  # followed its finding
    assert window.state.finding == key_of(window, IBID_23)


def test_findings_arrive_in_one_reset_already_sorted(qtbot, make_window, default_corpus: Corpus) -> None:
    held: list = []
    window = make_window(default_corpus, submit=held.append)  # the audit's work waits for us
    qtbot.waitUntil(lambda: bool(held))  # submitted after the first paint
    panel = window.audit_panel
    seen: Counter[str] = Counter()
    for label, model in (("FindingsModel", panel.model), ("FindingsFilter", panel.proxy)):
        for name in ("modelReset", "rowsInserted", "layoutChanged"):
            getattr(model, name).connect(lambda *_, n=f"{label}.{name}": seen.update([n]))
    held.pop()()  # the work, here: it delivers at once
    assert window.audit.done and len(panel.visible_keys()) == len(window.audit.findings or ()) > 0
    assert seen == {"FindingsModel.modelReset": 1, "FindingsFilter.modelReset": 1}  # no row by row, no re-sort
    assert panel.proxy.index(0, 0).data() == "Error"  # most severe first, as the model was filled
    assert panel.proxy.sortColumn() == -1  # the proxy compares no rows (a Python lessThan per comparison)


def test_flagging_the_notes_does_not_lay_the_whole_essay_out_at_once(qtbot, make_window, default_corpus) -> None:
    held: list = []
    window = make_window(default_corpus, submit=held.append)  # the audit's work waits for us
    doc = window.passage_pane.view.document()

    def laid_out() -> int:
        blocks = [doc.findBlockByNumber(n) for n in range(doc.blockCount())]
        return sum(1 for block in blocks if block.text() and block.layout().lineCount() > 0)

    texts = sum(1 for n in range(doc.blockCount()) if doc.findBlockByNumber(n).text())
    qtbot.waitUntil(lambda: laid_out() == texts)  # as it is once the reader has read a while
    qtbot.waitUntil(lambda: bool(held))
    after_edit: list[int] = []
    doc.documentLayout().update.connect(lambda *_: after_edit.append(laid_out()))  # the edit's layout done
    held.pop()()  # the audit: its findings flag the notes
    assert window.passage_pane.flagged and after_edit
    assert after_edit[0] < texts // 2  # laid out again in steps from the top, not all of it at once
    qtbot.waitUntil(lambda: laid_out() == texts)  # ... to the end


def test_the_essay_marks_the_notes_with_findings(window: MainWindow, default_corpus: Corpus) -> None:
    pane = window.passage_pane
    flagged = {n for f in window.audit.findings or () for n in f.footnotes}
    assert set(pane.flagged) == flagged
    red = alert(pane.palette())

    def marker_format(number: int):
        position = pane.marker_position(number)
        assert position is not None
        cursor = QTextCursor(pane.view.document())
        cursor.setPosition(position + 1)
        return cursor.charFormat()

    for number in (23, 10):
        fmt = marker_format(number)
        assert fmt.foreground().color() == red and fmt.fontWeight() == 700
        assert fmt.anchorHref() == f"fn:{number}"  # still a link to the note
    plain = next(f.number for f in default_corpus.essay.footnotes if f.number not in flagged)
    assert marker_format(plain).foreground().color() != red
    tip = pane._tooltip_for("fn:23")
    assert tip is not None and "2 audit findings: error IBID_INTENT; info PAGE_MISSING" in tip
    assert "audit" not in (pane._tooltip_for(f"fn:{plain}") or "")
    long_note = max(default_corpus.essay.footnotes, key=lambda f: len(f.text))
    assert len(long_note.text) > 420
    long_tip = pane._tooltip_for(f"fn:{long_note.number}") or ""
    assert esc(shorten(long_note.text, 420)) in long_tip  # cut at a word, as every shortened text


def test_a_note_opened_in_the_essay_tints_its_findings_and_nothing_echoes(qtbot, window: MainWindow) -> None:
    panel = window.audit_panel
    key = key_of(window, IBID_23)
    counts = record(window)
    choose_row(qtbot, window, key)
    assert counts["finding_selected"] == 1 and counts["selection_changed"] == 1
    assert max(counts.values()) == 1

    counts.clear()
    click_footnote(qtbot, window.passage_pane, 10)  # elsewhere: the finding is let go
    assert window.state.footnote == 10 and window.state.finding is None
    assert counts["finding_selected"] == 1 and counts["selection_changed"] == 1
    assert not panel.view.selectionModel().hasSelection()
    tinted = [panel.proxy.index(r, 0).data(KEY_ROLE) for r in range(panel.proxy.rowCount())
              if panel.proxy.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None]
    assert tinted and all(10 in window.audit.finding(k).footnotes for k in tinted)  # type: ignore[union-attr]

    counts.clear()
    window.back_action.trigger()  # history brings the finding back, and its row
    assert window.state.finding == key
    assert panel.view.currentIndex().data(KEY_ROLE) == key
    assert panel.view.selectionModel().isRowSelected(panel.view.currentIndex().row())
    assert max(counts.values()) == 1

    counts.clear()
    choose_row(qtbot, window, key)  # the row already chosen asks for nothing
    assert counts == Counter()


def test_opening_a_note_of_the_finding_keeps_it(qtbot, window: MainWindow) -> None:
    same_file = next(f for f in window.audit.findings or () if f.code == "SAME_FILE")
    choose_row(qtbot, window, same_file.key)
    assert window.state.footnote == same_file.footnotes[0]
    click_footnote(qtbot, window.passage_pane, same_file.footnotes[1])
    assert window.state.finding == same_file.key
    notes = {e.target.footnote for e in window.audit_panel.verification.editors}
    assert notes == set(same_file.footnotes)  # every note of the finding, each with its citations


def test_a_reader_can_go_down_the_findings_with_the_keyboard(qtbot, window: MainWindow) -> None:
    panel = window.audit_panel
    panel.view.setFocus()
    flags = QItemSelectionModel.SelectionFlag
    panel.view.selectionModel().setCurrentIndex(panel.proxy.index(0, 0), flags.ClearAndSelect | flags.Rows)
    assert window.state.finding == panel.visible_keys()[0]
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    second = panel.visible_keys()[1]
    assert window.state.finding == second
    assert window.state.footnote == window.audit.finding(second).footnotes[0]  # type: ignore[union-attr]


def test_the_panel_waits_for_the_audit(qtbot, make_window, default_corpus: Corpus) -> None:
    jobs = []
    window = make_window(default_corpus, submit=jobs.append)
    panel = window.audit_panel
    assert panel.pages.currentWidget() is panel.waiting
    window.state.select_document("shtykov-stalin-1950-06-16")
    window.document_pane.render_now()
    assert window.document_pane.verification is not None
    assert window.document_pane.verification.summary.text() == "Reading the notes…"
    assert window.passage_pane.flagged == {}
    qtbot.waitUntil(lambda: window.audit.started)  # once the window is painted
    jobs.pop()()
    assert panel.pages.currentWidget() is panel.splitter
    assert window.document_pane.verification.editors
    assert window.passage_pane.flagged
    assert window.show_finding(IBID_23)


def test_an_essay_without_findings_says_so(make_window, tiny_corpus: Corpus) -> None:
    window = make_window(tiny_corpus)
    window.audit_action.trigger()
    assert window.audit.findings == []
    assert "found nothing" in window.audit_panel.detail.toPlainText()
    assert window.audit_panel.count.text() == "0 findings"
    assert not window.show_finding(IBID_23)


def run_explorer(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_CONFIG_DIR=str(config))
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_screenshot_of_a_finding_shows_the_panel(tmp_path: Path, tiny_corpus_dir: Path) -> None:
    out = tmp_path / "audit.png"
    done = run_explorer("--select", IBID_23, "--screenshot", str(out), config=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run_explorer(str(tiny_corpus_dir), "--select", IBID_23, "--screenshot", str(tmp_path / "x.png"),
                        config=tmp_path)
    assert done.returncode == 2
    assert IBID_23 in done.stderr


def test_the_state_keeps_a_finding_while_the_reader_stays_on_it(qtbot, tiny_corpus: Corpus) -> None:
    state = ExplorerState(tiny_corpus)
    counts = Counter[str]()
    state.finding_selected.connect(lambda key: counts.update([key]))
    on_note_1 = Finding("TEST", "warning", "about note 1", (1,), ("p01",), ("doc-sept",))
    state.select_finding(on_note_1)
    assert state.selection == Selection(event="ev-march", document="doc-sept", passage="p01", footnote=1,
                                         finding=on_note_1.key)
    state.select_finding(on_note_1)
    state.select_footnote(1)  # already open: nothing changes, nothing is emitted
    assert counts == Counter({on_note_1.key: 1})
    state.select_document("doc-jan")  # a document note 1 does not cite: the note closes, the finding goes
    assert (state.footnote, state.finding) == (None, None)
    state.back()
    assert state.finding == on_note_1.key
    on_text = Finding("TEST", "info", "about the text", (), ("p02",))
    state.select_finding(on_text)
    assert (state.passage, state.footnote, state.finding) == ("p02", None, on_text.key)
    state.select_event("ev-january", passage="p02")  # still in its passage
    assert state.finding == on_text.key
    assert "finding" not in " ".join(state.selection.to_ids())


def test_a_spelling_finding_offers_to_add_the_word_to_the_corpus_list(qtbot, make_window, tmp_path: Path) -> None:
    """Issue 14: the reader adds a word the spell checker does not know (note 3's "soliders" is a real slip,
    but a transliteration would be added the same way) from the audit panel; the audit runs again without it."""
    import shutil

    from PySide6.QtCore import QUrl

    from explorer.core.loader import load_corpus
    from explorer.ui.audit_panel import IGNORE_SCHEME
    from tests.support.corpora import DEFAULT_CORPUS

    folder = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea"))
    window = make_window(load_corpus(folder))
    assert window.show_finding("SPELLING")
    panel = window.audit_panel
    assert "Add “soliders” to this corpus’s spelling list" in panel.detail.toPlainText()
    link = next(f for f in window.audit.findings if f.code == "SPELLING")
    assert link.details["word"] == "soliders"
    url = QUrl()
    url.setScheme(IGNORE_SCHEME)
    url.setPath("soliders")
    with qtbot.waitSignal(window.audit.finished):
        panel.detail.anchorClicked.emit(url)
    assert (folder / "spelling-ignore.txt").read_text(encoding="utf-8") == "soliders\n"
    assert not any(f.code == "SPELLING" for f in window.audit.findings)
    assert not (DEFAULT_CORPUS / "spelling-ignore.txt").exists()


def test_a_word_that_cannot_be_added_says_why(qtbot, make_window, tmp_path: Path) -> None:
    import shutil

    from explorer.core.loader import load_corpus
    from tests.support.corpora import DEFAULT_CORPUS

    folder = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea"))
    window = make_window(load_corpus(folder))
    (folder / "spelling-ignore.txt").mkdir()  # in the way: the list cannot be written
    assert window.show_finding("SPELLING")
    problem = window.audit.ignore_word("soliders")
    assert problem is not None and "could not be added" in problem
    assert any(f.code == "SPELLING" for f in window.audit.findings)  # nothing changed


def tinted_keys(panel) -> set[str]:
    return {panel.proxy.index(r, 0).data(KEY_ROLE) for r in range(panel.proxy.rowCount())
            if panel.proxy.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None}


def test_a_hidden_panel_does_no_work_for_note_selections_and_catches_up_when_shown(
        monkeypatch, make_window, default_corpus: Corpus) -> None:
    calls: Counter[str] = Counter()
    arrange = FindingsModel._arrange

    def counted(self) -> None:
        calls["sorted"] += 1
        arrange(self)

    monkeypatch.setattr(FindingsModel, "_arrange", counted)
    window = make_window(default_corpus)
    panel = window.audit_panel
    assert not panel.isVisible()  # the audit dock is closed by default
    panel.view.sortByColumn(FindingsModel.NOTES, Qt.SortOrder.AscendingOrder)  # the counter counts
    assert calls["sorted"] > 0
    panel.view.sortByColumn(FindingsModel.SEVERITY, Qt.SortOrder.AscendingOrder)
    calls.clear()

    numbers = sorted(window.audit.by_footnote)[:20]
    assert len(numbers) >= 5
    for number in numbers:
        window.state.select_footnote(number)
    assert calls["sorted"] == 0
    assert panel.model.current_footnote is None  # nothing done while hidden

    window.audit_action.trigger()
    assert panel.isVisible()
    last = numbers[-1]
    assert panel.model.current_footnote == last
    assert tinted_keys(panel) == {f.key for f in window.audit.by_footnote[last]}

    # Shown, a note changes only the tint: the rows keep their place and nothing is sorted again.
    order = panel.visible_keys()
    for number in numbers[:5]:
        window.state.select_footnote(number)
        assert tinted_keys(panel) == {f.key for f in window.audit.by_footnote[number]}
    assert calls["sorted"] == 0
    assert panel.visible_keys() == order


def test_a_finding_chosen_while_the_panel_is_hidden_is_shown_with_its_row_when_the_panel_is(
        make_window, default_corpus: Corpus) -> None:
    window = make_window(default_corpus)
    panel = window.audit_panel
    assert not panel.isVisible() and panel.shown is None
    finding = window.audit.finding(key_of(window, IBID_23))
    assert finding is not None
    window.state.select_finding(finding)  # as history or --select would
    assert window.state.finding == finding.key
    assert panel.shown is None and not panel.view.selectionModel().hasSelection()  # nothing rendered hidden

    window.audit_action.trigger()
    assert panel.isVisible()
    assert panel.shown is finding
    assert panel.view.currentIndex().data(KEY_ROLE) == finding.key
    assert panel.view.selectionModel().isRowSelected(panel.view.currentIndex().row())
    assert tinted_keys(panel) == {f.key for f in window.audit.by_footnote[window.state.footnote]}


def test_every_code_the_readme_lists_has_a_title_of_its_own() -> None:
    """The panel names each kind of finding in words; a code the audit gained without a title would show as
    its code, capitalised ("Note unparsed")."""
    import re

    from explorer.ui.audit_panel import KIND_TITLES
    from tests.support.corpora import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"^\| `([A-Z]+(?:_[A-Z]+)+)` \|", readme, re.MULTILINE))
    assert len(codes) >= 18 and "NOTE_UNPARSED" in codes
    assert sorted(codes - KIND_TITLES.keys()) == []
