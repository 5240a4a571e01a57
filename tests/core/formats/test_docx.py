"""The Word reader, one small package per thing real Word files contain."""

from __future__ import annotations

from explorer.core.essay import BODY, ENDNOTE, FOOTNOTE, HEADING
from tests.support.formats import read, refused
from tests.support.ooxml import TRANSITIONAL, docx_bytes, note_xml, para, ref, rezip, run

ONE_NOTE = note_xml("footnote", 7, "A note.")


def texts(essay):
    return [p.text for p in essay.passages]


def test_parts_are_found_through_the_relationships_not_fixed_names():
    data = docx_bytes(para(run("Body text."), ref(7)), ONE_NOTE, main="content/main-part.xml")
    essay = read(data)
    assert texts(essay) == ["Body text."]
    (note,) = essay.footnotes
    assert (note.number, note.text, note.passage_id, note.offset) == (1, "A note.", "p01", len("Body text."))


def test_footnotes_then_endnotes_numbered_in_order_of_reference_separators_skipped():
    body = (para(run("One."), ref(12), run(" Two."), ref(3, "endnote"))
            + para(run("Three."), ref(5), run(" Four."), ref(4, "endnote")))
    notes = note_xml("footnote", 5, "Second footnote.") + note_xml("footnote", 12, "First footnote.")
    ends = note_xml("endnote", 4, "Second endnote.") + note_xml("endnote", 3, "First endnote.")
    essay = read(docx_bytes(body, notes, ends))
    got = [(f.number, f.kind, f.label, f.text, f.passage_id) for f in essay.footnotes]
    assert got == [
        (1, FOOTNOTE, None, "First footnote.", "p01"),
        (2, FOOTNOTE, None, "Second footnote.", "p02"),
        (3, ENDNOTE, "i", "First endnote.", "p01"),  # Word numbers endnotes i, ii... by default
        (4, ENDNOTE, "ii", "Second endnote.", "p02"),
    ]
    assert [(m.number, m.offset) for m in essay.passages[0].markers] == [(1, 4), (3, 9)]
    assert "(continued)" not in " ".join(f.text for f in essay.footnotes)  # the continuation notice


def test_endnote_number_format_comes_from_the_settings():
    settings = '<w:endnotePr><w:numFmt w:val="decimal"/></w:endnotePr>'
    essay = read(docx_bytes(para(run("A."), ref(1), run(" B."), ref(2, "endnote")),
                            note_xml("footnote", 1, "F."), note_xml("endnote", 2, "E."), settings=settings))
    assert [(f.number, f.label) for f in essay.footnotes] == [(1, None), (2, "1")]


def test_custom_note_marks_are_labels_and_take_no_number():
    body = para(run("Starred."), ref(2, mark="*"), run(" Numbered."), ref(3))
    notes = note_xml("footnote", 2, "Thanks to the archivists.", mark="*") + note_xml("footnote", 3, "A source.")
    essay = read(docx_bytes(body, notes))
    assert texts(essay) == ["Starred. Numbered."]  # the mark is not text
    got = [(f.number, f.label, f.text) for f in essay.footnotes]
    assert got == [(1, "*", "Thanks to the archivists."), (2, "1", "A source.")]


def test_tables_text_boxes_and_content_controls_hold_passages():
    table = ("<w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr/>" + para(run("In a cell."), ref(1))
             + "</w:tc><w:tc>" + para(run("Next cell.")) + "</w:tc></w:tr></w:tbl>")
    sdt = ("<w:sdt><w:sdtPr><w:alias w:val='Abstract'/></w:sdtPr><w:sdtContent>"
           + para(run("In a control."), ref(2)) + "</w:sdtContent></w:sdt>")
    textbox = ('<w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
               + para(run("In a box."), ref(3)) + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
               "</a:graphic></wp:anchor></w:drawing></w:r>")
    body = table + sdt + para(run("Holds a box."), textbox, run(" After it."))
    notes = "".join(note_xml("footnote", i, f"Note {i}.") for i in (1, 2, 3))
    essay = read(docx_bytes(body, notes))
    assert texts(essay) == ["In a cell.", "Next cell.", "In a control.", "Holds a box. After it.", "In a box."]
    assert [(f.number, f.passage_id) for f in essay.footnotes] == [(1, "p01"), (2, "p03"), (3, "p05")]


def test_runs_nested_in_any_container_at_any_depth():
    nested = run("deep")
    for tag in ("w:ins", "w:bdo", "w:dir", "w:customXml", "w:smartTag", "w:hyperlink"):
        nested = f"<{tag}>{nested}</{tag}>"
    body = para(run("A "), nested, run(" word."),
                "<w:hyperlink><w:smartTag><w:r><w:footnoteReference w:id='1'/></w:r></w:smartTag></w:hyperlink>")
    essay = read(docx_bytes(body, note_xml("footnote", 1, "N.")))
    assert texts(essay) == ["A deep word."]
    assert essay.passages[0].markers[0].offset == len("A deep word.")


def test_fields_keep_their_shown_result_not_their_code():
    simple = '<w:fldSimple w:instr=" REF _Ref1 \\h ">' + run("Table 2") + "</w:fldSimple>"
    complex_ = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>NESTED</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("inner-shown")
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("the archive")
                + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    body = para(run("See "), simple, run(" in "), complex_, run("."), ref(1))
    essay = read(docx_bytes(body, note_xml("footnote", 1, "N.")))
    # the nested field sits in the outer field's code, so its result is not shown either
    assert texts(essay) == ["See Table 2 in the archive."]


