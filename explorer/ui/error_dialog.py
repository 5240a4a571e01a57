"""Every error the reader sees goes through here: one dialog, details copyable.

:class:`ErrorReporter` is the app's single message object: a corpus that
cannot be opened and an uncaught exception both arrive as a title, a
sentence and details. While a report is on screen, further uncaught
exceptions are added to its details rather than stacking dialogs.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import Problem

log = logging.getLogger("explorer")

#: (button text, what it does); the dialog closes after any of them.
Choice = tuple[str, Callable[[], None]]


def cannot_open_message(path: object, problems: Sequence[Problem], *, essay: bool = False) -> str:
    """The dialog's sentence for a corpus (or an *essay* to import) that cannot be opened, worded from
    the problems it lists: one problem is said outright; a list promises a line only where the problems
    have one."""
    what = f"The essay {path}" if essay else f"The corpus in {path}"
    if len(problems) == 1:
        problem = problems[0]
        where = f" (line {problem.line} of {problem.file})" if problem.line is not None else ""
        return f"{what} cannot be opened{where}: {problem.message}"
    with_line = sum(p.line is not None for p in problems)
    if with_line == len(problems):
        places = "with its file and line"
    elif with_line:
        places = "with its file, and its line where there is one"
    else:
        places = "with its file"
    return (f"{what} cannot be opened: it has {len(problems)} problems. "
            f"Each is listed below {places}.")


class ErrorDialog(QDialog):
    """A message, copyable details, and the choices the reader has."""

    def __init__(
        self, title: str, message: str, details: str, choices: Sequence[Choice] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = QLabel(message, self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # paths and reasons are never markup
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32))
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox(self)
        copy = self.buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy)
        self.choice_buttons: dict[str, QPushButton] = {}
        for number, (text, action) in enumerate(choices or (("Close", lambda: None),)):
            role = QDialogButtonBox.ButtonRole.AcceptRole if number == 0 else QDialogButtonBox.ButtonRole.RejectRole
            button = self.buttons.addButton(text, role)
            button.clicked.connect(self._chosen(action))
            self.choice_buttons[text] = button
            if number == 0:
                button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(icon)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 420)

    def _chosen(self, action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            self.done(0)
            action()

        return run

    def add_details(self, more: str) -> None:
        self.details.appendPlainText("\n" + more)

    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.message.text() + "\n\n" + self.details.toPlainText())


class ErrorReporter(QObject):
    """Shows errors; ``excepthook`` makes uncaught exceptions one of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None

    def show(
        self, title: str, message: str, details: str, choices: Sequence[Choice] = (),
        parent: QWidget | None = None,
    ) -> ErrorDialog:
        dialog = ErrorDialog(title, message, details, choices, parent)
        dialog.finished.connect(lambda _result: self._on_closed(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal at most; never a nested event loop
        return dialog

    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception\n%s", details)
        if self.dialog is not None:
            self.dialog.add_details(details)
            return
        self.show(
            "Something went wrong",
            f"The app hit an error it did not expect ({kind.__name__}: {value}). It is still running; "
            "what you were doing may not have finished. The details help a developer find the cause.",
            details,
        )

    def _on_closed(self, dialog: ErrorDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
