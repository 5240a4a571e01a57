"""Dark mode: every highlight the app draws reads (WCAG contrast >= 4.5) in light and dark palettes, the panes
draw with those colours, and a palette changed at run time restyles the open window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from explorer.ui.main_window import MainWindow
from explorer.ui.palette import (
    MIN_CONTRAST,
    ROLES,
    alert,
    caution,
    confirm,
    contrast,
    dark_palette,
    link_colour,
    mark,
    muted,
    readable,
)
from explorer.ui.search_panel import hit_html
from tests.ui.helpers import first_format


def _fusion() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def _breeze_dark() -> QPalette:
    """KDE's Breeze Dark colours: a saturated highlight with white text on it (3.0:1 as the palette gives it)."""
    p = dark_palette()
    for role, colour in ((QPalette.ColorRole.Base, "#1b1e20"), (QPalette.ColorRole.Window, "#2a2e32"),
                         (QPalette.ColorRole.Text, "#fcfcfc"), (QPalette.ColorRole.WindowText, "#fcfcfc"),
                         (QPalette.ColorRole.Highlight, "#3daee9"), (QPalette.ColorRole.HighlightedText, "#fcfcfc"),
                         (QPalette.ColorRole.Link, "#1d99f3")):
        p.setColor(role, QColor(colour))
    return p


def _naive_dark() -> QPalette:
    """Dark base and text set, every other role left as Qt's light defaults (the blue link, the highlight)."""
    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Base, "#101010"), (QPalette.ColorRole.Window, "#202020"),
                         (QPalette.ColorRole.Text, "#f0f0f0"), (QPalette.ColorRole.WindowText, "#f0f0f0"),
                         (QPalette.ColorRole.Link, "#0000ff")):
        p.setColor(role, QColor(colour))
    return p


PALETTES = {"fusion light": _fusion, "dark": dark_palette, "breeze dark": _breeze_dark, "naive dark": _naive_dark}


@pytest.mark.parametrize("name", PALETTES)
def test_every_highlight_and_coloured_text_reads_in_the_palette(qapp, name: str) -> None:
    palette = PALETTES[name]()
    for role in ROLES:
        pair = mark(palette, role)
        assert pair.contrast >= MIN_CONTRAST, (name, role, pair.background.name(), pair.text.name())
    base = palette.color(QPalette.ColorRole.Base)
    for what in (muted, link_colour, alert, caution, confirm):
        assert contrast(what(palette), base) >= MIN_CONTRAST, (name, what.__name__)


def test_a_highlight_is_only_moved_when_it_would_not_read() -> None:
    white, black = QColor("#ffffff"), QColor("#000000")
    kept = readable(QColor("#fff3c4"), black)  # already readable: as given
    assert kept.background == QColor("#fff3c4") and kept.text == black
    moved = readable(QColor("#8ab4f8"), QColor("#e8eaed"))  # light text on a light highlight
    assert moved.contrast >= MIN_CONTRAST and moved.background.lightnessF() < QColor("#8ab4f8").lightnessF()
    # Text on itself: the background goes as far as black or white (every colour reads on one of them).
    grey = readable(QColor("#777777"), QColor("#777777"))
    assert grey.contrast >= MIN_CONTRAST and grey.background in (white, black) and grey.text == QColor("#777777")


@pytest.fixture
def app_palette(qapp) -> Iterator[callable]:
    """Set the application's palette for one test; the one before is put back."""
    before = QPalette(qapp.palette())

    def use(palette: QPalette) -> QPalette:
        qapp.setPalette(palette)
        return qapp.palette()

    yield use
    qapp.setPalette(before)


def _show_everything(qtbot, window: MainWindow) -> str:
    """A search match in the essay, then a note with audit findings and an event it cites, chosen; the timeline
    shown. Returns the event."""
    window.timeline_dock.show()
    window.timeline_dock.raise_()
    panel = window.search_panel
    window.search_action.trigger()
    qtbot.keyClicks(panel.field, "kind:passage Stalin")
    qtbot.waitUntil(lambda: panel.shown_query == "kind:passage Stalin", timeout=5000)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    corpus, findings = window.state.corpus, window.audit_panel.model
    note = next(n for r in range(findings.rowCount()) for n in findings.finding(r).footnotes
                if corpus.events_by_footnote.get(n) and corpus.footnote(n).passage_id == window.state.passage)
    event = corpus.events_by_footnote[note][0]
    window.state.select_event(event)
    window.state.select_footnote(note)
    window.message_bar.show_message("A message for the test.")
    return event


