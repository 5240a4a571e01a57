"""The audit's findings as text, JSON, Markdown or CSV, with the researcher's marks."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from explorer.core.audit.findings import SEVERITIES, Finding, notes_phrase
from explorer.core.markup import md


def _marks_text(finding: Finding, marks: dict[str, Any]) -> str:
    return "; ".join(f"note {m['footnote']} {m['label'] or m['citation']}: {m['status']}"
                     f" by {m['reviewer'] or 'unknown'}" + (f" ({m['note']})" if m["note"] else "")
                     for m in marks_for(finding, marks)) or "none"


def _with_notes(notes: str, message: str) -> str:
    """``note 23: message``, unless the message starts by naming the note itself ("Note 23: ...")."""
    named = re.match(re.escape(notes) + r"(?![0-9])", message, re.IGNORECASE)
    return message if named else f"{notes}: {message}"


def marks_for(finding: Finding, marks: dict[str, Any]) -> list[dict[str, object]]:
    """The researcher's marks on the citations of the finding's notes.

    *marks* maps citation keys to objects with ``status``, ``note``,
    ``footnote``, ``label``, ``updated_at`` and ``reviewer`` (the store's ``Mark``; its reviewer
    is "" for a mark set before reviewers were recorded: None here, "unknown" in text).
    """
    out = []
    for key, mark in sorted(marks.items()):
        if mark.footnote in finding.footnotes:
            out.append({"citation": key, "footnote": mark.footnote, "label": mark.label,
                        "status": str(mark.status), "note": mark.note, "updated_at": mark.updated_at,
                        "reviewer": getattr(mark, "reviewer", "") or None})
    return out


def format_findings(findings: list[Finding], fmt: str, marks: dict[str, Any] | None = None) -> str:
    """Render findings as text, json, markdown or csv (with marks when given)."""
    with_marks = marks is not None
    marks = marks or {}
    if fmt == "json":
        rows = []
        for f in findings:
            row = f.to_dict()
            if with_marks:
                row["marks"] = marks_for(f, marks)
            rows.append(row)
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)  # quotes, commas and line breaks inside a cell
        writer.writerow(["code", "severity", "footnotes", "passages", "documents", "message"]
                        + (["marks"] if with_marks else []))
        for f in findings:
            writer.writerow([f.code, f.severity, " ".join(map(str, f.footnotes)), " ".join(f.passages),
                             " ".join(f.documents), f.message]
                            + ([_marks_text(f, marks)] if with_marks else []))
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| severity | code | notes | passages | finding |", "| --- | --- | --- | --- | --- |"]
        for f in findings:
            msg = f.message + (f" Marks: {_marks_text(f, marks)}" if with_marks else "")
            cells = (f.severity, f.code, ", ".join(map(str, f.footnotes)), ", ".join(f.passages), msg)
            lines.append("| " + " | ".join(map(md, cells)) + " |")
        return "\n".join(lines)
    lines = []
    for f in findings:
        notes = notes_phrase(f.footnotes) if f.footnotes else "no note"
        rule = f" Rule: {f.rule}." if f.rule else ""
        link = f" Record: {f.url}" if f.url and f.url not in f.message else ""
        lines.append(f"{f.severity.upper():7} {f.code:16} {_with_notes(notes, f.message)}{rule}{link}")
        if with_marks and marks_for(f, marks):
            lines.append(f"{'':24} marks: {_marks_text(f, marks)}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    lines.append(f"{len(findings)} findings: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)

