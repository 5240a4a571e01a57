"""Building rich text from corpus data, which is never markup.

Every string from a corpus goes through :func:`esc` (the core's, explorer/core/markup.py) or
:func:`link` (which escapes) before it meets HTML. Links use the app's own schemes (``event:ID``,
``doc:ID``, ``person:ID``, ``source:ID``, ``fn:12``, ``passage:ID``), are handled in the app, never
loaded or opened, and all look alike (:func:`link_style`).
Colours come from the palette so light and dark themes both read well.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from explorer.core.markup import esc
from explorer.ui.state import LINK_SCHEMES


def link(scheme: str, target: object, text: str, palette: QPalette | None = None) -> str:
    """A link in the app's own *scheme*; with *palette*, styled inline (for a label, which has no
    default style sheet: a text document takes :func:`link_css` once instead)."""
    assert scheme in LINK_SCHEMES, scheme
    style = f' style="{link_style(palette)}"' if palette is not None else ""
    return f'<a href="{esc(scheme)}:{esc(target)}"{style}>{esc(text)}</a>'


def link_style(palette: QPalette) -> str:
    """How the app's links look, as CSS declarations: the palette's link colour, not underlined
    (a pane full of underlined names reads badly)."""
    return f"color: {palette.color(QPalette.ColorRole.Link).name()}; text-decoration: none"


def link_css(palette: QPalette) -> str:
    """The style-sheet rule for the links of a text document (``setDefaultStyleSheet``)."""
    return f"a {{ {link_style(palette)}; }}"


def tooltip(text: str) -> str:
    """A tooltip that shows *text* literally (Qt guesses rich text in tooltips)."""
    return f"<p>{esc(text)}</p>"


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """*amount* of *a* over *b* (0 gives *b*, 1 gives *a*), opaque."""
    return QColor.fromRgbF(
        a.redF() * amount + b.redF() * (1 - amount),
        a.greenF() * amount + b.greenF() * (1 - amount),
        a.blueF() * amount + b.blueF() * (1 - amount),
    )


def muted(palette: QPalette) -> QColor:
    """Secondary text: dates, labels, kinds."""
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.62)


def tint(palette: QPalette, amount: float) -> QColor:
    """The palette's highlight faded into the base, for marking text that stays readable."""
    return mix(palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base), amount)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def alert(palette: QPalette) -> QColor:
    """A red for audit findings and failed saves that reads on the palette's base."""
    return QColor("#f28b82") if is_dark(palette) else QColor("#b3261e")


def caution(palette: QPalette) -> QColor:
    """An amber for warnings, readable as text on the base."""
    return QColor("#fdd663") if is_dark(palette) else QColor("#8a5a00")


def confirm(palette: QPalette) -> QColor:
    """A green for what the researcher has verified."""
    return QColor("#81c995") if is_dark(palette) else QColor("#1e6b34")
