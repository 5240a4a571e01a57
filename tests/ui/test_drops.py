"""Dropping on a window: an essay or a corpus folder is opened, anything else is refused as it enters.

The start window and the explorer's window share one handler (:class:`~explorer.ui.loading.PathDrops`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from explorer.core.model import Corpus
from explorer.ui.loading import StartWindow
from explorer.ui.main_window import MainWindow


def _mime(*urls: str | Path, text: str | None = None) -> QMimeData:
    mime = QMimeData()
    if urls:
        mime.setUrls([QUrl.fromLocalFile(str(u)) if isinstance(u, Path) else QUrl(u) for u in urls])
    if text is not None:
        mime.setText(text)
    return mime


def _drop(window, mime: QMimeData) -> tuple[bool, bool]:
    """Drag *mime* over *window* and let go: (whether the drag was accepted as it entered, and the drop)."""
    centre = window.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(QPoint(centre)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


@pytest.fixture
def things(tmp_path: Path) -> dict[str, Path]:
    essay = tmp_path / "essay.docx"
    essay.write_bytes(b"PK\x03\x04")  # only its being there matters to a drop
    folder = tmp_path / "corpus"
    folder.mkdir()
    other = tmp_path / "other.docx"
    other.write_bytes(b"PK\x03\x04")
    return {"essay": essay, "folder": folder, "other": other, "missing": tmp_path / "gone.docx"}


def _refused(things: dict[str, Path]) -> list[QMimeData]:
    return [_mime(things["essay"], things["other"]),  # two files: which one?
            _mime("https://example.org/essay.docx"),  # not a local file
            _mime(things["missing"]),  # no longer there
            _mime(text="some words")]  # not a file at all


def test_the_start_window_takes_a_docx_or_a_folder_and_refuses_the_rest(qtbot, things) -> None:
    window = StartWindow("korea-1950")
    qtbot.addWidget(window)
    assert window.acceptDrops()
    for path in (things["essay"], things["folder"]):
        with qtbot.waitSignal(window.dropped) as got:
            assert _drop(window, _mime(path)) == (True, True)
        assert got.args == [path]
    for mime in _refused(things):
        with qtbot.assertNotEmitted(window.dropped):
            assert _drop(window, mime) == (False, False), mime.urls() or mime.text()


def test_the_explorer_window_opens_a_dropped_folder_or_essay_and_refuses_the_rest(
        qtbot, make_window, tiny_corpus: Corpus, things, monkeypatch) -> None:
    window: MainWindow = make_window(tiny_corpus)
    assert window.acceptDrops()
    with qtbot.waitSignal(window.open_corpus_requested) as got:
        assert _drop(window, _mime(things["folder"])) == (True, True)
    assert got.args == [things["folder"]]
    imported = things["folder"].parent / "imported"
    monkeypatch.setattr("explorer.ui.main_window.ask_for_essay_folder", lambda _parent, _essay: imported)
    with qtbot.waitSignal(window.open_essay_requested) as got:
        assert _drop(window, _mime(things["essay"])) == (True, True)
    assert got.args == [things["essay"], imported]
    for mime in _refused(things):
        with qtbot.assertNotEmitted(window.open_corpus_requested), qtbot.assertNotEmitted(window.open_essay_requested):
            assert _drop(window, mime) == (False, False), mime.urls() or mime.text()
