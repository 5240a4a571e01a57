"""Footnote citations: split a note into its citations, classify them, read their fields.

Qt-free and independent of the curated corpus: everything here is read from
the note's own words. :func:`parse_note` reads one note; :func:`parse_notes`
reads a run of notes in essay order and resolves what depends on earlier
notes: *Ibid.*, *Idem* and short forms ("Weathersby, 'To Attack,' 3.").

How a note is read
    1. Archival locations are found first ("AVPRF, Fond 059a, Opis 5a, Delo 3,
       Papka 11, Listy 87-91", "APRF, f. 45, op. 1, d. 329, ll. 9-17",
       "АВП РФ. Ф. 059а. Оп. 5а. ...") so that their periods never end a sentence.
    2. The note is cut into pieces at semicolons, at sentence ends (not after
       initials, "pp.", "No.", "D.C.", "eds." ..., and never inside quotation
       marks, brackets or parentheses), before ", cited in" and between two
       works joined by "and" after their publication facts.
    3. Each piece is read as, in this order: a relation phrase that attaches
       it to the citations before it ("Cited in", "For the full text of these
       documents, see", "For a fuller discussion ..., see"); "Ibid."; a
       primary document (it opens with a kind of document, is "Stalin to Mao,
       1 October 1950", or gives an archival location); a publication (book,
       chapter, article, bulletin article, working paper, manuscript);
       otherwise commentary. "Available online at ..." and "Prepared by ..."
       add to the citation before them.

Nothing here raises on bad input: a note is cut to :data:`MAX_NOTE_CHARS`,
every pattern is bounded, and a parser failure (a bug) is reported in
:attr:`ParsedNote.problems` rather than raised.

The package, module by module: :mod:`.result` (kinds, roles and the records
returned), :mod:`.layout` (quotes, brackets and text helpers), :mod:`.locations`,
:mod:`.splitting`, :mod:`.dates`, :mod:`.names`, :mod:`.works`, :mod:`.documents`,
:mod:`.note` (one note), :mod:`.keys` (work and citation keys, labels) and
:mod:`.ibid` (resolving across notes). Import from ``explorer.core.citations``: the result
types load with the package, the parser (hundreds of patterns) when first used.
"""

from typing import TYPE_CHECKING

from explorer.core.citations.result import (
    ARTICLE,
    BOOK,
    BULLETIN_ARTICLE,
    CHAPTER,
    CITED,
    COMMENTARY,
    DOCUMENT,
    IBID,
    IN,
    MANUSCRIPT,
    MAX_NOTE_CHARS,
    PERIODICAL,
    PUBLISHED_IN,
    RELATION_ROLES,
    SEE,
    VIA,
    WORK,
    WORK_KINDS,
    WORKING_PAPER,
    ArchivalRef,
    Citation,
    DocumentInfo,
    IbidResolution,
    ParsedNote,
    Relation,
    WorkInfo,
    WorkRef,
)
from explorer.core.lazy import lazy_names

__all__ = [
    "ARTICLE", "BOOK", "BULLETIN_ARTICLE", "CHAPTER", "CITED", "COMMENTARY", "DOCUMENT", "IBID", "IN", "MANUSCRIPT",
    "MAX_NOTE_CHARS", "PERIODICAL", "PUBLISHED_IN", "RELATION_ROLES", "SEE", "SERIES_WINDOW", "VIA", "WORK",
    "WORKING_PAPER", "WORK_KINDS", "ArchivalRef", "Citation", "DocumentInfo", "IbidResolution", "ParsedNote",
    "Relation", "WorkInfo", "WorkRef", "citation_key", "location_key", "page_range", "parse_archival_location",
    "parse_note", "parse_notes", "short_location", "surname", "work_key", "work_label",
]

if TYPE_CHECKING:
    from explorer.core.citations.ibid import SERIES_WINDOW, parse_notes
    from explorer.core.citations.keys import citation_key, work_key, work_label
    from explorer.core.citations.locations import location_key, parse_archival_location, short_location
    from explorer.core.citations.names import surname
    from explorer.core.citations.note import parse_note
    from explorer.core.citations.pages import page_range

__getattr__ = lazy_names(globals(), {
    "SERIES_WINDOW": "ibid", "parse_notes": "ibid",
    "citation_key": "keys", "work_key": "keys", "work_label": "keys",
    "location_key": "locations", "parse_archival_location": "locations", "short_location": "locations",
    "surname": "names", "parse_note": "note", "page_range": "pages",
})
