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
plain entries the caller reads from the marks store); :mod:`.run` runs every check. Import
:func:`run_audit` and the result type from ``explorer.core.audit`` (the result type loads with the
package, the checks and the citation parser they use when first used); a single check from its own
module (``explorer.core.audit.notes`` ...), whose list of checks :mod:`.run` keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.core.audit.findings import ERROR, INFO, SEVERITIES, WARNING, Finding, order_findings
from explorer.core.lazy import lazy_names

if TYPE_CHECKING:
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
    "check_disagreements",
    "check_spelling",
    "format_findings",
    "marks_for",
    "order_findings",
    "read_ignored_words",
    "run_audit",
]

__getattr__ = lazy_names(globals(), {
    "format_findings": "output", "marks_for": "output",
    "ReviewEntry": "review", "check_disagreements": "review",
    "add_ignored_word": "spelling", "check_spelling": "spelling", "read_ignored_words": "spelling",
    "CORPUS_CHECKS": "run", "NOTE_CHECKS": "run", "run_audit": "run",
})
