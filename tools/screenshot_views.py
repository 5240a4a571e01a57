"""docs/screenshots/search*.png, timeline*.png, correspondence*.png, in a light or a dark palette.

    .venv/bin/python tools/screenshot_views.py light|dark [OUT_DIR] [WIDTHxHEIGHT] [CORPUS]

Offscreen, on the default corpus: the window at 1600x1000 with the hits of a search and one of them chosen
(search.png, or search-dark.png), then the timeline and the correspondence docks shown, an event chosen and an
arrow of the correspondence chosen (timeline*.png and correspondence*.png are those two panes). The dark
palette is explorer.ui.palette.dark_palette(), the one the tests check for contrast.
"""

import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["EXPLORER_CONFIG_DIR"] = tempfile.mkdtemp()
os.environ["EXPLORER_DATA_DIR"] = tempfile.mkdtemp()
os.environ["EXPLORER_CACHE_DIR"] = tempfile.mkdtemp()
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.palette import dark_palette
from explorer.ui.settings import Settings, open_settings

QUERY = "Shtykov telegram"


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    theme = sys.argv[1] if len(sys.argv) > 1 else "light"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    w, h = map(int, (sys.argv[3] if len(sys.argv) > 3 else "1600x1000").split("x"))
    corpus_dir = sys.argv[4] if len(sys.argv) > 4 else "data/korea-1950"
    suffix = "-dark" if theme == "dark" else ""
    app.setStyle("Fusion")
    if theme == "dark":
        app.setPalette(dark_palette())
    corpus = load_corpus(Path(corpus_dir))
    win = MainWindow(corpus, Settings(open_settings(Path(tempfile.mkdtemp()) / "s.ini")), submit=lambda f: f())
    win.resize(w, h)
    win.show()
    settle(app)
    # Search: the hits of a query, the second chosen (a note: it opens, and the essay marks the words).
    panel = win.search_panel
    win.search_action.trigger()
    panel.field.setText(QUERY)
    panel.run_query()
    panel.step(1)
    panel.step(1)
    panel.choose()
    settle(app)
    win.grab().save(str(out / f"search{suffix}.png"))
    # The views: an event in the middle chosen, the busiest arrow of its range chosen.
    win.search_dock.hide()
    win.timeline_dock.show()
    win.correspondence_dock.show()
    win.resizeDocks([win.timeline_dock], [int(h * 0.36)], Qt.Orientation.Vertical)
    win.resizeDocks([win.correspondence_dock], [int(w * 0.33)], Qt.Orientation.Horizontal)
    settle(app)
    event = corpus.events[len(corpus.events) // 2]
    win.state.select_event(event.id)
    canvas = win.correspondence.canvas
    win.correspondence.apply_range()
    if canvas.edges:
        canvas.choose(canvas.edges[0].sender, canvas.edges[0].recipient)
    settle(app)
    win.timeline.grab().save(str(out / f"timeline{suffix}.png"))
    win.correspondence.grab().save(str(out / f"correspondence{suffix}.png"))
    print("saved", ", ".join(f"{n}{suffix}.png" for n in ("search", "timeline", "correspondence")), "in", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
