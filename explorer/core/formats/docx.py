"""Word documents (.docx, .docm, WordprocessingML, Transitional or Strict), read from the zip and XML.

python-docx has no footnotes, so this reads the parts itself:

* the main part, footnotes, endnotes, styles and settings are found through
  the package relationships, never by fixed names;
* paragraphs anywhere (tables, text boxes, content controls) are passages, in
  reading order; a text box's paragraphs follow the paragraph holding it;
* runs are found at any depth (hyperlinks, smart tags, custom XML, ``w:dir``,
  ``w:bdo``, insertions, moves-to); deletions and moves-from are dropped;
* fields keep their shown result, never their code; of ``mc:AlternateContent``
  the first Choice is read and the Fallback skipped (else text comes twice);
* ``w:tab`` and ``w:br`` are spaces, ``w:noBreakHyphen`` is U+2011, soft
  hyphens are dropped, ``w:sym`` gives its character;
* italics are direct run formatting or from the run's or paragraph's style;
  headings are paragraphs whose style (or own properties) give an outline
  level or a "heading N" name; the first "Title" paragraph gives the title;
* footnotes and endnotes are numbered as :mod:`.assembly` says; separator,
  continuation-separator and continuation-notice notes are not notes;
  a custom mark (``w:customMarkFollows``) becomes the note's label.

Macros (vbaProject.bin) and pictures are never inflated.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from xml.etree.ElementTree import Element

from explorer.core.errors import CorpusError
from explorer.core.essay import BODY, ENDNOTE, FOOTNOTE, HEADING, Essay
from explorer.core.formats.assembly import EssayBuilder, Paragraph
from explorer.core.formats.zipsafe import Package

TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FALSE = ("0", "false", "off", "none")
_SKIP_NOTE_TYPES = ("separator", "continuationSeparator", "continuationNotice")

#: Word's Symbol font puts Greek at ASCII places; the usual ones, for w:sym.
_SYMBOL_FONT = dict(zip("abgdezhqiklmnxoprstufcyw", "αβγδεζηθικλμνξοπρστυφχψω", strict=True)) | dict(
    zip("ABGDEZHQIKLMNXOPRSTUFCYW", "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", strict=True))


def read_docx(package: Package) -> Essay:
    """The essay in a WordprocessingML *package*."""
    return _DocxReader(package).read()


def _rels(package: Package, part: str) -> dict[str, str]:
    """Relationship type suffix (``officeDocument``, ``footnotes``...) -> target part name."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in package:
        return {}
    found: dict[str, str] = {}
    for rel in package.xml(rels_name).iter(f"{_REL}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.setdefault(kind, target)
    return found


def _numeral(n: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                               (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                out += letters
                n -= value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("lowerLetter", "upperLetter"):  # a..z, aa..zz, as Word counts
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        return "*†‡§"[(n - 1) % 4] * ((n - 1) // 4 + 1)
    return str(n)


class _DocxReader:
    def __init__(self, package: Package) -> None:
        self.package = package
        self.source = package.source
        self.builder = EssayBuilder(self.source)
        self.para: Paragraph | None = None
        self.sink: Callable[[str, int | None], Paragraph] = self.builder.paragraph
        self.italic_base = False  # the paragraph style's italics
        self.hidden_fields = 0  # open fields still in their code part (their text is not shown)
        self.fields: list[bool] = []  # per open field: has it reached its result?
        self.capture: tuple[str, str] | None = None  # (kind, id) of a note whose custom mark follows
        self.labels: dict[tuple[str, str], str] = {}
        self.custom: set[tuple[str, str]] = set()
        self.in_note = False

    # -- the package ---------------------------------------------------------

    def read(self) -> Essay:
        package = self.package
        main = _rels(package, "").get("officeDocument")
        if main is None or main not in package:
            raise CorpusError.single(self.source, None, "the package has no main document (no officeDocument "
                                     "relationship); it is not a Word document, or it is damaged",
                                     key="_rels/.rels")
        root = package.xml(main)
        ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
        if ns not in (TRANSITIONAL, STRICT) or not root.tag.endswith("}document"):
            what = root.tag.rsplit("}", 1)[-1]
            raise CorpusError.single(self.source, None, f"the main part is a '{what}', not a Word document "
                                     "(a spreadsheet or a presentation?)", key=main)
        self._tags(ns)
        rels = _rels(package, main)
        self.styles = self._styles(rels.get("styles"))
        formats = self._note_formats(rels.get("settings"))
        body = root.find(self.w + "body")
        if body is None:
            raise CorpusError.single(self.source, None, "the document has no body", key=main)
        self.walk(body)
        self._notes(rels.get("footnotes"), FOOTNOTE, formats)
        self._notes(rels.get("endnotes"), ENDNOTE, formats)
        return self.builder.build()

    def _tags(self, ns: str) -> None:
        w = self.w = "{" + ns + "}"
        self.val = w + "val"
        self.handlers: dict[str, Callable[[Element], None]] = {
            w + "p": self.paragraph,
            w + "r": self.run,
            w + "fldSimple": self.walk,  # the shown result is its runs; the code is an attribute
            _MC + "AlternateContent": self.alternate,
        }
        self.skip = {w + t for t in ("del", "moveFrom", "pPr", "rPr", "sectPr", "sdtPr", "sdtEndPr", "tblPr",
                                     "tblGrid", "trPr", "tcPr", "instrText", "delText", "delInstrText", "rt",
                                     "bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart",
                                     "commentRangeEnd")}
        self.skip.add(_MC + "Fallback")
        self.run_tags = {w + t: t for t in (
            "t", "tab", "br", "cr", "noBreakHyphen", "sym", "footnoteReference", "endnoteReference", "fldChar",
            "rPr", "instrText", "delText", "delInstrText", "softHyphen", "footnoteRef", "endnoteRef",
            "lastRenderedPageBreak")}

    def _styles(self, part: str | None) -> dict[str, tuple[bool | None, str, int | None, str | None]]:
        """styleId -> (italic, name, outline level, basedOn), with basedOn resolved for italics."""
        if part is None or part not in self.package:
            return {}
        w = self.w
        raw: dict[str, tuple[bool | None, str, int | None, str | None]] = {}
        for style in self.package.xml(part).iter(w + "style"):
            sid = style.get(w + "styleId") or ""
            name_el = style.find(w + "name")
            name = (name_el.get(self.val) or "") if name_el is not None else sid
            italic_el = style.find(f"{w}rPr/{w}i")
            italic = None if italic_el is None else (italic_el.get(self.val) or "1").lower() not in _FALSE
            level_el = style.find(f"{w}pPr/{w}outlineLvl")
            level = _int(level_el.get(self.val)) if level_el is not None else None
            based_el = style.find(w + "basedOn")
            raw[sid] = (italic, name.lower(), level, based_el.get(self.val) if based_el is not None else None)
        resolved = {}
        for sid, (italic, name, level, based) in raw.items():
            seen = {sid}
            parent = based
            while (italic is None or level is None) and parent in raw and parent not in seen:
                seen.add(parent)
                p_italic, _n, p_level, parent_next = raw[parent]
                italic = p_italic if italic is None else italic
                level = p_level if level is None else level
                parent = parent_next
            resolved[sid] = (italic, name, level, based)
        return resolved

    def _note_formats(self, part: str | None) -> dict[str, str]:
        formats = {FOOTNOTE: "decimal", ENDNOTE: "lowerRoman"}  # Word's defaults
        if part is None or part not in self.package:
            return formats
        settings = self.package.xml(part)
        for kind, tag in ((FOOTNOTE, "footnotePr"), (ENDNOTE, "endnotePr")):
            fmt = settings.find(f"{self.w}{tag}/{self.w}numFmt")
            if fmt is not None and fmt.get(self.val):
                formats[kind] = fmt.get(self.val) or formats[kind]
        return formats

    def _notes(self, part: str | None, kind: str, formats: dict[str, str]) -> None:
        if part is None or part not in self.package:
            return
        w = self.w
        self.in_note = True
        shown = 0
        bodies: dict[str, str] = {}
        for note in self.package.xml(part).findall(w + kind):
            if note.get(w + "type") in _SKIP_NOTE_TYPES:
                continue
            note_id = note.get(w + "id") or ""
            paragraphs: list[Paragraph] = []

            def collect(_kind: str, _line: int | None, into: list[Paragraph] = paragraphs) -> Paragraph:
                para = Paragraph()
                into.append(para)
                return para

            self.sink = collect
            self.walk(note)
            bodies[note_id] = " ".join(t for t in (p.plain() for p in paragraphs) if t)
        self.in_note = False
        # Word numbers auto notes in order of reference, custom marks taking no number.
        for para in self.builder.paragraphs:
            for part_ in para.parts:
                key = getattr(part_, "key", None)
                if not (isinstance(key, tuple) and key[0] == kind) or key[1] not in bodies:
                    continue
                if key in self.custom:
                    continue
                if key not in self.labels:
                    shown += 1
                    self.labels[key] = _numeral(shown, formats[kind])
        for note_id, text in bodies.items():
            key = (kind, note_id)
            label = self.labels.get(key)
            if key in self.custom and label and text.startswith(label):
                text = text[len(label):]  # the note repeats its custom mark at its start
            self.builder.note(key, kind, text, label, where=f"id {note_id} in {part}")

    # -- the XML -------------------------------------------------------------

    def walk(self, elem: Element) -> None:
        handlers = self.handlers
        skip = self.skip
        for child in elem:
            tag = child.tag
            handler = handlers.get(tag)
            if handler is not None:
                handler(child)
            elif tag not in skip:
                self.walk(child)

    def alternate(self, elem: Element) -> None:
        choice = elem.find(_MC + "Choice")
        chosen = choice if choice is not None else elem.find(_MC + "Fallback")
        if chosen is not None:
            self.walk(chosen)

    def paragraph(self, p: Element) -> None:
        w = self.w
        kind = BODY
        italic = False
        props = p.find(w + "pPr")
        if props is not None:
            style_el = props.find(w + "pStyle")
            if style_el is not None:
                sid = style_el.get(self.val) or ""
                s_italic, name, level, _based = self.styles.get(sid, (None, sid.lower(), None, None))
                italic = bool(s_italic)
                if name == "title" and self.builder.title is None and not self.in_note:
                    kind = "title"
                elif (level is not None and level < 9) or name.startswith("heading") or name in ("title", "subtitle"):
                    kind = HEADING
            level_el = props.find(w + "outlineLvl")
            if level_el is not None and (_int(level_el.get(self.val)) or 9) < 9:
                kind = HEADING
        outer, outer_italic = self.para, self.italic_base
        self.para = self.sink(HEADING if kind == "title" else kind, None)
        self.italic_base = italic
        self.walk(p)
        if kind == "title":
            self.builder.title = self.para.plain() or None
        self.para, self.italic_base = outer, outer_italic

    def run(self, r: Element) -> None:
        w = self.w
        italic = self.italic_base
        props = r.find(w + "rPr")
        if props is not None:
            style_el = props.find(w + "rStyle")
            if style_el is not None:
                s_italic = self.styles.get(style_el.get(self.val) or "", (None,))[0]
                if s_italic is not None:
                    italic = s_italic
            i_el = props.find(w + "i")
            if i_el is not None:
                italic = (i_el.get(self.val) or "1").lower() not in _FALSE
        captured = False
        carried = self.capture is not None  # a custom mark's text may be in the run after the reference
        run_tags = self.run_tags
        for child in r:
            tag = run_tags.get(child.tag, "")
            text = None
            if tag == "t":
                text = child.text or ""
            elif tag == "tab" or tag == "br" or tag == "cr":
                text = " "
            elif tag == "noBreakHyphen":
                text = "\u2011"
            elif tag == "sym":
                text = self._symbol(child)
            elif tag == "footnoteReference" or tag == "endnoteReference":
                self._reference(child, FOOTNOTE if tag == "footnoteReference" else ENDNOTE)
                continue
            elif tag == "fldChar":
                self._field(child.get(w + "fldCharType"))
                continue
            elif tag in ("rPr", "instrText", "delText", "delInstrText", "softHyphen", "footnoteRef", "endnoteRef",
                         "lastRenderedPageBreak"):
                continue
            else:  # drawings, pictures, alternate content: text boxes hold paragraphs
                handler = self.handlers.get(child.tag)
                if handler is not None:
                    handler(child)
                elif child.tag not in self.skip:
                    self.walk(child)
                continue
            if self.hidden_fields or not text:
                continue
            if self.capture is not None:
                key = self.capture
                self.labels[key] = self.labels.get(key, "") + text.strip()
                captured = True
                continue
            if self.para is not None:
                self.para.text(text, italic)
        if captured or carried:
            self.capture = None  # the mark is this run's text at most: never a whole paragraph

    def _reference(self, ref: Element, kind: str) -> None:
        if self.in_note or self.para is None or self.hidden_fields:
            return  # a note citing a note: Word shows it, but the model has one place per note
        key = (kind, ref.get(self.w + "id") or "")
        self.para.reference(key)
        custom = ref.get(self.w + "customMarkFollows")
        if custom is not None and custom.lower() not in _FALSE:
            self.custom.add(key)
            self.capture = key

    def _field(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(False)
            self.hidden_fields += 1
        elif kind == "separate" and self.fields and not self.fields[-1]:
            self.fields[-1] = True
            self.hidden_fields -= 1
        elif kind == "end" and self.fields and not self.fields.pop():
            self.hidden_fields -= 1

    def _symbol(self, sym: Element) -> str:
        code = _int(sym.get(self.w + "char"), 16)
        if code is None:
            return ""
        if code >= 0xF000:  # symbol fonts' private-use range mirrors ASCII
            code -= 0xF000
        char = chr(code) if 0x20 <= code < 0x110000 else ""
        if (sym.get(self.w + "font") or "").lower() == "symbol":
            char = _SYMBOL_FONT.get(char, char)
        return char


def _int(text: str | None, base: int = 10) -> int | None:
    try:
        return int(text or "", base)
    except ValueError:
        return None
