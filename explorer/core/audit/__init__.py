"""The citation audit: every check a historian runs on an essay's notes.

Each check reads the essay's text and notes (through the citation parser)
and the corpus records, and yields :class:`Finding` objects with a stable
code, a severity, the footnotes and passages concerned, and a sentence a
historian can act on. Nothing here lists expected findings: they are found.

One module per family of checks: :mod:`.notes` (the notes against each other
and the curated records), :mod:`.catalog` (the documents against the
catalogue records), :mod:`.editorial` (the Chicago Manual of Style's rules
for notes) and :mod:`.spelling`; :mod:`.findings` holds the one result type
and :mod:`.output` renders findings; :mod:`.review` finds where reviewers' marks disagree (from
plain entries the caller reads from the marks store); :mod:`.run` runs every check. Import from
``explorer.core.audit``: the result type loads with the package, the checks (and the citation
parser they use) when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.core.audit.findings import ERROR, INFO, SEVERITIES, WARNING, Finding, order_findings
from explorer.core.lazy import lazy_names

if TYPE_CHECKING:
    from explorer.core.audit.catalog import check_catalog, check_catalogued_uncited
    from explorer.core.audit.editorial import (
        check_full_repeated,
        check_ibid_form,
        check_missing_pages,
        check_quote_without_note,
        check_unbalanced,
    )
    from explorer.core.audit.notes import (
        check_dates,
        check_ibid,
        check_locations,
        check_names,
        check_no_source,
        check_pages,
        check_quotes,
        check_secondary_only,
        check_unparsed,
    )
    from explorer.core.audit.output import format_findings, marks_for
    from explorer.core.audit.review import ReviewEntry, check_disagreements
    from explorer.core.audit.run import CORPUS_CHECKS, NOTE_CHECKS, run_audit
    from explorer.core.audit.spelling import add_ignored_word, check_spelling, read_ignored_words

__all__ = [
    "CORPUS_CHECKS",
    "ERROR",
    "INFO",
    "NOTE_CHECKS",
    "SEVERITIES",
    "WARNING",
    "Finding",
    "ReviewEntry",
    "add_ignored_word",
    "check_catalog",
    "check_catalogued_uncited",
    "check_dates",
    "check_disagreements",
    "check_full_repeated",
    "check_ibid",
    "check_ibid_form",
    "check_locations",
    "check_missing_pages",
    "check_names",
    "check_no_source",
    "check_pages",
    "check_quote_without_note",
    "check_quotes",
    "check_secondary_only",
    "check_spelling",
    "check_unbalanced",
    "check_unparsed",
    "format_findings",
    "marks_for",
    "order_findings",
    "read_ignored_words",
    "run_audit",
]

__getattr__ = lazy_names(globals(), {
    "check_catalog": "catalog", "check_catalogued_uncited": "catalog",
    **dict.fromkeys(("check_full_repeated", "check_ibid_form", "check_missing_pages", "check_quote_without_note",
                     "check_unbalanced"), "editorial"),
    **dict.fromkeys(("check_dates", "check_ibid", "check_locations", "check_names", "check_no_source",
                     "check_pages", "check_quotes", "check_secondary_only", "check_unparsed"), "notes"),
    "format_findings": "output", "marks_for": "output",
    "ReviewEntry": "review", "check_disagreements": "review",
    "add_ignored_word": "spelling", "check_spelling": "spelling", "read_ignored_words": "spelling",
    "CORPUS_CHECKS": "run", "NOTE_CHECKS": "run", "run_audit": "run",
})
