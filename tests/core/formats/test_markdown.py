"""The Markdown reader: [^label] footnotes through markdown-it-py's footnote plugin."""

from __future__ import annotations

from explorer.core.essay import BODY, HEADING
from tests.support.formats import read, refused

ESSAY = """---
title: The Origins of the Korean War
---
# Part one

Read *Pravda* and _Izvestiia_.[^src] Then `code` and <b>raw</b>.[^2]

- A list item.[^src]

| A | B[^t] |
|---|---|
| c | d |

[^src]: The *first* source,
    on two lines.

[^2]: Second.
[^t]: In a table.
"""


def test_passages_notes_labels_and_lines():
    essay = read(ESSAY, "essay.md")
    assert essay.title == "The Origins of the Korean War"
    assert [(p.kind, p.text, p.line) for p in essay.passages] == [
        (HEADING, "Part one", 4),
        (BODY, "Read Pravda and Izvestiia. Then code and <b>raw</b>.", 6),  # raw HTML stays literal text
        (BODY, "A list item.", 8),
        (BODY, "A B", 10),
        (BODY, "c d", 12),
    ]
    p = essay.passages[1]
    assert [p.text[a:b] for a, b in p.italics] == ["Pravda", "Izvestiia"]
    got = [(f.number, f.label, f.text, f.passage_id, f.line) for f in essay.footnotes]
    assert got == [(1, "src", "The first source, on two lines.", "p02", 14), (2, None, "Second.", "p02", 17),
                   (3, "t", "In a table.", "p04", 18)]
    # a label cited twice keeps both marks, the note's place is the first
    assert [m.number for p in essay.passages for m in p.markers] == [1, 2, 1, 3]


def test_an_undefined_reference_and_an_unreferenced_definition_are_errors():
    error = refused("Text.[^a] More.[^b]\n\n[^a]: A.\n\n[^c]: Never cited.\n", "essay.md")
    messages = sorted(str(p) for p in error.problems)
    assert any("[^b]" in m and "no definition" in m for m in messages)
    assert any(":5:" in m and "[^c]" in m and "never referenced" in m for m in messages)


def test_markdown_is_found_from_its_content():
    essay = read("Text.[^1]\n\n[^1]: A note.\n", "essay.txt")
    assert essay.footnotes[0].text == "A note."
