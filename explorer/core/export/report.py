"""The citation-check report: the essay's notes in order, each with its citations, its Ibid.
resolution, the audit's findings on it, the catalogue comparison and the reader's marks, under a
summary table; as one self-contained HTML file (styles in the file, no script, no external asset)
or as Markdown. The PDF is this HTML laid out by Qt (explorer/ui/report_pdf.py).

Nothing from a corpus or a mark is markup: every string is escaped for the format it goes into.
A mark whose citation the essay no longer has is listed at the end, never left out. Where the
reviewers' marks disagree (a MARKS_DISAGREE finding), the report lists who said what under the
summary, and on the note, until a mark resolves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from explorer.core.audit import SEVERITIES, Finding
from explorer.core.audit.review import CODE as DISAGREE
from explorer.core.citations import COMMENTARY, IBID, Citation, ParsedNote
from explorer.core.export import ExportMark
from explorer.core.markup import esc, md
from explorer.core.model import Corpus
from explorer.core.verification import citation_label, document_links, findings_by_footnote, note_targets

MARK_STATUSES = ("verified", "disputed", "unchecked")
DISAGREE_HEAD = ("notes", "citation", "reviewer", "status", "comment", "when")
NO_CATALOGUE = "not compared: no catalogue records are loaded"


@dataclass(frozen=True, slots=True)
class CitationLine:
    kind: str
    label: str
    text: str
    document: str | None = None  # the corpus document it stands for, where the corpus tells


@dataclass(frozen=True, slots=True)
class NoteReport:
    number: int
    text: str
    citations: tuple[CitationLine, ...]
    ibid: tuple[str, ...]  # one sentence per Ibid. of the note
    findings: tuple[Finding, ...]
    catalogue: tuple[str, ...]
    marks: tuple[ExportMark, ...]


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    corpus_id: str
    notes: tuple[NoteReport, ...]
    orphan_marks: tuple[ExportMark, ...]  # on no citation the essay has now
    catalogue_compared: bool
    other_findings: tuple[Finding, ...] = ()  # on no note (a passage, a document)

    def summary(self) -> list[tuple[str, int]]:
        """The totals the report opens with, as (what, how many)."""
        severities = Counter(f.severity for n in self.notes for f in n.findings)
        severities.update(f.severity for f in self.other_findings)
        statuses = Counter(m.status for n in self.notes for m in n.marks)
        rows = [("notes", len(self.notes)),
                ("citations", sum(len(n.citations) for n in self.notes)),
                ("Ibid. resolved", sum(len(n.ibid) for n in self.notes))]
        rows += [(f"findings: {s}", severities.get(s, 0)) for s in SEVERITIES]
        rows.append(("notes with no finding", sum(not n.findings for n in self.notes)))
        rows += [(f"marks: {s}", statuses.get(s, 0)) for s in MARK_STATUSES]
        rows += [(f"marks: {s}", n) for s, n in sorted(statuses.items()) if s not in MARK_STATUSES]
        rows.append(("notes with no mark", sum(not n.marks for n in self.notes)))
        rows.append(("marks on no current citation", len(self.orphan_marks)))
        disagreeing = sum(len(_disagreements(f)) for f in self.disagreements())
        if disagreeing:  # only with a team's marks: a report of one reader's marks stays as it was
            rows.append(("citations reviewers disagree on", disagreeing))
        return rows

    def disagreements(self) -> list[Finding]:
        """The findings that say where reviewers disagree, in note order."""
        found = [f for n in self.notes for f in n.findings if f.code == DISAGREE]
        return list(dict.fromkeys([*found, *(f for f in self.other_findings if f.code == DISAGREE)]))


def _disagreements(finding: Finding) -> list[dict]:
    items = finding.details.get("disagreements")
    return [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []


def disagreement_rows(report: Report) -> list[tuple[str, str, str, str, str, str]]:
    """(notes, citation, reviewer, status, comment, when) of each reviewer's position in each
    disagreement, for the report's table."""
    rows = []
    for finding in report.disagreements():
        notes = ", ".join(map(str, finding.footnotes)) or "—"
        for item in _disagreements(finding):
            for p in item.get("positions", ()):
                rows.append((notes, str(item.get("label") or item.get("key")), str(p.get("reviewer") or "unknown"),
                             str(p.get("status")), str(p.get("note") or ""), when(str(p.get("time") or ""))))
    return rows


