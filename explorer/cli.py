"""The ``explorer`` command: the window by default, subcommands for scripts.

    explorer [CORPUS] [--select ID] [--screenshot FILE.png]   open the window
    explorer check [CORPUS] [--json]                          validate a corpus
    explorer audit [CORPUS] [--format ...] [--strict]         cross-check citations
    explorer import ESSAY FOLDER                              start a corpus from an essay
    explorer export [CORPUS] --format F -o FILE               citations (CSL-JSON, RIS, BibTeX) or the report
    explorer search CORPUS QUERY [--json] [--limit N]         full-text search
    explorer marks export CORPUS -o FILE                      the verification marks, for other reviewers
    explorer marks import CORPUS FILE [--partial]             merge another reviewer's marks
    explorer --self-test                                      check the installation, offscreen

One parser (:func:`build_parser`) holds every command; the window is the
command ``open``, implied when the first argument names no other command, so
``explorer CORPUS`` and ``explorer open CORPUS`` are the same. The window's
modules are imported only to open it: the other commands work without a
display.

Every error a user can cause arrives as a :class:`CorpusError` and is printed
here, file and line first, with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from explorer import __version__
from explorer.core.errors import CorpusError
from explorer.core.locations import default_corpus_dir
from explorer.core.model import RECORD_ID, footnote_number

if TYPE_CHECKING:
    from explorer.core.model import Corpus
    from explorer.store.marks import Mark


def _print_problems(path: Path, exc: CorpusError) -> None:
    """The one way the CLI reports what a user can fix: file:line: [key] reason, one per line."""
    count = len(exc.problems)
    print(f"{path}: {count} problem{'s' * (count != 1)}", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def _corpus_or_report(path: Path) -> Corpus | None:
    """The corpus at *path*, or None once its problems are printed (the command then exits 1)."""
    try:
        return load_corpus(path)
    except CorpusError as exc:
        _print_problems(path, exc)
        return None


def load_corpus(path: Path) -> Corpus:
    # deferred: the window's start-up does not need the YAML loader's imports (~56 ms)
    from explorer.core.loader import load_corpus as load

    return load(path)


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=None,
        help="corpus folder (default: the shipped Korean War corpus)",
    )


def cmd_check(args: argparse.Namespace) -> int:
    path = args.corpus or default_corpus_dir()
    try:
        corpus = load_corpus(path)
    except CorpusError as exc:
        if args.json:
            print(json.dumps({"corpus": str(path), "valid": False,
                              "errors": [p.to_dict() for p in exc.problems]}, ensure_ascii=False, indent=2))
        else:
            _print_problems(path, exc)
        return 1
    counts = corpus.counts()
    unaccounted = corpus.unaccounted_footnotes()
    if args.json:
        print(json.dumps({"corpus": str(path), "id": corpus.manifest.id, "valid": True, **counts,
                          "unaccounted_footnotes": list(unaccounted), "errors": []}, ensure_ascii=False, indent=2))
        return 0
    m = corpus.manifest
    title = m.title or "(untitled)"
    print(f"{m.id}: {title}" + (f", {m.author}" if m.author else "") + (f", {m.year}" if m.year else ""))
    print(f"  folder     {path}")
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"  {key:<{width}}  {value:>6,}")
    commentary = sorted(m.commentary)
    if commentary:
        print(f"  commentary notes (cite no source): {', '.join(map(str, commentary))}")
    if unaccounted:
        print(f"  footnotes no document or source accounts for: {', '.join(map(str, unaccounted))}")
    else:
        print("  every footnote is accounted for by a document, a source or a commentary mark")
    print("valid")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from explorer.core.audit import ERROR, format_findings, run_audit

    corpus = _corpus_or_report(args.corpus or default_corpus_dir())
    if corpus is None:
        return 1
    findings = run_audit(corpus)
    marks = None
    if args.with_marks:
        try:
            marks, entries = _read_marks(corpus)
        except CorpusError as exc:  # a damaged, locked or unreadable marks file: it is left as it is
            print(f"explorer: {exc.details()}", file=sys.stderr)
            return 1
        findings = _with_disagreements(corpus, findings, entries)
    print(format_findings(findings, args.format, marks=marks))
    return 1 if args.strict and any(f.severity == ERROR for f in findings) else 0


def cmd_import(args: argparse.Namespace) -> int:
    if args.update:
        return _update_import(args)
    from explorer.core.corpus_new import create_corpus

    try:
        done = create_corpus(args.essay, args.folder, corpus_id=args.id, title=args.title, author=args.author,
                             year=args.year, lenient=args.lenient, force=args.force, format=args.format)
    except CorpusError as exc:
        _print_problems(args.essay, exc)
        if not args.lenient and any(p.key and p.key.startswith("footnote") for p in exc.problems):
            print("nothing was written; --lenient reads past the problems that lose no text", file=sys.stderr)
        return 1
    essay = done.essay
    if done.warnings:
        count = len(done.warnings)
        print(f"{args.essay}: {count} problem{'s' * (count != 1)} read past (--lenient), "
              "recorded in corpus.yaml:", file=sys.stderr)
        for problem in done.warnings:
            print(f"  {problem}", file=sys.stderr)
    for notice in done.notices:
        print(f"{args.essay}: warning: {notice}", file=sys.stderr)
    for backup in done.replaced:
        print(f"replaced; the old file is kept as {backup}", file=sys.stderr)
    print(f"{args.folder}: {len(essay.body_passages)} passages, {len(essay.footnotes)} footnotes imported")
    print(f"open it with: explorer {args.folder}")
    return 0


def _update_import(args: argparse.Namespace) -> int:
    """A new version of the essay over a corpus: curated records kept and re-anchored, drafts drafted anew."""
    from explorer.core.drafting.reimport import reimport_essay
    from explorer.core.loader import MANIFEST

    if not (args.folder / MANIFEST).is_file():
        print(f"{args.folder}: no corpus here to update ({MANIFEST} is missing); import without --update",
              file=sys.stderr)
        return 1
    try:
        report = reimport_essay(args.folder, args.essay)
    except CorpusError as exc:
        _print_problems(args.essay, exc)
        print("nothing was changed", file=sys.stderr)
        return 1
    print(f"{args.folder}: updated from {args.essay}")
    for line in report.lines():
        print(f"  {line}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from explorer.core.export import parsed_notes
    from explorer.ui.report_pdf import write_export_file  # the window's File > Export writes through it too

    corpus = _corpus_or_report(args.corpus or default_corpus_dir())
    if corpus is None:
        return 1
    from explorer.store.marks_file import export_view

    try:
        marks, review = export_view(*(({}, []) if args.no_marks else _read_marks(corpus)))
    except CorpusError as exc:  # a damaged, locked or unreadable marks file: it is left as it is
        print(f"explorer: {exc.details()}", file=sys.stderr)
        return 1
    try:
        unattached = write_export_file(corpus, parsed_notes(corpus), marks, args.format, args.output, review)
    except CorpusError as exc:
        _print_problems(args.output, exc)
        return 1
    if unattached and not args.format.startswith("report"):
        count = len(unattached)
        print(f"{args.output}: {count} mark{'s' * (count != 1)} on citations of no exported record (a work "
              "with no source record, say) are not in this file; the report formats list them", file=sys.stderr)
    print(f"{args.output}: written ({args.format})")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    """Catalogue records from a Zotero export, matched to the corpus's documents and added to catalog.yaml."""
    from explorer.core.catalog_import import import_catalog, new_records, record_mapping
    from explorer.core.corpus_edit import EditableCorpus, InsertRecord
    from explorer.core.loader import CATALOG_FILE

    corpus = _corpus_or_report(args.corpus)
    if corpus is None:
        return 1
    try:
        result = import_catalog(args.file, corpus, read_on=args.read_on, fmt=args.format)
    except CorpusError as exc:
        _print_problems(args.file, exc)
        return 1
    for match in result.matches:
        if match.document is None:
            print(f"  not matched  {match.entry.key or match.entry.title}: {match.reason}")
        else:
            print(f"  matched      {match.entry.key or match.entry.title} -> {match.document} (by {match.method})")
            for difference in match.differences:
                print(f"               {difference}")
    records = new_records(result, corpus)
    if args.dry_run or not records:
        print(f"{len(result.matches)} entries, {len(result.records)} matched, "
              + ("nothing written (--dry-run)" if args.dry_run else "all already in the corpus: nothing written"))
        return 0
    editable = EditableCorpus(corpus.path)
    reason = editable.read_only_reason()
    if reason:
        print(f"{corpus.path}: cannot add the records: {reason}", file=sys.stderr)
        return 1
    for record in records:
        InsertRecord(CATALOG_FILE, record_mapping(record)).apply(editable)
    try:
        editable.save()
        load_corpus(corpus.path)  # what was written loads
    except CorpusError as exc:
        _print_problems(corpus.path, exc)
        return 1
    print(f"{len(result.matches)} entries, {len(result.records)} matched, {len(records)} added to "
          f"{corpus.path / (CATALOG_FILE + '.yaml')}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from explorer.core.corpus_cache import default_cache_dir, open_corpus
    from explorer.core.search import SearchIndex

    try:
        corpus = open_corpus(args.corpus).corpus
    except CorpusError as exc:
        _print_problems(args.corpus, exc)
        return 1
    marks: list[tuple[str, int | None, str, str]] = []
    try:
        marks = [(key, m.footnote, str(m.status), m.note)
                 for key, m in _load_marks(corpus).items()]
    except CorpusError as exc:  # the marks file is left as it is; the corpus is still searched
        print(f"explorer: marks not searched: {exc.summary()}", file=sys.stderr)
    with SearchIndex.open(corpus, default_cache_dir(), marks) as index:
        hits = index.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        where = ", ".join(x for x in (f"describes {hit.document}" if hit.document else "",
                                      f"passage {hit.passage}" if hit.passage else "",
                                      f"note {hit.note}" if hit.note is not None else "") if x)
        print(f"{hit.kind:<8}  {hit.id}  {hit.title}" + (f"  ({where})" if where else ""))
        if hit.snippet:
            print(f"          {hit.marked_snippet()}")
    print(f"{len(hits)} hit{'s' * (len(hits) != 1)}" + (" (the limit; --limit shows more)" if len(hits) == args.limit
                                                          else ""), file=sys.stderr)
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text[:40]!r}")
    return value


