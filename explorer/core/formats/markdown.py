"""Markdown with footnotes (pandoc / GitHub style ``[^label]``), read with markdown-it-py.

The CommonMark parser and its footnote plugin (mdit-py-plugins) do the
reading; this only walks their tokens. Paragraphs, list items, quotes and
table rows are passages; ``#`` headings are headings; ``*emphasis*`` is kept
as italics; a YAML front matter ``title:`` is the title. Notes are numbered
in order of first reference (as :mod:`.assembly` says), each keeping its
label as written. Raw HTML is kept as the literal text it is, never
interpreted. A ``[^label]`` with no definition, or a definition never
referenced, is an error naming its line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from explorer.core.errors import Problem
from explorer.core.essay import BODY, FOOTNOTE, HEADING, Essay
from explorer.core.formats.assembly import EssayBuilder, Paragraph

_TEXT_TOKENS = ("text", "code_inline", "html_inline")
_BREAKS = ("softbreak", "hardbreak")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(front_matter_plugin)


def read_markdown(text: str, source: str) -> Essay:
    """The essay in Markdown *text* (already decoded); *source* names it in errors."""
    env: dict = {}
    tokens = _parser().parse(text, env)
    builder = EssayBuilder(source)
    lines = text.split("\n")
    note_label: str | None = None
    note_paragraphs: list[Paragraph] = []
    note_line: int | None = None
    row: Paragraph | None = None
    heading = False
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "front_matter":
            builder.title = _front_matter_title(token.content)
        elif kind == "footnote_open":
            note_label, note_paragraphs, note_line = token.meta["label"], [], None
        elif kind == "footnote_close":
            body = " ".join(t for t in (p.plain() for p in note_paragraphs) if t)
            builder.note(note_label, FOOTNOTE, body, note_label, note_line, where=f"[^{note_label}]")
            note_label = None
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "tr_open":
            row = builder.paragraph(BODY, _line(token))
        elif kind == "tr_close":
            row = None
        elif kind in ("fence", "code_block") or (kind == "html_block" and not token.content.startswith("<!--")):
            if note_label is None:
                builder.paragraph(BODY, _line(token)).text(token.content)
            else:
                note_paragraphs.append(Paragraph())
                note_paragraphs[-1].text(token.content)
        elif kind == "inline":
            if note_label is not None:
                para = Paragraph()
                note_paragraphs.append(para)
                note_line = note_line or _line(token)
            elif row is not None:
                para = row
                para.text(" ")
            else:
                para = builder.paragraph(HEADING if heading else BODY, _line(token))
            _inline(token.children or [], para, builder, note_label is not None, _line(tokens[i]))
    refs = env.get("footnotes", {}).get("refs", {})
    for key, ident in refs.items():
        if ident == -1:  # defined, never referenced: markdown-it drops it, we must not
            label = key[1:]
            line = next((n for n, s in enumerate(lines, 1) if s.lstrip().startswith(f"[^{label}]:")), None)
            builder.problems.append(Problem(source, line, f"the footnote [^{label}] is defined but never "
                                            "referenced in the text (it would be lost)", f"[^{label}]"))
    return builder.build()


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


def _inline(children: list[Token], para: Paragraph, builder: EssayBuilder, in_note: bool, line: int | None) -> None:
    italic = 0
    for child in children:
        kind = child.type
        if kind in _TEXT_TOKENS:
            if "[^" in child.content and "]" in child.content.split("[^", 1)[1]:
                label = child.content.split("[^", 1)[1].split("]", 1)[0]
                builder.problems.append(Problem(builder.source, line, f"the footnote reference [^{label}] "
                                                "has no definition", f"[^{label}]"))
            para.text(child.content, italic > 0)
        elif kind in _BREAKS:
            para.text(" ")
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic = max(0, italic - 1)
        elif kind == "image":
            _inline(child.children or [], para, builder, in_note, line)
        elif kind == "footnote_ref" and not in_note:
            para.reference(child.meta["label"])


def _front_matter_title(content: str) -> str | None:
    import yaml  # only a front matter needs it

    try:
        data = yaml.safe_load(content[:65536])
    except yaml.YAMLError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return title.strip() or None if isinstance(title, str) else None