def _ibid_sentence(c: Citation) -> str:
    res = c.ibid
    said = "Ibid." + (f", {c.pages}" if c.pages else "")
    if res is None or res.work is None:
        return f"{said}: refers to no work before it"
    strict = res.strict
    if res.intended and strict and res.intended.key != strict.key:
        return (f"{said}: by the rule, {strict.label} (note {strict.note}); meant: {res.intended.label} "
                f"(note {res.intended.note})" + (f", because {res.reason}" if res.reason else ""))
    text = f"{said} = {res.work.label} (note {res.work.note})"
    if res.ambiguous:
        text += "; ambiguous between " + "; ".join(f"{w.label} (note {w.note})" for w in res.candidates)
    return text


def build_report(corpus: Corpus, notes: Sequence[ParsedNote], findings: Iterable[Finding],
                 marks: Iterable[ExportMark], catalogue: Mapping[int, Sequence[str]] | None = None) -> Report:
    """The report's content. *catalogue* maps a note to the lines of its comparison with the
    catalogue records (the catalogue's hook); without it every note says it was not compared."""
    findings = list(findings)
    by_note = findings_by_footnote(findings)
    numbers = {n.number for n in notes}
    other = tuple(f for f in findings if not numbers.intersection(f.footnotes))
    marks_by_key: dict[str, list[ExportMark]] = {}
    for mark in marks:
        marks_by_key.setdefault(mark.key, []).append(mark)
    used: set[str] = set()
    out = []
    for note in sorted(notes, key=lambda n: n.number):
        keys = [t.key for t in note_targets(note, corpus)]
        used.update(keys)
        documents = document_links(corpus, note)
        lines = tuple(CitationLine(c.kind, citation_label(c), " ".join(c.text.split()), documents.get(c.index))
                      for c in note.citations if c.kind != COMMENTARY)
        out.append(NoteReport(
            note.number, " ".join(note.text.split()), lines,
            tuple(_ibid_sentence(c) for c in note.citations if c.kind == IBID),
            by_note.get(note.number, ()),
            tuple(catalogue.get(note.number, ())) if catalogue is not None else (),
            tuple(m for key in keys for m in marks_by_key.get(key, ()))))
    orphans = tuple(m for key, ms in marks_by_key.items() if key not in used for m in ms)
    m = corpus.manifest
    return Report(m.display_title(), m.id, tuple(out), orphans, catalogue is not None, other)


def when(time: str) -> str:
    """An ISO 8601 time as a reader reads it, in UTC to the minute ("2026-03-02 09:14 UTC"), so that it
    fits a table column unbroken; a time that is not ISO 8601 is kept as it is."""
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return time or "—"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


def _mark_words(m: ExportMark) -> tuple[str, str, str, str, str]:
    """(status, who, when, citation, comment) of a mark."""
    return (m.status, m.who or "—", when(m.updated_at), m.label or m.key, m.note or "")


# -- HTML ------------------------------------------------------------------

#: The report's text size. Qt sizes headings from the document's default font, not from the body's
#: style, so a layout by Qt (PDF, print, the viewer) sets its default font to this size too.
FONT_POINTS = 11

