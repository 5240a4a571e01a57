"""Synthetic corpora of any size, for benchmarks and scale tests.

:func:`generate_corpus` writes a corpus folder that :func:`load_corpus`
accepts: the manifest, the five record files and an essay in the Tika text
format. For *n* events it writes documents, passages, footnotes, people,
places and sources in fixed proportions (:data:`RATIOS`), so a corpus ten
times larger is ten times larger everywhere. Every quote is a verbatim
sentence of its passage, every ``as_cited`` a verbatim part of its note, and
the dates mix the EDTF forms a real corpus uses: days, months, years,
intervals, approximate and uncertain dates.

The output depends only on *n* and *seed*. YAML is written by hand (strings
quoted as JSON, which is valid YAML) because PyYAML's emitter takes minutes
at 100,000 events.

    python tools/synthetic.py OUT_DIR 10000
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from explorer.core.months import month_name

#: Records per event, rounded up (and at least the minimum the pattern needs).
RATIOS = {
    "documents": 0.6,
    "passages": 0.5,  # each passage narrates two events and cites one footnote
    "people": 0.05,
    "places": 0.01,
    "sources": 0.02,
}

_FIRST_DAY = dt.date(1945, 8, 15)
_DAYS = (dt.date(1953, 7, 27) - _FIRST_DAY).days
_WORDS = (
    "armistice", "offensive", "telegram", "delegation", "border", "railway", "harbour", "division",
    "airfield", "conference", "supplies", "advisers", "ceasefire", "reservoir", "convoy", "bridgehead",
    "embassy", "ministry", "directive", "plenum", "reconnaissance", "artillery", "prisoners", "treaty",
    "mobilisation", "uprising", "guerrillas", "negotiations", "volunteers", "communique",
)
_VERBS = ("meets", "writes to", "cables", "briefs", "receives", "warns", "instructs", "reports to")
_ARCHIVES = ("AVPRF", "APRF", "RGASPI", "TsAMO", "NARA")
_KINDS = ("ciphered-telegram", "telegram", "record-of-conversation", "report", "letter", "policy-paper")
_SOURCE_TYPES = ("book", "article", "bulletin-article", "chapter", "working-paper")
_GIVEN = ("Ivan", "Kim", "Pak", "Li", "Chen", "Nikolai", "Dean", "Peng", "Choe", "Andrei", "Zhou", "Mun")
_FAMILY = ("Petrov", "Sung", "Hon", "Ming", "Yi", "Rusk", "Huai", "Yong", "Gromyko", "Lin", "Sok", "Orlov")


@dataclass(frozen=True)
class GeneratedCorpus:
    """What :func:`generate_corpus` wrote."""

    path: Path
    counts: dict[str, int]
    bytes_written: int


def counts_for(events: int) -> dict[str, int]:
    """How many records of each kind a corpus of *events* events gets."""
    if events < 2:
        raise ValueError("a synthetic corpus needs at least 2 events")
    counts = {"events": events}
    for kind, ratio in RATIOS.items():
        counts[kind] = max(2, -(-int(events * ratio * 1000) // 1000))
    counts["passages"] = max(1, -(-events // 2))
    counts["footnotes"] = counts["passages"]
    return counts


def _date_text(rng: random.Random, day: dt.date) -> str:
    """An EDTF date near *day*, in a realistic mix of forms."""
    r = rng.random()
    if r < 0.60:
        return day.isoformat()
    if r < 0.75:
        return day.isoformat()[:7]
    if r < 0.78:
        return str(day.year)
    if r < 0.88:
        end = day + dt.timedelta(days=rng.randint(1, 40))
        return f"{day.isoformat()}/{end.isoformat()}"
    if r < 0.93:
        return day.isoformat() + "~"
    if r < 0.97:
        return day.isoformat()[:7] + "?"
    end_month = min(day.month + rng.randint(1, 3), 12)
    return f"{day.year}-{day.month:02d}/{day.year}-{end_month:02d}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _flow(ids: Iterable[object]) -> str:
    return "[" + ", ".join(str(i) for i in ids) + "]"


def _surname(name: str) -> str:
    return name.split(" ")[1]


def _long_date(day: dt.date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"


def generate_corpus(root: Path | str, events: int, seed: int = 1950) -> GeneratedCorpus:
    """Write a valid synthetic corpus of *events* events to the folder *root*.

    The folder is created if needed; files already in it are overwritten.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n = counts_for(events)
    n_pass, n_docs, n_people, n_places, n_sources = (
        n["passages"], n["documents"], n["people"], n["places"], n["sources"]
    )
    width = max(2, len(str(n_pass + 1)))  # as the importer numbers passages (+1: the editorial note)
    pid = [f"p{i + 1:0{width}d}" for i in range(n_pass)]
    person = [f"pe{i:05d}" for i in range(n_people)]
    person_name = [f"{_GIVEN[i % len(_GIVEN)]} {_FAMILY[(i // len(_GIVEN)) % len(_FAMILY)]} {i}"
                   for i in range(n_people)]
    place = [f"pl{i:04d}" for i in range(n_places)]
    source = [f"source-{i:04d}" for i in range(n_sources)]

    # Days in chronological order along the essay, with some noise, so the
    # essay reads roughly forwards in time as real ones do.
    def day_for(index: int, total: int) -> dt.date:
        base = _DAYS * index // max(total, 1)
        return _FIRST_DAY + dt.timedelta(days=min(_DAYS, max(0, base + rng.randint(-20, 20))))

    # -- documents: each is cited in one footnote, with its archival location.
    doc_lines: list[str] = ["documents:"]
    note_docs: list[list[str]] = [[] for _ in range(n_pass)]  # footnote index -> citations
    doc_ids: list[str] = []
    for j in range(n_docs):
        did = f"doc-{j:06d}"
        doc_ids.append(did)
        note = j % n_pass
        day = day_for(note, n_pass)
        sender, recipient = rng.sample(range(n_people), 2)
        archive = _ARCHIVES[j % len(_ARCHIVES)]
        fond, opis, delo = f"0{rng.randint(10, 99)}a", str(rng.randint(1, 9)), str(rng.randint(1, 400))
        first = rng.randint(1, 200)
        listy = f"{first}-{first + rng.randint(1, 6)}"
        as_cited = f"{archive}, Fond {fond}, Opis {opis}, Delo {delo}, Listy {listy}"
        title = f"Telegram from {person_name[sender]} to {person_name[recipient]}"
        note_docs[note].append(f"{title}, {_long_date(day)}, {as_cited}.")
        doc_lines += [
            f"  - id: {did}",
            f"    kind: {_KINDS[j % len(_KINDS)]}",
            f"    title: {_q(title)}",
            f'    date: "{day.isoformat()}"',
            f"    senders: [{person[sender]}]",
            f"    recipients: [{person[recipient]}]",
            "    locations:",
            f"      - archive: {archive}",
            f'        fond: "{fond}"',
            f'        opis: "{opis}"',
            f'        delo: "{delo}"',
            f'        listy: "{listy}"',
            f"        as_cited: {_q(as_cited)}",
            f"        footnote: {note + 1}",
            f"    footnotes: [{note + 1}]",
        ]
        if j % 7 == 0:
            doc_lines += [
                "    translations:",
                f"      - source: {source[j % n_sources]}",
                f'        pages: "{rng.randint(1, 300)}"',
            ]
        if j % 5 == 0:
            doc_lines.append(f"    summary: {_q(f'About the {rng.choice(_WORDS)} and the {rng.choice(_WORDS)}.')}")

    # -- sources: each cited in a few footnotes (through its own citation text).
    source_notes: list[list[int]] = [[] for _ in range(n_sources)]
    for k in range(n_pass):
        if k % 3 == 0:
            source_notes[k % n_sources].append(k)
    src_lines = ["sources:"]
    for s in range(n_sources):
        src_lines += [
            f"  - id: {source[s]}",
            f"    type: {_SOURCE_TYPES[s % len(_SOURCE_TYPES)]}",
            f"    title: {_q(f'The {_WORDS[s % len(_WORDS)]} question, volume {s}')}",
            f"    authors: [{_q(person_name[s % n_people])}]",
            f"    year: {1990 + s % 30}",
        ]
        if source_notes[s]:
            src_lines.append(f"    footnotes: {_flow(k + 1 for k in source_notes[s])}")
    source_of_note = {k: s for s in range(n_sources) for k in source_notes[s]}

    # -- events and passages: passage k narrates events 2k and 2k+1.
    ev_lines = ["events:"]
    essay: list[str] = ["[bookmark: _GoBack]"]
    for k in range(n_pass):
        sentences: list[str] = []
        for e in (2 * k, 2 * k + 1):
            if e >= events:
                break
            day = day_for(k, n_pass)
            a, b = rng.sample(range(n_people), 2)
            where = place[rng.randrange(n_places)]
            topic = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}"
            clause = f"about the {topic} (event {e})"
            summary = f"{person_name[a]} {rng.choice(_VERBS)} {person_name[b]} {clause}."
            sentences.append(f"On {_long_date(day)} {summary}")
            docs = [doc_ids[j] for j in (k, k + n_pass) if j < n_docs][: 1 + e % 2]
            ev_lines += [
                f"  - id: ev-{e:06d}",
                f'    date: "{_date_text(rng, day)}"',
                f"    title: {_q(f'{topic.capitalize()}, {_surname(person_name[a])} and {_surname(person_name[b])}')}",
                f"    summary: {_q(summary)}",
                f"    participants: [{person[a]}, {person[b]}]",
                f"    places: [{where}]",
                "    passages:",
                f"      - passage: {pid[k]}",
                f"        quote: {_q(clause)}",
                f"    documents: {_flow(docs)}",
                f"    footnotes: [{k + 1}]",
            ]
            if k in source_of_note:
                ev_lines.append(f"    sources: [{source[source_of_note[k]]}]")
            if e % 10 == 0:
                ev_lines.append(f"    date_label: {_q('around ' + _long_date(day))}")
        body = " ".join(note_docs[k]) or f"Interview notes, {k}."
        if k in source_of_note:
            body += f" See also The {_WORDS[source_of_note[k] % len(_WORDS)]} question."
        tab = "\t" if k % 4 == 1 else ""
        essay.append(f"{tab}{' '.join(sentences)}[footnoteRef:{k + 1}] [{k + 1}:  {body}] \n\n")
    essay.append("Note: This essay was generated for benchmarks; it describes no real events.\n")

    people_lines = ["people:"]
    for i in range(n_people):
        people_lines += [f"  - id: {person[i]}", f"    name: {_q(person_name[i])}", "    kind: person",
                         f"    spellings: [{_q(person_name[i])}]"]
    place_lines = ["places:"]
    for i in range(n_places):
        place_lines += [f"  - id: {place[i]}", f"    name: {_q(f'Place {i}')}", "    kind: city"]

    manifest = "\n".join([
        f"id: synthetic-{events}",
        f"title: {_q(f'Synthetic corpus of {events:,} events')}",
        "author: Benchmark Generator",
        "year: 2025",
        "language: en",
        "source: essay.txt",
        "format: tika-text",
        f"description: {_q(f'Generated with seed {seed}; for measuring, not reading.')}",
    ])
    files = {
        "corpus.yaml": manifest,
        "events.yaml": "\n".join(ev_lines),
        "documents.yaml": "\n".join(doc_lines),
        "people.yaml": "\n".join(people_lines),
        "places.yaml": "\n".join(place_lines),
        "sources.yaml": "\n".join(src_lines),
        "essay.txt": "".join(essay),
    }
    written = 0
    for name, text in files.items():
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
        (root / name).write_bytes(data)
        written += len(data)
    return GeneratedCorpus(root, n, written)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (2, 3):
        print("usage: python tools/synthetic.py OUT_DIR EVENTS [SEED]", file=sys.stderr)
        return 2
    made = generate_corpus(Path(args[0]), int(args[1]), *(int(a) for a in args[2:]))
    print(f"{made.path}: {made.bytes_written:,} bytes, " + ", ".join(f"{v:,} {k}" for k, v in made.counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
