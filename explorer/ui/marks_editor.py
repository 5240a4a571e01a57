"""Setting verification marks: one row per citation, and a section that lists rows.

A row shows the citation's short label, its status (unchecked, verified,
disputed) and the researcher's note. Choosing a status saves at once; a note
is saved on Return, when the field loses focus, or with its Save button.
"Saved 14:02" appears only after the store has committed the mark; a mark
that could not be saved says "Not saved" and keeps what was typed. A change
that met another running copy's change shows theirs under the row with the
choice of keeping theirs, merging the two, or keeping mine; a mark flagged for
review (copied to several citations by the key migration) says why, until the
reader changes it or presses Done. A status this version does not know (from
a newer one) is shown as it is.

The same :class:`VerificationSection` serves the document pane, the open
footnote and the audit panel; every row showing a citation follows a mark
saved anywhere in the window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.core.months import month_abbreviation, month_name
from explorer.core.verification import MarkTarget
from explorer.store.marks import Mark, MarkStatus, read_status
from explorer.ui.marks_book import MERGE, MINE, THEIRS, MarkBook
from explorer.ui.rich_text import alert, confirm, link, muted, tooltip

#: A row at least this wide (px) fits on one line.
WIDE_ROW = 500
#: Most rows a section builds (a document cited in hundreds of notes would stall the window).
ROW_LIMIT = 60
STATUS_TEXT = {MarkStatus.UNCHECKED: "Unchecked", MarkStatus.VERIFIED: "Verified", MarkStatus.DISPUTED: "Disputed"}


def status_text(status: MarkStatus | str) -> str:
    """"Verified"; a status this version does not know, as the newer version wrote it."""
    return STATUS_TEXT[status] if isinstance(status, MarkStatus) else f"{status} (unknown to this version)"


def status_colour(palette: QPalette, status: MarkStatus | str) -> QColor:
    if status == MarkStatus.VERIFIED:
        return confirm(palette)
    if status == MarkStatus.DISPUTED:
        return alert(palette)
    return muted(palette)


def _status_icon(palette: QPalette, status: MarkStatus | str, size: int = 12) -> QIcon:
    """A dot: hollow for unchecked, filled green for verified, filled red for disputed."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = status_colour(palette, status)
    painter.setPen(QPen(colour, 1.5))
    if status != MarkStatus.UNCHECKED:
        painter.setBrush(colour)
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.end()
    return QIcon(pixmap)


def saved_text(mark: Mark, now: datetime | None = None, me: str | None = None) -> tuple[str, str]:
    """("Saved 14:02", "Saved on 3 March 2025 at 14:02 by Alice"): the time today, else the date; local
    time. A mark another reviewer than *me* set says whose it is ("Bob, 14:02"); one from before names
    were recorded is by "unknown"."""
    when = datetime.fromisoformat(mark.updated_at).astimezone()
    today = (now or datetime.now().astimezone()).date()
    short = f"{when:%H:%M}" if when.date() == today else f"{when.day} {month_abbreviation(when.month)} {when.year}"
    tip = f"Saved on {when.day} {month_name(when.month)} {when.year} at {when:%H:%M} by {mark.reviewer_shown}"
    if me is not None and mark.reviewer and mark.reviewer != me:
        return f"{mark.reviewer}, {short}", tip
    return f"Saved {short}", tip


#: The last part of a label ("3 September 1949", "pp. 12-14") is kept whole when it is no longer than this.
KEPT_END = 32


