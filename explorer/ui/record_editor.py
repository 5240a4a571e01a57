"""The record editor: a form for any record of the corpus, in a dock ("Edit Record").

The form is built from :data:`explorer.core.loader.RECORD_SCHEMAS`, so every
field the model has is there, with an editor for its kind
(:mod:`explorer.ui.record_fields`). As the reader types, the record as it
would be is checked with ``explorer check``'s own rules
(:func:`explorer.core.loader.validate_record`, with the corpus's ids and
essay), and each message is shown under its field; Apply stays disabled while
any is shown. Apply makes one undoable edit of every changed field
(a :class:`Composite` of :class:`SetField`, "Edit <record>") through the
window's :class:`EditSession`; Revert forgets the form's changes.

The form follows the selection (asking first when it holds changes not
applied) and reads its record again after an undo or redo changed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import CorpusError, Problem
from explorer.core.model import Corpus
from explorer.core.selection import Selection
from explorer.ui.editing import EditSession
from explorer.ui.record_fields import FieldEditor, RecordLookup, field_editor, record_name
from explorer.ui.rich_text import alert, tooltip
from explorer.ui.state import ExplorerState

if TYPE_CHECKING:
    from explorer.core.corpus_edit import Edit
    from explorer.ui.main_window import MainWindow

#: The kinds the editor follows in the selection, with the Selection field of each, in the order offered.
FOLLOWED = (("events", "event"), ("documents", "document"), ("people", "person"), ("sources", "source"))
#: The editor's narrowest width, and its share of the window's width when first shown.
EDITOR_MIN_WIDTH = 340
#: The space (px) between the fields and the form's right edge (its scroll bar).
FORM_RIGHT_MARGIN = 6
EDITOR_WIDTH_SHARE = 0.34
#: Which of the selected records the editor opens when it is not told: the document pane's card first.
SHOWN_FIRST = {"people": 0, "documents": 1, "sources": 2, "events": 3}
KIND_NOUNS = {"events": "Event", "documents": "Document", "people": "Person", "sources": "Source",
              "places": "Place", "catalog": "Catalogue record"}
#: The keys inside a list field's items, for a problem the check names by such a key (and the locations':
#: explorer.core.loader.LOCATION_KEYS, taken when needed, as the loader is not imported before the first edit).
_ITEM_KEYS = {"quotes": ("passage", "text", "quote"),
              "publications": ("source", "pages", "note"), "name_forms": ("name", "source", "note")}
#: How long after the window opens a corpus with drafts has its files read for editing (in the background).
PREPARE_AFTER_MS = 1000
#: The kinds of record (Corpus fields) an import drafts.
DRAFTED = ("events", "documents", "people", "sources", "places")
#: How a mark's key names the corpus document its citation is linked to (explorer.core.verification.mark_key).
#: The status bar's words while the files are read for editing.
PREPARING = "Preparing to edit…"
#: What the reader chose when asked about changes not applied.
APPLY, DISCARD, KEEP = "apply", "discard", "keep"


def plain_data(value: Any) -> Any:
    """Round-trip YAML (ruamel's maps, lists, quoted strings, dates) as plain Python data."""
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class RecordEditor(QWidget):
    """The form for one record of the corpus, editing through the window's edit session."""

    #: (kind, id) of the record now shown ("" and "" for none).
    record_loaded = Signal(str, str)

    def __init__(self, state: ExplorerState, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._session = session
        self.kind = ""
        self.record_id = ""
        self.fields: dict[str, FieldEditor] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self.problems: list[Problem] = []
        self._original: dict[str, Any] = {}
        self._loaded: dict[str, Any] = {}
        self._ids_cache: tuple[Corpus, dict[str, list[str]]] | None = None
        self.following = False
        self._lookup = RecordLookup(lambda: self._state.corpus)
        self._id_field = QLineEdit(self)  # replaced by the form's own
        self._id_field.hide()
        self.rename_button = QPushButton(self)  # replaced by the form's own
        self.rename_button.hide()
        self.rename_dialog: QInputDialog | None = None
        #: Asked before the form's changes would be lost: returns APPLY, DISCARD or KEEP (tests replace it).
        self.ask_unapplied: Callable[[str], str] = self._ask_unapplied

        self.chooser = RecordChoice(self)
        self.chooser.setAccessibleName("Record to edit")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(16)
        self.general = QLabel(self)  # problems of the record as a whole, and the state of the form
        self.general.setTextFormat(Qt.TextFormat.PlainText)
        self.general.setWordWrap(True)
        _in_red(self.general)
        self.general.hide()
        self.preparing = QLabel("Preparing to edit… (reading the corpus's files for editing)", self)
        self.preparing.setTextFormat(Qt.TextFormat.PlainText)
        self.preparing.setWordWrap(True)
        self.preparing.hide()
        self._waiting_for: tuple[str, str] | None = None  # the record to show once the files are read
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("The record's fields")
        self.scroll_area.setWidgetResizable(True)
        self.setMinimumWidth(EDITOR_MIN_WIDTH)  # below it the fields scroll sideways rather than shrink
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body: QWidget | None = None
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setToolTip("Forget the changes made in the form since the last Apply")
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("Make the changes (one step of Edit > Undo) (Ctrl+Return)")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.chooser)
        layout.addWidget(self.general)
        layout.addWidget(self.preparing)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self._update_buttons()

        self.apply_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self,
                                        context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.apply_shortcut.activated.connect(self.apply)
        self.chooser.activated.connect(self._on_chooser_activated)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        state.selection_changed.connect(self._on_selection_changed)
        state.corpus_changed.connect(self._on_corpus_changed)
        session.records_changed.connect(self._on_records_changed)

    # -- the record ---------------------------------------------------------------------------
    def edit(self, kind: str, record_id: str) -> bool:
        """Show the record *record_id* of *kind* in the form (asking first about changes not applied);
        False if the form keeps what it has."""
        if (kind, record_id) == (self.kind, self.record_id):
            return True
        if not self.settle():
            return False
        self._load(kind, record_id)
        return True

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def changes(self) -> dict[str, Any]:
        """The fields the reader changed: key -> the new value (None: the field emptied)."""
        return {key: value for key, editor in self.fields.items()
                if (value := editor.value()) != self._loaded.get(key)}

    def edited_record(self) -> dict[str, Any]:
        """The record as it would be with the form's changes."""
        record = dict(self._original)
        for key, value in self.changes().items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value
        return record

    def apply(self) -> bool:
        """Make the form's changes one undoable edit; False (and the reason shown) if they cannot be made."""
        from explorer.core.corpus_edit import MISSING, Composite, SetField, record_title
        changes = self.changes()
        if not changes or self.problems:
            return False
        title = record_title(self.kind, self.edited_record())
        edits: list[Edit] = [SetField(self.kind, self.record_id, key, MISSING if value is None else value)
                             for key, value in changes.items()]
        try:
            self._session.push(Composite(f"Edit {title}", edits))
        except CorpusError as exc:  # what the form's own check did not foresee: shown, nothing changed
            self._show_problems(list(exc.problems))
            return False
        except (OSError, ValueError, KeyError) as exc:
            self._show_general(f"The changes could not be made: {exc}")
            return False
        return True

    def rename(self, new_id: str) -> bool:
        """Give the form's record the id *new_id*, every reference to it renamed too (one undoable edit);
        False, with the reason shown, if it cannot be."""
        from explorer.core.corpus_edit import rename_record
        if not self.kind or not self.settle():
            return False
        old_id = self.record_id
        try:  # a document's verification marks move to the new id with it (EditSession.run)
            edit = rename_record(self._session.editable, self.kind, old_id, new_id)
            self._session.push(edit)
        except CorpusError as exc:
            self._show_problems(list(exc.problems))
            return False
        except (ValueError, KeyError) as exc:
            self._show_id_problem(f"The id was not changed: {exc.args[0] if exc.args else exc}.")
            return False
        return True

    def _show_id_problem(self, text: str) -> None:
        """Why a rename was refused, under the id (gone with the next check of the form)."""
        label = self.problem_labels.get("id")
        if label is None:
            self._show_general(text)
            return
        label.setText(text)
        label.show()

    def _on_rename_clicked(self) -> None:
        from explorer.core.corpus_edit import record_title

        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename")
        dialog.setLabelText(f"New id for “{record_title(self.kind, self._original)}”.\n"
                            "Every record that refers to it will refer to the new id.")
        dialog.setTextValue(self.record_id)
        dialog.setOkButtonText("Rename")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(self._on_rename_chosen)
        self.rename_dialog = dialog
        dialog.open()

    def _on_rename_chosen(self, text: str) -> None:
        if text.strip() != self.record_id:
            self.rename(text)

    def revert(self) -> None:
        """Forget the form's changes: show the record as it is."""
        if self.kind:
            self._load(self.kind, self.record_id)

    # -- following the selection --------------------------------------------------------------
    def set_following(self, following: bool, now: bool = True) -> None:
        """Follow the selection (while the editor is shown) or not (hidden: nothing is read); *now*: show
        the selection's record at once."""
        self.following = following
        if following and now:
            self._on_selection_changed()

    def selected_records(self, selection: Selection | None = None) -> list[tuple[str, str]]:
        """The records of the selection the editor follows, (kind, id): event, document, person, source."""
        selection = selection or self._state.selection
        return [(kind, str(getattr(selection, name))) for kind, name in FOLLOWED if getattr(selection, name)]

    def offered_records(self, selection: Selection | None = None) -> list[tuple[str, str]]:
        """What the chooser offers: the selected records, the selected event's places and the selected
        document's catalogue records."""
        selection = selection or self._state.selection
        corpus = self._state.corpus
        offered = self.selected_records(selection)
        event = corpus.event_by_id.get(selection.event or "")
        offered += [("places", p) for p in (event.places if event else ()) if p in corpus.place_by_id]
        offered += [("catalog", c) for c in corpus.catalog_by_document.get(selection.document or "", ())]
        return offered

    def _on_selection_changed(self) -> None:
        offered = self.offered_records()
        self._fill_chooser(offered)
        chosen = self.selected_records()
        if not self.following or not offered:
            return
        same_kind = [r for r in offered if r[0] == self.kind]
        target: tuple[str, str] | None = None
        if same_kind:
            target = same_kind[0]
        elif chosen:  # as the document pane shows it: a person or a source before the document, the event last
            target = min(chosen, key=lambda r: SHOWN_FIRST[r[0]])
        if target is not None:
            self.edit(*target)

    def _fill_chooser(self, chosen: list[tuple[str, str]]) -> None:
        corpus = self._state.corpus
        self.chooser.blockSignals(True)
        self.chooser.clear()
        entries = list(chosen)
        if self.kind and (self.kind, self.record_id) not in entries:
            entries.append((self.kind, self.record_id))
        for kind, rid in entries:
            label = f"{KIND_NOUNS.get(kind, kind)}: {_name(corpus, kind, rid)}"
            self.chooser.addItem(label, f"{kind}:{rid}")
            self.chooser.setItemData(self.chooser.count() - 1, tooltip(label), Qt.ItemDataRole.ToolTipRole)
        self.chooser.setCurrentIndex(self.chooser.findData(f"{self.kind}:{self.record_id}"))
        self.chooser.blockSignals(False)
        self.chooser.show_whole_in_tip()

    def _on_chooser_activated(self, index: int) -> None:
        data = self.chooser.itemData(index)
        if data and not self.edit(*str(data).split(":", 1)):
            self.chooser.setCurrentIndex(self.chooser.findData(f"{self.kind}:{self.record_id}"))

    def settle(self) -> bool:
        """Before the form's record changes (or the window closes): apply or drop the form's changes as the
        reader says; False: they are kept."""
        if not self.is_dirty():
            return True
        from explorer.core.corpus_edit import record_title

        answer = self.ask_unapplied(record_title(self.kind, self._original))
        if answer == APPLY:
            return self.apply()
        return answer == DISCARD

    def _ask_unapplied(self, title: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Question, "Changes not applied",
                          f"The changes to “{title}” have not been applied.", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Apply them before editing another record?")
        apply = box.addButton("Apply", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return APPLY if clicked is apply else DISCARD if clicked is discard else KEEP

    # -- after edits ----------------------------------------------------------------------------
    def _on_records_changed(self, touched: Iterable[tuple[str, str]]) -> None:
        """An Apply, an undo or a redo changed the form's record: show it as it is now, keeping the
        changes typed into other fields and not yet applied."""
        touched = set(touched)
        if not self.kind or (self.kind, self.record_id) not in touched:
            return
        pending = self.changes()
        record_id = self._session.renamed(self.kind, self.record_id, touched)
        self._load(self.kind, record_id)
        kept = {key: value for key, value in pending.items() if key in self.fields and value != self._loaded[key]}
        for key, value in kept.items():
            self.fields[key].set_value(value)
        if kept:
            self._check()

    def _on_corpus_changed(self, corpus: Corpus) -> None:
        if self.kind and self.fields:
            self._check()  # references and names may have come or gone

    # -- building the form ----------------------------------------------------------------------
    def _load(self, kind: str, record_id: str) -> None:
        if not self._session.ready():  # the files are read in the background first: the window stays usable
            self._waiting_for = (kind, record_id)
            self.preparing.show()
            self._session.when_ready(self._on_ready)
            return
        self._waiting_for = None
        self.preparing.hide()
        try:
            mapping = self._session.editable.record(kind, record_id)
        except KeyError:
            self._clear(f"The {KIND_NOUNS.get(kind, kind).lower()} {record_id} is no longer in the corpus.")
            return
        except CorpusError as exc:  # the record file cannot be read for editing
            self._clear("; ".join(p.message for p in exc.problems))
            return
        same_form = kind == self.kind and bool(self.fields)  # the same fields: kept, and where they were scrolled
        scrolled = self.scroll_area.verticalScrollBar().value() if record_id == self.record_id else 0
        self.kind, self.record_id = kind, record_id
        self._original = plain_data(mapping)
        if same_form:
            self._id_field.setText(record_id)
            self._id_field.setCursorPosition(0)
        else:
            self._build(kind)
        for key, editor in self.fields.items():
            editor.blockSignals(True)
            editor.set_value(self._original.get(key))
            editor.blockSignals(False)
            self._loaded[key] = editor.value()
        self._fill_chooser(self.offered_records())
        self._check()
        self.scroll_area.verticalScrollBar().setValue(scrolled)
        self.record_loaded.emit(kind, record_id)

    def _on_ready(self) -> None:
        if self._waiting_for is not None:  # the last record asked for while the files were read
            self._load(*self._waiting_for)
            if self.fields and self.isVisible():
                next(iter(self.fields.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear(self, why: str) -> None:
        self.kind = self.record_id = ""
        self.fields, self.problem_labels, self._loaded, self._original = {}, {}, {}, {}
        self.problems = []
        if self.body is not None:
            self.scroll_area.takeWidget().deleteLater()
            self.body = None
        self._show_general(why)
        self._update_buttons()
        self.record_loaded.emit("", "")

    def _build(self, kind: str) -> None:
        from explorer.core.loader import RECORD_SCHEMAS
        body = QWidget()
        column_of_form = QVBoxLayout(body)
        # Room on the right: a field's frame (and a focus ring drawn around it) is not cut by the scroll bar.
        column_of_form.setContentsMargins(0, 0, FORM_RIGHT_MARGIN, 0)
        form = QFormLayout()
        column_of_form.addLayout(form)
        column_of_form.addStretch(1)  # a tall dock leaves room below the form, not inside its text boxes
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.fields, self.problem_labels, self._loaded = {}, {}, {}
        for key, fld in RECORD_SCHEMAS[kind].items():
            cell = QWidget(body)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            if key == "id":  # what other records refer to: renamed with them all (Rename…), not typed over
                row = QHBoxLayout()
                row.setContentsMargins(0, 0, 0, 0)
                self._id_field = QLineEdit(self.record_id, cell)
                self._id_field.setCursorPosition(0)  # a long id shows its start
                self._id_field.setReadOnly(True)
                self._id_field.setAccessibleName("id")
                self._id_field.setToolTip("Other records name this one by its id: Rename… changes it and "
                                          "every reference to it")
                self.rename_button = QPushButton("Rename…", cell)
                self.rename_button.setAccessibleName("Rename the id")
                self.rename_button.setToolTip("Give the record a new id; every reference to it is renamed too "
                                              "(one step of Edit > Undo)")
                self.rename_button.clicked.connect(self._on_rename_clicked)
                row.addWidget(self._id_field, 1)
                row.addWidget(self.rename_button)
                column.addLayout(row)
            else:
                editor = field_editor(key, fld, self._lookup)
                editor.setParent(cell)
                editor.setAccessibleName(key)
                editor.edited.connect(self._on_edited)
                self.fields[key] = editor
                column.addWidget(editor)
            problem = QLabel(cell)
            problem.setTextFormat(Qt.TextFormat.PlainText)
            problem.setWordWrap(True)
            _in_red(problem)
            problem.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            problem.hide()
            column.addWidget(problem)
            self.problem_labels[key] = problem
            label = QLabel(key.replace("_", " ") + ("*" if fld.required else ""), body)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setToolTip("required" if fld.required else "")
            form.addRow(label, cell)
        old = self.scroll_area.takeWidget()
        self.scroll_area.setWidget(body)
        if old is not None:
            old.deleteLater()
        self.body = body

    # -- checking -------------------------------------------------------------------------------
    def _on_edited(self) -> None:
        self._check()

    def _ids(self) -> dict[str, list[str]]:
        corpus = self._state.corpus
        if self._ids_cache is None or self._ids_cache[0] is not corpus:
            ids = {"events": [e.id for e in corpus.events], "documents": [d.id for d in corpus.documents],
                   "people": [p.id for p in corpus.people], "sources": [s.id for s in corpus.sources],
                   "places": [p.id for p in corpus.places], "catalog": [c.id for c in corpus.catalog]}
            self._ids_cache = (corpus, ids)
        return self._ids_cache[1]

    def _check(self) -> None:
        """Check the record as the form would leave it, and show each problem under its field."""
        from explorer.core.loader import validate_record
        if not self.kind:
            return
        problems = validate_record(self.kind, self.edited_record(), ids=self._ids(), essay=self._state.corpus.essay,
                                   file=str(self._session.editable.path(self.kind)))
        self._show_problems(problems)

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for problem in problems:
            key = self.field_of(problem)
            (by_field.setdefault(key, []) if key else general).append(problem.message)
        for key, label in self.problem_labels.items():
            messages = by_field.get(key, [])
            label.setText("\n".join(messages))
            label.setVisible(bool(messages))
        self._show_general("\n".join(general))
        self._update_buttons()

    def field_of(self, problem: Problem) -> str | None:
        """The form's field a problem is about (a key inside a list's items names the list), or None."""
        from explorer.core.loader import LOCATION_KEYS, RECORD_SCHEMAS
        schema = RECORD_SCHEMAS.get(self.kind, {})
        key = problem.key
        if key in schema:
            return key
        item_keys = dict(_ITEM_KEYS, locations=LOCATION_KEYS)
        for name, fld in schema.items():
            if key in item_keys.get(fld.kind, ()):
                return name
        return None

    def _show_general(self, text: str) -> None:
        self.general.setText(text)
        self.general.setVisible(bool(text))

    def _update_buttons(self) -> None:
        dirty = bool(self.kind) and self.is_dirty()
        self.apply_button.setEnabled(dirty and not self.problems)
        self.revert_button.setEnabled(dirty)
        self.apply_button.setToolTip("Correct the fields marked in red first" if self.problems
                                     else "Make the changes (one step of Edit > Undo) (Ctrl+Return)")


def _in_red(label: QLabel) -> None:
    """The check's messages in the audit's red, readable on a light or a dark palette."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, alert(palette))
    label.setPalette(palette)


class RecordChoice(QComboBox):
    """The record chooser at the top of the editor: a title too long for it is cut in the middle with "…"
    (the kind before it and the title's end, often a date, stay), and is whole in the tool tip."""

    TIP = "Which of the selected records to edit"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(self.TIP)
        self.currentIndexChanged.connect(self.show_whole_in_tip)

    def show_whole_in_tip(self) -> None:
        text = self.currentText()
        self.setToolTip(tooltip(text) + tooltip(self.TIP) if text else self.TIP)  # a title is not markup

    def shown_text(self) -> str:
        """The current text as it is drawn: elided to the width of the box's text field."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideMiddle, field.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def _name(corpus: Corpus, kind: str, record_id: str) -> str:
    return record_name(corpus, kind, record_id) or record_id


class EditorHook(QObject):
    """The window's part of the editor: the dock, Edit > Edit Record… (Ctrl+E), and the panes' "Edit…"."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._opening = False
        self._sized = False
        self.editor = RecordEditor(window.state, window.edit_session)
        self.dock = QDockWidget("Edit Record", window)
        self.dock.setObjectName("record-editor")
        self.dock.setWidget(self.editor)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.view_action = self.dock.toggleViewAction()
        self.view_action.setText("Edit &Record")
        self.edit_action = QAction("&Edit Record…", window)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.edit_action.setToolTip("Edit the selected record (Ctrl+E)")
        window.addAction(self.edit_action)  # its key works wherever the focus is in the window
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.edit_action)
        window.view_menu.addAction(self.view_action)
        self.edit_action.triggered.connect(self._on_edit_selected)
        self.dock.visibilityChanged.connect(self._on_visibility_changed)
        window.event_list.edit_requested.connect(self._on_edit_requested)
        window.document_pane.edit_requested.connect(self._on_edit_requested)
        window.installEventFilter(self)
        # Ctrl+E is "end of line" to a text field on Linux, which takes the key before the action sees it:
        # the field that has the focus is watched, and hands Ctrl+E to the action (see _takes_edit_key).
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)
        session = window.edit_session
        session.preparing_changed.connect(self._on_preparing_changed)
        session.problem.connect(window.message_bar.show_message)
        # A corpus with drafts is one to curate: its files are read for editing a moment after it opens.
        QTimer.singleShot(PREPARE_AFTER_MS, self._on_opened)

    def _on_opened(self) -> None:
        corpus = self.window.state.corpus
        if any(getattr(r, "draft", False) for kind in DRAFTED for r in getattr(corpus, kind)):
            self.window.edit_session.prepare()

    def _on_preparing_changed(self, preparing: bool) -> None:
        bar = self.window.statusBar()
        if preparing:
            bar.showMessage(PREPARING)
        elif bar.currentMessage() == PREPARING:
            bar.clearMessage()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window asks about the form's changes not applied (Keep Editing: it stays open). A
        watched text field lets Edit Record's key through (left unaccepted, the shortcut fires)."""
        if watched is self.window and event.type() == QEvent.Type.Close and not self.editor.settle():
            event.ignore()
            return True
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and isinstance(watched, QWidget) and self._takes_edit_key(watched) \
                and self.edit_action.shortcut().matches(QKeySequence(event.keyCombination())) \
                == QKeySequence.SequenceMatch.ExactMatch:
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _takes_edit_key(self, widget: QWidget) -> bool:
        """Whether Ctrl+E in *widget* opens the editor rather than move to the line's end: a one-line field
        or a text the reader only reads, in this window, outside the record editor (whose fields keep their
        own keys) and outside any text the reader writes (a mark's note)."""
        if not self.window.isAncestorOf(widget) or self.dock.isAncestorOf(widget):
            return False
        if isinstance(widget, QLineEdit):
            return True
        return isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is not None and old is not self.window:  # the window's own filter (Close) stays
            old.removeEventFilter(self)
        if new is not None and self._takes_edit_key(new):
            new.installEventFilter(self)

    def edit(self, kind: str, record_id: str) -> bool:
        """Open the editor on one record."""
        self._opening = True  # the record asked for, not the selection's
        try:
            self.dock.show()
            self.dock.raise_()
        finally:
            self._opening = False
        done = self.editor.edit(kind, record_id)
        if done and self.editor.fields:
            next(iter(self.editor.fields.values())).setFocus(Qt.FocusReason.ShortcutFocusReason)
        return done

    def _on_edit_requested(self, kind: str, record_id: str) -> None:
        self.edit(kind, record_id)

    def _on_edit_selected(self) -> None:
        """Ctrl+E: the event when the event list has the focus, else what the document pane shows."""
        window, selection = self.window, self.window.state.selection
        focus = QApplication.focusWidget()
        in_list = focus is not None and (focus is window.event_list or window.event_list.isAncestorOf(focus))
        chosen = self.editor.selected_records(selection)
        if not chosen:
            window.message_bar.show_message("Select an event, a document, a person or a source to edit it.")
            return
        if in_list and selection.event:
            target = ("events", selection.event)
        else:
            target = min(chosen, key=lambda r: SHOWN_FIRST[r[0]])
        self.edit(*target)

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.window.edit_session.prepare()  # ahead of the first Apply
        if visible and not self._sized:  # the first time: a third of the window, not the form's narrowest
            self._sized = True
            if not self.dock.isFloating():
                wanted = max(EDITOR_MIN_WIDTH + 40, int(self.window.width() * EDITOR_WIDTH_SHARE))
                if self.dock.width() < wanted:
                    self.window.resizeDocks([self.dock], [wanted], Qt.Orientation.Horizontal)
        self.editor.set_following(visible, now=not self._opening)


def install_editor(window: MainWindow) -> EditorHook:
    """Give *window* the record editor (its one hook: called once, at the end of its construction)."""
    return EditorHook(window)
