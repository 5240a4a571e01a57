"""Start a corpus folder from an essay file, so any footnoted essay can be opened.

Nothing is written until the essay has been read and the folder checked, and
nothing there is overwritten unless asked (``force``): then the files
replaced are kept beside the new ones as ``NAME.bak`` (``NAME.bak2`` ...).
Every way the folder can be unusable (a file, under a file, read-only, a
name too long, the essay's own file) is one :class:`CorpusError` line.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from explorer.core.drafting import DRAFT_FILES, draft_records, drafts_yaml
from explorer.core.errors import CorpusError, Problem
from explorer.core.essay import Essay
from explorer.core.essay_import import MAX_ESSAY_BYTES, parse_tika_text
from explorer.core.file_kinds import file_kind
from explorer.core.formats import EXTENSIONS, TIKA_TEXT, detect_format, read_essay
from explorer.core.formats.zipsafe import MAX_PACKAGE_BYTES
from explorer.core.loader import IMPORT_WARNINGS, MANIFEST, VALID_ID, accepted_warning
from explorer.core.locations import user_dir
from explorer.core.textfile import decode_text, read_bytes_limited

#: Said when a text essay has no notes: what carries them.
NO_NOTES = (
    "no footnotes were found. Notes are read from Word (.docx) and OpenDocument (.odt) files, Markdown "
    "footnotes ('[^1]'), and the text Apache Tika or POI extract from a .docx ('[footnoteRef:1]' where a "
    "note is cited and '[1: text]' for its body); plain text carries none, so an essay saved as plain text "
    "from a word processor loses its notes: import the .docx itself"
)

#: Essays opened directly (``explorer ESSAY.docx``, File > Open) are imported under the user's data folder here.
ESSAYS_DIR = "essays"
#: What :func:`~explorer.core.file_kinds.file_kind` calls the files opened as essays rather than refused.
ESSAY_KINDS = frozenset({"word", "odt", "essay text", "markdown", "text"})
#: Hex digits of the essay's SHA-256 in its default corpus folder's name.
HASH_DIGITS = 12


@dataclass(frozen=True)
class ImportResult:
    """What an import made: the essay, the problems read past (lenient) and anything else worth saying."""

    essay: Essay
    warnings: tuple[Problem, ...]
    notices: tuple[str, ...]
    replaced: tuple[Path, ...]  # backups of files a forced import replaced


def _corpus_id(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return cleaned[:60] or "essay"


def create_corpus(essay_path: Path, folder: Path, corpus_id: str | None = None, title: str | None = None,
                  author: str | None = None, year: int | None = None, language: str = "en", *,
                  lenient: bool = False, force: bool = False, format: str | None = None) -> ImportResult:
    """Import *essay_path* (.docx, .odt, Markdown or Tika/POI text) into a new corpus *folder*, with drafted
    records.

    The format is found from the content unless *format* forces one; the
    original file is kept in the folder as ``essay.EXT`` and named in corpus.yaml.
    The essay is read first, so a broken file is refused before anything is
    written. With *lenient*, problems in Tika text that lose no text are read past and
    recorded in ``corpus.yaml`` (``check`` accepts those, and only those).
    An existing ``corpus.yaml`` or ``essay.EXT`` is replaced only with
    *force*, and then kept as a ``.bak`` file. Drafted events, documents,
    people and sources are written only where the folder has none of those
    files: records already there are never replaced by drafts.
    """
    if corpus_id is not None and not VALID_ID.match(corpus_id):
        raise CorpusError.single(str(folder), None, f"{corpus_id!r} is not a valid corpus id: letters, digits, "
                                 "'.', '_' or '-', starting with a letter or digit, at most 128; nothing was written")
    format = format or detect_format(essay_path)
    if format == TIKA_TEXT:
        data = read_bytes_limited(essay_path, MAX_ESSAY_BYTES, "essays")
        essay, warnings = parse_tika_text(decode_text(data, str(essay_path), "an essay"), str(essay_path),
                                          lenient=lenient)
    else:  # the readers refuse what they cannot read whole: nothing to read past
        essay, warnings = read_essay(essay_path, format), []
        data = essay_path.read_bytes()
    targets = (folder / f"essay{EXTENSIONS[format]}", folder / MANIFEST)
    _check_folder(folder, essay_path, targets, force)
    manifest: dict[str, object] = {
        "id": corpus_id or _corpus_id(folder.name),
        "title": title or essay.title,
        "title_note": None if title or essay.title else "No title was given when the essay was imported.",
        "author": author,
        "year": year,
        "language": language,
        "source": targets[0].name,
        "format": format,
    }
    if warnings:
        manifest[IMPORT_WARNINGS] = [accepted_warning(w) for w in warnings]
    text = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True).encode("utf-8")
    files = {targets[0]: data, targets[1]: text}
    notices: list[str] = [] if essay.footnotes else [NO_NOTES]
    kept = [name for name in DRAFT_FILES if os.path.lexists(folder / f"{name}.yaml")]
    if kept:
        notices.append(f"the records already in the folder ({', '.join(f'{n}.yaml' for n in kept)}) were kept "
                       "as they are; no records were drafted")
    else:
        for name, yaml_text in drafts_yaml(draft_records(essay)).items():
            files[folder / f"{name}.yaml"] = yaml_text.encode("utf-8")
    replaced = _write(folder, files)
    return ImportResult(essay, tuple(warnings), tuple(notices), replaced)


def is_essay_file(path: Path) -> bool:
    """Whether *path* is a file to open as an essay (imported), rather than a corpus folder or a file refused."""
    return path.is_file() and file_kind(path) in ESSAY_KINDS


def default_essay_folder(essay_path: Path, data_dir: Path | None = None) -> Path:
    """Where opening *essay_path* puts its corpus unless told otherwise:
    ``<data>/essays/<name>-<hash of the content>/`` (*data_dir*: the user's data folder)."""
    digest = _essay_digest(essay_path)
    data = data_dir if data_dir is not None else user_dir("data", "EXPLORER_DATA_DIR")
    return data / ESSAYS_DIR / f"{_corpus_id(essay_path.stem)[:40]}-{digest[:HASH_DIGITS]}"


def essay_corpus_for(essay_path: Path, folder: Path | None = None, data_dir: Path | None = None) -> Path:
    """The corpus folder to open for the essay *essay_path*, importing it if needed.

    *folder* defaults to :func:`default_essay_folder`. A folder that already
    holds a corpus imported from the same content is reused as it is (so the
    reader's drafts and marks stay); one holding anything else is refused by
    :func:`create_corpus`. An essay with no footnotes is refused (there is
    nothing to explore), saying what carries notes. The import is made in a hidden folder beside
    *folder* and renamed into place whole, so an import stopped half-way
    never leaves a corpus that looks complete. The corpus id comes from the
    essay's name, so a revised essay keeps the reader's marks.
    """
    folder = folder if folder is not None else default_essay_folder(essay_path, data_dir)
    digest = _essay_digest(essay_path)
    if _imported_from(folder) == digest:
        return folder
    if os.path.lexists(folder) and (not folder.is_dir() or any(folder.iterdir())):
        # not an empty folder: create_corpus says why it cannot be used (a corpus there, a file ...)
        create_corpus(essay_path, folder, corpus_id=_corpus_id(essay_path.stem))
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name[:60]}.", suffix=".importing", dir=folder.parent))
    try:
        done = create_corpus(essay_path, staging, corpus_id=_corpus_id(essay_path.stem), force=True)
        if not done.essay.footnotes:  # nothing to explore: say what carries notes rather than open an empty corpus
            what = "this is a text file, not a corpus folder; " if file_kind(essay_path) == "text" else ""
            raise CorpusError.single(str(essay_path), None, f"{what}read as an essay, {NO_NOTES}")
        if folder.is_dir():
            folder.rmdir()  # empty: checked above
        os.replace(staging, folder)
    except OSError as exc:
        raise CorpusError.single(str(folder), None, f"cannot write the corpus: {exc.strerror or exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _essay_digest(path: Path) -> str:
    return hashlib.sha256(read_bytes_limited(path, MAX_PACKAGE_BYTES, "essays")).hexdigest()


def _imported_from(folder: Path) -> str | None:
    """The SHA-256 of the essay copy kept in the corpus at *folder*; None if there is no such corpus."""
    try:
        manifest = yaml.safe_load((folder / MANIFEST).read_text(encoding="utf-8"))
        source = manifest.get("source") if isinstance(manifest, dict) else None
        if not isinstance(source, str) or "/" in source or "\\" in source:
            return None
        return hashlib.sha256((folder / source).read_bytes()).hexdigest()
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _check_folder(folder: Path, essay_path: Path, targets: tuple[Path, ...], force: bool) -> None:
    name = str(folder)

    def refuse(reason: str) -> CorpusError:
        return CorpusError.single(name, None, f"{reason}; nothing was written")

    try:
        if folder.exists() and not folder.is_dir():
            raise refuse("this is a file, not a folder")
        above = next((p for p in folder.absolute().parents if os.path.lexists(p)), None)
        if above is not None and not above.is_dir():
            raise refuse(f"a part of this path is a file, not a folder: {above}")
        present = [t for t in targets if os.path.lexists(t)]
        if present and not force:
            what = "a corpus already exists here" if targets[1] in present else f"{present[0].name} is already here"
            raise refuse(f"{what} (pass --force to replace {' and '.join(t.name for t in present)}, "
                         "keeping the old ones as .bak)")
        if os.path.lexists(targets[0]) and os.path.samefile(targets[0], essay_path):
            raise refuse(f"the essay is this folder's own {targets[0].name}; import it into a new folder")
    except NotADirectoryError as exc:
        raise refuse("a part of this path is a file, not a folder") from exc
    except OSError as exc:
        raise refuse(f"cannot use this folder: {exc.strerror or exc}") from exc


def _write(folder: Path, files: dict[Path, bytes]) -> tuple[Path, ...]:
    """Write *files* into *folder*, each complete or not at all; the old ones are kept as backups."""
    created: list[Path] = []
    replaced: list[Path] = []
    temporary: list[Path] = []
    try:
        missing = []
        parent = folder
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        created.extend(missing)
        folder.mkdir(parents=True, exist_ok=True)
        staged: dict[Path, Path] = {}
        for target, data in files.items():
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            temporary.append(Path(name))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            staged[target] = Path(name)
        for target, written in staged.items():
            if os.path.lexists(target):
                backup = _backup_name(target)
                shutil.copy2(target, backup)
                replaced.append(backup)
            os.replace(written, target)
            temporary.remove(written)
    except OSError as exc:
        for leftover in temporary:
            with contextlib.suppress(OSError):
                leftover.unlink()
        for made in created:  # folders this import made, if still empty
            with contextlib.suppress(OSError):
                made.rmdir()
        where = exc.filename or folder
        raise CorpusError.single(str(where), None, f"cannot write the corpus: {exc.strerror or exc}") from exc
    return tuple(replaced)


def _backup_name(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    number = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.name}.bak{number}")
        number += 1
    return candidate
