"""Every colour the app draws, taken from the palette and checked to read in light and dark palettes.

A pane never picks a colour: it asks :func:`mark` for the background and
text of a kind of highlighted text (the essay's quote, a search match, an
audit finding's row ...) or :func:`on_base` for coloured text. Each pair is
made from the palette and then checked with the WCAG contrast ratio: a
background that would not leave its text readable (>= 4.5:1) is moved away
from the text's colour until it does, so a system dark palette, a high-
contrast one or a tasteless one all stay legible. Panes re-ask on
``QEvent.PaletteChange``, so a palette changed at run time restyles them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

#: WCAG 2 AA for body text.
MIN_CONTRAST = 4.5

#: How much of the palette's Highlight each kind of marked text has over the base.
TINTS = {
    "sentence": 0.14,  # the essay's sentence narrating the chosen event
    "quote": 0.36,  # the words of it the event quotes
    "note": 0.55,  # the chosen footnote's marker
    "hit": 0.45,  # a search result's matched words
    "finding": 0.18,  # the audit findings of the chosen note
    "differs": 0.30,  # a catalogue's value that differs from the essay's
    "callout": 0.12,  # the DRAFT badge
    "event": 0.38,  # a timeline event's bar, under its label
    "uncertain": 0.18,  # an uncertain date's bar
}
#: Every kind of highlight :func:`mark` knows.
ROLES = (*TINTS, "search", "selected")
_BLACK, _WHITE = QColor(0, 0, 0), QColor(255, 255, 255)


@dataclass(frozen=True)
class Mark:
    """A background and the text drawn on it."""

    background: QColor
    text: QColor

    @property
    def contrast(self) -> float:
        return contrast(self.background, self.text)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """*amount* of *a* over *b* (0 gives *b*, 1 gives *a*), opaque."""
    return QColor.fromRgbF(
        a.redF() * amount + b.redF() * (1 - amount),
        a.greenF() * amount + b.greenF() * (1 - amount),
        a.blueF() * amount + b.blueF() * (1 - amount),
    )


def luminance(colour: QColor) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 .. 21)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def readable(background: QColor, text: QColor) -> Mark:
    """*background* under *text*, moved toward black or white (whichever is farther from the text) until
    the text reads on it; if even that cannot do it, the text becomes black or white."""
    far = _BLACK if contrast(_BLACK, text) >= contrast(_WHITE, text) else _WHITE
    for step in range(11):
        candidate = mix(far, background, step / 10)
        if contrast(candidate, text) >= MIN_CONTRAST:
            return Mark(candidate, QColor(text))
    return Mark(background, _BLACK if contrast(_BLACK, background) >= contrast(_WHITE, background) else _WHITE)


def mark(palette: QPalette, role: str) -> Mark:
    """The background and text of the highlight *role* (one of :data:`ROLES`) under *palette*."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    if role == "search":  # an amber, as a highlighter pen: apart from the selection's hue
        return readable(mix(QColor("#f5c211"), base, 0.55 if not is_dark(palette) else 0.4), text)
    if role == "callout":  # the DRAFT badge's words are secondary text
        return readable(mix(palette.color(QPalette.ColorRole.Highlight), base, TINTS[role]), muted(palette))
    if role == "selected":
        return readable(palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.HighlightedText))
    return readable(mix(palette.color(QPalette.ColorRole.Highlight), base, TINTS[role]), text)


def on_base(palette: QPalette, colour: QColor, role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """*colour* as text on the palette's *role* (the base by default): moved toward the palette's text
    colour until it reads."""
    back = palette.color(role)
    toward = palette.color(QPalette.ColorRole.WindowText if role == QPalette.ColorRole.Window
                           else QPalette.ColorRole.Text)
    for step in range(11):
        candidate = mix(toward, colour, step / 10)
        if contrast(candidate, back) >= MIN_CONTRAST:
            return candidate
    return _BLACK if contrast(_BLACK, back) >= contrast(_WHITE, back) else _WHITE


def tint(palette: QPalette, amount: float) -> QColor:
    """The palette's highlight faded into the base (for shapes; text on a tint asks :func:`mark`)."""
    return mix(palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base), amount)


def muted(palette: QPalette) -> QColor:
    """Secondary text: dates, labels, kinds."""
    return on_base(palette, mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.62))


def link_colour(palette: QPalette) -> QColor:
    """Links, readable on the base (Qt's default link blue is not, on a dark one)."""
    return on_base(palette, palette.color(QPalette.ColorRole.Link))


def alert(palette: QPalette) -> QColor:
    """A red for audit findings and failed saves that reads on the palette's base."""
    return on_base(palette, QColor("#f28b82") if is_dark(palette) else QColor("#b3261e"))


def caution(palette: QPalette) -> QColor:
    """An amber for warnings, readable as text on the base."""
    return on_base(palette, QColor("#fdd663") if is_dark(palette) else QColor("#8a5a00"))


def confirm(palette: QPalette) -> QColor:
    """A green for what the researcher has verified."""
    return on_base(palette, QColor("#81c995") if is_dark(palette) else QColor("#1e6b34"))


def dark_palette() -> QPalette:
    """A dark palette, as a dark desktop gives (for screenshots and tests; the app follows the system's)."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#202124"), (roles.WindowText, "#e8eaed"), (roles.Base, "#17181a"),
                         (roles.AlternateBase, "#26272b"), (roles.Text, "#e8eaed"), (roles.Button, "#2d2e31"),
                         (roles.ButtonText, "#e8eaed"), (roles.Highlight, "#8ab4f8"),
                         (roles.HighlightedText, "#10131a"),
                         (roles.Link, "#8ab4f8"), (roles.LinkVisited, "#c58af9"), (roles.ToolTipBase, "#2d2e31"),
                         (roles.ToolTipText, "#e8eaed"), (roles.PlaceholderText, "#9aa0a6"), (roles.Light, "#4a4b4f"),
                         (roles.Midlight, "#3c3d41"), (roles.Mid, "#35363a"), (roles.Dark, "#101113"),
                         (roles.Shadow, "#000000"), (roles.BrightText, "#ffffff")):
        p.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return p
