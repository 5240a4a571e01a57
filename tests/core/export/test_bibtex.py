"""BibTeX and BibLaTeX: read back with bibtexparser, every CSL field is in the entry."""

from __future__ import annotations

from typing import Any

import bibtexparser
import pytest
from bibtexparser import middlewares

from explorer.core.export import attach_marks, parsed_notes
from explorer.core.export.bibtex import MONTHS, edtf_of, to_bibtex
from explorer.core.export.csl_json import MARKS_FIELD, csl_items, is_document
from explorer.core.export.ris import mark_text
from explorer.core.model import Corpus
from tests.support.export_marks import tiny_marks

# pylatexenc reads \textasciicircum{} as the modifier letter; it is the caret BibTeX prints
_DECODED = str.maketrans({"ˆ": "^"})


def read(text: str) -> tuple[dict[str, dict[str, str]], dict[str, str], dict[str, list[str]]]:
    """(fields by key, entry type by key, name lists by key) as bibtexparser reads the file."""
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    fields = {e.key: {k: str(f.value).translate(_DECODED) for k, f in e.fields_dict.items()} for e in library.entries}
    types = {e.key: e.entry_type for e in library.entries}
    raw = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors()])
    # bibtexparser splits the fields it knows hold names; "recipient" is split here the same way
    names = {f"{e.key}:{k}": (e.fields_dict[k].value.split(" and ") if isinstance(e.fields_dict[k].value, str)
                              else list(e.fields_dict[k].value))
             for e in raw.entries for k in ("author", "editor", "recipient") if k in e.fields_dict}
    return fields, types, names


def _literals(item: dict[str, Any], variable: str) -> list[str]:
    return [n["literal"] for n in item.get(variable, [])]


def check_round_trip(items: list[dict[str, Any]], *, biblatex: bool) -> None:
    fields, types, names = read(to_bibtex(items, biblatex=biblatex))
    assert list(fields) == [i["id"] for i in items]  # keys are the record ids
    for item in items:
        f, key = fields[item["id"]], item["id"]
        assert f["title"] == item["title"]
        for variable in ("author", "editor", "recipient"):
            expected = _literals(item, variable)
            got = names.get(f"{key}:{variable}", [])
            # a document's people are braced whole; publication authors are left to BibTeX
            assert got == ([f"{{{n}}}" for n in expected] if is_document(item) else expected), (key, variable)
        issued = item.get("issued", {})
        if "date-parts" in issued:
            assert f["date"] == edtf_of(issued)
            if not biblatex:
                first = issued["date-parts"][0]
                assert f["year"] == str(first[0])
                assert f.get("month") == (MONTHS[first[1] - 1] if len(first) > 1 else None)
        marks = item.get("custom", {}).get(MARKS_FIELD, [])
        assert f.get("annotation" if biblatex else "annote") == ("; ".join(map(mark_text, marks)) or None)
        assert f.get("url") == item.get("URL")
        if is_document(item):
            assert types[key] == ("unpublished" if "archive" in item else "misc")
            if biblatex:
                assert f.get("library") == (", ".join(filter(None, (item.get("archive"),
                                                                    item.get("archive_location")))) or None)
                assert f.get("location") == item.get("archive-place")
                assert f.get("type") == item.get("genre")
                said = " ".join(f.get(k, "") for k in ("note", "addendum"))
            else:
                said = f.get("note") or f.get("howpublished") or ""
            for variable in ("archive", "archive_location", "archive-place", "container-title", "page", "genre"):
                if variable in item and not (biblatex and variable in ("archive", "archive_location",
                                                                      "archive-place", "genre")):
                    assert item[variable] in said, (key, variable, said)
            if "note" in item:
                assert item["note"].rstrip(".") in said
        else:
            container = f.get("journaltitle") or f.get("journal") or f.get("booktitle") or f.get("maintitle") \
                or f.get("howpublished")
            assert container == item.get("container-title"), key
            assert f.get("pages", "").replace("–", "-") == item.get("page", "").replace("–", "-")
            for field, variable in (("volume", "volume"), ("series", "collection-title"),
                                    ("location" if biblatex else "address", "publisher-place")):
                assert f.get(field) == item.get(variable), (key, variable)


@pytest.mark.parametrize("biblatex", [False, True], ids=["bibtex", "biblatex"])
def test_the_default_corpus_reads_back_with_bibtexparser(default_corpus: Corpus, biblatex: bool) -> None:
    check_round_trip(csl_items(default_corpus), biblatex=biblatex)


@pytest.mark.parametrize("biblatex", [False, True], ids=["bibtex", "biblatex"])
def test_the_tiny_corpus_with_marks_reads_back(tiny: Corpus, biblatex: bool) -> None:
    items = csl_items(tiny, attach_marks(tiny, parsed_notes(tiny), tiny_marks(tiny)).by_record)
    check_round_trip(items, biblatex=biblatex)
    fields, types, _ = read(to_bibtex(items, biblatex=biblatex))
    assert types == {"doc-sept": "unpublished", "doc-jan": "unpublished", "weathersby-1995": "article"}
    if biblatex:
        assert fields["doc-sept"]["library"] == "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138"
    else:
        assert "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138" in fields["doc-sept"]["note"]


def test_tex_special_characters_in_a_corpus_string_cannot_break_out(tiny: Corpus) -> None:
    items = csl_items(tiny)
    hostile = "A } @misc{evil, title={x}} % comment & $math$ #1 _x ~ ^ \\input{/etc/passwd} {"
    items[0]["title"] = hostile
    items[0]["author"] = [{"literal": "Kim } and {Il Sung"}]
    for biblatex in (False, True):
        fields, types, names = read(to_bibtex(items, biblatex=biblatex))
        assert list(types) == ["doc-sept", "doc-jan", "weathersby-1995"]  # no entry smuggled in
        assert fields["doc-sept"]["title"] == hostile
        assert len(names["doc-sept:author"]) == 1


def test_keys_stay_the_same_from_one_export_to_the_next(tiny: Corpus) -> None:
    first = to_bibtex(csl_items(tiny, attach_marks(tiny, parsed_notes(tiny), tiny_marks(tiny)).by_record))
    again = to_bibtex(csl_items(tiny))  # without marks: the entries change, their keys do not
    assert list(read(first)[0]) == list(read(again)[0]) == ["doc-sept", "doc-jan", "weathersby-1995"]
