"""Team review in the window: Edit > Preferences (the reviewer's name), File > Marks (export and import
the marks exchange file), and the dialog that resolves a disagreement between reviewers.

:class:`ReviewActions` owns the actions; the window puts them in its menus. File dialogs go through
:func:`ask_marks_file`, which tests replace. An import that fails, or that would leave lines out,
is said in the app's one error dialog (:class:`~explorer.ui.error_dialog.ErrorReporter`), with the
choice of importing the other entries; nothing is imported until the reader chooses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.audit.review import disagreements
from explorer.core.errors import CorpusError
from explorer.core.verification import MarkTarget
from explorer.store.marks import MarkStatus
from explorer.ui.error_dialog import Choice, ErrorReporter
from explorer.ui.marks_book import MarkBook
from explorer.ui.settings import Settings

if TYPE_CHECKING:
    from explorer.ui.preferences import PreferencesDialog

MARKS_FILTER = "Marks files (*.jsonl);;All files (*)"


def ask_marks_file(parent: QWidget | None, save: bool, start: Path) -> Path | None:
    """The file to export marks to (*save*) or import them from; None if cancelled."""
    if save:
        name, _ = QFileDialog.getSaveFileName(parent, "Export Marks", str(start), MARKS_FILTER)
    else:
        name, _ = QFileDialog.getOpenFileName(parent, "Import Marks", str(start.parent), MARKS_FILTER)
    return Path(name) if name else None


def _file_name(corpus_id: str, reviewer: str) -> str:
    who = re.sub(r"[^\w.-]+", "-", reviewer).strip("-.") or "marks"
    return f"{corpus_id}-marks-{who}.jsonl"


class ReviewActions(QObject):
    """Edit > Preferences…, File > Marks > Export Marks… and Import Marks… for one window's marks."""

    #: A sentence for the window's message bar (what an export or an import did).
    message = Signal(str)
    #: (sentence shown, what replaces it): the disagreements an import announced changed (one was
    #: resolved); "" takes the sentence away. A bar the reader dismissed stays dismissed.
    message_replaced = Signal(str, str)

    def __init__(self, book: MarkBook, settings: Settings, parent: QWidget,
                 reporter: ErrorReporter | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._settings = settings
        self._window = parent
        self.reporter = reporter or ErrorReporter(self)
        self.preferences_action = QAction("&Preferences…", parent)
        # the platform's key (Cmd+, on macOS); Linux and Windows have none, so the usual Ctrl+,
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) or [QKeySequence("Ctrl+,")]
        self.preferences_action.setShortcuts(keys)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        parent.addAction(self.preferences_action)  # its key works wherever the focus is, as the window's others
        self.export_action = QAction("&Export Marks…", parent)
        self.export_action.setToolTip("Write every mark on this corpus, each reviewer's, to a file to share")
        self.import_action = QAction("&Import Marks…", parent)
        self.import_action.setToolTip("Merge another reviewer's marks file into yours; nothing is overwritten")
        self.preferences_action.triggered.connect(self._on_preferences)
        self.export_action.triggered.connect(self._on_export)
        self.import_action.triggered.connect(self._on_import)
        self.preferences: PreferencesDialog | None = None
        self._folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                            or Path.home())
        book.reviewer = settings.reviewer
        self._announced = ""  # the disagreements sentence the last import showed, while it may be out of date
        book.mark_saved.connect(self._on_marks_changed)
        book.marks_changed.connect(self._on_marks_changed)

    def _on_preferences(self) -> None:
        from explorer.ui.preferences import PreferencesDialog  # when first asked for, not at start-up

        dialog = self.preferences = PreferencesDialog(self._settings, self._window)
        dialog.accepted.connect(self._on_preferences_saved)
        dialog.open()

    def _on_preferences_saved(self) -> None:
        self._book.reviewer = self._settings.reviewer

    def _on_export(self) -> None:
        path = ask_marks_file(self._window, True,
                              self._folder / _file_name(self._book.corpus_id, self._settings.reviewer))
        if path is None:
            return
        self._folder = path.parent
        try:
            count = self._book.export_file(path)
        except CorpusError as exc:
            self.reporter.show("Cannot export the marks", f"The marks were not exported to {path}.", exc.details(),
                               parent=self._window)
            return
        self.message.emit(f"{count} mark entr{'ies' if count != 1 else 'y'} exported to {path}.")

    def _on_import(self) -> None:
        path = ask_marks_file(self._window, False, self._folder / "marks.jsonl")
        if path is not None:
            self._folder = path.parent
            self.import_path(path)

    def import_path(self, path: Path, *, partial: bool = False) -> None:
        """Import *path*; a file with bad lines is refused in the error dialog, which offers to import the rest."""
        try:
            result, read = self._book.import_file(path, partial=partial)
        except CorpusError as exc:
            rejected = [p for p in exc.problems if p.line is not None and p.line > 1]
            choices: Sequence[Choice] = ()
            if rejected and not partial and len(rejected) == len(exc.problems) - 1:
                message = (f"{len(rejected)} line{'s' * (len(rejected) != 1)} of {path.name} cannot be read as "
                           "marks (each is listed below with its line and why). Nothing was imported.")
                choices = (("Import the Other Entries", lambda: self.import_path(path, partial=True)),
                           ("Cancel", lambda: None))
            else:
                message = f"The marks in {path} were not imported: {exc.problems[0].message}"
            self.reporter.show("Cannot import the marks", message, exc.details(), choices, parent=self._window)
            return
        skipped = len(read.entries) - result.added
        parts = [f"{result.added} mark entr{'ies' if result.added != 1 else 'y'} imported from {path.name}"]
        if skipped:
            parts.append(f"{skipped} already here")
        if read.rejected:
            parts.append(f"{len(read.rejected)} line{'s' * (len(read.rejected) != 1)} left out")
        self._withdraw()
        self.message.emit(", ".join(parts) + ".")
        self._announced = _disagreeing(len(disagreements(self._book.review_entries())))
        if self._announced:
            self.message.emit(self._announced)

    def _withdraw(self) -> None:
        if self._announced:
            self.message_replaced.emit(self._announced, "")
            self._announced = ""

    def _on_marks_changed(self, *_key: str) -> None:
        """After an import showed where reviewers disagree: a mark set since (a resolution, Undo) may change it."""
        if not self._announced:
            return  # nothing shown to keep true: no need to read every reviewer's history
        now = _disagreeing(len(disagreements(self._book.review_entries())))
        if now != self._announced:
            self.message_replaced.emit(self._announced, now)
            self._announced = now


