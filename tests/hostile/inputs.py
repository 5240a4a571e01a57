"""The hostile corpora: each a small valid corpus with one thing wrong, and where the error must point.

Every case is built into a fresh folder by :meth:`Hostile.build` and is
refused; the CLI test and the window test run the same catalog, so a new
case is covered through both at once. Large inputs are generated when the
case is built (sparse where only the size matters).

Where a YAML error points is written into the file as a ``# <-`` comment on
that line, so the expected line follows the text instead of a count.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from explorer.core.errors import Problem
from explorer.core.essay_import import MAX_ESSAY_BYTES
from explorer.core.yaml_source import MAX_YAML_BYTES, MAX_YAML_VALUES
from tests.support.corpora import TINY_ESSAY, TINY_FILES, write_corpus

HERE = "# <-"
#: A folder name with spaces, Cyrillic, Latin with diacritics and Hangul, to build cases in.
AWKWARD_NAME = "Корпус für Forscher — 한국 1950"


@dataclass(frozen=True)
class Hostile:
    """A corpus with one thing wrong, and the problem it must produce."""

    name: str
    make: Callable[[Path], None]  # spoils the tiny corpus written in the folder it is given
    file: str  # the file the problem names ("" for the corpus folder itself)
    says: str  # words of the reason
    line: int | None = None
    marked: str | None = None  # the line is the one holding HERE in this file
    posix_only: bool = False

    def build(self, root: Path) -> Path:
        write_corpus(root)
        self.make(root)
        return root

    def expected_line(self, root: Path) -> int | None:
        if self.marked is None:
            return self.line
        data = (root / self.marked).read_bytes().replace(b"\r\n", b"\n")
        return data[: data.index(HERE.encode())].count(b"\n") + 1

    def where(self, root: Path) -> str:
        """How the error names the place: ``/path/events.yaml:12`` or just the path."""
        path = str(root / self.file) if self.file else str(root)
        line = self.expected_line(root)
        return path if line is None else f"{path}:{line}"

    def matches(self, root: Path, problem: Problem) -> bool:
        named = str(root / self.file) if self.file else str(root)
        return (
            os.path.realpath(problem.file) == os.path.realpath(named)
            and problem.line == self.expected_line(root)
            and self.says in problem.message
        )


# -- building blocks -------------------------------------------------------------


def _tiny(name: str) -> str:
    return textwrap.dedent(TINY_FILES[name]).lstrip()


def append(name: str, text: str) -> Callable[[Path], None]:
    """Add records to the list in one of the tiny corpus's YAML files."""

    def make(root: Path) -> None:
        records = textwrap.indent(textwrap.dedent(text).lstrip("\n"), "  ")
        (root / name).write_text(_tiny(name) + records, encoding="utf-8")

    return make


