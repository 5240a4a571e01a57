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
plain entries the caller reads from the marks store). Import from ``explorer.core.audit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from explorer.core.audit.catalog import check_catalog, check_catalogued_uncited
from explorer.core.audit.editorial import (
    check_full_repeated,
    check_ibid_form,
    check_missing_pages,
    check_quote_without_note,
    check_unbalanced,
)
from explorer.core.audit.findings import ERROR, INFO, SEVERITIES, WARNING, Finding
from explorer.core.audit.notes import (
    check_dates,
    check_ibid,
    check_locations,
    check_names,
    check_no_source,
    check_pages,
    check_quotes,
    check_secondary_only,
)
from explorer.core.audit.output import format_findings, marks_for
from explorer.core.audit.review import ReviewEntry, check_disagreements
from explorer.core.audit.spelling import add_ignored_word, check_spelling, read_ignored_words
from explorer.core.citations import ParsedNote, parse_notes
from explorer.core.model import Corpus

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
    "format_findings",
    "marks_for",
    "order_findings",
    "read_ignored_words",
    "run_audit",
]

CORPUS_CHECKS: list[Callable[[Corpus], Iterable[Finding]]] = [
    check_dates, check_names, check_quotes, check_catalog, check_catalogued_uncited,
    check_quote_without_note, check_spelling,
]
NOTE_CHECKS: list[Callable[[Corpus, list[ParsedNote]], Iterable[Finding]]] = [
    check_ibid,
    check_secondary_only,
    check_locations,
    check_no_source,
    check_pages,
    check_full_repeated,
    check_missing_pages,
    check_ibid_form,
    check_unbalanced,
]


def run_audit(corpus: Corpus, notes: list[ParsedNote] | None = None) -> list[Finding]:
    """Every finding, most severe first, then in note order.

    *notes* are the parsed footnotes (parsed here when not given).
    """
    if notes is None:
        notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    findings = [f for check in CORPUS_CHECKS for f in check(corpus)]
    findings += [f for check in NOTE_CHECKS for f in check(corpus, notes)]
    return order_findings(findings)


def order_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in note order (the order :func:`run_audit` gives)."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.footnotes[:1] or (10**9,), f.code))
