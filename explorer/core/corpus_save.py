"""Saving edited corpus files back to YAML, changing only what was edited.

A corpus file is held twice: as the text it was read from, and as
ruamel.yaml round-trip data (:class:`YamlFile`), which remembers each
value's quoting and flow style and is what edits change. Saving does not
re-serialise the whole file: it copies the original text of every record and
every field whose value is unchanged, byte for byte, and writes new YAML only
for the fields (or records) that differ. So comments, key order, quoting and
layout of untouched records survive, a file with no edit is written back
byte-identical, and a one-field edit changes only that field's lines.

Where in the text each record and field lies is read with PyYAML's composer
(libyaml: fast, and it gives each node's start and end), the same parse the
loader does. A file whose layout the splicing does not understand (flow-style
records, a dash on a line of its own) is written whole by ruamel.yaml, and
only when something in it changed.

Every rendered file is read back with the loader's own YAML reader and
compared with the data before it is written: a file that would not read back
as the data says is refused, not written. Writes are atomic
(:func:`write_atomic`): a temporary file beside the target, flushed and
fsynced, then renamed over it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from explorer.core.errors import CorpusError
from explorer.core.locations import DATA_DIR_ENV, default_corpus_dir, user_dir
from explorer.core.textfile import decode_text, read_bytes_limited
from explorer.core.yaml_source import MAX_YAML_BYTES, LocDict, LocList, parse_yaml_bytes

try:  # libyaml gives the same marks ~10x faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Set (to anything) in a test: the writer stops after the temporary file is
#: written and fsynced, before the rename, says so on stderr and waits for a
#: line on stdin, so a test can kill the process mid-save.
PAUSE_ENV = "EXPLORER_TEST_PAUSE_BEFORE_RENAME"
#: Where copies of read-only corpora go, inside the user's data folder.
COPIES_FOLDER = "corpora"


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 20  # never fold a long summary over lines
    y.indent(mapping=2, sequence=4, offset=2)  # the shipped corpus's layout
    # ruamel writes None as an empty value; the corpus writes ``null``.
    y.representer.add_representer(type(None), lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


_RESOLVER = yaml.resolver.Resolver()


def plain(value: Any) -> Any:
    """*value* as plain, comparable data: two values are the same YAML data only if their plains are equal.

    Scalars carry their type, so ``1``, ``1.0``, ``True`` and ``"1"`` differ.
    """
    if isinstance(value, dict):
        return ("map", tuple((str(k), plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("seq", tuple(plain(v) for v in value))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return ("str", value.isoformat())  # the loader reads timestamps as their text
    if value is None:
        return ("null", None)
    return ("other", repr(value))


def _as_loader_reads(value: Any) -> Any:
    """The loader's reading (LocDict, LocList, str ...) as :func:`plain` data."""
    if isinstance(value, LocDict):
        return ("map", tuple((k, _as_loader_reads(v)) for k, v in value.items()))
    if isinstance(value, LocList):
        return ("seq", tuple(_as_loader_reads(v) for v in value))
    return plain(value)


def _safe_for_loader(value: Any) -> Any:
    """*value* with every plain string that YAML 1.1 (PyYAML, the loader) would read as something else quoted.

    ruamel.yaml writes YAML 1.2, where ``yes``, ``no`` and ``on`` are text; the
    loader reads YAML 1.1, where they are true/false. Comments are left out:
    the text around a rewritten value keeps its own.
    """
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _safe_for_loader(v)
        if isinstance(value, CommentedMap) and value.fa.flow_style():
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_safe_for_loader(v) for v in value)
        if isinstance(value, CommentedSeq) and value.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    return _safe_scalar(value)


