"""docs/screenshots/curating.png: python tools/screenshot_curating.py OUT.png 1600x1000.

The window curating a freshly imported essay (the default corpus's essay, its records drafted): a few edits made
(a person confirmed and renamed, an event retitled in the record editor and confirmed), not yet saved, with the
Edit Record dock beside the three panes and View > Edit History under it. Works in a temporary folder; nothing of
the user's is read or written."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.corpus_edit import confirm_draft
from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings

work = Path(tempfile.mkdtemp())
for name in ("EXPLORER_CONFIG_DIR", "EXPLORER_DATA_DIR", "EXPLORER_CACHE_DIR"):  # read when used, not imported
    os.environ[name] = str(work / name.lower())
out, size = sys.argv[1], sys.argv[2]
corpus_dir = work / "how-the-war-began"
subprocess.run([sys.executable, "-m", "explorer", "import", "data/korea-1950/essay.txt", str(corpus_dir),
                "--title", "How the Korean War began", "--author", "A. Historian", "--year", "2015"],
               check=True, stdout=subprocess.DEVNULL)
app = QApplication(sys.argv)
w, h = map(int, size.split("x"))
corpus = load_corpus(corpus_dir)
win = MainWindow(corpus, Settings(open_settings(work / "s.ini")), submit=lambda f: f())
win.resize(w, h)
win.show()
session = win.edit_session
event = next(e for e in corpus.events if e.documents and "Stalin" in e.title + e.summary)
session.push(confirm_draft(session.editable, "people", "stalin"))
hook = win.record_editor
hook.edit("people", "stalin")
hook.editor.fields["name"].set_value("Joseph Stalin")
hook.editor.apply()
win.state.select_event(event.id)
hook.edit("events", event.id)
hook.editor.fields["title"].set_value("Stalin's consent to Kim's plan")
hook.editor.apply()
session.push(confirm_draft(session.editable, "events", event.id))
win.history_dock.show()
win.splitDockWidget(hook.dock, win.history_dock, Qt.Orientation.Vertical)
win.resizeDocks([hook.dock, win.history_dock], [int(h * 0.72), int(h * 0.2)], Qt.Orientation.Vertical)
for _ in range(5):
    app.processEvents()
win.document_pane.render_now()
app.processEvents()
win.grab().save(out)
session.mark_saved()
print("ok", win.windowTitle())
