"""docs/screenshots/timeline*.png, correspondence*.png: python tools/screenshot_views.py OUT.png light|dark 1600x1000.

Screenshots of the timeline and correspondence docks, light and dark, on the default corpus."""
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EXPLORER_CONFIG_DIR"] = tempfile.mkdtemp()
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings


def dark() -> QPalette:
    p = QPalette()
    R = QPalette.ColorRole
    for role, c in ((R.Window, "#202124"), (R.WindowText, "#e8eaed"), (R.Base, "#17181a"),
                    (R.AlternateBase, "#26272b"), (R.Text, "#e8eaed"), (R.Button, "#2d2e31"),
                    (R.ButtonText, "#e8eaed"), (R.Highlight, "#8ab4f8"),
                    (R.HighlightedText, "#10131a"), (R.Link, "#8ab4f8"),
                    (R.ToolTipBase, "#2d2e31"), (R.ToolTipText, "#e8eaed")):
        p.setColor(role, QColor(c))
    return p


app = QApplication(sys.argv)
out, theme, size = sys.argv[1:4]
corpus_dir = sys.argv[4] if len(sys.argv) > 4 else "data/korea-1950"
if theme == "dark":
    app.setStyle("Fusion")
    app.setPalette(dark())
w, h = map(int, size.split("x"))
corpus = load_corpus(Path(corpus_dir))
win = MainWindow(corpus, Settings(open_settings(Path(tempfile.mkdtemp()) / "s.ini")), submit=lambda f: f())
win.resize(w, h)
win.show()
win.timeline_dock.show()
win.correspondence_dock.show()
win.resizeDocks([win.timeline_dock], [int(h * 0.36)], Qt.Orientation.Vertical)
win.resizeDocks([win.correspondence_dock], [int(w * 0.33)], Qt.Orientation.Horizontal)
for _ in range(5):
    app.processEvents()
ev = [e for e in corpus.events if e.id][len(corpus.events)//2]
win.state.select_event(ev.id)
c = win.correspondence.canvas
win.correspondence.apply_range()
if c.edges:
    c.choose(c.edges[0].sender, c.edges[0].recipient)
for _ in range(5):
    app.processEvents()
win.grab().save(out)
win.timeline.grab().save(out.replace(".png", "-timeline.png"))
win.correspondence.grab().save(out.replace(".png", "-corr.png"))
print("ok", c.edges[:2] if c.edges else None)