def replace(name: str, content: str | bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return make


def sparse(name: str, size: int, head: bytes) -> Callable[[Path], None]:
    """A file of *size* bytes made in no time: *head*, then a hole the file system fills with zeros."""

    def make(root: Path) -> None:
        with (root / name).open("wb") as file:
            file.write(head)
            file.truncate(size)

    return make


def symlink(name: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / name
        path.unlink(missing_ok=True)
        path.symlink_to(target)

    return make


def symlink_loop(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).unlink(missing_ok=True)
        (root / name).symlink_to(f"{name}.loop")
        (root / f"{name}.loop").symlink_to(name)

    return make


def fifo(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).unlink()
        os.mkfifo(root / name)

    return make


def folder(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).unlink()
        (root / name).mkdir()

    return make


def event(**fields: str) -> str:
    """One event record; a field value ending in HERE marks its line."""
    record = {"id": "ev-hostile", "date": '"1950-06-25"', "title": "War", "summary": "It begins.", **fields}
    lines = [f"  - id: {record.pop('id')}"] + [f"    {key}: {value}" for key, value in record.items()]
    return "\n".join(lines) + "\n"


def _billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


_ESSAY_LINES = TINY_ESSAY.count("\n")  # the added text starts on the line after the tiny essay


def essay(extra: str) -> Callable[[Path], None]:
    return replace("essay.txt", TINY_ESSAY + extra)


# -- the catalog -----------------------------------------------------------------

YAML_CASES = [
    Hostile("yaml-syntax-error", append("events.yaml", event(title="[never closed", summary=f"s: x  {HERE}")),
            "events.yaml", "flow sequence (from line", marked="events.yaml"),
    Hostile("yaml-tab-indent", replace("places.yaml", f"places:\n  - id: moscow\n\tname: Moscow  {HERE}\n"),
            "places.yaml", "tab", marked="places.yaml"),
    Hostile("yaml-duplicate-key", append("people.yaml", f"""
              - id: rhee
                name: Syngman Rhee
                name: Rhee Syngman  {HERE}
            """), "people.yaml", "duplicate key (first at line", marked="people.yaml"),
    Hostile("yaml-wrong-type", append("events.yaml", event(title=f"[not, text]  {HERE}")),
            "events.yaml", "'title' must be text, not a list", marked="events.yaml"),
    Hostile("yaml-wrong-type-number", append("sources.yaml", f"""
              - id: src-x
                type: book
                title: A book
                year: nineteen fifty  {HERE}
            """), "sources.yaml", "'year' must be a whole number", marked="sources.yaml"),
    Hostile("yaml-unknown-key", append("places.yaml", f"""
              - id: seoul
                name: Seoul
                colour: red  {HERE}
            """), "places.yaml", "unknown key 'colour'", marked="places.yaml"),
    Hostile("yaml-missing-required", append("documents.yaml", f"""
              - id: doc-untitled  {HERE}
                kind: report
            """), "documents.yaml", "the required key 'title' is missing", marked="documents.yaml"),
    Hostile("yaml-id-does-not-resolve", append("events.yaml", f"""
              - id: ev-x
                date: "1950-06-25"
                title: War
                summary: It begins.
                participants:
                  - nobody-by-this-id  {HERE}
            """), "events.yaml", "'nobody-by-this-id' is not an id in people.yaml", marked="events.yaml"),
    # The only reference that could lead back is a document's cited_via, and it
    # names a source; sources name nothing. So a cycle cannot be written: trying
    # to is a reference to the wrong kind of record, or an unknown key.
    Hostile("yaml-cycle-document-via-document", append("documents.yaml", f"""
              - id: doc-loop
                kind: report
                title: Cites itself
                cited_via: doc-loop  {HERE}
            """), "documents.yaml", "'doc-loop' is not an id in sources.yaml", marked="documents.yaml"),
    Hostile("yaml-cycle-source-via-document", append("sources.yaml", f"""
              - id: src-loop
                type: book
                title: Cites a document
                cited_via: doc-sept  {HERE}
            """), "sources.yaml", "unknown key 'cited_via'", marked="sources.yaml"),
    # A YAML node that contains itself: refused as an alias before anything walks it.
    Hostile("yaml-cycle-recursive-alias", replace("places.yaml", f"places: &loop  {HERE}\n  - *loop\n"),
            "places.yaml", "aliases are not allowed", marked="places.yaml"),
    Hostile("edtf-invalid", append("events.yaml", event(date=f'"sometime in 1950"  {HERE}')),
            "events.yaml", "invalid EDTF date", marked="events.yaml"),
    Hostile("edtf-impossible-day", append("events.yaml", event(date=f'"1949-02-29"  {HERE}')),
            "events.yaml", "Feb 1949 has no day 29", marked="events.yaml"),
    Hostile("edtf-impossible-month", append("events.yaml", event(date=f'"1950-13"  {HERE}')),
            "events.yaml", "there is no month 13", marked="events.yaml"),
    Hostile("edtf-interval-backwards", append("events.yaml", event(date=f'"1950-06-25/1950-06-24"  {HERE}')),
            "events.yaml", "ends before it begins", marked="events.yaml"),
    Hostile("edtf-unknown-end", append("events.yaml", event(date=f'"1950-06-25/"  {HERE}')),
            "events.yaml", "open or unknown ends", marked="events.yaml"),
    Hostile("edtf-not-ascii-digits", append("events.yaml", event(date=f'"١٩٥٠"  {HERE}')),
            "events.yaml", "not a valid EDTF date", marked="events.yaml"),
    Hostile("yaml-empty-file", replace("places.yaml", ""), "places.yaml", "the file is empty", line=1),
    Hostile("yaml-list-not-mapping", replace("people.yaml", f"- id: kim  {HERE}\n  name: Kim\n"),
            "people.yaml", "must be a mapping with the key 'people:', not a list", marked="people.yaml"),
    Hostile("yaml-manifest-is-a-list", replace("corpus.yaml", f"- id: tiny  {HERE}\n"),
            "corpus.yaml", "must be a mapping", marked="corpus.yaml"),
    Hostile("yaml-200-mb", sparse("events.yaml", 200 * 1024 * 1024, b"events:\n"),
            "events.yaml", f"YAML files over {MAX_YAML_BYTES:,} bytes are refused"),
    Hostile("yaml-billion-laughs", replace("events.yaml", _billion_laughs()), "events.yaml",
            "aliases are not allowed", line=2),
    Hostile("yaml-python-object-tag", append("events.yaml", event(
        summary=f"!!python/object/apply:os.system ['echo pwned > PWNED']  {HERE}")),
            "events.yaml", "tag:yaml.org,2002:python/object/apply:os.system' is not allowed", marked="events.yaml"),
    Hostile("yaml-not-utf8", replace("people.yaml", _tiny("people.yaml").encode() + b"  - id: jose\n"
                                     + b"    name: Jos\xe9  " + HERE.encode() + b"\n"),
            "people.yaml", "byte 0xe9 is not UTF-8", marked="people.yaml"),
    Hostile("yaml-control-character", replace("places.yaml", _tiny("places.yaml") + f"    note: bell \x07  {HERE}\n"),
            "places.yaml", "control characters are not allowed", marked="places.yaml"),
    # BOM and CRLF alone are fine (test_inputs checks a corpus written so loads);
    # with them an error still names the line an editor shows.
    Hostile("yaml-bom-crlf-line-numbers", replace("places.yaml", b"\xef\xbb\xbf" + (
        _tiny("places.yaml") + f"  - id: seoul\n    name: Seoul\n    colour: red  {HERE}\n").replace(
            "\n", "\r\n").encode()), "places.yaml", "unknown key 'colour'", marked="places.yaml"),
    Hostile("yaml-too-deep", replace("places.yaml", "places: " + "[" * 100 + "]" * 100 + "\n"),
            "places.yaml", "nesting deeper than 64 levels", line=1),
    Hostile("yaml-too-many-values", replace("places.yaml", "places:\n" + "-\n" * (MAX_YAML_VALUES + 1)),
            "places.yaml", f"files with over {MAX_YAML_VALUES:,} are refused"),
    Hostile("yaml-folder-not-file", folder("people.yaml"), "people.yaml", "not a regular file"),
    Hostile("yaml-fifo", fifo("people.yaml"), "people.yaml", "not a regular file", posix_only=True),
    Hostile("yaml-endless-device", symlink("people.yaml", "/dev/zero"), "people.yaml", "not a regular file",
            posix_only=True),
    Hostile("yaml-symlink-loop", symlink_loop("events.yaml"), "events.yaml", "cannot read the file"),
    Hostile("essay-path-with-nul", replace("corpus.yaml", _tiny("corpus.yaml").replace(
        "source: essay.txt", f'source: "essay\\0.txt"  {HERE}')),
            "corpus.yaml", "must be a file inside the corpus folder", marked="corpus.yaml"),
]

ESSAY_CASES = [
    Hostile("essay-body-never-closed", essay("\nMore.[footnoteRef:3] [3: never closed\n"),
            "essay.txt", "the body of footnote 3 is never closed", line=_ESSAY_LINES + 2),
    Hostile("essay-marker-without-body", essay("\nMore.[footnoteRef:3]\n"),
            "essay.txt", "footnote 3 is referenced but has no body", line=_ESSAY_LINES + 2),
    Hostile("essay-body-without-marker", essay("\nMore. [3: a body nobody cites]\n"),
            "essay.txt", "footnote 3 has a body but is never referenced", line=_ESSAY_LINES + 2),
    Hostile("essay-number-referenced-twice", essay("\nAgain.[footnoteRef:2]\n"),
            "essay.txt", "footnote 2 is referenced twice", line=_ESSAY_LINES + 2),
    Hostile("essay-number-with-two-bodies", essay("\nMore. [2: a second body]\n"),
            "essay.txt", "footnote 2 has two bodies", line=_ESSAY_LINES + 2),
    Hostile("essay-number-too-long", essay("\nMore.[footnoteRef:" + "9" * 5000 + "]\n"),
            "essay.txt", "a footnote number of 5,000 digits", line=_ESSAY_LINES + 2),
    Hostile("essay-binary", replace("essay.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64),
            "essay.txt", "the file is binary"),
    Hostile("essay-empty", replace("essay.txt", ""), "essay.txt", "the essay has no text"),
    Hostile("essay-not-utf8", replace("essay.txt", TINY_ESSAY.encode() + b"\nCaf\xe9 society.\n"),
            "essay.txt", "byte 0xe9 is not UTF-8", line=_ESSAY_LINES + 2),
    Hostile("essay-over-the-size-limit", sparse("essay.txt", MAX_ESSAY_BYTES + 1, TINY_ESSAY.encode()),
            "essay.txt", f"essays over {MAX_ESSAY_BYTES:,} bytes are refused"),
    Hostile("essay-symlink-loop", symlink_loop("essay.txt"), "essay.txt", "cannot read the file"),
]


def _folder_is_a_symlink_loop(root: Path) -> None:
    shutil.rmtree(root)
    root.symlink_to(root.with_name(root.name + " loop"))
    root.with_name(root.name + " loop").symlink_to(root)


FOLDER_CASES = [
    Hostile("folder-symlink-loop", _folder_is_a_symlink_loop, "", "Too many levels of symbolic links",
            posix_only=True),
    Hostile("folder-missing", shutil.rmtree, "", "the corpus folder does not exist"),
    Hostile("folder-is-a-file", lambda root: (shutil.rmtree(root), root.write_text("not a folder")),
            "", "this is a text file, not a corpus folder"),
]

CASES = [
    case for case in YAML_CASES + ESSAY_CASES + FOLDER_CASES if not (case.posix_only and sys.platform == "win32")
]
