"""Start a corpus folder from an essay file, so any footnoted essay can be opened.

Nothing is written until the essay has been read and the folder checked, and
nothing there is overwritten unless asked (``force``): then the files
replaced are kept beside the new ones as ``NAME.bak`` (``NAME.bak2`` ...).
Every way the folder can be unusable (a file, under a file, read-only, a
name too long, the essay's own file) is one :class:`CorpusError` line.
"""

from __future__ import annotations

import contextlib
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
from explorer.core.formats import EXTENSIONS, TIKA_TEXT, detect_format, read_essay
from explorer.core.loader import IMPORT_WARNINGS, MANIFEST, VALID_ID, accepted_warning
from explorer.core.textfile import decode_text, read_bytes_limited

#: Said when a text essay has no notes: what carries them.
NO_NOTES = (
    "no footnotes were found. Notes are read from Word (.docx) and OpenDocument (.odt) files, Markdown "
    "footnotes ('[^1]'), and the text Apache Tika or POI extract from a .docx ('[footnoteRef:1]' where a "
    "note is cited and '[1: text]' for its body); plain text carries none, so an essay saved as plain text "
    "from a word processor loses its notes: import the .docx itself"
)


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
