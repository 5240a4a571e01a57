"""Draw the application icon: resources/icons/explorer.svg and explorer.png (256 px).

One geometry, written twice: as SVG text, and painted with QPainter to PNG,
so the two always match. Three panes on a dark card: the event list (rows,
one selected), the document (a heading and lines), the essay (lines with a
footnote marker picked out). Run once after changing it; the outputs are
committed.

    .venv/bin/python tools/draw_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZE = 256
OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"

CARD = "#23395b"
PANE = "#f4efe4"
INK = "#8a8172"
ACCENT = "#c8553d"
SELECT = "#e8c36a"

# (x, y, width, height, radius, colour)
SHAPES: list[tuple[float, float, float, float, float, str]] = [(8, 8, 240, 240, 44, CARD)]
# the three panes
for x, w in ((28, 56), (92, 64), (164, 64)):
    SHAPES.append((x, 44, w, 168, 8, PANE))
# event list: rows, the second selected
for i, y in enumerate(range(56, 200, 24)):
    SHAPES.append((34, y, 44, 14, 3, SELECT if i == 1 else INK))
# document: a heading and lines
SHAPES.append((100, 56, 48, 12, 3, CARD))
for y in range(78, 200, 16):
    SHAPES.append((100, y, 48 if y % 32 else 36, 6, 3, INK))
# essay: lines, with a footnote marker
for y in range(58, 200, 16):
    SHAPES.append((172, y, 48 if y != 106 else 30, 6, 3, INK))
SHAPES.append((206, 100, 14, 14, 7, ACCENT))


def svg() -> str:
    rects = "\n".join(
        f'  <rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{r:g}" fill="{c}"/>'
        for x, y, w, h, r, c in SHAPES
    )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
            f'viewBox="0 0 {SIZE} {SIZE}">\n  <title>Explorer</title>\n{rects}\n</svg>\n')


def png(path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for x, y, w, h, r, c in SHAPES:
        painter.setBrush(QColor(c))
        painter.drawRoundedRect(QRectF(x, y, w, h), r, r)
    painter.end()
    if not image.save(str(path)):
        raise SystemExit(f"cannot write {path}")
    del app


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "explorer.svg").write_text(svg(), encoding="utf-8")
    png(OUT / "explorer.png")
    print(f"wrote {OUT / 'explorer.svg'} and {OUT / 'explorer.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
