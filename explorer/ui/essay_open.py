"""Choosing what to open: an essay file or a corpus folder, from a dialog, a drop or the recent list.

A corpus folder opens as it is. An essay (.docx, .odt, Markdown, text) is
imported first, off the GUI thread, by the launcher's loader into a corpus
folder the reader chooses: the dialog starts in ``<data>/essays/`` and the
folder made there is named after the essay and a hash of its content, so
opening the same essay again reuses it (see
:func:`explorer.core.corpus_new.essay_corpus_for`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QFileDialog, QWidget

from explorer.core.errors import CorpusError
from explorer.core.locations import user_dir

#: Imported essays' corpora go in this folder of the user's data folder (as explorer.core.corpus_new.ESSAYS_DIR;
#: not imported from there, which would load the readers at start-up).
ESSAYS_DIR = "essays"
#: The File > Open dialog's filters: essays first, then anything (a corpus's corpus.yaml opens its folder).
ESSAY_FILTERS = ";;".join((
    "Essays (*.docx *.docm *.odt *.md *.markdown *.txt)",
    "Corpus manifests (corpus.yaml)",
    "All files (*)",
))


def essays_dir() -> Path:
    """Where imported essays' corpora go by default: ``<user data folder>/essays``."""
    return user_dir("data", "EXPLORER_DATA_DIR") / ESSAYS_DIR


def ask_for_file(parent: QWidget | None, start: Path | None = None) -> Path | None:
    """File > Open…: an essay, or a corpus's manifest (which opens its folder); None if cancelled."""
    name, _filter = QFileDialog.getOpenFileName(parent, "Open an essay or a corpus", str(start or Path.home()),
                                                ESSAY_FILTERS)
    if not name:
        return None
    path = Path(name)
    return path.parent if path.name == "corpus.yaml" else path


def ask_for_folder(parent: QWidget | None, start: Path | None = None) -> Path | None:
    """File > Open Corpus Folder…; None if cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, "Open a corpus folder", str(start or Path.home()))
    return Path(folder) if folder else None


def ask_for_essay_folder(parent: QWidget | None, essay: Path) -> Path | None:
    """Where the corpus made from *essay* goes: the reader picks the place, starting at ``<data>/essays``;
    the corpus is a folder named after the essay inside it. None if cancelled."""
    from explorer.core.corpus_new import default_essay_folder

    try:
        default = default_essay_folder(essay, essays_dir().parent)
    except CorpusError:  # unreadable or too large: the import says why, with the default place
        default = essays_dir() / essay.stem
    default.parent.mkdir(parents=True, exist_ok=True)
    chosen = QFileDialog.getExistingDirectory(
        parent, f"Choose where to keep the corpus made from {essay.name}", str(default.parent))
    if not chosen:
        return None
    return Path(chosen) / default.name


def dropped_path(mime: QMimeData) -> Path | None:
    """The one local file or folder in a drag, if that is what it carries."""
    if not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if os.path.lexists(path) else None
