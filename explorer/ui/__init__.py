"""Widgets: the window, its three panes and the state object they share."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (every widget module imports it; it installs the import hook below)


def _read_modules_as_bytes() -> None:
    """PySide6 asks of every module imported after it whether its source names "PySide6" (for its
    ``__feature__`` switches), with ``inspect.getsource``: through the line cache, the source decoded
    line by line. That is ~0.05 ms a module, and the window imports ~90 modules before its first paint.
    The same question asked of the file's bytes answers the same, five times sooner; whatever is not a
    ``.py`` file, or cannot be read, still goes to PySide6's own check."""
    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "__name__", "") == "_uses_pyside":
        return  # another PySide6 (the check moved or is gone), or done already

    def _uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(check(module))

    feature._mod_uses_pyside = _uses_pyside  # type: ignore[union-attr]


_read_modules_as_bytes()
