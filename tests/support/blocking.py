"""Calling something that might block forever (reading a pipe), without the test hanging with it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def outcome_within(call: Callable[[], Any], seconds: float = 10) -> BaseException | Any:
    """What *call* returned or raised; AssertionError if it had not ended after *seconds* (a blocked read)."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"still running after {seconds} s: it blocked"
    return result[0]
