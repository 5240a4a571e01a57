"""Work done in slices while the window is idle: the corpus's indexes, the filter texts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QTimer

from explorer.core.model import _MULTIMAPS, Corpus
from explorer.ui.idle_work import IdleWork


def test_every_step_runs_later_a_slice_at_a_time_behind_the_events_queued(qtbot) -> None:
    done: list[str] = []

    def steps(name: str, count: int, then: Callable[[], None] | None = None) -> Iterator[None]:
        for i in range(count):
            done.append(f"{name}{i}")
            if i == 2 and then is not None:
                then()
            yield

    work = IdleWork(slice_s=0.0)  # the shortest slice: one step at each turn of the event loop
    work.run(steps("a", 50))
    QTimer.singleShot(0, lambda: done.append("queued"))  # e.g. a paint, a click
    assert done == [] and work.running  # nothing before the event loop turns
    qtbot.waitUntil(lambda: not work.running)
    assert done.index("queued") < 3  # not behind the 50 steps
    assert [d for d in done if d != "queued"] == [f"a{i}" for i in range(50)]
    # A new run replaces the one not finished, even from inside one of its steps.
    done.clear()
    work.run(steps("a", 50, then=lambda: work.run(steps("b", 3))))
    qtbot.waitUntil(lambda: not work.running)
    assert done == ["a0", "a1", "a2", "b0", "b1", "b2"]


def test_the_freed_memory_is_given_back_once_a_run_ends_not_at_each_slice(qtbot, monkeypatch) -> None:
    from explorer.ui import idle_work

    done: list[str] = []
    monkeypatch.setattr(idle_work, "return_free_memory", lambda: done.append("trimmed"))

    def steps(count: int) -> Iterator[None]:
        for i in range(count):
            done.append(str(i))
            yield

    work = IdleWork(slice_s=0.0)
    work.run(steps(5))
    qtbot.waitUntil(lambda: not work.running)
    assert done == ["0", "1", "2", "3", "4", "trimmed"]


def test_the_window_builds_the_corpus_indexes_after_its_first_paint(qtbot, make_window,
                                                                    default_corpus: Corpus) -> None:
    corpus = Corpus(default_corpus.path, default_corpus.manifest, default_corpus.essay, default_corpus.events,
                    default_corpus.documents, default_corpus.people, default_corpus.sources, default_corpus.places,
                    default_corpus.catalog)  # nothing built yet
    window = make_window(corpus, submit=lambda work: None)  # no audit to build them
    qtbot.waitUntil(lambda: not window.indexes.running)
    assert set(_MULTIMAPS) <= set(vars(window.corpus))
