"""The field widgets of the record editor: one per kind of field in :data:`explorer.core.loader.RECORD_SCHEMAS`.

Every editor shows a value as it is in the YAML (plain Python data: text,
numbers, lists, small mappings) and gives back what the reader made of it,
without judging it: text that is not a number or not an EDTF date is given
back as text, so that the record's check (``explorer check``'s own rules)
says what is wrong with it, in its own words.

References to other records are typed as ids, helped by a completer that
matches a record's id, its name or title and every other form of its name,
with case and diacritics folded ("shty" and "Štykov" both find Shtykov).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.dates import EdtfError, describe_edtf
from explorer.core.model import Corpus

#: The data role of a completer entry that holds the record's id (what is put in the field).
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: At most this many entries in a completer's list.
MAX_COMPLETIONS = 50
#: Text fields written on several lines.
LONG_TEXT = frozenset({"summary", "note", "searched", "text", "quote", "as_cited", "description"})


def fold(text: str) -> str:
    """*text* in lower case without diacritics, for matching what a reader types ("Štykov" -> "stykov")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Candidate:
    """One record a reference can name: its id, how the completer lists it, and the folded text it matches."""

    id: str
    label: str
    haystack: str


def candidates(corpus: Corpus, kind: str) -> list[Candidate]:
    """The records of *kind* a reference field can name, each with every form of its name."""
    out: list[Candidate] = []
    if kind == "people":
        for p in corpus.people:
            forms = [p.name, *p.spellings, *(f.name for f in p.other_names)]
            out.append(Candidate(p.id, f"{p.name} — {p.id}", fold(" | ".join([*forms, p.id]))))
    elif kind == "places":
        for pl in corpus.places:
            out.append(Candidate(pl.id, f"{pl.name} — {pl.id}", fold(" | ".join([pl.name, *pl.spellings, pl.id]))))
    elif kind == "documents":
        for d in corpus.documents:
            date = d.date.display() if d.date else "undated"
            out.append(Candidate(d.id, f"{d.title} ({date}) — {d.id}", fold(f"{d.title} | {d.id}")))
    elif kind == "sources":
        for s in corpus.sources:
            out.append(Candidate(s.id, f"{s.title} — {s.id}", fold(" | ".join([s.title, *s.authors, s.id]))))
    elif kind == "events":
        for e in corpus.events:
            out.append(Candidate(e.id, f"{e.title} — {e.id}", fold(f"{e.title} | {e.id}")))
    return out


class RecordLookup:
    """The corpus as the form's reference fields read it (through *corpus*, so always the current one),
    with each kind's completer entries made once per corpus, not once per key typed."""

    def __init__(self, corpus: Callable[[], Corpus]) -> None:
        self.corpus = corpus
        self._made: tuple[Corpus, dict[str, list[Candidate]]] | None = None

    def candidates(self, kind: str) -> list[Candidate]:
        corpus = self.corpus()
        if self._made is None or self._made[0] is not corpus:
            self._made = (corpus, {})
        made = self._made[1]
        if kind not in made:
            made[kind] = candidates(corpus, kind)
        return made[kind]

    def name(self, kind: str, record_id: str) -> str | None:
        return record_name(self.corpus(), kind, record_id)


def record_name(corpus: Corpus, kind: str, record_id: str) -> str | None:
    """The name or title of the record *record_id* of *kind*, or None if there is none."""
    tables: dict[str, dict[str, Any]] = {
        "people": corpus.person_by_id, "places": corpus.place_by_id, "documents": corpus.document_by_id,
        "sources": corpus.source_by_id, "events": corpus.event_by_id, "catalog": corpus.catalog_by_id}
    record = tables.get(kind, {}).get(record_id)
    if record is None:
        return None
    return str(getattr(record, "name", None) or getattr(record, "title", None) or record_id)