def _load_marks(corpus: Corpus) -> dict[str, Mark]:
    """The corpus's marks, as the window shows them: marks an earlier version kept under one key for
    citations this version tells apart are shown on each (read only: nothing is written)."""
    return _read_marks(corpus)[0]


def _read_marks(corpus: Corpus) -> tuple[dict[str, Mark], list[Mark]]:
    """The corpus's marks as :func:`_load_marks` gives them, and every history entry of every reviewer."""
    from explorer.core.citations import parse_notes
    from explorer.core.verification import key_moves
    from explorer.store.marks import MarkStore, moves_preview

    path = _marks_path()
    if not path.exists() and not path.is_symlink():  # no marks yet; a dangling or looping link is refused below
        return {}, []
    # Read-only: refuses what the window refuses (not a regular file, damaged, locked), with the same reason.
    with MarkStore.open(path, read_only=True) as store:
        marks = store.marks(corpus.manifest.id)
        entries = store.entries(corpus.manifest.id)
    notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    return dict(moves_preview(marks, key_moves(notes, corpus))), entries


def _marks_path() -> Path:
    from explorer.store.marks import MARKS_FILENAME, default_data_dir

    return default_data_dir() / MARKS_FILENAME


def _with_disagreements(corpus: Corpus, findings: list, entries: list[Mark]) -> list:
    """The audit's findings and, where reviewers' marks disagree, a MARKS_DISAGREE finding for each."""
    from explorer.core.audit import check_disagreements, order_findings
    from explorer.core.citations import parse_notes
    from explorer.core.verification import notes_by_key
    from explorer.store.marks_file import review_entries

    if not entries:
        return findings
    notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    return order_findings([*findings, *check_disagreements(review_entries(entries), notes_by_key(notes, corpus))])


