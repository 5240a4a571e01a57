"""The detail pane's empty state follows the selection (10.13): an imported essay's chosen note says what it
cites (nothing the corpus records), not "Choose …"."""

from __future__ import annotations

from explorer.cli import main
from explorer.core.loader import load_corpus
from explorer.ui.document_pane import DocumentPane
from explorer.ui.state import ExplorerState
from tests.support.corpora import TINY_ESSAY


def _imported(tmp_path, essay: str = TINY_ESSAY):
    source = tmp_path / "essay.txt"
    source.write_text(essay, encoding="utf-8")
    assert main(["import", str(source), str(tmp_path / "corpus")]) == 0
    for kind in ("events", "documents", "people", "sources"):  # as if the reader rejected every draft
        (tmp_path / "corpus" / f"{kind}.yaml").write_text(f"{kind}: []\n", encoding="utf-8")
    return load_corpus(tmp_path / "corpus")


def _pane(qtbot, corpus):
    state = ExplorerState(corpus)
    pane = DocumentPane(corpus, state)
    qtbot.addWidget(pane)
    return pane, state


def test_a_chosen_note_that_cites_nothing_recorded_says_so(qtbot, tmp_path, capsys):
    corpus = _imported(tmp_path, TINY_ESSAY.replace("Stalin refused.", "Stalin <b>refused</b>."))
    pane, state = _pane(qtbot, corpus)
    assert "Choose an event" in pane.browser.toPlainText()  # nothing chosen yet
    state.select_footnote(2)
    qtbot.waitUntil(lambda: pane.shown == state.selection)
    text = pane.browser.toPlainText()
    assert "Choose" not in text
    assert "Note 2 cites no document or source in this corpus." in text
    assert "Ciphered telegram from Stalin to Shtykov, 30 January 1950" in text  # the note itself


def test_a_chosen_paragraph_without_events_says_so(qtbot, tmp_path, capsys):
    corpus = _imported(tmp_path)
    pane, state = _pane(qtbot, corpus)
    state.select_passage(corpus.essay.body_passages[0].id)
    qtbot.waitUntil(lambda: pane.shown == state.selection)
    assert state.selection.footnote is None
    assert "This paragraph narrates no event in this corpus" in pane.browser.toPlainText()


def test_a_commentary_note_says_why_it_cites_nothing(qtbot, tiny_corpus_dir, make_corpus):
    corpus_yaml = (tiny_corpus_dir / "corpus.yaml").read_text(encoding="utf-8")
    documents = "documents: []\n"
    events = (tiny_corpus_dir / "events.yaml").read_text(encoding="utf-8")
    events = events.replace("documents: [doc-sept]", "documents: []").replace(
        "documents: [doc-jan, doc-sept]", "documents: []")
    commentary = "commentary:\n  - footnote: 2\n    reason: <i>The author's aside</i>\n"
    path = make_corpus({"corpus.yaml": corpus_yaml + commentary, "documents.yaml": documents, "events.yaml": events})
    corpus = load_corpus(path)
    pane, state = _pane(qtbot, corpus)
    state.select_footnote(2)
    qtbot.waitUntil(lambda: pane.shown == state.selection)
    text = pane.browser.toPlainText()
    assert "Note 2 cites no source: the corpus records it as the author's commentary (<i>The author's aside</i>)." \
        in text
