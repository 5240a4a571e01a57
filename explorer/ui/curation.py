"""Curating drafts and links in the window: confirm, reject, review and merge records; link from the essay.

:class:`Curation` adds the actions to the Edit menu and the context menus of
the event list, the document pane, the essay and the open note. Every change
is one core edit (:mod:`explorer.core.corpus_edit`,
:mod:`explorer.core.text_links`) pushed through the window's edit session, so
it is checked, shown and undone like any other; a refused one is said in the
message bar and changes nothing.

Dialogs are opened with ``open()`` (window-modal, not blocking) and act when
accepted; the last one opened is :attr:`Curation.dialog`, for the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import CorpusError
from explorer.core.model import Corpus
from explorer.ui.event_list import ID_ROLE

if TYPE_CHECKING:
    from explorer.core.corpus_edit import Edit
    from explorer.core.text_links import Selected
    from explorer.ui.main_window import MainWindow

#: The kinds of record a reader curates, in the order the dialogs list them, with their names.
KINDS = {"events": "Events", "documents": "Documents", "people": "People", "sources": "Sources", "places": "Places"}
_ONE = {"events": "event", "documents": "document", "people": "person", "sources": "source", "places": "place"}
#: The most references a rejection's confirmation lists one by one.
LISTED_REFERENCES = 12
#: The most references a merge's preview names.
PREVIEWED_REFERENCES = 5


def records_of(corpus: Corpus, kind: str) -> Sequence[Any]:
    records: Sequence[Any] = getattr(corpus, kind)
    return records


_BY_ID = {"events": "event_by_id", "documents": "document_by_id", "people": "person_by_id",
          "sources": "source_by_id", "places": "place_by_id"}


def record_of(corpus: Corpus, kind: str, record_id: str) -> Any:
    """The record *record_id* of *kind*, or None."""
    return getattr(corpus, _BY_ID[kind]).get(record_id)


def record_label(kind: str, record: Any) -> str:
    """How a chooser shows a record: its name or title, its date, its id."""
    name = getattr(record, "name", None) or getattr(record, "title", "") or ""
    date = getattr(record, "date", None)
    when = getattr(date, "text", date) or getattr(record, "year", None)
    return " — ".join(str(x) for x in (name, when, record.id) if x)


def drafted_from(kind: str, record: Any) -> str:
    """What a draft says it was drafted from (its summary for an event, else its note)."""
    text = record.summary if kind == "events" else getattr(record, "note", None)
    return str(text or "")


class RecordChooser(QComboBox):
    """Pick one record of a kind: type any part of its name, date or id, and the completer offers it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(40)
        completer = self.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_records(self, items: Sequence[tuple[str, str, str]], current: str | None = None) -> None:
        """*items*: (kind, id, label) each; *current*: the id chosen at first (else none)."""
        self.clear()
        for kind, record_id, label in items:
            self.addItem(label, (kind, record_id))
        self.setCurrentIndex(next((i for i, item in enumerate(items) if item[1] == current), -1))

    def choose(self, record_id: str) -> bool:
        for i in range(self.count()):
            if self.itemData(i)[1] == record_id:
                self.setCurrentIndex(i)
                return True
        return False

    def setCurrentIndex(self, index: int) -> None:
        super().setCurrentIndex(index)
        line = self.lineEdit()
        if line is not None:
            line.setCursorPosition(0)  # a long label shows its start, the record's name

    def chosen(self) -> tuple[str, str] | None:
        """The (kind, id) picked; None when the text typed names none of them."""
        i = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        return self.itemData(i) if i >= 0 else None


