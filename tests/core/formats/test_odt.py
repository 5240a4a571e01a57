"""The OpenDocument reader, one small package per case."""

from __future__ import annotations

from explorer.core.essay import BODY, ENDNOTE, FOOTNOTE, HEADING
from tests.support.formats import read, refused
from tests.support.ooxml import odt_bytes, odt_note


def test_footnotes_and_endnotes_numbered_in_order_of_reference():
    text = (f'<text:p>One.{odt_note("ftn0", "First footnote.")} Two.'
            f'{odt_note("edn0", "An endnote.", "endnote", "i")}</text:p>'
            f'<text:p>Three.{odt_note("ftn1", "Second  footnote.", citation="2")}</text:p>')
    essay = read(odt_bytes(text), "essay.odt")
    assert [p.text for p in essay.passages] == ["One. Two.", "Three."]
    got = [(f.number, f.kind, f.label, f.text, f.passage_id, f.offset) for f in essay.footnotes]
    assert got == [(1, FOOTNOTE, None, "First footnote.", "p01", 4), (2, FOOTNOTE, None, "Second footnote.", "p02", 6),
                   (3, ENDNOTE, "i", "An endnote.", "p01", 9)]


def test_a_custom_mark_is_the_label():
    essay = read(odt_bytes(f'<text:p>Thanks.{odt_note("ftn0", "To all.", citation="†", label="†")}</text:p>'),
                 "essay.odt")
    assert essay.footnotes[0].label == "†"


AUTO = ('<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/>'
        '</style:style><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>'
        '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Quotations"/>')
NAMED = ('<style:style style:name="Title" style:family="paragraph"/>'
         '<style:style style:name="Quotations" style:family="paragraph"><style:text-properties '
         'fo:font-style="italic"/></style:style>'
         '<style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/>'
         "</style:style>")


def test_title_headings_italics_from_automatic_and_named_styles():
    text = ('<text:p text:style-name="P1">The Origins</text:p>'
            '<text:h text:outline-level="1">Part one</text:h>'
            '<text:p>Read <text:span text:style-name="T1">Pravda</text:span> and '
            '<text:span text:style-name="Emphasis">Izvestiia</text:span>.'
            f'{odt_note("n1", "N.")}</text:p><text:p text:style-name="P2">Quoted.</text:p>')
    essay = read(odt_bytes(text, AUTO, NAMED), "essay.odt")
    assert essay.title == "The Origins"
    assert [p.kind for p in essay.passages] == [HEADING, HEADING, BODY, BODY]
    p = essay.passages[2]
    assert [p.text[a:b] for a, b in p.italics] == ["Pravda", "Izvestiia"]
    assert essay.passages[3].italics == ((0, 7),)


def test_lists_tables_sections_and_frames_hold_passages():
    text = ('<text:section><text:list><text:list-item><text:p>Item.'
            f'{odt_note("n1", "N1.")}</text:p></text:list-item></text:list></text:section>'
            '<table:table><table:table-row><table:table-cell><text:p>Cell.</text:p></table:table-cell>'
            '</table:table-row></table:table>'
            '<text:p>Frame here<draw:frame><draw:text-box><text:p>In the frame.'
            f'{odt_note("n2", "N2.")}</text:p></draw:text-box></draw:frame> and after.</text:p>')
    essay = read(odt_bytes(text), "essay.odt")
    assert [p.text for p in essay.passages] == ["Item.", "Cell.", "Frame here and after.", "In the frame."]
    assert essay.footnote(2).passage_id == "p04"


def test_spaces_tabs_breaks_tracked_deletions_and_comments():
    text = ('<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>Deleted.</text:p>'
            '</text:deletion></text:changed-region></text:tracked-changes>'
            '<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>d<text:change text:change-id="c1"/>'
            '<office:annotation><text:p>A comment.</text:p></office:annotation>'
            '<text:change-start text:change-id="c2"/> inserted<text:change-end text:change-id="c2"/>'
            f'{odt_note("n1", "N.")}</text:p>')
    essay = read(odt_bytes(text), "essay.odt")
    assert [p.text for p in essay.passages] == ["a b c d inserted"]


def test_an_encrypted_odt_is_refused():
    data = odt_bytes(f'<text:p>A.{odt_note("n1", "N.")}</text:p>',
                     manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1"/>')
    assert "password-protected" in str(refused(data, "essay.odt"))


def test_a_spreadsheet_in_opendocument_is_not_an_essay():
    data = odt_bytes("<text:p>A.</text:p>", mimetype="application/vnd.oasis.opendocument.spreadsheet")
    assert "not a text document" in str(refused(data, "essay.odt"))
