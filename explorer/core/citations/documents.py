"""Primary documents: telegrams, records of conversation, letters ... and who sent them to whom."""

from __future__ import annotations

import re

from explorer.core.citations.dates import _M, _find_date
from explorer.core.citations.layout import _clean, _find_top, _Layout, _layout, _strip_punct
from explorer.core.citations.names import _HONORIFICS, _is_name
from explorer.core.citations.result import DocumentInfo

# -- primary documents -----------------------------------------------------

_DOC_HEAD = re.compile(
    r"(?P<mod>(?:(?:ciphered|cipher|coded|code|encrypted|secret|top[\s-]secret|urgent|special)\s+){0,2})"
    r"(?P<kind>(?:record|memorandum|minutes)\s+of\s+(?:the\s+|a\s+)?conversations?|telegram|cablegram|cable"
    r"|letter|memorandum|memo|report|conversation|minutes|directive|instructions?|resolution|decree|speech"
    r"|protocol|message|шифртелеграмма|телеграмма|запись\s+беседы|письмо|докладная\s+записка|справка|донесение)"
    r"(?![\w])(?:\s{1,2}(?:No\.|no\.|№|#)\s{0,2}\d{1,6}[a-z]?(?![\w]))?",
    re.IGNORECASE,
)


def _document_kind(mod: str, kind: str) -> str:
    k, mod = _clean(kind).lower(), mod.lower()
    if "conversation" in k or k == "запись беседы":
        return "conversation" if k == "conversation" else "record-of-conversation"
    if k in ("telegram", "cable", "cablegram", "телеграмма", "шифртелеграмма"):
        ciphered = k == "шифртелеграмма" or any(w in mod for w in ("cipher", "code", "encrypt"))
        return "ciphered-telegram" if ciphered else "telegram"
    return _KIND_NAMES.get(k, k)


_KIND_NAMES = {
    "memo": "memorandum", "instruction": "directive", "instructions": "directive", "decree": "resolution",
    "письмо": "letter", "докладная записка": "report", "справка": "report", "донесение": "report",
}


def _party(text: str) -> tuple[str | None, str | None, str | None]:
    """(name, gloss, note): "[Soviet Ambassador to the DPRK] Shtykov", "the Ministry (in reply to ...)"."""
    glosses = re.findall(r"\[([^\[\]]{0,300})\]", text)
    notes = re.findall(r"\(([^()]{0,300})\)", text)
    name = re.sub(r"\[[^\[\]]{0,300}\]|\([^()]{0,300}\)", " ", text)
    name = _HONORIFICS.sub("", _strip_punct(name, " ,.;:"))
    name = re.sub(r"^(?:the|The)\s+", "", name)
    gloss = "; ".join(_clean(g) for g in glosses if g.strip()) or None
    note = "; ".join(_clean(n) for n in notes if n.strip()) or None
    return name or None, gloss, note


_BARE_DOCUMENT = re.compile(  # "Stalin to Mao, 1 October 1950"
    rf"(?:[A-Z][\w’'.-]{{0,30}}\s{{1,2}}){{0,3}}[A-Z][\w’'.-]{{0,30}}\s{{1,2}}to\s{{1,2}}"
    rf"(?:[A-Z][\w’'.-]{{0,30}}\s{{1,2}}){{0,3}}[A-Z][\w’'.-]{{0,30}},\s{{0,2}}(?:\d{{1,2}}\s{{1,2}})?{_M}"
)


def _read_document(seg: str, lay: _Layout, head_end: int, located: bool) -> tuple[DocumentInfo, int] | None:
    """A primary document's description in seg[:head_end].

    It must open with a kind of document ("Ciphered telegram from ...") or
    be bare: correspondents and a date ("Stalin to Mao, 1 October 1950"), or
    anything before an archival location (*located*: "Shtykov to
    Vyshinsky, 19 January 1950, APRF, ...").
    """
    m = _DOC_HEAD.match(seg)
    if not m and not (located or _BARE_DOCUMENT.match(seg)):
        return None
    head = m.end() if m else 0
    date = _find_date(seg, lay, head, head_end)
    region_end = date[0] if date else head_end
    region = seg[head:region_end]
    rlay = _layout(region)
    fields: dict = {"kind": _document_kind(m.group("mod"), m.group("kind")) if m else None}
    sender_m = re.match(r"\s*,?\s*(?:sent\s+)?(?:from|by)\s+", region, re.IGNORECASE)
    between_m = re.match(r"\s*,?\s*(?:between|of)\s+", region, re.IGNORECASE)
    comma_m = re.match(r"\s*,\s*" if m else r"\s*", region)
    found_parties = False
    opener = sender_m or comma_m
    if opener:
        begin = opener.end()
        to = _find_top(region, rlay, " to ", begin)
        if to != -1 and (sender_m or _is_name(_strip_punct(region[begin:to]))):
            cut = _find_top(region, rlay, ",", to)
            recipient = region[to + 4:cut if cut != -1 else len(region)]
            recipient = re.sub(r"\s+(?:on|dated|of)\s*$", "", recipient)
            sender, fields["sender_gloss"], _ = _party(region[begin:to])
            fields["sender"] = sender
            fields["recipient"], fields["recipient_gloss"], fields["note"] = _party(recipient)
            found_parties = True
    elif between_m and "conversation" in (fields["kind"] or ""):
        begin = between_m.end()
        cut = _find_top(region, rlay, ",", begin)
        inner = region[begin:cut if cut != -1 else len(region)]
        inner = re.sub(r"\s+(?:on|dated)\s*$", "", inner.rstrip(" ,"))
        ilay = _layout(inner)
        conj = _find_top(inner, ilay, " and ")
        parts = [inner[:conj], inner[conj + 5:]] if conj != -1 else [inner]
        fields["parties"] = tuple(p for p in (_party(x)[0] for x in parts) if p)
        found_parties = bool(fields["parties"])
    title = _strip_punct(seg[:region_end], " ,;:")
    title = re.sub(r"\s+(?:on|dated)$", "", title)
    fields["title"] = title or None
    if date:
        fields["date"], fields["date_text"] = date[2], _clean(seg[date[0]:date[1]])
    if not (date or found_parties or head_end < len(seg)):
        return None
    end = date[1] if date else region_end
    return DocumentInfo(**{k: v for k, v in fields.items() if v is not None}), end