def _disagreeing(found: int) -> str:
    """The message bar's sentence on *found* disagreements; "" for none."""
    return (f"Reviewers disagree on {found} citation{'s' * (found != 1)}: see the Audit panel "
            "(Reviewers disagree)." if found else "")


class ResolveDialog(QDialog):
    """Settle a disagreement: the status that holds, and a note saying why (required); saved as a mark
    that names the disagreeing marks it resolves."""

    def __init__(self, book: MarkBook, target: MarkTarget, positions: Sequence[dict],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resolve the Disagreement")
        self._book = book
        self.target = target
        self.resolves = tuple((str(p.get("reviewer", "")), str(p.get("time", ""))) for p in positions)
        said = "\n".join(f"• {p.get('reviewer') or 'unknown'}: {p.get('status')}"
                         + (f" — {p.get('note')}" if p.get("note") else "") for p in positions)
        heading = QLabel(f"Reviewers disagree on {target.label}:\n{said}", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.status = QComboBox(self)
        self.status.setAccessibleName("The status that holds")
        for status in (MarkStatus.VERIFIED, MarkStatus.DISPUTED):
            self.status.addItem(status.value.capitalize(), status.value)
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Why it holds")
        self.note.setPlaceholderText("Why this status holds (required): what you checked")
        form = QFormLayout()
        form.addRow("Status:", self.status)
        form.addRow("Note:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.resolve_button = self.buttons.addButton("Resolve", QDialogButtonBox.ButtonRole.AcceptRole)
        self.resolve_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._on_note_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _on_note_changed(self, text: str) -> None:
        self.resolve_button.setEnabled(bool(text.strip()))

    def accept(self) -> None:
        note = self.note.text().strip()
        if not note:
            return
        if self._book.set_mark(self.target, self.status.currentData(), note, resolves=self.resolves) is not None:
            super().accept()
