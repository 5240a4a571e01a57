"""The suite's own guards (tests/conftest.py): a blocking dialog fails its test instead of hanging the run."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox


def test_a_blocking_dialog_fails_the_test_instead_of_waiting_for_a_reader(qtbot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Changes not applied", "Apply them?")
    dialog = QDialog()
    qtbot.addWidget(box)
    qtbot.addWidget(dialog)
    with pytest.raises(AssertionError, match=r"QMessageBox\.exec\(\) would block"):
        box.exec()
    with pytest.raises(AssertionError, match=r"QDialog\.exec\(\) would block"):
        dialog.exec()
    with pytest.raises(AssertionError, match=r"QFileDialog\.getSaveFileName\(\) would block"):
        QFileDialog.getSaveFileName(None, "Export", "")
    assert not box.isVisible() and not dialog.isVisible()
