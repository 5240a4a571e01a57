"""The detail pane's rich text: an event's header and a document, source or person card.

Pure functions from records to HTML; every corpus string passes through
:func:`~explorer.ui.rich_text.esc` or :func:`~explorer.ui.rich_text.link`.
Colours are given in (from the palette), never chosen here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QPalette

from explorer.core.model import CatalogRecord, Corpus, Document, Event, Person, Source
from explorer.core.text import shorten
from explorer.ui.palette import mark
from explorer.ui.rich_text import esc, link, link_css, mix, muted

#: Most events or documents a card lists before saying how many more there are.
LIST_LIMIT = 60
#: A label (unlike a text browser) wraps only between words: a longer word gets a break
#: opportunity every this many characters, so no word from a corpus can widen a pane.
BREAK_EVERY = 24
#: The most of an event's title and summary its header shows; the tooltip has it all.
HEADER_TITLE_LIMIT = 300
HEADER_SUMMARY_LIMIT = 1200
TOOLTIP_LIMIT = 4000
_LONG_RUN = re.compile(rf"\S{{{BREAK_EVERY}}}(?=\S)")


def breakable(text: str) -> str:
    """*text* with a zero-width space after every BREAK_EVERY characters of an unbroken run."""
    return _LONG_RUN.sub(lambda m: m.group(0) + "\u200b", text)


@dataclass(frozen=True, slots=True)
class Colours:
    muted: str
    #: The style-sheet rule for links (:func:`~explorer.ui.rich_text.link_css`).
    links: str
    callout: str
    rule: str
    #: The background of a row where the essay and a catalogue differ (Colours.of takes it from the palette).
    differs: str = "#fff3c4"
    #: The DRAFT badge's words, on the callout.
    callout_text: str = "#555555"

    @classmethod
    def of(cls, palette: QPalette) -> Colours:
        base = palette.color(QPalette.ColorRole.Base)
        return cls(
            muted=muted(palette).name(),
            links=link_css(palette),
            callout=mark(palette, "callout").background.name(),
            rule=mix(palette.color(QPalette.ColorRole.Text), base, 0.18).name(),
            differs=mark(palette, "differs").background.name(),
            callout_text=mark(palette, "callout").text.name(),
        )


def stylesheet(c: Colours, line_px: int) -> str:
    """The card style; *line_px* is the line height, given in pixels because a percentage
    would multiply the face's own, sometimes tall, line height."""
    return f"""
        {c.links}
        h1 {{ font-size: large; font-weight: 600; margin-top: 2px; margin-bottom: 6px; }}
        h2 {{ font-size: small; font-weight: 600; color: {c.muted}; text-transform: uppercase;
             margin-top: 20px; margin-bottom: 5px; }}
        p {{ margin-top: 0px; margin-bottom: 6px; line-height: {line_px}px; }}
        p.kind {{ color: {c.muted}; font-size: small; text-transform: uppercase; margin-bottom: 2px; }}
        p.meta {{ color: {c.muted}; margin-bottom: 10px; }}
        p.short {{ margin-left: 14px; margin-bottom: 10px; }}
        .muted {{ color: {c.muted}; }}
        td.label {{ color: {c.muted}; padding-right: 12px; }}
        td {{ padding-bottom: 3px; }}
        td.mark {{ font-size: small; }}
        p.quote {{ margin-left: 14px; margin-right: 10px; margin-bottom: 10px; font-style: italic; }}
        p.item {{ margin-bottom: 4px; }}
        span.draft {{ background-color: {c.callout}; color: {c.callout_text}; font-weight: 600; }}
    """


#: The badge on a drafted record's card (made from the essay's notes on import, not yet checked).
DRAFT_BADGE = '&nbsp; <span class="draft">&nbsp;DRAFT&nbsp;</span>'
#: The mark after a drafted record's name in a list.
DRAFT_MARK = ' <span class="muted"><i>(draft)</i></span>'