class FieldEditor(QWidget):
    """One field's editor; ``edited`` whenever the reader changes it."""

    edited = Signal()

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def setAccessibleName(self, name: str) -> None:
        """The field's name, for the field and for the text box in it that a screen reader lands on."""
        super().setAccessibleName(name)
        editor = getattr(self, "editor", None)
        if isinstance(editor, QWidget):
            editor.setAccessibleName(name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _no_margins(layout: QHBoxLayout | QVBoxLayout | QFormLayout) -> None:
    layout.setContentsMargins(0, 0, 0, 0)


class TextField(FieldEditor):
    """Text, on one line or (*long*) several; empty is None."""

    def __init__(self, long: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        _no_margins(layout)
        self.editor: QLineEdit | QPlainTextEdit
        if long:
            self.editor = QPlainTextEdit(self)
            self.editor.setTabChangesFocus(True)
            self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            line = self.editor.fontMetrics().lineSpacing()
            self.editor.setFixedHeight(line * 4 + 12)
            self.editor.textChanged.connect(self.edited)
        else:
            self.editor = QLineEdit(self)
            self.editor.textEdited.connect(self.edited)
        layout.addWidget(self.editor)
        self.setFocusProxy(self.editor)

    def set_value(self, value: Any) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.blockSignals(True)
            self.editor.setPlainText(_text(value))
            self.editor.blockSignals(False)
        else:
            self.editor.setText(_text(value))
            self.editor.setCursorPosition(0)  # a long title shows its start

    def value(self) -> Any:
        text = self.editor.toPlainText() if isinstance(self.editor, QPlainTextEdit) else self.editor.text()
        return text if text.strip() else None


class NumberField(TextField):
    """A whole number; text that is not one is given back as text, for the check to name."""

    def value(self) -> Any:
        text = super().value()
        if text is None:
            return None
        try:
            return int(text.strip())
        except ValueError:
            return text


class ChoiceField(FieldEditor):
    """One of a field's choices (an empty first entry when the field may be left out)."""

    def __init__(self, choices: tuple[str, ...], required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        _no_margins(layout)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        if not required:
            self.combo.addItem("", None)
        for choice in choices:
            self.combo.addItem(choice, choice)
        layout.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(self.edited)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and value is not None:  # a value the schema does not know: shown, for the check to name
            self.combo.addItem(_text(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def value(self) -> Any:
        return self.combo.currentData()


class FlagField(FieldEditor):
    """true or left out (a draft's ``draft: true``)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        _no_margins(layout)
        self.box = QCheckBox(label, self)
        layout.addWidget(self.box)
        self.setFocusProxy(self.box)
        self.box.toggled.connect(self.edited)
        self._other: Any = None  # a value that is neither true nor absent (false, text): kept unless toggled
        self._loaded = False

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(value is True)
        self.box.blockSignals(False)
        self._other = value if value not in (True, None) else None
        self._loaded = self.box.isChecked()

    def value(self) -> Any:
        if self.box.isChecked():
            return True
        return self._other if not self._loaded else None


class DateField(FieldEditor):
    """An EDTF date, with what it means in words underneath as it is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        _no_margins(layout)
        layout.setSpacing(1)
        self.editor = QLineEdit(self)
        self.editor.setPlaceholderText("EDTF, e.g. 1950-03-30/1950-04-25, 1949-08?, 1950-05~")
        self.echo = QLabel(self)
        self.echo.setTextFormat(Qt.TextFormat.PlainText)
        self.echo.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.echo.setWordWrap(True)
        layout.addWidget(self.editor)
        layout.addWidget(self.echo)
        self.setFocusProxy(self.editor)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.textEdited.connect(self.edited)

    def set_value(self, value: Any) -> None:
        if hasattr(value, "isoformat"):  # an unquoted date reads as a date; the corpus means its text
            value = value.isoformat()
        self.editor.setText(_text(value))
        self._on_text_changed(self.editor.text())

    def value(self) -> Any:
        text = self.editor.text().strip()
        return text or None

    def _on_text_changed(self, text: str) -> None:
        try:
            words = describe_edtf(text.strip()) if text.strip() else ""
        except EdtfError:
            words = ""
        self.echo.setText(words)
        self.echo.setVisible(bool(words))


class RecordCompleter(QCompleter):
    """Completes a record's id in a line edit from what the reader types of its id or any of its names.

    It filters itself (the typed text folded, anywhere in a name) and shows
    every match unfiltered; choosing one puts the record's id in the field.
    """

    chosen = Signal(str)

    def __init__(self, editor: QLineEdit, source: Callable[[], list[Candidate]]) -> None:
        super().__init__(editor)
        self._source = source
        self.entries = QStandardItemModel(self)
        self.setModel(self.entries)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompletionRole(ID_ROLE)
        self.setMaxVisibleItems(12)
        self.setWidget(editor)
        self._editor = editor
        editor.textEdited.connect(self._on_text_edited)
        self.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]  # the index overload

    def matches(self, text: str) -> list[Candidate]:
        wanted = fold(text.strip())
        if not wanted:
            return []
        found = [c for c in self._source() if wanted in c.haystack]
        found.sort(key=lambda c: (not c.haystack.startswith(wanted), c.label.casefold()))
        return found[:MAX_COMPLETIONS]

    def _on_text_edited(self, text: str) -> None:
        self.entries.clear()
        for candidate in self.matches(text):
            item = QStandardItem(candidate.label)
            item.setData(candidate.id, ID_ROLE)
            item.setEditable(False)
            self.entries.appendRow(item)
        popup = self.popup()
        if self.entries.rowCount():
            self.complete()
        elif popup is not None:
            popup.hide()

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        record_id = index.data(ID_ROLE)
        if record_id:
            self._editor.setText(str(record_id))
            self.chosen.emit(str(record_id))


class ReferenceField(FieldEditor):
    """The id of a record of another kind, completed from its names; the named record shown beside."""

    def __init__(self, ref: str, lookup: RecordLookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = ref
        self._lookup = lookup
        layout = QVBoxLayout(self)
        _no_margins(layout)
        layout.setSpacing(1)
        self.editor = QLineEdit(self)
        self.editor.setPlaceholderText(f"type a name or an id of {ref}")
        self.completer = RecordCompleter(self.editor, lambda: lookup.candidates(ref))
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.name.setWordWrap(True)
        layout.addWidget(self.editor)
        layout.addWidget(self.name)
        self.setFocusProxy(self.editor)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.textEdited.connect(self.edited)
        self.completer.chosen.connect(self.edited)
        self._on_text_changed("")

    def set_value(self, value: Any) -> None:
        self.editor.setText(_text(value))
        self.editor.setCursorPosition(0)

    def value(self) -> Any:
        text = self.editor.text().strip()
        return text or None

    def _on_text_changed(self, text: str) -> None:
        name = self._lookup.name(self.ref, text.strip()) if text.strip() else None
        self.name.setText(name or "")
        self.name.setVisible(name is not None)


# -- lists ---------------------------------------------------------------------------------------


class MappingForm(FieldEditor):
    """A small mapping inside a record (an archival location, a quote, a translation): a sub-form.

    The keys it was loaded with keep their order and spelling (a quote's
    ``quote:`` stays ``quote:``); a field emptied is left out.
    """

    def __init__(self, fields: list[tuple[str, Callable[[], FieldEditor]]], aliases: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._aliases = aliases or {}  # a key as written -> the field that edits it
        self.fields: dict[str, FieldEditor] = {}
        form = QFormLayout(self)
        form.setContentsMargins(6, 4, 4, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(3)
        for key, make in fields:
            editor = make()
            editor.setParent(self)
            editor.setAccessibleName(key)
            editor.edited.connect(self.edited)
            self.fields[key] = editor
            label = QLabel(key.replace("_", " "), self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(label, editor)
        self._loaded: dict[str, Any] = {}

    def set_value(self, value: Any) -> None:
        self._loaded = dict(value) if isinstance(value, dict) else {}
        by_field = {self._aliases.get(k, k): v for k, v in self._loaded.items()}
        for key, editor in self.fields.items():
            editor.set_value(by_field.get(key))

    def value(self) -> Any:
        out: dict[str, Any] = {}
        written = {self._aliases.get(k, k): k for k in self._loaded}
        for key in self._loaded:  # the loaded keys first, in their order, as they were written
            target = self._aliases.get(key, key)
            if target in self.fields:
                got = self.fields[target].value()
                if got is not None:
                    out[key] = got
            else:
                out[key] = self._loaded[key]  # a key the form does not know: kept, and the check names it
        for key, editor in self.fields.items():
            if key not in written:
                got = editor.value()
                if got is not None:
                    out[key] = got
        return out or None


class ListField(FieldEditor):
    """A list: one row per item, each with its own editor; rows added, removed and moved."""

    def __init__(self, make_row: Callable[[], FieldEditor], noun: str, boxed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_row = make_row
        self._boxed = boxed  # rows of sub-forms get a frame each
        self.noun = noun
        self.rows: list[FieldEditor] = []
        layout = QVBoxLayout(self)
        _no_margins(layout)
        layout.setSpacing(3)
        self._rows_layout = QVBoxLayout()
        _no_margins(self._rows_layout)
        self._rows_layout.setSpacing(3)
        layout.addLayout(self._rows_layout)
        self.add_button = QToolButton(self)
        self.add_button.setText(f"Add {noun}")
        self.add_button.setToolTip(f"Add a {noun} at the end of the list")
        self.add_button.setAccessibleName(f"Add {noun}")
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(self._on_add)
        self._frames: list[QFrame] = []

    def set_value(self, value: Any) -> None:
        while self.rows:
            self._remove(0, emit=False)
        items = value if isinstance(value, list) else ([] if value is None else [value])
        for item in items:
            self._append(item)

    def value(self) -> Any:
        got = [row.value() for row in self.rows]
        return [v for v in got if v is not None]

    def add_row(self) -> FieldEditor:
        """Add an empty row at the end (as the Add button does); returns its editor."""
        row = self._append(None)
        row.setFocus()
        self.edited.emit()
        return row

    def remove_row(self, index: int) -> None:
        self._remove(index, emit=True)

    def move_row(self, index: int, step: int) -> None:
        target = index + step
        if not (0 <= index < len(self.rows) and 0 <= target < len(self.rows)):
            return
        values = [row.value() for row in self.rows]
        values[index], values[target] = values[target], values[index]
        rows = self.rows[:]  # the editors keep what they show; only their values swap
        rows[index].set_value(values[index])
        rows[target].set_value(values[target])
        rows[target].setFocus()
        self.edited.emit()

    def _append(self, item: Any) -> FieldEditor:
        frame = QFrame(self)
        boxed = self._boxed
        if boxed:
            frame.setFrameShape(QFrame.Shape.StyledPanel)
        line = QHBoxLayout(frame)
        _no_margins(line)
        line.setSpacing(2)
        row = self._make_row()
        row.setParent(frame)
        row.set_value(item)
        row.edited.connect(self.edited)
        line.addWidget(row, 1)
        buttons = QVBoxLayout() if boxed else QHBoxLayout()
        _no_margins(buttons)
        buttons.setSpacing(1)
        for text, tip, slot in (("↑", "Move up", lambda: self.move_row(self._index(row), -1)),
                                ("↓", "Move down", lambda: self.move_row(self._index(row), 1)),
                                ("✕", f"Remove this {self.noun}", lambda: self.remove_row(self._index(row)))):
            button = QToolButton(frame)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        if boxed:
            buttons.addStretch(1)
        line.addLayout(buttons)
        self._rows_layout.addWidget(frame)
        self.rows.append(row)
        self._frames.append(frame)
        return row

    def _index(self, row: FieldEditor) -> int:
        return self.rows.index(row)

    def _remove(self, index: int, emit: bool) -> None:
        if not 0 <= index < len(self.rows):
            return
        self.rows.pop(index)
        frame = self._frames.pop(index)
        frame.hide()
        frame.setParent(None)
        frame.deleteLater()
        if emit:
            self.edited.emit()

    def _on_add(self) -> None:
        self.add_row()


# -- one editor per kind of field ---------------------------------------------------------------------


def field_editor(key: str, fld: Any, lookup: RecordLookup) -> FieldEditor:
    """The editor for the field *key* (a loader ``_Field``) of a record."""
    kind = fld.kind
    if kind in ("str", "id"):
        if fld.choices:
            return ChoiceField(fld.choices, fld.required)
        return TextField(long=key in LONG_TEXT)
    if kind == "int":
        return NumberField()
    if kind == "bool":
        return FlagField("a draft, not yet checked" if key == "draft" else key)
    if kind == "edtf":
        return DateField()
    if kind == "ref":
        return ReferenceField(fld.ref, lookup)
    if kind == "ids":
        return ListField(lambda: ReferenceField(fld.ref, lookup), _NOUNS.get(key, "item"))
    if kind == "strs":
        return ListField(lambda: TextField(), _NOUNS.get(key, "item"))
    if kind == "footnotes":
        return ListField(lambda: NumberField(), "note")
    if kind == "quotes":
        return ListField(lambda: MappingForm([("passage", TextField), ("text", lambda: TextField(long=True))],
                                             aliases={"quote": "text"}), "quote", boxed=True)
    if kind == "locations":
        from explorer.core.loader import LOCATION_KEYS  # not imported before the first edit

        return ListField(lambda: MappingForm([(k, _location_field(k)) for k in LOCATION_KEYS]), "location",
                         boxed=True)
    if kind == "publications":
        return ListField(lambda: MappingForm(
            [("source", lambda: ReferenceField("sources", lookup)), ("pages", TextField), ("note", TextField)]),
            "translation", boxed=True)
    if kind == "name_forms":
        return ListField(lambda: MappingForm([("name", TextField), ("source", TextField), ("note", TextField)]),
                         "name form", boxed=True)
    raise ValueError(f"no editor for a field of kind {kind!r}")


def _location_field(key: str) -> Callable[[], FieldEditor]:
    if key == "footnote":
        return NumberField
    return lambda: TextField(long=key in LONG_TEXT)


_NOUNS = {"participants": "participant", "places": "place", "documents": "document", "sources": "source",
          "senders": "sender", "recipients": "recipient", "spellings": "spelling", "authors": "author",
          "editors": "editor", "from": "name", "to": "name"}
