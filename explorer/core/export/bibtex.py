"""BibTeX and BibLaTeX, written from the CSL items.

Keys are the export ids (the record ids), the same from one export to the next. A document is
``@unpublished`` when it has an archival location, ``@misc`` when it is known only through a
publication. BibTeX has no field for an archive, so its archival location (kind, archive, fond,
opis, delo, papka, listy, the archive's place) is written in ``note`` (``@unpublished``) or
``howpublished`` (``@misc``), and the date as ``year`` and ``month`` plus a ``date`` field
BibTeX's styles ignore. BibLaTeX has its own fields for most of it: ``date`` (EDTF, ranges and
"circa" included), ``type`` (the kind), ``library`` (archive and location), ``location`` (the
archive's place), ``addendum`` (the publication it is translated in). A recipient has a field in
neither: it is written as ``recipient``, which styles ignore and readers keep. Verification
marks go in ``annote`` (BibTeX) and ``annotation`` (BibLaTeX).

Every value is escaped for TeX (``{`` ``}`` ``\\`` ``%`` ``&`` ``$`` ``#`` ``_`` ``~`` ``^``), so a
corpus string cannot end a field or run a macro. A document's sender and recipient are each in
braces, whole: the corpus does not say which part of "Kim Il Sung" is the family name; the
authors and editors of publications are left to BibTeX's own reading ("Kathryn Weathersby").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from explorer.core.export.csl_json import MARKS_FIELD
from explorer.core.export.csl_json import is_document as _is_document
from explorer.core.export.ris import mark_text
from explorer.core.months import MONTH_ABBREVIATIONS

#: BibTeX's month macros, "jan" ... "dec".
MONTHS = tuple(a.lower() for a in MONTH_ABBREVIATIONS)
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
BIBTEX_TYPES = {"book": "book", "chapter": "incollection", "article-journal": "article", "report": "techreport",
                "manuscript": "unpublished"}
BIBLATEX_TYPES = {"book": "book", "chapter": "incollection", "article-journal": "article", "report": "report",
                  "manuscript": "unpublished", "webpage": "online"}


def tex_escape(text: str) -> str:
    """*text* as literal TeX: special characters escaped, line breaks made spaces."""
    return "".join(_TEX.get(ch, ch) for ch in " ".join(str(text).split()))


def _names(item: dict[str, Any], variable: str, *, whole: bool) -> str | None:
    """BibTeX's name list; with *whole*, each name braced so BibTeX never splits it."""
    names = [n.get("literal") or ", ".join(p for p in (n.get("family"), n.get("given")) if p)
             for n in item.get(variable, ())]
    if not names:
        return None
    joined = " and ".join("{" + tex_escape(n) + "}" if whole else tex_escape(n) for n in names)
    return "{" + joined + "}"


def _iso(parts: list[int]) -> str:
    return "-".join(f"{v:02d}" if i else f"{v:04d}" for i, v in enumerate(parts))


def edtf_of(issued: dict[str, Any]) -> str | None:
    """The CSL date as EDTF (BibLaTeX's ``date``): ``1950-01-30``, ``1950-03-30/1950-04-25``, ``1950-05~``."""
    parts = issued.get("date-parts")
    if not parts:
        return None
    text = "/".join(_iso(p) for p in parts)
    return text + "~" if issued.get("circa") and len(parts) == 1 else text


def _pages(page: str | None) -> str | None:
    return page.replace("–", "-").replace("-", "--") if page else None


def _place(item: dict[str, Any]) -> str | None:
    parts = [item.get(v) for v in ("archive", "archive_location", "archive-place")]
    return ", ".join(p for p in parts if p) or None


def _translated(item: dict[str, Any]) -> str | None:
    if not item.get("container-title"):
        return None
    authors = ", ".join(n.get("literal", "") for n in item.get("container-author", ()))
    where = (f"{authors}, " if authors else "") + f"“{item['container-title']}”"
    return f"Translated in {where}" + (f", pp. {item['page']}" if item.get("page") else "")


