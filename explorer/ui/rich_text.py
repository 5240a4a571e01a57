"""Building rich text from corpus data, which is never markup.

Every string from a corpus goes through :func:`esc` (or :func:`link`, which
escapes) before it meets HTML; links use the app's own schemes
(``event:ID``, ``doc:ID``, ``person:ID``, ``source:ID``, ``fn:12``,
``passage:ID``) and are handled in the app, never loaded or opened.
Colours come from the palette (explorer.ui.palette) so light and dark themes both read well.
"""

from __future__ import annotations

import html

# The colours are chosen in explorer.ui.palette; these names stay importable from here.
from explorer.ui.palette import alert as alert
from explorer.ui.palette import caution as caution
from explorer.ui.palette import confirm as confirm
from explorer.ui.palette import is_dark as is_dark
from explorer.ui.palette import mix as mix
from explorer.ui.palette import muted as muted
from explorer.ui.palette import tint as tint
from explorer.ui.state import LINK_SCHEMES


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def link(scheme: str, target: object, text: str) -> str:
    assert scheme in LINK_SCHEMES, scheme
    return f'<a href="{esc(scheme)}:{esc(target)}">{esc(text)}</a>'


def tooltip(text: str) -> str:
    """A tooltip that shows *text* literally (Qt guesses rich text in tooltips)."""
    return f"<p>{esc(text)}</p>"
