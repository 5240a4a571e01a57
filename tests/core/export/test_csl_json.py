"""CSL-JSON: the items citeproc-py reads and renders in a Chicago notes style, and their fields."""

from __future__ import annotations

import json
from typing import Any

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from explorer.core.dates import parse_edtf
from explorer.core.export import attach_marks, item_ids, parsed_notes
from explorer.core.export.csl_json import MARKS_FIELD, RECORD_FIELD, csl_items, date_variable, to_csl_json
from explorer.core.model import Corpus
from tests.support.export_marks import HERE, ORPHAN_KEY, tiny_marks

STYLE = HERE / "chicago-notes-minimal.csl"


def render(items: list[dict[str, Any]]) -> dict[str, str]:
    """Each item rendered as a note by citeproc-py (``custom`` is CSL 1.0.2's, which it predates)."""
    plain = [{k: v for k, v in item.items() if k != "custom"} for item in items]
    source = CiteProcJSON(plain)  # warnings are errors here: an unknown variable fails the test
    style = CitationStylesStyle(str(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return {key: str(entry) for key, entry in zip(bibliography.keys, bibliography.bibliography(), strict=True)}


def test_every_item_of_the_default_corpus_renders_in_a_chicago_notes_style(default_corpus: Corpus) -> None:
    items = csl_items(default_corpus)
    assert len(items) == len(default_corpus.documents) + len(default_corpus.sources)
    rendered = render(json.loads(to_csl_json(items)))
    assert set(rendered) == {item["id"] for item in items}
    for item in items:
        text = rendered[item["id"]]
        # what each variable holds is in the note the style makes of it
        for variable in ("archive", "archive_location", "archive-place", "container-title", "URL", "genre"):
            if variable in item:
                assert item[variable] in text, (item["id"], variable, text)
        for name in item.get("author", []) + item.get("recipient", []):
            assert name["literal"] in text
        if "issued" in item and "date-parts" in item["issued"]:
            assert str(item["issued"]["date-parts"][0][0]) in text


def test_the_tiny_corpus_reads_back_field_for_field(tiny: Corpus) -> None:
    notes = parsed_notes(tiny)
    marks = attach_marks(tiny, notes, tiny_marks(tiny))
    items = csl_items(tiny, marks.by_record)
    back = json.loads(to_csl_json(items))
    assert back == items
    sept = next(i for i in back if i["id"] == "doc-sept")
    assert sept["type"] == "letter" and sept["genre"] == "Ciphered telegram"
    assert sept["author"] == [{"literal": "Terentii Shtykov"}]
    assert sept["recipient"] == [{"literal": "Andrei Vyshinsky"}]
    assert sept["issued"] == {"date-parts": [[1949, 9, 3]]}
    assert sept["archive"] == "AVPRF" and sept["archive-place"] == "Moscow"
    assert sept["archive_location"] == "Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138"
    assert (sept["container-title"], sept["page"]) == ("To Attack or Not to Attack?", "1-9")
    assert sept["custom"][RECORD_FIELD] == "document"
    assert [m["status"] for m in sept["custom"][MARKS_FIELD]] == ["verified"]
    assert sept["custom"][MARKS_FIELD][0]["who"] == "A. Reader"
    article = next(i for i in back if i["id"] == "weathersby-1995")
    assert article["type"] == "article-journal" and article["custom"][RECORD_FIELD] == "source"
    assert article["container-title"] == "Cold War International History Project Bulletin"
    assert [m["status"] for m in article["custom"][MARKS_FIELD]] == ["disputed"]
    # the mark on a citation the essay no longer has is returned, not lost
    assert [m.key for m in marks.unattached] == [ORPHAN_KEY]


def test_a_document_cited_in_a_publication_says_so_in_note(make_corpus, tmp_path) -> None:
    from explorer.core.loader import load_corpus

    path = make_corpus()
    text = (path / "documents.yaml").read_text(encoding="utf-8")
    (path / "documents.yaml").write_text(text.replace("    footnotes: [2]\n", "    cited_via: weathersby-1995\n"
                                                      "    note: Seen only in the Bulletin.\n    footnotes: [2]\n"),
                                         encoding="utf-8")
    corpus = load_corpus(path)
    jan = next(i for i in csl_items(corpus) if i["id"] == "doc-jan")
    assert jan["note"] == "Cited in Kathryn Weathersby, “To Attack or Not to Attack?”, Cold War International " \
                          "History Project Bulletin (1995). Seen only in the Bulletin."


@pytest.mark.parametrize(("edtf", "expected"), [
    ("1950-01-30", {"date-parts": [[1950, 1, 30]]}),
    ("1950-06", {"date-parts": [[1950, 6]]}),
    ("1950", {"date-parts": [[1950]]}),
    ("1950-03-30/1950-04-25", {"date-parts": [[1950, 3, 30], [1950, 4, 25]]}),
    ("1950-05/1950-06", {"date-parts": [[1950, 5], [1950, 6]]}),
    ("1950-05~", {"date-parts": [[1950, 5]], "circa": True}),
    ("1950?", {"date-parts": [[1950]], "circa": True}),
    ("195X", {"date-parts": [[1950, 1, 1], [1959, 12, 31]]}),  # a library form: given as its bounds
])
def test_edtf_dates_become_date_parts(edtf: str, expected: dict[str, Any]) -> None:
    assert date_variable(parse_edtf(edtf)) == expected


def test_a_source_whose_id_a_document_has_gets_its_own_export_id(make_corpus) -> None:
    from explorer.core.loader import load_corpus

    path = make_corpus()
    for name in ("sources.yaml", "documents.yaml", "events.yaml"):
        text = (path / name).read_text(encoding="utf-8")
        (path / name).write_text(text.replace("weathersby-1995", "doc-jan"), encoding="utf-8")
    corpus = load_corpus(path)
    assert item_ids(corpus) == ({"doc-sept": "doc-sept", "doc-jan": "doc-jan"}, {"doc-jan": "source-doc-jan"})
    ids = [i["id"] for i in csl_items(corpus)]
    assert ids == ["doc-sept", "doc-jan", "source-doc-jan"]
