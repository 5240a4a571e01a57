"""The Help menu's dialogs: About (version, corpus, licence, where things are kept) and the keyboard shortcuts.

Both are plain text: a corpus title or a folder name is never markup. The
shortcuts table is read from the window's own actions when it opens, so it
always lists the keys the window really has.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.core.corpus_cache import default_cache_dir
from explorer.core.model import Corpus

LICENCE = "MIT licence"


def about_text(corpus: Corpus, marks: str, settings_file: str, cache_dir: Path | None = None) -> str:
    """What Help > About says; *marks* is where the verification marks are kept, or why they are off."""
    m = corpus.manifest
    counts = corpus.counts()
    return "\n".join([
        f"Explorer {__version__}",
        "Reads a footnoted essay beside the archival documents it cites. Works offline: it never uses the network.",
        "",
        f"Corpus: {m.display_title()}",
        f"    id {m.id}, in {corpus.path}",
        "    " + ", ".join(f"{n:,} {kind}" for kind, n in counts.items()),
        "",
        f"Verification marks: {marks}",
        f"Settings: {settings_file}",
        f"Compiled copies of corpora (safe to delete): {cache_dir or default_cache_dir()}",
        "",
        f"{LICENCE}. Python {sys.version.split()[0]}, Qt {qVersion()}.",
    ])


class AboutDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Explorer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QLabel(text, self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # titles and paths are never markup
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action of *window* that has a shortcut, in menu order;
    actions of the window that no menu shows come last, under "Window"."""
    rows: list[tuple[str, str, str]] = []
    seen: set[QAction] = set()

    def add(menu: str, action: QAction) -> None:
        if action in seen or action.isSeparator():
            return
        seen.add(action)
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((menu, action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"),
                         ", ".join(keys)))

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{title} › {sub.title().replace('&', '')}")
            else:
                add(title, action)

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, menu.title().replace("&", ""))
    for action in window.actions():
        add("Window", action)
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))  # items are plain text
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 500)
