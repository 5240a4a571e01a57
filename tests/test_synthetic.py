"""Synthetic corpora: valid at every size, proportional, reproducible."""

from __future__ import annotations

import pytest

from explorer.core.loader import load_corpus
from tools.synthetic import counts_for, generate_corpus, main


@pytest.mark.parametrize("events", [2, 3, 10, 101])
def test_generated_corpora_load_and_validate(tmp_path, events):
    made = generate_corpus(tmp_path / "c", events)
    corpus = load_corpus(made.path)
    counts = corpus.counts()
    expected = made.counts
    assert counts["events"] == events
    for kind in ("documents", "people", "sources", "places", "passages", "footnotes"):
        assert counts[kind] == expected[kind], kind
    assert corpus.unaccounted_footnotes() == ()
    assert corpus.essay.passages[-1].kind == "editorial"


def test_proportions_scale_with_the_events():
    small, large = counts_for(1_000), counts_for(100_000)
    assert large["events"] == 100 * small["events"]
    assert large["documents"] == 100 * small["documents"] == 60_000
    assert large["passages"] == large["footnotes"] == 50_000


def test_every_edtf_form_appears(tmp_path):
    corpus = load_corpus(generate_corpus(tmp_path / "c", 400).path)
    texts = [e.date.text for e in corpus.events]
    assert {e.date.precision for e in corpus.events} == {"day", "month", "year", "interval"}
    assert any(t.endswith("~") for t in texts) and any(t.endswith("?") for t in texts)
    assert any("/" in t and len(t) == 15 for t in texts)  # month intervals
    assert any(e.date_label for e in corpus.events)


def test_the_output_depends_only_on_size_and_seed(tmp_path):
    a = generate_corpus(tmp_path / "a", 50)
    b = generate_corpus(tmp_path / "b", 50)
    c = generate_corpus(tmp_path / "c", 50, seed=7)
    names = sorted(p.name for p in a.path.iterdir())
    assert [(a.path / n).read_bytes() for n in names] == [(b.path / n).read_bytes() for n in names]
    assert (a.path / "events.yaml").read_bytes() != (c.path / "events.yaml").read_bytes()


def test_too_small(tmp_path):
    with pytest.raises(ValueError):
        generate_corpus(tmp_path, 1)


def test_command_line(tmp_path, capsys):
    assert main([str(tmp_path / "c"), "20"]) == 0
    assert "20 events" in capsys.readouterr().out
    assert load_corpus(tmp_path / "c").counts()["events"] == 20
    assert main([]) == 2
