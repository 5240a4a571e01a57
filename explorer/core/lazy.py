"""Names a package exports from submodules that are imported only when a name is first used.

The audit's checks and the citation parser compile hundreds of regular
expressions and build dozens of dataclasses when imported; the window needs
neither before its first paint, only their result types. A package keeps
its one import path (``from explorer.core.audit import run_audit``) and
loads the heavy submodule on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(namespace: dict[str, Any], where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for the package whose globals are *namespace*: *where* maps each
    exported name to the submodule defining it."""
    package = namespace["__name__"]

    def __getattr__(name: str) -> object:
        submodule = where.get(name)
        if submodule is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{submodule}"), name)
        namespace[name] = value  # found directly from now on
        return value

    return __getattr__
