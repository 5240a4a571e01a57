"""Building rich text from corpus data, which is never markup.

Every string from a corpus goes through :func:`esc` (or :func:`link`, which
escapes) before it meets HTML; links use the app's own schemes
(``event:ID``, ``doc:ID``, ``person:ID``, ``source:ID``, ``fn:12``,
``passage:ID``) and are handled in the app, never loaded or opened.
Colours come from the palette so light and dark themes both read well.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QColor, QPalette

from explorer.ui.state import LINK_SCHEMES


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def link(scheme: str, target: object, text: str) -> str:
    assert scheme in LINK_SCHEMES, scheme
    return f'<a href="{esc(scheme)}:{esc(target)}">{esc(text)}</a>'


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