def _kind(kind: str, draft: bool) -> str:
    """A card's first line: the record's kind, and the draft badge."""
    return f'<p class="kind">{esc(kind_label(kind))}{DRAFT_BADGE if draft else ""}</p>'


# -- small pieces ----------------------------------------------------------------------


def _people(corpus: Corpus, ids: tuple[str, ...]) -> str:
    return ", ".join(
        link("person", p, corpus.person_by_id[p].name) if p in corpus.person_by_id else esc(p) for p in ids
    )


def _notes(numbers: tuple[int, ...]) -> str:
    return ", ".join(link("fn", n, str(n)) for n in sorted(numbers))


def _paragraph_label(corpus: Corpus, passage_id: str) -> str:
    passage = corpus.passage(passage_id)
    return f"¶ {passage.index + 1}" if passage else passage_id


def _event_items(corpus: Corpus, ids: tuple[str, ...] | list[str], c: Colours) -> str:
    rows = []
    for event_id in list(ids)[:LIST_LIMIT]:
        event = corpus.event_by_id[event_id]
        rows.append(
            f'<p class="item"><span class="muted">{esc(event.display_date())}</span>&nbsp;&nbsp;'
            f"{link('event', event.id, event.title)}{DRAFT_MARK if event.draft else ''}</p>"
        )
    if len(ids) > LIST_LIMIT:
        rows.append(f'<p class="muted">and {len(ids) - LIST_LIMIT:,} more</p>')
    return "".join(rows)


def _document_items(corpus: Corpus, ids: tuple[str, ...], c: Colours) -> str:
    rows = []
    for document_id in ids[:LIST_LIMIT]:
        doc = corpus.document_by_id[document_id]
        date = f'<span class="muted">{esc(doc.date.display())}</span>&nbsp;&nbsp;' if doc.date else ""
        rows.append(f'<p class="item">{date}{link("doc", doc.id, doc.title)}{DRAFT_MARK if doc.draft else ""}</p>')
    if len(ids) > LIST_LIMIT:
        rows.append(f'<p class="muted">and {len(ids) - LIST_LIMIT:,} more</p>')
    return "".join(rows)


def kind_label(kind: str) -> str:
    return kind.replace("-", " ")


def source_reference(source: Source, linked: bool = False) -> str:
    """A source as a note gives it, as HTML: Author, “Title,” <i>Journal</i> 5 (1995): 1-9;
    *linked* makes the title a link to the source's own card."""
    names = ", ".join(source.authors) or (", ".join(source.editors) + (" (ed.)" if source.editors else ""))
    quoted = source.type in ("chapter", "article", "bulletin-article", "working-paper", "website")
    rest = []
    if source.container:
        container = f"<i>{esc(source.container)}</i>"
        for label, value in (("", source.volume), ("no. ", source.issue or source.number)):
            if value:
                container += f" {esc(label)}{esc(value)}"
        rest.append(("in " if source.type == "chapter" else "") + container)
    elif source.series:
        rest.append(esc(source.series) + (f" {esc(source.number)}" if source.number else ""))
    imprint = ": ".join(esc(x) for x in (source.place, source.publisher) if x)
    when = esc(source.date or source.year or "")
    if imprint or when:
        rest.append(f"({', '.join(x for x in (imprint, when) if x)})")
    if quoted:
        comma = "," if rest and not source.title.endswith(("?", "!", ".")) else ""
        title = f"“{esc(source.title)}{comma}”"
    else:
        title = f"<i>{esc(source.title)}</i>"
    if linked:
        title = f'<a href="source:{esc(source.id)}">{title}</a>'
    text = f"{esc(names)}, {title}" if names else title
    if rest:
        text += " " + " ".join(rest)
    if source.pages:
        text += f": {esc(source.pages)}"
    return text


# -- the cards ---------------------------------------------------------------------------


