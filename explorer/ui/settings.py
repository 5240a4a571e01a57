"""What the window remembers between runs, in QSettings.

With ``EXPLORER_CONFIG_DIR`` set (the tests set it) the settings are an INI
file inside that folder, so nothing reads or writes the user's own.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "korean-war-explorer"
APPLICATION = "explorer"
ZOOM_DEFAULT = 100
ZOOM_MIN = 60
ZOOM_MAX = 250
#: How many corpora File > Open Recent lists.
RECENT_MAX = 10


def open_settings(path: Path | None = None) -> QSettings:
    """The app's QSettings: *path* if given, else ``$EXPLORER_CONFIG_DIR``, else the user's."""
    if path is None and os.environ.get("EXPLORER_CONFIG_DIR"):
        path = Path(os.environ["EXPLORER_CONFIG_DIR"]) / f"{APPLICATION}.ini"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class Settings:
    """Typed access to the few values the app keeps."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings if qsettings is not None else open_settings()

    @property
    def file(self) -> str:
        """Where the settings are kept (for Help > About)."""
        return self._q.fileName()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._q.setValue("window/state", value)

    @property
    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._q.setValue("window/splitter", value)

    @property
    def zoom(self) -> int:
        raw = self._q.value("reading/zoom", ZOOM_DEFAULT)
        if not isinstance(raw, (int, float, str)):  # QSettings hands back whatever the file held
            return ZOOM_DEFAULT
        try:
            value = int(raw)
        except ValueError:
            return ZOOM_DEFAULT
        return min(max(value, ZOOM_MIN), ZOOM_MAX)

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._q.setValue("reading/zoom", int(value))

    @property
    def note_share(self) -> float | None:
        """The share of the essay pane an open note takes, as the reader last dragged it; None if never."""
        raw = self._q.value("reading/note_share")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            return None
        return value if 0.05 <= value <= 0.95 else None

    @note_share.setter
    def note_share(self, value: float) -> None:
        self._q.setValue("reading/note_share", round(float(value), 4))

    def last_selection(self, corpus_id: str) -> list[str]:
        """The ids selected when the corpus was last closed (see ``Selection.to_ids``)."""
        try:
            ids = json.loads(str(self._q.value(f"selection/{corpus_id}", "[]")))
        except ValueError:
            return []
        return [str(i) for i in ids] if isinstance(ids, list) else []

    def set_last_selection(self, corpus_id: str, ids: list[str]) -> None:
        self._q.setValue(f"selection/{corpus_id}", json.dumps(ids))

    @property
    def recent(self) -> list[Path]:
        """The corpus folders opened last, newest first (File > Open Recent)."""
        try:
            paths = json.loads(str(self._q.value("files/recent", "[]")))
        except ValueError:
            return []
        return [Path(p) for p in paths if isinstance(p, str) and p][:RECENT_MAX] if isinstance(paths, list) else []

    def add_recent(self, path: Path) -> None:
        path = Path(os.path.abspath(path))
        paths = [path, *(p for p in self.recent if p != path)][:RECENT_MAX]
        self._q.setValue("files/recent", json.dumps([str(p) for p in paths]))

    def clear_recent(self) -> None:
        self._q.remove("files/recent")

    @property
    def reviewer(self) -> str:
        """The name recorded with each mark (Edit > Preferences); the login name until one is set."""
        value = self._q.value("review/name")
        name = " ".join(str(value).split()) if isinstance(value, str) else ""
        return name or login_name()

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        name = " ".join(name.split())
        if name:
            self._q.setValue("review/name", name)
        else:
            self._q.remove("review/name")  # back to the login name

    def sync(self) -> None:
        self._q.sync()


def login_name() -> str:
    """The user's login name, or "" where the system cannot tell (no user entry, say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
