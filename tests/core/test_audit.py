"""The audit: each check fires where it should and nowhere else."""

from __future__ import annotations

import json

import pytest

from explorer.cli import main
from explorer.core.audit import format_findings, run_audit
from explorer.core.loader import load_corpus
from tests.conftest import DEFAULT_CORPUS, TINY_FILES


def _codes(findings, code):
    return [f for f in findings if f.code == code]


@pytest.fixture
def tiny_findings(tiny_corpus_dir):
    return run_audit(load_corpus(tiny_corpus_dir))


def test_tiny_corpus_has_no_date_name_or_location_findings(tiny_findings):
    for code in ("DATE_MISMATCH", "NAME_VARIANT", "LOCATION_DIFFERS", "SAME_FILE", "SECONDARY_ONLY"):
        assert _codes(tiny_findings, code) == [], code


def test_date_mismatch_fires_when_the_document_date_differs(make_corpus):
    docs = TINY_FILES["documents.yaml"].replace('date: "1950-01-30"', 'date: "1950-02-02"')
    (f,) = _codes(run_audit(load_corpus(make_corpus({"documents.yaml": docs}))), "DATE_MISMATCH")
    assert f.footnotes == (2,) and f.passages == ("p02",) and f.documents == ("doc-jan",)
    assert "“30 January 1950”" in f.message and "2 Feb 1950" in f.message


def test_date_mismatch_accepts_the_date_of_what_the_document_reports(make_corpus):
    docs = TINY_FILES["documents.yaml"].replace(
        'date: "1950-01-30"', 'date: "1950-02-02"\n            reports_date: "1950-01-30"')
    assert _codes(run_audit(load_corpus(make_corpus({"documents.yaml": docs}))), "DATE_MISMATCH") == []


def test_dates_inside_quotation_marks_are_not_the_authors_dating(make_corpus, tiny_corpus_dir):
    essay = (tiny_corpus_dir / "essay.txt").read_text(encoding="utf-8").replace(
        "“ready to help him in this matter.”", "“ready to help him on 5 March.”")
    docs = TINY_FILES["documents.yaml"].replace("ready to help him in this matter.", "ready to help him on 5 March.")
    findings = run_audit(load_corpus(make_corpus({"documents.yaml": docs}, essay=essay)))
    assert _codes(findings, "DATE_MISMATCH") == []


def test_name_variant_close_to_a_standard_name(make_corpus, tiny_corpus_dir):
    essay = (tiny_corpus_dir / "essay.txt").read_text(encoding="utf-8").replace(
        "Stalin refused.", "Stalin refused, Shykov wrote.")
    (f,) = _codes(run_audit(load_corpus(make_corpus(essay=essay))), "NAME_VARIANT")
    assert f.severity == "warning" and "“Shykov”" in f.message and "Terentii Shtykov" in f.message
    assert f.passages == ("p01",)


def test_name_variant_romanization_is_info(make_corpus):
    people = TINY_FILES["people.yaml"].rstrip() + "\n" + (
        "          - id: shen\n            name: Shen Zhihua\n            spellings: [Shen Zhi-hua]\n")
    essay_extra = "\nShen Zhi-hua agreed.\n"
    from tests.conftest import TINY_ESSAY

    findings = run_audit(load_corpus(make_corpus({"people.yaml": people}, essay=TINY_ESSAY.replace(
        "\nNote:", essay_extra + "\nNote:"))))
    (f,) = _codes(findings, "NAME_VARIANT")
    assert f.severity == "info" and "“Zhi-hua”" in f.message


def test_untraced_quote(make_corpus, tiny_corpus_dir):
    essay = (tiny_corpus_dir / "essay.txt").read_text(encoding="utf-8").replace(
        "Stalin refused.", "Stalin said “we must not start this war now.”")
    findings = run_audit(load_corpus(make_corpus(essay=essay)))
    (f,) = _codes(findings, "UNTRACED_QUOTE")
    assert f.passages == ("p01",) and "we must not start this war now." in f.message
    # the recorded quote of doc-jan is traced
    assert all("ready to help" not in x.message for x in _codes(findings, "UNTRACED_QUOTE"))


def test_secondary_only(make_corpus):
    docs = TINY_FILES["documents.yaml"].replace(
        "            footnotes: [1]\n", "            footnotes: [1]\n            cited_via: weathersby-1995\n", 1)
    (f,) = _codes(run_audit(load_corpus(make_corpus({"documents.yaml": docs}))), "SECONDARY_ONLY")
    assert f.documents == ("doc-sept",) and f.footnotes == (1,) and f.sources == ("weathersby-1995",)


def test_same_file_in_several_notes_and_document_at_two_locations(make_corpus):
    docs = TINY_FILES["documents.yaml"].replace('delo: "3"', 'delo: "4"')
    findings = run_audit(load_corpus(make_corpus({"documents.yaml": docs})))
    (same,) = _codes(findings, "SAME_FILE")
    assert same.footnotes == (1, 2) and same.details["file"] == "AVPRF:f059a:op5a:d4:p11"
    assert _codes(findings, "LOCATION_DIFFERS") == []
    docs2 = docs.replace('                listy: "92"\n                footnote: 2\n',
                         '                listy: "92"\n                footnote: 2\n'
                         '              - archive: AVPRF\n                fond: "059a"\n                delo: "9"\n')
    (differs,) = _codes(run_audit(load_corpus(make_corpus({"documents.yaml": docs2}, name="d2"))),
                        "LOCATION_DIFFERS")
    assert differs.documents == ("doc-jan",)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "csv"])
def test_formats(tiny_corpus_dir, fmt):
    findings = run_audit(load_corpus(tiny_corpus_dir))
    out = format_findings(findings, fmt)
    if fmt == "json":
        assert isinstance(json.loads(out), list)
    assert out


def test_cli_audit_json_and_strict(tiny_corpus_dir, capsys):
    assert main(["audit", "--format", "json", str(tiny_corpus_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    for row in data:
        assert {"code", "severity", "footnotes", "passages", "message"} <= set(row)
        assert row["severity"] in ("error", "warning", "info")


def test_default_corpus_real_findings():
    findings = run_audit(load_corpus(DEFAULT_CORPUS))
    names = {f.details.get("spelling") for f in _codes(findings, "NAME_VARIANT")}
    assert {"Shykov", "McLean"} <= names
    dates = {f.footnotes for f in _codes(findings, "DATE_MISMATCH")}
    assert (24,) in dates  # "on 20 June" for a telegram of 21 June
    same = [f for f in _codes(findings, "SAME_FILE") if f.details["file"] == "AVPRF:f059a:op5a:d3:p11"]
    assert same and {8, 11} <= set(same[0].footnotes)