def event_header(corpus: Corpus, event: Event, c: Colours) -> str:
    """The header above the detail pane (a label: long words get breaks, long text is cut;
    :func:`event_header_tooltip` has it whole)."""
    title = breakable(shorten(event.title, HEADER_TITLE_LIMIT))
    summary = breakable(shorten(event.summary, HEADER_SUMMARY_LIMIT))
    parts = [
        f"<style>{c.links}</style>",
        f'<p style="color:{c.muted}; font-size:small; text-transform:uppercase; margin:0">'
        f"{esc(breakable(event.display_date()))}"
        + (f'&nbsp; <span style="background-color:{c.callout}; color:{c.callout_text}; font-weight:600">'
           "&nbsp;DRAFT&nbsp;</span>" if event.draft else "") + "</p>",
        f'<p style="font-size:large; font-weight:600; margin-top:2px; margin-bottom:4px">{esc(title)}</p>',
        f'<p style="margin:0 0 4px 0; line-height:130%">{esc(summary)}</p>',
    ]
    facts = []
    if event.participants:
        people = ", ".join(
            link("person", p, breakable(shorten(corpus.person_by_id[p].name, HEADER_TITLE_LIMIT)))
            if p in corpus.person_by_id else esc(breakable(p)) for p in event.participants)
        facts.append(f'<span style="color:{c.muted}">With</span> {people}')
    if event.places:
        places = ", ".join(
            esc(breakable(shorten(corpus.place_by_id[p].name if p in corpus.place_by_id else p, HEADER_TITLE_LIMIT)))
            for p in event.places)
        facts.append(f'<span style="color:{c.muted}">In</span> {places}')
    if facts:
        parts.append(f'<p style="margin:0">{" &nbsp;·&nbsp; ".join(facts)}</p>')
    return "".join(parts)


def event_header_tooltip(event: Event) -> str:
    """The header's tooltip: the title and summary whole (up to a limit), wrapping anywhere."""
    text = shorten(f"{event.title}\n\n{event.summary}".strip(), TOOLTIP_LIMIT)
    return f"<p>{esc(breakable(text))}</p>".replace("\n", "<br>")


def document_card(corpus: Corpus, doc: Document, current_event: str | None, c: Colours) -> str:
    out = [_kind(doc.kind, doc.draft), f"<h1>{esc(doc.title)}</h1>"]
    meta = [esc(doc.date.display())] if doc.date else ["undated"]
    if doc.reports_date and doc.reports_date != doc.date:
        meta.append(f"reporting {esc(doc.reports_date.display())}")
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    rows = [(label, _people(corpus, ids)) for label, ids in (("From", doc.senders), ("To", doc.recipients)) if ids]
    if rows:
        out.append("<table cellspacing=0 cellpadding=0>" + "".join(
            f'<tr><td class="label">{label}</td><td>{value}</td></tr>' for label, value in rows) + "</table>")
    if doc.summary:
        out.append(f"<p>{esc(doc.summary)}</p>")

    if doc.locations:
        out.append("<h2>Archival location</h2>")
        # The same file cited in two notes is one location with two notes.
        notes_of: dict[str, list[int]] = {}
        for loc in doc.locations:
            notes_of.setdefault(loc.full(), []).extend([loc.footnote] if loc.footnote else [])
        for loc in doc.locations:
            if loc.full() not in notes_of:
                continue
            numbers = tuple(notes_of[loc.full()])
            label = "note" if len(numbers) == 1 else "notes"
            note = f' <span class="muted">· {label}</span> {_notes(numbers)}' if numbers else ""
            out.append(f"<p>{esc(loc.full())}{note}</p>")
            out.append(f'<p class="short"><span class="muted">Cite as</span>&nbsp; {esc(loc.short())}</p>')
            del notes_of[loc.full()]
    if doc.translations:
        out.append("<h2>Published translation</h2>")
        for pub in doc.translations:
            source = corpus.source_by_id.get(pub.source)
            text = source_reference(source, linked=True) if source else esc(pub.source)
            pages = f", pp. {esc(pub.pages)}" if pub.pages and not (source and source.pages == pub.pages) else ""
            out.append(f"<p>{text}{pages}</p>")
            if pub.note:
                out.append(f'<p class="muted">{esc(pub.note)}</p>')

    out.append("<h2>How the essay cites it</h2>")
    if doc.cited_via:
        source = corpus.source_by_id.get(doc.cited_via)
        via = link("source", doc.cited_via, source.title) if source else esc(doc.cited_via)
        out.append(
            f'<table width="100%" cellpadding=8 cellspacing=0 bgcolor="{c.callout}"><tr><td>'
            f"Only through a secondary work: {via}. The essay does not cite the archive directly.</td></tr></table>"
        )
    else:
        out.append("<p>Directly.</p>")
    if doc.footnotes:
        label = "Note" if len(doc.footnotes) == 1 else "Notes"
        out.append(f'<p><span class="muted">{label}</span>&nbsp; {_notes(doc.footnotes)}</p>')

    if doc.quotes:
        out.append("<h2>Quoted in the essay</h2>")
        for quote in doc.quotes:
            where = link("passage", quote.passage, _paragraph_label(corpus, quote.passage))
            out.append(f'<p class="quote">“{esc(quote.text)}” <span style="font-style:normal">{where}</span></p>')
    others = [e for e in corpus.events_by_document.get(doc.id, ()) if e != current_event]
    if others:
        out.append("<h2>Also evidences</h2>" + _event_items(corpus, others, c))
    if doc.note:
        out.append(f'<h2>Note</h2><p>{esc(doc.note)}</p>')
    out.extend(catalogue_section(corpus, doc, record, c)
               for record in (corpus.catalog_by_id[r] for r in corpus.catalog_by_document.get(doc.id, ())))
    return "".join(out)


