"""Start-up loads only what the first paint needs (issue 17): the real `explorer CORPUS` path, in a fresh process.

By the time the window is first painted, the audit's checks and its spelling
dictionary are not imported and the audit has not started: it starts after
the first paint, and loads them off the GUI thread. Nor are the essay import's
modules (opening a corpus folder imports no essay).

Nor are the modules of the window's parts that it builds after its first
paint (the hidden docks' panes, the curating actions, File > Export, the
help dialogs). Nor are the curating modules' own: the
YAML loader, PyYAML, ruamel.yaml, the drafting rules and the corpus edits
(the record editor, the curation actions, the edit session and the recovery
import them at their first use), nor the exports and, through them, the
citation parser. The corpus is opened from its compiled cache, which needs
no YAML; the test warms the cache first, as a first start that compiles it
does read the YAML.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from explorer.core.corpus_cache import open_corpus
from tests.support.corpora import DEFAULT_CORPUS, REPO

#: Not needed to paint a corpus opened from its compiled cache.
HEAVY = (
    "markdown_it", "spellchecker", "explorer.core.corpus_new",
    "explorer.core.audit.run", "explorer.core.audit.notes", "explorer.core.audit.editorial",
    "explorer.core.audit.spelling",
    "ruamel", "yaml", "explorer.core.loader", "explorer.core.drafting", "explorer.core.corpus_edit",
    "explorer.core.corpus_save", "explorer.core.text_links", "explorer.core.export", "explorer.core.citations.note",
    # the window's parts built after the first paint (MainWindow._build_later), and what only they import
    "explorer.ui.audit_panel", "explorer.ui.views", "explorer.core.timeline", "explorer.core.correspondence",
    "explorer.ui.curation", "explorer.ui.export_actions", "explorer.ui.report_viewer", "explorer.ui.help_dialogs",
    # the search index's module (at the first search) and the preferences dialog (when first asked for)
    "explorer.core.search", "explorer.ui.preferences",
    # every reviewer's mark history (the marks file's reader), read for the audit, once it starts
    "explorer.store.marks_file",
    # the catalogue's cross-check: a document card imports it for a document with a catalogue record
    "explorer.core.audit.catalog",
)

AT_FIRST_PAINT = textwrap.dedent("""
    import json, os, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication(["explorer"])  # the app's run() uses the one that exists

    class AtFirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and type(watched).__name__ == "MainWindow":
                seen = {"modules": sorted(sys.modules), "audit_started": watched.audit.started}
                print("FIRST-PAINT " + json.dumps(seen), flush=True)
                os._exit(0)
            return False

    watcher = AtFirstPaint()
    app.installEventFilter(watcher)
    from explorer.cli import main
    main(sys.argv[1:])
    os._exit(3)  # never painted
""")


def _at_first_paint(corpus: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", AT_FIRST_PAINT, str(corpus)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("FIRST-PAINT ")]
    assert done.returncode == 0 and lines, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(lines[0].removeprefix("FIRST-PAINT "))


def test_the_first_paint_loads_no_heavy_module_and_has_not_started_the_audit() -> None:
    assert open_corpus(DEFAULT_CORPUS).outcome in ("hit", "compiled", "rebuilt")  # the cache, warm
    seen = _at_first_paint(DEFAULT_CORPUS)
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "explorer.ui.main_window" in modules and "explorer.core.corpus_cache" in modules  # it did run
    loaded = sorted(m for m in modules if m in HEAVY or m.startswith(tuple(f"{h}." for h in HEAVY)))
    assert loaded == []
    assert seen["audit_started"] is False


def test_the_first_paint_imports_no_resources_reader() -> None:
    """The shipped folders (the icon's) are found without importlib.resources and what it imports."""
    seen = _at_first_paint(DEFAULT_CORPUS)
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "importlib.resources" not in modules


def test_the_shipped_folders_are_found_from_the_package_or_beside_it(tmp_path: Path, monkeypatch) -> None:
    from explorer.core import locations

    regular = tmp_path / "shipped_regular"
    regular.mkdir()
    (regular / "__init__.py").write_text("")
    namespace = tmp_path / "shipped_namespace"
    namespace.mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert locations._folder("shipped_regular", "data") == regular
    assert locations._folder("shipped_namespace", "data") == namespace  # no __init__.py, as data/ installed
    beside = Path(locations.__file__).resolve().parents[2]
    assert locations._folder("shipped_nowhere", "data") == beside / "data"
    assert locations._folder("shipped_regular.nowhere", "icons") == beside / "icons"
    assert locations.data_dir().is_dir() and (locations.resources_dir() / "icons").is_dir()


def test_the_window_command_parses_as_the_whole_command_line_does() -> None:
    from explorer.cli import build_parser

    whole, window = build_parser(), build_parser(window_only=True)
    for argv in (["open"], ["open", "some/corpus", "--select", "fn12"], ["open", "--screenshot", "x.png", "c"]):
        assert window.parse_args(argv) == whole.parse_args(argv)
    assert window.format_usage() == whole.format_usage()
    assert "check" in whole.format_help() and "check" not in window.format_help().split("commands:")[-1]
