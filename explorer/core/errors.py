"""The one error type a user can cause, and the problems it carries.

Every user-facing failure (bad YAML, a broken essay file, a missing id) is a
:class:`CorpusError` holding one or more :class:`Problem`. Each problem says
which file, where in it, which key, and why, so the CLI can print it and the
window can show it in a dialog without either knowing what went wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: str
    line: int | None
    message: str
    key: str | None = None
    column: int | None = None

    def location(self) -> str:
        """``file:line:column`` as compilers print it (parts omitted when unknown)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        key = f" [{self.key}]" if self.key else ""
        return f"{self.location()}:{key} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


#: Problems one error lists; past this they are counted, not listed (a hostile
#: file can hold millions, and every one would be printed and shown).
MAX_PROBLEMS = 1000


class CorpusError(Exception):
    """A corpus, essay or user file that cannot be used as it is.

    At most :data:`MAX_PROBLEMS` problems are kept; *omitted* more (counted by
    the caller, or cut here) are said in one last problem.
    """

    def __init__(self, problems: Iterable[Problem], omitted: int = 0) -> None:
        listed = list(problems)
        if not listed:
            raise ValueError("CorpusError needs at least one problem")
        self.omitted = omitted + max(0, len(listed) - MAX_PROBLEMS)
        if self.omitted:
            file = listed[min(len(listed), MAX_PROBLEMS + 1) - 1].file
            del listed[MAX_PROBLEMS:]
            listed.append(Problem(file, None, f"... and {self.omitted:,} more problems, not listed"))
        self.problems: tuple[Problem, ...] = tuple(listed)
        super().__init__(self.summary())

    @classmethod
    def single(
        cls,
        file: str,
        line: int | None,
        message: str,
        key: str | None = None,
        column: int | None = None,
    ) -> CorpusError:
        return cls([Problem(file, line, message, key, column)])

    def summary(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return first if not more else f"{first} (and {more} more problem{'s' * (more > 1)})"

    def details(self) -> str:
        return "\n".join(str(p) for p in self.problems)
