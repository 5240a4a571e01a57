"""One export written to one file: the format's text, written whole or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from explorer.core.audit import ReviewEntry, check_disagreements, order_findings, run_audit
from explorer.core.audit.catalog import catalogue_lines
from explorer.core.citations import ParsedNote
from explorer.core.errors import CorpusError
from explorer.core.export import ExportMark, attach_marks
from explorer.core.export.bibtex import to_bibtex
from explorer.core.export.csl_json import csl_items, to_csl_json
from explorer.core.export.report import Report, build_report, to_html, to_markdown
from explorer.core.export.ris import to_ris
from explorer.core.model import Corpus
from explorer.core.verification import notes_by_key

TEXT_FORMATS = ("csl-json", "ris", "bibtex", "biblatex", "report-html", "report-md")


def report_for(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark],
               review: Sequence[ReviewEntry] = ()) -> Report:
    """The citation-check report of the corpus with the audit's findings, and where the reviewers'
    marks disagree (from *review*, every mark history entry of every reviewer)."""
    findings = run_audit(corpus, list(notes))
    if review:
        findings = order_findings([*findings, *check_disagreements(review, notes_by_key(notes, corpus))])
    return build_report(corpus, notes, findings, marks, catalogue=catalogue_lines(corpus))


def export_text(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark],
                fmt: str, review: Sequence[ReviewEntry] = ()) -> tuple[str, tuple[ExportMark, ...]]:
    """The export in format *fmt* (one of :data:`TEXT_FORMATS`), and the marks it leaves out (a
    citation export has only the marks on its records' citations; the report has them all).
    *review*: every reviewer's mark history, for the report's disagreements."""
    if fmt == "report-html":
        return to_html(report_for(corpus, notes, marks, review)), ()
    if fmt == "report-md":
        return to_markdown(report_for(corpus, notes, marks, review)), ()
    attached = attach_marks(corpus, notes, marks)
    items = csl_items(corpus, attached.by_record)
    if fmt == "csl-json":
        text = to_csl_json(items)
    elif fmt == "ris":
        text = to_ris(items)
    elif fmt in ("bibtex", "biblatex"):
        text = to_bibtex(items, biblatex=fmt == "biblatex")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return text, attached.unattached


def write_file(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file beside it, so a failure leaves any old
    file as it was; raise :class:`CorpusError` naming the file and the reason. The file gets the
    permissions any program gives a new file (the temporary one is readable by its owner only, so
    an export to a shared folder was unreadable to the colleague it was for); a file it replaces
    keeps its own."""
    target = Path(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path("."))
    except OSError as exc:
        raise CorpusError.single(str(target), None, f"cannot write the export here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mask = os.umask(0o022)  # read, and put back at once: the mode a new file gets here
            os.umask(mask)
            mode = 0o666 & ~mask
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CorpusError.single(str(target), None, f"cannot write the export: {exc.strerror or exc}") from exc


def write_export(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark], fmt: str,
                 path: Path, review: Sequence[ReviewEntry] = ()) -> tuple[ExportMark, ...]:
    """Write the export to *path*; return the marks it leaves out (see :func:`export_text`)."""
    text, left_out = export_text(corpus, notes, marks, fmt, review)
    write_file(path, text.encode("utf-8"))
    return left_out
