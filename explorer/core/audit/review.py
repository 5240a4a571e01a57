"""Team review: where reviewers' verification marks disagree, as audit findings.

The marks come in as plain :class:`ReviewEntry` data (every history entry of every reviewer; the
core never opens the marks store). A citation is in disagreement when the standing positions of
its reviewers differ: each reviewer's latest entry, unless a later entry resolved it, and only
"verified" and "disputed" (or a status a newer version knows) count as positions ("unchecked"
is no judgement). A disagreement is resolved by a mark too: an entry that names, in ``resolves``,
the (reviewer, time) of each disagreeing entry it settles; its own status then stands for them
while it is its reviewer's latest entry. A reviewer who marks the citation again (the resolver
included: undoing the resolution, say) opens it again; the window keeps a resolution's list
when its reviewer only edits its note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from explorer.core.audit.findings import WARNING, Finding, notes_phrase

CODE = "MARKS_DISAGREE"
#: A status that takes no position.
NO_POSITION = "unchecked"


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One mark one reviewer set on one citation, at one time."""

    key: str  # the citation's mark key
    reviewer: str  # "" for a mark from before reviewers were recorded
    time: str  # ISO 8601, UTC, as the store writes it (so that text order is time order)
    status: str
    note: str = ""
    footnote: int | None = None
    label: str | None = None
    resolves: tuple[tuple[str, str], ...] = ()  # (reviewer, time) of the entries it settles

    @property
    def who(self) -> str:
        return self.reviewer or "unknown"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A citation whose reviewers' standing marks differ; *positions* are theirs, by reviewer."""

    key: str
    footnote: int | None
    label: str | None
    positions: tuple[ReviewEntry, ...]

    def who_said_what(self) -> str:
        """``Alice: verified; Bob: disputed (“f. 3 gives 20 June”)``."""
        return "; ".join(f"{e.who}: {e.status}" + (f" (\u201c{' '.join(e.note.split())}\u201d)" if e.note.strip()
                                                       else "") for e in self.positions)

    def resolves(self) -> tuple[tuple[str, str], ...]:
        """What a mark resolving this disagreement names in its ``resolves``."""
        return tuple((e.reviewer, e.time) for e in self.positions)


def standing(entries: Iterable[ReviewEntry]) -> dict[str, list[ReviewEntry]]:
    """For each citation key, each reviewer's latest entry that no reviewer's latest entry resolves, by
    reviewer."""
    by_key: dict[str, list[ReviewEntry]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry)
    out: dict[str, list[ReviewEntry]] = {}
    for key, items in by_key.items():
        latest: dict[str, ReviewEntry] = {}
        for entry in sorted(items, key=lambda e: e.time):  # stable: the given order breaks a tie
            latest[entry.reviewer] = entry
        settled = {r for e in latest.values() for r in e.resolves}
        out[key] = sorted((e for e in latest.values() if (e.reviewer, e.time) not in settled),
                          key=lambda e: (e.reviewer.casefold(), e.reviewer))
    return out


def disagreements(entries: Iterable[ReviewEntry]) -> list[Disagreement]:
    """The citations whose reviewers disagree, by key."""
    out = []
    for key, positions in sorted(standing(entries).items()):
        taken = [e for e in positions if e.status != NO_POSITION]
        if len({e.status for e in taken}) > 1:
            newest = max(taken, key=lambda e: e.time)
            out.append(Disagreement(key, newest.footnote, newest.label, tuple(taken)))
    return out


def check_disagreements(entries: Iterable[ReviewEntry], notes_of_key: Mapping[str, tuple[int, ...]]
                        ) -> list[Finding]:
    """One finding per group of notes sharing disagreeing citations: who said what on each, in the
    order of the notes. *notes_of_key* gives the notes citing each key now; a key no note cites any
    more is placed at the note its marks were set on."""
    groups: dict[tuple[int, ...], list[Disagreement]] = {}
    for found in disagreements(entries):
        notes = notes_of_key.get(found.key) or ((found.footnote,) if found.footnote else ())
        groups.setdefault(tuple(notes), []).append(found)
    findings = []
    for notes, items in sorted(groups.items()):
        parts = [f"{d.label or d.key}: {d.who_said_what()}" for d in items]
        where = f"In {notes_phrase(notes)}, reviewers" if notes else "Reviewers"
        findings.append(Finding(
            CODE, WARNING,
            f"{where} disagree on {len(items)} citation{'s' * (len(items) != 1)}. " + ". ".join(parts)
            + ". Set the status that holds, with a note saying why, to resolve it.",
            footnotes=notes,
            details={"disagreements": [
                {"key": d.key, "label": d.label,
                 "positions": [{"reviewer": e.reviewer, "time": e.time, "status": e.status, "note": e.note}
                               for e in d.positions]} for d in items]},
        ))
    return findings
