"""The spelling check: offline English list, the corpus's own names, and the reader's ignore list."""

from __future__ import annotations

import pytest

from explorer.core.audit import add_ignored_word, check_spelling, read_ignored_words, run_audit
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS, TINY_ESSAY


def _words(corpus):
    return {f.details["word"]: f for f in check_spelling(corpus)}


def test_the_tiny_corpus_is_spelt_right(tiny_corpus_dir):
    assert _words(load_corpus(tiny_corpus_dir)) == {}


def test_a_misspelt_word_in_a_note_with_the_likeliest_correction(make_corpus):
    essay = TINY_ESSAY.replace("Stalin refused.", "Stalin refused the soliders.")
    corpus = load_corpus(make_corpus(essay=essay.replace("For the full text see", "For the full txet see")))
    found = _words(corpus)
    assert set(found) == {"soliders", "txet"}
    assert found["soliders"].passages == ("p01",) and found["soliders"].footnotes == ()
    assert found["soliders"].details["suggestions"][0] == "soldiers"
    assert found["txet"].footnotes == (1,) and found["txet"].rule.startswith("CMOS ch. 7")


@pytest.mark.parametrize("text", [
    "Vyshinsky and Shtykov met.",  # the corpus's people
    "Kim wrote in the pre-war years.",  # a prefix before a hyphen
    "See APRF and the USA files.",  # abbreviations
    "Available online at www.cwihp.org.",  # an address
    "Tokyo's wartime exactions.",  # a plural the English list lacks
    "Zhonggong Zhongyang weighed it.",  # capitalised, no near English word: a name
])
def test_near_misses_are_not_flagged(make_corpus, text):
    essay = TINY_ESSAY.replace("Stalin refused.", text)
    assert _words(load_corpus(make_corpus(essay=essay))) == {}


def test_the_ignore_list_is_read_and_added_to_atomically(make_corpus):
    folder = make_corpus(essay=TINY_ESSAY.replace("Stalin refused.", "Stalin refused the soliders."))
    assert "soliders" in _words(load_corpus(folder))
    add_ignored_word(folder, "Soliders")
    add_ignored_word(folder, "soliders")  # already there: not added twice
    assert (folder / "spelling-ignore.txt").read_text(encoding="utf-8") == "Soliders\n"
    assert read_ignored_words(folder) == {"soliders"}
    assert _words(load_corpus(folder)) == {}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".spelling-")] == []  # no temp file left
    with pytest.raises(ValueError, match="not one word"):
        add_ignored_word(folder, "two words")


def test_the_ignore_list_keeps_comments_and_lines(tmp_path):
    (tmp_path / "spelling-ignore.txt").write_text("# names\nHaiwen\n", encoding="utf-8")
    add_ignored_word(tmp_path, "Jiujing")
    assert (tmp_path / "spelling-ignore.txt").read_text(encoding="utf-8") == "# names\nHaiwen\nJiujing\n"
    assert read_ignored_words(tmp_path) == {"haiwen", "jiujing"}


def test_default_corpus_spelling():
    (f,) = [f for f in run_audit(load_corpus(DEFAULT_CORPUS)) if f.code == "SPELLING"]
    assert (f.details["word"], f.footnotes) == ("soliders", (3,))
