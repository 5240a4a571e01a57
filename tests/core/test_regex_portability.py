"""No regular expression in the app may use possessive repeats or atomic groups.

CPython 3.11.0-3.11.4 (Debian 12 ships 3.11.2) mishandle a possessive repeat
around a lookahead (CPython issue 100061): the essay importer's plain-text
pattern ran over every footnote token there, and the default essay imported
with no notes. Both constructs are new in 3.11 and are avoided everywhere, so
every supported Python reads a file the same way. ``make test-oldest`` also
runs tests/core under that Python.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import explorer
import explorer.core

try:  # the parser's module was renamed in 3.11; both are private but stable enough for a test
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

UNSAFE = {sre_constants.POSSESSIVE_REPEAT, sre_constants.ATOMIC_GROUP}
# In source text: x*+  x++  x?+  x{m,n}+  (?>...)
UNSAFE_SPELLING = re.compile(r"(?<!\\)[*+?}]\+|\(\?>")
# Python 3.12 splits f-strings into several tokens; the literal parts are FSTRING_MIDDLE.
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def _opcodes(tree: Any) -> Iterator[Any]:
    for op, arg in tree:
        yield op
        for part in arg if isinstance(arg, (tuple, list)) else ():
            if isinstance(part, sre_parse.SubPattern):
                yield from _opcodes(part)
            elif isinstance(part, (list, tuple)):
                for sub in part:
                    if isinstance(sub, sre_parse.SubPattern):
                        yield from _opcodes(sub)


def _patterns(value: Any, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _patterns(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns(item, depth + 1)


def _core_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for info in pkgutil.walk_packages(explorer.core.__path__, "explorer.core."):  # subpackages too
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for pattern in _patterns(value):
                found.append((f"{info.name}.{name}", pattern))
    return found


def test_the_core_compiles_patterns_to_check() -> None:
    names = {name for name, _ in _core_patterns()}
    assert "explorer.core.essay_import._PLAIN_END" in names
    assert len(names) > 20


@pytest.mark.parametrize(("name", "pattern"), _core_patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_compiled_pattern_is_possessive_or_atomic(name: str, pattern: re.Pattern[str]) -> None:
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    assert not UNSAFE & set(_opcodes(tree)), f"{name} uses a possessive repeat or an atomic group"


def test_the_opcode_walk_sees_both_constructs() -> None:
    assert sre_constants.POSSESSIVE_REPEAT in set(_opcodes(sre_parse.parse(r"(?:a|b[^c]*+)")))
    assert sre_constants.ATOMIC_GROUP in set(_opcodes(sre_parse.parse(r"x(?:y(?>z))?")))
    assert not UNSAFE & set(_opcodes(sre_parse.parse(r"a*b+c?d{2,3}(?!e)[+*]\++")))


def test_no_string_in_the_source_spells_one() -> None:
    """Patterns built inside functions are not in any module's namespace: read every string literal."""
    offenders = []
    for path in sorted(Path(explorer.__file__).parent.rglob("*.py")):
        with path.open("rb") as file:
            for token in tokenize.tokenize(io.BytesIO(file.read()).readline):
                if token.type in STRING_TOKENS and UNSAFE_SPELLING.search(token.string):
                    offenders.append(f"{path}:{token.start[0]}: {token.string[:60]}")
    assert not offenders, "\n".join(offenders)
