"""docs/screenshots/editor-*.png: python tools/screenshot_editor.py OUT.png events|documents ID 1600x1000 [DATE].

The record editor's dock beside the panes, on a copy of the default corpus (nothing is saved); with DATE,
the date field retyped as a reader would, to show its echo in words."""
import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EXPLORER_CONFIG_DIR"] = tempfile.mkdtemp()
os.environ["EXPLORER_DATA_DIR"] = tempfile.mkdtemp()
from pathlib import Path

from PySide6.QtWidgets import QApplication

from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings

app = QApplication(sys.argv)
out, kind, record_id, size = sys.argv[1:5]
date = sys.argv[5] if len(sys.argv) > 5 else None
w, h = map(int, size.split("x"))
root = Path(shutil.copytree("data/korea-1950", Path(tempfile.mkdtemp()) / "korea-1950"))
corpus = load_corpus(root)
win = MainWindow(corpus, Settings(open_settings(Path(tempfile.mkdtemp()) / "s.ini")), submit=lambda f: f())
win.resize(w, h)
win.show()
if kind == "events":
    win.state.select_event(record_id)
else:
    win.state.select(record_id)
win.record_editor.edit(kind, record_id)
editor = win.record_editor.editor
if date is not None:
    field = editor.fields["date"].editor
    field.setText(date)
    editor.fields["date"].edited.emit()
for _ in range(5):
    app.processEvents()
win.document_pane.render_now()
win.grab().save(out)
print("ok", editor.kind, editor.record_id, [p.message for p in editor.problems])