def cmd_marks(args: argparse.Namespace) -> int:
    """``explorer marks export`` and ``import``: the marks exchange file (JSON Lines)."""
    from explorer.core.audit.review import disagreements
    from explorer.store.marks import MarkStore
    from explorer.store.marks_file import export_marks, import_marks, review_entries

    corpus = _corpus_or_report(args.corpus)
    if corpus is None:
        return 1
    corpus_id = corpus.manifest.id
    path = _marks_path()
    exporting = args.action == "export"
    try:  # the marks file itself: damaged, locked, not a regular file... said as the window says it
        store = (MarkStore.open(path, read_only=exporting) if path.exists() or path.is_symlink() or not exporting
                 else None)
    except CorpusError as exc:
        print(f"explorer: {exc.details()}", file=sys.stderr)
        return 1
    try:
        if exporting:
            count = export_marks(store, corpus_id, args.output)
            print(f"{args.output}: {count} mark entr{'ies' if count != 1 else 'y'} of corpus {corpus_id} written")
            return 0
        assert store is not None
        if store.read_only:
            print(f"explorer: {store.warnings[0]}; nothing was imported", file=sys.stderr)
            return 1
        result, read = import_marks(store, corpus_id, args.file, partial=args.partial)
        entries = store.entries(corpus_id)
    except CorpusError as exc:
        _print_problems(args.output if exporting else args.file, exc)
        return 1
    finally:
        if store is not None:
            store.close()
    for problem in read.rejected:
        print(f"{problem}: rejected", file=sys.stderr)
    skipped = len(read.entries) - result.added
    print(f"{args.file}: {result.added} entr{'ies' if result.added != 1 else 'y'} imported"
          + (f", {skipped} already here" if skipped else "")
          + (f", {len(read.rejected)} rejected (--partial)" if read.rejected else ""))
    found = disagreements(review_entries(entries))
    if found:
        print(f"{len(found)} citation{'s' * (len(found) != 1)} where reviewers disagree (explorer audit --with-marks, "
              "or the window's Audit panel, lists them)")
    return 0


