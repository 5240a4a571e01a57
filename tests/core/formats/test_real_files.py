"""Files made by pandoc and LibreOffice (tests/core/formats/files/README.md) read as the same essay."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.essay import BODY, HEADING
from explorer.core.formats import detect_format, read_essay

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize(("name", "fmt"), [("real.md", "markdown"), ("real-pandoc.docx", "docx"),
                                           ("real-libreoffice.odt", "odt")])
def test_real_files(name, fmt):
    path = FILES / name
    assert detect_format(path) == fmt
    essay = read_essay(path)
    assert essay.title == "A Short Essay on Sources"
    body = [p for p in essay.passages if p.kind == BODY]
    assert [p.text for p in essay.passages if p.kind == HEADING][-1] == "Introduction"
    assert body[0].text == "The archives of the Central Committee hold the record. Scholars read them slowly."
    assert [body[0].text[a:b] for a, b in body[0].italics] == ["Central Committee"]
    assert [(m.number, m.offset) for m in body[0].markers] == [(1, 54), (2, 81)]
    assert [(f.number, f.text) for f in essay.footnotes] == [
        (1, "RGASPI, f. 17, op. 3, d. 1."), (2, "See Pravda, 25 June 1950."), (3, "Ibid., l. 5.")]
    assert essay.footnote(3).passage_id == body[1].id
