"""Refuse every Internet socket in this process, and remember each attempt.

The app is offline by design: nothing it does may open a network
connection or look up a host name. ``tests/conftest.py`` installs this for
the whole test session, and ``test_network.py`` installs it into ``explorer``
subprocesses. Attempts are recorded as well as refused, so one swallowed by
a broad ``except`` is still seen.

Local sockets (``AF_UNIX``: ``socket.socketpair()``, which asyncio and
multiprocessing use, and D-Bus) stay allowed. This guards Python code only;
``test_network.py`` watches the system calls of a whole run with strace for
what Qt's C++ might do.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any, NoReturn

#: What was attempted, in order: "socket.connect(('example.org', 80))" ...
attempts: list[str] = []

_INTERNET = (socket.AF_INET, socket.AF_INET6)
_SOCKET_METHODS = ("connect", "connect_ex", "bind", "sendto", "sendmsg")
_RESOLVERS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_connection")


class NetworkBlocked(OSError):
    """Raised instead of any network access."""


def _refuse(what: str) -> NoReturn:
    attempts.append(what)
    raise NetworkBlocked(f"network access attempted in an offline app: {what}")


def _guard_method(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if self.family in _INTERNET:
            _refuse(f"socket.{name}{args!r}")
        return original(self, *args, **kwargs)

    return guarded


def _guard_function(name: str) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _refuse(f"socket.{name}{args!r}")

    return guarded


def install() -> Callable[[], None]:
    """Refuse network access from now on; returns the function that undoes it."""
    saved: list[tuple[object, str, object]] = []
    for name in _SOCKET_METHODS:
        original = getattr(socket.socket, name)
        saved.append((socket.socket, name, original))
        setattr(socket.socket, name, _guard_method(name, original))
    for name in _RESOLVERS:
        saved.append((socket, name, getattr(socket, name)))
        setattr(socket, name, _guard_function(name))

    def uninstall() -> None:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)

    return uninstall
