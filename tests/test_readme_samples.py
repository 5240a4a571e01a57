"""The README's export samples are what the exports write: each is checked against the golden file its
marker names (tests/core/export/golden, which test_golden.py checks against the code)."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.corpora import REPO

MARKER = re.compile(r"^<!-- sample (?P<fmt>[\w-]+): (?P<path>\S+) -->\n```[\w]*\n(?P<body>.*?)^```$", re.M | re.S)
ELISION = "…"  # a line of the sample that stands for lines left out


def samples() -> list[tuple[str, str, str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return [(m["fmt"], m["path"], m["body"]) for m in MARKER.finditer(readme)]


def test_every_export_format_has_a_sample() -> None:
    assert sorted(fmt for fmt, _, _ in samples()) == sorted(
        ["csl-json", "ris", "bibtex", "biblatex", "report-md", "report-html"])


@pytest.mark.parametrize(("fmt", "path", "body"), samples(), ids=[s[0] for s in samples()])
def test_the_sample_is_what_the_export_writes(fmt: str, path: str, body: str) -> None:
    golden = (REPO / path).read_text(encoding="utf-8")
    if fmt == "csl-json":  # one item of the array, laid out shorter: the same JSON
        assert json.loads(body) == json.loads(golden)[0]
        return
    lines = [line.rstrip() for line in golden.splitlines()]
    at = 0
    chunks = [c.strip("\n").splitlines() for c in ("\n" + body).split(f"\n{ELISION}\n")]
    for chunk in chunks:  # each run of lines is in the file as it is, in the sample's order
        chunk = [line.rstrip() for line in chunk]
        found = next((i for i in range(at, len(lines) - len(chunk) + 1) if lines[i:i + len(chunk)] == chunk), None)
        assert found is not None, f"{fmt}: not in {path} as the README gives it:\n" + "\n".join(chunk)
        at = found + len(chunk)
