"""Misspelt words in the essay's text and notes, checked offline.

The English word list is pyspellchecker's (shipped inside the package: no
network). To it are added the corpus's own words, so a name or a
transliteration is never a misspelling: every form of every person's and
place's name, the authors, editors, titles, containers and publishers of the
sources, the archival vocabulary of citations (Fond, Opis, Delo ...), and the
reader's own ignore list, ``spelling-ignore.txt`` in the corpus folder (one
word a line; :func:`add_ignored_word` adds to it).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from explorer.core.audit.findings import INFO, Finding
from explorer.core.model import Corpus
from explorer.core.pausing import paced

IGNORE_FILE = "spelling-ignore.txt"
RULE_SPELLING = "CMOS ch. 7 (spelling: a standard dictionary)"
_MAX_WORD = 40  # a longer "word" is a run of letters, not a word to look up

# Words of archival citations and the essay's genre that an English dictionary lacks.
_CITATION_WORDS = frozenset({
    "fond", "opis", "delo", "papka", "listy", "list", "hereafter", "ibid", "idem", "ll", "pp", "eds", "cde",
})
# A word: letters, with inner apostrophes or hyphens ("Korea’s", "counter-attack").
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*(?:-[^\W\d_]+(?:[’'][^\W\d_]+)*)*")
_POSSESSIVE = re.compile(r"[’']s$")
_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    """pyspellchecker's English list, loaded once (about a third of a second)."""
    from spellchecker import SpellChecker  # imported here: only the audit needs it

    return SpellChecker(language="en", distance=1)


def ignore_path(folder: Path) -> Path:
    return Path(folder) / IGNORE_FILE


def read_ignored_words(folder: Path) -> frozenset[str]:
    """The corpus's spelling ignore list (lower case); empty when the file does not exist."""
    path = ignore_path(folder)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def add_ignored_word(folder: Path, word: str) -> None:
    """Add *word* to the corpus's ignore list, keeping the file's lines; written atomically.

    Raises ValueError for an empty word or one with spaces or line breaks.
    """
    word = word.strip()
    if not word or any(ch.isspace() for ch in word):
        raise ValueError(f"not one word: {word!r}")
    path = ignore_path(folder)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    if word.lower() in {line.strip().lower() for line in lines}:
        return
    lines.append(word)
    fd, temp = tempfile.mkstemp(prefix=".spelling-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write("\n".join(lines) + "\n")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _words_of(texts: Iterable[str | None]) -> set[str]:
    out = set()
    for text in texts:
        for w in _WORD.findall(text or ""):
            for part in w.split("-"):
                out.add(_POSSESSIVE.sub("", part).replace("’", "'").lower())
    return out


def corpus_words(corpus: Corpus) -> set[str]:
    """The corpus's own names and transliterations, lower case: never misspellings."""
    texts: list[str | None] = []
    for p in corpus.people:
        texts += [*p.name_forms(), p.role]
    for place in corpus.places:
        texts += [place.name, *place.spellings]
    for s in corpus.sources:
        texts += [*s.authors, *s.editors, s.title, s.container, s.publisher, s.place, s.series]
    for r in corpus.catalog:
        texts += [*r.from_names, *r.to_names]
    return _words_of(texts) | _CITATION_WORDS


def check_spelling(corpus: Corpus) -> Iterator[Finding]:
    """A word of the text or notes that is neither English nor one of the corpus's own words."""
    known = corpus_words(corpus) | read_ignored_words(corpus.path)
    where: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    texts: list[tuple[str, int | None, str]] = [(p.id, None, p.text) for p in corpus.essay.body_passages]
    texts += [(f.passage_id, f.number, f.text) for f in corpus.essay.footnotes]
    for pid, number, text in paced(texts, 8):
        for w in _WORD.findall(_ADDRESS.sub(" ", text)):
            if "-" in w and w.replace("-", "").lower() in known:
                continue  # "Zhi-hua" for the corpus's "Zhihua": a romanisation, not a misspelling
            parts = w.split("-")
            for part in parts:
                word = _POSSESSIVE.sub("", part)
                if len(parts) > 1 and len(word) <= 3:
                    continue  # a prefix: "pre-war", "co-operation"
                if word.isupper() and len(word) > 1:
                    continue  # an abbreviation: "APRF", "USA"
                if 3 <= len(word) <= _MAX_WORD and word.isalpha() and word.lower() not in known:
                    where[word].append((pid, number))
    if not where:
        return
    dictionary = _dictionary()
    unknown = dictionary.unknown({w.lower() for w in where})
    for word in paced(sorted(where, key=str.lower), 16):
        if word.lower() not in unknown:
            continue
        stem = word.lower()[:-1] if word.lower().endswith("s") else ""
        if stem and dictionary[stem] and not any(
            dictionary[c] > 10 * dictionary[stem] for c in dictionary.candidates(word.lower()) or ()
        ):
            continue  # a plural the list lacks ("exactions"), unless a far commoner word is one slip away
        if word[0].isupper() and not dictionary.candidates(word.lower()):
            continue  # a capitalised word with no near English word: a name, not a misspelling
        places = where[word]
        notes = tuple(sorted({n for _, n in places if n is not None}))
        passages = tuple(dict.fromkeys(p for p, n in places if n is None)) or tuple(dict.fromkeys(p for p, _ in places))
        # The likeliest first: the commonest English words one slip away.
        guesses = sorted((dictionary.candidates(word.lower()) or set()) - {word.lower()},
                         key=lambda g: (-dictionary[g], g))[:3]
        shown = ", ".join([f"passage {p}" for p in passages if any(n is None for q, n in places if q == p)]
                          + [f"note {n}" for n in notes])
        yield Finding(
            "SPELLING", INFO,
            f"“{word}” ({shown}) is not in the dictionary or among the corpus's names"
            + (f"; did you mean {' or '.join(f'“{g}”' for g in guesses)}?" if guesses else ".")
            + f" Add it to {IGNORE_FILE} if it is right.",
            notes, passages, details={"word": word, "suggestions": guesses}, rule=RULE_SPELLING,
        )
