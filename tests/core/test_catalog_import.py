"""Importing catalogue records from CSL-JSON and RIS and matching them to the default corpus's documents."""

from __future__ import annotations

import json

import pytest

from explorer.core.catalog_import import NameIndex, import_catalog, read_catalog_file
from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


def _csl(**item):
    return {"type": "letter", **item}


CSL_ITEMS = [
    # by location: the essay's folios for Shtykov's telegram of 19 January 1950
    _csl(id="luncheon", title="Telegram Shtykov to Vyshinsky on a Luncheon",
         author=[{"family": "Shtykov"}], recipient=[{"family": "Vyshinsky"}],
         issued={"date-parts": [[1950, 1, 19]]}, archive="Wilson Center Digital Archive",
         archive_location="AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 87-91",
         URL="https://digitalarchive.wilsoncenter.org/document/telegram-shtykov-vyshinsky-luncheon"),
    # by location, though the catalogue's sender and date differ: both differences are reported
    _csl(id="directive", title="Politburo Decision to Confirm the Following Directive",
         author=[{"literal": "Politburo"}], issued={"date-parts": [[1949, 9, 24]]},
         archive="Wilson Center Digital Archive",
         archive_location="AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 75-77"),
    # by date and names, through pseudonyms: "Filippov [Stalin]" is Stalin, "Mao-Tse-Tung" Mao
    _csl(id="reply", title="Ciphered Telegram No. 8600", author=[{"literal": "Filippov [Stalin]"}],
         recipient=[{"literal": "Mao-Tse-Tung"}], issued={"date-parts": [[1950, 5, 14]]},
         archive="Wilson Center Digital Archive"),
    # near miss: the same file, the next folios (Shtykov's telegram of 24 March 1950): must not match
    _csl(id="march", title="Telegram, Shtykov to Vyshinskyy", author=[{"family": "Shtykov"}],
         recipient=[{"family": "Vyshinsky"}], issued={"date-parts": [[1950, 3, 24]]},
         archive_location="APRF, Listy 146-147, Fond and Opis not given; and AVPRF, Fond 059a, Opis 5a, "
                          "Delo 3, Papka 11, Listy 96-97."),
    # near miss: a day after Stalin's telegram of 30 January, sender and recipient the other way round
    _csl(id="jan31", title="Ciphered Telegram, Shtykov to Comrade Stalin", author=[{"family": "Shtykov"}],
         recipient=[{"family": "Stalin"}], issued={"date-parts": [[1950, 1, 31]]}),
]


def test_csl_json_entries_match_by_location_then_date_and_names(tmp_path, corpus):
    path = tmp_path / "wcda.json"
    path.write_text(json.dumps(CSL_ITEMS, indent=2), encoding="utf-8")
    result = import_catalog(path, corpus, read_on="2026-11-29")
    by_key = {m.entry.key: m for m in result.matches}
    assert len(result.matches) == len(CSL_ITEMS)  # nothing dropped

    luncheon = by_key["luncheon"]
    assert (luncheon.document, luncheon.method) == ("shtykov-vyshinsky-1950-01-19", "location")
    assert luncheon.differences == ()

    directive = by_key["directive"]
    assert (directive.document, directive.method) == ("tunkin-foreign-ministry-1949-09-14", "location")
    assert any(d.startswith("date: the catalogue has 1949-09-24") for d in directive.differences)

    reply = by_key["reply"]
    assert (reply.document, reply.method) == ("stalin-mao-reply-1950-05", "date-and-names")

    assert by_key["march"].document is None and "no document" in by_key["march"].reason
    assert by_key["jan31"].document is None
    assert {m.entry.key for m in result.unmatched} == {"march", "jan31"}

    records = {r.record_id: r for r in result.records}
    assert set(records) == {"luncheon", "directive", "reply"}
    assert records["luncheon"].catalogue == "Wilson Center Digital Archive"
    assert records["luncheon"].parsed_location[0].listy == "87-91"
    assert records["luncheon"].read_on is not None and records["luncheon"].read_on.text == "2026-11-29"
    assert records["reply"].from_names == ("Filippov [Stalin]",)


# Zotero ends each record with "ER  - " (a trailing space); written here without it, as rispy also reads.
RIS = """\
TY  - PCOMM
ID  - tunkin-0903
TI  - Telegram, Tunkin to Vyshinsky
AU  - Tunkin, G. I.
A2  - Vyshinsky, A. Ia.
DA  - 1949/09/03/
DB  - Wilson Center Digital Archive
AN  - AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138
UR  - https://digitalarchive.wilsoncenter.org/document/tunkin-vyshinsky
ER  -

TY  - PCOMM
ID  - ships
TI  - Ciphered Telegram, Fyn Si to Shtykov
AU  - Fyn Si
A2  - Shtykov, T. F.
DA  - 1950/06/21/
DB  - Wilson Center Digital Archive
ER  -

TY  - PCOMM
ID  - may30
TI  - Cable Nos. 408-410, Shtykov to Vyshinsky (for the Politburo)
AU  - Shtykov, Terenti
A2  - Vyshinsky (for the Politburo)
DA  - 1950/05/30/
DB  - Wilson Center Digital Archive
ER  -
"""


