"""Running every check of the audit, in one order."""

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
from explorer.core.audit.findings import Finding, order_findings
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
from explorer.core.audit.spelling import check_spelling
from explorer.core.citations import ParsedNote, parse_notes
from explorer.core.model import Corpus
from explorer.core.pausing import paced

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
    check_unparsed,
]


def run_audit(corpus: Corpus, notes: list[ParsedNote] | None = None) -> list[Finding]:
    """Every finding, most severe first, then in note order.

    *notes* are the parsed footnotes (parsed here when not given).
    """
    if notes is None:
        notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    findings = [f for check in paced(CORPUS_CHECKS, 1) for f in check(corpus)]
    findings += [f for check in paced(NOTE_CHECKS, 1) for f in check(corpus, notes)]
    return order_findings(findings)
