"""OpenDocument text (.odt, .ott): ``content.xml`` read with its styles.

Paragraphs (``text:p``) and headings (``text:h``) anywhere (lists, tables,
sections, frames and text boxes) are passages, in reading order; a frame's
paragraphs follow the paragraph holding it. ``text:note`` is a footnote or an
endnote by its ``text:note-class``; its citation (or ``text:label``, for a
custom mark) is its label; notes are numbered as :mod:`.assembly` says.
Italics come from the span's or paragraph's style (automatic or named, with
parents); the first paragraph in the "Title" style gives the title. Tracked
deletions (kept apart in ``text:tracked-changes``), comments, and the hidden
parts of fields are skipped. Encrypted documents are refused.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from explorer.core.errors import CorpusError
from explorer.core.essay import BODY, ENDNOTE, FOOTNOTE, HEADING, Essay
from explorer.core.formats.assembly import EssayBuilder, Paragraph
from explorer.core.formats.zipsafe import Package

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"

TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")

_SKIP = {_TEXT + t for t in ("tracked-changes", "note-citation", "soft-page-break", "bookmark", "bookmark-start",
                             "bookmark-end", "change", "change-start", "change-end", "ruby-text",
                             "sequence-decls", "variable-decls", "user-field-decls", "table-of-content-source",
                             "alphabetical-index-source", "illustration-index-source")}
_SKIP |= {_OFFICE + "annotation", _OFFICE + "annotation-end", _OFFICE + "forms"}
_SPACES = {_TEXT + "tab", _TEXT + "line-break"}


def read_odt(package: Package) -> Essay:
    """The essay in an OpenDocument text *package*."""
    return _OdtReader(package).read()


class _OdtReader:
    def __init__(self, package: Package) -> None:
        self.package = package
        self.source = package.source
        self.builder = EssayBuilder(self.source)
        self.para: Paragraph | None = None
        self.note_paragraphs: list[Paragraph] | None = None  # set while reading a note's body
        self.notes = 0

    def read(self) -> Essay:
        package = self.package
        if "META-INF/manifest.xml" in package:
            manifest = package.xml("META-INF/manifest.xml")
            if manifest.find(f".//{_MANIFEST}encryption-data") is not None:
                raise CorpusError.single(self.source, None, "the document is password-protected (encrypted); "
                                         "save it without a password and import it again")
        if "content.xml" not in package:
            raise CorpusError.single(self.source, None, "the OpenDocument package has no content.xml")
        content = package.xml("content.xml")
        styles: dict[str, tuple[bool | None, str, str | None]] = {}
        if "styles.xml" in package:
            self._styles(package.xml("styles.xml"), styles)
        self._styles(content, styles)
        self.italic, self.titles = self._resolve(styles)
        text = content.find(f"{_OFFICE}body/{_OFFICE}text")
        if text is None:
            raise CorpusError.single(self.source, None, "the document has no text body (a spreadsheet, "
                                     "drawing or presentation?)", key="content.xml")
        self.inline(text, False)
        return self.builder.build()

    @staticmethod
    def _styles(root: Element, into: dict[str, tuple[bool | None, str, str | None]]) -> None:
        for style in root.iter(_STYLE + "style"):
            name = style.get(_STYLE + "name") or ""
            props = style.find(_STYLE + "text-properties")
            shape = props.get(_FO + "font-style") if props is not None else None
            italic = None if shape is None else shape in ("italic", "oblique")
            display = (style.get(_STYLE + "display-name") or name).lower()
            into[name] = (italic, display, style.get(_STYLE + "parent-style-name"))

    @staticmethod
    def _resolve(styles: dict[str, tuple[bool | None, str, str | None]]) -> tuple[dict[str, bool], set[str]]:
        italic: dict[str, bool] = {}
        titles: set[str] = set()
        for name in styles:
            value: bool | None = None
            title = False
            seen: set[str] = set()
            current: str | None = name
            while current in styles and current not in seen:
                seen.add(current)
                s_italic, display, parent = styles[current]
                value = s_italic if value is None else value
                title = title or display == "title"
                current = parent
            italic[name] = bool(value)
            if title:
                titles.add(name)
        return italic, titles

    def inline(self, elem: Element, italic: bool) -> None:
        """Text of *elem* and its children, mixed content in order."""
        if elem.text and self.para is not None:
            self.para.text(elem.text, italic)
        for child in elem:
            tag = child.tag
            if tag == _TEXT + "span":
                style = child.get(_TEXT + "style-name")
                self.inline(child, self.italic.get(style, italic) if style in self.italic else italic)
            elif tag == _TEXT + "p" or tag == _TEXT + "h":
                self.paragraph(child)
            elif tag == _TEXT + "note":
                self.note(child)
            elif tag == _TEXT + "s":
                if self.para is not None:
                    count = child.get(_TEXT + "c") or "1"
                    self.para.text(" " * min(int(count) if count.isdigit() else 1, 1000), italic)
            elif tag in _SPACES:
                if self.para is not None:
                    self.para.text(" ", italic)
            elif tag not in _SKIP:
                self.inline(child, italic)
            if child.tail and self.para is not None:
                self.para.text(child.tail, italic)

    def paragraph(self, p: Element) -> None:
        style = p.get(_TEXT + "style-name") or ""
        is_title = style in self.titles and self.builder.title is None and self.note_paragraphs is None
        kind = HEADING if p.tag == _TEXT + "h" or style in self.titles else BODY
        outer = self.para
        if self.note_paragraphs is not None:
            self.para = Paragraph()
            self.note_paragraphs.append(self.para)
        else:
            self.para = self.builder.paragraph(kind)
        self.inline(p, self.italic.get(style, False))
        if is_title:
            self.builder.title = self.para.plain() or None
        self.para = outer

    def note(self, note: Element) -> None:
        if self.note_paragraphs is not None or self.para is None:
            return  # a note inside a note: the model has one place per note
        self.notes += 1
        key = ("note", note.get(_TEXT + "id") or f"#{self.notes}")
        kind = ENDNOTE if note.get(_TEXT + "note-class") == "endnote" else FOOTNOTE
        citation = note.find(_TEXT + "note-citation")
        label = None
        if citation is not None:
            label = (citation.get(_TEXT + "label") or "".join(citation.itertext())).strip() or None
        self.para.reference(key)
        body = note.find(_TEXT + "note-body")
        paragraphs: list[Paragraph] = []
        if body is not None:
            outer = self.para
            self.note_paragraphs = paragraphs
            self.para = None
            self.inline(body, False)
            self.note_paragraphs = None
            self.para = outer
        text = " ".join(t for t in (p.plain() for p in paragraphs) if t)
        self.builder.note(key, kind, text, label, where=f"'{key[1]}' (mark {label or '?'}) in content.xml")
