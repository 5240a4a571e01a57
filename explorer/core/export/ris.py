"""RIS, written from the CSL items, with the tags Zotero reads for archival items.

A document with an archival location is ``TY  - MANSCPT`` (Zotero's manuscript), one without
(known only through a publication) ``UNPB``; ``AU`` the sender, ``A2`` the recipient, ``DA`` the
date (``YYYY/MM/DD/``; a range's end in the part after the last slash), ``DB`` the archive, ``AN``
the archive location, ``CY`` the archive's place, ``T2`` the publication it is translated in with
its pages in ``SP``/``EP``, ``UR`` a catalogue record, ``N1`` the note ("Cited in ...") and one
``N1`` per verification mark, starting with :data:`MARK_NOTE`. ``M3`` is the kind (letter type).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from explorer.core.export.csl_json import MARKS_FIELD
from explorer.core.export.csl_json import is_document as _is_document

MARK_NOTE = "Verification mark:"
SOURCE_TYPES = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "report": "RPRT",
    "manuscript": "MANSCPT",
    "collection": "GEN",
    "webpage": "ELEC",
    "document": "GEN",
}


def _line(tag: str, value: object) -> str:
    # RIS is one line per value: a line break inside a value would start a bogus tag.
    return f"{tag}  - {' '.join(str(value).split())}"


def _ris_date(parts: list[int]) -> str:
    y, m, d = [*parts, 0, 0][:3]
    return f"{y:04d}/" + (f"{m:02d}" if m else "") + "/" + (f"{d:02d}" if d else "") + "/"


def _iso(parts: list[int]) -> str:
    return "-".join(f"{v:02d}" if i else f"{v:04d}" for i, v in enumerate(parts))


def mark_text(mark: dict[str, Any]) -> str:
    """One mark in one line: ``status (when, by who, note N) on citation: comment``."""
    about = [str(mark["updated_at"]) if mark.get("updated_at") else "",
             f"by {mark['who']}" if mark.get("who") else "",
             f"note {mark['footnote']}" if mark.get("footnote") is not None else ""]
    text = str(mark["status"])
    if any(about):
        text += f" ({', '.join(a for a in about if a)})"
    if mark.get("label"):
        text += f" on {mark['label']}"
    if mark.get("note"):
        text += f": {mark['note']}"
    return text


def _names(item: dict[str, Any], variable: str) -> list[str]:
    return [n.get("literal") or ", ".join(p for p in (n.get("family"), n.get("given")) if p)
            for n in item.get(variable, ())]


def ris_record(item: dict[str, Any]) -> list[str]:
    """The RIS lines of one CSL item, ``TY`` first and ``ER`` last."""
    is_document = _is_document(item)
    kind = ("MANSCPT" if item.get("archive") else "UNPB") if is_document else SOURCE_TYPES.get(item["type"], "GEN")
    lines = [_line("TY", kind), _line("ID", item["id"]), _line("TI", item["title"])]
    lines += [_line("AU", n) for n in _names(item, "author")]
    lines += [_line("A2", n) for n in _names(item, "recipient" if is_document else "editor")]
    if not is_document:
        lines += [_line("A3", n) for n in _names(item, "recipient")]
    issued = item.get("issued", {})
    parts = issued.get("date-parts")
    if parts:
        lines.append(_line("PY", parts[0][0]))
        date = _ris_date(parts[0])
        if len(parts) > 1:
            date += f"to {_iso(parts[1])}"
        lines.append(_line("DA", date))
    elif issued.get("literal"):
        lines.append(_line("DA", f"///{issued['literal']}"))
    if issued.get("season"):
        lines.append(_line("C1", issued["season"]))
    for tag, variable in (("M3", "genre"), ("DB", "archive"), ("AN", "archive_location"),
                          ("CY", "archive-place" if is_document else "publisher-place"), ("PB", "publisher"),
                          ("T2", "container-title"), ("T3", "collection-title"), ("VL", "volume"),
                          ("IS", "issue"), ("M1", "number"), ("UR", "URL"), ("AB", "abstract"), ("N1", "note")):
        if item.get(variable):
            lines.append(_line(tag, item[variable]))
    lines += [_line("A4", n) for n in _names(item, "container-author")]
    page = item.get("page")
    if page:
        start, _, end = page.replace("–", "-").partition("-")
        lines.append(_line("SP", start.strip()))
        if end.strip():
            lines.append(_line("EP", end.strip()))
    for mark in item.get("custom", {}).get(MARKS_FIELD, ()):
        lines.append(_line("N1", f"{MARK_NOTE} {mark_text(mark)}"))
    lines.append("ER  - ")
    return lines


def to_ris(items: Iterable[dict[str, Any]]) -> str:
    """The items as one RIS file."""
    return "".join("\n".join(ris_record(item)) + "\n\n" for item in items)
