"""Building rich text from corpus data, which is never markup.

Every string from a corpus goes through :func:`esc` (the core's, explorer/core/markup.py) or
:func:`link` (which escapes) before it meets HTML. Links use the app's own schemes (``event:ID``,
``doc:ID``, ``person:ID``, ``source:ID``, ``fn:12``, ``passage:ID``), are handled in the app, never
loaded or opened, and all look alike (:func:`link_style`).
Colours come from the palette (explorer.ui.palette) so light and dark themes both read well.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette

from explorer.core.markup import esc

# The colours are chosen in explorer.ui.palette; these names stay importable from here.
from explorer.ui.palette import alert as alert
from explorer.ui.palette import caution as caution
from explorer.ui.palette import confirm as confirm
from explorer.ui.palette import is_dark as is_dark
from explorer.ui.palette import link_colour
from explorer.ui.palette import mix as mix
from explorer.ui.palette import muted as muted
from explorer.ui.palette import tint as tint
from explorer.ui.state import LINK_SCHEMES


def link(scheme: str, target: object, text: str, palette: QPalette | None = None) -> str:
    """A link in the app's own *scheme*; with *palette*, styled inline (for a label, which has no
    default style sheet: a text document takes :func:`link_css` once instead)."""
    assert scheme in LINK_SCHEMES, scheme
    style = f' style="{link_style(palette)}"' if palette is not None else ""
    return f'<a href="{esc(scheme)}:{esc(target)}"{style}>{esc(text)}</a>'


def link_style(palette: QPalette) -> str:
    """How the app's links look, as CSS declarations: the link colour readable on the palette's base,
    not underlined (a pane full of underlined names reads badly)."""
    return f"color: {link_colour(palette).name()}; text-decoration: none"


def link_css(palette: QPalette) -> str:
    """The style-sheet rule for the links of a text document (``setDefaultStyleSheet``)."""
    return f"a {{ {link_style(palette)}; }}"


def tooltip(text: str) -> str:
    """A tooltip that shows *text* literally (Qt guesses rich text in tooltips)."""
    return f"<p>{esc(text)}</p>"