#: The rows of "As cited / As catalogued": (label, the field's name in record_differences).
CATALOGUE_ROWS = (("Sender", "sender"), ("Recipient", "recipient"), ("Date", "date"),
                  ("Archival location", "location"), ("Title", "title"))
NOT_GIVEN = "—"


def _people_names(corpus: Corpus, ids: tuple[str, ...]) -> str:
    return "; ".join(corpus.person_by_id[p].name if p in corpus.person_by_id else p for p in ids)


def _as_cited(corpus: Corpus, doc: Document) -> dict[str, str]:
    return {
        "sender": _people_names(corpus, doc.senders),
        "recipient": _people_names(corpus, doc.recipients),
        "date": doc.date.display() if doc.date else "",
        "location": "; ".join(dict.fromkeys(loc.short() for loc in doc.locations)),
        "title": doc.title,
    }


def _as_catalogued(record: CatalogRecord) -> dict[str, str]:
    return {
        "sender": "; ".join(record.from_names),
        "recipient": "; ".join(record.to_names),
        "date": record.date.display() if record.date else "",
        "location": record.location or "; ".join(loc.short() for loc in record.parsed_location),
        "title": record.title or "",
    }


def _web_link(url: str) -> str:
    """An http(s) address as a link (the pane opens it in the system browser on a click); anything else as text."""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}">{esc(breakable(url))}</a>'
    return esc(url)


