"""Escaping for the markup the app writes: HTML (the window's rich text, the HTML report) and
Markdown (the report, the audit's findings). The one place each escape is defined.

Nothing from a corpus, an essay or a mark is markup: every such string goes through :func:`esc`
or :func:`md` before it meets a tag or a Markdown line.
"""

from __future__ import annotations

import html
import re


def esc(text: object) -> str:
    """*text* as literal HTML text, safe in an element and in a quoted attribute."""
    return html.escape(str(text), quote=True)


# Inline Markdown (emphasis, code, links, images, headings, strikethrough, a table's cell border) is
# backslash-escaped; "&", "<" and ">" become entities, so no HTML tag, comment or entity in a corpus
# string or a mark survives.
_MD = {**{c: "\\" + c for c in "\\`*_[]|~#!"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL = re.compile("[" + re.escape("".join(_MD)) + "]")
# What would start a list at the beginning of a line ("1. ", "2) ", "- ", "+ ").
_MD_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+])")


def md(text: object) -> str:
    """*text* as literal inline Markdown on one line (line breaks become spaces), not starting a list:
    safe in a paragraph, a list item and a table cell."""
    escaped = _MD_SPECIAL.sub(lambda m: _MD[m.group()], " ".join(str(text).split()))
    return _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3),
                               escaped)