def _entry(kind: str, key: str, fields: list[tuple[str, str | None]], raw: dict[str, str]) -> str:
    names = [f"  {name} = {value}" for name, value in raw.items() if name != "month"]  # already TeX
    body = [f"  {name} = {{{tex_escape(value)}}}" for name, value in fields if value]
    if "month" in raw:
        body.insert(next((i for i, (n, v) in enumerate(f for f in fields if f[1]) if n == "year"), -1) + 1,
                    f"  month = {raw['month']}")
    body = body[:1] + names + body[1:]
    return f"@{kind}{{{key},\n" + ",\n".join(body) + "\n}\n"


def bib_entry(item: dict[str, Any], *, biblatex: bool) -> str:
    """One CSL item as a BibTeX (or, with *biblatex*, a BibLaTeX) entry."""
    is_document = _is_document(item)
    raw: dict[str, str] = {}
    for field, variable in (("author", "author"), ("editor", "editor"), ("recipient", "recipient")):
        # the people a document is from and to are corpus records, whose names ("Kim Il Sung")
        # BibTeX must not split; authors of publications are left to BibTeX's own reading
        names = _names(item, variable, whole=is_document)
        if names:
            raw[field] = names
    issued = item.get("issued", {})
    parts = issued.get("date-parts")
    date = edtf_of(issued)
    fields: list[tuple[str, str | None]] = [("title", item.get("title"))]
    if biblatex:
        fields.append(("date", date))
    elif parts:
        fields.append(("year", str(parts[0][0])))
        if len(parts[0]) > 1:
            raw["month"] = MONTHS[parts[0][1] - 1]
        fields.append(("date", date))
    if not parts and issued.get("literal"):
        fields.append(("year", issued["literal"]))  # a literal field in both
    marks = "; ".join(mark_text(m) for m in item.get("custom", {}).get(MARKS_FIELD, ()))
    if is_document:
        kind = "unpublished" if item.get("archive") else "misc"
        note = [item.get("note")]
        if biblatex:
            fields += [("type", item.get("genre")), ("library", ", ".join(
                p for p in (item.get("archive"), item.get("archive_location")) if p) or None),
                ("location", item.get("archive-place")), ("addendum", _translated(item))]
        else:
            place = _place(item)
            note = [f"{item['genre']}" if item.get("genre") else None, place, _translated(item), *note]
        joined = ". ".join(n.rstrip(".") for n in note if n) or None
        if joined:
            joined += "."
        fields.append(("note" if kind == "unpublished" or biblatex else "howpublished", joined))
    else:
        kind = (BIBLATEX_TYPES if biblatex else BIBTEX_TYPES).get(item["type"], "misc")
        container = item.get("container-title")
        container_field = {"article": "journaltitle" if biblatex else "journal",
                           "incollection": "booktitle"}.get(kind, "howpublished" if not biblatex else "maintitle")
        number = "reportnumber" if item.get("issue") else "number"
        fields += [(container_field, container), ("volume", item.get("volume")),
                   ("number", item.get("issue")), (number, item.get("number")),
                   ("pages", _pages(item.get("page"))), ("series", item.get("collection-title")),
                   ("publisher" if kind != "techreport" else "institution", item.get("publisher")),
                   ("location" if biblatex else "address", item.get("publisher-place")),
                   ("url", item.get("URL")), ("note", item.get("note") or ("Manuscript" if kind == "unpublished"
                                                                         and not biblatex else None))]
        if issued.get("season"):  # "Spring 1995": BibLaTeX's issue; BibTeX styles ignore it
            fields.append(("issue" if biblatex else "season", issued["season"]))
    if is_document:
        fields.append(("url", item.get("URL")))
        fields.append(("abstract", item.get("abstract")))
    fields.append(("annotation" if biblatex else "annote", marks or None))
    return _entry(kind, item["id"], fields, raw)


def to_bibtex(items: Iterable[dict[str, Any]], *, biblatex: bool = False) -> str:
    """The items as one ``.bib`` file, BibTeX's fields or BibLaTeX's."""
    head = "% " + ("BibLaTeX" if biblatex else "BibTeX") + " export of an explorer corpus (UTF-8)\n\n"
    return head + "\n".join(bib_entry(item, biblatex=biblatex) for item in items)