def _safe_scalar(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, ScalarString) and (
        _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str" or value != value.strip()
    ):
        return DoubleQuotedScalarString(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return DoubleQuotedScalarString(value.isoformat())
    return value


def _make_safe_in_place(value: Any) -> None:
    """:func:`_safe_for_loader` on a copy that keeps its comments (a whole file written anew)."""
    if isinstance(value, dict):
        for k in list(value):
            if isinstance(value[k], (dict, list)):
                _make_safe_in_place(value[k])
            else:
                value[k] = _safe_scalar(value[k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, (dict, list)):
                _make_safe_in_place(v)
            else:
                value[i] = _safe_scalar(v)


def dump_text(value: Any, comments: bool = False) -> str:
    """*value* (a mapping or a list) as round-trip YAML text, in the corpus's layout (with its comments if asked)."""
    out = io.StringIO()
    if comments:
        value = copy.deepcopy(value)
        _make_safe_in_place(value)
    else:
        value = _safe_for_loader(value)
    _yaml().dump(value, out)
    return out.getvalue()


# -- where things are in the text ---------------------------------------------------------------


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just past the line end of the line holding *index* - 1 (the end of a value)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _content_end(node: yaml.Node) -> int:
    """Where *node*'s own text ends (a block collection's end mark lies past the blank lines after it)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return int(node.end_mark.index)


@dataclass(frozen=True)
class _Field:
    key: str
    column: int  # of the key
    content: str  # from the key to the end of its value's line
    trailing: str  # comment and blank lines after it, before the next field
    inline_comment: str  # "  # ..." after the value on its last line, or ""


@dataclass(frozen=True)
class _Record:
    body: str  # from the start of the dash's line to the end of the last value's line
    gap: str  # blank and comment lines after it, up to the next record (to the end of the file for the last)
    dash_prefix: str  # "  - "
    fields: tuple[_Field, ...] | None  # None: a layout only rewritten whole
    plain: Any


@dataclass(frozen=True)
class _Layout:
    header: str  # everything before the first record's line
    records: tuple[_Record, ...]
    separator: str  # the blank lines between two records, for a new one
    dash_column: int


def _layout(text: str, section: str, data: Any) -> _Layout | None:
    """The records of *text* (a ``section:`` list of mappings) and their fields; None if not that shape."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not isinstance(data, dict):
        return None
    pairs = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == section]
    if len(root.value) != 1 or len(pairs) != 1 or not isinstance(data.get(section), list):
        return None
    seq = pairs[0][1]
    items = data[section]
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value or len(seq.value) != len(items):
        return None
    starts = []
    for node in seq.value:
        start = _line_start(text, node.start_mark.index)
        prefix = text[start:node.start_mark.index]
        if prefix.strip() != "-" or not prefix.rstrip().endswith("-"):
            return None  # the dash on a line of its own, or a record sharing a line
        starts.append(start)
    records = []
    for i, (node, item) in enumerate(zip(seq.value, items, strict=True)):
        end = _line_end(text, _content_end(node))
        nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
        if end > nxt:
            return None
        fields = _fields(text, node, starts[i], end)
        records.append(_Record(text[starts[i]:end], text[end:nxt], text[starts[i]:node.start_mark.index],
                               fields, plain(item)))
    blank_gaps = [r.gap for r in records[:-1] if not r.gap.strip()]
    separator = max(set(blank_gaps), key=blank_gaps.count) if blank_gaps else "\n"
    dash_column = len(records[0].dash_prefix) - len(records[0].dash_prefix.lstrip())
    return _Layout(text[:starts[0]], tuple(records), separator, dash_column)


def _fields(text: str, node: yaml.Node, start: int, end: int) -> tuple[_Field, ...] | None:
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        return None
    fields = []
    lines = [k.start_mark.line for k, _ in node.value]
    if len(set(lines)) != len(lines):
        return None
    for j, (key, value) in enumerate(node.value):
        if not isinstance(key, yaml.ScalarNode):
            return None
        content_end = _content_end(value)
        line_end = _line_end(text, content_end)
        nxt = _line_start(text, node.value[j + 1][0].start_mark.index) if j + 1 < len(node.value) else end
        if line_end > nxt:
            return None
        rest = text[content_end:line_end].rstrip("\n")
        inline = rest if rest.strip().startswith("#") and "\n" not in rest else ""
        fields.append(_Field(str(key.value), key.start_mark.column, text[key.start_mark.index:line_end],
                             text[line_end:nxt], inline))
    return tuple(fields)


def _has_comment(text: str) -> bool:
    return any(line.strip() for line in text.splitlines())


def _merge_gaps(before: str, after: str, first: bool) -> str:
    """The text between two records once the record between them is gone: no comment is lost."""
    if not first and not _has_comment(before):
        return after
    lines = after.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    return before + "".join(lines)


def _indent(text: str, first_prefix: str, column: int) -> str:
    """*text*'s first line after *first_prefix*, and every later line indented by *column*."""
    lines = text.splitlines(keepends=True)
    pad = " " * column
    return first_prefix + lines[0] + "".join(pad + line if line.strip() else line for line in lines[1:])


def _field_text(key: str, value: Any, prefix: str, column: int, inline: str = "") -> str:
    one = CommentedMap()
    one[key] = value
    text = _indent(dump_text(one), prefix, column)
    if inline and text.count("\n") == 1:
        text = text.rstrip("\n") + inline + "\n"
    return text


def _record_text(record: Any, dash_column: int) -> str:
    text = dump_text(CommentedSeq([record]))  # "  - key: ..." (sequence offset 2)
    shift = dash_column - 2
    if shift == 0:
        return text
    lines = text.splitlines(keepends=True)
    if shift > 0:
        return "".join(" " * shift + line if line.strip() else line for line in lines)
    return "".join(line[-shift:] if line.startswith(" " * -shift) else line for line in lines)


def _rewrite_record(old: _Record, record: Any, dash_column: int) -> str:
    if old.fields is None or not isinstance(record, dict) or not record:
        return _record_text(record, dash_column)
    by_key = {f.key: f for f in old.fields}
    old_plain = dict(old.plain[1]) if old.plain[0] == "map" else {}
    key_column = old.fields[0].column  # the first key follows the dash; the others are below it
    out = []
    keys = list(record)
    for position, key in enumerate(keys):
        prefix = old.dash_prefix if position == 0 else " " * key_column
        field = by_key.get(key)
        if field is not None and old_plain.get(key) == plain(record[key]):
            out.append(prefix + field.content + field.trailing)
        elif field is not None:
            out.append(_field_text(key, record[key], prefix, key_column, field.inline_comment)
                       + field.trailing)
        else:
            out.append(_field_text(key, record[key], prefix, key_column))
    for field in old.fields:  # a removed field's comments stay, after the record's last field
        if field.key not in record and _has_comment(field.trailing):
            out.append(field.trailing)
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


@dataclass
class _Baseline:
    text: str
    layout: _Layout | None
    objects: dict[int, int]  # id(record object) -> its index in the layout
    plain: Any


class YamlFile:
    """One corpus YAML file: the text it was read from, and its round-trip data that edits change."""

    def __init__(self, path: Path, data: bytes, section: str | None) -> None:
        self.path = path
        self.section = section
        self.read_bytes = data
        text = decode_text(data, str(path), "YAML")
        try:
            self.data: Any = _yaml().load(text)
        except Exception as exc:  # ruamel raises several types; the loader already said what is wrong
            raise CorpusError.single(str(path), None, f"cannot read the file for editing: {exc}") from exc
        self._line_end = "\r\n" if b"\r\n" in data else "\n"
        self._bom = data.startswith(b"\xef\xbb\xbf")
        self._set_baseline(text)

    @classmethod
    def read(cls, path: Path, section: str | None) -> YamlFile:
        return cls(path, read_bytes_limited(path, MAX_YAML_BYTES, "YAML files"), section)

    def _set_baseline(self, text: str) -> None:
        layout = None
        objects: dict[int, int] = {}
        if self.section is not None:
            layout = _layout(text, self.section, self.data)
            if layout is not None:
                objects = {id(r): i for i, r in enumerate(self.data[self.section])}
        self._baseline = _Baseline(text, layout, objects, plain(self.data))

    def records(self) -> CommentedSeq:
        """The list of records (for a record file), created if the file had none."""
        assert self.section is not None
        if not isinstance(self.data, dict):
            raise CorpusError.single(str(self.path), None, f"the file must be a mapping with the key '{self.section}:'")
        if self.data.get(self.section) is None:
            self.data[self.section] = CommentedSeq()
        records = self.data[self.section]
        if not isinstance(records, CommentedSeq):
            raise CorpusError.single(str(self.path), None, f"'{self.section}' must be a list of records")
        return records

    def changed(self) -> bool:
        return plain(self.data) != self._baseline.plain

    def render(self) -> str:
        """The file's text now: the original wherever the data is unchanged."""
        base = self._baseline
        if not self.changed():
            return base.text
        layout = base.layout
        items = self.data.get(self.section) if isinstance(self.data, dict) and self.section else None
        if layout is None or not isinstance(items, list) or not items or list(self.data) != [self.section]:
            return dump_text(self.data, comments=True)
        order = [base.objects.get(id(r)) for r in items]
        known = [i for i in order if i is not None]
        if known != sorted(known) or len(set(known)) != len(known):
            return dump_text(self.data, comments=True)  # reordered: no text of the old order to keep
        out: list[str] = []
        acc, first = layout.header, True
        surviving = dict(zip(known, (r for r, i in zip(items, order, strict=True) if i is not None), strict=True))
        pending_new: dict[int, list[Any]] = {}  # new records after the baseline record of that index (-1: first)
        last = -1
        for record, index in zip(items, order, strict=True):
            if index is None:
                pending_new.setdefault(last, []).append(record)
            else:
                last = index
        for record in pending_new.get(-1, []):
            out.append(acc + _record_text(record, layout.dash_column))
            acc, first = layout.separator, False
        for index, old in enumerate(layout.records):
            record = surviving.get(index)
            if record is None:
                acc = _merge_gaps(acc, old.gap, first)
                continue
            out.append(acc)
            out.append(old.body if plain(record) == old.plain else _rewrite_record(old, record, layout.dash_column))
            acc, first = old.gap, False
            for new in pending_new.get(index, []):
                out.append(layout.separator + _record_text(new, layout.dash_column))
        out.append(acc)
        return "".join(out)

    def rendered_bytes(self) -> bytes:
        """:meth:`render` encoded as the file was (its line ends, a BOM), checked to read back as the data."""
        text = self.render()
        loaded = parse_yaml_bytes(text.encode("utf-8"), str(self.path))
        if _as_loader_reads(loaded) != plain(self.data):
            raise CorpusError.single(str(self.path), None, "internal error: the saved text would not read back "
                                     "as the edited records; nothing was written")
        if self._line_end != "\n":
            text = text.replace("\n", self._line_end)
        return ("\ufeff" if self._bom else "").encode() + text.encode("utf-8")

    def saved(self, written: bytes) -> None:
        """*written* is now the file on disk: later saves change only what differs from it."""
        self.read_bytes = written
        self._set_baseline(decode_text(written, str(self.path), "YAML"))


# -- writing ------------------------------------------------------------------------------------


def write_atomic(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write each (path, bytes): all to temporary files first, then each renamed over its target.

    A reader, or a crash, sees each file whole: the old one or the new one,
    never part of one. The new file keeps the old one's permissions.
    """
    files = list(files)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".saving", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except FileNotFoundError:  # a new file: the mode any program would create it with
                mode = 0o666 & ~_umask()
            os.chmod(name, mode)
        if os.environ.get(PAUSE_ENV):
            print(f"paused before rename: {' '.join(str(t) for t, _ in staged)}", file=sys.stderr, flush=True)
            sys.stdin.readline()
        for temp, target in list(staged):
            os.replace(temp, target)
            staged.remove((temp, target))
        for folder in {path.parent for path, _ in files}:
            _fsync_folder(folder)
    except OSError as exc:
        for temp, _ in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise CorpusError.single(str(exc.filename or (staged[0][1] if staged else "")), None,
                                 f"cannot save the file: {exc.strerror or exc}") from exc


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- read-only corpora ---------------------------------------------------------------------------


def read_only_reason(root: Path, files: Iterable[Path] = ()) -> str | None:
    """Why the corpus at *root* cannot be saved where it is (bundled, or not writable), or None if it can."""
    try:
        if Path(os.path.realpath(root)).is_relative_to(os.path.realpath(default_corpus_dir().parent)):
            return "it is the corpus shipped with the app"
    except OSError:
        pass
    if not os.access(root, os.W_OK | os.X_OK):
        return "its folder is not writable"
    for path in files:
        if os.path.lexists(path) and not os.access(path, os.W_OK):
            return f"{path.name} is not writable"
    return None


def copy_for_saving(root: Path, name: str | None = None, copies: Path | None = None) -> Path:
    """Copy the corpus folder *root* into the user's data folder ("Save a copy…") and return the copy.

    The copy goes to ``<data folder>/corpora/<name>`` (*name*: the corpus id,
    else the folder's name), with ``-2``, ``-3`` ... added if that is taken.
    Files are copied writable whatever their mode in *root*.
    """
    copies = copies or user_dir("data", DATA_DIR_ENV) / COPIES_FOLDER
    base = name or root.name
    target = copies / base
    number = 2
    while os.path.lexists(target):
        target = copies / f"{base}-{number}"
        number += 1
    partial = copies / f".{target.name}.copying"
    try:
        copies.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(root, partial, symlinks=False, copy_function=shutil.copyfile)
        for folder, _dirs, names in os.walk(partial):
            os.chmod(folder, 0o755)
            for file in names:
                os.chmod(os.path.join(folder, file), 0o644)
        os.replace(partial, target)  # the copy appears whole or not at all
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise CorpusError.single(str(exc.filename or target), None,
                                 f"cannot copy the corpus to save it: {exc.strerror or exc}") from exc
    return target