def _check_window(window: MainWindow, palette: QPalette, event: str) -> None:
    """Every highlight the window shows reads, and is the one explorer.ui.palette chose."""
    # The essay: the event's sentence and quote, the note's marker, the search match.
    view = window.passage_pane.view
    text = view.palette().color(QPalette.ColorRole.Text)
    backgrounds = set()
    for selection in view.extraSelections():
        fmt = selection.format
        if fmt.background().style() == Qt.BrushStyle.NoBrush:
            continue  # an underline
        fg = fmt.foreground().color() if fmt.foreground().style() != Qt.BrushStyle.NoBrush else text
        assert contrast(fmt.background().color(), fg) >= MIN_CONTRAST, selection.cursor.selectedText()
        backgrounds.add(fmt.background().color().name())
    expected = {mark(palette, r).background.name() for r in ("sentence", "quote", "note", "search")}
    assert backgrounds == expected
    # A search hit's matched words.
    hit = window.search_panel.hits[0]
    match = mark(palette, "hit")
    assert f"background-color:{match.background.name()}; color:{match.text.name()}" in hit_html(
        hit, match.background.name(), match.text.name())
    # The audit: the chosen note's findings (the panel shares the timeline's place: shown for this).
    window.audit_dock.show()
    window.audit_dock.raise_()
    model = window.audit_panel.model
    tinted = [r for r in range(model.rowCount()) if model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole)]
    assert tinted
    for row in tinted:
        bg = model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole).color()
        fg = model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole).color()
        assert bg == mark(palette, "finding").background and contrast(bg, fg) >= MIN_CONTRAST
    # The cards and the note: links in the palette's link colour, made readable.
    window.document_pane.render_now()
    sheet = window.document_pane.browser.document().defaultStyleSheet()
    assert link_colour(palette).name() in sheet
    # The message bar.
    bar = window.message_bar.palette()
    assert contrast(bar.color(QPalette.ColorRole.Window), bar.color(QPalette.ColorRole.WindowText)) >= MIN_CONTRAST
    # The timeline: the chosen event's bar is filled with the selection's readable colour.
    window.timeline_dock.raise_()
    canvas = window.timeline.canvas
    image = canvas.grab().toImage()
    rect = canvas.event_rect(event)
    assert rect is not None
    ratio = image.devicePixelRatio()
    inside = image.pixelColor(int((rect.left() + 2.5) * ratio), int((rect.top() + 2.5) * ratio))
    assert inside.name() == mark(palette, "selected").background.name()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_window_draws_readable_highlights(qtbot, make_window, default_corpus, app_palette, dark: bool) -> None:
    palette = app_palette(dark_palette() if dark else QPalette(QApplication.palette()))
    window = make_window(default_corpus)
    event = _show_everything(qtbot, window)
    _check_window(window, palette, event)


def test_a_palette_change_at_run_time_restyles_the_open_window(qtbot, make_window, default_corpus, app_palette) -> None:
    window = make_window(default_corpus)
    event = _show_everything(qtbot, window)
    light = window.passage_pane.view.palette()
    _check_window(window, light, event)
    dark = app_palette(dark_palette())
    qtbot.waitUntil(lambda: window.passage_pane.view.palette().color(QPalette.ColorRole.Base) == dark.color(
        QPalette.ColorRole.Base))
    _check_window(window, dark, event)
    assert mark(dark, "search").background != mark(light, "search").background


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_report_viewer_reads_as_its_page_in_either_palette(qtbot, make_window, tiny_corpus, app_palette,
                                                                 dark: bool) -> None:
    """The report's styles are for paper (text #111, light table headings): in a dark palette the viewer once
    drew them on its dark base, unreadable. It shows the page, dark on white, in both."""
    from explorer.core.export.report import FONT_POINTS

    app_palette(dark_palette() if dark else QPalette(QApplication.palette()))
    window = make_window(tiny_corpus)
    window.exports.report_action.trigger()
    viewer = window.exports.viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.isVisible)
    shown = viewer.browser.palette()
    base = shown.color(QPalette.ColorRole.Base)
    assert base == QColor("#ffffff") and contrast(QColor("#111111"), base) >= MIN_CONTRAST
    assert contrast(shown.color(QPalette.ColorRole.Text), base) >= MIN_CONTRAST
    assert contrast(link_colour(shown), base) >= MIN_CONTRAST  # "Note 1" and the documents are links
    document = viewer.browser.document()
    heading, corpus = document.findBlockByNumber(0), document.findBlockByNumber(1)
    assert heading.text().startswith("Citation check") and corpus.text().startswith("Corpus")
    assert first_format(heading).font().pointSizeF() > FONT_POINTS
    text = first_format(corpus).foreground().color()  # the page's own text colour
    assert contrast(text, base) >= MIN_CONTRAST