class ChooseRecordDialog(QDialog):
    """Pick a record of some kinds (with a completer) to act on; *act* is called with (kind, id) when
    accepted, and returns whether it did (a refused edit keeps the dialog open)."""

    def __init__(self, title: str, text: str, items: Sequence[tuple[str, str, str]],
                 act: Callable[[str, str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._act = act
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.chooser = RecordChooser(self)
        self.chooser.set_records(items)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.chooser)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

    def _on_ok(self) -> None:
        chosen = self.chooser.chosen()
        if chosen is not None and self._act(*chosen):
            self.accept()


class MergeDialog(QDialog):
    """Merge one record into another of its kind, with a preview of what will happen."""

    def __init__(self, curation: Curation, kind: str, remove_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Records")
        self.setMinimumWidth(560)
        self._curation = curation
        self.kind_combo = QComboBox(self)
        for k, name in KINDS.items():
            self.kind_combo.addItem(name, k)
        self.kind_combo.setCurrentIndex(list(KINDS).index(kind))
        self.remove_chooser = RecordChooser(self)
        self.keep_chooser = RecordChooser(self)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout()
        form.addRow("Kind:", self.kind_combo)
        form.addRow("Merge:", self.remove_chooser)
        form.addRow("Into (kept):", self.keep_chooser)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self._fill(remove_id)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.remove_chooser.currentTextChanged.connect(self._on_remove_changed)
        self.keep_chooser.currentTextChanged.connect(self._update_preview)
        self.buttons.accepted.connect(self._on_merge)
        self.buttons.rejected.connect(self.reject)

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _items(self, but: str | None = None) -> list[tuple[str, str, str]]:
        corpus = self._curation.window.state.corpus
        return [(self.kind, r.id, record_label(self.kind, r)) for r in records_of(corpus, self.kind) if r.id != but]

    def _fill(self, remove_id: str | None) -> None:
        self.remove_chooser.set_records(self._items(), remove_id)
        self._on_remove_changed()

    def _on_kind_changed(self) -> None:
        self._fill(None)

    def _on_remove_changed(self) -> None:
        chosen = self.remove_chooser.chosen()
        keep = self.keep_chooser.chosen()
        self.keep_chooser.set_records(self._items(but=chosen[1] if chosen else None), keep[1] if keep else None)
        self._update_preview()

    def _pair(self) -> tuple[str, str] | None:
        remove, keep = self.remove_chooser.chosen(), self.keep_chooser.chosen()
        return (keep[1], remove[1]) if remove and keep and remove != keep else None

    def _update_preview(self) -> None:
        pair = self._pair()
        self.merge_button.setEnabled(pair is not None)
        self.preview.setText(merge_preview(self._curation, self.kind, *pair) if pair else
                             "Choose the record to merge and the one to keep.")

    def _on_merge(self) -> None:
        pair = self._pair()
        if pair is not None and self._curation.merge(self.kind, *pair):
            self.accept()


def merge_preview(curation: Curation, kind: str, keep_id: str, remove_id: str) -> str:
    """What merging *remove_id* into *keep_id* will do, in a sentence or three."""
    from explorer.core.corpus_edit import references_to
    editable = curation.window.edit_session.editable
    refs = [r for r in references_to(editable, kind, remove_id) if not (r.kind == kind and r.record_id == keep_id)]
    said = [f"{remove_id} is removed and {keep_id} kept.",
            f"{len(refs)} reference{'s' * (len(refs) != 1)} rewired"
            + (": " + ", ".join(f"{r.record_id} ({r.key})" for r in refs[:PREVIEWED_REFERENCES]) if refs else "")
            + (f" and {len(refs) - PREVIEWED_REFERENCES} more" if len(refs) > PREVIEWED_REFERENCES else "") + "."]
    if kind in ("people", "places"):
        keep, gone = editable.record(kind, keep_id), editable.record(kind, remove_id)
        have = {str(keep.get("name")), *(str(s) for s in keep.get("spellings") or [])}
        forms = [str(f) for f in (gone.get("name"), *(gone.get("spellings") or [])) if f and str(f) not in have]
        said.append(f"Name forms kept: {', '.join(dict.fromkeys(forms))}." if forms else "No new name forms.")
    said.append(f"Lists are united; a field the two give differently is written into {keep_id}'s note.")
    marked = curation.window.marks.count_for_document(remove_id) if kind == "documents" else 0
    if marked:
        said.append(f"{marked} verification mark{'s' * (marked != 1)} of its notes move{'s' * (marked == 1)} "
                    f"to {keep_id}.")
    return "\n".join(said)


class ReviewDraftsDialog(QDialog):
    """Every draft of each kind, checked; "Confirm Checked" confirms those of the tab shown as one step."""

    def __init__(self, curation: Curation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review Drafts")
        self.resize(720, 480)
        self._curation = curation
        self.intro = QLabel("Every draft is checked. Uncheck the ones you doubt; Confirm Checked confirms the "
                            "rest of the tab shown as one step, which one Undo takes back.", self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.lists: dict[str, QListWidget] = {}
        for kind, name in KINDS.items():
            listing = QListWidget(self.tabs)
            listing.setWordWrap(True)
            listing.setAlternatingRowColors(True)  # two-line entries, told apart at a glance
            listing.setSpacing(2)
            listing.setAccessibleName(f"Draft {name.lower()}")
            self.lists[kind] = listing
            self.tabs.addTab(listing, name)
        self.confirm_button = QPushButton("Confirm Checked", self)
        self.check_all_button = QPushButton("Check All", self)
        self.check_none_button = QPushButton("Check None", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.check_all_button, self.check_none_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setAutoDefault(False)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.fill()
        first = next((i for i, k in enumerate(KINDS) if self.lists[k].count()), 0)
        self.tabs.setCurrentIndex(first)
        self._update_button()  # for the tab it opens on (no currentChanged is connected yet)
        self.buttons.rejected.connect(self.reject)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.check_all_button.clicked.connect(lambda: self._check(Qt.CheckState.Checked))
        self.check_none_button.clicked.connect(lambda: self._check(Qt.CheckState.Unchecked))
        self.tabs.currentChanged.connect(self._update_button)

    @property
    def kind(self) -> str:
        return list(KINDS)[self.tabs.currentIndex()]

    def fill(self) -> None:
        """List the drafts the corpus has now, every one checked."""
        corpus = self._curation.window.state.corpus
        for index, (kind, name) in enumerate(KINDS.items()):
            listing = self.lists[kind]
            listing.clear()
            for record in records_of(corpus, kind):
                if not getattr(record, "draft", False):
                    continue
                source = drafted_from(kind, record)
                item = QListWidgetItem(record_label(kind, record) + (f"\n    {source}" if source else ""))
                item.setData(Qt.ItemDataRole.UserRole, record.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                item.setToolTip(source)
                listing.addItem(item)
            self.tabs.setTabText(index, f"{name} ({listing.count()})")
        self._update_button()

    def checked(self, kind: str | None = None) -> list[str]:
        listing = self.lists[kind or self.kind]
        return [str(listing.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(listing.count())
                if listing.item(i).checkState() == Qt.CheckState.Checked]

    def _check(self, state: Qt.CheckState) -> None:
        listing = self.lists[self.kind]
        for i in range(listing.count()):
            listing.item(i).setCheckState(state)
        self._update_button()

    def _update_button(self) -> None:
        listing = self.lists[self.kind]
        self.confirm_button.setEnabled(listing.count() > 0)
        self.confirm_button.setText(f"Confirm Checked {KINDS[self.kind]}")

    def _on_confirm(self) -> None:
        from explorer.core.corpus_edit import confirm_drafts
        ids = self.checked()
        if ids and self._curation.push(confirm_drafts(self._curation.window.edit_session.editable, self.kind, ids)):
            self.fill()


class Curation(QObject):
    """The curating actions of one window (see the module's docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The dialog opened last (the tests answer it).
        self.dialog: QDialog | QMessageBox | None = None
        self.confirm_action = self._action("&Confirm Draft", "Ctrl+Shift+Return",
                                           "Confirm the selected draft: it is checked and no longer a draft")
        self.reject_action = self._action("Re&ject Draft…", None, "Delete the selected draft and every reference to it")
        self.review_action = self._action("Re&view Drafts…", None, "List every draft of a kind and confirm them")
        self.merge_action = self._action("&Merge Into…", None,
                                         "Merge the selected record into another of its kind that is the same")
        self.new_event_action = self._action("New &Event from Selection", None,
                                             "Make an event anchored to the words selected in the essay")
        self.add_quote_action = self._action("Add as &Quote to…", None,
                                             "Add the words selected in the essay as a quote of an event or document")
        self.link_note_action = self._action("&Link Note to Document…", None,
                                             "Add the open note to the notes citing a document")
        self.confirm_action.triggered.connect(self._on_confirm)
        self.reject_action.triggered.connect(self._on_reject)
        self.review_action.triggered.connect(lambda: self.when_ready(self.review_drafts))
        self.merge_action.triggered.connect(self._on_merge)
        self.new_event_action.triggered.connect(self._on_new_event)
        self.add_quote_action.triggered.connect(self._on_add_quote)
        self.link_note_action.triggered.connect(self._on_link_note)

    def _action(self, text: str, key: str | None, tip: str) -> QAction:
        action = QAction(text, self.window)
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        self.window.addAction(action)
        return action

    def install(self, edit_menu: QMenu) -> None:
        """Add the actions to the Edit menu and the context menus of the panes."""
        edit_menu.addSeparator()
        edit_menu.addActions([self.confirm_action, self.reject_action, self.review_action, self.merge_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.new_event_action, self.add_quote_action, self.link_note_action])
        w = self.window
        for widget, menu_for in ((w.event_list.view, self.event_menu), (w.document_pane.browser, self.document_menu),
                                 (w.passage_pane.view, self.essay_menu), (w.passage_pane.note.body, self.note_menu)):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(
                lambda pos, widget=widget, menu_for=menu_for: self._on_context_menu(widget, menu_for, pos))

    # -- pushing edits -------------------------------------------------------------------------
    def push(self, edit: Edit) -> bool:
        """Push *edit* through the edit session; False (and the reason in the message bar) if refused."""
        try:
            self.window.edit_session.push(edit)
        except CorpusError as exc:
            self.tell("The edit was not made: " + "; ".join(str(p) for p in exc.problems))
            return False
        return True

    def when_ready(self, action: Callable[[], object]) -> None:
        """Do *action* once the corpus's files are read for editing: at once after the first time; the first
        time, "Preparing to edit…" while they are read in the background, then the action."""
        self.window.edit_session.when_ready(action)

    def tell(self, message: str) -> None:
        self.window.message_bar.show_message(message)

    def _open(self, dialog: QDialog | QMessageBox) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- what the reader is on -----------------------------------------------------------------
    def selected_record(self, drafts_only: bool = False) -> tuple[str, str] | None:
        """The record the Edit menu acts on (the first that is a draft, with *drafts_only*): a person
        (the selection lets one go as soon as anything else is chosen, so one selected was chosen last),
        the document if the document pane has the focus, a source, the event, the document."""
        corpus, selection = self.window.state.corpus, self.window.state.selection
        order = [("people", selection.person), ("sources", selection.source), ("events", selection.event),
                 ("documents", selection.document)]
        focus = self.window.focusWidget()
        if focus is not None and self.window.document_pane.isAncestorOf(focus):
            order.insert(1, order.pop())
        for kind, record_id in order:
            if not record_id:
                continue
            record = record_of(corpus, kind, record_id)
            if record is not None and (getattr(record, "draft", False) or not drafts_only):
                return kind, record_id
        return None

    def essay_selection(self) -> Selected:
        """The words selected in the essay; ValueError with the reason if none (or across paragraphs)."""
        from explorer.core.text_links import selected_words
        pane = self.window.passage_pane
        cursor = pane.view.textCursor()
        if not cursor.hasSelection():
            raise ValueError("select some words of the essay first")
        start, end = pane.text_at(cursor.selectionStart()), pane.text_at(cursor.selectionEnd())
        if start is not None and (end is None or end[0] != start[0]):
            end = pane.text_at(cursor.selectionEnd() - 1)  # a selection running to the paragraph's end
            end = (end[0], end[1] + 1) if end else None
        if start is None or end is None or start[0] != end[0]:
            raise ValueError("select words within one paragraph of the essay")
        return selected_words(self.window.state.corpus, start[0], start[1], end[1])

    # -- drafts --------------------------------------------------------------------------------
    def confirm(self, kind: str, record_id: str) -> bool:
        from explorer.core.corpus_edit import confirm_draft
        editable = self.window.edit_session.editable
        if editable.record(kind, record_id).get("draft") is not True:  # confirmed meanwhile (asked twice)
            self.tell(f"{record_id} is not a draft (any more); nothing to confirm.")
            return False
        return self.push(confirm_draft(editable, kind, record_id))

    def ask_reject(self, kind: str, record_id: str) -> None:
        """Ask before deleting the draft *record_id*, listing the references that go with it."""
        from explorer.core.corpus_edit import record_title, references_to
        editable = self.window.edit_session.editable
        if editable.record(kind, record_id).get("draft") is not True:
            self.tell(f"{record_id} is not a draft; only drafts are rejected.")
            return
        refs = references_to(editable, kind, record_id)
        listed = [f"• {r.record_id} ({r.kind}, {r.key})" for r in refs[:LISTED_REFERENCES]]
        if len(refs) > LISTED_REFERENCES:
            listed.append(f"and {len(refs) - LISTED_REFERENCES} more")
        title = record_title(kind, editable.record(kind, record_id))
        box = QMessageBox(QMessageBox.Icon.Question, "Reject Draft",
                          f"Delete the draft {_ONE[kind]} \u201c{title}\u201d ({record_id})?", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(
            ("These references to it will be removed:\n" + "\n".join(listed)) if refs else "Nothing refers to it.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Reject")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self.reject(kind, record_id))
        self._open(box)

    def reject(self, kind: str, record_id: str) -> bool:
        from explorer.core.corpus_edit import reject_draft
        if self._marked(kind, record_id, "rejected"):
            return False
        return self.push(reject_draft(self.window.edit_session.editable, kind, record_id))

    def _marked(self, kind: str, record_id: str, done: str) -> bool:
        """Whether verification marks are stored under the document *record_id* (said in the bar): removed
        with no successor, the document would take them out of sight, so it is not removed."""
        count = self.window.marks.count_for_document(record_id) if kind == "documents" else 0
        if count:
            self.tell(f"{record_id} was not {done}: {count} verification mark{'s' * (count != 1)} of the notes "
                      "citing it are stored under its id and would no longer be shown. Merge it into the document "
                      "that stands for it instead (its marks move there), or clear its marks first.")
        return bool(count)

    def review_drafts(self) -> ReviewDraftsDialog:
        dialog = ReviewDraftsDialog(self, self.window)
        self._open(dialog)
        return dialog

    # -- merging -------------------------------------------------------------------------------
    def ask_merge(self, kind: str, record_id: str | None) -> MergeDialog:
        dialog = MergeDialog(self, kind, record_id, self.window)
        self._open(dialog)
        return dialog

    def merge(self, kind: str, keep_id: str, remove_id: str) -> bool:
        """Merge *remove_id* into *keep_id*; the kept one is selected."""
        from explorer.core.corpus_edit import merge_records
        if not self.push(merge_records(self.window.edit_session.editable, kind, keep_id, remove_id)):
            return False
        self.window.state.select(keep_id)  # the marks moved are said in the message bar (EditSession.marks_moved)
        return True

    # -- links from the text -------------------------------------------------------------------
    def new_event_from(self, selected: Selected) -> str | None:
        """Make the event of *selected* words and select it; its id, or None if refused."""
        from explorer.core.text_links import insert_event, new_event
        corpus = self.window.state.corpus
        try:
            record, proposed = new_event(corpus, selected)
        except ValueError as exc:
            self.tell(f"No event was made: {exc}.")
            return None
        if not self.push(insert_event(record)):
            return None
        self.window.state.select_event(record["id"], passage=selected.passage)
        if proposed.found_in != "sentence":
            where = "its paragraph" if proposed.found_in == "paragraph" else "the year the essay had reached"
            self.tell(f"The sentence gives no date: the new event {record['id']} is dated {record['date']}, "
                      f"from {where}. Correct it in the event's record.")
        return str(record["id"])

    def ask_add_quote(self, selected: Selected) -> ChooseRecordDialog:
        from explorer.core.text_links import QUOTE_FIELDS
        corpus = self.window.state.corpus
        items = [(kind, r.id, f"{_ONE[kind].capitalize()}: {record_label(kind, r)}")
                 for kind in QUOTE_FIELDS for r in records_of(corpus, kind)]
        shown = selected.text if len(selected.text) < 160 else selected.text[:160] + "…"
        dialog = ChooseRecordDialog("Add as Quote", f"Add “{shown}” as a quote of:", items,
                                    lambda kind, rid: self.add_quote(kind, rid, selected), self.window)
        current = self.window.state.selection
        dialog.chooser.choose(current.document or current.event or "")
        self._open(dialog)
        return dialog

    def add_quote(self, kind: str, record_id: str, selected: Selected) -> bool:
        from explorer.core.text_links import add_quote
        try:
            edit = add_quote(self.window.edit_session.editable, kind, record_id, selected)
        except ValueError as exc:
            self.tell(f"The quote was not added: {exc}.")
            return False
        return self.push(edit)

    def ask_link_note(self, number: int) -> ChooseRecordDialog:
        corpus = self.window.state.corpus
        items = [("documents", d.id, record_label("documents", d)) for d in corpus.documents]
        dialog = ChooseRecordDialog(f"Link Note {number}", f"Note {number} cites the document:", items,
                                    lambda _kind, rid: self.link_note(rid, number), self.window)
        self._open(dialog)
        return dialog

    def link_note(self, document_id: str, number: int) -> bool:
        from explorer.core.text_links import link_note
        try:
            edit = link_note(self.window.edit_session.editable, document_id, number)
        except ValueError as exc:
            self.tell(f"The note was not linked: {exc}.")
            return False
        return self.push(edit)

    # -- context menus -------------------------------------------------------------------------
    def _on_context_menu(self, widget: QAbstractScrollArea, menu_for: Callable[[QPoint], QMenu], pos: QPoint) -> None:
        menu = menu_for(pos)  # a scroll area's menu position is its viewport's
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(widget.viewport().mapToGlobal(pos))

    @staticmethod
    def _standard_menu(browser: QTextEdit, pos: QPoint) -> QMenu:
        """The text's own menu (Copy, Select All, Copy Link Location) for viewport position *pos*."""
        scrolled = QPoint(browser.horizontalScrollBar().value(), browser.verticalScrollBar().value())
        return browser.createStandardContextMenu(pos + scrolled)  # it wants document coordinates

    def _record_actions(self, menu: QMenu, kind: str, record_id: str) -> None:
        record = record_of(self.window.state.corpus, kind, record_id)
        if record is None:
            return
        draft = bool(getattr(record, "draft", False))
        confirm = menu.addAction("Confirm Draft", lambda: self.when_ready(lambda: self.confirm(kind, record_id)))
        confirm.setEnabled(draft)
        reject = menu.addAction("Reject Draft…", lambda: self.when_ready(lambda: self.ask_reject(kind, record_id)))
        reject.setEnabled(draft)
        menu.addAction("Merge Into…", lambda: self.when_ready(lambda: self.ask_merge(kind, record_id)))

    def event_menu(self, pos: QPoint) -> QMenu:
        """The event list's menu for the row at *pos* (viewport coordinates)."""
        view = self.window.event_list.view
        menu = QMenu(view)
        index = view.indexAt(pos)
        event_id = index.data(ID_ROLE) if index.isValid() else None
        if isinstance(event_id, str):
            self._record_actions(menu, "events", event_id)
        return menu

    def document_menu(self, pos: QPoint) -> QMenu:
        browser = self.window.document_pane.browser
        menu = self._standard_menu(browser, pos)
        document_id = self.window.state.document
        if document_id:
            menu.addSeparator()
            self._record_actions(menu, "documents", document_id)
        return menu

    def essay_menu(self, pos: QPoint) -> QMenu:
        view = self.window.passage_pane.view
        menu = self._standard_menu(view, pos)
        menu.addSeparator()
        try:
            selected: Selected | None = self.essay_selection()
        except ValueError:
            selected = None
        new_event_item = menu.addAction("New Event from Selection")
        quote_item = menu.addAction("Add as Quote to…")
        if selected is not None:
            chosen: Selected = selected
            new_event_item.triggered.connect(lambda: self.when_ready(lambda: self.new_event_from(chosen)))
            quote_item.triggered.connect(lambda: self.when_ready(lambda: self.ask_add_quote(chosen)))
        for item in (new_event_item, quote_item):
            item.setEnabled(selected is not None)
        scheme, _, number = view.anchorAt(pos).partition(":")
        if scheme == "fn" and number.isdigit():
            menu.addAction(f"Link Note {number} to Document…",
                           lambda: self.when_ready(lambda: self.ask_link_note(int(number))))
        return menu

    def note_menu(self, pos: QPoint) -> QMenu:
        body = self.window.passage_pane.note.body
        menu = self._standard_menu(body, pos)
        number = self.window.passage_pane.note.number
        if number is not None:
            menu.addSeparator()
            menu.addAction(f"Link Note {number} to Document…",
                           lambda: self.when_ready(lambda: self.ask_link_note(number)))
        return menu

    # -- the Edit menu's actions ---------------------------------------------------------------
    def _on_confirm(self) -> None:
        target = self.selected_record(drafts_only=True)
        if target is None:
            self.tell("Nothing selected is a draft: select a drafted event, document, person or source "
                      "(or use Review Drafts…).")
            return
        self.when_ready(lambda: self.confirm(*target))

    def _on_reject(self) -> None:
        target = self.selected_record(drafts_only=True)
        if target is None:
            self.tell("Nothing selected is a draft to reject.")
            return
        self.when_ready(lambda: self.ask_reject(*target))

    def _on_merge(self) -> None:
        kind, record_id = self.selected_record() or ("people", None)
        self.when_ready(lambda: self.ask_merge(kind, record_id))

    def _on_new_event(self) -> None:
        try:
            selected = self.essay_selection()
        except ValueError as exc:
            self.tell(f"No event was made: {exc}.")
            return
        self.when_ready(lambda: self.new_event_from(selected))

    def _on_add_quote(self) -> None:
        try:
            selected = self.essay_selection()
        except ValueError as exc:
            self.tell(f"No quote was added: {exc}.")
            return
        self.when_ready(lambda: self.ask_add_quote(selected))

    def _on_link_note(self) -> None:
        number = self.window.state.footnote
        if not number:
            self.tell("Open a note first (click its number in the essay), then link it to a document.")
            return
        self.when_ready(lambda: self.ask_link_note(number))


def install_curation(window: MainWindow) -> Curation:
    """Give *window* the curating actions (its Edit menu and the panes' context menus)."""
    curation = Curation(window)
    curation.install(window.edit_menu)
    return curation