_CSS = """
body { font-family: "Charis SIL", "DejaVu Serif", serif; font-size: FONT_POINTSpt; color: #111; padding: 1em 2em;
       max-width: 50em; }
h1 { font-size: 18pt; } h2 { font-size: 15pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
h3 { font-size: 13pt; margin-top: 1.4em; margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.4em 0; }
td, th { border: 1px solid #999; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #eee; }
.note-text { margin: 0.3em 0 0.5em 0; }
.error { color: #a40000; } .warning { color: #8a5a00; } .info { color: #204a87; }
.verified { color: #1d6b1d; } .disputed { color: #a40000; } .none { color: #666; }
""".replace("FONT_POINTS", str(FONT_POINTS))


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], raw: bool = False, wide: bool = False) -> str:
    """A table; cells are escaped unless *raw* (already built from escaped text). A *wide* one spans
    the page, so that a citation or a comment gets the room (no column is given a share: Qt's layout
    breaks a word in a column narrower than it, where a browser would widen the column)."""
    cell = (lambda x: x) if raw else esc
    out = ['<table border="1" cellspacing="0" cellpadding="3"' + (' width="100%">' if wide else ">"),
           # a header row Qt repeats on each page the table runs onto
           "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead>"]
    out += ["<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in rows]
    return "\n".join([*out, "</table>"])


def _counts(note: NoteReport) -> tuple[str, str]:
    sev = Counter(f.severity for f in note.findings)
    st = Counter(m.status for m in note.marks)
    return (", ".join(f"{n} {s}" for s, n in sev.items()) or "none",
            ", ".join(f"{n} {s}" for s, n in st.items()) or "none")


def to_html(report: Report, app_links: bool = False) -> str:
    """The report as one self-contained HTML file. With *app_links* (the window's own viewer), each
    note's heading links to the note (``fn:N``) and each citation of a known document to it
    (``doc:ID``): links the window follows, which would lead nowhere in a file."""
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>Citation check: {esc(report.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
             f"<h1>Citation check: {esc(report.title)}</h1>", f"<p>Corpus <code>{esc(report.corpus_id)}</code>.</p>",
             "<h2>Summary</h2>", _table(("", "count"), ((k, str(v)) for k, v in report.summary()))]
    if report.disagreements():
        parts += ["<h2>Where reviewers disagree</h2>",
                  "<p>Each reviewer's standing mark on a citation they marked differently. A mark set after these, "
                  "with a note, resolves it.</p>",
                  _table(DISAGREE_HEAD, disagreement_rows(report), wide=True)]
    overview = []
    for n in report.notes:
        findings, marks = _counts(n)
        overview.append((f'<a href="#note-{n.number}">{n.number}</a>', esc(len(n.citations)), esc(findings),
                         esc(marks)))
    parts += ["<h2>Notes at a glance</h2>", _table(("note", "citations", "findings", "marks"), overview, raw=True),
              "<h2>Notes</h2>"]
    for n in report.notes:
        heading = f'<a href="fn:{n.number}">Note {n.number}</a>' if app_links else f"Note {n.number}"
        parts += [f'<h3 id="note-{n.number}">{heading}</h3>', f'<p class="note-text">{esc(n.text)}</p>']
        if n.citations:
            parts.append(_table(("kind", "citation", "as the note gives it"), (
                (esc(c.kind), f'<a href="doc:{esc(c.document)}">{esc(c.label)}</a>'
                 if app_links and c.document else esc(c.label), esc(c.text)) for c in n.citations), raw=True,
                wide=True))
        else:
            parts.append('<p class="none">No citation (commentary).</p>')
        if n.ibid:
            parts.append("<p><b>Ibid.</b></p><ul>" + "".join(f"<li>{esc(s)}</li>" for s in n.ibid) + "</ul>")
        if n.findings:
            parts.append("<p><b>Findings</b></p><ul>" + "".join(
                f'<li><span class="{esc(f.severity)}">{esc(f.severity)}</span> <code>{esc(f.code)}</code> '
                f"{esc(f.message)}</li>" for f in n.findings) + "</ul>")
        else:
            parts.append('<p class="none">No finding.</p>')
        if report.catalogue_compared:
            lines = "".join(f"<li>{esc(s)}</li>" for s in n.catalogue) or "<li>no catalogue record</li>"
            parts.append(f"<p><b>Catalogue</b></p><ul>{lines}</ul>")
        else:
            parts.append(f'<p class="none">Catalogue: {esc(NO_CATALOGUE)}.</p>')
        parts.append(_marks_html(n.marks))
    if report.other_findings:
        parts += ["<h2>Findings on no note</h2>", _table(("severity", "code", "finding"), (
            (f.severity, f.code, f.message) for f in report.other_findings), wide=True)]
    if report.orphan_marks:
        parts += ["<h2>Marks on no current citation</h2>",
                  "<p>These marks are kept in the marks file; the essay no longer has the citation they were "
                  "set on (it was edited, or its note renumbered).</p>", _marks_html(report.orphan_marks)]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _marks_html(marks: Sequence[ExportMark]) -> str:
    if not marks:
        return '<p class="none">No mark.</p>'
    rows = [(f'<span class="{esc(s)}">{esc(s)}</span>', esc(who), esc(time), esc(cit), esc(note))
            for s, who, time, cit, note in map(_mark_words, marks)]
    return "<p><b>Marks</b></p>\n" + _table(("status", "who", "when", "citation", "comment"), rows, raw=True,
                                            wide=True)


# -- Markdown --------------------------------------------------------------

def _md_table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(md(h) for h in head) + " |", "|" + " --- |" * len(head)]
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def to_markdown(report: Report) -> str:
    """The report as Markdown (CommonMark with GFM tables)."""
    out = [f"# Citation check: {md(report.title)}", "", f"Corpus {md(report.corpus_id)}.", "", "## Summary", ""]
    out += _md_table(("", "count"), report.summary())
    if report.disagreements():
        out += ["## Where reviewers disagree", "",
                "Each reviewer's standing mark on a citation they marked differently. A mark set after these, with a "
                "note, resolves it.", ""]
        out += _md_table(DISAGREE_HEAD, disagreement_rows(report))
    out += ["## Notes at a glance", ""]
    out += _md_table(("note", "citations", "findings", "marks"),
                     ((n.number, len(n.citations), *_counts(n)) for n in report.notes))
    out += ["## Notes", ""]
    for n in report.notes:
        out += [f"### Note {n.number}", "", md(n.text), ""]
        if n.citations:
            out += _md_table(("kind", "citation", "as the note gives it"),
                             ((c.kind, c.label, c.text) for c in n.citations))
        else:
            out += ["No citation (commentary).", ""]
        if n.ibid:
            out += ["**Ibid.**", "", *(f"- {md(s)}" for s in n.ibid), ""]
        if n.findings:
            out += ["**Findings**", "", *(f"- {md(f.severity)} {md(f.code)}: {md(f.message)}" for f in n.findings), ""]
        else:
            out += ["No finding.", ""]
        if report.catalogue_compared:
            out += ["**Catalogue**", "", *(f"- {md(s)}" for s in n.catalogue or ("no catalogue record",)), ""]
        else:
            out += [f"Catalogue: {md(NO_CATALOGUE)}.", ""]
        out += _md_marks(n.marks)
    if report.other_findings:
        out += ["## Findings on no note", ""]
        out += _md_table(("severity", "code", "finding"),
                         ((f.severity, f.code, f.message) for f in report.other_findings))
    if report.orphan_marks:
        out += ["## Marks on no current citation", "",
                "These marks are kept in the marks file; the essay no longer has the citation they were set on.", ""]
        out += _md_marks(report.orphan_marks)
    return "\n".join(out).rstrip("\n") + "\n"


def _md_marks(marks: Sequence[ExportMark]) -> list[str]:
    if not marks:
        return ["No mark.", ""]
    return ["**Marks**", "", *_md_table(("status", "who", "when", "citation", "comment"), map(_mark_words, marks))]