def test_alternate_content_reads_the_choice_and_skips_the_fallback():
    box = ("<mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx><w:txbxContent>"
           + para(run("Boxed."), ref(1)) + "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback>"
           "<w:pict><v:textbox><w:txbxContent>" + para(run("Boxed."), ref(1))
           + "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent>")
    essay = read(docx_bytes(para(run("Text."), f"<w:r>{box}</w:r>"), note_xml("footnote", 1, "N.")))
    assert texts(essay) == ["Text.", "Boxed."]  # once, not twice
    assert len(essay.footnotes) == 1


def test_tracked_changes_keep_insertions_and_drop_deletions_and_moves_from():
    body = para(run("Kept "), "<w:ins>" + run("inserted ") + "</w:ins>",
                '<w:del><w:r><w:delText>deleted </w:delText></w:r><w:r><w:footnoteReference w:id="9"/></w:r></w:del>',
                "<w:moveFrom>" + run("moved-away ") + "</w:moveFrom>", "<w:moveTo>" + run("moved-here") + "</w:moveTo>",
                run("."), ref(1))
    essay = read(docx_bytes(body, note_xml("footnote", 1, "N.")))
    assert texts(essay) == ["Kept inserted moved-here."]


def test_tabs_breaks_hyphens_and_symbols():
    body = para("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>"
                "<w:softHyphen/><w:t>e </w:t><w:sym w:font='Symbol' w:char='F061'/><w:sym w:font='Arial' "
                "w:char='2014'/></w:r>", ref(1))
    essay = read(docx_bytes(body, note_xml("footnote", 1, "N.")))
    assert texts(essay) == ["a b c\u2011de α—"]


def test_right_to_left_paragraphs_keep_their_logical_order():
    body = para(run("الحرب الكورية"), ref(1), props="<w:bidi/>") + para(run("מלחמת קוריאה"), props="<w:bidi/>")
    essay = read(docx_bytes(body, note_xml("footnote", 1, "ملاحظة.")))
    assert texts(essay) == ["الحرب الكورية", "מלחמת קוריאה"]
    assert essay.footnotes[0].text == "ملاحظة."


def test_strict_ooxml_namespaces():
    essay = read(docx_bytes(para(run("Strict."), ref(1)), note_xml("footnote", 1, "N."), strict=True))
    assert texts(essay) == ["Strict."] and essay.footnotes[0].text == "N."


def test_a_document_almost_all_tables_is_still_an_essay():
    rows = "".join(f"<w:tr><w:tc>{para(run(f'Row {i}.'), ref(i))}</w:tc><w:tc>{para(run('x'))}</w:tc></w:tr>"
                   for i in range(1, 6))
    essay = read(docx_bytes(f"<w:tbl>{rows}</w:tbl>", "".join(note_xml("footnote", i, f"N{i}.") for i in range(1, 6))))
    assert len(essay.passages) == 10 and len(essay.footnotes) == 5
    assert essay.footnote(5).passage_id == "p09"


STYLES = ('<w:style w:type="paragraph" w:styleId="Titre"><w:name w:val="Title"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Berschrift1"><w:name w:val="heading 1"/>'
          '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:rPr><w:i/></w:rPr></w:style>'
          '<w:style w:type="character" w:styleId="Emph"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>'
          '<w:style w:type="character" w:styleId="Book"><w:name w:val="Book"/><w:basedOn w:val="Emph"/></w:style>')


def test_title_headings_and_italics_are_kept():
    body = (para(run("The Origins"), style="Titre") + para(run("Part one"), style="Berschrift1")
            + para(run("Read "), run("Pravda", italic=True), run(" and "),
                   '<w:r><w:rPr><w:rStyle w:val="Book"/></w:rPr><w:t>Izvestiia</w:t></w:r>',
                   '<w:r><w:rPr><w:i w:val="0"/></w:rPr><w:t>, not</w:t></w:r>', run(" these."), ref(1))
            + para(run("A quoted line."), style="Quote"))
    essay = read(docx_bytes(body, note_xml("footnote", 1, "N."), styles=STYLES))
    assert essay.title == "The Origins"
    assert [p.kind for p in essay.passages] == [HEADING, HEADING, BODY, BODY]
    text = essay.passages[2].text
    assert [text[a:b] for a, b in essay.passages[2].italics] == ["Pravda", "Izvestiia"]
    assert essay.passages[3].italics == ((0, len("A quoted line.")),)
    assert len(essay.body_passages) == 2


def test_a_reference_with_no_note_and_a_note_never_referenced_are_errors():
    error = refused(docx_bytes(para(run("A."), ref(1), run(" B."), ref(2)),
                               note_xml("footnote", 1, "N.") + note_xml("footnote", 3, "Orphan.")))
    messages = [p.message for p in error.problems]
    assert any("footnote 2" in m and "no such note" in m for m in messages)
    assert any("id 3" in m and "never referenced" in m for m in messages)


def test_a_note_with_several_paragraphs_is_one_note():
    note = ('<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> First.</w:t>'
            "</w:r></w:p><w:p><w:r><w:t>Second.</w:t></w:r></w:p></w:footnote>")
    essay = read(docx_bytes(para(run("A."), ref(1)), note))
    assert essay.footnotes[0].text == "First. Second."


def test_a_spreadsheet_is_not_a_word_document():
    data = docx_bytes(para(run("A.")), main="xl/workbook.xml")
    data = rezip(data, {"xl/workbook.xml": f'<workbook xmlns="{TRANSITIONAL}"/>'.encode()})
    assert "not a Word document" in str(refused(data))
