"""Structural rules that keep the code easy to change, checked so that they stay true."""

from __future__ import annotations

import re

from tests.support.corpora import REPO


def test_no_test_imports_helpers_from_conftest() -> None:
    """Helpers live in tests/support; conftest files only hold fixtures (pytest imports them itself)."""
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in (REPO / "tests").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from tests(\.\w+)*\.conftest import|from tests(\.\w+)* import conftest)", line)
    ]
    assert offenders == []


def test_the_state_object_does_not_shadow_qobject_event() -> None:
    from explorer.ui.state import ExplorerState

    assert "event" not in ExplorerState.__dict__