def _gui(args: argparse.Namespace) -> int:
    from explorer.ui.app import run  # deferred: the CLI must work without a display

    return run(args)


SUBCOMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "open": _gui,
    "check": cmd_check,
    "audit": cmd_audit,
    "import": cmd_import,
    "export": cmd_export,
    "search": cmd_search,
    "catalog": cmd_catalog,
    "marks": cmd_marks,
}
#: Arguments that belong to ``explorer`` itself, not to the window.
_TOP_LEVEL = ("-h", "--help", "--version", "--self-test")
DESCRIPTION = "Read a footnoted essay beside the archival documents it cites."
USAGE = """explorer [CORPUS] [--select ID] [--screenshot FILE.png]
       explorer COMMAND [ARGUMENTS]   (explorer COMMAND --help says more)
       explorer --self-test | --version | --help"""


def select_id(text: str) -> str:
    """``--select``'s value: a record id, a footnote (``fn12``) or an audit finding's key
    (``IBID_INTENT:23``); anything else is refused here, before a window opens."""
    if footnote_number(text) is not None or RECORD_ID.fullmatch(text):
        return text
    finding, colon, rest = text.partition(":")
    if colon and RECORD_ID.fullmatch(finding) and finding.isupper() and len(rest) <= 200 and rest.isprintable():
        return text
    raise argparse.ArgumentTypeError(
        f"not an id: {text[:60]!r}{'…' if len(text) > 60 else ''} (an id is ASCII letters, digits, '.', '_' "
        "and '-', at most 128 characters; a footnote is fn12; an audit finding is its key, like IBID_INTENT:23)")


def _window_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("corpus", metavar="CORPUS", nargs="?", type=Path, default=None,
                        help="corpus folder (default: the shipped Korean War corpus)")
    parser.add_argument("--select", metavar="ID", type=select_id,
                        help="open at this event, document, person, source or footnote (fn12), or at an audit "
                             "finding with the audit panel shown (IBID_INTENT:23, the start of its key)")
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path,
                        help="render the window offscreen to FILE.png and exit")


def _window_help() -> str:
    """The window's arguments as ``explorer --help`` lists them (they belong to the ``open`` command)."""
    shown = argparse.ArgumentParser(prog="explorer", usage=argparse.SUPPRESS, add_help=False)
    _window_arguments(shown.add_argument_group("the window (explorer [open] [CORPUS] ...)"))
    return shown.format_help().strip("\n")


