"""Edit > Preferences: the reviewer's name recorded with each verification mark.

One field for now. The name is kept in the app's settings (:class:`~explorer.ui.settings.Settings`);
left empty it falls back to the login name, which the field shows as its placeholder.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from explorer.ui.settings import Settings, login_name

#: Longest name kept (a name is shown in lists and reports, one line).
NAME_LIMIT = 80


class PreferencesDialog(QDialog):
    """The reviewer's name; OK saves it in the settings."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setText(settings.reviewer)
        self.name.setPlaceholderText(login_name() or "your name")
        self.name.setAccessibleName("Your name (recorded with your marks)")
        self.name.setClearButtonEnabled(True)
        explain = QLabel("Each verification mark you set records this name, so that marks exchanged between "
                         "reviewers (File > Marks) say who said what.", self)
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Your name (recorded with your marks):", self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def accept(self) -> None:
        self._settings.reviewer = self.name.text()
        super().accept()
