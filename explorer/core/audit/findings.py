"""The audit's one result type, its severities, and what every family of checks shares."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from explorer.core.model import Corpus

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    message: str
    footnotes: tuple[int, ...] = ()
    passages: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    details: dict[str, object] = field(default_factory=dict, compare=False)
    #: The rule broken, where it is a published one ("CMOS 14.34"); empty for the audit's own checks.
    rule: str = ""
    #: Where the finding can be checked outside the corpus (a catalogue record's address).
    url: str | None = None

    def __post_init__(self) -> None:
        # The words quoted in details recur across findings (the dates of 47,000 DATE_MISMATCH findings at
        # 100,000 events): shared, not held once per finding.
        for name, value in self.details.items():
            if isinstance(value, str):
                self.details[name] = sys.intern(value)
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                value[:] = map(sys.intern, value)

    @property
    def key(self) -> str:
        """A stable identity: the same problem found again has the same key."""
        notes = ",".join(map(str, self.footnotes))
        return f"{self.code}:{notes}:{','.join(self.passages)}:{','.join(self.documents)}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["footnotes"] = list(self.footnotes)
        data["passages"] = list(self.passages)
        data["documents"] = list(self.documents)
        data["sources"] = list(self.sources)
        data["key"] = self.key
        return data




def passages_of(corpus: Corpus, notes: Iterable[int]) -> tuple[str, ...]:
    """The passages the notes belong to, in note order, each once."""
    out = []
    for n in notes:
        note = corpus.footnote(n)
        if note and note.passage_id not in out:
            out.append(note.passage_id)
    return tuple(out)


def notes_phrase(numbers: Iterable[int]) -> str:
    """``note 3`` or ``notes 3, 4``."""
    numbers = list(numbers)
    return f"note{'s' * (len(numbers) != 1)} {', '.join(map(str, numbers))}"


def order_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in note order (the order :func:`~explorer.core.audit.run_audit` gives)."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.footnotes[:1] or (10**9,), f.code))