def test_ris_entries_are_read_with_zotero_tags_and_matched(tmp_path, corpus):
    path = tmp_path / "wcda.ris"
    path.write_text(RIS, encoding="utf-8")
    entries = read_catalog_file(path)
    assert [e.line for e in entries] == [1, 12, 21]
    assert entries[0].from_names == ("G. I. Tunkin",) and entries[0].archive == "Wilson Center Digital Archive"
    assert entries[0].date is not None and entries[0].date.text == "1949-09-03"

    result = import_catalog(path, corpus, read_on="2026-11-29")
    by_key = {m.entry.key: m for m in result.matches}
    tunkin = by_key["tunkin-0903"]
    # matched by the location the essay gives, and the catalogue's other sender is reported
    assert (tunkin.document, tunkin.method) == ("shtykov-vyshinsky-1949-09-03", "location")
    assert "sender: the catalogue has G. I. Tunkin, the corpus shtykov" in tunkin.differences
    # two telegrams from Stalin to Shtykov of 21 June: the entry must not be given to either
    ships = by_key["ships"]
    assert ships.document is None
    assert set(ships.candidates) == {"stalin-shtykov-1950-06-21-ships", "stalin-shtykov-1950-06-21-plan"}
    # 30 May is not 29 May: the date does not fit, so it stays unmatched with the reason
    may30 = by_key["may30"]
    assert may30.document is None and "no document" in may30.reason


def test_name_index_reads_pseudonyms_romanisations_and_initials(corpus):
    names = NameIndex(corpus.people)
    assert names.resolve("Cde. Filippov [Stalin]") == {"stalin"}
    assert names.resolve("Fyn Si") == {"stalin"} == names.resolve("Feng Xi")
    assert names.resolve("Pak Heon-yeong") == {"pak-hon-yong"}
    assert names.resolve("T. F. Shtykov") == {"shtykov"}
    assert names.resolve("Kim Du-bong") == set()  # another Kim is not Kim Il Sung


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("bad.json", '[\n  {"id": "a",}\n]', 2, "invalid JSON"),
        ("obj.json", '{"items": []}', 1, "must be a list of items"),
        ("item.json", '[\n  {"id": "a"},\n  "oops"\n]', 3, "must be an object"),
        ("date.json", '[\n  {"id": "a", "issued": {"raw": "sometime"}}\n]', 2, "is not a date"),
        ("names.json", '[\n  {"id": "a", "author": "Shtykov"}\n]', 2, "must be a list of names"),
        ("none.ris", "no records here\n", 1, "no RIS records"),
        ("date.ris", "TY  - PCOMM\nID  - x\nDA  - the spring/\nER  - \n", 1, "is not a date"),
    ],
)
def test_bad_exports_name_file_line_and_reason(tmp_path, corpus, name, text, line, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        import_catalog(path, corpus, read_on="2026-11-29")
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.line == line and message in problem.message


def test_a_ris_record_without_its_end_line_is_refused_not_dropped(tmp_path, corpus):
    path = tmp_path / "cut.ris"
    path.write_text(RIS.replace("ER  -\n\nTY  - PCOMM\nID  - ships", "TY  - PCOMM\nID  - ships", 1),
                    encoding="utf-8")
    with pytest.raises(CorpusError) as info:  # rispy reads the two records run together as one
        read_catalog_file(path)
    assert "3 records" in info.value.problems[0].message and "could be read" in info.value.problems[0].message


def test_csl_json_and_ris_match_the_drafted_documents_of_an_imported_essay(tmp_path):
    """The issue's check: an essay imported as a reader would (its documents drafted from the notes, with
    draft ids and names as the notes spell them) takes catalogue records from CSL-JSON and from RIS."""
    from explorer.core.corpus_new import create_corpus

    folder = tmp_path / "imported"
    create_corpus(DEFAULT_CORPUS / "essay.txt", folder)
    imported = load_corpus(folder)
    assert imported.documents and all(d.draft for d in imported.documents)
    csl = tmp_path / "wcda.json"
    csl.write_text(json.dumps(CSL_ITEMS, indent=2), encoding="utf-8")
    by_key = {m.entry.key: m for m in import_catalog(csl, imported, read_on="2026-11-29").matches}
    luncheon = imported.document_by_id[by_key["luncheon"].document]  # by its archive file and folios
    assert (str(luncheon.date), by_key["luncheon"].method) == ("1950-01-19", "location")
    assert by_key["march"].document is None and by_key["jan31"].document is None  # the near misses stay out
    ris = tmp_path / "wcda.ris"
    ris.write_text(RIS, encoding="utf-8")
    ris_matches = {m.entry.key: m for m in import_catalog(ris, imported, read_on="2026-11-29").matches}
    tunkin = ris_matches["tunkin-0903"]
    assert tunkin.method == "location" and str(imported.document_by_id[tunkin.document].date) == "1949-09-03"
    assert any(d.startswith("sender") for d in tunkin.differences)  # the essay's Shtykov, the catalogue's Tunkin


def test_a_pipe_named_as_a_catalogue_export_is_refused_not_waited_on(tmp_path):
    import os

    from tests.support.blocking import outcome_within

    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    outcome = outcome_within(lambda: read_catalog_file(fifo))
    assert isinstance(outcome, CorpusError) and "not a regular file" in str(outcome)
