"""Safe YAML reading that remembers where every value came from.

``yaml.safe_load`` forgets line numbers, and validation must say "events.yaml
line 42, key 'date'". So files are *composed* into nodes (with libyaml when
present) and turned into plain values here: mappings become :class:`LocDict`
and sequences :class:`LocList`, each knowing the line of itself and of each
of its members.

Refused, each with file and line: syntax errors, duplicate keys, anchors and
aliases (no corpus needs them, and they are how "billion laughs" bombs
work), tags other than YAML's plain ones (``!!python/object`` ...), files
larger than :data:`MAX_YAML_BYTES` or holding more than
:data:`MAX_YAML_VALUES` values, and non-UTF-8 bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from explorer.core.errors import CorpusError, Problem
from explorer.core.textfile import decode_text, read_bytes_limited

try:  # libyaml is ~10x faster; fall back to the pure-Python loader.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Largest YAML file accepted. The default corpus is ~100 KB; 100,000 events ~30 MB.
MAX_YAML_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted (corpus records are 4 levels deep).
MAX_DEPTH = 64
#: Most values (mappings, lists, keys and scalars) a file may hold, as bounded by
#: :func:`_values_bound` before parsing. Each costs ~200 bytes while the file is
#: read, so this keeps one file under ~2 GB and ~40 s however densely it is
#: written ("[1,1,1,..." is 2 bytes a value); 100,000 events bound at ~4 million.
MAX_YAML_VALUES = 10_000_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "str",  # dates are EDTF text, read by core.dates
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
}


_STR_TAG = "tag:yaml.org,2002:str"


class LocDict(dict[str, Any]):
    """A mapping read from YAML, with ``line`` and ``key_lines``."""

    line: int
    key_lines: dict[str, int]


class LocList(list[Any]):
    """A sequence read from YAML, with ``line`` and ``item_lines``."""

    line: int
    item_lines: list[int]


def line_of(value: Any, default: int | None = None) -> int | None:
    return getattr(value, "line", default)


def read_yaml_file(path: Path) -> Any:
    """Read *path* into located values; raise :class:`CorpusError` if unusable."""
    return parse_yaml_bytes(read_bytes_limited(path, MAX_YAML_BYTES, "YAML files"), str(path))


def parse_yaml_bytes(data: bytes, name: str) -> Any:
    if b"\x00" in data:
        raise CorpusError.single(name, None, "the file is binary (it contains NUL bytes), not YAML")
    text = decode_text(data, name, "YAML")
    bound = _values_bound(text)
    if bound > MAX_YAML_VALUES:
        raise CorpusError.single(name, None, f"the file may hold up to {bound:,} values; files with over "
                                 f"{MAX_YAML_VALUES:,} are refused (split the records over several corpora)")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        last = text.count("\n") + 1
        if line is not None and line > last:  # libyaml's end of a file with no final line end
            line, column = max(last, 1), len(text.rsplit("\n", 1)[-1]) + 1
        context = exc.context
        begun = exc.context_mark
        if context and mark is not None and begun is not None and begun.line != mark.line:
            context += f" (from line {begun.line + 1})"  # where the unclosed thing began
        reason = " ".join(x for x in (context, exc.problem) if x) or "invalid YAML"
        if "\t" in text and "tab" not in reason and _tab_on_line(text, line):
            reason += " (YAML does not allow tabs for indentation)"
        raise CorpusError.single(name, line, f"YAML syntax error: {reason}", column=column) from exc
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids anywhere (a control character): its first
        # occurrence is the place (libyaml's offset counts UTF-8 bytes).
        code = exc.character if isinstance(exc.character, int) else None
        at = text.find(chr(code)) if code is not None else -1
        if at < 0:
            raise CorpusError.single(name, None, f"YAML error: {exc.reason}") from exc
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise CorpusError.single(name, line, f"YAML error: {exc.reason} (character U+{code:04X})",
                                 column=column) from exc
    except yaml.YAMLError as exc:
        raise CorpusError.single(name, None, f"YAML error: {exc}") from exc
    if node is None:
        return None
    problems: list[Problem] = []
    # An alias is written '*name': without a '*' anywhere there is none to find.
    value = _Converter(name, problems, track_aliases="*" in text).convert(node, 0)
    if problems:
        raise CorpusError(problems)
    return value


def _values_bound(text: str) -> int:
    """At least the number of values *text* composes into, counted at C speed.

    Every value but the first is a block list item (after ``-``), a flow list
    item (after ``[`` or ``,``) or half of a key-value pair (at ``:`` or ``?``;
    in flow mappings after ``{`` or ``,``). Quoted text and comments count
    too, so prose over-counts (about 2x) but never under-counts.
    """
    pairs = text.count(":") + text.count("?") + text.count("{") + text.count(",")
    return 1 + 2 * pairs + text.count("-") + text.count("[")


def _tab_on_line(text: str, line: int | None) -> bool:
    if not line:
        return False
    lines = text.split("\n")
    return any("\t" in lines[i] for i in (line - 2, line - 1) if 0 <= i < len(lines))


class _Converter:
    def __init__(self, name: str, problems: list[Problem], track_aliases: bool = True) -> None:
        self.name = name
        self.problems = problems
        self.track_aliases = track_aliases
        self.seen: set[int] = set()
        self.reported: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node, message: str, key: str | None = None) -> None:
        self.problems.append(Problem(self.name, node.start_mark.line + 1, message, key, node.start_mark.column + 1))

    def convert(self, node: yaml.Node, depth: int) -> Any:
        # The composer turns an alias into the very node it names: meeting a
        # node twice means an alias, which is refused before it can expand.
        if self.track_aliases:
            if id(node) in self.seen:
                if id(node) not in self.reported:
                    self.reported.add(id(node))
                    self.problem(node, "this anchored value is reused through an alias ('*name'); "
                                 "aliases are not allowed in corpus files")
                return None
            self.seen.add(id(node))
        # Most nodes are plain text: answer them first (the same as below, sooner).
        if node.tag == _STR_TAG and type(node) is yaml.ScalarNode and depth <= MAX_DEPTH:
            return node.value
        if depth > MAX_DEPTH:
            self.problem(node, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        kind = _PLAIN_TAGS.get(node.tag)
        if kind is None:
            self.problem(node, f"the tag {node.tag!r} is not allowed; corpus files hold plain data only")
            return None
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line, depth)
        if isinstance(node, yaml.SequenceNode):
            seq = LocList()
            seq.line = line
            seq.item_lines = []
            for item in node.value:
                seq.item_lines.append(item.start_mark.line + 1)
                seq.append(self.convert(item, depth + 1))
            return seq
        if kind == "str":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.problem(node, f"cannot read the value {node.value!r}: {exc}")
            return None

    def _mapping(self, node: yaml.MappingNode, line: int, depth: int) -> LocDict:
        result = LocDict()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "merge keys ('<<') are not allowed")
                continue
            key = self.convert(key_node, depth + 1)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self.problem(key_node, "a key must be plain text")
                continue
            key = str(key)
            if key in result:
                self.problem(key_node, f"duplicate key (first at line {result.key_lines[key]})", key)
                continue
            result.key_lines[key] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, depth + 1)
        return result
