"""Keys and labels: the work key, the citation key (marks are stored under it) and short labels."""

from __future__ import annotations

import hashlib
import re

from explorer.core.citations.layout import _fold
from explorer.core.citations.names import _surname_index, surname
from explorer.core.citations.result import DOCUMENT, IBID, WORK_KINDS, Citation, DocumentInfo, WorkInfo
from explorer.core.text import shorten

# -- keys ------------------------------------------------------------------


def _main_title(title: str) -> str:
    """The folded title before its subtitle: "To Attack or Not to Attack?: Stalin" -> "to attack or ..."."""
    cut = re.split(r"[:?!]\s", title + " ", maxsplit=1)[0]
    return re.sub(r"^(?:the|a|an)\s+", "", _fold(cut))


def _names_key(info: WorkInfo) -> str:
    return "+".join(surname(a) for a in (info.authors or info.editors))


def _work_key_of(info: WorkInfo) -> str:
    names = _names_key(info)
    if info.title:
        return f"work:{names}:{_main_title(info.title)}"
    return f"work:{names}:{_fold(info.container or '')}:{(info.volume or info.issue or '').replace(' ', '')}"


def work_key(citation: Citation, *, intended: bool = True) -> str | None:
    """The normalised key of the publication a citation is or points to; None for documents and commentary.

    Keys are "work:" + the authors' (or editors') surnames + ":" + the main
    title, folded ("work:weathersby:to attack or not to attack"), so a short
    form and the full citation of the same work agree. An Ibid. gives its
    resolution (the intended work unless *intended* is False).
    """
    if citation.kind == IBID:
        if citation.ibid is None:
            return None
        ref = citation.ibid.work if intended else citation.ibid.strict
        return ref.key if ref else None
    if citation.kind in WORK_KINDS and citation.work:
        return citation.refers_to.key if citation.refers_to else _work_key_of(citation.work)
    return None


_ORGANISATION = re.compile(r"\b(?:Ministry|Committee|Department|Government|Embassy|Party|Delegation|Council"
                           r"|Bureau|Politburo|Office|Staff|Command|Headquarters)\b", re.IGNORECASE)


def _party_key(name: str | None) -> str:
    if not name:
        return ""
    if _ORGANISATION.search(name) or len(name.split()) > 4:
        return _fold(re.sub(r"^(?:the)\s+", "", name, flags=re.I))
    return surname(name)


def citation_key(citation: Citation) -> str:
    """A fingerprint of the citation's content, stable across edits that do not touch it.

    Built from what the citation says, never from the note number: for a
    document its kind, sender and recipient (or parties), date and archival
    location with folios; for a publication its work key and pages; for
    Ibid. the strict work and pages; for commentary a hash of its words.
    Two notes that cite exactly the same thing get the same key.
    """
    if citation.kind == DOCUMENT:
        doc = citation.document or DocumentInfo()
        if doc.parties:
            parties = "+".join(sorted(_party_key(p) for p in doc.parties))
        else:
            parties = f"{_party_key(doc.sender)}>{_party_key(doc.recipient)}"
            parties = "" if parties == ">" else parties
        places = "+".join(f"{loc.key}/l{loc.listy or ''}" for loc in citation.locations)
        title = "" if parties else _fold(doc.title or "")[:80]
        return ":".join(("doc", doc.kind or "", parties, doc.date or "", places, title)).rstrip(":")
    pages = f"@{citation.pages}" if citation.pages else ""
    if citation.kind == IBID:
        strict = citation.ibid.strict.key if citation.ibid and citation.ibid.strict else "?"
        return f"ibid:{strict}{pages}"
    if citation.kind in WORK_KINDS and citation.work:
        return _work_key_of(citation.work) + pages
    digest = hashlib.sha1(_fold(citation.text).encode()).hexdigest()[:16]
    return f"text:{digest}"


def _family_name(name: str) -> str:
    words = name.split()
    return words[_surname_index(words)] if words else ""


def _label(info: WorkInfo) -> str:
    """A short label: "Weathersby, “Should We Fear This?”", "Cold War ... Project Bulletin 6/7"."""
    names = " and ".join(_family_name(n) for n in (info.authors or info.editors))
    if info.title:
        main = re.match(r"[^:?!]*[?!]?", info.title)
        what = f"“{shorten(main.group() if main else info.title, 60)}”"
    else:
        what = " ".join(x for x in (info.container, info.volume or info.issue) if x)
    return ", ".join(x for x in (names, what) if x) or "?"


def work_label(info: WorkInfo) -> str:
    """A publication's short label, as Ibid. and short forms name it: "Weathersby, “Should We Fear This?”"."""
    return _label(info)