def catalogue_section(corpus: Corpus, doc: Document, record: CatalogRecord, c: Colours) -> str:
    """"As cited / As catalogued": the essay's sender, recipient, date, location and title beside
    the catalogue record's, each differing row tinted and marked "differs" in words; a record not
    found says what was searched."""
    out = [f"<h2>As cited / As catalogued · {esc(record.catalogue)}</h2>"]
    ident = f"record {esc(record.record_id)}" if record.record_id else "no record id"
    if record.catalog_status != "found":
        what = ("Not found in the catalogue" if record.catalog_status == "not-found"
                else f"Catalogue status: {esc(record.catalog_status)}")
        out.append(f'<p class="meta">{what} <span class="muted">(entry {esc(record.id)})</span>.</p>')
        if record.searched:
            out.append(f'<p><span class="muted">Searched</span>&nbsp; {esc(record.searched)}</p>')
        if record.note:
            out.append(f"<p>{esc(record.note)}</p>")
        return "".join(out)
    from explorer.core.audit.catalog import record_differences  # a document with a catalogue record only

    differing = {d["field"] for d in record_differences(corpus, doc, record)}
    cited, catalogued = _as_cited(corpus, doc), _as_catalogued(record)
    rows = ['<tr><td class="label"></td><td class="label"><b>As cited</b></td>'
            '<td class="label"><b>As catalogued</b></td><td></td></tr>']
    for label, field in CATALOGUE_ROWS:
        if not cited[field] and not catalogued[field]:
            continue
        differs = field in differing
        shade = f' bgcolor="{c.differs}"' if differs else ""
        mark = "<b>differs</b>" if differs else ""
        rows.append(f'<tr><td class="label"{shade}>{esc(label)}</td>'
                    f"<td{shade}>{esc(cited[field] or NOT_GIVEN)}</td>"
                    f"<td{shade}>{esc(catalogued[field] or NOT_GIVEN)}</td>"
                    f'<td class="mark"{shade}>{mark}</td></tr>')
    out.append('<table width="100%" cellspacing=0 cellpadding=3>' + "".join(rows) + "</table>")
    where = _web_link(record.url) if record.url else '<span class="muted">no address recorded</span>'
    read = f' <span class="muted">· read {esc(record.read_on.display())}</span>' if record.read_on else ""
    out.append(f'<p><span class="muted">{esc(record.catalogue)}, {ident}</span>&nbsp; {where}{read}</p>')
    if not differing:
        out.append('<p class="muted">The catalogue agrees with the essay on every field compared.</p>')
    if record.note:
        out.append(f'<p class="muted">{esc(record.note)}</p>')
    return "".join(out)


def source_card(corpus: Corpus, source: Source, c: Colours) -> str:
    out = [_kind(source.type, source.draft), f"<h1>{esc(source.title)}</h1>",
           f"<p>{source_reference(source)}</p>"]
    if source.url:
        out.append(f'<p><span class="muted">Online</span>&nbsp; {esc(source.url)}</p>')
    if source.note:
        out.append(f"<p>{esc(source.note)}</p>")
    if source.footnotes:
        label = "Cited in note" if len(source.footnotes) == 1 else "Cited in notes"
        out.append(f'<p><span class="muted">{label}</span>&nbsp; {_notes(source.footnotes)}</p>')
    documents = corpus.documents_by_source.get(source.id, ())
    if documents:
        out.append("<h2>Documents it publishes or relays</h2>" + _document_items(corpus, documents, c))
    events = corpus.events_by_source.get(source.id, ())
    if events:
        out.append("<h2>Events it evidences</h2>" + _event_items(corpus, events, c))
    return "".join(out)


def person_card(corpus: Corpus, person: Person, c: Colours) -> str:
    out = [_kind(person.kind, person.draft), f"<h1>{esc(person.name)}</h1>"]
    if person.role:
        out.append(f"<p>{esc(person.role)}</p>")
    others = [s for s in person.spellings if s != person.name]
    if others:
        out.append(f'<p><span class="muted">In the essay as</span>&nbsp; {esc(", ".join(others))}</p>')
    if person.note:
        out.append(f"<p>{esc(person.note)}</p>")
    events = corpus.events_by_person.get(person.id, ())
    if events:
        out.append("<h2>Takes part in</h2>" + _event_items(corpus, events, c))
    documents = corpus.documents_by_person.get(person.id, ())
    if documents:
        out.append("<h2>Sends or receives</h2>" + _document_items(corpus, documents, c))
    return "".join(out)


def no_document_card(corpus: Corpus, event: Event | None, c: Colours) -> str:
    if event is None:
        return ('<p class="meta">Choose an event on the left, a footnote in the essay, '
                "or a sentence that narrates an event.</p>")
    paragraphs = dict.fromkeys(q.passage for q in event.passages)
    where = ", ".join(link("passage", p, _paragraph_label(corpus, p)) for p in paragraphs)
    narrated = f'<p><span class="muted">The essay narrates it in</span> {where}.</p>' if where else ""
    return '<p class="meta">The corpus records no document or source for this event.</p>' + narrated
