"""Team review in the window: the reviewer's name in Preferences, File > Marks, and a disagreement shown in
the audit panel and resolved there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import explorer.ui.review as review
from explorer.core.model import Corpus
from explorer.store.marks import MARKS_FILENAME, MarkStore
from explorer.store.marks_file import export_marks
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from explorer.ui.settings import Settings, login_name
from tests.support.corpora import JAN_KEY

LABEL = "Ciphered telegram, Stalin to Shtykov, 30 January 1950"


@pytest.fixture
def marks_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / MARKS_FILENAME


@pytest.fixture
def window(make_window, tiny_corpus: Corpus, marks_path: Path, settings: Settings):
    opened = open_marks(marks_path)
    settings.reviewer = "Alice"
    yield make_window(tiny_corpus, marks=MarkBook(opened, "tiny"))
    opened.close()


def bobs_file(tmp_path: Path, status: str = "disputed") -> Path:
    """Bob's marks on note 2's telegram, exported from his own marks file."""
    path = tmp_path / "bob.jsonl"
    if path.exists():
        return path
    with MarkStore.open(tmp_path / "bob.sqlite3") as store:
        store.set_mark("tiny", JAN_KEY, status, "list 92 is <b>another</b> telegram", 2, LABEL, reviewer="Bob")
        export_marks(store, "tiny", path)
    return path


def choose(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[tuple[bool, Path]]:
    asked: list[tuple[bool, Path]] = []

    def ask(_parent: object, save: bool, start: Path) -> Path | None:
        asked.append((save, start))
        return path

    monkeypatch.setattr(review, "ask_marks_file", ask)
    return asked


def test_the_name_defaults_to_the_login_name_and_is_set_in_preferences(
        make_window, tiny_corpus: Corpus, marks_path: Path, settings: Settings) -> None:
    assert settings.reviewer == login_name()
    opened = open_marks(marks_path)
    try:
        window = make_window(tiny_corpus, marks=MarkBook(opened, "tiny"))
        assert window.marks.reviewer == login_name()
        action = window.review.preferences_action
        assert action in window.menuBar().actions()[1].menu().actions()  # Edit > Preferences…
        action.trigger()
        dialog = window.review.preferences
        assert dialog is not None and dialog.name.text() == login_name()
        dialog.name.setText("  Anna   Karenina ")
        dialog.accept()
        assert settings.reviewer == "Anna Karenina" and window.marks.reviewer == "Anna Karenina"
        window.state.select_footnote(2)
        editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
        assert editor is not None and editor.target.key == JAN_KEY
        editor.status.setCurrentIndex(editor.status.findData("verified"))
        with MarkStore.open(marks_path, read_only=True) as store:
            assert [m.reviewer for m in store.history("tiny", JAN_KEY)] == ["Anna Karenina"]
        # cleared, the name is the login name again
        Settings.reviewer.fset(settings, "")  # type: ignore[attr-defined]
        assert settings.reviewer == login_name()
    finally:
        opened.close()


def test_an_imported_disagreement_is_shown_in_the_audit_panel_and_resolved_there(
        qtbot, window: MainWindow, tmp_path: Path, marks_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window.state.select_footnote(2)
    editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
    assert editor.target.key == JAN_KEY
    editor.status.setCurrentIndex(editor.status.findData("verified"))  # Alice's mark
    panel = window.audit_panel
    assert not [k for k in panel.visible_keys() if k.startswith("MARKS_DISAGREE")]

    file_menu = window.menuBar().actions()[0].menu()
    marks_menu = next(a.menu() for a in file_menu.actions() if a.text() == "&Marks")
    assert marks_menu.actions() == [window.review.export_action, window.review.import_action]
    asked = choose(monkeypatch, bobs_file(tmp_path))
    with qtbot.waitSignal(window.audit.review_changed):
        window.review.import_action.trigger()
    assert asked and asked[0][0] is False
    assert "1 mark entry imported from bob.jsonl" in window.message_bar.text.text()
    assert "Reviewers disagree on 1 citation" in window.message_bar.text.text()
    assert window.marks.mark(JAN_KEY).reviewer == "Alice"  # type: ignore[union-attr]  # hers is not overwritten
    listed, entries = window.marks.export_view()  # what File > Export and Print give the report
    assert sorted((m.who, m.status) for m in listed) == [("Alice", "verified"), ("Bob", "disputed")]
    assert sorted(e.reviewer for e in entries) == ["Alice", "Bob"]

    window.audit_dock.show()
    key = "MARKS_DISAGREE:2::"
    assert key in panel.visible_keys()
    assert panel.kind_filter.findData("MARKS_DISAGREE") > 0
    assert panel.select_key(key)
    html = panel.detail.toHtml()
    text = panel.detail.toPlainText()
    assert "Reviewers disagree" in text and "Alice" in text and "Bob" in text
    assert "list 92 is <b>another</b> telegram" in text and "<b>another</b>" not in html  # escaped
    assert "Resolve…" in text
    assert not panel.verification.isVisibleTo(panel)  # each reviewer's mark is in the table instead

    dialog = panel.resolve(JAN_KEY)
    assert dialog is not None and dialog.target.key == JAN_KEY
    assert {who for who, _ in dialog.resolves} == {"Alice", "Bob"}
    assert not dialog.resolve_button.isEnabled()  # a note is required
    dialog.status.setCurrentIndex(dialog.status.findData("disputed"))
    dialog.note.setText("Bob is right: list 92 is the 31 January telegram")
    assert dialog.resolve_button.isEnabled()
    with qtbot.waitSignal(window.audit.review_changed):
        dialog.resolve_button.click()
    assert key not in panel.visible_keys()
    assert panel.detail.toPlainText().startswith("Resolved")
    # the message bar no longer says they disagree; what the import did stays said
    assert window.message_bar.text.text() == "1 mark entry imported from bob.jsonl."
    with MarkStore.open(marks_path, read_only=True) as store:
        history = store.history("tiny", JAN_KEY)
        assert [(m.reviewer, str(m.status)) for m in history] == [
            ("Alice", "verified"), ("Bob", "disputed"), ("Alice", "disputed")]
        assert {who for who, _ in history[-1].resolves} == {"Alice", "Bob"}
        assert history[-1].note == "Bob is right: list 92 is the 31 January telegram"

    # Bob's file again: nothing new, nothing comes back
    window.review.import_path(bobs_file(tmp_path))
    assert key not in panel.visible_keys()
    with MarkStore.open(marks_path, read_only=True) as store:
        assert len(store.history("tiny", JAN_KEY)) == 3

    # Edit > Undo takes the resolution back (the disagreement returns); Redo resolves it again
    with qtbot.waitSignal(window.audit.review_changed):
        window.undo_action.trigger()
    assert key in panel.visible_keys()
    with qtbot.waitSignal(window.audit.review_changed):
        window.redo_action.trigger()
    assert key not in panel.visible_keys()
    # the resolver rewording her note keeps it resolved
    window.state.select_footnote(2)
    editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
    editor.note.setText("Bob is right: list 92 is the telegram of 31 January 1950")
    editor.commit()
    assert window.marks.mark(JAN_KEY).note.endswith("31 January 1950")  # type: ignore[union-attr]
    assert key not in panel.visible_keys()
    with MarkStore.open(marks_path, read_only=True) as store:
        assert len(store.history("tiny", JAN_KEY)) == 6 and store.history("tiny", JAN_KEY)[-1].resolves


def test_a_file_with_bad_lines_is_refused_in_the_error_dialog_which_offers_the_rest(
        qtbot, window: MainWindow, tmp_path: Path, marks_path: Path) -> None:
    path = bobs_file(tmp_path)
    with path.open("a", encoding="utf-8") as out:
        out.write('{"key": "c9", "reviewer": "Bob", "time": "yesterday", "status": "verified", "note": ""}\n')
    window.review.import_path(path)
    dialog = window.review.reporter.dialog
    assert dialog is not None and "Nothing was imported" in dialog.message.text()
    assert f"{path}:3:" in dialog.details.toPlainText() and "'time'" in dialog.details.toPlainText()
    with MarkStore.open(marks_path, read_only=True) as store:
        assert store.entries("tiny") == []
    dialog.choice_buttons["Import the Other Entries"].click()
    assert "1 line left out" in window.message_bar.text.text()
    with MarkStore.open(marks_path, read_only=True) as store:
        assert [m.reviewer for m in store.entries("tiny")] == ["Bob"]
    window.state.select_footnote(2)  # Bob's mark is the only one on note 2: the row says whose it is
    editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
    assert editor.status.currentData() == "disputed" and editor.saved.text().startswith("Bob, ")
    assert "by Bob" in editor.saved.toolTip()


def test_a_file_of_another_corpus_is_refused_and_nothing_is_imported(window: MainWindow, tmp_path: Path,
                                                                      marks_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"format": "explorer-marks", "version": 1, "corpus": "korea-1950"}) + "\n",
                    encoding="utf-8")
    window.review.import_path(path)
    dialog = window.review.reporter.dialog
    assert dialog is not None and "korea-1950" in dialog.message.text()
    assert list(dialog.choice_buttons) == ["Close"]
    dialog.choice_buttons["Close"].click()


def test_export_marks_writes_the_file_the_reader_chose(window: MainWindow, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    window.state.select_footnote(2)
    editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
    editor.status.setCurrentIndex(editor.status.findData("verified"))
    out = tmp_path / "shared" / "alice.jsonl"
    out.parent.mkdir()
    asked = choose(monkeypatch, out)
    window.review.export_action.trigger()
    assert asked[0][0] is True and asked[0][1].name == "tiny-marks-Alice.jsonl"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["corpus"] == "tiny" and json.loads(lines[1])["reviewer"] == "Alice"
    assert f"1 mark entry exported to {out}" in window.message_bar.text.text()


def test_a_mark_from_before_names_were_recorded_is_by_unknown() -> None:
    from explorer.store.marks import Mark
    from explorer.ui.marks_editor import saved_text

    old = Mark("tiny", JAN_KEY, "verified", "", 2, LABEL, "2025-03-03T14:02:00.000+00:00")
    short, tip = saved_text(old, me="Alice")
    assert short.startswith("Saved ") and tip.endswith(" by unknown")
    theirs = Mark("tiny", JAN_KEY, "verified", "", 2, LABEL, "2025-03-03T14:02:00.000+00:00", reviewer="Bob")
    assert saved_text(theirs, me="Alice")[0].startswith("Bob, ") and saved_text(theirs, me="Bob")[0].startswith("Saved")


def test_marks_another_running_copy_imported_show_their_disagreement_at_the_next_poll(
        qtbot, window: MainWindow, tmp_path: Path, marks_path: Path) -> None:
    from explorer.store.marks_file import import_marks

    window.state.select_footnote(2)
    editor = window.passage_pane.note.verification.editors[0]  # type: ignore[union-attr]
    editor.status.setCurrentIndex(editor.status.findData("verified"))
    before = window.marks.mark(JAN_KEY)
    with MarkStore.open(marks_path) as other:  # another window imports Bob's file: Alice's mark stays current
        import_marks(other, "tiny", bobs_file(tmp_path))
    with qtbot.waitSignal(window.audit.review_changed):
        assert window.marks.poll()
    assert window.marks.mark(JAN_KEY) == before
    assert "MARKS_DISAGREE:2::" in window.audit_panel.visible_keys()


def test_the_message_bar_counts_down_the_disagreements_as_they_are_resolved(
        qtbot, window: MainWindow, tmp_path: Path, marks_path: Path) -> None:
    from explorer.core.audit.review import disagreements
    from explorer.core.citations import parse_notes
    from explorer.core.verification import note_targets

    corpus = window.corpus
    notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    targets = [note_targets(notes[0], corpus)[0], note_targets(notes[1], corpus)[0]]
    path = tmp_path / "bob2.jsonl"
    with MarkStore.open(tmp_path / "bob2.sqlite3") as store:
        for t in targets:
            store.set_mark("tiny", t.key, "disputed", "not so", t.footnote, t.label, reviewer="Bob")
        export_marks(store, "tiny", path)
    for t in targets:
        assert window.marks.set_mark(t, "verified", "checked") is not None
    window.review.import_path(path)
    bar = window.message_bar
    assert bar.messages == ["2 mark entries imported from bob2.jsonl.",
                            "Reviewers disagree on 2 citations: see the Audit panel (Reviewers disagree)."]
    def resolve(target) -> None:
        [found] = [d for d in disagreements(window.marks.review_entries()) if d.key == target.key]
        positions = [{"reviewer": who, "time": time} for who, time in found.resolves()]
        dialog = review.ResolveDialog(window.marks, target, positions, window)
        dialog.note.setText("Bob is right")
        dialog.resolve_button.click()

    resolve(targets[0])
    assert bar.messages[1] == "Reviewers disagree on 1 citation: see the Audit panel (Reviewers disagree)."
    bar.dismiss()  # the reader closed the bar: resolving the last one does not open it again
    resolve(targets[1])
    assert bar.isHidden() and bar.messages == []
    assert not disagreements(window.marks.review_entries())
