"""Text layout (what is inside quotes and brackets) and the small text helpers every reader uses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

# -- text layout: what is inside quotes and brackets -----------------------

_MAX_SPAN = 1000  # a quote or parenthesis longer than this is taken as unbalanced


@dataclass(slots=True)
class _Layout:
    mask: bytes  # 1 where a character is inside a quotation, parenthesis or bracket (or a location)
    quotes: list[tuple[int, int]]
    parens: list[tuple[int, int]]
    stray_closers: list[int]  # ")" without an opener

    def top(self, i: int) -> bool:
        return 0 <= i < len(self.mask) and not self.mask[i]


def _layout(text: str, extra: Iterable[tuple[int, int]] = ()) -> _Layout:
    """Find balanced “…”, "…", ‘…’, (…) and […] spans; unbalanced ones are ignored."""
    n = len(text)
    quotes: list[tuple[int, int]] = []
    parens: list[tuple[int, int]] = []
    brackets: list[tuple[int, int]] = []
    stray: list[int] = []
    paren_stack: list[int] = []
    bracket_stack: list[int] = []
    double: int | None = None
    straight: int | None = None
    single: int | None = None
    for i, ch in enumerate(text):
        if ch == "(":
            paren_stack.append(i)
        elif ch == ")":
            if paren_stack:
                s = paren_stack.pop()
                if i - s < _MAX_SPAN:
                    parens.append((s, i + 1))
            else:
                stray.append(i)
        elif ch == "[":
            bracket_stack.append(i)
        elif ch == "]":
            if bracket_stack:
                s = bracket_stack.pop()
                if i - s < _MAX_SPAN:
                    brackets.append((s, i + 1))
        elif ch == "“":
            if double is None or i - double > _MAX_SPAN:
                double = i
        elif ch == "”":
            if double is not None:
                if i - double < _MAX_SPAN:
                    quotes.append((double, i + 1))
                double = None
        elif ch == '"':
            if straight is None or i - straight > _MAX_SPAN:
                straight = i
            else:
                quotes.append((straight, i + 1))
                straight = None
        elif ch in "‘’'":
            # ’ and ' are also apostrophes: a quote opens after a space and closes before one.
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if single is not None and ch in "’'" and not nxt.isalnum() and not prev.isspace():
                if i - single < _MAX_SPAN:
                    quotes.append((single, i + 1))
                single = None
            elif ch in "‘'" and (prev.isspace() or prev in "([") and not nxt.isspace() and nxt != ch:
                single = i
    diff = [0] * (n + 1)
    for s, e in (*quotes, *parens, *brackets, *extra):
        s, e = max(0, s), min(n, e)
        if s < e:
            diff[s] += 1
            diff[e] -= 1
    mask = bytes(1 if d > 0 else 0 for d in accumulate(diff[:n]))
    quotes.sort()
    parens.sort()
    return _Layout(mask, quotes, parens, stray)


def _find_top(text: str, lay: _Layout, needle: str, start: int = 0, end: int | None = None) -> int:
    """The first occurrence of *needle* outside quotes and brackets, or -1."""
    end = len(text) if end is None else end
    i = text.find(needle, start, end)
    while i != -1 and not lay.top(i):
        i = text.find(needle, i + 1, end)
    return i


# -- small text helpers ----------------------------------------------------

_WS = re.compile(r"\s+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
_LOWER_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "iu", "ia"),
    strict=True,
))
_CYRILLIC_TO_LATIN = str.maketrans({
    **{k: ("" if v == "-" else v) for k, v in _LOWER_CYRILLIC.items()},
    **{k.upper(): ("" if v == "-" else v.capitalize()) for k, v in _LOWER_CYRILLIC.items()},
})


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


_ABBREV_END = re.compile(
    r"(?<![\w])(?:(?:[A-Z]\.){1,3}|(?:St|Co|Inc|Ltd|Jr|Sr|Mass|Calif|Conn|Ill|Penn|Md|Va|Wash|Mich|Minn|Wis)\.)$"
)


def _strip_punct(text: str, chars: str = " ,.;:") -> str:
    """Trim punctuation, keeping the period of a closing abbreviation ("Princeton, N.J.")."""
    text = _clean(text).lstrip(chars)
    trimmed = text.rstrip(chars)
    if text[len(trimmed):len(trimmed) + 1] == "." and _ABBREV_END.search(trimmed + "."):
        trimmed += "."
    return trimmed.strip()


def _fold(text: str) -> str:
    """Lower-case ASCII words for keys: accents, apostrophes and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_CYRILLIC_TO_LATIN))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`]", "", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+(?:/[a-z0-9]+)?", text))



def _as_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return "" if text is None else str(text)
