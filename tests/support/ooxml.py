"""Writes .docx and .odt packages from XML strings, and essays out as .docx, .odt and Markdown.

The fixtures of tests/core/formats are built here, each from the few XML
elements its case needs, so a test shows the markup it reads. The writers
(:func:`essay_to_docx`, :func:`essay_to_odt`, :func:`essay_to_markdown`) put
an :class:`Essay` out as real Word footnotes, ODF notes and Markdown
footnotes, so the default essay can be read back through every reader.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from explorer.core.essay import ENDNOTE, Essay

TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NAMESPACES = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)

SEPARATORS = {
    "footnote": '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    '</w:footnote><w:footnote w:type="continuationNotice" w:id="99999"><w:p><w:r><w:t>(continued)</w:t>'
    "</w:r></w:p></w:footnote>",
}
SEPARATORS["endnote"] = SEPARATORS["footnote"].replace("footnote", "endnote")


def note_xml(kind: str, note_id: int | str, text: str, mark: str | None = None) -> str:
    """One ``w:footnote``/``w:endnote`` whose body is *text* (a custom *mark* opens it, as Word writes)."""
    opening = (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>{escape(mark)}</w:t></w:r>'
               if mark else f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Ref/></w:r>')
    return (f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{opening}'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>')


def docx_bytes(body: str, footnotes: str | None = None, endnotes: str | None = None, styles: str | None = None,
               settings: str | None = None, *, strict: bool = False, main: str = "word/document.xml",
               extra: dict[str, bytes] | None = None, separators: bool = True) -> bytes:
    """A .docx whose ``w:body`` holds *body*; *footnotes*/*endnotes* are the notes' XML (separators added).

    *main* moves the main part (readers must follow the relationships); the
    part names of notes and styles are deliberately not Word's defaults.
    """
    ns = STRICT if strict else TRANSITIONAL
    rel = _REL_STRICT if strict else _REL_TRANSITIONAL
    root = f'xmlns:w="{ns}" {_NAMESPACES}'
    folder = main.rsplit("/", 1)[0]
    parts: dict[str, bytes] = {}
    rels: list[tuple[str, str]] = []
    for kind, xml in (("footnote", footnotes), ("endnote", endnotes)):
        if xml is not None:
            inner = (SEPARATORS[kind] if separators else "") + xml
            parts[f"{folder}/notes/{kind}s-part.xml"] = f"<w:{kind}s {root}>{inner}</w:{kind}s>".encode()
            rels.append((f"{kind}s", f"notes/{kind}s-part.xml"))
    if styles is not None:
        parts[f"{folder}/look.xml"] = f"<w:styles {root}>{styles}</w:styles>".encode()
        rels.append(("styles", "look.xml"))
    if settings is not None:
        parts[f"{folder}/prefs.xml"] = f"<w:settings {root}>{settings}</w:settings>".encode()
        rels.append(("settings", "prefs.xml"))
    parts[main] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {root}><w:body>{body}' \
                  f"</w:body></w:document>".encode()
    doc_rels = "".join(f'<Relationship Id="rId{i}" Type="{rel}/{kind}" Target="{target}"/>'
                       for i, (kind, target) in enumerate(rels, 1))
    doc_rels += f'<Relationship Id="rIdX" Type="{rel}/hyperlink" Target="https://example.org/" TargetMode="External"/>'
    name = main.rsplit("/", 1)[1]
    parts[f"{folder}/_rels/{name}.rels"] = f'<Relationships xmlns="{_PKG_REL}">{doc_rels}</Relationships>'.encode()
    parts["_rels/.rels"] = (f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                            f'Type="{rel}/officeDocument" Target="{main}"/></Relationships>').encode()
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/></Types>')
    return _zip({"[Content_Types].xml": types.encode(), **parts, **(extra or {})})


def para(*runs: str, style: str | None = None, props: str = "") -> str:
    """A ``w:p`` of raw run XML."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f"<w:pPr>{ppr}{props}</w:pPr>" if ppr or props else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def run(text: str, italic: bool = False) -> str:
    rpr = "<w:rPr><w:i/></w:rPr>" if italic else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def ref(note_id: int | str, kind: str = "footnote", mark: str | None = None) -> str:
    if mark is None:
        return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'
    return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Reference '
            f'w:customMarkFollows="1" w:id="{note_id}"/><w:t>{escape(mark)}</w:t></w:r>')


# -- OpenDocument ------------------------------------------------------------

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def odt_bytes(text: str, automatic_styles: str = "", styles: str = "", *, mimetype: str = ODT_MIMETYPE,
              manifest_extra: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """An .odt whose ``office:text`` holds *text* (with *automatic_styles* in content.xml, *styles* in styles.xml)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NAMESPACES}>'
               f"<office:automatic-styles>{automatic_styles}</office:automatic-styles>"
               f"<office:body><office:text>{text}</office:text></office:body></office:document-content>")
    styles_xml = (f'<office:document-styles {ODF_NAMESPACES}><office:styles>{styles}</office:styles>'
                  "</office:document-styles>")
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path="content.xml" '
                f'manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry></manifest:manifest>')
    return _zip({"mimetype": mimetype.encode(), "content.xml": content.encode(), "styles.xml": styles_xml.encode(),
                 "META-INF/manifest.xml": manifest.encode(), **(extra or {})}, stored_first=True)


def odt_note(note_id: str, text: str, cls: str = "footnote", citation: str = "1", label: str | None = None) -> str:
    label_attr = f" text:label={quoteattr(label)}" if label is not None else ""
    return (f'<text:note text:id="{note_id}" text:note-class="{cls}"><text:note-citation{label_attr}>'
            f'{escape(citation)}</text:note-citation><text:note-body><text:p text:style-name="Footnote">'
            f"{escape(text)}</text:p></text:note-body></text:note>")


def _zip(parts: dict[str, bytes], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(parts.items()):
            z.writestr(name, data, zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- essays out ----------------------------------------------------------------


def _pieces(text: str, markers: tuple, italics: tuple = ()) -> list[tuple[str, int | None]]:
    """The passage cut at its markers: (text, None) pieces and ("", number) marks, in order."""
    out: list[tuple[str, int | None]] = []
    last = 0
    for marker in sorted(markers, key=lambda m: m.offset):
        out.append((text[last:marker.offset], None))
        out.append(("", marker.number))
        last = marker.offset
    out.append((text[last:], None))
    return out


def essay_to_docx(essay: Essay) -> bytes:
    """The essay as a .docx with real footnotes and endnotes (ids are not the numbers, as in Word)."""
    body = []
    for p in essay.passages:
        runs = [ref(number + 100, _kind(essay, number)) if number is not None else run(text)
                for text, number in _pieces(p.text, p.markers) if text or number is not None]
        body.append(para(*runs, style="Heading1" if p.kind == "heading" else None))
    footnotes = "".join(note_xml("footnote", f.number + 100, f.text) for f in essay.footnotes if f.kind != ENDNOTE)
    endnotes = "".join(note_xml("endnote", f.number + 100, f.text) for f in essay.footnotes if f.kind == ENDNOTE)
    return docx_bytes("".join(body), footnotes, endnotes or None)


def essay_to_odt(essay: Essay) -> bytes:
    """The essay as an .odt with ``text:note`` footnotes and endnotes."""
    out = []
    notes = {f.number: f for f in essay.footnotes}
    for p in essay.passages:
        inner = "".join(
            odt_note(f"ftn{number}", notes[number].text, _kind(essay, number), str(number))
            if number is not None else escape(text)
            for text, number in _pieces(p.text, p.markers)
        )
        tag = "text:h" if p.kind == "heading" else "text:p"
        out.append(f'<{tag} text:style-name="Text_20_body">{inner}</{tag}>')
    return odt_bytes("".join(out))


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~&"})


def essay_to_markdown(essay: Essay) -> str:
    """The essay as Markdown with ``[^N]`` footnotes (every special character escaped)."""
    lines = []
    for p in essay.passages:
        text = "".join(f"[^{number}]" if number is not None else text.translate(_MD_SPECIAL)
                       for text, number in _pieces(p.text, p.markers))
        lines.append(("# " if p.kind == "heading" else "") + text)
    for f in essay.footnotes:
        lines.append(f"[^{f.number}]: {f.text.translate(_MD_SPECIAL)}")
    return "\n\n".join(lines) + "\n"


def _kind(essay: Essay, number: int) -> str:
    note = essay.footnote(number)
    return "endnote" if note is not None and note.kind == ENDNOTE else "footnote"


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """*data*'s zip with members replaced (or removed, for None)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, value in replace.items():
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = value
    return _zip(parts)