class ElidedLabel(QLabel):
    """One line of plain text that, when it does not fit, shows the longest of its *shorter* forms that does,
    else the shortest shortened (see :meth:`shown_text`); the whole text in the tooltip."""

    def __init__(self, text: str, parent: QWidget | None = None, shorter: tuple[str, ...] = ()) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        #: Shorter forms of the text, longest first, that still say what it names.
        self.shorter = shorter

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as painted at the label's present width: the whole text, else the first of its shorter
        forms that fits ("Shtykov → Vyshinsky, 3 Sep 1949" for "Ciphered telegram, Shtykov to Vyshinsky,
        3 September 1949"), else the shortest one cut before its last ", " part rather than at its end, so
        the date that tells two telegrams between the same people apart stays readable ("Ciphered
        telegram…, 3 September 1949"); too narrow for that, "…" in the middle."""
        metrics, width = self.fontMetrics(), self.contentsRect().width()
        forms = (self.text(), *self.shorter)
        for form in forms:
            if metrics.horizontalAdvance(form) <= width:
                return form
        text = forms[-1]  # the shortest, cut
        head, comma, tail = text.rpartition(", ")
        if comma and head and len(tail) <= KEPT_END:
            end = comma + tail
            room = width - metrics.horizontalAdvance(end)
            if room >= metrics.horizontalAdvance(head[:4] + "\u2026"):  # a few letters of the head say what it is
                shown = metrics.elidedText(head, Qt.TextElideMode.ElideRight, room)
                if shown.endswith("\u2026"):  # "Ciphered telegram…, 3 September 1949", not "telegram,…, 3"
                    shown = shown[:-1].rstrip(" ,;:") + "\u2026"
                return shown + end
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         self.shown_text())


class MarkEditor(QWidget):
    """The mark of one citation: label, status, note, and whether it is saved."""

    def __init__(
        self, book: MarkBook, target: MarkTarget, shared: tuple[int, ...] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._book = book
        self.target = target
        self.label = ElidedLabel(target.label, self, target.short_labels)
        more = [n for n in shared if n != target.footnote]
        also = (f"\n\nNote{'s' * (len(more) > 1)} {', '.join(map(str, more))} cite{'s' * (len(more) == 1)} "
                "exactly this too: one mark covers all of them.") if more else ""
        # The whole label first (the row may shorten it), then the note's own words.
        whole = target.label if target.label == target.text else f"{target.label}\n\n{target.text}"
        self.label.setToolTip(tooltip(whole + also))
        self.saved = QLabel(self)
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Verification status")
        for status, text in STATUS_TEXT.items():
            self.status.addItem(_status_icon(self.palette(), status), text, status.value)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note: where you checked it, what differs…")
        self.note.setAccessibleName("Verification note")
        self.note.setClearButtonEnabled(True)
        self.save_button = QPushButton("Save", self)
        self.save_button.setAutoDefault(False)
        self.save_button.hide()
        # Under the row: another copy's change to settle, or why the mark should be looked at again.
        self.notice_box = QWidget(self)
        self.notice = QLabel(self.notice_box)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.theirs_button = QPushButton("Keep theirs", self.notice_box)
        self.theirs_button.setToolTip(tooltip("Drop your change and keep the mark as the other window saved it"))
        self.merge_button = QPushButton("Merge", self.notice_box)
        self.mine_button = QPushButton("Keep mine", self.notice_box)
        self.mine_button.setToolTip(tooltip("Save your change over theirs (theirs stays in the mark's history)"))
        self.review_button = QPushButton("Done", self.notice_box)
        self.review_button.setToolTip(tooltip("You have checked this mark: stop flagging it"))
        notice_column = QVBoxLayout(self.notice_box)  # the sentence, then its buttons: rows are narrow
        notice_column.setContentsMargins(0, 0, 0, 0)
        notice_column.setSpacing(2)
        notice_column.addWidget(self.notice)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.theirs_button, self.merge_button, self.mine_button, self.review_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        notice_column.addLayout(buttons)
        self.notice_box.hide()
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 6))
        self.saved.setFont(small)

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 3, 0, 3)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._wide: bool | None = None
        self._arrange(wide=False)

        self._failed = False
        self._base = 0  # the version of the mark the shown change is based on
        self.refresh()
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.note.textEdited.connect(self._on_note_edited)
        self.note.editingFinished.connect(self._on_editing_finished)
        self.note.returnPressed.connect(self.commit)
        self.save_button.clicked.connect(self.commit)
        self.theirs_button.clicked.connect(self._on_keep_theirs)
        self.merge_button.clicked.connect(self._on_merge)
        self.mine_button.clicked.connect(self._on_keep_mine)
        self.review_button.clicked.connect(self._on_review_done)
        book.commit_requested.connect(self.commit)

    def _arrange(self, wide: bool) -> None:
        """One line when there is room (label, status, note), else the label above the rest."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._grid
        for widget in (self.label, self.status, self.note, self.save_button, self.saved, self.notice_box):
            grid.removeWidget(widget)
        for column in range(6):
            grid.setColumnStretch(column, 0)
        if wide:
            for column, widget in enumerate((self.label, self.status, self.note, self.save_button, self.saved)):
                grid.addWidget(widget, 0, column)
            grid.setColumnStretch(0, 3)  # the label says which citation: it gets the room
            grid.setColumnStretch(2, 2)
            grid.addWidget(self.notice_box, 1, 0, 1, 5)
        else:
            grid.addWidget(self.label, 0, 0, 1, 2)
            grid.addWidget(self.saved, 0, 2, 1, 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self.status, 1, 0)
            grid.addWidget(self.note, 1, 1, 1, 2)
            grid.addWidget(self.save_button, 1, 3)
            grid.addWidget(self.notice_box, 2, 0, 1, 4)
            grid.setColumnStretch(1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(wide=event.size().width() >= WIDE_ROW)

    # -- reading ---------------------------------------------------------------------------
    def current_status(self) -> MarkStatus | str:
        return read_status(self.status.currentData())

    def is_dirty(self) -> bool:
        if self._book.conflict(self.target.key) is not None:
            return True
        mark = self._book.mark(self.target.key)
        saved = (mark.status, mark.note) if mark else (MarkStatus.UNCHECKED, "")
        return (self.current_status(), self.note.text()) != saved

    def refresh(self) -> None:
        """Show the stored mark (keeping a note being typed, or a change that met another's) and
        whether it can be changed."""
        mark = self._book.mark(self.target.key)
        conflict = self._book.conflict(self.target.key)
        if conflict is not None:
            status, note = read_status(conflict.mine[0]), conflict.mine[1]
        else:
            status, note = (mark.status, mark.note) if mark else (MarkStatus.UNCHECKED, "")
        self.status.blockSignals(True)  # showing the stored value is not a change to save
        if self.status.findData(str(status)) < 0:  # a newer version's status: shown as it is
            self.status.addItem(_status_icon(self.palette(), status), status_text(status), str(status))
        self.status.setCurrentIndex(self.status.findData(str(status)))
        self.status.blockSignals(False)
        if not self.note.isModified():
            self.note.setText(note)
            self.note.setCursorPosition(0)  # show a long note from its start
            if conflict is None:
                self._base = mark.version if mark else 0
        reason = self._book.why_read_only
        for widget in (self.status, self.note):
            widget.setEnabled(reason is None)
            widget.setToolTip(tooltip(reason) if reason else "")
        if reason is None:  # a narrow row cuts the field's hint
            self.note.setToolTip(tooltip(self.note.placeholderText()))
        self.note.setClearButtonEnabled(reason is None)
        self._show_notice(mark, reason)
        self._show_saved(mark)

    def _show_notice(self, mark: Mark | None, reason: str | None) -> None:
        conflict = self._book.conflict(self.target.key)
        review = mark.review if mark is not None and conflict is None else None
        if conflict is not None:
            theirs_status, theirs_note = conflict.theirs_pair
            said = f", \u201c{theirs_note}\u201d" if theirs_note else ", no note"
            text = (f"Changed in another window since you began: {status_text(read_status(theirs_status))}"
                    f"{said}. Yours is not saved yet.")
            merged = conflict.merged()
            self.merge_button.setToolTip(tooltip(
                f"Save {status_text(read_status(merged[0]))}" + (f", \u201c{merged[1]}\u201d" if merged[1] else "")))
        elif review:
            text = f"Review: {review}"
        else:
            text = ""
        self.notice.setText(text)
        self.notice.setToolTip(tooltip(text) if text else "")
        for button in (self.theirs_button, self.merge_button, self.mine_button):
            button.setVisible(conflict is not None)
        self.review_button.setVisible(bool(review) and reason is None)
        palette = self.notice.palette()
        palette.setColor(QPalette.ColorRole.WindowText, alert(self.palette()))
        self.notice.setPalette(palette)
        self.notice_box.setVisible(bool(text))

    def _show_saved(self, mark: Mark | None) -> None:
        dirty = self.is_dirty()
        self.save_button.setVisible(dirty and self._book.why_read_only is None)
        palette = self.saved.palette()
        if self._book.conflict(self.target.key) is not None:
            text, tip, colour = "Not saved", "Another window changed this mark: choose below.", alert(self.palette())
        elif self._failed and dirty:
            text, tip, colour = "Not saved", "The mark could not be saved; see the message at the top.", alert(
                self.palette())
        elif dirty:
            text, tip, colour = "Not saved yet", "Press Return or Save to keep this note.", muted(self.palette())
        elif mark is not None:
            (text, tip), colour = saved_text(mark, me=self._book.reviewer), muted(self.palette())
        else:
            text, tip, colour = "", "", muted(self.palette())
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.saved.setPalette(palette)
        self.saved.setText(text)
        self.saved.setToolTip(tooltip(tip) if tip else "")

    # -- saving ----------------------------------------------------------------------------
    def commit(self) -> None:
        """Save the shown status and note, if they differ from the stored mark."""
        if not self.is_dirty():
            return
        saved = self._book.set_mark(self.target, self.current_status(), self.note.text(), base=self._base)
        self._failed = saved is None and self._book.conflict(self.target.key) is None
        if saved is not None:
            self.note.setModified(False)
            self._base = saved.version
        self.refresh()

    def _resolve(self, choice: str) -> None:
        self.note.setModified(False)  # what was typed is in the conflict, as "mine"
        self._book.resolve(self.target.key, choice)
        self.refresh()

    def _on_keep_theirs(self) -> None:
        self._resolve(THEIRS)

    def _on_merge(self) -> None:
        self._resolve(MERGE)

    def _on_keep_mine(self) -> None:
        self._resolve(MINE)

    def _on_review_done(self) -> None:
        self._book.clear_review(self.target)
        self.refresh()

    def _on_status_changed(self, _index: int) -> None:
        self.commit()

    def _on_note_edited(self, _text: str) -> None:
        self._show_saved(self._book.mark(self.target.key))

    def _on_editing_finished(self) -> None:
        if self.note.isModified():
            self.commit()


class VerificationSection(QFrame):
    """The marks of a list of citations, grouped by note, under a one-line summary."""

    link_activated = Signal(str)  # "fn:12" from a note's heading

    def __init__(self, book: MarkBook, max_rows_height: int | None = 260, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._max_rows_height = max_rows_height
        self._targets: tuple[MarkTarget, ...] = ()
        self._grouped = False
        self.editors: list[MarkEditor] = []
        self.title = QLabel("Verification", self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 4, 0)
        self.rows_layout.setSpacing(0)
        self.rows_area = QScrollArea(self)
        self.rows_area.setAccessibleName("The citations and their marks")
        self.rows_area.setWidget(self.rows)
        self.rows_area.setWidgetResizable(True)
        self.rows_area.setFrameShape(QFrame.Shape.NoFrame)
        self.rows_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows_area.viewport().setAutoFillBackground(False)
        self.rows.setAutoFillBackground(False)
        self.rows.installEventFilter(self)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.rows_area, 1)
        self._set_muted()
        # Never make the pane it sits in wider than the pane would be without it.
        self.setMinimumWidth(60)
        book.mark_saved.connect(self._on_mark_saved)
        book.conflict_changed.connect(self._on_mark_saved)
        book.marks_changed.connect(self._on_marks_changed)

    def _set_muted(self) -> None:
        palette = self.summary.palette()
        palette.setColor(QPalette.ColorRole.WindowText, muted(self.palette()))
        self.summary.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._set_muted()

    # -- what it shows ---------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """No rows, one sentence (the notes are still being read, say)."""
        self._set_rows((), {}, False)
        self.summary.setText(text)

    def show_targets(
        self, targets: Sequence[MarkTarget], shared: Mapping[str, tuple[int, ...]] | None = None,
        grouped: bool = True,
    ) -> None:
        """One row per citation, under a heading per note when *grouped*."""
        self._set_rows(tuple(targets), shared or {}, grouped)
        self._summarise()

    def _set_rows(self, targets: tuple[MarkTarget, ...], shared: Mapping[str, tuple[int, ...]], grouped: bool) -> None:
        if (targets, grouped) == (self._targets, self._grouped) and targets:
            return
        self.commit()  # a note typed but not yet saved is saved, not dropped
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._targets, self._grouped, self.editors = targets, grouped, []
        note = None
        for target in targets[:ROW_LIMIT]:
            if grouped and target.footnote != note:
                note = target.footnote
                self._add_row(self._note_heading(note))
            editor = MarkEditor(self._book, target, shared.get(target.key, ()), self.rows)
            self.editors.append(editor)
            self._add_row(editor)
        self.rows_layout.addStretch(1)
        self.rows_area.setVisible(bool(targets))
        self._fit_height()

    def set_max_rows_height(self, height: int) -> None:
        """Let the rows take at most *height* px (they scroll beyond it)."""
        if height != self._max_rows_height:
            self._max_rows_height = height
            self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the rows, up to the cap; the rows grow shorter when they fit on one line each."""
        if self._max_rows_height is not None:
            wanted = min(self.rows_layout.sizeHint().height(), self._max_rows_height)
            if wanted != self.rows_area.height() or self.rows_area.maximumHeight() != wanted:
                self.rows_area.setFixedHeight(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.rows and event.type() == QEvent.Type.LayoutRequest:
            self._fit_height()
        return super().eventFilter(watched, event)

    def _add_row(self, row: QWidget) -> None:
        self.rows_layout.addWidget(row)
        row.show()  # now, not on the next event loop pass, so the rows' height below counts it

    def _note_heading(self, number: int) -> QLabel:
        heading = QLabel(link("fn", int(number), f"Note {int(number)}", palette=self.palette()))
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setContentsMargins(0, 6, 0, 0)
        heading.linkActivated.connect(self.link_activated)
        return heading

    def _summarise(self) -> None:
        if not self._targets:
            self.summary.setText("No citation to mark here.")
            return
        reason = self._book.why_read_only
        keys = dict.fromkeys(t.key for t in self._targets)
        counts: dict[MarkStatus | str, int] = {s: 0 for s in STATUS_TEXT}
        review = 0
        for key in keys:
            mark = self._book.mark(key)
            status = mark.status if mark else MarkStatus.UNCHECKED
            counts[status] = counts.get(status, 0) + 1
            review += bool(mark and mark.review)
        said = " · ".join(f"{n} {STATUS_TEXT[s].lower() if isinstance(s, MarkStatus) else s}"
                          for s, n in counts.items() if n)
        if review:
            said += f" · {review} to review"
        if len(self._targets) > ROW_LIMIT:
            said += f" (the first {ROW_LIMIT} of {len(self._targets):,} citations are listed)"
        self.summary.setText(f"{said}. {reason}" if reason else said)

    def commit(self) -> None:
        for editor in self.editors:
            if editor.note.isModified():
                editor.commit()

    def _on_marks_changed(self) -> None:
        for editor in self.editors:
            editor.refresh()
        self._summarise()

    def _on_mark_saved(self, key: str) -> None:
        for editor in self.editors:
            if editor.target.key == key:
                editor.refresh()
        if any(t.key == key for t in self._targets):
            self._summarise()
