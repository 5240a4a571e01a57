"""Names: author blocks, surnames (surname-first names too), titles and subjects in prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.citations.dates import _MONTH_NUMBERS
from explorer.core.citations.layout import _clean, _find_top, _fold, _Layout, _strip_punct

# -- names -----------------------------------------------------------------

_NAME_WORD = re.compile(r"(?:[A-Z]\.\s?){1,4}|[A-ZÀ-ÖØ-ÞА-ЯЁ][^\W\d_]*(?:[’'\-][^\W\d_]+)*\.?")
_INITIAL_WORD = re.compile(r"(?:[A-Z]\.\s?){1,4}")
_PARTICLES = frozenset((
    "de", "van", "von", "der", "den", "du", "la", "le", "al", "bin", "da", "di", "dos", "del", "ibn"
))
_STOPWORDS = frozenset((
    "The", "A", "An", "In", "On", "At", "For", "From", "See", "This", "That", "These", "Those", "It", "He",
    "She", "They", "We", "Its", "His", "Her", "But", "And", "Or", "As", "By", "To", "Of", "With", "Ibid",
    "Ibidem", "Idem", "Cited", "Quoted", "When", "While", "After", "Before", "During", "Although",
    "However", "Moreover", "Similar", "Similarly", "Both", "Some", "Most", "Many", "Several", "Other",
    "Another", "Such", "Only", "Also", "Thus", "Here", "There", "Telegram", "Report", "Letter", "Record",
    "Conversation", "Ciphered", "Archive", "Available", "Prepared", "Vol", "Volume", "No", "Nos", "Working",
    "Paper"
)) | {m.capitalize() for m in _MONTH_NUMBERS if m.isascii()}
_SMALL_WORDS = frozenset((
    "of", "the", "in", "a", "an", "and", "for", "to", "on", "at", "by", "with", "from", "or", "nor", "but",
    "de", "la", "le", "du", "des", "und", "der", "die", "das", "et", "vs.", "v."
))
_ARTICLES = frozenset((
    "the", "a", "an", "of", "this", "that", "these", "those", "his", "her", "its", "their", "our"
))
_EDITORS = re.compile(r"(?:\(?eds?\.?\)?|editors?|\(?comps?\.?\)?|compilers?)", re.IGNORECASE)
_EDITORS_LEAD = re.compile(r"(?:eds?\.|editors|comps?\.)\s+", re.IGNORECASE)
# Surname-first names (Chinese, Korean): "Li Haiwen", "Shen Zhi-hua", "Xue Litai", "Kim Il Sung".
_SURNAME_FIRST = frozenset((
    "li", "shen", "xue", "zhang", "wang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
    "hu", "zhu", "gao", "lin", "guo", "ma", "luo", "liang", "song", "zheng", "xie", "tang", "feng", "yu",
    "dong", "xiao", "cheng", "cao", "yuan", "deng", "fu", "peng", "zeng", "lu", "su", "jiang", "cai", "jia",
    "ding", "wei", "ye", "yan", "pan", "du", "dai", "mao", "niu", "qian", "qin", "zhai", "kim", "park",
    "pak", "choi", "ri", "rhee", "jung", "kang", "cho", "yoon", "jang", "lim", "shin", "ryu"
))
_HONORIFICS = re.compile(r"^(?:Comrades?|Tov\.|tov\.|Mr\.|Mrs\.|Marshal|General|Generalissimo)\s+")


def _is_name_word(word: str) -> bool:
    if _INITIAL_WORD.fullmatch(word):
        return True  # "A." in "Callum A. MacDonald" is an initial, not the article
    return bool(_NAME_WORD.fullmatch(word)) and word.rstrip(".") not in _STOPWORDS


def _is_name(chunk: str) -> bool:
    words = chunk.split()
    if not 1 <= len(words) <= 5 or words[0] in _STOPWORDS:
        return False
    return all(_is_name_word(w) or (i and w in _PARTICLES) for i, w in enumerate(words))


def _split_names(chunk: str) -> list[str]:
    parts = re.split(r"\s+(?:and|&)\s+|^\s*(?:and|&)\s+", chunk)
    return [_clean(p) for p in parts if p and p.strip()]


def surname(name: str) -> str:
    """The family name, folded for keys: "K. Weathersby" -> "weathersby", "Li Haiwen" -> "li"."""
    name = _HONORIFICS.sub("", re.sub(r"\[[^\]]{0,200}\]", " ", name))
    words = [w for w in name.replace("’", "'").split()
             if w.rstrip(".,").lower() not in ("jr", "sr", "ii", "iii")]
    if not words:
        return ""
    return _fold(words[_surname_index(words)])


def _surname_index(words: list[str]) -> int:
    """Where the family name is: the last word, or the first of a surname-first name ("Mao Zedong")."""
    for size in (3, 2):
        if len(words) >= size:
            first = len(words) - size
            if _fold(words[first]) in _SURNAME_FIRST and not _INITIAL_WORD.fullmatch(words[first + 1]):
                return first
    return len(words) - 1


@dataclass(slots=True)
class _AuthorBlock:
    start: int
    after: int  # where the title begins
    names: list[str]
    editors: bool


def _author_block(body: str, lay: _Layout, at_start: bool = False) -> _AuthorBlock | None:
    """Names before the first comma ("K. Weathersby, ...", "... made by Callum A. MacDonald, in ...").

    Walks back from the first comma over name words (initials, capitalised
    words, "and"); the block is taken when it opens the text or follows a
    lower-case word that is not an article ("was", "by", "in"), so "in the
    Sun, p. 236" is not an author. Then walks forward over further names
    ("John W. Lewis, and Xue Litai,") and an "ed."/"eds." marker.
    """
    comma = _find_top(body, lay, ",")
    quote = next((s for s, _ in lay.quotes), -1)
    if comma == -1 or (quote != -1 and quote < comma):
        return None
    words = list(re.finditer(r"\S+", body[:comma]))
    if not words:
        return None
    taken: list[re.Match[str]] = []
    for w in reversed(words):
        token = w.group()
        if _is_name_word(token) or (taken and token in ("and", "&")) or (taken and token in _PARTICLES):
            if len(taken) >= 12:
                break
            taken.append(w)
        else:
            break
    while taken and (taken[-1].group() in ("and", "&") or taken[-1].group() in _PARTICLES):
        taken.pop()
    if not taken:
        return None
    taken.reverse()
    first = words.index(taken[0])
    if at_start and first:
        return None
    if first:
        before = words[first - 1].group()
        if before.lower() in _ARTICLES or not before[:1].islower():
            return None
    start = taken[0].start()
    names = _split_names(body[start:comma])
    if not names or not all(_is_name(n) for n in names):
        return None
    editors = False
    pos = comma + 1
    while pos < len(body):
        nxt = _find_top(body, lay, ",", pos)
        end = len(body) if nxt == -1 else nxt
        chunk = body[pos:end]
        stripped = chunk.strip()
        if _EDITORS.fullmatch(stripped):
            editors = True
            pos = end + 1
            break
        lead = _EDITORS_LEAD.match(stripped)
        if lead:
            editors = True
            pos = pos + (len(chunk) - len(chunk.lstrip())) + lead.end()
            break
        candidate = re.sub(r"^(?:and|&)\s+", "", stripped)
        more = _split_names(candidate)
        if nxt != -1 and more and all(_is_name(n) for n in more):
            names.extend(more)
            pos = end + 1
            continue
        break
    pos = min(pos, len(body))
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return _AuthorBlock(start, pos, names, editors)


def _title_before(text: str, end: int) -> tuple[int, str] | None:
    """The title-case run of words ending at *end* ("... argument in Korea’s Place in the Sun")."""
    words = list(re.finditer(r"\S+", text[:end]))
    taken: list[re.Match[str]] = []
    for w in reversed(words[-40:]):
        core = w.group().strip(",;:.?!“”\"’'()[]")
        if not core:
            break
        if core[0].isupper() or core[0].isdigit() or core.lower() in _SMALL_WORDS:
            taken.append(w)
        else:
            break
    taken.reverse()
    while taken and not taken[0].group().strip("“\"‘'([")[:1].isupper():
        taken.pop(0)
    if not taken:
        return None
    start = taken[0].start()
    title = _strip_punct(text[start:end], " ,;:")
    return (start, title) if title else None


def _subject(text: str) -> str | None:
    """A sentence's name subject: "Cumings" in "Cumings repeats this argument in ..."."""
    words = text.split()
    taken = []
    for w in words[:5]:
        if _is_name_word(w) and not w.endswith((",", ":")):
            taken.append(w)
        else:
            break
    if not taken or len(taken) >= len(words) or len(taken) > 4:
        return None
    following = words[len(taken)]
    if not following[:1].islower() or following in _SMALL_WORDS:
        return None
    return " ".join(taken)
