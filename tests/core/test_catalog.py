"""Catalogue records (catalog.yaml): loading, validation and the default corpus's records."""

from __future__ import annotations

import pytest

from explorer.core.corpus_cache import open_corpus
from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS

GOOD = """\
catalog:
  - id: cat-sept
    document: doc-sept
    catalogue: Wilson Center Digital Archive
    catalog_status: found
    record_id: "112129"
    url: "https://digitalarchive.wilsoncenter.org/document/112129"
    title: "Telegram, Tunkin to Vyshinsky"
    date: "1949-09-03"
    from: [Tunkin]
    to: [Vyshinsky]
    location: "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 46-47"
    parsed_location:
      - {archive: AVPRF, fond: "059a", opis: "5a", delo: "3", papka: "11", listy: "46-47"}
    published_in: "CWIHP Bulletin 5"
    read_on: "2026-11-29"
  - id: cat-jan
    document: doc-jan
    catalogue: Wilson Center Digital Archive
    catalog_status: not-found
    searched: "Stalin to Shtykov, 30 January 1950"
    read_on: "2026-11-29"
"""


def _problems(path):
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    return info.value.problems


def test_catalog_records_load_with_an_index_by_document(make_corpus):
    corpus = load_corpus(make_corpus({"catalog.yaml": GOOD}))
    assert [c.id for c in corpus.catalog] == ["cat-sept", "cat-jan"]
    assert corpus.catalog_by_document == {"doc-sept": ("cat-sept",), "doc-jan": ("cat-jan",)}
    record = corpus.catalog_by_id["cat-sept"]
    assert record.from_names == ("Tunkin",) and record.to_names == ("Vyshinsky",)
    assert record.date is not None and record.date.text == "1949-09-03"
    assert record.parsed_location[0].key == "AVPRF:f059a:op5a:d3:p11"
    assert corpus.catalog_by_id["cat-jan"].searched == "Stalin to Shtykov, 30 January 1950"


def test_a_corpus_without_catalog_yaml_has_no_records(tiny_corpus_dir):
    corpus = load_corpus(tiny_corpus_dir)
    assert corpus.catalog == () and corpus.catalog_by_document == {}


def test_bad_catalog_records_name_file_line_and_reason(make_corpus):
    bad = """\
catalog:
  - id: a
    document: no-such-doc
    catalogue: WCDA
    catalog_status: found
    title: T
  - id: b
    document: doc-jan
    catalogue: WCDA
    catalog_status: lost
  - id: c
    document: doc-jan
    catalogue: WCDA
    catalog_status: found
    date: "30 Jan 1950"
    frm: [Stalin]
  - id: d
    document: doc-jan
    catalogue: WCDA
    catalog_status: not-found
  - id: d
    document: doc-sept
    catalogue: WCDA
    catalog_status: not-applicable
"""
    problems = [p for p in _problems(make_corpus({"catalog.yaml": bad})) if p.file.endswith("catalog.yaml")]
    got = {(p.line, p.key): p.message for p in problems}
    assert "'no-such-doc' is not an id in documents.yaml" in got[(3, "document")]
    assert "'lost' is not one of" in got[(10, "catalog_status")]
    assert "invalid EDTF date" in got[(15, "date")]
    assert "unknown key 'frm'" in got[(16, "frm")]
    assert "does not give the catalogue's 'title'" in got[(11, "catalog_status")]
    assert "does not say what was 'searched'" in got[(17, "catalog_status")]
    assert "duplicate id 'd' (first at line 17)" in got[(21, "id")]


def test_catalog_yaml_must_hold_a_records_list(make_corpus):
    problems = _problems(make_corpus({"catalog.yaml": "entries: []\n"}))
    assert any(p.file.endswith("catalog.yaml") and p.line == 1 and "unknown top-level key 'entries'" in p.message
               for p in problems)


def test_the_corpus_cache_keeps_catalog_records_and_other_names(make_corpus, tmp_path):
    people = """\
people:
  - id: stalin
    name: Joseph Stalin
    spellings: [Stalin]
    other_names:
      - {name: Filippov, source: Wilson Center Digital Archive, note: pseudonym}
  - id: kim
    name: Kim Il Sung
    spellings: [Kim]
  - id: shtykov
    name: Terentii Shtykov
    spellings: [Shtykov]
  - id: vyshinsky
    name: Andrei Vyshinsky
    spellings: [Vyshinsky]
"""
    path = make_corpus({"catalog.yaml": GOOD, "people.yaml": people})
    first = open_corpus(path, tmp_path / "cache")
    second = open_corpus(path, tmp_path / "cache")  # a hit rebuilds the records from the compiled file
    assert (first.outcome, second.outcome) == ("compiled", "hit")
    assert second.corpus.catalog == first.corpus.catalog == load_corpus(path).catalog
    assert len(second.corpus.catalog) == 2
    assert second.corpus.person_by_id["stalin"].name_forms() == ("Joseph Stalin", "Stalin", "Filippov")


def test_default_corpus_has_a_catalogue_entry_for_every_document():
    corpus = load_corpus(DEFAULT_CORPUS)
    missing = [d.id for d in corpus.documents if d.id not in corpus.catalog_by_document]
    assert missing == []
    for record in corpus.catalog:
        assert record.read_on is not None and record.read_on.text == "2026-11-29", record.id
        if record.catalog_status == "found":
            assert record.title, record.id
            assert record.url is None or record.url.startswith("https://"), record.id
        else:
            assert record.searched, record.id
    found = {r.document for r in corpus.catalog if r.catalog_status == "found"}
    assert "shtykov-vyshinsky-1950-01-19" in found and "shtykov-stalin-1950-05-29" in found


def test_default_corpus_other_names_name_one_person_each_and_say_where_from():
    corpus = load_corpus(DEFAULT_CORPUS)
    owner: dict[str, str] = {}
    for person in corpus.people:
        for form in person.name_forms():
            assert owner.setdefault(form.casefold(), person.id) == person.id, (form, person.id)
        for other in person.other_names:
            assert other.source and other.note, (person.id, other.name)
    stalin = corpus.person_by_id["stalin"]
    assert {"Filippov", "Feng Xi", "Fyn-Si"} <= {f.name for f in stalin.other_names}


def test_a_person_with_other_names_is_written_back_as_the_loader_reads_it(make_corpus):
    import yaml

    from explorer.core.drafting.records import record_to_yaml

    stalin = load_corpus(DEFAULT_CORPUS).person_by_id["stalin"]
    people = yaml.safe_dump({"people": [record_to_yaml(stalin)]}, allow_unicode=True)  # a re-import writes so
    path = make_corpus({"people.yaml": people, "events.yaml": "events: []\n", "documents.yaml": "documents: []\n"})
    assert load_corpus(path).person_by_id["stalin"] == stalin
