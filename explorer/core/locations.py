"""Where the shipped files are: the default corpus and the resources.

Both are found through the import system (the packages' folders, else
``importlib.resources``) so they resolve the same way
from a source checkout, an installed wheel and a PyInstaller bundle, never
relative to the working directory. The packaging maps the top-level
``data/`` and ``resources/`` folders to ``explorer.data`` and
``explorer.resources``; a plain source checkout falls back to the folders
beside the package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

DEFAULT_CORPUS = "korea-1950"


def _folder(package: str, fallback: str) -> Path:
    # The package's search locations first: what importlib.resources.files answers for a package in
    # a folder, found without importing importlib.resources (and tempfile, shutil...) at start-up.
    # data/ and resources/ hold no __init__.py, so where they are installed (a wheel, the PyInstaller
    # bundle) they are namespace packages, whose folders are these locations too.
    try:
        spec = importlib.util.find_spec(package)
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    if spec is not None:  # a package not in a folder (a zip): its resources' own answer
        from importlib import resources

        try:
            found = resources.files(package)
        except (ModuleNotFoundError, TypeError):
            found = None
        if isinstance(found, Path) and found.is_dir():
            return found
    # No such package (a source checkout, an editable install that does not map the folder): beside it.
    return Path(__file__).resolve().parents[2] / fallback


def data_dir() -> Path:
    """The folder holding the shipped corpora."""
    return _folder("explorer.data", "data")


def resources_dir() -> Path:
    """The folder holding icons, the stylesheet and the desktop entry."""
    return _folder("explorer.resources", "resources")


def default_corpus_dir() -> Path:
    return data_dir() / DEFAULT_CORPUS


APP_DIR_NAME = "korean-war-explorer"
#: The user's data folder's override (as explorer.store.marks reads it).
DATA_DIR_ENV = "EXPLORER_DATA_DIR"

# Per platform: (Windows variable and fallback under home, macOS folder, XDG variable and fallback, Windows subfolder)
_USER_DIRS = {
    "data": ("APPDATA", ("AppData", "Roaming"), ("Library", "Application Support"), "XDG_DATA_HOME",
             (".local", "share"), None),
    "cache": ("LOCALAPPDATA", ("AppData", "Local"), ("Library", "Caches"), "XDG_CACHE_HOME", (".cache",), "cache"),
}


def user_dir(kind: str, override_env: str) -> Path:
    """The user's own folder of *kind* ("data" or "cache"), computed without Qt.

    ``$override_env`` wins (tests and portable installs use it); otherwise the
    platform's per-user folder: XDG on Linux (a relative XDG value is ignored,
    as the spec says), ``~/Library/...`` on macOS, ``%APPDATA%`` or
    ``%LOCALAPPDATA%`` on Windows.
    """
    import os
    import sys

    override = os.environ.get(override_env)
    if override:
        return Path(override).expanduser()
    win_var, win_home, mac, xdg_var, xdg_home, win_sub = _USER_DIRS[kind]
    if sys.platform == "win32":
        value = os.environ.get(win_var)
        base = Path(value) if value else Path.home().joinpath(*win_home)
        return base / APP_DIR_NAME / win_sub if win_sub else base / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home().joinpath(*mac) / APP_DIR_NAME
    xdg = os.environ.get(xdg_var, "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home().joinpath(*xdg_home)
    return base / APP_DIR_NAME