def build_parser(*, window_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line: ``explorer``'s own options and every command, the window's included;
    *window_only*: the window's command alone (what opening the window parses with)."""
    parser = argparse.ArgumentParser(prog="explorer", usage=USAGE, description=f"{DESCRIPTION}\n\n{_window_help()}",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation offscreen (corpus, window, audit, marks) and exit")
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND", prog="explorer")
    window = sub.add_parser("open", help="open the window (the default: explorer CORPUS is explorer open CORPUS)",
                            description=DESCRIPTION)
    _window_arguments(window)
    if window_only:  # the window's start-up: the other commands' parsers are not built (~3 ms)
        return parser
    check = sub.add_parser("check", help="load and validate a corpus, print a summary")
    _corpus_arg(check)
    check.add_argument("--json", action="store_true", help="print one JSON object, for scripts")
    audit = sub.add_parser("audit", help="cross-check the essay's citations and print the findings")
    _corpus_arg(audit)
    audit.add_argument("--format", choices=("text", "json", "markdown", "csv"), default="text")
    audit.add_argument("--strict", action="store_true", help="exit 1 when any finding is an error")
    audit.add_argument("--with-marks", action="store_true",
                       help="include the researcher's verification marks for each finding's citations")
    imp = sub.add_parser("import", help="start a corpus folder from an essay (.docx, .odt, Markdown, Tika text)")
    imp.add_argument("essay", type=Path, help="the essay: .docx, .odt, Markdown with [^n] notes, or Tika/POI text")
    imp.add_argument("--format", choices=("tika-text", "docx", "odt", "markdown"),
                     help="read the essay as this format (default: found from the file's content)")
    imp.add_argument("folder", type=Path, help="the new corpus folder")
    imp.add_argument("--id", help="corpus id (default: from the folder name)")
    imp.add_argument("--title")
    imp.add_argument("--author")
    imp.add_argument("--year", type=int)
    imp.add_argument("--force", action="store_true",
                     help="replace the folder's corpus.yaml and essay.txt (the old ones are kept as .bak)")
    imp.add_argument("--update", action="store_true",
                     help="import a new version of the essay into an existing corpus: records you curated are "
                          "kept, their notes renumbered and quotes found again; drafts are drafted anew; the "
                          "changes are listed and the previous files kept in a previous-... folder")
    imp.add_argument("--lenient", action="store_true",
                     help="read past note problems that lose no text (numbering gaps, a bracket left open), "
                          "listing each, instead of refusing the essay")
    export = sub.add_parser("export", help="write the corpus's citations (CSL-JSON, RIS, BibTeX, BibLaTeX) or "
                                           "the citation-check report (HTML, Markdown, PDF) to a file")
    _corpus_arg(export)
    export.add_argument("--format", required=True, choices=("csl-json", "ris", "bibtex", "biblatex",
                                                            "report-html", "report-md", "report-pdf"))
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the file to write")
    export.add_argument("--no-marks", action="store_true", help="leave the verification marks out")
    catalog = sub.add_parser("catalog", help="add catalogue records from a Zotero export (CSL-JSON or RIS), "
                                             "matched to the corpus's documents, to its catalog.yaml")
    catalog.add_argument("corpus", type=Path, help="corpus folder")
    catalog.add_argument("file", type=Path, help="the export: CSL-JSON (.json) or RIS (.ris)")
    catalog.add_argument("--format", choices=("csl-json", "ris"),
                         help="the export's format (default: from its content)")
    catalog.add_argument("--read-on", default=date.today().isoformat(), metavar="DATE",
                         help="when the records were read from the catalogue (default: today)")
    catalog.add_argument("--dry-run", action="store_true", help="show the matches; write nothing")
    search = sub.add_parser("search", help="full-text search of a corpus and the reader's marks")
    search.add_argument("corpus", type=Path, help="corpus folder")
    search.add_argument("query", help='words, "phrases", prefix*, -word, kind:document, person:ID, note:20, '
                                      "from:1950-05 to:1950-06 (README: Search)")
    search.add_argument("--json", action="store_true", help="print the hits as a JSON list, for scripts")
    search.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N hits (default 50)")
    marks = sub.add_parser("marks", help="exchange verification marks with other reviewers (JSON Lines)",
                           description="Export the verification marks of a corpus to a JSON Lines file another "
                                       "reviewer can import, or import theirs: importing merges, never overwrites, "
                                       "and importing twice changes nothing.")
    actions = marks.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
    mexport = actions.add_parser("export", help="write every mark entry of the corpus to FILE")
    mexport.add_argument("corpus", type=Path, help="corpus folder")
    mexport.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the file to write")
    mimport = actions.add_parser("import", help="merge the mark entries of FILE into this computer's marks")
    mimport.add_argument("corpus", type=Path, help="corpus folder")
    mimport.add_argument("file", type=Path, help="a marks file (explorer marks export)")
    mimport.add_argument("--partial", action="store_true",
                         help="import the good entries of a file with bad lines, listing each line rejected "
                              "(without it such a file is refused and nothing is imported)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*SUBCOMMANDS, *_TOP_LEVEL):
        argv = ["open", *argv]  # the window is the default command
    parser = build_parser(window_only=argv[0] == "open")
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command:
            parser.error("--self-test takes no other arguments")
        from explorer.selftest import run as self_test

        return self_test()
    if args.command is None:
        parser.error("a command is needed after the options (explorer --help lists them)")
    try:
        return SUBCOMMANDS[args.command](args)
    except BrokenPipeError:  # `explorer search ... | head`: the reader has what they wanted, not a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return 1
